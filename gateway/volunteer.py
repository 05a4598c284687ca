"""REST resources over the volunteer gRPC api: volunteers, activities and their shifts, attendance (sign up,
confirm, check in and out), the hours ledger (verify one or many, reject, the resident's confirmation,
corrections), certificates (PDF; their public verification needs no token), the leaderboard and the CSV
export of totals.

Who may do what is the api's decision (services/volunteer/domain); these routes check the shape of the
input and map gRPC errors to problems."""
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from google.protobuf import field_mask_pb2, json_format
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from gateway.common import call_options
from gateway.models import (ID_PATTERN, OPTIONAL_ID_PATTERN, DayQuery, GeoPointIn, Id, PageSize, PageToken,
                            RequiredCommunityQuery)
from linli.kit import grpc_client
from linli.kit.identity import Caller
from linli.volunteer.v1 import volunteer_pb2 as pb
from linli.volunteer.v1 import volunteer_pb2_grpc as pb_grpc

router = APIRouter(tags=["volunteers"])

# Enum values in REST are the short lower-case names ("pending"), as everywhere in Linli.
_ENUM_PREFIXES = ("ATTENDANCE_STATUS_", "ENTRY_KIND_", "ENTRY_SOURCE_", "ENTRY_STATUS_", "BENEFICIARY_CONFIRMATION_")
_STATUS_NUMBERS = {name.removeprefix("ENTRY_STATUS_").lower(): number
                   for name, number in pb.EntryStatus.items() if number}
# Anyone checking a certificate's code: no token, no roles, no community.
PUBLIC = Caller("public", frozenset(), frozenset())


class VolunteerStubs:
    """The volunteer api's three services on one channel (grpc.aio multiplexes every call over it)."""

    def __init__(self, address: str):
        self.channel = grpc_client.aio_insecure_channel(address)
        self.volunteers = pb_grpc.VolunteerServiceStub(self.channel)
        self.activities = pb_grpc.ActivityServiceStub(self.channel)
        self.hours = pb_grpc.HoursServiceStub(self.channel)

    async def close(self) -> None:
        await self.channel.close(grace=1)


async def _api(request: Request) -> VolunteerStubs:
    return request.app.state.volunteer


def _short(value):
    if isinstance(value, dict):
        return {key: _short(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_short(item) for item in value]
    if isinstance(value, str) and value.startswith(_ENUM_PREFIXES):
        name = next(value.removeprefix(p) for p in _ENUM_PREFIXES if value.startswith(p)).lower()
        return None if name == "unspecified" else name
    return value


def to_rest(message) -> dict:
    """Proto field names, short lower-case enums, RFC 3339 UTC times; unset messages and times absent."""
    rest = _short(json_format.MessageToDict(message, preserving_proto_field_name=True,
                                            always_print_fields_with_no_presence=True))
    if "version" in rest:
        rest["version"] = int(rest["version"])  # int64 is a string in proto JSON
    return rest


# -- input -----------------------------------------------------------------------------------------------

Day = DayQuery
Community = RequiredCommunityQuery
Note = Annotated[str, Field(max_length=500)]


class SlotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    weekday: int = Field(ge=1, le=7, description="1 Monday ... 7 Sunday")
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["09:00"])
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="after start", examples=["11:30"])


class VolunteerPatch(BaseModel):
    """Only the fields given change. A volunteer may change phone, skills, availability and home."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=50)
    phone: str | None = Field(None, max_length=20)
    resident_id: str | None = Field(None, pattern=ID_PATTERN)
    party_member: bool | None = None
    branch: str | None = Field(None, max_length=50)
    skills: list[str] | None = Field(None, max_length=12)
    availability: list[SlotIn] | None = Field(None, max_length=21)
    home: GeoPointIn | None = None
    active: bool | None = None


class VolunteerIn(BaseModel):
    """A volunteer; id is their Linli user id (the subject of their token)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    community_id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, max_length=50)
    phone: str = Field("", max_length=20)
    resident_id: str = Field("", pattern=OPTIONAL_ID_PATTERN)
    party_member: bool = False
    branch: str = Field("", max_length=50)
    skills: list[str] = Field(default_factory=list, max_length=12)
    availability: list[SlotIn] = Field(default_factory=list, max_length=21)
    home: GeoPointIn | None = None


class PlaceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=80)
    position: GeoPointIn
    radius_m: float = Field(0, ge=0, le=5000, description="0: the default, 200 m")


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    community_id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1, max_length=80)
    description: str = Field("", max_length=1000)
    place: PlaceIn


class ShiftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=50)
    starts_at: AwareDatetime = Field(description="RFC 3339 with its offset, e.g. 2026-05-16T09:00:00+08:00")
    ends_at: AwareDatetime
    capacity: int = Field(ge=1, le=1000)


class ShiftSignUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    volunteer_id: str = Field("", pattern=OPTIONAL_ID_PATTERN, description="Empty: yourself (coordinators may name one)")


class VolunteerReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Note = ""


class CheckInIn(BaseModel):
    """The volunteer checks in where they are; a coordinator may check them in anywhere, with a reason."""

    model_config = ConfigDict(extra="forbid")
    position: GeoPointIn | None = None
    override_reason: Note = ""


class VerifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: Note = Field("", description="How the service was confirmed, when the resident served has not")


class BulkVerifyIn(VerifyIn):
    ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(min_length=1, max_length=200)


class ConfirmationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    confirmed: bool
    comment: Note = ""


class ReversalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    corrected_minutes: int = Field(0, ge=0, le=24 * 60, description="Above 0: a corrected entry replaces it")


class CertificateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    volunteer_id: str = Field("", pattern=OPTIONAL_ID_PATTERN, description="Empty: yourself")
    from_day: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    to_day: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


def _volunteer_message(fields: dict) -> pb.Volunteer:
    return json_format.ParseDict({k: v for k, v in fields.items() if v is not None}, pb.Volunteer())


def _timestamp(value, field: str):
    from google.protobuf.timestamp_pb2 import Timestamp

    from gateway.problems import Problem

    stamp = Timestamp()
    try:
        stamp.FromDatetime(value)  # an aware datetime: the model refused anything else
    except (ValueError, OverflowError):
        raise Problem(422, "validation-failed", "Invalid request", "The request has invalid fields.",
                      errors=[{"field": field, "message": "an RFC 3339 time with its offset"}]) from None
    return stamp


# -- volunteers ------------------------------------------------------------------------------------------

@router.post("/v1/volunteers", status_code=201)
async def register_volunteer(body: VolunteerIn, request: Request, response: Response,
                             caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.volunteers.RegisterVolunteer(
        pb.RegisterVolunteerRequest(volunteer=_volunteer_message(body.model_dump())), **call_options(request, caller))
    response.headers["Location"] = f"/v1/volunteers/{quote(reply.volunteer.id, safe='')}"
    return to_rest(reply.volunteer)


@router.get("/v1/volunteers")
async def list_volunteers(request: Request, community_id: Community, page_size: PageSize = 50,
                          page_token: PageToken = None, caller: Caller = Depends(require_caller),
                          api=Depends(_api)) -> dict:
    reply = await api.volunteers.ListVolunteers(pb.ListVolunteersRequest(
        community_id=community_id, page_size=page_size, page_token=page_token or ""), **call_options(request, caller))
    return {"items": [to_rest(v) for v in reply.volunteers], "next_page_token": reply.next_page_token or None}


@router.get("/v1/volunteers/{volunteer_id}")
async def get_volunteer(volunteer_id: Id, request: Request, caller: Caller = Depends(require_caller),
                        api=Depends(_api)) -> dict:
    reply = await api.volunteers.GetVolunteer(pb.GetVolunteerRequest(id=volunteer_id), **call_options(request, caller))
    return to_rest(reply.volunteer)


@router.patch("/v1/volunteers/{volunteer_id}")
async def update_volunteer(volunteer_id: Id, body: VolunteerPatch, request: Request,
                           caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    fields = body.model_dump(include=body.model_fields_set)
    message = _volunteer_message(fields)
    message.id = volunteer_id
    reply = await api.volunteers.UpdateVolunteer(pb.UpdateVolunteerRequest(
        volunteer=message, update_mask=field_mask_pb2.FieldMask(paths=sorted(body.model_fields_set))),
        **call_options(request, caller))
    return to_rest(reply.volunteer)


# -- activities, shifts, attendance ----------------------------------------------------------------------

@router.post("/v1/activities", status_code=201, tags=["activities"])
async def create_activity(body: ActivityIn, request: Request, caller: Caller = Depends(require_caller),
                          api=Depends(_api)) -> dict:
    command = json_format.ParseDict(body.model_dump(), pb.CreateActivityRequest())
    reply = await api.activities.CreateActivity(command, **call_options(request, caller))
    return to_rest(reply.activity)


@router.get("/v1/activities", tags=["activities"])
async def list_activities(request: Request, community_id: Community, page_size: PageSize = 50,
                          page_token: PageToken = None, caller: Caller = Depends(require_caller),
                          api=Depends(_api)) -> dict:
    reply = await api.activities.ListActivities(pb.ListActivitiesRequest(
        community_id=community_id, page_size=page_size, page_token=page_token or ""), **call_options(request, caller))
    return {"items": [to_rest(a) for a in reply.activities], "next_page_token": reply.next_page_token or None}


@router.get("/v1/activities/{activity_id}", tags=["activities"])
async def get_activity(activity_id: Id, request: Request, caller: Caller = Depends(require_caller),
                       api=Depends(_api)) -> dict:
    reply = await api.activities.GetActivity(pb.GetActivityRequest(id=activity_id), **call_options(request, caller))
    return to_rest(reply.activity)


@router.post("/v1/activities/{activity_id}/shifts", status_code=201, tags=["activities"])
async def add_shift(activity_id: Id, body: ShiftIn, request: Request, caller: Caller = Depends(require_caller),
                    api=Depends(_api)) -> dict:
    command = pb.AddShiftRequest(activity_id=activity_id, title=body.title, capacity=body.capacity,
                                 starts_at=_timestamp(body.starts_at, "starts_at"),
                                 ends_at=_timestamp(body.ends_at, "ends_at"))
    reply = await api.activities.AddShift(command, **call_options(request, caller))
    return to_rest(reply.shift)


@router.get("/v1/activities/{activity_id}/shifts", tags=["activities"])
async def list_shifts(activity_id: Id, request: Request, caller: Caller = Depends(require_caller),
                      api=Depends(_api)) -> dict:
    reply = await api.activities.ListShifts(pb.ListShiftsRequest(activity_id=activity_id),
                                            **call_options(request, caller))
    return {"items": [to_rest(s) for s in reply.shifts], "next_page_token": None}


@router.post("/v1/shifts/{shift_id}/attendance", status_code=201, tags=["activities"])
async def sign_up(shift_id: Id, body: ShiftSignUpIn, request: Request, caller: Caller = Depends(require_caller),
                  api=Depends(_api)) -> dict:
    """Sign up for a shift (409 when it is full)."""
    reply = await api.activities.SignUp(pb.SignUpRequest(shift_id=shift_id, volunteer_id=body.volunteer_id),
                                        **call_options(request, caller))
    return to_rest(reply.attendance)


@router.get("/v1/shifts/{shift_id}/attendance", tags=["activities"])
async def shift_attendance(shift_id: Id, request: Request, caller: Caller = Depends(require_caller),
                           api=Depends(_api)) -> dict:
    reply = await api.activities.ListShiftAttendance(pb.ListShiftAttendanceRequest(shift_id=shift_id),
                                                     **call_options(request, caller))
    return {"items": [to_rest(a) for a in reply.attendance], "next_page_token": None}


@router.get("/v1/me/attendance", tags=["activities"])
async def my_attendance(request: Request, page_size: PageSize = 50, page_token: PageToken = None,
                        caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.activities.ListMyAttendance(pb.ListMyAttendanceRequest(
        page_size=page_size, page_token=page_token or ""), **call_options(request, caller))
    return {"items": [to_rest(a) for a in reply.attendance], "next_page_token": reply.next_page_token or None}


@router.get("/v1/attendance/{attendance_id}", tags=["activities"])
async def get_attendance(attendance_id: Id, request: Request, caller: Caller = Depends(require_caller),
                         api=Depends(_api)) -> dict:
    reply = await api.activities.GetAttendance(pb.GetAttendanceRequest(id=attendance_id),
                                               **call_options(request, caller))
    return to_rest(reply.attendance)


@router.post("/v1/attendance/{attendance_id}/confirm", tags=["activities"])
async def confirm_attendance(attendance_id: Id, request: Request, caller: Caller = Depends(require_caller),
                             api=Depends(_api)) -> dict:
    reply = await api.activities.ConfirmAttendance(pb.ConfirmAttendanceRequest(id=attendance_id),
                                                   **call_options(request, caller))
    return to_rest(reply.attendance)


@router.post("/v1/attendance/{attendance_id}/withdraw", tags=["activities"])
async def withdraw_attendance(attendance_id: Id, body: VolunteerReasonIn, request: Request,
                              caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.activities.WithdrawAttendance(pb.WithdrawAttendanceRequest(id=attendance_id, reason=body.reason),
                                                    **call_options(request, caller))
    return to_rest(reply.attendance)


@router.post("/v1/attendance/{attendance_id}/check-in", tags=["activities"])
async def check_in(attendance_id: Id, body: CheckInIn, request: Request, caller: Caller = Depends(require_caller),
                   api=Depends(_api)) -> dict:
    """At the activity's place within the shift's window (else 409), or a coordinator's override with a reason."""
    command = pb.CheckInRequest(id=attendance_id, override_reason=body.override_reason)
    if body.position is not None:
        command.position.CopyFrom(pb.GeoPoint(**body.position.model_dump()))
    reply = await api.activities.CheckIn(command, **call_options(request, caller))
    return to_rest(reply.attendance)


@router.post("/v1/attendance/{attendance_id}/check-out", tags=["activities"])
async def check_out(attendance_id: Id, request: Request, caller: Caller = Depends(require_caller),
                    api=Depends(_api)) -> dict:
    """Records the hours served (capped at the shift's length), pending a coordinator's verification."""
    reply = await api.activities.CheckOut(pb.CheckOutRequest(id=attendance_id), **call_options(request, caller))
    return to_rest(reply.attendance)


# -- hours ----------------------------------------------------------------------------------------------

@router.get("/v1/volunteer-hours", tags=["volunteer hours"])
async def list_hours(request: Request, community_id: Annotated[str, Query(max_length=64)] = "",
                     volunteer_id: Annotated[str, Query(max_length=64)] = "",
                     status: Annotated[str, Query(pattern="^(pending|verified|rejected)$")] | None = None,
                     awaiting_my_confirmation: bool = False, page_size: PageSize = 50, page_token: PageToken = None,
                     caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Volunteers: their own entries. Coordinators: a community's (e.g. status=pending, to verify).
    Residents: awaiting_my_confirmation=true, the services to them they have not yet confirmed."""
    reply = await api.hours.ListHoursEntries(pb.ListHoursEntriesRequest(
        community_id=community_id, volunteer_id=volunteer_id, status=_STATUS_NUMBERS.get(status or "", 0),
        awaiting_my_confirmation=awaiting_my_confirmation, page_size=page_size, page_token=page_token or ""),
        **call_options(request, caller))
    return {"items": [to_rest(e) for e in reply.entries], "next_page_token": reply.next_page_token or None}


@router.post("/v1/volunteer-hours/verify", tags=["volunteer hours"])
async def verify_many(body: BulkVerifyIn, request: Request, caller: Caller = Depends(require_caller),
                      api=Depends(_api)) -> dict:
    """Verify many pending entries: each gets its own outcome (verified, or why not)."""
    reply = await api.hours.VerifyHours(pb.VerifyHoursRequest(ids=body.ids, note=body.note),
                                        **call_options(request, caller))
    return {"items": [{"id": o.id, "verified": o.verified, "reason": o.reason or None,
                       "entry": to_rest(o.entry) if o.HasField("entry") else None} for o in reply.outcomes]}


@router.get("/v1/volunteer-hours/{entry_id}", tags=["volunteer hours"])
async def get_hours(entry_id: Id, request: Request, caller: Caller = Depends(require_caller),
                    api=Depends(_api)) -> dict:
    reply = await api.hours.GetHoursEntry(pb.GetHoursEntryRequest(id=entry_id), **call_options(request, caller))
    return to_rest(reply.entry)


@router.post("/v1/volunteer-hours/{entry_id}/verify", tags=["volunteer hours"])
async def verify_one(entry_id: Id, body: VerifyIn, request: Request, caller: Caller = Depends(require_caller),
                     api=Depends(_api)) -> dict:
    import grpc

    from gateway.problems import GRPC_PROBLEMS, Problem

    options = call_options(request, caller)
    await api.hours.GetHoursEntry(pb.GetHoursEntryRequest(id=entry_id), **options)  # 404 for what you cannot see
    [outcome] = (await api.hours.VerifyHours(pb.VerifyHoursRequest(ids=[entry_id], note=body.note), **options)).outcomes
    if not outcome.verified:
        # The refusal as the api classed it: not yours to verify (403) is not the entry's state (409).
        code = grpc.StatusCode.__members__.get(outcome.refusal_code, grpc.StatusCode.FAILED_PRECONDITION)
        status, slug, title = GRPC_PROBLEMS.get(code, GRPC_PROBLEMS[grpc.StatusCode.FAILED_PRECONDITION])
        raise Problem(status, slug, title, outcome.reason or None)
    return to_rest(outcome.entry)


@router.post("/v1/volunteer-hours/{entry_id}/reject", tags=["volunteer hours"])
async def reject_hours(entry_id: Id, body: VolunteerReasonIn, request: Request, caller: Caller = Depends(require_caller),
                       api=Depends(_api)) -> dict:
    reply = await api.hours.RejectHours(pb.RejectHoursRequest(id=entry_id, reason=body.reason),
                                        **call_options(request, caller))
    return to_rest(reply.entry)


@router.post("/v1/volunteer-hours/{entry_id}/confirmation", tags=["volunteer hours"])
async def confirm_service(entry_id: Id, body: ConfirmationIn, request: Request,
                          caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """The resident served confirms (or, confirmed=false, disputes) the service."""
    reply = await api.hours.ConfirmService(pb.ConfirmServiceRequest(id=entry_id, confirmed=body.confirmed,
                                                                    comment=body.comment),
                                           **call_options(request, caller))
    return to_rest(reply.entry)


@router.post("/v1/volunteer-hours/{entry_id}/reversal", status_code=201, tags=["volunteer hours"])
async def reverse_hours(entry_id: Id, body: ReversalIn, request: Request, caller: Caller = Depends(require_caller),
                        api=Depends(_api)) -> dict:
    """Correct a verified entry: a reversing entry, and optionally a corrected one. Never an edit."""
    reply = await api.hours.ReverseHours(pb.ReverseHoursRequest(id=entry_id, reason=body.reason,
                                                                corrected_minutes=body.corrected_minutes),
                                         **call_options(request, caller))
    return {"reversal": to_rest(reply.reversal),
            "corrected": to_rest(reply.corrected) if reply.HasField("corrected") else None}


# -- certificates and figures ----------------------------------------------------------------------------

Code = Annotated[str, Path(min_length=4, max_length=40)]


@router.post("/v1/certificates", status_code=201, tags=["certificates"])
async def issue_certificate(body: CertificateIn, request: Request, response: Response,
                            caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """A certificate of the verified hours in a period (pending hours are never stated)."""
    reply = await api.hours.IssueCertificate(pb.IssueCertificateRequest(**body.model_dump()),
                                             **call_options(request, caller))
    response.headers["Location"] = f"/v1/certificates/{reply.certificate.code}"
    return to_rest(reply.certificate)


@router.get("/v1/certificates/{code}", tags=["certificates"])
async def verify_certificate(code: Code, request: Request, api=Depends(_api)) -> dict:
    """Public, no token: what the certificate with this code states, or 404."""
    reply = await api.hours.VerifyCertificate(pb.VerifyCertificateRequest(code=code), **call_options(request, PUBLIC))
    return to_rest(reply)


@router.get("/v1/certificates/{code}/pdf", tags=["certificates"], response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def certificate_pdf(code: Code, request: Request, caller: Caller = Depends(require_caller),
                          api=Depends(_api)) -> Response:
    """The certificate as a PDF: its holder or a coordinator of its community."""
    reply = await api.hours.GetCertificatePdf(pb.GetCertificatePdfRequest(code=code), **call_options(request, caller))
    return Response(reply.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{reply.filename}"'})


@router.get("/v1/volunteer-leaderboard", tags=["figures"])
async def leaderboard(request: Request, community_id: Community, from_day: Day, to_day: Day,
                      branch: Annotated[str, Query(max_length=50)] = "",
                      limit: Annotated[int, Query(ge=1, le=100)] = 10,
                      caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Verified hours per branch in a period, most first; within a branch the volunteers with the most."""
    reply = await api.hours.GetLeaderboard(pb.GetLeaderboardRequest(
        community_id=community_id, from_day=from_day, to_day=to_day, branch=branch, limit=limit),
        **call_options(request, caller))
    return {"community_id": community_id, "from_day": from_day, "to_day": to_day,
            "branches": [to_rest(b) for b in reply.branches]}


@router.get("/v1/exports/volunteer-hours", tags=["figures"], response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
async def export_hours(request: Request, community_id: Community, from_day: Day, to_day: Day,
                       caller: Caller = Depends(require_caller), api=Depends(_api)) -> Response:
    """Totals per volunteer for a period as CSV (coordinators): verified hours and minutes, services, pending."""
    reply = await api.hours.ExportHours(pb.ExportHoursRequest(community_id=community_id, from_day=from_day,
                                                              to_day=to_day), **call_options(request, caller))
    return Response(reply.csv, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{reply.filename}"'})
