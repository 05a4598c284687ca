"""Property-based tests (hypothesis) of the clinic's, employment's and volunteer service's state machines:
referral tasks (FHIR Task statuses, each side setting only its own), job applications (the hiring funnel)
and volunteer hours (the ledger). Random sequences of operations by random parties with random arguments:
each step is refused with a domain error and changes nothing, or makes one declared change; history is
never lost; version counts the changes."""
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.kit.errors import LinliError
from linli.kit.identity import Caller
from services.clinic.domain import referrals as ref
from services.employment.domain import applications as app
from services.employment.domain import jobs
from services.employment.domain.common import Transition
from services.volunteer.domain import hours

START = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)
COMMUNITY = "donghuayuan"
quiet = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
later = st.integers(0, 6 * 3600).map(lambda s: timedelta(seconds=s))
reasons = st.sampled_from(["病情稳定", "病情稳定", "", "  ", "x" * 4001])

# -- clinic: referral tasks ----------------------------------------------------------------------------

CLINIC, CITY, STRANGER = "clinic-donghuayuan", "city-central-hospital", "district-hospital"


def referral() -> ref.Referral:
    content = ref.Content(ref.REFERRAL, "urgent", "胸闷气短两周")
    return ref.Referral("rf-1", COMMUNITY, "pt-1", "elder-1", CLINIC, CITY, content, START, last_modified=START,
                        history=(ref.TaskChange(ref.REQUESTED, "", CLINIC, "nurse-zhao", START),))


# The forward statuses come up more often than the rest, and most steps are taken by the side that owns the
# status ("apt": the requester for cancelled, the performer for the others), so sequences get deep.
FORWARD = (ref.RECEIVED, ref.ACCEPTED, ref.IN_PROGRESS, ref.COMPLETED, ref.ON_HOLD)
task_steps = st.one_of(
    st.tuples(st.just("update"), st.sampled_from(["apt", "apt", "apt", CLINIC, CITY, STRANGER]),
              st.sampled_from(("next",) * 12 + FORWARD + ref.TASK_STATUSES + ("", "done")),
              st.sampled_from(["", "", "visit-scheduled", "Bad!"]), reasons),
    st.tuples(st.just("outcome"), st.sampled_from([CITY, CITY, CLINIC]), st.sampled_from(["结论：稳定型心绞痛", ""]),
              st.just(""), st.just("")),
)


# "next": the performer's next step from where the task stands.
NEXT_TASK = {ref.REQUESTED: ref.RECEIVED, ref.RECEIVED: ref.ACCEPTED, ref.ACCEPTED: ref.IN_PROGRESS,
             ref.IN_PROGRESS: ref.COMPLETED, ref.ON_HOLD: ref.IN_PROGRESS}


def organisation_for(who: str, status: str) -> str:
    if who != "apt":
        return who
    return CLINIC if status == ref.CANCELLED else CITY


@quiet
@given(steps=st.lists(st.tuples(task_steps, later), min_size=5, max_size=40))
def test_no_sequence_of_task_updates_breaks_the_fhir_task_rules(steps):
    current, now, changes = referral(), START, 0
    for (kind, who, status, business, reason), wait in steps:
        now += wait
        before = current
        if status == "next":
            status = NEXT_TASK.get(before.status, ref.COMPLETED)
        organisation = organisation_for(who, status)
        try:
            if kind == "update":
                current = ref.update_task(before, organisation, "someone", status, business, reason, now)
            else:
                current = ref.attach_outcome(before, organisation, "dr-li", f"oc-{changes}", status, (), now)
        except LinliError:
            continue
        if current is before:
            continue  # a retry of what already holds: nothing changed
        changes += 1
        assert current.version == before.version + 1
        assert current.history[: len(before.history)] == before.history and current.outcomes[: len(before.outcomes)] \
            == before.outcomes
        assert current.status in ref.TASK_STATUSES
        if current.status != before.status:
            side = before.side_of(organisation)
            assert (side, current.status) in ref.MOVES and before.status in ref.MOVES[(side, current.status)]
            assert before.status not in ref.FINAL_STATUSES
        if before.status in ref.FINAL_STATUSES:
            assert current.status == before.status
        if kind == "outcome":
            assert organisation == CITY and before.status in ref.OUTCOME_STATUSES
        if current.status == ref.COMPLETED:
            assert any(o.organisation_id == CITY for o in current.outcomes)
        if current.status in ref.NEEDS_REASON:
            assert current.status_reason.strip()
        assert current.business_status == "" or ref.BUSINESS_STATUS_PATTERN.match(current.business_status)
    assert current.version == 1 + changes


# -- employment: applications --------------------------------------------------------------------------

EMPLOYER = jobs.Employer("emp-1", COMMUNITY, "抚顺手工坊", "王经理", "138 0000 0000", "东华园", ("boss-wang",),
                         "counsellor-li", START)
PARTIES = {
    "seeker": Caller("seeker-1", frozenset({"resident"}), frozenset({COMMUNITY})),
    "other_seeker": Caller("seeker-2", frozenset({"resident"}), frozenset({COMMUNITY})),
    "employer": Caller("boss-wang", frozenset({"employer"}), frozenset({COMMUNITY})),
    "other_employer": Caller("boss-zhou", frozenset({"employer"}), frozenset({COMMUNITY})),
    "counsellor": Caller("counsellor-li", frozenset({"counsellor"}), frozenset({COMMUNITY})),
    "counsellor_elsewhere": Caller("counsellor-he", frozenset({"counsellor"}), frozenset({"xinhua"})),
}


def application() -> app.Application:
    return app.Application("ap-1", COMMUNITY, "seeker-1", "刘", "vac-1", "手工编织", "emp-1", "抚顺手工坊",
                           app.SUGGESTED, "counsellor-li", START, (Transition(app.SUGGESTED, START, "counsellor-li", ""),))


# Funnel steps come up more often than endings, and most are taken by someone allowed to ("apt").
APT = {app.VIEWED: "seeker", app.INTENTION_EXPRESSED: "seeker", app.REFERRED: "counsellor",
       app.INTERVIEW: "employer", app.OFFER: "employer", app.HIRED: "employer", app.REJECTED: "employer",
       app.WITHDRAWN: "seeker", app.NO_SHOW: "employer"}
moves = st.sampled_from(("next",) * 20 + app.STATUSES + ("", "fired"))  # "next": a step forward from where it is


@quiet
@given(steps=st.lists(st.tuples(st.sampled_from(["apt", "apt", "apt", *sorted(PARTIES)]), moves, st.booleans(), later),
                      min_size=5, max_size=30))
def test_no_sequence_of_application_moves_leaves_the_funnel(steps):
    current, now, changes = application(), START, 0
    for who, status, with_time, wait in steps:
        now += wait
        before = current
        if status == "next":
            status = app.NEXT.get(before.status, (app.HIRED,))[len(steps) % len(app.NEXT.get(before.status, "x"))]
        who = APT.get(status, "counsellor") if who == "apt" else who
        try:
            current = app.move(PARTIES[who], before, EMPLOYER, status, now, "",
                               now + timedelta(days=2) if with_time else None)
        except LinliError:
            continue
        changes += 1
        assert before.status not in app.FINAL
        assert status in app.ENDINGS or status in app.NEXT[before.status]
        assert not app.parties(PARTIES[who], before, EMPLOYER).isdisjoint(app.MOVERS[status])
        assert current.history[: len(before.history)] == before.history and current.history[-1].status == status
        assert current.version == before.version + 1
        if status == app.INTERVIEW:
            assert current.interview_at is not None
    assert current.version == 1 + changes
    assert all(step.status in app.STATUSES for step in current.history)


# -- volunteer: the hours ledger -------------------------------------------------------------------------

PEOPLE = {
    "coordinator": Caller("coord-wu", frozenset({"coordinator"}), frozenset({COMMUNITY})),
    "coordinator_elsewhere": Caller("coord-ma", frozenset({"coordinator"}), frozenset({"xinhua"})),
    "volunteer": Caller("vol-zhang", frozenset({"volunteer"}), frozenset({COMMUNITY})),
    "beneficiary": Caller("elder-1", frozenset({"resident"}), frozenset({COMMUNITY})),
    "neighbour": Caller("elder-2", frozenset({"resident"}), frozenset({COMMUNITY})),
}


def entry() -> hours.HoursEntry:
    return hours.HoursEntry("he-1", COMMUNITY, "vol-zhang", "张", hours.CREDIT, 90, START, START + timedelta(hours=2),
                            "2026-11-27", hours.CARE_REQUEST, "cr-1", "助洁", START, "volunteer", beneficiary_id="elder-1",
                            beneficiary_confirmation=hours.AWAITED)


# Most steps by the one who may take them ("apt": the beneficiary confirms, a coordinator decides).
ledger_steps = st.tuples(st.sampled_from(["verify", "reject", "confirm", "dispute", "reverse", "reverse"]),
                         st.sampled_from(["apt", "apt", "apt", *sorted(PEOPLE)]), reasons,
                         st.one_of(st.integers(0, 120), st.integers(-10, 200)))


@quiet
@given(steps=st.lists(st.tuples(ledger_steps, later), min_size=3, max_size=25))
def test_the_ledger_only_ever_adds_entries_and_keeps_time_counted_once(steps):
    original, now = entry(), START
    ledger = {original.id: original}
    for n, ((step, who, reason, minutes), wait) in enumerate(steps):
        now += wait
        if who == "apt":
            who = "beneficiary" if step in ("confirm", "dispute") else "coordinator"
        caller, before = PEOPLE[who], ledger[original.id]
        try:
            if step == "verify":
                ledger[original.id] = hours.verify(caller, before, reason, now)
            elif step == "reject":
                ledger[original.id] = hours.reject(caller, before, reason, now)
            elif step in ("confirm", "dispute"):
                ledger[original.id] = hours.confirm_service(caller, before, step == "confirm", reason, now)
            else:
                reversed_entry, reversal, corrected = hours.reverse(caller, before, reason, f"rv-{n}", now, minutes,
                                                                    f"co-{n}", used_today=before.minutes)
                ledger[original.id] = reversed_entry
                ledger[reversal.id] = reversal
                if corrected is not None:
                    ledger[corrected.id] = corrected
        except LinliError:
            assert ledger[original.id] is before
            continue
        after = ledger[original.id]
        assert after.version == before.version + 1
        assert (after.minutes, after.started_at, after.ended_at, after.volunteer_id) == (
            before.minutes, before.started_at, before.ended_at, before.volunteer_id)
        if before.status != after.status:
            assert before.status == hours.PENDING and who == "coordinator"
        if after.status == hours.VERIFIED and before.status == hours.PENDING:
            assert after.beneficiary_confirmation == hours.CONFIRMED or after.decision_note
    live = [e for e in ledger.values() if e.kind == hours.CREDIT and e.status != hours.REJECTED]
    counted = sum(e.minutes for e in ledger.values() if e.status == hours.VERIFIED)
    # Whatever was corrected, verified time never exceeds the span actually served, and is never negative.
    assert 0 <= counted <= 120
    assert sum(1 for e in ledger.values() if e.kind == hours.REVERSAL) <= 1  # a credit is reversed once at most
    assert all(e.minutes > 0 for e in live)
