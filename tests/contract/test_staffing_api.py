"""The staffing planner's gRPC contract: administrators of a community plan its staff from its history
(or, when asked, the labelled default profile), with progress streamed before the plan."""
import uuid
from datetime import datetime, timedelta, timezone

import grpc
import pymongo
import pytest

from linli.eldercare.v1 import eldercare_pb2, staffing_pb2 as pb
from linli.eldercare.v1 import staffing_pb2_grpc as pb_grpc
from linli.kit.identity import Caller
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_POLICY
from services.eldercare.store.care_requests import CARE_REQUESTS, _document

COMMUNITY = f"c-{uuid.uuid4().hex[:8]}"
QUIET = f"q-{uuid.uuid4().hex[:8]}"  # a community without history
ADMIN = Caller("admin-zhao", frozenset({"administrator"}), frozenset({COMMUNITY, QUIET}))
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY}))
ELSEWHERE = Caller("admin-li", frozenset({"administrator"}), frozenset({"elsewhere"}))


@pytest.fixture
def planner(channel):
    return pb_grpc.StaffingServiceStub(channel)


@pytest.fixture(scope="module")
def history(stack):
    """Three weeks of calls as the care-request store records them: raised, acknowledged, assigned, en
    route, on site, completed, each step taken through the domain's own transitions."""
    client = pymongo.MongoClient(stack.env["MONGO_URI"], tz_aware=True)
    operator = Caller("op-hist", frozenset({"operator"}), frozenset({COMMUNITY}))
    caregiver = Caller("cg-hist", frozenset({"caregiver"}), frozenset({COMMUNITY}))
    today = datetime.now(timezone.utc).replace(hour=1, minute=0, second=0, microsecond=0)
    documents = []
    for day in range(1, 22):
        for i, kind in enumerate(("meal", "emergency", "cleaning", "meal")):
            at = today - timedelta(days=day) + timedelta(hours=i * 2, minutes=7)
            new = care.NewCareRequest(COMMUNITY, f"elder-{i}", kind, "device")
            request = care.raise_request(operator, new, f"hist-{COMMUNITY}-{day}-{i}", at, DEFAULT_POLICY)
            request = care.acknowledge(operator, request, at + timedelta(seconds=20))
            request = care.assign(operator, request, care.Assignee("cg-hist", "staff", "张"), True, "",
                                  at + timedelta(seconds=60), DEFAULT_POLICY)
            request = care.start_travel(caregiver, request, 5, at + timedelta(seconds=90))
            request = care.arrive(operator, request, None, "confirmed by phone", at + timedelta(seconds=390))
            request = care.complete(caregiver, request, "", at + timedelta(seconds=390 + 1200))
            documents.append(_document(request))
    client[stack.env["MONGO_DB_PREFIX"] + "eldercare"][CARE_REQUESTS].insert_many(documents)
    client.close()
    return documents


def plan(planner, caller=ADMIN, **fields) -> list[pb.PlanStaffingResponse]:
    request = pb.PlanStaffingRequest(community_id=COMMUNITY, days=3, seed=7, time_limit_seconds=60)
    for name, value in fields.items():
        if isinstance(value, list):
            getattr(request, name).extend(value)
        elif name == "targets":
            request.targets.CopyFrom(value)
        else:
            setattr(request, name, value)
    return list(planner.PlanStaffing(request, metadata=caller.to_metadata(), timeout=120))


def rpc_error(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def shift(name, starts, ends, operators, caregivers) -> pb.StaffingShift:
    return pb.StaffingShift(name=name, starts_hour=starts, ends_hour=ends, operators=operators, caregivers=caregivers)


def test_an_administrator_plans_from_the_communitys_history_with_progress_then_the_plan(planner, history):
    updates = plan(planner, shifts=[shift("day", 8, 20, 1, 2), shift("night", 20, 8, 1, 2)])
    progress = [u.progress for u in updates if u.HasField("progress")]
    assert [p.done for p in progress] == [1, 2, 3] and all(p.total == 3 for p in progress)
    result = updates[-1].plan
    assert result.profile_source.startswith(f"history of {COMMUNITY}") and "84 calls" in result.profile_source
    assert not result.profile_is_default and result.days_simulated == 3 and result.seed == 7
    figures = {f.shift: f for f in result.figures}
    # The history's calls come between 09:00 and 16:00 Beijing time: all in the day shift.
    assert figures["day"].emergencies > 0 and figures["day"].caregiver_utilisation > 0
    assert figures["night"].emergencies == 0 and figures["night"].emergency_acknowledged_share.days == 0
    assert {w.kind for w in figures["day"].waits} == {eldercare_pb2.CARE_KIND_MEAL, eldercare_pb2.CARE_KIND_EMERGENCY,
                                                         eldercare_pb2.CARE_KIND_CLEANING}
    assert result.figures_csv.startswith("shift,operators,caregivers,kind,")
    assert "<svg" in result.chart_svg and "SLA share against staff count" in result.chart_svg
    # Reproducible: the same seed gives the same plan.
    again = plan(planner, shifts=[shift("day", 8, 20, 1, 2), shift("night", 20, 8, 1, 2)])[-1].plan
    assert again.figures == result.figures


def test_a_community_without_history_is_refused_unless_the_labelled_default_profile_is_asked_for(planner):
    error = rpc_error(lambda: plan(planner, community_id=QUIET))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION and "no care-request history" in error.details()
    result = plan(planner, community_id=QUIET, use_default_profile=True, default_profile_elders=300,
                  shifts=[shift("all-day", 0, 0, 1, 4)])[-1].plan
    assert result.profile_is_default and "default profile for 300 elders" in result.profile_source


def test_the_search_returns_the_smallest_roster_and_the_next_smaller_ones_shortfalls(planner):
    updates = plan(planner, community_id=QUIET, use_default_profile=True, default_profile_elders=300, search=True,
                   targets=pb.StaffingTargets(emergency_acknowledged_share=0.9, emergency_wait_p95_seconds=3600,
                                              routine_wait_p95_seconds=4 * 3600))
    result = updates[-1].plan
    assert result.searched and result.meets_targets and result.rosters_tried >= 2
    assert any(u.progress.message.startswith("roster 1") for u in updates if u.HasField("progress"))
    assert result.smaller and all(s.shortfalls for s in result.smaller)


def test_only_administrators_serving_the_community_may_plan(planner):
    for caller in (OPERATOR, ELSEWHERE):
        assert rpc_error(lambda: plan(planner, caller=caller)).code() == grpc.StatusCode.PERMISSION_DENIED


def test_impossible_and_malformed_rosters_are_refused_with_the_reason(planner, history):
    error = rpc_error(lambda: plan(planner, shifts=[shift("day", 8, 20, 0, 2), shift("night", 20, 8, 1, 2)]))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "day: calls come in but no operator is on shift" in error.details()
    error = rpc_error(lambda: plan(planner, shifts=[shift("day", 8, 20, 1, 2)]))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "uncovered hours" in error.details()
    error = rpc_error(lambda: plan(planner, days=1000))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "days" in error.details()


def test_linli_staffing_prints_the_plan_and_writes_json_csv_and_the_chart(api_address, monkeypatch, tmp_path,
                                                                          capsys):
    from linli_dev import staffing as command

    monkeypatch.setenv("ELDERCARE_API_ADDR", api_address)
    code = command.main(["--community", QUIET, "--default-profile", "--elders", "300", "--days", "2",
                         "--shift", "all-day=0-0:1:4", "--json", str(tmp_path / "plan.json"),
                         "--csv", str(tmp_path / "plan.csv"), "--chart", str(tmp_path / "plan.svg")])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "DEFAULT PROFILE" in out.out and "all-day 00-00: 1 operators, 4 caregivers" in out.out
    assert "day 2 of 2" in out.err
    assert '"profile_is_default": true' in (tmp_path / "plan.json").read_text()
    assert (tmp_path / "plan.csv").read_text().startswith("shift,operators")
    assert "<svg" in (tmp_path / "plan.svg").read_text()
    assert command.main(["--community", QUIET]) == 1
    assert "no care-request history" in capsys.readouterr().err
