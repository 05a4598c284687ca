"""Simulated days of a community's calls, played through the live system's own rules. Pure: no I/O.

Each call is a real CareRequest: raised with care_requests.raise_request under the policy's SLAs,
acknowledged, escalated up the policy's ladder when nobody acknowledges it in time (the worker's own
is_due_for_escalation and escalate), assigned to the caregiver staff.suggest ranks first among those
free, accepted, travelled to, arrived at and completed through the same transition functions the api
calls. Nothing here restates those rules; what the simulation adds is time and people:

- operators on shift take raised calls from one queue in the board's order (priority, then raised time),
  each busy for the profile's acknowledgement time, then acknowledge;
- an acknowledged call waits until some caregiver on shift with its skill is free (operators send free
  people: the model's one dispatch assumption), then goes to the best of them by the live ranking;
- a caregiver travels, works, and is free again; one whose shift ends finishes the job in hand first.

Every simulated day is independent (it starts empty at local midnight and runs until its calls are done,
the next day's shifts serving its late ones), drawn from its own stream of the seed: the same seed gives
the same figures, and the days are the replications the confidence intervals are computed over. Every
random duration of a call is drawn when it is raised, so two rosters compared on one seed see the very
same calls (common random numbers: their difference is the rosters', not the dice's).
"""
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import simpy

from linli.kit.errors import FailedPrecondition
from linli.kit.identity import Caller
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import staff
from services.eldercare.domain.staffing import (
    EMERGENCY, Profile, Report, Roster, Shift, ShiftTally, Targets, caregivers_short, impossibilities, offered_load,
    operators_short, shortfalls, summarize, validate_profile, validate_roster, validate_targets)
from services.eldercare.policy import KindPolicy

DAY = 24 * 3600
# The next day's shifts serve a day's late calls; a call still waiting two days on is counted unserved.
HORIZON = 2 * DAY
# A hair past a due time, so that float seconds turned into microsecond datetimes are never a tick early.
EPSILON = 2e-6


class Call:
    __slots__ = ("request", "raised", "shift", "acknowledge", "travel", "service", "acknowledged", "arrived")

    def __init__(self, request: care.CareRequest, raised: float, shift: str, acknowledge: float, travel: float,
                 service: float):
        self.request, self.raised, self.shift = request, raised, shift
        self.acknowledge, self.travel, self.service = acknowledge, travel, service
        self.acknowledged = math.nan  # simulated seconds
        self.arrived = False


def _overlap(start: float, end: float) -> float:
    """Seconds of [start, end) inside the simulated day: the day's own people and busy time."""
    return max(0.0, min(end, DAY) - max(start, 0.0))


class Day:
    """One simulated day of one community under one roster."""

    def __init__(self, profile: Profile, roster: Roster, policy: dict[str, KindPolicy], day: date, seed: str):
        self.profile, self.roster, self.policy = profile, roster, policy
        self.env = simpy.Environment()
        self.midnight = datetime.combine(day, clock_time(0), ZoneInfo(profile.zone)).astimezone(timezone.utc)
        self.weekday = day.weekday()
        self.rng = random.Random(f"{seed}:calls")
        self.staff_rng = random.Random(f"{seed}:staff")
        community = profile.community_id
        self.operator = Caller("planner-operator", frozenset({"operator"}), frozenset({community}))
        self.administrator = Caller("planner-administrator", frozenset({"administrator"}), frozenset({community}))
        self.tallies = {shift.name: ShiftTally() for shift in roster.shifts}
        self.shift_of_hour = {hour: roster.shift_at(hour).name for hour in range(24)}
        self.raised = simpy.PriorityStore(self.env)  # calls waiting for an operator
        self.waiting: list[Call] = []  # acknowledged calls waiting for a caregiver
        self.members: dict[str, staff.StaffMember] = {}
        self.shift_of_member: dict[str, str] = {}
        self.free: set[str] = set()  # on shift and holding no job
        self.loads: dict[str, int] = {}
        self.calls: list[Call] = []

    def now(self) -> datetime:
        return self.midnight + timedelta(seconds=self.env.now)

    def run(self) -> dict[str, ShiftTally]:
        for offset in (-1, 0, 1):
            for shift in self.roster.shifts:
                start = offset * DAY + shift.starts_hour * 3600
                end = start + len(shift.hours) * 3600
                if end > 0 and start < HORIZON:
                    self.env.process(self.shift(shift, offset, max(0.0, start), min(float(HORIZON), end)))
        self.env.process(self.arrivals())
        self.env.run(until=HORIZON)
        for call in self.calls:
            if not call.arrived:
                unserved = self.tallies[call.shift].unserved
                unserved[call.request.kind] = unserved.get(call.request.kind, 0) + 1
        return self.tallies

    # -- calls ----------------------------------------------------------------------------------

    def arrivals(self):
        """Poisson arrivals at each hour's rate (piecewise constant, exact by memorylessness)."""
        kinds = list(self.profile.travel)
        for hour in range(24):
            rates = [self.profile.rate(self.weekday, hour, kind) for kind in kinds]
            total = sum(rates)
            if total <= 0:
                continue
            at = hour * 3600.0
            while True:
                at += self.rng.expovariate(total / 3600)
                if at >= (hour + 1) * 3600:
                    break
                yield self.env.timeout(at - self.env.now)
                self.raise_call(self.rng.choices(kinds, weights=rates)[0], hour)

    def raise_call(self, kind: str, hour: int) -> None:
        number = len(self.calls)
        home = self.rng.choice(self.profile.homes) if self.profile.homes else None
        new = care.NewCareRequest(self.profile.community_id, f"planner-elder-{number}", kind, "device", position=home)
        request = care.raise_request(self.operator, new, f"planner-{number}", self.now(), self.policy)
        call = Call(request, self.env.now, self.shift_of_hour[hour], self.profile.acknowledge[kind].draw(self.rng),
                    self.profile.travel[kind].draw(self.rng), self.profile.service[kind].draw(self.rng))
        self.calls.append(call)
        if kind == EMERGENCY:
            self.tallies[call.shift].emergencies += 1
        self.raised.put(simpy.PriorityItem((request.priority, call.raised, number), call))
        if request.escalate_at is not None:
            self.env.process(self.escalation(call))

    def escalation(self, call: Call):
        """What the worker does for an unacknowledged call: climb a rung each time one falls due."""
        while call.request.escalate_at is not None:
            yield self.env.timeout(max(0.0, (call.request.escalate_at - self.now()).total_seconds()) + EPSILON)
            if not care.is_due_for_escalation(call.request, self.now()):
                return
            call.request = care.escalate(call.request, self.now(), self.policy)
            self.tallies[call.shift].escalations += 1

    # -- people ---------------------------------------------------------------------------------

    def shift(self, shift: Shift, offset: int, start: float, end: float):
        """One shift's people at work: offset -1 is yesterday's shift running past midnight, 1 tomorrow's."""
        yield self.env.timeout(start - self.env.now)
        tally = self.tallies[shift.name]
        tally.operator_seconds += shift.operators * _overlap(start, end)
        tally.caregiver_seconds += shift.caregivers * _overlap(start, end)
        for _ in range(shift.operators):
            self.env.process(self.operator_at_work(tally, end))
        ids = []
        for index in range(shift.caregivers):
            member = staff.StaffMember(
                f"{shift.name}-{offset + 1}-{index:03d}", self.profile.community_id, f"caregiver {index}", "",
                shift.skills_of(index),
                position=self.staff_rng.choice(self.profile.homes) if self.profile.homes else None)
            self.members[member.id] = staff.start_shift(self.administrator, member, self.now())
            self.shift_of_member[member.id] = shift.name
            self.free.add(member.id)
            ids.append(member.id)
        self.dispatch()
        yield self.env.timeout(end - self.env.now)
        for member_id in ids:
            self.members[member_id] = staff.end_shift(self.administrator, self.members[member_id])
            self.free.discard(member_id)

    def operator_at_work(self, tally: ShiftTally, end: float):
        while self.env.now < end:
            take = self.raised.get()
            yield take | self.env.timeout(end - self.env.now)
            if not take.triggered:
                take.cancel()
                return
            call = take.value.item
            started = self.env.now
            yield self.env.timeout(call.acknowledge)
            tally.operator_busy += _overlap(started, self.env.now)
            call.request = care.acknowledge(self.operator, call.request, self.now())
            call.acknowledged = self.env.now
            if call.request.kind == EMERGENCY and care.acknowledged_within_sla(call.request):
                self.tallies[call.shift].emergencies_within_sla += 1
            self.waiting.append(call)
            self.dispatch()

    def dispatch(self) -> None:
        """Send free caregivers to waiting calls, most urgent first, each to the live ranking's best."""
        if not self.free or not self.waiting:
            return
        self.waiting.sort(key=lambda c: (c.request.priority, c.raised))
        on_shift = [m for m in self.members.values() if m.on_shift]
        for call in list(self.waiting):
            kind = call.request.kind
            if not any(kind in self.members[member_id].skills for member_id in self.free):
                continue
            ranked = staff.suggest(call.request, on_shift, self.loads, self.policy, limit=len(on_shift))
            chosen = next(c for c in ranked if c.assignee_id in self.free)
            call.request = care.assign(self.operator, call.request,
                                       care.Assignee(chosen.assignee_id, "staff", chosen.name), True, "",
                                       self.now(), self.policy)
            self.tallies[call.shift].queue_waits.append(self.env.now - call.acknowledged)
            self.waiting.remove(call)
            self.free.discard(chosen.assignee_id)
            self.loads[chosen.assignee_id] = 1
            self.env.process(self.visit(call, chosen.assignee_id))
            if not self.free:
                return

    def visit(self, call: Call, member_id: str):
        caregiver = Caller(member_id, frozenset({"caregiver"}), frozenset({self.profile.community_id}))
        started = self.env.now
        request = care.accept(caregiver, call.request, self.now())
        request = care.start_travel(caregiver, request, min(care.MAX_ETA_MINUTES, max(1, math.ceil(call.travel / 60))),
                                    self.now())
        yield self.env.timeout(call.travel)
        if request.position is not None:  # at the door: inside the geofence
            request = care.arrive(caregiver, request, request.position, "", self.now())
        else:  # no home position on record: the operator confirms the arrival, as the live board does
            request = care.arrive(self.operator, request, None, "arrival confirmed by phone", self.now())
        call.arrived = True
        self.tallies[call.shift].waits.setdefault(request.kind, []).append(self.env.now - call.raised)
        yield self.env.timeout(call.service)
        call.request = care.complete(caregiver, request, "", self.now())
        tally = self.tallies[self.shift_of_member[member_id]]
        tally.caregiver_busy += _overlap(started, self.env.now)
        member = self.members[member_id]
        if request.position is not None:
            member = staff.report_position(caregiver, member, request.position, self.now())
            self.members[member_id] = member
        self.loads[member_id] = 0
        if member.on_shift:
            self.free.add(member_id)
        self.dispatch()


def simulate(profile: Profile, roster: Roster, policy: dict[str, KindPolicy], days: int, seed: int,
             first_day: date, time_limit_seconds: float = 60.0,
             progress: Callable[[int, int], None] | None = None,
             clock: Callable[[], float] = time.monotonic, confidence: float = 0.95) -> Report:
    """Simulate `days` independent days from first_day on (their weekdays follow the calendar). Stops early,
    with the days done so far, once time_limit_seconds have passed; progress(done, planned) after each day."""
    validate_roster(roster)
    validate_profile(profile)
    started = clock()
    tallies = []
    for index in range(days):
        if index and clock() - started > time_limit_seconds:
            break
        tallies.append(Day(profile, roster, policy, first_day + timedelta(days=index), f"{seed}:{index}").run())
        if progress:
            progress(index + 1, days)
    return summarize(roster, profile, seed, days, tallies, confidence)


# -- the smallest roster that meets the targets --------------------------------------------------------

# A search that has to go past this many people on one shift is chasing targets no staffing can meet.
SEARCH_CEILING = 200


@dataclass(frozen=True)
class Smaller:
    """One person fewer than the plan on one shift, and what it would miss."""

    shift: str
    role: str  # "operator" | "caregiver"
    roster: Roster
    shortfalls: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    roster: Roster
    report: Report
    meets_targets: bool
    smaller: tuple[Smaller, ...]
    rosters_tried: int
    stopped_early: bool  # the time limit ended the search before it finished
    tried: tuple[tuple[Roster, Report], ...] = ()  # every roster simulated, in order, with its figures


def lowest_counts(profile: Profile, shift: Shift) -> tuple[int, int]:
    """The fewest operators and caregivers that could possibly keep up with the shift's calls."""
    kinds = shift_kinds(profile, shift)
    if not kinds:
        return 0, 0
    operator_load, caregiver_load = offered_load(profile, shift)
    caregivers = math.floor(caregiver_load) + 1
    covering = next((n for n in range(1, len(shift.skill_sets) + 1)
                     if kinds <= replace(shift, caregivers=n).skills_on_shift()), None)
    if covering is None:
        missing = sorted(kinds - replace(shift, caregivers=len(shift.skill_sets)).skills_on_shift())
        raise FailedPrecondition(f"{shift.name}: no caregiver's skills cover {', '.join(missing)} calls; "
                                 "add a skill set that does")
    return math.floor(operator_load) + 1, max(caregivers, covering)


def shift_kinds(profile: Profile, shift: Shift) -> set[str]:
    return {kind for weekday in range(7) for hour in shift.hours for kind in profile.travel
            if profile.rate(weekday, hour, kind) > 0}


def check_targets_reachable(profile: Profile, targets: Targets, policy: dict[str, KindPolicy]) -> None:
    """Refuse targets no number of people meets: when operators pick emergencies up slower than the SLA
    even with nobody queueing, more operators cannot help."""
    if EMERGENCY not in profile.kinds():
        return
    sla = policy[EMERGENCY].acknowledge_within.total_seconds()
    pickup = profile.acknowledge[EMERGENCY]
    if pickup.shape == "empirical":
        best = sum(1 for s in pickup.samples if s <= sla) / len(pickup.samples)
    elif pickup.shape == "fixed" or pickup.mean <= 0:
        best = 1.0 if pickup.mean <= sla else 0.0
    else:
        best = 1 - math.exp(-sla / pickup.mean)
    if best < targets.emergency_acknowledged_share:
        raise FailedPrecondition(
            f"operators take {pickup.average:.0f} s on average to pick an emergency up: even with an idle "
            f"operator for every call only {best:.1%} are acknowledged within {sla:.0f} s, short of the target "
            f"{targets.emergency_acknowledged_share:.1%}")


def smallest_roster(profile: Profile, template: Roster, targets: Targets, policy: dict[str, KindPolicy], days: int,
                    seed: int, first_day: date, time_limit_seconds: float = 60.0,
                    progress: Callable[[str], None] | None = None,
                    clock: Callable[[], float] = time.monotonic) -> Plan:
    """The fewest operators and caregivers per shift (the template's shifts and skill sets) that meet the
    targets, and what one person fewer on each shift would miss. Every roster is simulated on the same seed,
    so they are compared on the very same calls.

    From the lowest counts that could keep up, each shift gains an operator while its emergencies miss the
    acknowledgement target and a caregiver while a wait misses its target; then each shift tries one fewer
    of each, keeping any smaller roster that still meets every target."""
    validate_roster(template)
    validate_targets(targets)
    validate_profile(profile)
    check_targets_reachable(profile, targets, policy)
    deadline = clock() + time_limit_seconds
    roster = Roster(tuple(replace(s, operators=o, caregivers=c) for s in template.shifts
                          for o, c in [lowest_counts(profile, s)]))
    tried: list[tuple[Roster, Report]] = []

    def evaluate(candidate: Roster, what: str) -> tuple[Report, dict[str, list[str]]]:
        if progress:
            progress(f"roster {len(tried) + 1} ({what}): {candidate.describe()}")
        report = simulate(profile, candidate, policy, days, seed, first_day, max(0.0, deadline - clock()), clock=clock)
        tried.append((candidate, report))
        return report, shortfalls(report, targets)

    report, missed = evaluate(roster, "the fewest that could keep up")
    while missed and clock() < deadline:
        for name, reasons in missed.items():
            shift = next(s for s in roster.shifts if s.name == name)
            more = {"operators": shift.operators + operators_short(reasons),
                    "caregivers": shift.caregivers + caregivers_short(reasons)}
            if max(more.values()) > SEARCH_CEILING:
                raise FailedPrecondition(f"{name}: even {SEARCH_CEILING} people per role do not meet the targets "
                                         f"({'; '.join(reasons)})")
            roster = roster.with_shift(name, **more)
        report, missed = evaluate(roster, "adding where targets were missed")
    if missed:
        return Plan(roster, report, False, (), len(tried), True, tuple(tried))
    smaller = []
    for shift in roster.shifts:
        for role, attribute in (("operator", "operators"), ("caregiver", "caregivers")):
            while clock() < deadline:
                current = next(s for s in roster.shifts if s.name == shift.name)
                count = getattr(current, attribute)
                if count == 0:
                    break
                candidate = roster.with_shift(shift.name, **{attribute: count - 1})
                if impossibilities(profile, candidate):
                    reasons = [r for r in impossibilities(profile, candidate) if r.startswith(f"{shift.name}:")]
                    smaller.append(Smaller(shift.name, role, candidate, tuple(reasons)))
                    break
                fewer_report, fewer_missed = evaluate(candidate, f"one {role} fewer on {shift.name}")
                if fewer_missed:
                    smaller.append(Smaller(shift.name, role, candidate,
                                           tuple(r for reasons in fewer_missed.values() for r in reasons)))
                    break
                roster, report = candidate, fewer_report
    return Plan(roster, report, True, tuple(smaller), len(tried), clock() >= deadline, tuple(tried))
