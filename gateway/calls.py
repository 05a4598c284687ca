"""Calls on care requests: the `care-request` kind of signalling room (gateway/rooms.py). Who may join is
the eldercare api's rule (JoinCall): the terminal that raised the request, and the operators serving its
community."""
from fastapi import Request

from gateway.care_requests import _call_options
from gateway.rooms import Participant, room_kind
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.kit.identity import Caller

ROLE_NAMES = {pb.CALL_PARTICIPANT_ROLE_TERMINAL: "terminal", pb.CALL_PARTICIPANT_ROLE_OPERATOR: "operator"}


@room_kind("care-request")
async def care_request_room(request: Request, caller: Caller, room_id: str) -> Participant:
    reply = await request.app.state.eldercare.JoinCall(pb.JoinCallRequest(care_request_id=room_id),
                                                       **_call_options(request, caller))
    return Participant(caller.subject, ROLE_NAMES.get(reply.role, "participant"), reply.care_request.community_id)
