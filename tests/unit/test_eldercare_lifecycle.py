"""The care-request lifecycle after acknowledgement: assignment, travel, check-in, completion, closing,
cancellation, reassignment, escalation by hand and feedback. Pure rules: no broker, no database."""
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_POLICY

NOW = datetime(2026, 11, 27, 2, 30, tzinfo=timezone.utc)
HOME = care.GeoPoint(41.8810, 123.9570)  # 东华园, Fushun
NEARBY = care.GeoPoint(41.8813, 123.9572)  # ~40 m away
FAR = care.GeoPoint(41.8900, 123.9570)  # ~1 km away
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))
CAREGIVER = Caller("cg-li", frozenset({"caregiver"}), frozenset({"donghuayuan"}))
OTHER_CAREGIVER = Caller("cg-zhao", frozenset({"caregiver"}), frozenset({"donghuayuan"}))
ELDER = Caller("elder-1", frozenset({"resident"}), frozenset({"donghuayuan"}))
FAMILY = Caller("son-of-elder-1", frozenset({"family"}), frozenset({"donghuayuan"}))
LI = care.Assignee("cg-li", "staff", "李护工")


def raised(kind="bathing", position=HOME) -> care.CareRequest:
    new = care.NewCareRequest("donghuayuan", "elder-1", kind, "app", position=position)
    return care.raise_request(ELDER, new, "cr-1", NOW, DEFAULT_POLICY)


def assigned(kind="bathing", position=HOME, at=NOW) -> care.CareRequest:
    return care.assign(OPERATOR, raised(kind, position), LI, True, "", at, DEFAULT_POLICY)


def on_site(at=NOW) -> care.CareRequest:
    travelling = care.start_travel(CAREGIVER, assigned(), 10, at)
    return care.arrive(CAREGIVER, travelling, NEARBY, "", at + timedelta(minutes=9))


def test_assigning_a_raised_call_acknowledges_it_and_stops_its_escalation():
    request = care.assign(OPERATOR, raised("emergency"), LI, True, "", NOW + timedelta(seconds=20), DEFAULT_POLICY)
    assert request.status == care.ASSIGNED
    assert request.acknowledged_at == NOW + timedelta(seconds=20) and request.acknowledged_by == "op-wang"
    assert request.escalate_at is None
    assert request.assignment.accept_due_at == NOW + timedelta(seconds=20) + DEFAULT_POLICY["emergency"].accept_within


def test_assigning_someone_not_suggested_needs_a_reason_which_is_recorded():
    with pytest.raises(InvalidArgument) as error:
        care.assign(OPERATOR, raised(), LI, False, "  ", NOW, DEFAULT_POLICY)
    assert "override_reason" in error.value.fields
    request = care.assign(OPERATOR, raised(), LI, False, "她熟悉这位老人", NOW, DEFAULT_POLICY)
    assert request.assignment.override_reason == "她熟悉这位老人"
    assert "override" in request.history[-1].note


def test_volunteers_are_never_sent_to_an_emergency():
    with pytest.raises(FailedPrecondition):
        care.assign(OPERATOR, raised("emergency"), care.Assignee("v-1", "volunteer", "志愿者"), True, "", NOW,
                    DEFAULT_POLICY)


def test_only_the_assignee_may_accept_travel_or_check_in():
    request = assigned()
    for step in (lambda c: care.accept(c, request, NOW), lambda c: care.start_travel(c, request, 5, NOW),
                 lambda c: care.arrive(c, request, NEARBY, "", NOW)):
        with pytest.raises(PermissionDenied):
            step(OTHER_CAREGIVER)


def test_the_full_happy_path_records_every_transition_in_order():
    request = care.accept(CAREGIVER, assigned(), NOW + timedelta(minutes=1))
    request = care.start_travel(CAREGIVER, request, 8, NOW + timedelta(minutes=2))
    assert request.eta == NOW + timedelta(minutes=10)
    request = care.arrive(CAREGIVER, request, NEARBY, "", NOW + timedelta(minutes=9))
    assert request.visit.visitor_id == "cg-li" and request.visit.distance_m < 100
    request = care.complete(CAREGIVER, request, "洗浴完成", NOW + timedelta(minutes=50))
    assert request.visit.checked_out_at == NOW + timedelta(minutes=50) and request.visit.notes == "洗浴完成"
    request = care.close(OPERATOR, request, "resolved", "", NOW + timedelta(minutes=55))
    assert [t.status for t in request.history] == [
        "raised", "assigned", "assigned", "en_route", "on_site", "completed", "closed"]
    assert request.status == care.CLOSED and request.disposition == "resolved"
    assert request.version == len(request.history)


def test_check_in_far_from_home_is_refused_with_the_distance():
    travelling = care.start_travel(CAREGIVER, assigned(), 10, NOW)
    with pytest.raises(FailedPrecondition) as error:
        care.arrive(CAREGIVER, travelling, FAR, "", NOW)
    assert "m from the elder's home" in error.value.message


def test_check_in_near_where_the_elders_phone_placed_them_widens_by_the_fixs_accuracy():
    # 150 m north of the phone's fix: outside the 100 m fence, inside it once a 60 m accuracy is allowed for.
    fix = care.GeoPoint(41.8810, 123.9570)
    door = care.GeoPoint(41.8810 + 150 / 111_200, 123.9570)
    for accuracy, admitted in ((10.0, False), (60.0, True)):
        new = care.NewCareRequest("donghuayuan", "elder-1", "bathing", "app", position=fix,
                                  position_source=care.PHONE_GPS, position_accuracy_m=accuracy)
        request = care.assign(OPERATOR, care.raise_request(ELDER, new, "cr-1", NOW, DEFAULT_POLICY), LI, True, "",
                              NOW, DEFAULT_POLICY)
        travelling = care.start_travel(CAREGIVER, request, 10, NOW)
        if admitted:
            assert care.arrive(CAREGIVER, travelling, door, "", NOW).status == care.ON_SITE
        else:
            with pytest.raises(FailedPrecondition, match="where the elder's phone placed them"):
                care.arrive(CAREGIVER, travelling, door, "", NOW)


def test_an_operator_can_override_the_geofence_and_it_is_logged():
    travelling = care.start_travel(CAREGIVER, assigned(), 10, NOW)
    request = care.arrive(OPERATOR, travelling, FAR, "GPS 漂移, 电话确认已到", NOW)
    assert request.status == care.ON_SITE
    assert (request.visit.override_reason, request.visit.override_by) == ("GPS 漂移, 电话确认已到", "op-wang")
    assert request.visit.visitor_id == "cg-li"


def test_a_caregiver_cannot_override_the_geofence():
    travelling = care.start_travel(CAREGIVER, assigned(), 10, NOW)
    with pytest.raises(PermissionDenied):
        care.arrive(CAREGIVER, travelling, FAR, "trust me", NOW)


def test_without_a_known_home_position_only_an_operator_can_check_someone_in():
    travelling = care.start_travel(CAREGIVER, assigned(position=None), 10, NOW)
    with pytest.raises(FailedPrecondition):
        care.arrive(CAREGIVER, travelling, NEARBY, "", NOW)


def test_a_declined_assignment_returns_the_request_for_reassignment():
    request = care.decline(CAREGIVER, assigned(), "在另一位老人家里", NOW)
    assert request.status == care.ACKNOWLEDGED and request.assignment is None
    assert "declined" in request.history[-1].note
    again = care.assign(OPERATOR, request, care.Assignee("cg-zhao", "staff", "赵护工"), True, "", NOW, DEFAULT_POLICY)
    assert again.assignment.assignee_id == "cg-zhao"


def test_an_unaccepted_assignment_times_out_after_its_window_and_not_before():
    request = assigned()
    window = DEFAULT_POLICY["bathing"].accept_within
    assert not care.is_assignment_overdue(request, NOW + window - timedelta(seconds=1))
    assert care.is_assignment_overdue(request, NOW + window)
    returned = care.time_out_assignment(request, NOW + window)
    assert returned.status == care.ACKNOWLEDGED and returned.assignment is None
    accepted = care.accept(CAREGIVER, request, NOW + timedelta(minutes=1))
    assert not care.is_assignment_overdue(accepted, NOW + window * 2)


def test_a_false_alarm_can_be_cancelled_by_the_elder_but_not_once_someone_is_on_site():
    cancelled = care.cancel(ELDER, raised(), "按错了", NOW)
    assert cancelled.status == care.CANCELLED and cancelled.cancel_reason == "按错了"
    with pytest.raises(FailedPrecondition):
        care.cancel(OPERATOR, on_site(), "按错了", NOW)
    with pytest.raises(InvalidArgument):
        care.cancel(ELDER, raised(), "", NOW)


def test_a_neighbour_cannot_cancel_someone_elses_call():
    with pytest.raises(PermissionDenied):
        care.cancel(Caller("elder-2", frozenset({"resident"}), frozenset({"donghuayuan"})), raised(), "x", NOW)


def test_closing_as_resolved_needs_a_completed_service_but_a_hand_off_to_120_does_not():
    with pytest.raises(FailedPrecondition):
        care.close(OPERATOR, assigned(), "resolved", "", NOW)
    handed = care.close(OPERATOR, assigned("emergency"), "handed_to_emergency_services", "120 接走", NOW)
    assert handed.status == care.CLOSED
    with pytest.raises(InvalidArgument):
        care.close(OPERATOR, assigned(), "lost", "", NOW)


def test_an_operator_can_escalate_by_hand_up_to_the_top_of_the_ladder():
    request = assigned("emergency")
    for rung in ("supervisor", "family_contact", "emergency_services"):
        request = care.escalate_by_hand(OPERATOR, request, "老人无应答", NOW)
        assert request.escalated_to == rung
    with pytest.raises(FailedPrecondition):
        care.escalate_by_hand(OPERATOR, request, "again", NOW)


def test_the_elder_or_their_family_rate_a_completed_service_once():
    done = care.complete(CAREGIVER, on_site(), "", NOW + timedelta(hours=1))
    with pytest.raises(FailedPrecondition):
        care.rate(ELDER, assigned(), 5, "", NOW)
    rated = care.rate(FAMILY, done, 5, "很细心", NOW, family_of=frozenset({"elder-1"}))
    assert rated.feedback.rating == 5 and rated.feedback.rated_by == "son-of-elder-1"
    with pytest.raises(FailedPrecondition):
        care.rate(ELDER, rated, 4, "", NOW)
    with pytest.raises(PermissionDenied):
        care.rate(FAMILY, done, 5, "", NOW, family_of=frozenset())
    with pytest.raises(InvalidArgument):
        care.rate(ELDER, done, 6, "", NOW)


def test_the_assignee_and_the_family_see_the_request_but_another_caregiver_does_not():
    request = assigned()
    assert care.check_visible(CAREGIVER, request, "cr-1") is request
    assert care.check_visible(FAMILY, request, "cr-1", family_of=frozenset({"elder-1"})) is request
    with pytest.raises(NotFound):
        care.check_visible(OTHER_CAREGIVER, request, "cr-1")
    with pytest.raises(NotFound):
        care.check_visible(FAMILY, request, "cr-1", family_of=frozenset({"elder-9"}))


def test_my_requests_mean_jobs_for_caregivers_and_calls_for_residents_and_families():
    assert care.my_scope(CAREGIVER).assignee_id == "cg-li"
    assert care.my_scope(ELDER).elder_ids == {"elder-1"}
    assert care.my_scope(FAMILY, frozenset({"elder-1", "elder-7"})).elder_ids == {"elder-1", "elder-7"}
    with pytest.raises(PermissionDenied):
        care.my_scope(OPERATOR)


def test_distance_between_two_points_is_in_metres():
    assert 30 < care.distance_m(HOME, NEARBY) < 50
    assert 950 < care.distance_m(HOME, FAR) < 1050


def test_a_second_press_while_the_first_is_unanswered_is_the_same_call():
    device = Caller("pager-1", frozenset({"device"}), frozenset({"donghuayuan"}))
    press = care.NewCareRequest("donghuayuan", "elder-1", "emergency", "device", position=HOME, device_id="pager-1")
    first = care.raise_request(device, press, "cr-1", NOW, DEFAULT_POLICY)
    assert care.repeated_press([first], press, NOW + timedelta(seconds=30)) is first
    assert care.repeated_press([first], press, NOW + timedelta(minutes=3)) is None
    assert care.repeated_press([first], care.NewCareRequest("donghuayuan", "elder-1", "medical", "device"),
                               NOW) is None
    answered = care.acknowledge(OPERATOR, first, NOW + timedelta(seconds=10))
    assert care.repeated_press([answered], press, NOW + timedelta(seconds=30)) is None
