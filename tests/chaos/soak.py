"""`make soak`: the district's busiest hour at 1× for 30 minutes (SOAK_MINUTES) on the fault suite's platform
(a private RabbitMQ node, SecantusDB on disk, every api, the workers, the gateway), with faults injected at
seeded random times (SOAK_SEED). Every process's memory, open sockets and threads are sampled; the run fails
if any of them trends upward in a process that lived through most of it, or if an operation was lost or
done twice.

    SOAK_MINUTES=3 python -m tests.chaos.soak          a short try
    python -m tests.chaos.soak                         30 minutes

The mix, at bench/district_day.py's 1× rates: device heartbeats (117/s over HTTP, from 200 registered
pagers), operators' boards (2.3/s), menu reads (1/s), and the calls for help as the fault suite's checked
operations (care requests raised and acknowledged, meal orders, referrals, volunteers' visits: about one
every two seconds, four times the district's peak rate of calls), each checked exactly once at the end.
Staff positions and families' reads (3.5/s and 0.2/s) are left out: they need a seeded staff roster and
families, and they write nothing the check could lose.

The report lands in var/soak/latest.md.
"""
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.district_day import PEAK
from linli_dev.devstack import ROOT
from tests.chaos.harness import ChaosPlatform, Workload, scenarios, settle
from tests.chaos.runner import stop_on_signals

FAULTS = ["workers SIGKILL + restart", "eldercare-api SIGKILL + restart", "gateway SIGKILL + restart",
          "RabbitMQ link: connection reset", "SecantusDB SIGKILL + restart", "RabbitMQ stopped and restarted"]
DEVICES = 200
# An upward trend: the last third's median above the first third's (after a warm-up) by more than this
# much and more than 10%. Memory in MiB.
ALLOWED_GROWTH = {"rss_mib": 24.0, "threads": 4, "sockets": 6}


# -- sampling --------------------------------------------------------------------------------------------

def group_usage(pgid: int) -> dict[str, float] | None:
    """Resident memory, threads and open sockets of every process in a process group (a server script and
    the Erlang VM it starts count as one)."""
    total = {"rss_mib": 0.0, "threads": 0, "sockets": 0}
    found = False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            status = dict(line.split(":", 1) for line in (entry / "status").read_text().splitlines() if ":" in line)
            total["rss_mib"] += int(status.get("VmRSS", "0 kB").split()[0]) / 1024
            total["threads"] += int(status["Threads"])
            total["sockets"] += sum(1 for fd in (entry / "fd").iterdir() if os.readlink(fd).startswith("socket:"))
            found = True
        except (OSError, ValueError, KeyError, IndexError):
            continue
    return total if found else None


def sample(chaos: ChaosPlatform) -> dict[tuple[str, int], dict[str, float]]:
    """(process name, pid) → usage, for every live process of the platform."""
    procs = [(p.name, p.popen) for p in chaos.stack.processes + chaos.mongo_stack.processes]
    if chaos.broker is not None and chaos.broker.popen is not None:
        procs.append(("rabbitmq", chaos.broker.popen))
    found = {}
    for name, popen in procs:
        if popen.poll() is None:
            usage = group_usage(popen.pid)
            if usage is not None:
                found[(name, popen.pid)] = usage
    return found


def trends(series: dict[tuple[str, int], list[tuple[float, dict]]], duration: float) -> tuple[list[str], list[str]]:
    """Per process that lived through at least half the run: first and last third's medians (past the
    first fifth, a warm-up). Returns the report's rows and the upward trends found."""
    rows, rising = [], []
    for (name, pid), points in sorted(series.items()):
        if len(points) < 6 or points[-1][0] - points[0][0] < duration / 2:
            continue
        settled = points[len(points) // 5:]
        third = max(1, len(settled) // 3)
        cells = []
        for metric, allowed in ALLOWED_GROWTH.items():
            first = statistics.median(p[1][metric] for p in settled[:third])
            last = statistics.median(p[1][metric] for p in settled[-third:])
            cells.append(f"{first:.0f} → {last:.0f}")
            if last - first > allowed and last > first * 1.10:
                rising.append(f"{name} (pid {pid}): {metric} {first:.0f} → {last:.0f}")
        rows.append(f"| {name} | {len(points)} | " + " | ".join(cells) + " |")
    return rows, rising


# -- the district's mix -------------------------------------------------------------------------------

class Mix:
    """Open loops at fixed rates through the gateway: each kind's requests start on schedule whatever the
    answers (up to a pool of 24 at a time; a request that would start with the pool full is counted late)."""

    def __init__(self, chaos: ChaosPlatform, community: str, devices: list[str], day: str):
        self.chaos = chaos
        self.community = community
        self.devices = devices
        self.day = day
        self.operator = {"Authorization": f"Bearer {chaos.token('operator', 'soak-operator')}"}
        self.device_headers = {d: {"Authorization": f"Bearer {chaos.token('device', d)}"} for d in devices}
        self.counts = {kind: {"ok": 0, "failed": 0, "late": 0} for kind in ("heartbeat", "board", "menu")}
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(24)
        self._busy = threading.Semaphore(24)
        self._local = threading.local()
        self._threads = [threading.Thread(target=self._loop, args=(kind,), daemon=True) for kind in self.counts]

    def _http(self) -> httpx.Client:
        if not hasattr(self._local, "http"):
            self._local.http = httpx.Client(timeout=5)
        return self._local.http

    def _one(self, kind: str, n: int) -> None:
        try:
            url = self.chaos.gateway_url
            if kind == "heartbeat":
                device = self.devices[n % len(self.devices)]
                response = self._http().post(f"{url}/v1/devices/{device}/heartbeat", headers=self.device_headers[device],
                                             json={"battery_percent": 30 + n % 70})
            elif kind == "board":
                response = self._http().get(f"{url}/v1/care-requests?community_id={self.community}",
                                            headers=self.operator)
            else:
                response = self._http().get(f"{url}/v1/menus/{self.community}/{self.day}", headers=self.operator)
            self.counts[kind]["ok" if response.status_code < 300 else "failed"] += 1
        except httpx.HTTPError:
            self.counts[kind]["failed"] += 1
        finally:
            self._busy.release()

    def _loop(self, kind: str) -> None:
        interval = 1 / PEAK[kind][0]
        n = 0
        next_at = time.monotonic()
        while not self._stop.is_set():
            if self._busy.acquire(blocking=False):
                self._pool.submit(self._one, kind, n)
            else:
                self.counts[kind]["late"] += 1
            n += 1
            next_at += interval
            self._stop.wait(max(0.0, next_at - time.monotonic()))

    def start(self) -> "Mix":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(10)
        self._pool.shutdown(wait=True)


def register_devices(chaos: ChaosPlatform, community: str, count: int) -> list[str]:
    headers = {"Authorization": f"Bearer {chaos.token('operator', 'soak-operator')}"}
    devices = []
    with httpx.Client(timeout=30) as http:
        for n in range(count):
            elder, device = f"{community}-pager-elder-{n}", f"{community}-pager-{n}"
            response = http.post(f"{chaos.gateway_url}/v1/elders", headers=headers,
                                 json={"id": elder, "community_id": community, "name": "刘桂兰"})
            assert response.status_code in (200, 201, 409), response.text
            response = http.post(f"{chaos.gateway_url}/v1/devices", headers=headers,
                                 json={"id": device, "elder_id": elder, "kind": "pager"})
            assert response.status_code in (200, 201, 409), response.text
            devices.append(device)
    return devices


# -- the run --------------------------------------------------------------------------------------------

def main() -> int:
    minutes = float(os.environ.get("SOAK_MINUTES", "30"))
    seed = int(os.environ.get("SOAK_SEED", "20"))
    every = float(os.environ.get("SOAK_SAMPLE_SECONDS", "10"))
    duration = minutes * 60
    rng = random.Random(seed)
    faults = max(2, round(minutes / 5))
    plan = sorted((rng.uniform(0.1, 0.8) * duration, rng.choice(FAULTS)) for _ in range(faults))
    known = scenarios()

    stop_on_signals()
    workdir = Path(tempfile.mkdtemp(prefix="linli-soak-"))
    print(f"starting the platform (logs in {workdir / 'log'}) ...", flush=True)
    chaos = ChaosPlatform(workdir)
    series: dict[tuple[str, int], list[tuple[float, dict]]] = {}
    injected: list[str] = []
    try:
        chaos.start()
        community = f"soak-{dt.datetime.now().strftime('%H%M%S')}"
        workload = Workload(chaos, community, clients=2, pause=4.0)
        workload.prepare()
        devices = register_devices(chaos, community, DEVICES)
        mix = Mix(chaos, community, devices, workload.day)
        print(f"{minutes:g} minutes, faults (seed {seed}): "
              + ", ".join(f"{name} at {at / 60:.1f} min" for at, name in plan), flush=True)
        began = time.monotonic()
        workload.start()
        mix.start()
        next_sample = began
        while time.monotonic() - began < duration:
            now = time.monotonic()
            if plan and now - began >= plan[0][0]:
                at, name = plan.pop(0)
                scenario = known[name]
                print(f"  {(now - began) / 60:.1f} min: {name}", flush=True)
                scenario.inject(chaos)
                time.sleep(scenario.hold)
                scenario.heal(chaos)
                injected.append(f"{name} at {(now - began) / 60:.1f} min")
                continue
            if now >= next_sample:
                for key, usage in sample(chaos).items():
                    series.setdefault(key, []).append((now - began, usage))
                next_sample += every
            time.sleep(0.5)
        mix.stop()
        workload.stop()
        verdict = settle(chaos, community, workload.ops, limit=180)
    finally:
        chaos.stop()

    rows, rising = trends(series, duration)
    gave_up = [op for op in workload.ops if op.outcome != "ok"]
    mix_line = ", ".join(f"{kind} {c['ok']} ok / {c['failed']} failed / {c['late']} late"
                         for kind, c in mix.counts.items())
    report = "\n".join([
        f"Soak of {minutes:g} minutes (seed {seed}), {dt.datetime.now().astimezone().isoformat(timespec='seconds')}.",
        "", f"Faults: {'; '.join(injected)}.", f"The mix: {mix_line}.",
        f"Checked operations: {len(workload.ops)}, lost {len(verdict.lost)}, duplicated {len(verdict.duplicated)}, "
        f"gave up {len(gave_up)}.", "",
        "| process | samples | memory MiB (first third → last third) | threads | open sockets |",
        "|---|---|---|---|---|", *rows, "",
        f"Upward trends: {'; '.join(rising) if rising else 'none'}.",
        *[f"- {line}" for line in (verdict.lost + verdict.duplicated)[:20]]])
    print("\n" + report)
    out = ROOT / "var" / "soak"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.md").write_text(report + "\n")
    return 0 if not (verdict.lost or verdict.duplicated or rising or gave_up) else 1


if __name__ == "__main__":
    sys.exit(main())
