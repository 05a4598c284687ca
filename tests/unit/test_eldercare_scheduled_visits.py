"""Visits booked for later (a home follow-up after a hospital discharge, a bath on Saturday): their clocks
start at their scheduled time, they are upcoming until then, and bad bookings are refused by field. No
broker, no database."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import InvalidArgument, PermissionDenied
from linli.kit.identity import Caller
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_POLICY

NOW = datetime(2026, 11, 27, 2, 30, tzinfo=timezone.utc)  # 10:30 in the pilot community
ZONE = "Asia/Shanghai"
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))
RESIDENT = Caller("elder-1", frozenset({"resident"}), frozenset({"donghuayuan"}))
FAMILY = Caller("son-1", frozenset({"family"}), frozenset({"donghuayuan"}))
CAREGIVER = Caller("cg-li", frozenset({"caregiver"}), frozenset({"donghuayuan"}))
# The same policy, with medical requests climbing the ladder too: the ladder's clock is what is tested.
ESCALATING = {**DEFAULT_POLICY, "medical": replace(DEFAULT_POLICY["medical"], escalates=True)}
IN_THREE_DAYS = NOW + timedelta(days=3)


def booked(when=IN_THREE_DAYS, kind="medical", caller=OPERATOR, policy=ESCALATING, now=NOW) -> care.CareRequest:
    new = care.NewCareRequest("donghuayuan", "elder-1", kind, "phone", scheduled_for=when)
    # The family member is the elder's registered contact: only the booking itself may be refused.
    return care.raise_request(caller, new, "cr-1", now, policy, family_of=frozenset({"elder-1"}))


def test_a_visit_booked_for_later_is_due_for_acknowledgement_from_its_scheduled_time():
    request = booked()
    sla = ESCALATING["medical"].acknowledge_within
    assert request.raised_at == NOW
    assert request.scheduled_for == IN_THREE_DAYS
    assert request.clock_starts_at == IN_THREE_DAYS
    assert request.acknowledge_due_at == IN_THREE_DAYS + sla
    assert request.escalate_at == IN_THREE_DAYS + sla


def test_a_call_to_answer_now_keeps_its_clock_from_when_it_was_raised():
    request = care.raise_request(OPERATOR, care.NewCareRequest("donghuayuan", "elder-1", "medical", "phone"),
                                 "cr-1", NOW, ESCALATING)
    assert request.scheduled_for is None
    assert request.clock_starts_at == NOW
    assert request.acknowledge_due_at == NOW + ESCALATING["medical"].acknowledge_within


def test_a_booked_visit_does_not_escalate_before_its_time_and_climbs_the_ladder_after_it():
    request = booked()
    sla = ESCALATING["medical"].acknowledge_within
    # Minutes after booking (when a call would already have escalated), and up to the SLA after its time.
    for moment in (NOW + sla, NOW + sla * 10, IN_THREE_DAYS, IN_THREE_DAYS + sla - timedelta(seconds=1)):
        assert not care.is_due_for_escalation(request, moment)
    assert care.is_due_for_escalation(request, IN_THREE_DAYS + sla)
    climbed = care.escalate(request, IN_THREE_DAYS + sla, ESCALATING)
    assert climbed.escalation_level == 1
    assert climbed.escalate_at == IN_THREE_DAYS + 2 * sla


def test_a_booked_visit_of_a_kind_that_never_escalates_still_never_escalates():
    request = booked(policy=DEFAULT_POLICY)
    assert request.escalate_at is None
    assert not care.is_due_for_escalation(request, IN_THREE_DAYS + timedelta(days=1))


def test_acknowledging_a_booked_visit_ahead_of_its_time_counts_within_sla_and_takes_no_time():
    request = care.acknowledge(OPERATOR, booked(), NOW + timedelta(hours=1))
    assert care.acknowledged_within_sla(request)
    assert care.seconds_since_clock_start(request, request.acknowledged_at) == 0
    assert request.escalate_at is None


def test_a_booked_visit_acknowledged_late_is_an_sla_miss_measured_from_its_time():
    sla = ESCALATING["medical"].acknowledge_within
    late = IN_THREE_DAYS + sla + timedelta(seconds=30)
    request = care.acknowledge(OPERATOR, booked(), late)
    assert not care.acknowledged_within_sla(request)
    assert care.seconds_since_clock_start(request, late) == (sla + timedelta(seconds=30)).total_seconds()


def test_a_booked_visit_is_upcoming_until_its_time_or_until_someone_sets_off():
    request = booked()
    assert care.is_upcoming(request, NOW)
    assert care.is_upcoming(request, IN_THREE_DAYS - timedelta(seconds=1))
    assert not care.is_upcoming(request, IN_THREE_DAYS)
    assigned = care.assign(OPERATOR, request, care.Assignee("cg-li", "staff", "李护工"), True, "", NOW, ESCALATING)
    assert care.is_upcoming(assigned, NOW)  # planned ahead, still not a live call
    travelling = care.start_travel(CAREGIVER, assigned, 20, NOW + timedelta(days=2))
    assert not care.is_upcoming(travelling, NOW + timedelta(days=2))


def test_a_call_to_answer_now_is_never_upcoming():
    request = care.raise_request(OPERATOR, care.NewCareRequest("donghuayuan", "elder-1", "meal", "phone"), "cr-1",
                                 NOW, DEFAULT_POLICY)
    assert not care.is_upcoming(request, NOW - timedelta(days=1))


@pytest.mark.parametrize("when, why", [
    (NOW, "now is not later"),
    (NOW - timedelta(minutes=5), "in the past"),
    (NOW + care.SCHEDULE_HORIZON + timedelta(seconds=1), "beyond the horizon"),
])
def test_will_refuse_a_booking_that_is_not_in_the_future_within_the_horizon(when, why):
    with pytest.raises(InvalidArgument) as error:
        booked(when)
    assert "scheduled_for" in error.value.fields, why


def test_a_booking_at_the_horizon_itself_is_accepted():
    assert booked(NOW + care.SCHEDULE_HORIZON).scheduled_for == NOW + care.SCHEDULE_HORIZON


def test_will_refuse_a_booking_time_without_its_zone():
    with pytest.raises(InvalidArgument) as error:
        booked(datetime(2026, 12, 1, 9, 0))
    assert "scheduled_for" in error.value.fields


def test_will_refuse_to_book_an_emergency_for_later():
    with pytest.raises(InvalidArgument) as error:
        booked(kind="emergency")
    assert "scheduled_for" in error.value.fields


@pytest.mark.parametrize("caller", [RESIDENT, FAMILY], ids=["resident", "family"])
def test_only_operators_book_visits_for_later(caller):
    booked(when=None, caller=caller, kind="cleaning")  # they may raise a call now
    with pytest.raises(PermissionDenied):
        booked(caller=caller)


def test_a_booking_time_is_kept_to_the_millisecond_as_the_store_keeps_it():
    request = booked(IN_THREE_DAYS.replace(microsecond=123_456))
    assert request.scheduled_for.microsecond == 123_000


# -- the follow-up visit after a hospital discharge -------------------------------------------------------

def test_a_follow_up_visit_is_booked_for_the_morning_of_the_plans_due_date_in_the_communitys_zone():
    when = care.follow_up_visit_time("2026-12-04", NOW, ZONE)
    assert when == datetime(2026, 12, 4, 1, 0, tzinfo=timezone.utc)  # 09:00 in the community's zone
    assert care.local_day(when, ZONE) == "2026-12-04"


def test_a_follow_up_visit_without_a_due_date_is_booked_for_the_next_morning():
    assert care.follow_up_visit_time("", NOW, ZONE) == datetime(2026, 11, 28, 1, 0, tzinfo=timezone.utc)


def test_a_follow_up_visit_due_today_before_the_morning_is_booked_for_this_morning():
    early = datetime(2026, 11, 26, 22, 0, tzinfo=timezone.utc)  # 06:00 on the 27th locally
    assert care.follow_up_visit_time("2026-11-27", early, ZONE) == datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("due", ["2026-11-27", "2026-11-20"], ids=["today, morning gone", "already past"])
def test_a_follow_up_visit_whose_morning_has_come_is_not_booked_but_due_now(due):
    assert care.follow_up_visit_time(due, NOW, ZONE) is None


def test_a_follow_up_visit_due_past_the_horizon_is_booked_at_the_horizon():
    assert care.follow_up_visit_time("2027-12-01", NOW, ZONE) == NOW + care.SCHEDULE_HORIZON
