"""Calls on care requests (docs/calls.md): answer, hang up, call the terminal back; and the two kinds of
signalling room they use (gateway/rooms.py):

- `care-request/<id>`: the call on a care request. Who may join is the eldercare api's rule (JoinCall): the
  terminal that raised the request or is rung on it, and the operators serving its community (once one has
  answered, that one alone);
- `terminal/<device id>`: the terminal's own line, which it listens on all the time; a call-back rings
  there (`ring`, naming the care request), so the terminal joins that request's room and picks up.

Who may do what is the api's decision; these routes map the REST calls, and tell the other side at once
(a `hangup` in the room when someone ends the call here, a `ring` on the terminal's line)."""
import asyncio
import functools
import logging
from typing import Annotated, Literal

import grpc
from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi import Path as FastApiPath
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from gateway.care_requests import CallGuest, CareRequest, CareRequestId, _eldercare, guest_to_rest, to_rest
from gateway.common import call_options, link_token
from gateway.problems import Problem
from gateway.rooms import (_SSE_HEADERS, _STREAM_DOC, EventStream, IceServers, Participant, SignalAccepted, SignalIn,
                           SignallingRelay, check_signal, ice_servers_for, room_kind)
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.kit.config import number
from linli.kit.identity import Caller
from linli.kit.protomap import enum_number

log = logging.getLogger(__name__)

ROLE_NAMES = {pb.CALL_PARTICIPANT_ROLE_TERMINAL: "terminal", pb.CALL_PARTICIPANT_ROLE_OPERATOR: "operator",
              pb.CALL_PARTICIPANT_ROLE_FAMILY: "family", pb.CALL_PARTICIPANT_ROLE_CLINICIAN: "clinician",
              pb.CALL_PARTICIPANT_ROLE_SPECIALIST: "specialist"}
# The subject eldercare sees for someone who holds only an invitation's token (a hospital's specialist).
INVITATION_SUBJECT = "call-invitation"


async def _join(request: Request, caller: Caller, care_request_id: str, token: str = "",
                entering: bool | None = None) -> Participant:
    """Admit the caller to the call's room (eldercare's JoinCall decides). A guest's stream opening (a GET
    of the signals) is recorded as their join, and its closing as their leaving."""
    entering = request.method == "GET" if entering is None else entering
    reply = await request.app.state.eldercare.JoinCall(
        pb.JoinCallRequest(care_request_id=care_request_id, invitation_token=token, entering=entering),
        **call_options(request, caller))
    on_leave = None
    if reply.guest_id and entering:
        async def on_leave() -> None:
            try:
                await request.app.state.eldercare.LeaveCall(pb.LeaveCallRequest(
                    care_request_id=care_request_id, guest_id=reply.guest_id, invitation_token=token),
                    **call_options(request, caller))
            except grpc.RpcError as error:
                log.warning("could not record a guest leaving the call on %s: %r", care_request_id, error)
    role = ROLE_NAMES.get(reply.role, "participant")
    calls = reply.care_request.calls
    if (entering and role == "terminal" and calls
            and calls[-1].state in (pb.CALL_STATE_RINGING, pb.CALL_STATE_ANSWERED)):
        on_leave = functools.partial(_terminal_gone, request, caller, care_request_id, calls[-1].id,
                                     reply.care_request.community_id)
    subject = caller.subject if not token else f"specialist:{reply.guest_id}"
    return Participant(subject, role, reply.care_request.community_id, on_leave=on_leave)


@room_kind("care-request")
async def care_request_room(request: Request, caller: Caller, room_id: str) -> Participant:
    return await _join(request, caller, room_id)


async def _terminal_gone(request: Request, caller: Caller, care_request_id: str, call_id: str,
                         community_id: str) -> None:
    """The terminal's stream of its live call's room closed. Unless it is back within
    GATEWAY_TERMINAL_GONE_SECONDS, the call ends as terminal_offline (the board stops ringing or drops the
    call, says why, and can call back) rather than ringing on until the request escalates. A call the
    terminal ended itself, or one that ended meanwhile, is left as it is."""
    room = f"care-request/{care_request_id}"
    await asyncio.sleep(number("GATEWAY_TERMINAL_GONE_SECONDS"))
    relay = _relay(request)
    if relay.present(room, caller.subject):
        return
    command = pb.EndCallRequest(care_request_id=care_request_id, call_id=call_id,
                                reason=pb.CALL_END_REASON_TERMINAL_OFFLINE)
    for attempt in range(1, 4):  # no client retries this for us: a busy api gets three tries
        try:
            await request.app.state.eldercare.EndCall(
                command, metadata=[*caller.to_metadata(), ("x-request-id", f"terminal-gone-{call_id}")],
                timeout=request.app.state.grpc_timeout)
            break
        except grpc.aio.AioRpcError as error:
            retry = error.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
            if not retry or attempt == 3:
                if error.code() not in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND):
                    log.warning("cannot end call %s of a terminal gone: %s", call_id, error.details())
                return
            await asyncio.sleep(attempt)
    log.info("call %s ended: terminal %s offline", call_id, caller.subject)
    await relay.publish(room, Participant(caller.subject, "terminal", community_id), None, "hangup",
                        reason="terminal_offline", call_id=call_id)


@room_kind("terminal")
async def terminal_line(request: Request, caller: Caller, room_id: str) -> Participant:
    """Only the terminal itself listens on its line (its device token); the gateway alone rings it."""
    if not (caller.has_role("device") and caller.subject == room_id):
        raise Problem(404, "not-found", "Not found", f"There is no line {room_id} of yours.")
    if request.method != "GET":
        raise Problem(403, "forbidden", "Forbidden", "A terminal's line only rings; answer in the call's room.")
    return Participant(caller.subject, "terminal", "")


# -- routes -------------------------------------------------------------------------------------------

router = APIRouter(prefix="/v1/care-requests", tags=["calls"])


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    call_id: str | None = Field(None, max_length=64, description="The call to answer; none: the one ringing")


class EndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    call_id: str | None = Field(None, max_length=64, description="The call to end; none: the live one")
    reason: Literal["hung_up", "dropped", "media_failed", "terminal_offline"] = Field(
        "hung_up", description="media_failed: ICE never connected (phone the elder back on callback_phone); "
                               "dropped: the media stopped under way; terminal_offline: the terminal never came")


class RingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    media: Literal["audio", "audio_video"] | None = Field(
        None, description="none: what the elder's terminal can do (video for a video terminal)")


def _relay(request: Request) -> SignallingRelay:
    return request.app.state.signalling


@router.post("/{care_request_id}/call/answer", response_model=CareRequest)
async def answer_call(care_request_id: CareRequestId, request: Request, body: AnswerIn | None = None,
                      caller: Caller = Depends(require_caller), eldercare=Depends(_eldercare)) -> dict:
    """Answer the elder's call: the first operator gets it, and answering acknowledges the request (its SLA
    clock stops). Another operator gets 409 naming who answered. A terminal picks up an operator's call."""
    command = pb.AnswerCallRequest(care_request_id=care_request_id, call_id=(body or AnswerIn()).call_id or "")
    reply = await eldercare.AnswerCall(command, **call_options(request, caller))
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/call/end", response_model=CareRequest)
async def end_call(care_request_id: CareRequestId, request: Request, body: EndIn | None = None,
                   caller: Caller = Depends(require_caller), eldercare=Depends(_eldercare)) -> dict:
    """Hang up, or report the call dropped, its media failed, or the terminal gone. The other side hears
    a `hangup` in the room at once."""
    body = body or EndIn()
    command = pb.EndCallRequest(care_request_id=care_request_id, call_id=body.call_id or "",
                                reason=enum_number(pb.CallEndReason, body.reason))
    reply = await eldercare.EndCall(command, **call_options(request, caller))
    ended = reply.care_request.calls[-1]
    who = Participant(caller.subject, "terminal" if caller.has_role("device") else "operator",
                      reply.care_request.community_id)
    await _relay(request).publish(f"care-request/{care_request_id}", who, None, "hangup", reason=body.reason,
                                  call_id=ended.id)
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/call", status_code=201, response_model=CareRequest)
async def ring_terminal(care_request_id: CareRequestId, request: Request, body: RingIn | None = None,
                        caller: Caller = Depends(require_caller), eldercare=Depends(_eldercare)) -> dict:
    """Call the elder's terminal back (from any open care request of an elder who has one): it rings on
    the terminal's line; the terminal joins the request's room and the operator sends the offer."""
    media = (body or RingIn()).media or ""
    command = pb.RingTerminalRequest(care_request_id=care_request_id, media=enum_number(pb.CallMedia, media))
    reply = await eldercare.RingTerminal(command, **call_options(request, caller))
    call = reply.care_request.calls[-1]
    operator = Participant(caller.subject, "operator", reply.care_request.community_id)
    await _relay(request).publish(f"terminal/{call.device_id}", operator, None, "ring",
                                  care_request_id=care_request_id, call_id=call.id)
    return to_rest(reply.care_request)


# -- a third person in the call -------------------------------------------------------------------------


class InvitationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    guest: Literal["family", "clinician", "specialist"] = Field(
        description="family: a contact of the elder with a Linli account (the operator on the call invites); "
                    "clinician: the community's clinician (the operator invites); specialist: a hospital's "
                    "specialist (the clinician in the call invites)")
    subject: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:@-]+$",
                         description="family: the family member's user id (as on the elder's contacts); "
                                     "clinician: the clinician's user id; specialist: a name for them")
    expires_in_seconds: int = Field(600, ge=5, le=3600,
                                    description="The invitation is refused if not used by then")


class InvitationOut(BaseModel):
    invitation: CallGuest
    invitation_token: str | None = Field(
        None, description="A specialist's token, given once: they send it as X-Linli-Invitation-Token on "
                          "/v1/care-requests/{id}/call/guest/signals and .../guest/ice-servers. null for "
                          "family and clinicians, who join /v1/rooms/care-request/{id}/signals with their "
                          "own sign-in")
    care_request: CareRequest


@router.post("/{care_request_id}/call/invitations", status_code=201, response_model=InvitationOut)
async def invite_to_call(care_request_id: CareRequestId, request: Request, body: InvitationIn,
                         caller: Caller = Depends(require_caller), eldercare=Depends(_eldercare)) -> dict:
    """Bring a third person into the call in progress. The operator on the call invites a family contact
    of the elder or the community's clinician, who join the call's room with their own sign-in; the
    clinician in the call invites a hospital's specialist, who joins with the token returned here. Only
    the invited person gets in, before the invitation expires, while the call lasts; the call records
    when they joined and left. Refused: someone else's call (403), no call in progress or a guest already
    invited (409), a family subject not among the elder's contacts (422)."""
    command = pb.InviteToCallRequest(care_request_id=care_request_id, kind=enum_number(pb.CallGuestKind, body.guest),
                                     subject=body.subject, expires_in_seconds=body.expires_in_seconds)
    reply = await eldercare.InviteToCall(command, **call_options(request, caller))
    return {"invitation": guest_to_rest(reply.guest), "invitation_token": reply.invitation_token or None,
            "care_request": to_rest(reply.care_request)}


InvitationToken = Annotated[str | None, Header(
    alias="X-Linli-Invitation-Token", min_length=1, max_length=256,
    description="The specialist's invitation token (POST .../call/invitations), the room's credential: without it, 401")]


def invitation_token(token: InvitationToken = None) -> str:
    return link_token(token, "X-Linli-Invitation-Token", "LinliInvitation")


GuestPass = Annotated[str, Depends(invitation_token)]
_GUEST = Caller(INVITATION_SUBJECT, frozenset(), frozenset())


@router.get("/{care_request_id}/call/guest/signals", response_class=EventStream, responses=_STREAM_DOC)
async def guest_signals(care_request_id: CareRequestId, request: Request, token: GuestPass) -> EventStream:
    """The call's room for a hospital's specialist, who has no Linli account: the same frames as
    /v1/rooms/care-request/{id}/signals, admitted by the invitation's token. Refused: no token (401), a
    token not of this call (404), an invitation expired before it was first used (409)."""
    participant = await _join(request, _GUEST, care_request_id, token)
    relay: SignallingRelay = request.app.state.signalling
    return EventStream(relay.stream(f"care-request/{care_request_id}", participant),
                       headers=_SSE_HEADERS)


@router.post("/{care_request_id}/call/guest/signals", status_code=202, response_model=SignalAccepted)
async def guest_signal(care_request_id: CareRequestId, request: Request, signal: SignalIn,
                       token: GuestPass) -> SignalAccepted:
    """Send an offer, answer, candidate, mute or hang-up to the call's room as the invited specialist."""
    participant = await _join(request, _GUEST, care_request_id, token)
    check_signal(signal)
    payload = signal.model_dump(exclude={"type", "peer"}, exclude_none=True)
    return SignalAccepted(id=await _relay(request).publish(f"care-request/{care_request_id}", participant,
                                                           signal.peer, signal.type, **payload))


@router.get("/{care_request_id}/call/guest/ice-servers", response_model=IceServers, response_model_by_alias=True)
async def guest_ice_servers(care_request_id: CareRequestId, request: Request, token: GuestPass) -> IceServers:
    """TURN credentials for the invited specialist (who cannot use /v1/calls/ice-servers)."""
    participant = await _join(request, _GUEST, care_request_id, token, entering=False)
    return ice_servers_for(Caller(participant.subject, frozenset(), frozenset()))


# -- recording, only with the elder's consent ---------------------------------------------------------------


class CallRecording(BaseModel):
    """A piece of a call's recording, kept with the care request until purge_after."""

    id: str
    care_request_id: str
    call_id: str
    content_type: str
    size_bytes: int
    sha256: str = Field(description="Hex SHA-256 of the audio")
    recorded_by: str
    recorded_at: str | None
    purge_after: str | None = Field(description="The end of the retention period: the recording is purged then")


class CallRecordings(BaseModel):
    items: list[CallRecording]


class RecordingAccess(BaseModel):
    recording_id: str
    care_request_id: str
    action: Literal["stored", "listed", "fetched", "purged"]
    by: str
    at: str | None


class RecordingAccesses(BaseModel):
    items: list[RecordingAccess]


def _when(holder, name: str) -> str | None:
    return getattr(holder, name).ToJsonString() if holder.HasField(name) else None


def recording_to_rest(recording: pb.CallRecording) -> dict:
    return {"id": recording.id, "care_request_id": recording.care_request_id, "call_id": recording.call_id,
            "content_type": recording.content_type, "size_bytes": recording.size_bytes, "sha256": recording.sha256,
            "recorded_by": recording.recorded_by, "recorded_at": _when(recording, "recorded_at"),
            "purge_after": _when(recording, "purge_after")}


RECORDING_TYPES = ("audio/ogg", "audio/webm", "audio/wav")
RecordingId = Annotated[str, FastApiPath(pattern=r"^[0-9a-f-]{36}$")]
_AUDIO_BODY = {"requestBody": {"required": True, "description": "The recorded audio, at most the gateway's body "
                               "limit (GATEWAY_MAX_BODY_BYTES) a piece: a longer call is stored in pieces",
                               "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                                           for kind in RECORDING_TYPES}}}


@router.post("/{care_request_id}/call/recordings", status_code=201, response_model=CallRecording,
             openapi_extra=_AUDIO_BODY)
async def store_recording(care_request_id: CareRequestId, request: Request, call_id: str | None = None,
                          caller: Caller = Depends(require_caller), eldercare=Depends(_eldercare)) -> dict:
    """Store a piece of the call's recording (the operator on the call in progress). Only if the elder
    consents to recording (`calls[].recording_allowed` shows it; checked again here): otherwise 409 and
    nothing is kept; a body not of the audio types, 400. Kept until `purge_after`
    (ELDERCARE_RECORDING_RETENTION_DAYS); storing is audited."""
    # The type is checked by eldercare after who may record: a caller learns nothing before that.
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()[:64]
    if call_id is not None and not (0 < len(call_id) <= 64):
        raise Problem(422, "invalid-request", "Invalid request", "call_id is 1 to 64 characters.",
                      errors=[{"field": "call_id", "message": "1 to 64 characters"}])
    command = pb.StoreCallRecordingRequest(care_request_id=care_request_id, call_id=call_id or "",
                                           content_type=content_type, audio=await request.body())
    reply = await eldercare.StoreCallRecording(command, **call_options(request, caller))
    return recording_to_rest(reply.recording)


@router.get("/{care_request_id}/call/recordings", response_model=CallRecordings)
async def list_recordings(care_request_id: CareRequestId, request: Request, caller: Caller = Depends(require_caller),
                          eldercare=Depends(_eldercare)) -> dict:
    """The care request's recordings (staff serving its community). Every listing is audited."""
    reply = await eldercare.ListCallRecordings(pb.ListCallRecordingsRequest(care_request_id=care_request_id),
                                               **call_options(request, caller))
    return {"items": [recording_to_rest(r) for r in reply.recordings]}


@router.get("/{care_request_id}/call/recordings/{recording_id}", response_class=Response,
            responses={200: {"description": "The recorded audio", "content": {
                kind: {"schema": {"type": "string", "format": "binary"}} for kind in RECORDING_TYPES}}})
async def get_recording(care_request_id: CareRequestId, recording_id: RecordingId, request: Request,
                        caller: Caller = Depends(require_caller), eldercare=Depends(_eldercare)) -> Response:
    """A recording's audio (staff serving the community). Every download is audited."""
    reply = await eldercare.GetCallRecording(pb.GetCallRecordingRequest(
        care_request_id=care_request_id, recording_id=recording_id), **call_options(request, caller))
    return Response(reply.audio, media_type=reply.recording.content_type,
                    headers={"Cache-Control": "no-store", "X-Content-SHA256": reply.recording.sha256})


@router.get("/{care_request_id}/call/recording-accesses", response_model=RecordingAccesses)
async def list_recording_accesses(care_request_id: CareRequestId, request: Request,
                                  caller: Caller = Depends(require_caller), eldercare=Depends(_eldercare)) -> dict:
    """The audit of the care request's recordings: who stored, listed, fetched or purged which, and when
    (administrators of its community)."""
    reply = await eldercare.ListRecordingAccesses(pb.ListRecordingAccessesRequest(care_request_id=care_request_id),
                                                  **call_options(request, caller))
    return {"items": [{"recording_id": a.recording_id, "care_request_id": a.care_request_id, "action": a.action,
                       "by": a.by, "at": _when(a, "at")} for a in reply.accesses]}
