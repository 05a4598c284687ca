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
from typing import Literal

import grpc

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from gateway.care_requests import CareRequest, CareRequestId, _call_options, _eldercare, to_rest
from gateway.problems import Problem
from gateway.rooms import Participant, SignallingRelay, room_kind
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.kit.config import number
from linli.kit.identity import Caller
from linli.kit.protomap import enum_number

log = logging.getLogger("linli.gateway.calls")

ROLE_NAMES = {pb.CALL_PARTICIPANT_ROLE_TERMINAL: "terminal", pb.CALL_PARTICIPANT_ROLE_OPERATOR: "operator"}


@room_kind("care-request")
async def care_request_room(request: Request, caller: Caller, room_id: str) -> Participant:
    reply = await request.app.state.eldercare.JoinCall(pb.JoinCallRequest(care_request_id=room_id),
                                                       **_call_options(request, caller))
    role = ROLE_NAMES.get(reply.role, "participant")
    calls = reply.care_request.calls
    on_leave = None
    if (request.method == "GET" and role == "terminal" and calls
            and calls[-1].state in (pb.CALL_STATE_RINGING, pb.CALL_STATE_ANSWERED)):
        on_leave = functools.partial(_terminal_gone, request, caller, room_id, calls[-1].id,
                                     reply.care_request.community_id)
    return Participant(caller.subject, role, reply.care_request.community_id, on_leave=on_leave)


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
    reply = await eldercare.AnswerCall(command, **_call_options(request, caller))
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/call/end", response_model=CareRequest)
async def end_call(care_request_id: CareRequestId, request: Request, body: EndIn | None = None,
                   caller: Caller = Depends(require_caller), eldercare=Depends(_eldercare)) -> dict:
    """Hang up, or report the call dropped, its media failed, or the terminal gone. The other side hears
    a `hangup` in the room at once."""
    body = body or EndIn()
    command = pb.EndCallRequest(care_request_id=care_request_id, call_id=body.call_id or "",
                                reason=enum_number(pb.CallEndReason, body.reason))
    reply = await eldercare.EndCall(command, **_call_options(request, caller))
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
    reply = await eldercare.RingTerminal(command, **_call_options(request, caller))
    call = reply.care_request.calls[-1]
    operator = Participant(caller.subject, "operator", reply.care_request.community_id)
    await _relay(request).publish(f"terminal/{call.device_id}", operator, None, "ring",
                                  care_request_id=care_request_id, call_id=call.id)
    return to_rest(reply.care_request)
