"""Calls on care requests (docs/calls.md): answer, hang up, call the terminal back; and the two kinds of
signalling room they use (gateway/rooms.py):

- `care-request/<id>`: the call on a care request. Who may join is the eldercare api's rule (JoinCall): the
  terminal that raised the request or is rung on it, and the operators serving its community (once one has
  answered, that one alone);
- `terminal/<device id>`: the terminal's own line, which it listens on all the time; a call-back rings
  there (`ring`, naming the care request), so the terminal joins that request's room and picks up.

Who may do what is the api's decision; these routes map the REST calls, and tell the other side at once
(a `hangup` in the room when someone ends the call here, a `ring` on the terminal's line)."""
from typing import Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from gateway.care_requests import CareRequest, CareRequestId, _eldercare, to_rest
from gateway.common import call_options
from gateway.problems import Problem
from gateway.rooms import Participant, SignallingRelay, room_kind
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.kit.identity import Caller
from linli.kit.protomap import enum_number

ROLE_NAMES = {pb.CALL_PARTICIPANT_ROLE_TERMINAL: "terminal", pb.CALL_PARTICIPANT_ROLE_OPERATOR: "operator"}


@room_kind("care-request")
async def care_request_room(request: Request, caller: Caller, room_id: str) -> Participant:
    reply = await request.app.state.eldercare.JoinCall(pb.JoinCallRequest(care_request_id=room_id),
                                                       **call_options(request, caller))
    return Participant(caller.subject, ROLE_NAMES.get(reply.role, "participant"), reply.care_request.community_id)


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
