"""A participant of a consultation room in aiortc, for tests: the hospital's specialist entering with the
join link the partner exchange issued. It speaks a known tone and records what it hears, per peer.

Loopback only: aioice gathers this machine's addresses except loopback; here it gathers 127.0.0.1 alone
(linli_dev.terminal.loopback_only, as the terminal simulator does), and no STUN server is configured, so every packet it sends goes to 127.0.0.1 (to coturn's relayed
addresses of the browsers, which are on loopback too)."""
import asyncio
import fractions
import json
import math
import threading
import uuid

import httpx
import numpy
from aiortc import AudioStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from aiortc.sdp import candidate_from_sdp
from av import AudioFrame

from linli_dev.terminal import loopback_only, tone_share

RATE = 48_000
FRAME = 960  # 20 ms


loopback_only()


class Tone(AudioStreamTrack):
    """A sine wave at `hertz`, in real time."""

    def __init__(self, hertz: float):
        super().__init__()
        self.hertz = hertz
        self.sent = 0

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self.sent == 0:
            self._start = asyncio.get_running_loop().time()
        wait = self._start + self.sent / RATE - asyncio.get_running_loop().time()
        if wait > 0:
            await asyncio.sleep(wait)
        t = (numpy.arange(FRAME) + self.sent) / RATE
        samples = (numpy.sin(2 * math.pi * self.hertz * t) * 8000).astype(numpy.int16)
        frame = AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, self.sent, fractions.Fraction(1, RATE)
        self.sent += FRAME
        return frame


def energy_at(samples: numpy.ndarray, hertz: float) -> float:
    """The share of the signal's energy at `hertz` (linli_dev.terminal's measure: ~1 for a pure tone)."""
    return tone_share(samples, RATE, hertz)


class RoomPeer:
    """Enters the room in a thread of its own (an asyncio loop), answers every offer and offers to whoever
    enters after it; `heard[peer id]` is the mono audio received from that peer."""

    def __init__(self, gateway_url: str, join_url: str, tone_hertz: float = 880.0):
        self.signals = gateway_url + "/v1/teleconsultations/{}/room/signals".format(
            join_url.split("teleconsultation=", 1)[1].split("#", 1)[0])
        self.headers = {"X-Linli-Join-Token": join_url.split("#join=", 1)[1],
                        "X-Linli-Join-Device": uuid.uuid4().hex}
        self.tone_hertz = tone_hertz
        self.me: str | None = None
        self.roles: dict[str, str] = {}
        self.heard: dict[str, list[numpy.ndarray]] = {}
        self.connections: dict[str, RTCPeerConnection] = {}
        self.errors: list[BaseException] = []
        self.entered = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._task = None

    def start(self) -> "RoomPeer":
        self._thread.start()
        self._task = asyncio.run_coroutine_threadsafe(self._run(), self._loop)
        return self

    def stop(self) -> None:
        async def close():
            for pc in self.connections.values():
                await pc.close()

        if self._task is not None:
            self._task.cancel()
        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def samples_from(self, peer: str) -> numpy.ndarray:
        chunks = list(self.heard.get(peer, ()))
        return numpy.concatenate(chunks) if chunks else numpy.zeros(0, numpy.int16)

    async def _run(self) -> None:
        try:
            async with httpx.AsyncClient(timeout=httpx.Timeout(10, read=None)) as client:
                self._client = client
                async with client.stream("GET", self.signals, headers=self.headers) as response:
                    response.raise_for_status()
                    frame: dict = {}
                    async for line in response.aiter_lines():
                        if line == "":
                            if "data" in frame:
                                await self._on(frame.get("event", "message"), json.loads(frame["data"]))
                            frame = {}
                        elif not line.startswith(":"):
                            field, _, value = line.partition(":")
                            frame[field] = value.removeprefix(" ")
        except asyncio.CancelledError:
            raise
        except BaseException as error:  # reported to the test
            self.errors.append(error)

    async def _send(self, signal: dict) -> None:
        response = await self._client.post(self.signals, headers=self.headers, json={**signal, "peer": self.me})
        response.raise_for_status()

    def _connection(self, peer: str) -> RTCPeerConnection:
        if peer in self.connections:
            return self.connections[peer]
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))  # no STUN: host candidates on loopback alone
        self.connections[peer] = pc
        pc.addTrack(Tone(self.tone_hertz))

        @pc.on("track")
        def on_track(track):
            if track.kind == "audio":
                asyncio.ensure_future(self._record(peer, track))

        return pc

    async def _record(self, peer: str, track) -> None:
        chunks = self.heard.setdefault(peer, [])
        try:
            while True:
                frame = await track.recv()
                audio = frame.to_ndarray().reshape(-1, len(frame.layout.channels))[:, 0]  # the first channel
                chunks.append(audio.astype(numpy.int16))
        except MediaStreamError:
            return

    async def _on(self, event: str, data: dict) -> None:
        sender = data.get("from") or {}
        peer = sender.get("peer")
        if event == "welcome":
            self.me = peer
            self.entered.set()
        elif event == "join":
            self.roles[peer] = sender.get("role")
            pc = self._connection(peer)
            await pc.setLocalDescription(await pc.createOffer())  # aiortc gathers before it returns: no trickle
            await self._send({"type": "offer", "sdp": pc.localDescription.sdp, "to": peer})
        elif event == "offer":
            self.roles[peer] = sender.get("role")
            pc = self._connection(peer)
            await pc.setRemoteDescription(RTCSessionDescription(data["sdp"], "offer"))
            await pc.setLocalDescription(await pc.createAnswer())
            await self._send({"type": "answer", "sdp": pc.localDescription.sdp, "to": peer})
        elif event == "answer" and peer in self.connections:
            await self.connections[peer].setRemoteDescription(RTCSessionDescription(data["sdp"], "answer"))
        elif event == "candidate" and peer in self.connections and (data.get("candidate") or {}).get("candidate"):
            given = data["candidate"]
            candidate = candidate_from_sdp(given["candidate"].removeprefix("candidate:"))
            candidate.sdpMid, candidate.sdpMLineIndex = given.get("sdpMid"), given.get("sdpMLineIndex")
            await self.connections[peer].addIceCandidate(candidate)
        elif event in ("leave", "hangup") and peer in self.connections:
            await self.connections.pop(peer).close()
