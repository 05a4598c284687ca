"""REST resource /v1/staff over the eldercare StaffService: the care staff dispatch chooses from, their
shifts, and (from the staff app) where they are. Operators register and list staff of the communities they
serve; a staff member may start and end their own shift and report their own position."""
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from gateway.care_requests import KIND_NAMES, GeoPoint, GeoPointIn, Kind, KindOut, Time, _call_options, name_of
from gateway.models import ID_PATTERN, Id
from linli.eldercare.v1 import common_pb2, staff_pb2
from linli.eldercare.v1.staff_pb2_grpc import StaffServiceStub  # app.py makes one per channel
from linli.kit.identity import Caller

_KIND_NUMBERS = {name: number for number, name in KIND_NAMES.items()}

router = APIRouter(tags=["staff"])

StaffId = Id


async def _staff(request: Request) -> StaffServiceStub:
    return request.app.state.staff


def staff_to_rest(member: staff_pb2.StaffMember) -> dict:
    def at(name: str) -> str | None:
        return getattr(member, name).ToJsonString() if member.HasField(name) else None

    return {
        "id": member.id,
        "community_id": member.community_id,
        "name": member.name,
        "phone": member.phone,
        "skills": [name_of(KIND_NAMES, skill) for skill in member.skills],
        "on_shift": member.on_shift,
        "shift_started_at": at("shift_started_at"),
        "position": {"latitude": member.position.latitude, "longitude": member.position.longitude}
        if member.HasField("position") else None,
        "position_at": at("position_at"),
    }


class StaffMember(BaseModel):
    id: str
    community_id: str
    name: str
    phone: str
    skills: list[KindOut]
    on_shift: bool
    shift_started_at: Time | None
    position: GeoPoint | None = Field(description="Where the staff app last reported them")
    position_at: Time | None


class StaffList(BaseModel):
    items: list[StaffMember]
    next_page_token: None = Field(description="Always null: one page holds a community's staff")


class StaffIn(BaseModel):
    """A staff member; id is their Linli user id (the subject of their token)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    community_id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, max_length=50)
    phone: str = Field("", max_length=20)
    skills: list[Kind] = Field(min_length=1, max_length=8)


@router.post("/v1/staff", status_code=201, response_model=StaffMember)
async def register_staff(body: StaffIn, request: Request, caller: Caller = Depends(require_caller),
                         staff=Depends(_staff)) -> dict:
    command = staff_pb2.RegisterStaffRequest(id=body.id, community_id=body.community_id, name=body.name,
                                             phone=body.phone, skills=[_KIND_NUMBERS[k] for k in set(body.skills)])
    reply = await staff.RegisterStaff(command, **_call_options(request, caller))
    return staff_to_rest(reply.staff_member)


@router.get("/v1/staff", response_model=StaffList)
async def list_staff(
    request: Request,
    community_id: Annotated[str, Query(min_length=1, max_length=64)],
    on_shift_only: bool = False,
    caller: Caller = Depends(require_caller),
    staff=Depends(_staff),
) -> dict:
    """Every staff member of the community (a few dozen: the api returns one page; next_page_token is
    always null, kept so clients page the same way everywhere)."""
    query = staff_pb2.ListStaffRequest(community_id=community_id, on_shift_only=on_shift_only)
    reply = await staff.ListStaff(query, **_call_options(request, caller))
    return {"items": [staff_to_rest(member) for member in reply.staff], "next_page_token": None}


@router.get("/v1/staff/{staff_id}", response_model=StaffMember)
async def get_staff_member(staff_id: StaffId, request: Request, caller: Caller = Depends(require_caller),
                           staff=Depends(_staff)) -> dict:
    reply = await staff.GetStaffMember(staff_pb2.GetStaffMemberRequest(id=staff_id), **_call_options(request, caller))
    return staff_to_rest(reply.staff_member)


@router.post("/v1/staff/{staff_id}/shift/start", response_model=StaffMember)
async def start_shift(staff_id: StaffId, request: Request, caller: Caller = Depends(require_caller),
                      staff=Depends(_staff)) -> dict:
    """The staff member themself, or an operator serving their community."""
    reply = await staff.StartShift(staff_pb2.StartShiftRequest(id=staff_id), **_call_options(request, caller))
    return staff_to_rest(reply.staff_member)


@router.post("/v1/staff/{staff_id}/shift/end", response_model=StaffMember)
async def end_shift(staff_id: StaffId, request: Request, caller: Caller = Depends(require_caller),
                    staff=Depends(_staff)) -> dict:
    reply = await staff.EndShift(staff_pb2.EndShiftRequest(id=staff_id), **_call_options(request, caller))
    return staff_to_rest(reply.staff_member)


@router.post("/v1/me/position", response_model=StaffMember)
async def report_position(body: GeoPointIn, request: Request, caller: Caller = Depends(require_caller),
                          staff=Depends(_staff)) -> dict:
    """The staff app reports where its holder is (dispatch ranks by distance)."""
    command = staff_pb2.ReportPositionRequest(position=common_pb2.GeoPoint(**body.model_dump()))
    reply = await staff.ReportPosition(command, **_call_options(request, caller))
    return staff_to_rest(reply.staff_member)
