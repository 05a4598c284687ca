"""Attendance rules: sign-up and capacity, confirmation, check-in only at the place and inside the time
window (or a coordinator's logged override), check-out recording capped hours, forgotten check-outs."""
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from linli.kit.identity import Caller
from services.volunteer.domain import activities as act
from services.volunteer.domain import hours
from services.volunteer.domain.volunteers import GeoPoint, Volunteer

COMMUNITY = "donghuayuan"
ZONE = "Asia/Shanghai"
COORDINATOR = Caller("co-zhao", frozenset({"coordinator"}), frozenset({COMMUNITY}))
VOLUNTEER = Caller("vol-wang", frozenset({"volunteer"}), frozenset({COMMUNITY}))
OTHER_VOLUNTEER = Caller("vol-li", frozenset({"volunteer"}), frozenset({COMMUNITY}))
CENTRE = GeoPoint(41.8810, 123.9570)  # 党群活动中心
NEAR = GeoPoint(41.8812, 123.9571)  # ~25 m
FAR = GeoPoint(41.8900, 123.9570)  # ~1 km
START = datetime(2026, 5, 16, 1, 0, tzinfo=timezone.utc)  # 09:00 in Fushun
END = START + timedelta(hours=3)

WANG = Volunteer("vol-wang", COMMUNITY, "王秀兰", party_member=True, branch="第一党支部")
ACTIVITY = act.Activity("act-1", COMMUNITY, "邻居节", "", act.Place("党群活动中心", CENTRE, 200))
SHIFT = act.Shift("sh-1", "act-1", COMMUNITY, "上午场", START, END, capacity=2)


def signed_up(caller=VOLUNTEER, shift=SHIFT) -> act.Attendance:
    return act.sign_up(caller, WANG, shift, "att-1", START - timedelta(days=1))


def confirmed() -> act.Attendance:
    return act.confirm(COORDINATOR, signed_up(), START - timedelta(hours=20))


def checked_in(at=START) -> act.Attendance:
    return act.check_in(VOLUNTEER, confirmed(), ACTIVITY, NEAR, "", at)


def check_out(attendance, at, ledger=(), caller=VOLUNTEER, auto=False):
    return act.check_out(caller, attendance, WANG, ACTIVITY, list(ledger), "entry-1", at, ZONE, auto=auto)


def credit(entry_id, start, end, minutes=None, status=hours.PENDING, day="2026-05-16") -> hours.HoursEntry:
    minutes = minutes if minutes is not None else int((end - start).total_seconds() // 60)
    return hours.HoursEntry(entry_id, COMMUNITY, "vol-wang", "王秀兰", hours.CREDIT, minutes, start, end, day,
                            hours.ATTENDANCE, f"att-{entry_id}", "巡楼探访", start, "vol-wang", status=status)


# -- sign-up and capacity

def test_a_volunteer_signs_themself_up_for_a_shift_with_a_free_place():
    attendance = signed_up()
    assert attendance.status == act.SIGNED_UP and attendance.volunteer_id == "vol-wang"
    assert (attendance.shift_starts_at, attendance.shift_ends_at) == (START, END)


def test_a_coordinator_may_sign_up_a_volunteer_of_their_community():
    assert signed_up(caller=COORDINATOR).history[0].by == "co-zhao"


def test_a_volunteer_cannot_sign_up_someone_else():
    with pytest.raises(PermissionDenied):
        signed_up(caller=OTHER_VOLUNTEER)


def test_a_full_shift_refuses_more_sign_ups():
    full = act.Shift("sh-1", "act-1", COMMUNITY, "上午场", START, END, capacity=2, taken=2)
    with pytest.raises(FailedPrecondition, match="full"):
        signed_up(shift=full)


def test_a_shift_that_has_ended_takes_no_sign_ups():
    with pytest.raises(FailedPrecondition, match="ended"):
        act.sign_up(VOLUNTEER, WANG, SHIFT, "att-1", END)


def test_an_inactive_volunteer_cannot_sign_up():
    from dataclasses import replace

    with pytest.raises(FailedPrecondition, match="not active"):
        act.sign_up(VOLUNTEER, replace(WANG, active=False), SHIFT, "att-1", START - timedelta(days=1))


def test_only_a_coordinator_confirms_a_sign_up():
    with pytest.raises(PermissionDenied):
        act.confirm(VOLUNTEER, signed_up(), START)
    assert confirmed().status == act.CONFIRMED


def test_a_sign_up_may_be_withdrawn_before_check_in_but_not_after():
    assert act.withdraw(VOLUNTEER, signed_up(), "家里有事", START).status == act.WITHDRAWN
    with pytest.raises(FailedPrecondition):
        act.withdraw(VOLUNTEER, checked_in(), "", START)


# -- check-in: place and time window

def test_a_confirmed_volunteer_checks_in_at_the_place_within_the_window():
    attendance = checked_in(at=START - timedelta(minutes=20))
    assert attendance.status == act.CHECKED_IN and attendance.check_in_distance_m < 50
    assert attendance.flags == ()


def test_check_in_needs_a_confirmed_sign_up():
    with pytest.raises(FailedPrecondition, match="signed_up"):
        act.check_in(VOLUNTEER, signed_up(), ACTIVITY, NEAR, "", START)


def test_check_in_far_from_the_place_is_refused():
    with pytest.raises(FailedPrecondition, match="within 200 m"):
        act.check_in(VOLUNTEER, confirmed(), ACTIVITY, FAR, "", START)


def test_check_in_without_a_position_is_refused():
    with pytest.raises(InvalidArgument):
        act.check_in(VOLUNTEER, confirmed(), ACTIVITY, None, "", START)


def test_check_in_too_early_is_refused():
    with pytest.raises(FailedPrecondition, match="opens"):
        act.check_in(VOLUNTEER, confirmed(), ACTIVITY, NEAR, "", START - timedelta(minutes=31))


def test_check_in_after_the_shift_ended_is_refused():
    with pytest.raises(FailedPrecondition, match="ended"):
        act.check_in(VOLUNTEER, confirmed(), ACTIVITY, NEAR, "", END)


def test_a_volunteer_cannot_check_in_someone_else():
    with pytest.raises(PermissionDenied):
        act.check_in(OTHER_VOLUNTEER, confirmed(), ACTIVITY, NEAR, "", START)


def test_a_volunteer_cannot_be_checked_in_at_two_shifts_at_once():
    with pytest.raises(FailedPrecondition, match="another shift"):
        act.check_in(VOLUNTEER, confirmed(), ACTIVITY, NEAR, "", START, checked_in_elsewhere=True)


def test_a_coordinator_overrides_place_and_time_with_a_reason_that_is_logged_and_flagged():
    attendance = act.check_in(COORDINATOR, confirmed(), ACTIVITY, None, "手机没电，现场核实", END + timedelta(hours=1))
    assert attendance.status == act.CHECKED_IN
    assert (attendance.override_reason, attendance.override_by) == ("手机没电，现场核实", "co-zhao")
    assert act.FLAG_OVERRIDE in attendance.flags and "override" in attendance.history[-1].note


def test_a_volunteer_cannot_override_their_own_check_in():
    with pytest.raises(PermissionDenied):
        act.check_in(VOLUNTEER, confirmed(), ACTIVITY, FAR, "我在路上", START)


# -- check-out and credited time

def test_check_out_records_the_time_served_pending_verification():
    closed, entry = check_out(checked_in(at=START), START + timedelta(hours=2, minutes=30, seconds=59))
    assert closed.status == act.PENDING and closed.credited_minutes == 150 and closed.hours_entry_id == "entry-1"
    assert (entry.minutes, entry.status, entry.kind, entry.source, entry.source_id) == (
        150, hours.PENDING, hours.CREDIT, hours.ATTENDANCE, "att-1")
    assert entry.day == "2026-05-16" and entry.description == "邻居节"


def test_credited_time_is_capped_at_the_shifts_length():
    early = checked_in(at=START - timedelta(minutes=30))
    _, entry = check_out(early, END + timedelta(hours=2))
    assert entry.minutes == 180 and hours.FLAG_CAPPED_AT_SHIFT in entry.flags


def test_a_check_out_overlapping_another_record_of_the_volunteer_is_refused():
    visit = credit("care", START + timedelta(hours=1), START + timedelta(hours=2))
    with pytest.raises(FailedPrecondition, match="overlaps"):
        check_out(checked_in(), END, ledger=[visit])


def test_a_rejected_or_reversed_record_does_not_block_an_overlapping_one():
    from dataclasses import replace

    rejected = credit("a", START, END, status=hours.REJECTED)
    reversed_ = replace(credit("b", START, END, status=hours.VERIFIED), reversed_by_id="rev-b")
    _, entry = check_out(checked_in(), END, ledger=[rejected, reversed_])
    assert entry.minutes == 180


def test_the_daily_maximum_caps_what_one_day_credits():
    morning = credit("early", START - timedelta(hours=7), START - timedelta(hours=1), day="2026-05-16")  # 6 h
    _, entry = check_out(checked_in(), END, ledger=[morning])
    assert entry.minutes == 120 and hours.FLAG_CAPPED_DAILY in entry.flags


def test_a_forgotten_check_out_closes_at_the_shifts_end_and_is_flagged():
    attendance = checked_in(at=START + timedelta(minutes=10))
    assert act.is_forgotten(attendance, END) and not act.is_forgotten(attendance, END - timedelta(seconds=1))
    closed, entry = check_out(attendance, END + timedelta(hours=5), caller=None, auto=True)
    assert closed.auto_closed and closed.checked_out_at == END and act.FLAG_AUTO_CLOSED in closed.flags
    assert entry.minutes == 170 and entry.recorded_by == "system" and act.FLAG_AUTO_CLOSED in entry.flags


def test_a_forgotten_check_out_overlapping_another_record_is_closed_as_rejected_with_nothing_credited():
    visit = credit("care", START + timedelta(hours=1), START + timedelta(hours=2))
    closed, entry = check_out(checked_in(), END + timedelta(hours=1), ledger=[visit], caller=None, auto=True)
    assert entry is None and closed.status == act.REJECTED and act.FLAG_OVERLAP in closed.flags


def test_only_a_checked_in_attendance_checks_out():
    with pytest.raises(FailedPrecondition):
        check_out(confirmed(), END)


def test_the_attendance_follows_its_entrys_verification():
    closed, entry = check_out(checked_in(), END)
    verified = hours.verify(COORDINATOR, entry, "", END + timedelta(hours=1))
    assert act.decided(closed, verified).status == act.VERIFIED
    rejected = hours.reject(COORDINATOR, entry, "未到场", END + timedelta(hours=1))
    assert act.decided(closed, rejected).status == act.REJECTED


# -- activities and shifts

def test_a_shift_is_at_most_twelve_hours_and_has_a_capacity():
    activity = act.create_activity(COORDINATOR, ACTIVITY, START - timedelta(days=3))
    with pytest.raises(InvalidArgument) as error:
        act.add_shift(COORDINATOR, activity, act.Shift("s", "", "", "全天", START, START + timedelta(hours=13), 0),
                      START - timedelta(days=3))
    assert set(error.value.fields) == {"ends_at", "capacity"}


def test_only_coordinators_create_activities():
    with pytest.raises(PermissionDenied):
        act.create_activity(VOLUNTEER, ACTIVITY, START)
