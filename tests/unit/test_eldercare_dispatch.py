"""Who dispatch suggests, and why: skill and shift first, then distance plus load."""
from datetime import datetime, timezone

import pytest

from linli.kit.errors import InvalidArgument, PermissionDenied
from linli.kit.identity import Caller
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import staff
from services.eldercare.policy import DEFAULT_POLICY

NOW = datetime(2026, 11, 27, 2, 30, tzinfo=timezone.utc)
HOME = care.GeoPoint(41.8810, 123.9570)
ELDER = Caller("elder-1", frozenset({"resident"}), frozenset({"donghuayuan"}))
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))


def member(id, metres_north=None, skills=("bathing", "emergency"), on_shift=True, community="donghuayuan"):
    position = None if metres_north is None else care.GeoPoint(HOME.latitude + metres_north / 111_195, HOME.longitude)
    return staff.StaffMember(id, community, id, "", frozenset(skills), on_shift, NOW if on_shift else None, position)


def request(kind="bathing"):
    return care.raise_request(ELDER, care.NewCareRequest("donghuayuan", "elder-1", kind, "app", position=HOME),
                              "cr-1", NOW, DEFAULT_POLICY)


def test_only_on_shift_staff_of_the_community_with_the_skill_are_suggested():
    team = [member("near"), member("off", 10, on_shift=False), member("cook", 10, skills=("meal",)),
            member("elsewhere", 10, community="another")]
    assert [c.assignee_id for c in staff.suggest(request(), team, {}, DEFAULT_POLICY)] == ["near"]


def test_nearer_staff_come_first_and_each_open_job_weighs_like_400_metres():
    team = [member("far", 900), member("near-but-busy", 100), member("middle", 450)]
    loads = {"near-but-busy": 1}
    ranked = staff.suggest(request(), team, loads, DEFAULT_POLICY)
    assert [c.assignee_id for c in ranked] == ["middle", "near-but-busy", "far"]
    assert ranked[1].reasons == ("on shift with the bathing skill", "100 m away", "1 open job")


def test_staff_with_no_known_position_come_last():
    ranked = staff.suggest(request(), [member("unknown"), member("far", 2000)], {}, DEFAULT_POLICY)
    assert [c.assignee_id for c in ranked] == ["far", "unknown"]
    assert "position unknown" in ranked[1].reasons


def test_volunteers_are_offered_only_for_kinds_that_welcome_them():
    volunteer = staff.Candidate("v-1", "volunteer", "志愿者", 50.0, 0, ("volunteer nearby",))
    assert staff.suggest(request("emergency"), [], {}, DEFAULT_POLICY, volunteers=[volunteer]) == []
    assert staff.suggest(request("cleaning"), [], {}, DEFAULT_POLICY, volunteers=[volunteer]) == [volunteer]


def test_registering_staff_needs_an_operator_and_known_skills():
    with pytest.raises(InvalidArgument) as error:
        staff.register(OPERATOR, staff.StaffMember("cg-1", "donghuayuan", "", "", frozenset({"flying"})))
    assert {"name", "skills"} <= set(error.value.fields)
    with pytest.raises(PermissionDenied):
        staff.register(ELDER, member("cg-1"))


def test_staff_report_only_their_own_position():
    with pytest.raises(PermissionDenied):
        staff.report_position(OPERATOR, member("cg-1"), HOME, NOW)
