"""A call terminal in the elder's home, simulated (aiortc): it presses, and talks when an operator answers.

    linli terminal --device-id pager-0312 [--register-for elder-0312 --kind video_terminal] [--seconds 20]
                   [--record heard.wav] [--tone 660] [--relay-only] [--gateway http://127.0.0.1:8080]

It presses the device (a care request with a ringing call), joins the call's room on the gateway, and
answers the first operator's offer: it sends a steady tone (--tone Hz; and moving colour bars for a video
terminal) and records what it hears to a WAV file, so a test or a person can check that sound went both
ways. It hangs up after --seconds of talk, or when the operator does, and prints a JSON summary.
With --listen it presses nothing and waits on its line for an operator to call it back.

Loopback only, on purpose: it gathers host candidates on 127.0.0.1 alone (aioice skips loopback; we give it
nothing else), relays through the TURN server the gateway names, and ignores any remote candidate that is
not on loopback, so nothing it sends leaves the machine. Tokens come from the development issuer
(var/dev-issuer, or LINLI_DEV_ISSUER_DIR) unless --token is given.
"""
import argparse
import asyncio
import fractions
import ipaddress
import json
import math
import sys
import time
import wave
from pathlib import Path

import httpx
import numpy

SAMPLE_RATE = 48000
FRAME_SAMPLES = 960  # 20 ms


AIOICE_STUN_RTO = 0.5  # aioice's first STUN retransmission, seconds (RFC 8445's floor for a real network)
LOOPBACK_STUN_RTO = 0.1


def loopback_only() -> None:
    """aioice gathers host candidates from every interface but loopback; a terminal of the tests gathers
    on loopback alone (its relay candidate, from coturn on 127.0.0.1, comes on top).

    On loopback a STUN round trip takes well under a millisecond, so the terminal retransmits after 100 ms
    rather than aioice's 500: its first connectivity check through coturn reaches the operator's relay
    before the operator's permission for it exists (the operator has not had the answer yet) and is
    dropped, and waiting 500 ms for the retry was the largest part of answer → first audio. (A browser
    re-checks every ~50 ms while a pair is not yet writable, so it does not wait on this.)"""
    import aioice.ice
    import aioice.stun

    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"] if use_ipv4 else []
    aioice.stun.RETRY_RTO = LOOPBACK_STUN_RTO


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False  # a name (mDNS .local): not ours to resolve


def tone_energy(samples: numpy.ndarray, rate: int, frequency: float) -> float:
    """Share of the signal's energy at `frequency` (Goertzel over the whole recording): near 0 for silence
    or other sounds, up to ~1 for a pure tone at that frequency."""
    x = samples.astype(numpy.float64)
    total = float(numpy.sum(x * x))
    if total == 0:
        return 0.0
    n = numpy.arange(len(x))
    phase = 2 * math.pi * frequency * n / rate
    real, imag = float(numpy.dot(x, numpy.cos(phase))), float(numpy.dot(x, numpy.sin(phase)))
    return 2 * (real * real + imag * imag) / len(x) / total


def tone_share(samples: numpy.ndarray, rate: int, frequency: float, window_seconds: float = 0.5) -> float:
    """The median over half-second windows of tone_energy: robust to a tone whose level changes (a browser's
    automatic gain) and to clocks a little apart (one long window would smear the tone)."""
    size = int(rate * window_seconds)
    shares = [tone_energy(samples[i:i + size], rate, frequency) for i in range(0, len(samples) - size + 1, size)]
    return float(numpy.median(shares)) if shares else 0.0


def read_wav(path: Path) -> tuple[numpy.ndarray, int]:
    with wave.open(str(path)) as wav:
        frames = wav.readframes(wav.getnframes())
        samples = numpy.frombuffer(frames, dtype=numpy.int16)
        if wav.getnchannels() > 1:
            samples = samples.reshape(-1, wav.getnchannels())[:, 0]
        return samples, wav.getframerate()


def _tracks(tone_hz: float, video: bool):
    import av
    from aiortc import MediaStreamTrack, VideoStreamTrack

    class ToneTrack(MediaStreamTrack):
        kind = "audio"

        def __init__(self):
            super().__init__()
            self.sent = 0
            self.started = None

        async def recv(self):
            if self.started is None:
                self.started = time.monotonic()
            due = self.started + self.sent / SAMPLE_RATE
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            n = numpy.arange(self.sent, self.sent + FRAME_SAMPLES)
            samples = (numpy.sin(2 * math.pi * tone_hz * n / SAMPLE_RATE) * 12000).astype(numpy.int16)
            frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = SAMPLE_RATE, self.sent, fractions.Fraction(1, SAMPLE_RATE)
            self.sent += FRAME_SAMPLES
            return frame

    class ColourBars(VideoStreamTrack):
        """Moving colour bars: never black, so a test can tell decoded frames from an empty pane."""

        async def recv(self):
            pts, time_base = await self.next_timestamp()
            shift = (pts // 3000) % 320
            x = (numpy.arange(320) + shift) % 320
            bars = numpy.array([[255, 255, 0], [0, 255, 255], [0, 255, 0], [255, 0, 255], [255, 0, 0], [0, 0, 255],
                                [255, 255, 255], [255, 128, 0]], dtype=numpy.uint8)[x // 40]
            image = numpy.repeat(bars[numpy.newaxis, :, :], 240, axis=0)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = pts, time_base
            return frame

    return ToneTrack(), (ColourBars() if video else None)


class Recorder:
    """Keeps what the terminal hears (the operator's voice) as 48 kHz mono samples."""

    def __init__(self):
        self.chunks: list[numpy.ndarray] = []
        self.first_audio_at: float | None = None

    async def consume(self, track) -> None:
        from aiortc.mediastreams import MediaStreamError

        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if self.first_audio_at is None:
                self.first_audio_at = time.monotonic()
            samples = frame.to_ndarray()
            channels = len(frame.layout.channels)
            samples = samples.reshape(-1, channels)[:, 0] if channels > 1 else samples.reshape(-1)
            if frame.sample_rate != SAMPLE_RATE:  # keep one rate in the file
                samples = numpy.interp(numpy.arange(0, len(samples), frame.sample_rate / SAMPLE_RATE),
                                       numpy.arange(len(samples)), samples)
            self.chunks.append(samples.astype(numpy.int16))

    @property
    def seconds(self) -> float:
        return sum(len(c) for c in self.chunks) / SAMPLE_RATE

    def write(self, path: Path) -> None:
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(SAMPLE_RATE)
            wav.writeframes(numpy.concatenate(self.chunks).tobytes() if self.chunks else b"")


class Room:
    """The terminal's side of a signalling room: SSE frames in, POSTs out."""

    def __init__(self, client: httpx.AsyncClient, path: str):
        self.client, self.path = client, path
        self.frames: asyncio.Queue = asyncio.Queue()
        self.peer = None
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async with self.client.stream("GET", self.path, timeout=httpx.Timeout(10, read=None)) as response:
                if response.status_code != 200:
                    await self.frames.put({"event": "refused", "data": {"status": response.status_code}})
                    return
                event, data = None, []
                async for line in response.aiter_lines():
                    if line == "":
                        if event and data:
                            await self.frames.put({"event": event, "data": json.loads("\n".join(data))})
                        event, data = None, []
                    elif line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].strip())
        except httpx.HTTPError as error:
            await self.frames.put({"event": "lost", "data": {"error": repr(error)}})

    async def next(self, *events: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            frame = await asyncio.wait_for(self.frames.get(), max(0.01, deadline - time.monotonic()))
            if frame["event"] == "welcome":
                self.peer = frame["data"]["from"]["peer"]
            if frame["event"] in events or frame["event"] in ("refused", "lost"):
                return frame

    async def send(self, **signal) -> None:
        response = await self.client.post(self.path, json={**signal, "peer": self.peer}, timeout=10)
        response.raise_for_status()

    def close(self) -> None:
        self._task.cancel()


async def talk(client: httpx.AsyncClient, care_request_id: str, args) -> dict:
    """Join the call's room, answer the operator's offer, talk, hang up. Returns what happened."""
    from aiortc import RTCPeerConnection, RTCSessionDescription
    from aiortc.sdp import candidate_from_sdp

    summary = {"care_request_id": care_request_id, "connected": False}
    room = Room(client, f"/v1/rooms/care-request/{care_request_id}/signals")
    try:
        welcome = await room.next("welcome", timeout=15)
        if welcome["event"] != "welcome":
            return {**summary, "error": welcome}
        servers = (await client.get("/v1/calls/ice-servers", timeout=10)).raise_for_status().json()
        pc = RTCPeerConnection(configuration(servers, args.relay_only))
        audio, video = _tracks(args.tone, args.kind == "video_terminal")
        # While it rings, the terminal readies its media: its transceivers, and its candidates gathered (the
        # TURN allocation is most of that), so the answer goes out as soon as the operator's offer comes.
        # aiortc sends no candidate after its description, so gathering late would delay the answer.
        gathered = None
        if getattr(args, "prepare_while_ringing", True):
            pc.addTransceiver(audio, direction="sendrecv")
            if video is not None:
                pc.addTransceiver(video, direction="sendrecv")
            gatherers = {t.receiver.transport.transport.iceGatherer for t in pc.getTransceivers()}
            gathered = asyncio.ensure_future(asyncio.gather(*(g.gather() for g in gatherers)))
        try:
            offer = await room.next("offer", "hangup", timeout=args.ring_seconds)
        except TimeoutError:  # the terminal stops ringing, and says so before it leaves the room
            offer = {"event": "unanswered"}
            await client.post(f"/v1/care-requests/{care_request_id}/call/end", json={"reason": "hung_up"},
                              timeout=10)
        summary["offer_received_monotonic"] = time.monotonic()
        if offer["event"] != "offer":
            if gathered is not None:
                gathered.cancel()
            await pc.close()
            return {**summary, "ended": offer["event"]}
        operator_peer = offer["data"]["from"]["peer"]
        recorder = Recorder()
        consumers = []
        state_changed = asyncio.Event()

        @pc.on("track")
        def on_track(track):
            if track.kind == "audio":
                consumers.append(asyncio.ensure_future(recorder.consume(track)))

        @pc.on("connectionstatechange")
        def on_state():
            state_changed.set()
            if pc.connectionState == "connected":  # noted now: a hang-up tears the ICE transport down
                summary["selected_pair"] = _selected_pair(pc)
                summary["connected_monotonic"] = time.monotonic()

        if gathered is not None:  # before the offer's BUNDLE may stop a transport still gathering; and gather()
            await gathered        # returns at once while another gathering is under way: wait for that one
        await pc.setRemoteDescription(RTCSessionDescription(offer["data"]["sdp"], "offer"))
        for transceiver in pc.getTransceivers():  # answer the operator's transceivers with our media
            if transceiver.kind == "audio":
                transceiver.sender.replaceTrack(audio)
                transceiver.direction = "sendrecv"
            elif transceiver.kind == "video" and video is not None:
                transceiver.sender.replaceTrack(video)
                transceiver.direction = "sendrecv"
        answered_at = time.monotonic()
        await pc.setLocalDescription(await pc.createAnswer())  # the candidates are in the answer
        await room.send(type="answer", sdp=pc.localDescription.sdp, to=operator_peer)
        summary["answer_sent_monotonic"] = time.monotonic()
        ended_by = "terminal"
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            try:
                frame = await room.next("candidate", "hangup", timeout=max(0.05, deadline - time.monotonic()))
            except TimeoutError:
                break
            if frame["event"] in ("hangup", "lost"):
                ended_by = "operator"
                break
            candidate = frame["data"].get("candidate") or {}
            line = candidate.get("candidate", "")
            if not line:
                continue
            parsed = candidate_from_sdp(line.split(":", 1)[1])
            if not args.any_interface and not is_loopback(parsed.ip):
                continue  # never send to anything but loopback
            parsed.sdpMid, parsed.sdpMLineIndex = candidate.get("sdpMid"), candidate.get("sdpMLineIndex")
            await pc.addIceCandidate(parsed)
        summary.update(connected=pc.connectionState == "connected" or recorder.first_audio_at is not None,
                       ended_by=ended_by, heard_seconds=round(recorder.seconds, 2),
                       first_audio_after_answer_seconds=(round(recorder.first_audio_at - answered_at, 3)
                                                         if recorder.first_audio_at else None),
                       first_audio_monotonic=recorder.first_audio_at)
        if not summary.get("selected_pair"):
            summary["selected_pair"] = _selected_pair(pc)
        inbound = next((s for s in (await pc.getStats()).values() if s.type == "inbound-rtp"), None)
        if inbound is not None:
            summary["rtp_in"] = {"received": inbound.packetsReceived, "lost": max(0, inbound.packetsLost)}
        if ended_by == "terminal":
            await room.send(type="hangup", reason="hung_up", to=operator_peer)
            await client.post(f"/v1/care-requests/{care_request_id}/call/end", json={"reason": "hung_up"}, timeout=10)
        await pc.close()
        for consumer in consumers:
            consumer.cancel()
        if args.record:
            recorder.write(Path(args.record))
            summary["recording"] = args.record
        return summary
    finally:
        room.close()


def configuration(servers: dict, relay_only: bool):
    """RTCConfiguration from the gateway's GET /v1/calls/ice-servers answer."""
    from aiortc import RTCConfiguration, RTCIceServer
    from aiortc.rtcconfiguration import RTCIceTransportPolicy

    return RTCConfiguration(iceServers=[RTCIceServer(**server) for server in servers["iceServers"]],
                            iceTransportPolicy=RTCIceTransportPolicy.RELAY if relay_only else RTCIceTransportPolicy.ALL)


def _selected_pair(pc) -> dict | None:
    """The local and remote candidate types of the pair ICE chose (relay: through coturn)."""
    try:
        transport = pc.getTransceivers()[0].sender.transport.transport
        pair = transport._connection._nominated.get(1)
        return {"local": pair.local_candidate.type, "remote": pair.remote_candidate.type} if pair else None
    except (AttributeError, IndexError):
        return None


def _token(args, role: str, subject: str) -> str:
    from gateway import dev_issuer

    return dev_issuer.issue_token(subject, [role], [args.community], ttl_seconds=3600,
                                  directory=args.issuer_dir or None)


async def run(args) -> dict:
    if not args.any_interface:
        loopback_only()
    device = {"Authorization": f"Bearer {args.token or _token(args, 'device', args.device_id)}"}
    async with httpx.AsyncClient(base_url=args.gateway, headers=device) as client:
        if args.register_for:
            operator = {"Authorization": f"Bearer {_token(args, 'operator', 'terminal-installer')}"}
            response = await client.post("/v1/devices", headers=operator, json={
                "id": args.device_id, "elder_id": args.register_for, "kind": args.kind, "speakerphone": True})
            if response.status_code not in (201, 409):
                return {"error": f"registering the device: {response.status_code} {response.text}"}
        if args.listen:
            line = Room(client, f"/v1/rooms/terminal/{args.device_id}/signals")
            try:
                await line.next("welcome", timeout=15)
                print(json.dumps({"listening": args.device_id}), flush=True)
                ring = await line.next("ring", timeout=args.ring_seconds)
            finally:
                line.close()
            if ring["event"] != "ring":
                return {"error": ring}
            care_request_id = ring["data"]["care_request_id"]
            await client.post(f"/v1/care-requests/{care_request_id}/call/answer",
                              json={"call_id": ring["data"]["call_id"]}, timeout=10)
        else:
            response = await client.post(f"/v1/devices/{args.device_id}/press", json={"kind": args.help_kind},
                                         timeout=10)
            if response.status_code != 201:
                return {"error": f"pressing: {response.status_code} {response.text}"}
            pressed = response.json()
            care_request_id = pressed["id"]
            print(json.dumps({"pressed": care_request_id, "calls": len(pressed["calls"])}), flush=True)
            if not pressed["calls"] or pressed["calls"][-1]["state"] != "ringing":
                return {"care_request_id": care_request_id, "error": "the device cannot take a call"}
        return await talk(client, care_request_id, args)


def main(argv: list[str]) -> int:
    from linli_dev.demo import COMMUNITY
    from linli.kit.config import setting

    parser = argparse.ArgumentParser(prog="linli terminal", description=__doc__.split("\n\n")[0])
    parser.add_argument("--gateway", default=f"http://{setting('GATEWAY_HOST')}:{setting('GATEWAY_PORT')}")
    parser.add_argument("--device-id", required=True)
    parser.add_argument("--register-for", metavar="ELDER_ID", help="register the device to this elder first")
    parser.add_argument("--kind", choices=("pager", "video_terminal"), default="pager",
                        help="a pager with a speakerphone (voice), or a video terminal (voice and video)")
    parser.add_argument("--help-kind", default="emergency", help="what the press asks for")
    parser.add_argument("--community", default=COMMUNITY)
    parser.add_argument("--token", help="the device's bearer token (default: from the development issuer)")
    parser.add_argument("--issuer-dir", default=setting("LINLI_DEV_ISSUER_DIR"))
    parser.add_argument("--seconds", type=float, default=20.0, help="hang up after this long talking")
    parser.add_argument("--ring-seconds", type=float, default=120.0, help="give up when nobody answers by then")
    parser.add_argument("--tone", type=float, default=660.0, help="the tone the terminal sends, Hz")
    parser.add_argument("--record", help="write what the terminal hears to this WAV file")
    parser.add_argument("--relay-only", action="store_true", help="ICE through the TURN server alone")
    parser.add_argument("--listen", action="store_true", help="press nothing; wait for a call-back")
    parser.add_argument("--any-interface", action="store_true",
                        help="gather and accept candidates beyond loopback (a real deployment, not tests)")
    args = parser.parse_args(argv)
    summary = asyncio.run(run(args))
    print(json.dumps(summary), flush=True)
    return 0 if summary.get("connected") else 1
