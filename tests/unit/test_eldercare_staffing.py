"""The staffing planner: simulated days checked against queueing theory, and the planner's refusals."""
import math
from dataclasses import replace
from datetime import date, timedelta

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument
from services.eldercare.domain import staffing as st
from services.eldercare.domain.staffing_simulation import simulate, smallest_roster
from services.eldercare.policy import DEFAULT_POLICY, with_emergency_sla

MONDAY = date(2026, 12, 7)


def steady_profile(kind: str, calls_per_hour: float, service_mean: float, acknowledge: st.Duration = st.fixed(0),
                   travel: st.Duration = st.fixed(0)) -> st.Profile:
    """One kind of call at one rate all week: the textbook queue."""
    return st.Profile("planner-test", {(w, h, kind): calls_per_hour for w in range(7) for h in range(24)},
                      acknowledge={kind: acknowledge}, travel={kind: travel},
                      service={kind: st.exponential(service_mean)}, source="test")


def one_shift(operators: int, caregivers: int, skills=st.KINDS) -> st.Roster:
    return st.Roster((st.Shift("all-day", 0, 0, operators, caregivers, (frozenset(skills),)),))


def test_erlang_c_gives_the_textbook_values():
    # Two servers offered 1.5 erlangs: P(wait) = 9/14; Wq = P / (c·mu - lambda).
    p_wait, mean_wait = st.erlang_c(2, 1.5, 1.0)
    assert p_wait == pytest.approx(9 / 14)
    assert mean_wait == pytest.approx(9 / 14 / 0.5)
    assert st.erlang_c(1, 0.5, 1.0) == pytest.approx((0.5, 1.0))  # M/M/1: P = rho, Wq = rho / (mu - lambda)


def test_an_mmc_community_waits_as_erlang_c_predicts_within_the_simulations_confidence_interval():
    # M/M/3: Poisson calls at 6 an hour, exponential 20-minute jobs (2 erlangs on 3 caregivers),
    # acknowledged at once, no travel: the planner's queue must be Erlang C's (P(wait) = 4/9, Wq = 8.9 min).
    servers, per_hour, service_minutes = 3, 6, 20
    profile = steady_profile("meal", per_hour, service_minutes * 60)
    report = simulate(profile, one_shift(1, servers), DEFAULT_POLICY, days=30, seed=19, first_day=MONDAY,
                      time_limit_seconds=600, confidence=0.99)
    p_wait, mean_wait_hours = st.erlang_c(servers, per_hour, 60 / service_minutes)
    shift = report.shifts[0]
    assert report.complete
    assert shift.queue_wait_share.contains(p_wait), (shift.queue_wait_share, p_wait)
    assert shift.queue_wait_mean_seconds.contains(mean_wait_hours * 3600), (shift.queue_wait_mean_seconds,
                                                                          mean_wait_hours * 3600)
    # The interval is a real one, narrow enough to tell a caregiver more or fewer apart.
    assert shift.queue_wait_share.high - shift.queue_wait_share.low < 0.15
    assert not shift.queue_wait_share.contains(st.erlang_c(servers + 1, per_hour, 60 / service_minutes)[0])
    assert shift.caregiver_utilisation == pytest.approx(per_hour * service_minutes / 60 / servers, abs=0.05)


def test_the_same_seed_gives_the_same_figures_and_another_seed_other_ones():
    profile = st.default_profile("planner-test", elders=400)
    roster = st.three_shifts(1, 3)
    first = simulate(profile, roster, DEFAULT_POLICY, days=3, seed=5, first_day=MONDAY)
    again = simulate(profile, roster, DEFAULT_POLICY, days=3, seed=5, first_day=MONDAY)
    other = simulate(profile, roster, DEFAULT_POLICY, days=3, seed=6, first_day=MONDAY)
    assert first == again
    assert first.shifts[0].wait_histogram != other.shifts[0].wait_histogram


def test_a_run_stops_at_its_time_limit_with_the_days_done_so_far_and_reports_its_progress():
    ticks = iter(range(0, 10_000, 10))  # each reading of the clock: ten more seconds
    seen = []
    report = simulate(st.default_profile("planner-test", elders=200), st.three_shifts(1, 2), DEFAULT_POLICY,
                      days=30, seed=1, first_day=MONDAY, time_limit_seconds=25, progress=lambda d, n: seen.append((d, n)),
                      clock=lambda: next(ticks))
    assert report.days_planned == 30 and 1 <= report.days_simulated < 30 and not report.complete
    assert seen == [(d, 30) for d in range(1, report.days_simulated + 1)]


def test_emergencies_picked_up_after_the_sla_climb_the_policys_escalation_ladder():
    # Operators take two and a half minutes: every emergency misses its 60 s and climbs two rungs first.
    profile = steady_profile("emergency", 1.0, 600, acknowledge=st.fixed(150))
    report = simulate(profile, one_shift(5, 5), DEFAULT_POLICY, days=2, seed=3, first_day=MONDAY)
    shift = report.shifts[0]
    assert shift.emergencies > 20
    assert shift.emergency_acknowledged.value == 0
    assert shift.escalations == 2 * shift.emergencies
    # The SLA comes from the policy the live system runs on: at 3 minutes all are in time, none escalate.
    relaxed = simulate(profile, one_shift(5, 5), with_emergency_sla(180), days=2, seed=3, first_day=MONDAY)
    assert relaxed.shifts[0].emergency_acknowledged.value == 1 and relaxed.shifts[0].escalations == 0


def test_a_call_waits_for_a_caregiver_with_its_skill_even_when_others_are_free():
    # Two caregivers, only one of whom bathes: bathing calls queue as if there were one server.
    profile = steady_profile("bathing", 1.5, 30 * 60)
    skills = (frozenset({"bathing"}), frozenset({"meal"}))
    report = simulate(profile, st.Roster((st.Shift("all-day", 0, 0, 1, 2, skills),)), DEFAULT_POLICY,
                      days=10, seed=2, first_day=MONDAY)
    p_wait, _ = st.erlang_c(1, 1.5, 2)
    assert report.shifts[0].queue_wait_share.contains(p_wait)


def test_a_roster_that_leaves_hours_uncovered_or_covered_twice_is_refused_naming_them():
    roster = st.Roster((st.Shift("day", 8, 16, 1, 1), st.Shift("night", 14, 6, 1, 1)))
    with pytest.raises(InvalidArgument) as refused:
        st.validate_roster(roster)
    assert "uncovered hours: [6, 7]" in refused.value.fields["shifts"]
    assert "hours in two shifts: [14, 15]" in refused.value.fields["shifts"]


def test_impossible_rosters_are_refused_with_the_reason():
    profile = st.default_profile("planner-test")
    no_operator = st.three_shifts(2, 10).with_shift("night", operators=0)
    no_skill = st.three_shifts(2, 10).with_shift("night", skill_sets=(frozenset({"meal", "cleaning"}),))
    too_few = st.three_shifts(2, 10).with_shift("day", caregivers=3)
    for roster, reason in ((no_operator, "night: calls come in but no operator is on shift"),
                           (no_skill, "night: nobody on shift has the skill for"),
                           (too_few, "day: 6.61 caregiver-hours of work arrive per hour, more than 3 caregivers")):
        with pytest.raises(FailedPrecondition) as refused:
            st.check_possible(profile, roster)
        assert reason in refused.value.message
    st.check_possible(profile, st.three_shifts(2, 10))


def test_targets_no_staffing_can_meet_are_refused_with_the_reason():
    slow = steady_profile("emergency", 1.0, 600, acknowledge=st.exponential(40))
    with pytest.raises(FailedPrecondition) as refused:
        smallest_roster(slow, one_shift(1, 1), st.Targets(), DEFAULT_POLICY, 2, 1, MONDAY)
    assert "even with an idle operator for every call only 77.7% are acknowledged within 60 s" in refused.value.message


def test_the_smallest_roster_meets_the_targets_and_one_fewer_on_any_shift_falls_short():
    profile = st.default_profile("planner-test", elders=600)
    targets = st.Targets(emergency_acknowledged_share=0.95, emergency_wait_p95_seconds=30 * 60,
                         routine_wait_p95_seconds=3 * 3600)
    steps = []
    plan = smallest_roster(profile, st.three_shifts(), targets, DEFAULT_POLICY, days=6, seed=11, first_day=MONDAY,
                           time_limit_seconds=300, progress=steps.append)
    assert plan.meets_targets and not plan.stopped_early
    assert st.shortfalls(plan.report, targets) == {}
    assert len(steps) == plan.rosters_tried and steps[0].startswith("roster 1 (the fewest that could keep up)")
    # Each shift's next-smaller roster is shown with what it misses.
    for shift in plan.roster.shifts:
        fewer = [s for s in plan.smaller if s.shift == shift.name and s.role == "caregiver"]
        assert len(fewer) == 1 and fewer[0].shortfalls
        assert fewer[0].roster.with_shift(shift.name, caregivers=shift.caregivers) == plan.roster
        if fewer[0].roster.shifts and not st.impossibilities(profile, fewer[0].roster):
            again = simulate(profile, fewer[0].roster, DEFAULT_POLICY, 6, 11, MONDAY)
            assert shift.name in st.shortfalls(again, targets)


def test_without_history_there_is_no_profile_unless_the_default_is_asked_for_and_it_says_so():
    with pytest.raises(FailedPrecondition) as refused:
        st.refuse_if_empty(None, "quiet-community")
    assert "no care-request history" in refused.value.message and "default profile" in refused.value.message
    default = st.default_profile("quiet-community", elders=2000)
    assert default.is_default and "default profile" in default.source
    report = simulate(default, st.three_shifts(2, 10), DEFAULT_POLICY, 1, 1, MONDAY)
    assert report.profile_is_default and report.profile_source == default.source
    per_day = sum(default.arrivals.values()) / 7
    assert per_day == pytest.approx(150)


def test_a_profile_learns_calls_per_hour_and_durations_from_the_communitys_history():
    from datetime import datetime, timezone
    # Two Mondays of history; on each, three meals raised at 11:xx Beijing time (03:xx UTC).
    first, last = date(2026, 11, 30), date(2026, 12, 13)
    records = []
    for monday in (datetime(2026, 11, 30, 3, 10, tzinfo=timezone.utc), datetime(2026, 12, 7, 3, 10, tzinfo=timezone.utc)):
        for i in range(3):
            raised = monday + timedelta(minutes=i)
            records.append(st.HistoryRecord(
                "meal", raised, acknowledged_at=raised + timedelta(seconds=30 + i),
                assigned_at=raised + timedelta(minutes=1), en_route_at=raised + timedelta(minutes=2),
                on_site_at=raised + timedelta(minutes=7), completed_at=raised + timedelta(minutes=17)))
    a_tuesday = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)  # 09:00 in Beijing
    records.append(st.HistoryRecord("emergency", a_tuesday))
    profile = st.profile_from_history("planner-test", records, first, last)
    assert profile.rate(0, 11, "meal") == pytest.approx(3.0)  # six calls over two Mondays
    assert profile.rate(1, 9, "emergency") == pytest.approx(0.5)  # one call over two Tuesdays
    assert profile.rate(0, 10, "meal") == 0
    assert profile.acknowledge["meal"].samples == (30, 30, 31, 31, 32, 32)
    # Travel runs from the assignment (setting off, then the walk) to the door; work from there to done.
    assert profile.travel["meal"].average == 360 and profile.service["meal"].average == 600
    # Too few emergencies to learn from: their durations are the pooled ones, and the source says so.
    assert profile.travel["emergency"].average == 360
    assert "pooled across kinds" in profile.source and "emergency" in profile.source and not profile.is_default
    assert st.profile_from_history("planner-test", [], first, last) is None


def test_the_command_reads_shifts_with_their_hours_people_and_skill_sets():
    from linli_dev import staffing as command
    from linli.eldercare.v1 import eldercare_pb2

    shift = command.parse_shift("night=22-6:1:4:emergency,medical/meal")
    assert (shift.name, shift.starts_hour, shift.ends_hour, shift.operators, shift.caregivers) == ("night", 22, 6, 1, 4)
    assert [list(s.kinds) for s in shift.skill_sets] == [
        [eldercare_pb2.CARE_KIND_EMERGENCY, eldercare_pb2.CARE_KIND_MEDICAL], [eldercare_pb2.CARE_KIND_MEAL]]
    for bad in ("night", "night=22:1:4", "night=22-6:one:4", "night=22-6:1:4:flying"):
        with pytest.raises(ValueError):
            command.parse_shift(bad)


def test_a_shift_running_past_midnight_serves_both_ends_of_the_night_with_the_same_people():
    profile = steady_profile("meal", 2, 30 * 60)
    roster = st.Roster((st.Shift("day", 6, 22, 1, 3), st.Shift("night", 22, 6, 1, 2)))
    report = simulate(profile, roster, DEFAULT_POLICY, days=3, seed=4, first_day=MONDAY)
    night = next(s for s in report.shifts if s.shift == "night")
    assert night.wait_for("meal").calls > 30 and night.wait_for("meal").unserved == 0
    # Two caregivers for eight hours a day, busy about half of it (2 calls an hour × 30 min / 2 people).
    assert 0.3 < night.caregiver_utilisation < 0.7
