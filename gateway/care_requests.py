"""REST resource /v1/care-requests over the eldercare gRPC api, and the one REST representation of a care
request (used by these routes and by the live board)."""
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from google.protobuf import json_format
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from linli.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc
from linli.kit.identity import Caller
from linli.kit.protomap import short_names


KIND_NAMES = short_names(eldercare_pb2.CareKind)
STATUS_NAMES = short_names(eldercare_pb2.CareRequestStatus)
CHANNEL_NAMES = short_names(eldercare_pb2.Channel)
# The proto is the one list of kinds and channels; "unspecified" is never valid input.
Kind = Literal[tuple(name for number, name in KIND_NAMES.items() if number)]
ChannelName = Literal[tuple(name for number, name in CHANNEL_NAMES.items() if number)]
_KIND_NUMBERS = {name: number for number, name in KIND_NAMES.items()}
_CHANNEL_NUMBERS = {name: number for number, name in CHANNEL_NAMES.items()}
_TIMESTAMPS = ("raised_at", "acknowledge_due_at", "acknowledged_at", "escalated_at")


def to_rest(care_request: eldercare_pb2.CareRequest) -> dict:
    """The REST representation: snake_case, short lower-case enums, RFC 3339 UTC times, null when unset."""
    message = care_request
    rest = {
        "id": message.id,
        "community_id": message.community_id,
        "elder_id": message.elder_id,
        "kind": KIND_NAMES.get(message.kind, "unknown"),
        "status": STATUS_NAMES.get(message.status, "unknown"),
        "priority": message.priority,
        "channel": CHANNEL_NAMES.get(message.channel, "unknown"),
        "location": None,
        "description": message.description,
        "raised_by": message.raised_by,
        "acknowledged_by": message.acknowledged_by or None,
        "escalation_level": message.escalation_level,
        "version": message.version,
    }
    if message.HasField("location"):
        where = message.location
        rest["location"] = {"building": where.building, "unit": where.unit, "floor": where.floor, "detail": where.detail}
    for name in _TIMESTAMPS:
        rest[name] = getattr(message, name).ToJsonString() if message.HasField(name) else None
    return rest


def from_event_json(care_request: dict) -> eldercare_pb2.CareRequest:
    """A care request as events carry it (proto JSON); fields a newer publisher added are ignored."""
    return json_format.ParseDict(care_request, eldercare_pb2.CareRequest(), ignore_unknown_fields=True)


class LocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    building: str = Field("", max_length=64)
    unit: str = Field("", max_length=64)
    floor: int = Field(0, ge=-10, le=200)
    detail: str = Field("", max_length=200)


class CareRequestIn(BaseModel):
    """A call for help. The api validates again; this keeps plainly bad input from reaching it."""

    model_config = ConfigDict(extra="forbid")
    community_id: str = Field(min_length=1, max_length=64)
    elder_id: str = Field(min_length=1, max_length=64)
    kind: Kind
    channel: ChannelName = "app"
    location: LocationIn | None = None
    description: str | None = Field(None, max_length=500)


IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", pattern=r"^[A-Za-z0-9._:-]{1,64}$", description="Makes retries safe"),
]
CareRequestId = Annotated[str, Path(min_length=1, max_length=128)]

router = APIRouter(prefix="/v1/care-requests", tags=["care requests"])


def _eldercare(request: Request) -> eldercare_pb2_grpc.EldercareServiceStub:
    return request.app.state.eldercare


def _call_options(request: Request, caller: Caller) -> dict:
    """Identity, request id and deadline for a gRPC call made on behalf of this HTTP request."""
    return {
        "metadata": [*caller.to_metadata(), ("x-request-id", request.state.request_id)],
        "timeout": request.app.state.grpc_timeout,
    }


@router.post("", status_code=201)
async def raise_care_request(
    body: CareRequestIn,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    command = eldercare_pb2.RaiseCareRequestRequest(
        community_id=body.community_id,
        elder_id=body.elder_id,
        kind=_KIND_NUMBERS[body.kind],
        channel=_CHANNEL_NUMBERS[body.channel],
        description=body.description or "",
        request_id=idempotency_key or "",
    )
    if body.location is not None:
        command.location.CopyFrom(eldercare_pb2.Location(**body.location.model_dump()))
    reply = await eldercare.RaiseCareRequest(command, **_call_options(request, caller))
    care_request = to_rest(reply.care_request)
    response.headers["Location"] = f"{router.prefix}/{quote(care_request['id'], safe='')}"
    return care_request


@router.get("")
async def list_open_care_requests(
    request: Request,
    community_id: Annotated[str | None, Query(max_length=64)] = None,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=1024)] = None,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """Open requests the caller may see, most urgent first; follow next_page_token until it is null."""
    query = eldercare_pb2.ListOpenCareRequestsRequest(
        community_id=community_id or "", page_size=page_size, page_token=page_token or ""
    )
    reply = await eldercare.ListOpenCareRequests(query, **_call_options(request, caller))
    return {
        "items": [to_rest(care_request) for care_request in reply.care_requests],
        "next_page_token": reply.next_page_token or None,
    }


@router.get("/{care_request_id}")
async def get_care_request(
    care_request_id: CareRequestId,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    query = eldercare_pb2.GetCareRequestRequest(id=care_request_id)
    reply = await eldercare.GetCareRequest(query, **_call_options(request, caller))
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/acknowledge")
async def acknowledge_care_request(
    care_request_id: CareRequestId,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    command = eldercare_pb2.AcknowledgeCareRequestRequest(id=care_request_id)
    reply = await eldercare.AcknowledgeCareRequest(command, **_call_options(request, caller))
    return to_rest(reply.care_request)
