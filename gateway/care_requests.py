"""REST resource /v1/care-requests over the eldercare gRPC api: the whole lifecycle (raise, acknowledge, assign,
accept or decline, travel, arrive, complete, close, cancel, escalate, rate), the live calls and the visits
booked for later (/v1/care-requests/upcoming), the caller's own requests
(/v1/me/care-requests), the day's figures (/v1/figures/care), and the one REST representation of a care
request (used by these routes and by the live board).

Who may do what is the api's decision (services/eldercare/domain/care_requests.py); these routes only check
the shape of the input and map gRPC errors to problems."""
from datetime import timezone
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from google.protobuf import json_format
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from gateway.common import IdempotencyKey, call_options, require_caller
from gateway.models import (ID_PATTERN, CommunityQuery, DayQuery, GeoPointIn, Id, OptionalDayQuery, PageSize,
                            PageToken, RequiredCommunityQuery)
from linli.eldercare.v1 import common_pb2, eldercare_pb2, eldercare_pb2_grpc
from linli.kit.identity import Caller
from linli.kit.protomap import short_names


KIND_NAMES = short_names(eldercare_pb2.CareKind)
STATUS_NAMES = short_names(eldercare_pb2.CareRequestStatus)
CHANNEL_NAMES = short_names(eldercare_pb2.Channel)
DISPOSITION_NAMES = short_names(eldercare_pb2.Disposition)
ASSIGNEE_KIND_NAMES = short_names(eldercare_pb2.AssigneeKind)
POSITION_SOURCE_NAMES = short_names(eldercare_pb2.PositionSource)
# The proto is the one list of kinds, channels, dispositions; "unspecified" is never valid input.
Kind = Literal[tuple(name for number, name in KIND_NAMES.items() if number)]
ChannelName = Literal[tuple(name for number, name in CHANNEL_NAMES.items() if number)]
DispositionName = Literal[tuple(name for number, name in DISPOSITION_NAMES.items() if number)]
AssigneeKindName = Literal[tuple(name for number, name in ASSIGNEE_KIND_NAMES.items() if number)]
_KIND_NUMBERS = {name: number for number, name in KIND_NAMES.items()}
_CHANNEL_NUMBERS = {name: number for number, name in CHANNEL_NAMES.items()}
_DISPOSITION_NUMBERS = {name: number for number, name in DISPOSITION_NAMES.items()}
_ASSIGNEE_KIND_NUMBERS = {name: number for number, name in ASSIGNEE_KIND_NAMES.items()}
_TIMESTAMPS = ("raised_at", "acknowledge_due_at", "acknowledged_at", "escalated_at", "eta", "scheduled_for")


def _named(names: dict[int, str]):
    """The output enum of a proto enum: its short names, and "unknown" for a value newer than this gateway."""
    return Literal[tuple(name for number, name in names.items() if number) + ("unknown",)]


def name_of(names: dict[int, str], number: int) -> str:
    return names.get(number) or "unknown"


# -- output: the one REST representation, as the published contract (/openapi.json) describes it --------

Time = Annotated[str, Field(description="RFC 3339, UTC", json_schema_extra={"format": "date-time"})]
KindOut, StatusOut, ChannelOut = _named(KIND_NAMES), _named(STATUS_NAMES), _named(CHANNEL_NAMES)


class GeoPoint(BaseModel):
    latitude: float
    longitude: float


class Location(BaseModel):
    building: str
    unit: str
    floor: int
    detail: str


class Assignment(BaseModel):
    assignee_id: str
    assignee_kind: _named(ASSIGNEE_KIND_NAMES)
    assignee_name: str
    assigned_by: str
    assigned_at: Time | None
    accept_due_at: Time | None
    accepted_at: Time | None
    override_reason: str | None


class Visit(BaseModel):
    visitor_id: str
    checked_in_at: Time | None
    checked_in_at_position: GeoPoint | None
    distance_m: float
    override_reason: str | None
    override_by: str | None
    checked_out_at: Time | None
    notes: str


class Feedback(BaseModel):
    rating: int
    comment: str
    rated_by: str
    rated_at: Time | None


class Transition(BaseModel):
    status: StatusOut
    at: Time | None
    by: str
    note: str


CALL_MEDIA_NAMES = short_names(eldercare_pb2.CallMedia)
CALL_STATE_NAMES = short_names(eldercare_pb2.CallState)
CALL_DIRECTION_NAMES = short_names(eldercare_pb2.CallDirection)
CALL_END_REASON_NAMES = short_names(eldercare_pb2.CallEndReason)


CALL_GUEST_KIND_NAMES = short_names(eldercare_pb2.CallGuestKind)


class CallGuest(BaseModel):
    """A third person invited into a call, and when they joined and left."""

    id: str
    kind: _named(CALL_GUEST_KIND_NAMES) = Field(
        description="family (a contact of the elder), clinician (the community's) or specialist (a hospital's)")
    subject: str = Field(description="The invited Linli user; for a specialist, the name the clinician gave")
    invited_by: str
    invited_at: Time | None
    expires_at: Time | None = Field(description="Not joined by then: the invitation is refused")
    joined_at: Time | None
    left_at: Time | None = Field(description="null while in the call, or never joined")


def guest_to_rest(guest: eldercare_pb2.CallGuest) -> dict:
    return {"id": guest.id, "kind": name_of(CALL_GUEST_KIND_NAMES, guest.kind), "subject": guest.subject,
            "invited_by": guest.invited_by, "invited_at": _time(guest, "invited_at"),
            "expires_at": _time(guest, "expires_at"), "joined_at": _time(guest, "joined_at"),
            "left_at": _time(guest, "left_at")}


class Call(BaseModel):
    """A voice (or voice and video) call between the elder's terminal and the command centre."""

    id: str
    media: _named(CALL_MEDIA_NAMES) = Field(description="audio, or audio_video for a video terminal")
    state: _named(CALL_STATE_NAMES) = Field(description="ringing, answered or ended")
    direction: _named(CALL_DIRECTION_NAMES) = Field(
        description="from_terminal (the elder pressed) or to_terminal (an operator called back)")
    device_id: str
    offered_at: Time | None
    offered_by: str
    answered_at: Time | None
    answered_by: str | None
    ended_at: Time | None
    end_reason: _named(CALL_END_REASON_NAMES) | None = Field(
        description="hung_up, dropped, unanswered, terminal_offline or media_failed")
    ended_by: str | None
    duration_seconds: int = Field(description="From answered to ended; 0 when never answered")
    callback_phone: str | None = Field(description="The elder's phone on file, to call back by phone")
    guests: list[CallGuest] = Field(default_factory=list,
                                    description="Third persons invited into the call, in the order invited")
    recording_allowed: bool = Field(False, description="The elder consented to recording when it was answered: "
                                                       "the call may be recorded (show it to the operator)")


def call_to_rest(call: eldercare_pb2.Call) -> dict:
    return {
        "id": call.id, "media": name_of(CALL_MEDIA_NAMES, call.media), "state": name_of(CALL_STATE_NAMES, call.state),
        "direction": name_of(CALL_DIRECTION_NAMES, call.direction), "device_id": call.device_id,
        "offered_at": _time(call, "offered_at"), "offered_by": call.offered_by,
        "answered_at": _time(call, "answered_at"), "answered_by": call.answered_by or None,
        "ended_at": _time(call, "ended_at"), "end_reason": CALL_END_REASON_NAMES.get(call.end_reason) or None,
        "ended_by": call.ended_by or None, "duration_seconds": call.duration_seconds,
        "callback_phone": call.callback_phone or None,
        "guests": [guest_to_rest(guest) for guest in call.guests],
        "recording_allowed": call.recording_allowed,
    }


class CareRequest(BaseModel):
    """A call for help and everything that happened to it. Times are UTC; null means "not (yet)"."""

    id: str
    community_id: str
    elder_id: str
    kind: KindOut
    status: StatusOut
    priority: int = Field(description="Lower is more urgent")
    channel: ChannelOut
    device_id: str | None
    location: Location | None
    position: GeoPoint | None = Field(
        description="Where to go: the elder's registered home, with their location consent (always for "
                    "emergencies), or the elder's own phone's fix when their app sent one")
    position_source: _named(POSITION_SOURCE_NAMES) | None = Field(
        description="Where position came from: home_address (the elder's registered home: a call from an "
                    "operator or the app), device (their call device, installed at home), phone_gps (the "
                    "elder's phone); null without a position")
    position_accuracy_m: float | None = Field(
        description="The phone's stated accuracy in metres (phone_gps only; the check-in geofence widens by it)")
    description: str
    raised_by: str
    acknowledged_by: str | None
    escalation_level: int
    escalated_to: str | None
    assignment: Assignment | None
    visit: Visit | None
    disposition: _named(DISPOSITION_NAMES) | None
    cancel_reason: str | None
    feedback: Feedback | None
    history: list[Transition]
    version: int = Field(description="Grows by one with every change")
    raised_at: Time | None
    acknowledge_due_at: Time | None
    acknowledged_at: Time | None
    escalated_at: Time | None
    eta: Time | None
    scheduled_for: Time | None = Field(
        description="A visit booked for later: when it is wanted (its SLA and escalation run from then); "
                    "null for a call to answer now")
    calls: list[Call] = Field(description="Voice or video calls on it, oldest first; the last may be ringing "
                                          "or under way")


class CareRequestPage(BaseModel):
    items: list[CareRequest]
    next_page_token: str | None = Field(description="Pass as page_token for the next page; null on the last")


class Candidate(BaseModel):
    assignee_id: str
    assignee_kind: _named(ASSIGNEE_KIND_NAMES)
    name: str
    distance_m: float = Field(description="0 when the candidate's position is unknown")
    load: int = Field(description="Jobs they have now")
    reasons: list[str]


class Candidates(BaseModel):
    items: list[Candidate]


class CareFigureRow(BaseModel):
    day: str
    kind: KindOut
    raised: int
    acknowledged: int
    acknowledge_p50_seconds: float
    acknowledge_p90_seconds: float
    acknowledged_within_sla_share: float
    arrived: int
    arrive_p50_seconds: float
    arrive_p90_seconds: float
    completed: int
    cancelled: int
    escalated: int
    average_rating: float


class CareFigures(BaseModel):
    community_id: str
    items: list[CareFigureRow]


def _time(holder, name: str) -> str | None:
    return getattr(holder, name).ToJsonString() if holder.HasField(name) else None


def _point(point: common_pb2.GeoPoint) -> dict:
    return {"latitude": point.latitude, "longitude": point.longitude}


def _assignment(a: eldercare_pb2.Assignment) -> dict:
    return {
        "assignee_id": a.assignee_id,
        "assignee_kind": name_of(ASSIGNEE_KIND_NAMES, a.assignee_kind),
        "assignee_name": a.assignee_name,
        "assigned_by": a.assigned_by,
        "assigned_at": _time(a, "assigned_at"),
        "accept_due_at": _time(a, "accept_due_at"),
        "accepted_at": _time(a, "accepted_at"),
        "override_reason": a.override_reason or None,
    }


def _visit(v: eldercare_pb2.Visit) -> dict:
    return {
        "visitor_id": v.visitor_id,
        "checked_in_at": _time(v, "checked_in_at"),
        "checked_in_at_position": _point(v.checked_in_at_position) if v.HasField("checked_in_at_position") else None,
        "distance_m": v.distance_m,
        "override_reason": v.override_reason or None,
        "override_by": v.override_by or None,
        "checked_out_at": _time(v, "checked_out_at"),
        "notes": v.notes,
    }


def to_rest(care_request: eldercare_pb2.CareRequest) -> dict:
    """The REST representation: snake_case, short lower-case enums, RFC 3339 UTC times, null when unset."""
    message = care_request
    rest = {
        "id": message.id,
        "community_id": message.community_id,
        "elder_id": message.elder_id,
        "kind": name_of(KIND_NAMES, message.kind),
        "status": name_of(STATUS_NAMES, message.status),
        "priority": message.priority,
        "channel": name_of(CHANNEL_NAMES, message.channel),
        "device_id": message.device_id or None,
        "location": None,
        "position": _point(message.position) if message.HasField("position") else None,
        "position_source": POSITION_SOURCE_NAMES.get(message.position_source, "unknown") or None,
        "position_accuracy_m": message.position_accuracy_m or None,
        "description": message.description,
        "raised_by": message.raised_by,
        "acknowledged_by": message.acknowledged_by or None,
        "escalation_level": message.escalation_level,
        "escalated_to": message.escalated_to or None,
        "assignment": _assignment(message.assignment) if message.HasField("assignment") else None,
        "visit": _visit(message.visit) if message.HasField("visit") else None,
        "disposition": DISPOSITION_NAMES.get(message.disposition) or None,
        "cancel_reason": message.cancel_reason or None,
        "feedback": None,
        "history": [{"status": name_of(STATUS_NAMES, t.status), "at": _time(t, "at"), "by": t.by,
                     "note": t.note} for t in message.history],
        "version": message.version,
        "calls": [call_to_rest(call) for call in message.calls],
    }
    if message.HasField("location"):
        where = message.location
        rest["location"] = {"building": where.building, "unit": where.unit, "floor": where.floor, "detail": where.detail}
    if message.HasField("feedback"):
        f = message.feedback
        rest["feedback"] = {"rating": f.rating, "comment": f.comment, "rated_by": f.rated_by,
                            "rated_at": _time(f, "rated_at")}
    for name in _TIMESTAMPS:
        rest[name] = _time(message, name)
    return rest


def from_event_json(care_request: dict) -> eldercare_pb2.CareRequest:
    """A care request as events carry it (proto JSON); fields a newer publisher added are ignored."""
    return json_format.ParseDict(care_request, eldercare_pb2.CareRequest(), ignore_unknown_fields=True)


# -- input ---------------------------------------------------------------------------------------------
# The api validates again; these keep plainly bad input from reaching it, with field-level problems.

class LocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    building: str = Field("", max_length=64)
    unit: str = Field("", max_length=64)
    floor: int = Field(0, ge=-10, le=200)
    detail: str = Field("", max_length=200)


class CareRequestIn(BaseModel):
    """A call for help."""

    model_config = ConfigDict(extra="forbid")
    community_id: str = Field(pattern=ID_PATTERN)
    elder_id: str = Field(pattern=ID_PATTERN)
    kind: Kind
    channel: ChannelName = "app"
    location: LocationIn | None = None
    description: str | None = Field(None, max_length=500)
    position: GeoPointIn | None = Field(
        None, description="The elder's own phone's fix (channel app, raised by the elder themself), with "
                          "position_accuracy_m. Omitted: the elder's registered home is used, as for a device "
                          "press (its map position with their location consent or in an emergency).")
    position_accuracy_m: float | None = Field(
        None, gt=0, le=5000, description="The fix's accuracy in metres; required with position")
    scheduled_for: AwareDatetime | None = Field(
        None, description="Book a visit for later (operators; not emergencies): a time with its zone, in the "
                          "future, at most 92 days ahead. Omitted: a call to answer now.")


Note = Annotated[str, Field(max_length=500)]
RequiredNote = Annotated[str, Field(min_length=1, max_length=500)]


class AssignIn(BaseModel):
    """Whom to send. override_reason is required (by the api) when they are not among the candidates."""

    model_config = ConfigDict(extra="forbid")
    assignee_id: str = Field(pattern=ID_PATTERN)
    assignee_kind: AssigneeKindName = "staff"
    override_reason: Note = ""


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: RequiredNote


class EnRouteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    eta_minutes: int = Field(ge=1, le=240)


class ArriveIn(BaseModel):
    """The assignee checks in with where they are; an operator may check them in anywhere, with a reason."""

    model_config = ConfigDict(extra="forbid")
    position: GeoPointIn | None = None
    override_reason: Note = ""


class CompleteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notes: Note = ""


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disposition: DispositionName
    note: Note = ""


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: int = Field(ge=1, le=5)
    comment: Note = ""


CareRequestId = Id

router = APIRouter(prefix="/v1/care-requests", tags=["care requests"])
# The caller's own requests and the figures live outside /v1/care-requests but speak the same language.
me_router = APIRouter(tags=["care requests"])


async def _eldercare(request: Request) -> eldercare_pb2_grpc.EldercareServiceStub:
    return request.app.state.eldercare


def _page(care_requests, next_page_token: str) -> dict:
    return {"items": [to_rest(c) for c in care_requests], "next_page_token": next_page_token or None}


# -- collection ----------------------------------------------------------------------------------------

@router.post("", status_code=201, response_model=CareRequest)
async def raise_care_request(
    body: CareRequestIn,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """Raise a call for help for an elder registered in the community: operators for anyone they serve,
    a resident for themself, a family member for the elders who list them as a contact (403 otherwise);
    404 when no such elder is registered in the community. The request goes to the elder's registered door
    (unless location names another place) and carries their home's map position with their location
    consent or in an emergency, or the elder's own phone's fix when their app sends one; position_source
    says which."""
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
    if body.position is not None:
        command.position.CopyFrom(common_pb2.GeoPoint(**body.position.model_dump()))
    if body.position_accuracy_m is not None:
        command.position_accuracy_m = body.position_accuracy_m
    if body.scheduled_for is not None:
        command.scheduled_for.FromDatetime(body.scheduled_for.astimezone(timezone.utc))
    reply = await eldercare.RaiseCareRequest(command, **call_options(request, caller))
    care_request = to_rest(reply.care_request)
    response.headers["Location"] = f"{router.prefix}/{quote(care_request['id'], safe='')}"
    return care_request


@router.get("", response_model=CareRequestPage)
async def list_open_care_requests(
    request: Request,
    community_id: CommunityQuery = None,
    page_size: PageSize = 50,
    page_token: PageToken = None,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """The live calls the caller may see, most urgent first; follow next_page_token until it is null. Visits
    booked for later are listed here once their time has come; before that, at /v1/care-requests/upcoming."""
    query = eldercare_pb2.ListOpenCareRequestsRequest(
        community_id=community_id or "", page_size=page_size, page_token=page_token or ""
    )
    reply = await eldercare.ListOpenCareRequests(query, **call_options(request, caller))
    return _page(reply.care_requests, reply.next_page_token)


@router.get("/upcoming", response_model=CareRequestPage)
async def list_upcoming_care_requests(
    request: Request,
    community_id: CommunityQuery = None,
    page_size: PageSize = 50,
    page_token: PageToken = None,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """Visits booked for later whose time has not come (a follow-up visit after a hospital discharge, say),
    soonest first; follow next_page_token until it is null."""
    query = eldercare_pb2.ListUpcomingCareRequestsRequest(
        community_id=community_id or "", page_size=page_size, page_token=page_token or "")
    reply = await eldercare.ListUpcomingCareRequests(query, **call_options(request, caller))
    return _page(reply.care_requests, reply.next_page_token)


@router.get("/{care_request_id}", response_model=CareRequest)
async def get_care_request(
    care_request_id: CareRequestId,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    query = eldercare_pb2.GetCareRequestRequest(id=care_request_id)
    reply = await eldercare.GetCareRequest(query, **call_options(request, caller))
    return to_rest(reply.care_request)


# -- the command centre's steps --------------------------------------------------------------------------

@router.post("/{care_request_id}/acknowledge", response_model=CareRequest)
async def acknowledge_care_request(
    care_request_id: CareRequestId,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    command = eldercare_pb2.AcknowledgeCareRequestRequest(id=care_request_id)
    reply = await eldercare.AcknowledgeCareRequest(command, **call_options(request, caller))
    return to_rest(reply.care_request)


@router.get("/{care_request_id}/candidates", response_model=Candidates)
async def suggest_assignees(
    care_request_id: CareRequestId,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """Who to send, best first, each with the reasons an operator reads at a glance. distance_m is 0 when
    the candidate's position is unknown (the reasons say so)."""
    query = eldercare_pb2.SuggestAssigneesRequest(id=care_request_id, limit=limit)
    reply = await eldercare.SuggestAssignees(query, **call_options(request, caller))
    return {"items": [
        {"assignee_id": c.assignee_id, "assignee_kind": name_of(ASSIGNEE_KIND_NAMES, c.assignee_kind),
         "name": c.name, "distance_m": c.distance_m, "load": c.load, "reasons": list(c.reasons)}
        for c in reply.candidates]}


@router.post("/{care_request_id}/assign", response_model=CareRequest)
async def assign_care_request(
    care_request_id: CareRequestId,
    body: AssignIn,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    command = eldercare_pb2.AssignCareRequestRequest(
        id=care_request_id, assignee_id=body.assignee_id,
        assignee_kind=_ASSIGNEE_KIND_NUMBERS[body.assignee_kind], override_reason=body.override_reason)
    reply = await eldercare.AssignCareRequest(command, **call_options(request, caller))
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/escalate", response_model=CareRequest)
async def escalate_care_request(
    care_request_id: CareRequestId,
    body: ReasonIn,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """Climb one rung of the ladder by hand (supervisor → family contact → emergency services)."""
    command = eldercare_pb2.EscalateCareRequestRequest(id=care_request_id, reason=body.reason)
    reply = await eldercare.EscalateCareRequest(command, **call_options(request, caller))
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/close", response_model=CareRequest)
async def close_care_request(
    care_request_id: CareRequestId,
    body: CloseIn,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    command = eldercare_pb2.CloseCareRequestRequest(
        id=care_request_id, disposition=_DISPOSITION_NUMBERS[body.disposition], note=body.note)
    reply = await eldercare.CloseCareRequest(command, **call_options(request, caller))
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/cancel", response_model=CareRequest)
async def cancel_care_request(
    care_request_id: CareRequestId,
    body: ReasonIn,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """A false alarm or a request no longer needed: the elder themself or an operator, before anyone is on site."""
    command = eldercare_pb2.CancelCareRequestRequest(id=care_request_id, reason=body.reason)
    reply = await eldercare.CancelCareRequest(command, **call_options(request, caller))
    return to_rest(reply.care_request)


# -- the assignee's steps (the staff app) -----------------------------------------------------------------

@router.post("/{care_request_id}/accept", response_model=CareRequest)
async def accept_assignment(
    care_request_id: CareRequestId,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    command = eldercare_pb2.AcceptAssignmentRequest(id=care_request_id)
    reply = await eldercare.AcceptAssignment(command, **call_options(request, caller))
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/decline", response_model=CareRequest)
async def decline_assignment(
    care_request_id: CareRequestId,
    body: ReasonIn,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """The request goes back to the command centre for someone else."""
    command = eldercare_pb2.DeclineAssignmentRequest(id=care_request_id, reason=body.reason)
    reply = await eldercare.DeclineAssignment(command, **call_options(request, caller))
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/en-route", response_model=CareRequest)
async def start_travel(
    care_request_id: CareRequestId,
    body: EnRouteIn,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    command = eldercare_pb2.StartTravelRequest(id=care_request_id, eta_minutes=body.eta_minutes)
    reply = await eldercare.StartTravel(command, **call_options(request, caller))
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/arrive", response_model=CareRequest)
async def arrive_on_site(
    care_request_id: CareRequestId,
    body: ArriveIn,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """Check in at the elder's home: within the geofence (else 409), or an operator's override with a reason."""
    command = eldercare_pb2.ArriveOnSiteRequest(id=care_request_id, override_reason=body.override_reason)
    if body.position is not None:
        command.position.CopyFrom(common_pb2.GeoPoint(**body.position.model_dump()))
    reply = await eldercare.ArriveOnSite(command, **call_options(request, caller))
    return to_rest(reply.care_request)


@router.post("/{care_request_id}/complete", response_model=CareRequest)
async def complete_care_request(
    care_request_id: CareRequestId,
    body: CompleteIn,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    command = eldercare_pb2.CompleteCareRequestRequest(id=care_request_id, notes=body.notes)
    reply = await eldercare.CompleteCareRequest(command, **call_options(request, caller))
    return to_rest(reply.care_request)


# -- the elder's and family's step ---------------------------------------------------------------------------

@router.post("/{care_request_id}/rating", response_model=CareRequest)
async def rate_care_request(
    care_request_id: CareRequestId,
    body: RatingIn,
    request: Request,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    command = eldercare_pb2.RateCareRequestRequest(id=care_request_id, rating=body.rating, comment=body.comment)
    reply = await eldercare.RateCareRequest(command, **call_options(request, caller))
    return to_rest(reply.care_request)


# -- mine, and figures ---------------------------------------------------------------------------------------

@me_router.get("/v1/me/care-requests", response_model=CareRequestPage)
async def list_my_care_requests(
    request: Request,
    include_finished: bool = False,
    page_size: PageSize = 50,
    page_token: PageToken = None,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """A caregiver's or volunteer's jobs; a resident's own calls; a family member's elders' calls. Open
    first; closed and cancelled ones too with include_finished."""
    query = eldercare_pb2.ListMyCareRequestsRequest(
        include_finished=include_finished, page_size=page_size, page_token=page_token or "")
    reply = await eldercare.ListMyCareRequests(query, **call_options(request, caller))
    return _page(reply.care_requests, reply.next_page_token)


FIGURE_FIELDS = ("raised", "acknowledged", "acknowledge_p50_seconds", "acknowledge_p90_seconds",
                 "acknowledged_within_sla_share", "arrived", "arrive_p50_seconds", "arrive_p90_seconds",
                 "completed", "cancelled", "escalated", "average_rating")


@me_router.get("/v1/figures/care", tags=["figures"], response_model=CareFigures)
async def care_figures(
    request: Request,
    community_id: RequiredCommunityQuery,
    from_day: DayQuery,
    to_day: OptionalDayQuery = None,
    caller: Caller = Depends(require_caller),
    eldercare=Depends(_eldercare),
) -> dict:
    """Per local day and kind: calls raised, time to acknowledge (p50, p90, share within SLA), time to
    arrive, completed, cancelled, escalated, average rating. At most 92 days (operators, administrators)."""
    query = eldercare_pb2.GetCareFiguresRequest(community_id=community_id, from_day=from_day, to_day=to_day or "")
    reply = await eldercare.GetCareFigures(query, **call_options(request, caller))
    return {"community_id": community_id, "items": [
        {"day": row.day, "kind": name_of(KIND_NAMES, row.kind),
         **{name: getattr(row, name) for name in FIGURE_FIELDS}} for row in reply.figures]}
