"""Care request rules, with no broker and no database."""
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_POLICY, with_emergency_sla

NOW = datetime(2026, 11, 27, 2, 30, tzinfo=timezone.utc)
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))
OTHER_OPERATOR = Caller("op-li", frozenset({"operator"}), frozenset({"another"}))
RESIDENT = Caller("elder-1", frozenset({"resident"}), frozenset({"donghuayuan"}))
NEIGHBOUR = Caller("elder-2", frozenset({"resident"}), frozenset({"donghuayuan"}))
DISTRICT_ADMIN = Caller("admin", frozenset({"administrator"}), frozenset({"*"}))


def new(**overrides) -> care.NewCareRequest:
    fields = dict(community_id="donghuayuan", elder_id="elder-1", kind="emergency", channel="device")
    return care.NewCareRequest(**{**fields, **overrides})


def raised(caller=OPERATOR, policy=DEFAULT_POLICY, **overrides) -> care.CareRequest:
    return care.raise_request(caller, new(**overrides), "cr-1", NOW, policy)


def test_an_emergency_is_due_for_acknowledgement_within_its_sla_and_most_urgent():
    request = raised()
    assert request.status == care.RAISED
    assert request.priority == 1
    assert request.acknowledge_due_at == NOW + timedelta(seconds=60)
    assert request.escalate_at == request.acknowledge_due_at


def test_the_emergency_sla_comes_from_configuration():
    request = raised(policy=with_emergency_sla(15))
    assert request.acknowledge_due_at == NOW + timedelta(seconds=15)


def test_a_routine_request_never_escalates():
    request = raised(kind="cleaning")
    assert request.priority > 1
    assert request.escalate_at is None
    assert not care.is_due_for_escalation(request, NOW + timedelta(days=1))


def test_will_refuse_a_request_naming_every_bad_field():
    with pytest.raises(InvalidArgument) as error:
        raised(kind="teleport", channel="", elder_id="", description="x" * 501)
    assert set(error.value.fields) == {"kind", "channel", "elder_id", "description"}
    assert "kind" in error.value.message


def test_a_resident_may_raise_only_for_themselves():
    assert raised(caller=RESIDENT).raised_by == "elder-1"
    with pytest.raises(PermissionDenied):
        raised(caller=NEIGHBOUR)


def test_an_operator_may_not_raise_in_a_community_they_do_not_serve():
    with pytest.raises(PermissionDenied):
        raised(caller=OTHER_OPERATOR)


def test_acknowledging_records_who_and_when_and_stops_escalation():
    later = NOW + timedelta(seconds=20)
    acknowledged = care.acknowledge(OPERATOR, raised(), later)
    assert (acknowledged.status, acknowledged.acknowledged_by, acknowledged.acknowledged_at) == (
        care.ACKNOWLEDGED, "op-wang", later)
    assert acknowledged.escalate_at is None
    assert acknowledged.version == 2
    assert care.acknowledged_within_sla(acknowledged)


def test_will_refuse_to_acknowledge_twice():
    acknowledged = care.acknowledge(OPERATOR, raised(), NOW)
    with pytest.raises(FailedPrecondition):
        care.acknowledge(OPERATOR, acknowledged, NOW)


def test_a_resident_may_not_acknowledge_their_own_call():
    with pytest.raises(PermissionDenied):
        care.acknowledge(RESIDENT, raised(), NOW)


def test_an_unacknowledged_emergency_climbs_the_ladder_once_per_window_until_the_top():
    request = raised(policy=with_emergency_sla(60))
    assert not care.is_due_for_escalation(request, NOW + timedelta(seconds=59))
    at = NOW + timedelta(seconds=60)
    levels = []
    while care.is_due_for_escalation(request, at):
        request = care.escalate(request, at, DEFAULT_POLICY)
        levels.append(request.escalation_level)
        at += timedelta(seconds=60)
    assert levels == [1, 2, 3]
    assert request.escalated_to == "emergency_services"
    assert "escalated to emergency_services" in care.escalation_reason(request)
    assert request.escalate_at is None


def test_an_acknowledged_emergency_is_not_escalated():
    acknowledged = care.acknowledge(OPERATOR, raised(), NOW + timedelta(seconds=5))
    with pytest.raises(FailedPrecondition):
        care.escalate(acknowledged, NOW + timedelta(minutes=5), DEFAULT_POLICY)


def test_someone_elses_request_looks_like_a_missing_one():
    request = raised(caller=RESIDENT)
    assert care.check_visible(RESIDENT, request, "cr-1") is request
    assert care.check_visible(DISTRICT_ADMIN, request, "cr-1") is request
    for stranger in (NEIGHBOUR, OTHER_OPERATOR):
        with pytest.raises(NotFound):
            care.check_visible(stranger, request, "cr-1")


def test_list_scope_follows_the_communities_served():
    assert care.list_scope(OPERATOR, "").communities == {"donghuayuan"}
    assert care.list_scope(DISTRICT_ADMIN, "").communities is None
    assert care.list_scope(RESIDENT, "").elder_ids == {"elder-1"}
    with pytest.raises(PermissionDenied):
        care.list_scope(OTHER_OPERATOR, "donghuayuan")


def test_figures_count_by_the_communitys_local_day():
    # 17:30 UTC on the 26th is already the 27th in Beijing.
    assert care.local_day(datetime(2026, 11, 26, 17, 30, tzinfo=timezone.utc), "Asia/Shanghai") == "2026-11-27"


def test_a_call_device_raises_calls_only_by_pressing_as_itself():
    pager = Caller("pager-7", frozenset({"device"}), frozenset({"donghuayuan"}))
    assert raised(caller=pager, device_id="pager-7").device_id == "pager-7"
    for forged in (dict(device_id="pager-8"), dict(device_id="pager-7", channel="phone"), dict(device_id="")):
        with pytest.raises(PermissionDenied):
            raised(caller=pager, **forged)
