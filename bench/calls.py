"""Calls (docs/calls.md): how fast a press rings on the board, how fast the elder hears the operator once
they answer, and how many relayed calls coturn carries at once on this machine. Loopback only: a platform
of its own (coturn on 127.0.0.1, peers denied beyond loopback), aiortc on both ends of every call.

    .venv/bin/python -m bench.calls [--presses 40] [--answers 10] [--concurrent 5,10,20,30] [--seconds 10]
                                    [--processes 4]

- press → ringing: from sending POST /v1/devices/{id}/press to the board stream's frame of that request,
  with a ringing call in it (an operator's board, over SSE);
- answer → first audio at the terminal: from sending POST .../call/answer to the first decoded audio
  frame at the terminal (the board's part played by an aiortc peer: offer, candidates, DTLS, SRTP);
  Measured twice, interleaved call by call: with the terminal readying its media while it rings (its
  transceivers made and its candidates, the TURN allocation among them, gathered before the offer comes;
  STUN retransmitted after 100 ms on loopback), and as before (everything done when the offer comes,
  aioice's 500 ms retransmission); each leg of the way is timed too;
- concurrent relayed calls: N two-party audio calls at once, both ends relay-only through coturn, for
  --seconds; packet loss from both receivers' RTP statistics (sequence gaps), and coturn's CPU (its /proc
  times over the run) per call. The calls are spread over --processes Python processes (both ends of a
  call in the same one), so the aiortc peers' Opus and SRTP work is not held to one core by one interpreter.
"""
import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from gateway import dev_issuer
from linli_dev import terminal as term
from linli_dev.devstack import free_port, platform
from linli.kit.config import SETTINGS, setting

COMMUNITY = "donghuayuan"


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")  # that part not run (--presses 0, --answers 0)
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


class Board(threading.Thread):
    """An operator's board stream: when each request first showed a ringing call."""

    def __init__(self, url: str, headers: dict):
        super().__init__(daemon=True)
        self.url, self.headers, self.rang, self.open = url, headers, {}, threading.Event()

    def run(self):
        with httpx.Client(timeout=httpx.Timeout(5, read=None)) as client:
            with client.stream("GET", f"{self.url}/v1/board/stream", headers=self.headers) as response:
                self.open.set()
                for line in response.iter_lines():
                    if line.startswith("data:"):
                        request = json.loads(line[5:]).get("care_request") or {}
                        calls = request.get("calls") or []
                        if calls and calls[-1]["state"] == "ringing":
                            self.rang.setdefault(request["id"], time.monotonic())


def elders(url, operator, count, tag, kind="pager"):
    devices = []
    for i in range(count):
        elder, device = f"bench-elder-{tag}-{i}", f"bench-terminal-{tag}-{i}"
        httpx.post(f"{url}/v1/elders", headers=operator, json={"id": elder, "community_id": COMMUNITY,
                                                               "name": "刘桂兰", "phone": "138 0413 1001"}).raise_for_status()
        httpx.post(f"{url}/v1/devices", headers=operator, json={"id": device, "elder_id": elder, "kind": kind,
                                                                "speakerphone": True}).raise_for_status()
        devices.append(device)
    return devices


def press_to_ringing(url, operator, issuer, count) -> list[float]:
    board = Board(url, operator)
    board.start()
    board.open.wait(10)
    time.sleep(0.5)
    sent = {}
    for device in elders(url, operator, count, "ring"):
        token = dev_issuer.issue_token(device, ["device"], [COMMUNITY], directory=issuer)
        started = time.monotonic()
        reply = httpx.post(f"{url}/v1/devices/{device}/press", headers={"Authorization": f"Bearer {token}"},
                           json={"kind": "emergency"}, timeout=10)
        reply.raise_for_status()
        sent[reply.json()["id"]] = started
        time.sleep(0.2)  # one press at a time: latency, not throughput
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(i in board.rang for i in sent):
        time.sleep(0.1)
    return [board.rang[i] - t for i, t in sent.items() if i in board.rang]


class Operator:
    """The board's side of a call, in aiortc: joins the room, offers audio, answers nothing else."""

    def __init__(self, client, care_request_id, relay_only=True):
        self.client, self.care_request_id, self.relay_only = client, care_request_id, relay_only
        self.pc = None

    async def connect(self):
        from aiortc import RTCPeerConnection, RTCSessionDescription

        room = term.Room(self.client, f"/v1/rooms/care-request/{self.care_request_id}/signals")
        await room.next("welcome", timeout=15)
        self.joined_at = time.monotonic()
        servers = (await self.client.get("/v1/calls/ice-servers", timeout=10)).raise_for_status().json()
        self.pc = RTCPeerConnection(term.configuration(servers, self.relay_only))
        audio, _ = term._tracks(1000, False)
        self.pc.addTrack(audio)
        self.recorder = term.Recorder()
        self.pc.on("track", lambda track: asyncio.ensure_future(self.recorder.consume(track)))
        await self.pc.setLocalDescription(await self.pc.createOffer())
        await room.send(type="offer", sdp=self.pc.localDescription.sdp)
        self.offer_sent_at = time.monotonic()
        answer = await room.next("answer", timeout=30)
        await self.pc.setRemoteDescription(RTCSessionDescription(answer["data"]["sdp"], "answer"))
        self.room = room

    async def inbound(self):
        stats = await self.pc.getStats()
        return next((s for s in stats.values() if s.type == "inbound-rtp"), None)


LEGS = ("answer POST", "board joins, gathers, offers", "offer reaches the terminal", "terminal answers",
        "ICE and DTLS", "first audio frame")


async def one_call(url, operator, issuer, device, seconds, relay_only=True, prepare=True, ring_seconds=1.0):
    """Press, let it ring `ring_seconds` (an operator's reaction), answer, talk `seconds`, hang up. Returns
    (answer→first audio at terminal, the legs of that time, terminal's summary, the operator's inbound RTP
    stats)."""
    token = dev_issuer.issue_token(device, ["device"], [COMMUNITY], directory=issuer)
    args = argparse.Namespace(relay_only=relay_only, ring_seconds=30, kind="pager", tone=660.0, seconds=seconds,
                              record=None, any_interface=False, prepare_while_ringing=prepare)
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}) as device_client, \
            httpx.AsyncClient(base_url=url, headers=operator) as operator_client:
        pressed = (await device_client.post(f"/v1/devices/{device}/press", json={"kind": "emergency"})).json()
        talking = asyncio.create_task(term.talk(device_client, pressed["id"], args))
        await asyncio.sleep(ring_seconds)
        answered_at = time.monotonic()
        (await operator_client.post(f"/v1/care-requests/{pressed['id']}/call/answer")).raise_for_status()
        answer_done = time.monotonic()
        op = Operator(operator_client, pressed["id"], relay_only)
        await op.connect()
        summary = await talking
        inbound = await op.inbound()
        await op.pc.close()
        first = summary.get("first_audio_monotonic")
        marks = [answered_at, answer_done, getattr(op, "offer_sent_at", None), summary.get("offer_received_monotonic"),
                 summary.get("answer_sent_monotonic"), summary.get("connected_monotonic"), first]
        legs = [b - a for a, b in zip(marks, marks[1:])] if all(marks) else None
        return (first - answered_at if first else None), legs, summary, inbound


def calls_in_process(url, operator, issuer, devices, seconds):
    """One process's share of the concurrent calls: what each receiver counted (spawned: nothing inherited)."""
    term.loopback_only()

    async def all_calls():
        return await asyncio.gather(*(one_call(url, operator, issuer, d, seconds) for d in devices),
                                    return_exceptions=True)

    counts = []
    for result in asyncio.run(all_calls()):
        if isinstance(result, Exception):
            counts.append({"error": repr(result)})
            continue
        _, _, summary, inbound = result
        rtp = summary.get("rtp_in") or {}  # the terminal's side, from its own RTP statistics
        counts.append({"connected": bool(summary.get("connected")),
                       "received": rtp.get("received", 0) + (inbound.packetsReceived if inbound else 0),
                       "lost": rtp.get("lost", 0) + (max(0, inbound.packetsLost) if inbound else 0)})
    return counts


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def concurrent(url, operator, issuer, devices, seconds, coturn_pid, processes):
    shares = [devices[i::processes] for i in range(processes) if devices[i::processes]]
    with multiprocessing.get_context("spawn").Pool(len(shares)) as pool:
        pool.apply(term.loopback_only)  # the workers are up (interpreters started) before the clock does
        before, started = cpu_seconds(coturn_pid), time.monotonic()
        results = pool.starmap(calls_in_process, [(url, operator, issuer, share, seconds) for share in shares])
        elapsed, used = time.monotonic() - started, cpu_seconds(coturn_pid) - before
    counts = [c for share in results for c in share]
    received = sum(c.get("received", 0) for c in counts)
    lost = sum(c.get("lost", 0) for c in counts)
    connected = sum(bool(c.get("connected")) for c in counts)
    errors = [c["error"] for c in counts if "error" in c]
    return {"calls": len(devices), "connected": connected, "loss_percent": round(100 * lost / max(1, received + lost), 2),
            "packets": received + lost,
            "coturn_cpu_percent_per_call": round(100 * used / elapsed / max(1, connected), 2),
            "coturn_cpu_percent": round(100 * used / elapsed, 1),
            "elapsed_seconds": round(elapsed, 1), "errors": errors[:3]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench.calls")
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--answers", type=int, default=10)
    parser.add_argument("--concurrent", default="5,10,20")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--processes", type=int, default=4, help="processes the concurrent calls' peers run in")
    args = parser.parse_args(argv)
    issuer = tempfile.mkdtemp(prefix="bench-calls-issuer-")
    env = {name: setting(name) for name in SETTINGS}
    for name in SETTINGS:
        if name.endswith("_ADDR"):
            env[name] = f"127.0.0.1:{free_port()}"
    env.update({"GATEWAY_PORT": str(free_port()), "MONGO_DB_PREFIX": "bench_calls_", "LINLI_DEV_ISSUER_DIR": issuer,
                "CLINIC_PARTNER_TLS_DIR": tempfile.mkdtemp() + "/tls", "LINLI_LOG_LEVEL": "WARNING",
                "GATEWAY_RATE_LIMIT_PER_SECOND": "10000", "GATEWAY_RATE_LIMIT_BURST": "10000",
                "GATEWAY_SHED_LOOP_LAG_SECONDS": "0", "GATEWAY_MAX_IN_FLIGHT": "1000"})
    stack = platform(env, Path(tempfile.mkdtemp(prefix="bench-calls-logs-")), ":memory:", isolated_broker=True)
    term.loopback_only()
    try:
        url = stack.gateway_url
        operator = {"Authorization": "Bearer " + dev_issuer.issue_token("op-bench", ["operator"], [COMMUNITY],
                                                                         directory=issuer)}
        rows = []
        ring = press_to_ringing(url, operator, issuer, args.presses) if args.presses else []
        rows.append(("press → ringing on the board", len(ring), percentile(ring, 50), percentile(ring, 99)))
        timed = {True: [], False: []}
        legs = {True: [], False: []}
        for i, device in enumerate(elders(url, operator, 2 * args.answers, "answer")):
            prepare = i % 2 == 0  # interleaved: the two ways share the machine's moods alike
            import aioice.stun  # before: aioice's own STUN retransmission time, as the terminal had it
            aioice.stun.RETRY_RTO = term.LOOPBACK_STUN_RTO if prepare else term.AIOICE_STUN_RTO
            first, parts, _, _ = asyncio.run(one_call(url, operator, issuer, device, 2.0, prepare=prepare))
            if first is not None:
                timed[prepare].append(first)
            if parts:
                legs[prepare].append(parts)
        for prepare, name in ((False, "answer → first audio at the terminal, before (readied at the offer)"),
                              (True, "answer → first audio at the terminal, now (readied while ringing)")):
            rows.append((name, len(timed[prepare]), percentile(timed[prepare], 50), percentile(timed[prepare], 99)))
        print(f"load average before the calls: {os.getloadavg()}")
        print("| path | n | p50 ms | p99 ms |\n|---|---|---|---|")
        for name, n, p50, p99 in rows:
            print(f"| {name} | {n} | {p50 * 1000:.0f} | {p99 * 1000:.0f} |")
        print("\n| leg (median ms) | before | now |\n|---|---|---|")
        for j, leg in enumerate(LEGS):
            late, early = ([p[j] for p in legs[flag]] for flag in (False, True))
            print(f"| {leg} | {percentile(late, 50) * 1000:.0f} | {percentile(early, 50) * 1000:.0f} |")
        coturn_pid = next(p.popen.pid for p in stack.processes if p.name == "coturn")
        print(f"\n{args.processes} processes; load average {os.getloadavg()}")
        print("| concurrent relayed calls | connected | packets | packet loss | coturn CPU | per call | wall s |\n"
              "|---|---|---|---|---|---|---|")
        for count in [int(c) for c in args.concurrent.split(",") if c]:
            devices = elders(url, operator, count, f"load{count}")
            result = concurrent(url, operator, issuer, devices, args.seconds, coturn_pid, args.processes)
            print(f"| {result['calls']} | {result['connected']} | {result['packets']} | {result['loss_percent']} % | "
                  f"{result['coturn_cpu_percent']} % | {result['coturn_cpu_percent_per_call']} % of a core | "
                  f"{result['elapsed_seconds']} | load {os.getloadavg()[0]:.1f}", flush=True)
            if result["errors"]:
                print("  errors:", result["errors"], flush=True)
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
