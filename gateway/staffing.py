"""REST resource /v1/roster-plans over the eldercare StaffingService, and the administrators' page at
/staffing/ (gateway/static/staffing/): how many operators and caregivers per shift.

A plan is computed on request (a bounded simulation: the same body and seed give the same plan), so it is
answered, not stored: as JSON (with the chart as SVG text and the figures as CSV text), as CSV or SVG alone
(?format=csv|svg), or as a stream of progress events ending with the plan (/v1/roster-plans/progress)."""
import json
from typing import Literal

import grpc
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from gateway.models import IdField
from gateway.care_requests import KIND_NAMES, Kind, name_of
from gateway.problems import from_rpc_error
from linli.eldercare.v1 import staffing_pb2 as pb
from linli.eldercare.v1.staffing_pb2_grpc import StaffingServiceStub  # app.py makes one per channel
from linli.kit.identity import Caller

_KIND_NUMBERS = {name: number for number, name in KIND_NAMES.items()}
# The gateway waits this much longer than the run's own limit, for the api to finish drawing the chart.
MARGIN_SECONDS = 30
MAX_TIME_LIMIT = 300  # over HTTP; longer runs from the command line (`linli staffing`)

router = APIRouter(tags=["staffing"])


class ShiftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)
    starts_hour: int = Field(ge=0, le=23, description="Local hour the shift starts")
    ends_hour: int = Field(ge=0, le=23, description="Local hour it ends (at or before starts_hour: past midnight)")
    operators: int = Field(0, ge=0, le=500)
    caregivers: int = Field(0, ge=0, le=500)
    skill_sets: list[list[Kind]] = Field(default_factory=list, max_length=50,
                                         description="Caregiver i has skill_sets[i % len]; empty: every kind")


class TargetsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    emergency_acknowledged_share: float = Field(0.99, gt=0, le=1)
    emergency_wait_p95_seconds: float = Field(1200, gt=0, le=86400)
    routine_wait_p95_seconds: float = Field(7200, gt=0, le=86400)


class PlanIn(BaseModel):
    """A roster to evaluate, or (search) the template whose shifts and skill sets the smallest roster keeps."""

    model_config = ConfigDict(extra="forbid")
    community_id: IdField
    shifts: list[ShiftIn] = Field(default_factory=list, max_length=24,
                                  description="Empty: three 8-hour shifts from 08:00")
    search: bool = False
    targets: TargetsIn = Field(default_factory=TargetsIn)
    days: int = Field(28, ge=1, le=366, description="Independent days simulated")
    # At most 2**53 - 1: a JSON number any client (JavaScript's too) holds exactly.
    seed: int = Field(1, ge=0, le=2**53 - 1)
    first_day: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="YYYY-MM-DD; empty: tomorrow")
    use_default_profile: bool = Field(False, description="Without history, plan from the default profile")
    default_profile_elders: int = Field(2000, ge=1, le=100_000)
    history_days: int = Field(28, ge=1, le=92)
    time_limit_seconds: float = Field(60, gt=0, le=MAX_TIME_LIMIT)


class StaffingPlan(BaseModel):
    """The plan: the roster, per shift its figures (emergency SLA share with its confidence interval, waits
    by kind, utilisation, what it misses), the next-smaller rosters' shortfalls, the chart and the CSV."""

    community_id: str
    profile_source: str = Field(description="Where the profile comes from; names the default profile as such")
    profile_is_default: bool
    seed: int
    days_planned: int
    days_simulated: int
    confidence: float
    shifts: list[dict]
    figures: list[dict]
    targets: dict
    searched: bool
    meets_targets: bool
    smaller: list[dict]
    rosters_tried: int
    stopped_early: bool
    figures_csv: str
    chart_svg: str


async def _staffing(request: Request) -> StaffingServiceStub:
    return request.app.state.staffing


def _command(body: PlanIn) -> pb.PlanStaffingRequest:
    return pb.PlanStaffingRequest(
        community_id=body.community_id, search=body.search, days=body.days, seed=body.seed,
        first_day=body.first_day, use_default_profile=body.use_default_profile,
        default_profile_elders=body.default_profile_elders, history_days=body.history_days,
        time_limit_seconds=body.time_limit_seconds,
        targets=pb.StaffingTargets(**body.targets.model_dump()),
        shifts=[pb.StaffingShift(name=s.name, starts_hour=s.starts_hour, ends_hour=s.ends_hour, operators=s.operators,
                                 caregivers=s.caregivers,
                                 skill_sets=[pb.SkillSet(kinds=sorted({_KIND_NUMBERS[k] for k in kinds}))
                                             for kinds in s.skill_sets]) for s in body.shifts])


def _named_kinds(value):
    """Proto JSON with kinds as the API's short names (meal, emergency) and skill sets as plain lists."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "kind":
                out[key] = name_of(KIND_NAMES, item)
            elif key == "skill_sets":
                out[key] = [[name_of(KIND_NAMES, k) for k in s.get("kinds", [])] for s in item]
            else:
                out[key] = _named_kinds(item)
        return out
    if isinstance(value, list):
        return [_named_kinds(item) for item in value]
    return value


def plan_to_rest(plan: pb.StaffingPlan) -> dict:
    document = MessageToDict(plan, preserving_proto_field_name=True, use_integers_for_enums=True,
                             always_print_fields_with_no_presence=True)
    document["seed"] = int(document["seed"])
    return _named_kinds(document)


def _options(request: Request, caller: Caller, body: PlanIn) -> dict:
    return {"metadata": [*caller.to_metadata(), ("x-request-id", request.state.request_id)],
            "timeout": body.time_limit_seconds + MARGIN_SECONDS}


@router.post("/v1/roster-plans", response_model=StaffingPlan,
             responses={200: {"content": {"text/csv": {}, "image/svg+xml": {}}}})
async def plan_staffing(body: PlanIn, request: Request, format: Literal["json", "csv", "svg"] = Query("json"),
                        caller: Caller = Depends(require_caller), staffing=Depends(_staffing)):
    """Administrators of the community: simulate its days under a roster, or search for the smallest
    roster meeting the targets. Answers once the run is done (within time_limit_seconds)."""
    plan = None
    async for update in staffing.PlanStaffing(_command(body), **_options(request, caller, body)):
        if update.HasField("plan"):
            plan = update.plan
    if format == "csv":
        return Response(plan.figures_csv, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="staffing.csv"'})
    if format == "svg":
        return Response(plan.chart_svg, media_type="image/svg+xml")
    return plan_to_rest(plan)


@router.post("/v1/roster-plans/progress", response_class=StreamingResponse,
             responses={200: {"content": {"text/event-stream": {}}}})
async def plan_staffing_stream(body: PlanIn, request: Request, caller: Caller = Depends(require_caller),
                               staffing=Depends(_staffing)):
    """The same run as a stream of server-sent events: `progress` ({message, done, total}) while it runs,
    then `plan` (the plan's JSON); a failure after the stream began is a `problem` event."""
    call = staffing.PlanStaffing(_command(body), **_options(request, caller, body))
    first = await call.read()  # refusals (bad roster, no history, not an administrator) are problems, not a stream

    async def events():
        update = first
        try:
            while update is not grpc.aio.EOF:
                if update.HasField("progress"):
                    data = {"message": update.progress.message, "done": update.progress.done,
                            "total": update.progress.total}
                    yield f"event: progress\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
                else:
                    yield f"event: plan\ndata: {json.dumps(plan_to_rest(update.plan), ensure_ascii=False)}\n\n"
                update = await call.read()
        except grpc.RpcError as error:
            problem = from_rpc_error(error)
            yield f"event: problem\ndata: {json.dumps({'status': problem.status, 'detail': problem.detail})}\n\n"

    if first is grpc.aio.EOF:
        return Response(status_code=204)
    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
