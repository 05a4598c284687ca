"""REST resource /v1/staff over the eldercare StaffService: the care staff dispatch chooses from, their
shifts, and (from the staff app) where they are. Operators register and list staff of the communities they
serve; a staff member may start and end their own shift and report their own position."""
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from gateway.care_requests import GeoPoint, GeoPointIn, Kind, KindOut, Time
from gateway.models import ID_PATTERN, Id
from gateway.protojson import UNKNOWN
from gateway.routes import Param, Route, install
from linli.eldercare.v1 import staff_pb2
from linli.eldercare.v1.staff_pb2_grpc import StaffServiceStub  # noqa: F401  app.py makes one per channel

router = APIRouter(tags=["staff"])

StaffId = Id


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


ROUTES = (
    Route("POST", "/v1/staff", "register_staff", "staff", "RegisterStaff", staff_pb2.RegisterStaffRequest,
          StaffMember, body=StaffIn, answer="staff_member", status_code=201, unknown_enum=UNKNOWN),
    Route("GET", "/v1/staff", "list_staff", "staff", "ListStaff", staff_pb2.ListStaffRequest, StaffList,
          query=(Param("community_id", Annotated[str, Query(min_length=1, max_length=64)]),
                 Param("on_shift_only", bool, False)),
          items="staff", unknown_enum=UNKNOWN,
          doc="Every staff member of the community (a few dozen: the api returns one page; next_page_token is\n"
              "always null, kept so clients page the same way everywhere)."),
    Route("GET", "/v1/staff/{staff_id}", "get_staff_member", "staff", "GetStaffMember",
          staff_pb2.GetStaffMemberRequest, StaffMember, path_params=(Param("staff_id", StaffId, to="id"),),
          answer="staff_member", unknown_enum=UNKNOWN),
    Route("POST", "/v1/staff/{staff_id}/shift/start", "start_shift", "staff", "StartShift",
          staff_pb2.StartShiftRequest, StaffMember, path_params=(Param("staff_id", StaffId, to="id"),),
          answer="staff_member", unknown_enum=UNKNOWN,
          doc="The staff member themself, or an operator serving their community."),
    Route("POST", "/v1/staff/{staff_id}/shift/end", "end_shift", "staff", "EndShift", staff_pb2.EndShiftRequest,
          StaffMember, path_params=(Param("staff_id", StaffId, to="id"),), answer="staff_member",
          unknown_enum=UNKNOWN),
    Route("POST", "/v1/me/position", "report_position", "staff", "ReportPosition", staff_pb2.ReportPositionRequest,
          StaffMember, body=GeoPointIn, body_into="position", answer="staff_member", unknown_enum=UNKNOWN,
          doc="The staff app reports where its holder is (dispatch ranks by distance)."),
)
install(router, ROUTES)
