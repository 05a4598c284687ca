"""Linli's consultation room of a teleconsultation (docs/calls.md, "Consultation rooms"): the page at
/consultation/ and its signalling, where the patient, the community clinician and the partner hospital's
specialist meet with audio and video.

Who gets in is the clinic's decision, against its record (services/clinic/domain/consultation_rooms.py):
every request carries the join token of the participant's own link (`X-Linli-Join-Token`). The patient's
and a clinician's token work only with their own bearer token beside it; the hospital's specialist has
no Linli account, so a partner's token stands alone, bound to the device that first used it
(`X-Linli-Join-Device`, a random key the page keeps for the tab).

These routes are the consultation room's own rather than a kind of /v1/rooms/{kind}/{id}/signals
(gateway/rooms.py) because those require a Linli bearer token, which a hospital's specialist does not
have. They reuse that module's relay (RabbitMQ fan-out across gateway replicas), its signal checks and
its TURN credentials. Each stream is recorded entering and leaving the room (EnterTeleconsultationRoom,
LeaveTeleconsultationRoom), which moves the session to in progress and completed."""
import asyncio
import logging
import secrets
from collections.abc import AsyncIterator
from typing import Annotated

import grpc
from fastapi import APIRouter, Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials

from gateway.auth import _bearer, require_caller
from gateway.clinic import Id, _options
from gateway.common import link_token
from gateway.rooms import (_SSE_HEADERS, _STREAM_DOC, EventStream, IceServers, Participant, SignalAccepted,
                           SignalIn, SignallingRelay, check_signal, ice_servers_for)
from linli.clinic.v1 import teleconsultations_pb2 as T
from linli.kit.identity import Caller

log = logging.getLogger(__name__)

# The subject the clinic sees for someone who holds only a join link (services/clinic/api/teleconsultations.py).
JOIN_LINK_SUBJECT = "join-link"
ROLE_NAMES = {"patient": "patient", "clinician": "clinician", "partner": "specialist"}

router = APIRouter(prefix="/v1/teleconsultations/{teleconsultation_id}/room", tags=["consultation rooms"])

JoinToken = Annotated[str | None, Header(alias="X-Linli-Join-Token", min_length=1, max_length=1024, description=(
    "The token of your own join link (after #join= in the link), the room's credential: without it, 401. "
    "The patient's and a clinician's work only with their own bearer token; a hospital's works alone, on "
    "the device that first used it."))]
JoinDevice = Annotated[str | None, Header(alias="X-Linli-Join-Device", pattern=r"^[A-Za-z0-9_-]{16,64}$",
                                          description="A random key your page keeps for the tab: required "
                                                      "with a hospital's link, which binds to it on first use")]


def join_token(token: JoinToken = None) -> str:
    return link_token(token, "X-Linli-Join-Token", "LinliJoinLink")


RoomPass = Annotated[str, Depends(join_token)]


async def signed_in(request: Request,
                    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Caller | None:
    """The caller when a bearer token is given (401 when it is not valid); None for a link alone."""
    return await require_caller(request, credentials) if credentials is not None else None


def _clinic_options(request: Request, caller: Caller | None) -> dict:
    return _options(request, caller or Caller(JOIN_LINK_SUBJECT, frozenset(), frozenset()), None)


async def _admitted(request: Request, caller: Caller | None, teleconsultation_id: str, token: str,
                    device: str | None) -> Participant:
    reply = await request.app.state.clinic.teleconsultations.CheckTeleconsultationRoomPass(
        T.CheckTeleconsultationRoomPassRequest(id=teleconsultation_id, join_token=token,
                                               device_key=device or ""),
        **_clinic_options(request, caller))
    return Participant(reply.subject, ROLE_NAMES.get(reply.participant, reply.participant), reply.community_id)


@router.get("/signals", response_class=EventStream, responses=_STREAM_DOC)
async def room_signals(request: Request, teleconsultation_id: Id, token: RoomPass, device: JoinDevice = None,
                       caller: Caller | None = Depends(signed_in)) -> EventStream:
    """Server-Sent Events of the consultation room, as for /v1/rooms/{kind}/{id}/signals: `welcome`, the
    others' `join`/`leave`, and the offers, answers and candidates sent to this peer. Entering is recorded
    on the teleconsultation; it is in progress once the patient and a clinician are in. Refused: another
    session's or a tampered link (404), someone else's link (403), an expired link, a room not open yet or
    closed, or full (409)."""
    clinic = request.app.state.clinic.teleconsultations
    stream_id = secrets.token_urlsafe(16)
    reply = await clinic.EnterTeleconsultationRoom(T.EnterTeleconsultationRoomRequest(
        id=teleconsultation_id, join_token=token, device_key=device or "", peer=stream_id),
        **_clinic_options(request, caller))
    participant = Participant(reply.subject, ROLE_NAMES.get(reply.participant, reply.participant),
                              reply.teleconsultation.community_id)
    relay: SignallingRelay = request.app.state.signalling
    body = relay.stream(f"teleconsultation/{teleconsultation_id}", participant)
    return EventStream(_recorded(request, caller, teleconsultation_id, stream_id, body), headers=_SSE_HEADERS)


async def _recorded(request: Request, caller: Caller | None, teleconsultation_id: str, stream_id: str,
                    body: AsyncIterator[str]) -> AsyncIterator[str]:
    """The stream's frames; when it ends (the client went away: the stream is cancelled), the clinic records
    the participant leaving the room, in a task of its own that the cancellation does not reach."""
    try:
        async for frame in body:
            yield frame
    finally:
        leaving = asyncio.get_running_loop().create_task(_leave(request, caller, teleconsultation_id, stream_id))
        _LEAVING.add(leaving)
        leaving.add_done_callback(_LEAVING.discard)


_LEAVING: set[asyncio.Task] = set()  # held until done (the loop keeps only weak references to tasks)


async def _leave(request: Request, caller: Caller | None, teleconsultation_id: str, stream_id: str) -> None:
    try:
        await request.app.state.clinic.teleconsultations.LeaveTeleconsultationRoom(
            T.LeaveTeleconsultationRoomRequest(id=teleconsultation_id, peer=stream_id), **_clinic_options(request, caller))
    except grpc.RpcError as error:
        log.warning("could not record leaving consultation room %s: %r", teleconsultation_id, error)


@router.post("/signals", status_code=202, response_model=SignalAccepted)
async def post_signal(request: Request, teleconsultation_id: Id, signal: SignalIn, token: RoomPass,
                      device: JoinDevice = None, caller: Caller | None = Depends(signed_in)) -> SignalAccepted:
    """Send an offer, answer, ICE candidate, mute or hang-up to the room (to one peer with `to`); the same
    checks as entering, and 422 for a malformed session description or candidate."""
    participant = await _admitted(request, caller, teleconsultation_id, token, device)
    check_signal(signal)
    relay: SignallingRelay = request.app.state.signalling
    payload = signal.model_dump(exclude={"type", "peer"}, exclude_none=True)
    return SignalAccepted(id=await relay.publish(f"teleconsultation/{teleconsultation_id}", participant,
                                                 signal.peer, signal.type, **payload))


@router.get("/ice-servers", response_model=IceServers, response_model_by_alias=True)
async def room_ice_servers(request: Request, teleconsultation_id: Id, token: RoomPass, device: JoinDevice = None,
                           caller: Caller | None = Depends(signed_in)) -> IceServers:
    """TURN credentials for the room's participants, the hospital's specialist included (who cannot use
    /v1/calls/ice-servers without a Linli account)."""
    participant = await _admitted(request, caller, teleconsultation_id, token, device)
    return ice_servers_for(Caller(participant.subject, frozenset(), frozenset()))
