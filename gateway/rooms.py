"""Call signalling: rooms whose participants exchange WebRTC offers, answers, ICE candidates and hang-ups
through the gateway, and the TURN credentials (coturn, TURN REST API) their media needs.

A room has a kind and an id: `care-request/<id>` is the call on a care request (an elder's terminal and
an operator); other kinds (a teleconsultation) register their own rule for who may join. A kind's rule
authorizes every stream and every signal, from the caller's identity (JWT users, device tokens for
terminals), and names the caller's role in the room.

Server-Sent Events down (GET .../signals), POST up, like the board's stream: the same bearer header, the
same middleware (body limit, rate limit, problem+json for a malformed offer), plain HTTP/1.1 through any
ingress. Signals are few (one offer, one answer, a dozen candidates per call), so a POST each costs little.

Stateless across gateway replicas: a signal is published on RabbitMQ (topic exchange linli.signalling,
routing key room.<kind>.<id>) and every replica's one consumer hands it to its own streams of that room,
so two participants connected to different replicas still meet. Nothing is stored: a participant that
connects late hears the others' `join` presence and (re)starts negotiation; a signal sent while nobody
listens is gone, as a ring on a phone nobody holds.
"""
import asyncio
import json
import logging
import re
import secrets
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Literal

import pika
import pika.exceptions
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller, require_role
from gateway.livefeed import LiveFeed
from gateway.problems import Problem
from linli.kit import turn
from linli.kit.config import number, setting
from linli.kit.identity import Caller

log = logging.getLogger(__name__)

EXCHANGE = "linli.signalling"
OPENING = ": stream open\n\n"
HEARTBEAT = ": heartbeat\n\n"
MAX_SDP_BYTES = 64 * 1024
MAX_CANDIDATE_CHARS = 1024
# Who may get TURN credentials: whoever can take part in a call or a consultation.
CALL_ROLES = ("operator", "administrator", "device", "clinician", "resident", "family")

# -- TURN credentials -------------------------------------------------------------------------------


class IceServer(BaseModel):
    urls: list[str]
    username: str | None = None
    credential: str | None = None


class IceServers(BaseModel):
    """Give ice_servers to RTCPeerConnection's iceServers as they are (same names as the browser's)."""

    ice_servers: list[IceServer] = Field(serialization_alias="iceServers")
    expires_at: int = Field(description="Unix time after which the TURN credential is refused: fetch anew")
    ttl_seconds: int
    ice_transport_policy: Literal["all", "relay"] = Field(
        description="Give to RTCPeerConnection's iceTransportPolicy: relay sends media through TURN alone")


def ice_servers_for(caller: Caller) -> IceServers:
    secret = setting("LINLI_TURN_SECRET")
    urls = turn.urls(setting("LINLI_TURN_URLS"))
    if not secret or not urls:
        raise Problem(503, "unavailable", "Service unavailable", "No TURN server is configured for calls.")
    ttl = int(number("LINLI_TURN_TTL_SECONDS"))
    # The subject in the username lets coturn's log name who relayed; ':' is the username's separator.
    credential = turn.credential(secret, caller.subject.replace(":", "_"), ttl)
    return IceServers(ice_servers=[IceServer(urls=urls, username=credential.username,
                                             credential=credential.password)],
                      expires_at=credential.expires_at, ttl_seconds=ttl,
                      ice_transport_policy="relay" if setting("LINLI_ICE_TRANSPORT_POLICY") == "relay" else "all")


# -- rooms and who may join them --------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """A caller admitted to a room: who, and as what (a kind's own words: terminal, operator, ...)."""

    subject: str
    role: str
    community_id: str
    # Run when this participant's stream of the room closes: the kind's own follow-up (a call's guest
    # recorded as leaving; a terminal gone, its call ended after a grace).
    on_leave: Callable[[], Awaitable[None]] | None = field(default=None, compare=False)


# Decides whether the caller may take part in room `room_id` of a kind: a Participant, or a Problem (404
# when the room is not the caller's to know of, 403 when they see it but may not join).
RoomRule = Callable[[Request, Caller, str], Awaitable[Participant]]
ROOM_KINDS: dict[str, RoomRule] = {}


def room_kind(name: str) -> Callable[[RoomRule], RoomRule]:
    """Register the rule of a kind of room (gateway/calls.py: care-request)."""

    def register(rule: RoomRule) -> RoomRule:
        ROOM_KINDS[name] = rule
        return rule

    return register


# -- signals ----------------------------------------------------------------------------------------

_SDP_LINE = re.compile(r"[a-z]=[^\r\n]*")
_CANDIDATE = re.compile(
    r"candidate:[A-Za-z0-9+/=_-]{1,64} \d{1,5} (udp|tcp|UDP|TCP) \d{1,10} [0-9A-Za-z.:%_-]{1,255} \d{1,5} "
    r"typ (host|srflx|prflx|relay)( [\x21-\x7e]+)*")


def sdp_problems(sdp: str) -> list[str]:
    """What is wrong with a session description, in words; empty when it is a plausible WebRTC SDP."""
    if len(sdp.encode()) > MAX_SDP_BYTES:
        return [f"longer than {MAX_SDP_BYTES} bytes"]
    lines = [line for line in re.split(r"\r?\n", sdp) if line]
    if not lines or lines[0] != "v=0":
        return ["must start with v=0"]
    wrong = [f"line {n} is not <letter>=<value>" for n, line in enumerate(lines, 1) if not _SDP_LINE.fullmatch(line)]
    if wrong:
        return wrong[:3]
    problems = []
    if not any(line.startswith("o=") for line in lines):
        problems.append("has no origin (o=) line")
    if not any(line.startswith("m=") for line in lines):
        problems.append("has no media (m=) line")
    if not any(line.startswith("a=fingerprint:") for line in lines):
        problems.append("has no DTLS fingerprint (a=fingerprint:)")
    if not any(line.startswith("a=ice-ufrag:") for line in lines):
        problems.append("has no ICE credentials (a=ice-ufrag:)")
    return problems


class IceCandidate(BaseModel):
    """As RTCIceCandidate.toJSON() gives it; candidate "" means the end of candidates."""

    model_config = ConfigDict(extra="forbid")
    candidate: str = Field(max_length=MAX_CANDIDATE_CHARS)
    sdpMid: str | None = Field(None, max_length=32)
    sdpMLineIndex: int | None = Field(None, ge=0, le=64)
    usernameFragment: str | None = Field(None, max_length=256)


class SignalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a field this version does not know is a mistake, said so (422)
    type: Literal["offer", "answer", "candidate", "hangup", "mute"] = Field(
        description="offer/answer carry sdp; candidate carries candidate; hangup may carry reason; mute "
                    "carries muted (what the other side shows)")
    sdp: str | None = Field(None, max_length=MAX_SDP_BYTES)
    candidate: IceCandidate | None = None
    reason: str | None = Field(None, max_length=64, pattern=r"^[a-z_]+$")
    muted: bool | None = None
    peer: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{8,64}$",
                             description="The sender's peer id (the `welcome` frame of its stream)")
    to: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{8,64}$",
                           description="A peer id: only that peer gets the signal; none: everyone else in the room")


class SignalAccepted(BaseModel):
    id: str


class SignalFrom(BaseModel):
    subject: str
    role: str
    peer: str | None = None


class SignalData(BaseModel):
    """The JSON on the `data:` line of each frame of a room's stream; `event:` is its type. `welcome`
    (first) gives this stream's peer id; `join` and `leave` are other peers' presence; the rest are what
    a participant posted."""

    id: str
    type: str
    room: str
    sent_at: float
    from_: SignalFrom = Field(alias="from")
    sdp: str | None = None
    candidate: IceCandidate | None = None
    reason: str | None = None
    muted: bool | None = None
    to: str | None = None
    care_request_id: str | None = Field(None, description="`ring` on a terminal's line: the request to join")
    call_id: str | None = Field(None, description="`ring` and `hangup`: the call")


def check_signal(signal: SignalIn) -> None:
    """422 problem+json naming the field when an offer, answer or candidate is malformed."""
    errors = []
    if signal.type in ("offer", "answer"):
        if not signal.sdp:
            errors.append({"field": "sdp", "message": f"an {signal.type} needs its session description"})
        else:
            errors += [{"field": "sdp", "message": f"the session description {problem}"}
                       for problem in sdp_problems(signal.sdp)]
    elif signal.type == "candidate":
        if signal.candidate is None:
            errors.append({"field": "candidate", "message": "a candidate signal needs its candidate"})
        elif signal.candidate.candidate and not _CANDIDATE.fullmatch(signal.candidate.candidate):
            errors.append({"field": "candidate.candidate", "message": "not an ICE candidate line "
                           "(candidate:<foundation> <component> <udp|tcp> <priority> <address> <port> typ <type> ...)"})
        elif signal.candidate.sdpMid is None and signal.candidate.sdpMLineIndex is None:
            errors.append({"field": "candidate.sdpMid", "message": "sdpMid or sdpMLineIndex is required"})
    elif signal.type == "mute" and signal.muted is None:
        errors.append({"field": "muted", "message": "a mute signal says muted true or false"})
    if errors:
        raise Problem(422, "invalid-signal", "Invalid signal", "The signal is malformed.", errors=errors)


# -- the relay --------------------------------------------------------------------------------------


def _routing_key(room: str) -> str:
    return "room." + room.replace("/", ".")


@dataclass(eq=False)
class _Stream:
    room: str
    peer: str
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(maxsize=200))
    subject: str = ""

    def wants(self, message: dict) -> bool:
        if message.get("room") != self.room:
            return False
        to = message.get("to")
        if to:
            return to == self.peer
        return (message.get("from") or {}).get("peer") != self.peer


class SignallingRelay:
    """One live feed per gateway process (gateway/livefeed.py, like the board's) bound to every room; live
    only, like a phone line. Signals are published on a connection of their own."""

    def __init__(self, amqp_uri: str, heartbeat_seconds: float = 15.0, max_backoff_seconds: float = 30.0):
        self.amqp_uri = amqp_uri
        self.heartbeat_seconds = heartbeat_seconds
        self._streams: set[_Stream] = set()
        self._followups: set[asyncio.Task] = set()
        self._feed = LiveFeed("signalling", amqp_uri, [(EXCHANGE, "room.#")], self._fan_out, max_backoff_seconds)
        self._publisher: pika.BlockingConnection | None = None
        self._publish_lock = threading.Lock()

    @property
    def connected(self) -> bool:
        return self._feed.connected

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self._feed.wait_ready(timeout)

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._feed.start(loop)

    def stop(self, timeout: float = 5.0) -> None:
        self._feed.stop(timeout)
        with self._publish_lock:
            if self._publisher is not None and self._publisher.is_open:
                try:
                    self._publisher.close()
                except pika.exceptions.AMQPError:
                    pass
            self._publisher = None

    def close_streams(self) -> None:
        for stream in list(self._streams):
            self._streams.discard(stream)
            _end(stream)

    def _fan_out(self, message: dict) -> None:
        frame = f"event: {message['type']}\ndata: {json.dumps(message, ensure_ascii=False)}\n\n"
        for stream in list(self._streams):
            if stream.wants(message):
                try:
                    stream.queue.put_nowait(frame)
                except asyncio.QueueFull:
                    log.warning("signalling dropped a stream that does not read (room %s)", stream.room)
                    self._streams.discard(stream)
                    _end(stream)

    def _publish_blocking(self, room: str, body: bytes) -> None:
        with self._publish_lock:
            for attempt in (1, 2):  # a connection closed by the broker since: reconnect once
                try:
                    if self._publisher is None or not self._publisher.is_open:
                        self._publisher = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
                        self._publisher.channel().exchange_declare(EXCHANGE, exchange_type="topic", durable=True)
                    self._publisher.channel().basic_publish(EXCHANGE, _routing_key(room), body)
                    return
                except (pika.exceptions.AMQPError, OSError):
                    self._publisher = None
                    if attempt == 2:
                        raise

    async def publish(self, room: str, sender: Participant, peer: str | None, kind: str, **payload) -> str:
        message = {"id": uuid.uuid4().hex, "type": kind, "room": room, "sent_at": time.time(),
                   "from": {"subject": sender.subject, "role": sender.role, "peer": peer},
                   **{key: value for key, value in payload.items() if value is not None}}
        try:
            await asyncio.to_thread(self._publish_blocking, room, json.dumps(message).encode())
        except (pika.exceptions.AMQPError, OSError) as error:
            log.warning("cannot publish a signal to room %s: %r", room, error)
            raise Problem(503, "unavailable", "Service unavailable", "Signalling is unavailable; retry.",
                          headers={"Retry-After": "1"}) from None
        return message["id"]

    async def stream(self, room: str, participant: Participant) -> AsyncIterator[str]:
        """One participant's SSE body: `welcome` with its peer id, its `join` announced to the others,
        then their signals and heartbeats; its `leave` announced when it goes."""
        stream = _Stream(room, secrets.token_urlsafe(12), subject=participant.subject)
        self._streams.add(stream)  # before announcing: an answer to the join must find it
        try:
            welcome = {"id": uuid.uuid4().hex, "type": "welcome", "room": room, "sent_at": time.time(),
                       "from": {"subject": participant.subject, "role": participant.role, "peer": stream.peer}}
            yield OPENING + f"event: welcome\ndata: {json.dumps(welcome)}\n\n"
            await self.publish(room, participant, stream.peer, "join")
            while True:
                try:
                    frame = await asyncio.wait_for(stream.queue.get(), self.heartbeat_seconds)
                except TimeoutError:
                    yield HEARTBEAT
                    continue
                if frame is None:
                    return
                yield frame
        finally:
            self._streams.discard(stream)
            try:
                await asyncio.shield(self.publish(room, participant, stream.peer, "leave"))
            except (Problem, asyncio.CancelledError):
                pass
            if participant.on_leave is not None:
                task = asyncio.get_running_loop().create_task(participant.on_leave())
                self._followups.add(task)  # held until done: the loop keeps only weak references
                task.add_done_callback(self._followups.discard)

    def present(self, room: str, subject: str) -> bool:
        """Whether `subject` has a stream of `room` open on this gateway."""
        return any(s.room == room and s.subject == subject for s in self._streams)


def _end(stream: _Stream) -> None:
    while not stream.queue.empty():
        stream.queue.get_nowait()
    stream.queue.put_nowait(None)


# -- routes -----------------------------------------------------------------------------------------

router = APIRouter(tags=["calls"])

RoomKindName = Annotated[str, Path(pattern=r"^[a-z][a-z-]{1,31}$", description="care-request, ...")]
RoomId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class EventStream(StreamingResponse):
    media_type = "text/event-stream"


_SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
_STREAM_DOC = {200: {"description": "Server-Sent Events; each frame's data is a SignalData (see "
                                    "components.schemas); `: heartbeat` comments keep the connection open"}}


async def admit(request: Request, caller: Caller, kind: str, room_id: str) -> Participant:
    rule = ROOM_KINDS.get(kind)
    if rule is None:
        raise Problem(404, "not-found", "Not found", f"There are no rooms of kind {kind}.")
    return await rule(request, caller, room_id)


@router.get("/v1/calls/ice-servers", response_model=IceServers, response_model_by_alias=True)
async def get_ice_servers(caller: Caller = Depends(require_caller)) -> IceServers:
    """STUN/TURN servers for RTCPeerConnection, with a TURN credential of a few minutes (coturn's TURN REST
    API: username `<expiry>:<subject>`, password HMAC-SHA1 of it with the shared secret)."""
    require_role(caller, *CALL_ROLES)
    return ice_servers_for(caller)


@router.get("/v1/rooms/{kind}/{room_id}/signals", response_class=EventStream, responses=_STREAM_DOC)
async def room_signals(request: Request, kind: RoomKindName, room_id: RoomId,
                       caller: Caller = Depends(require_caller)) -> EventStream:
    """Server-Sent Events of a room: `welcome` (this stream's peer id), other peers' `join`/`leave`, and the
    offers, answers, candidates, mutes and hang-ups they address to this peer or to everyone."""
    participant = await admit(request, caller, kind, room_id)
    relay: SignallingRelay = request.app.state.signalling
    return EventStream(relay.stream(f"{kind}/{room_id}", participant), headers=_SSE_HEADERS)


@router.post("/v1/rooms/{kind}/{room_id}/signals", status_code=202, response_model=SignalAccepted)
async def post_signal(request: Request, kind: RoomKindName, room_id: RoomId, signal: SignalIn,
                      caller: Caller = Depends(require_caller)) -> SignalAccepted:
    """Send an offer, answer, ICE candidate, mute or hang-up to the room (to one peer with `to`). A
    malformed session description or candidate is refused with 422 and the field at fault."""
    participant = await admit(request, caller, kind, room_id)
    check_signal(signal)
    relay: SignallingRelay = request.app.state.signalling
    payload = signal.model_dump(exclude={"type", "peer"}, exclude_none=True)
    return SignalAccepted(id=await relay.publish(f"{kind}/{room_id}", participant, signal.peer, signal.type,
                                                 **payload))

