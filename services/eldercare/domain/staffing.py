"""How many operators and caregivers per shift: a community's profile, a roster, what a simulation of
many days predicts for it, and the smallest roster that meets an administrator's targets. Pure: no I/O.

A profile says how calls come (mean calls per hour by weekday, hour of day and kind), how long operators
take to acknowledge one, how long caregivers travel and work on site. A roster says who is on each shift.
services.eldercare.domain.staffing_simulation plays days of calls through the live system's own rules
(raise, acknowledge, escalate, dispatch ranking, assign, travel, arrive, complete) and this module turns
its tallies into the figures an administrator reads, with confidence intervals over independent days.
"""
import math
import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from statistics import NormalDist
from zoneinfo import ZoneInfo

from linli.kit.errors import FailedPrecondition, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.eldercare.domain.care_requests import ID_PATTERN, KINDS, GeoPoint
from services.eldercare.policy import COMMUNITY_ZONE

MAX_DAYS = 366
MAX_STAFF_PER_SHIFT = 500
MAX_SECONDS = 30 * 60  # the longest a single planning run may take
EMERGENCY = "emergency"


# -- distributions of durations ------------------------------------------------------------------

@dataclass(frozen=True)
class Duration:
    """A random duration in seconds: exponential with a mean, fixed, or drawn from recorded samples."""

    shape: str  # "exponential" | "fixed" | "empirical"
    mean: float = 0.0
    samples: tuple[float, ...] = ()

    def draw(self, rng: random.Random) -> float:
        if self.shape == "empirical":
            return self.samples[int(rng.random() * len(self.samples))]
        if self.shape == "fixed" or self.mean <= 0:
            return self.mean
        return rng.expovariate(1.0 / self.mean)

    @property
    def average(self) -> float:
        return sum(self.samples) / len(self.samples) if self.shape == "empirical" else self.mean


def exponential(mean: float) -> Duration:
    return Duration("exponential", mean)


def fixed(seconds: float) -> Duration:
    return Duration("fixed", seconds)


def empirical(samples: list[float]) -> Duration:
    return Duration("empirical", sum(samples) / len(samples), tuple(sorted(samples)))


# -- a community's profile ------------------------------------------------------------------------

@dataclass(frozen=True)
class Profile:
    community_id: str
    # Mean calls per hour, by (weekday 0 = Monday, hour of day 0..23, kind); missing keys are 0.
    arrivals: dict[tuple[int, int, str], float]
    acknowledge: dict[str, Duration]  # an operator's time to pick a call up and acknowledge it, by kind
    travel: dict[str, Duration]  # assigned → on site (setting off, then en route → arrived), by kind
    service: dict[str, Duration]  # on site → completed, by kind
    # Where the profile comes from, shown with every result: a history window or "default profile".
    source: str
    is_default: bool = False
    zone: str = COMMUNITY_ZONE
    # Elders' homes to draw calls from, so dispatch ranks by distance as it does live; none: unknown.
    homes: tuple[GeoPoint, ...] = ()

    def rate(self, weekday: int, hour: int, kind: str) -> float:
        return self.arrivals.get((weekday, hour, kind), 0.0)

    def kinds(self) -> list[str]:
        return [k for k in KINDS if any(key[2] == k and rate > 0 for key, rate in self.arrivals.items())]

    def work_seconds(self, kind: str) -> float:
        """A caregiver's time per call: travel plus the work on site."""
        return self.travel[kind].average + self.service[kind].average


# The platform's demo day (linli_dev/simulate.py): about 150 calls a day for 2,000 elders, more in the morning
# and around meals; the centre's kind mix; minutes on site by kind; a few minutes' walk.
DEFAULT_KIND_SHARE = {"meal": 30, "medical": 12, "shopping": 10, "cleaning": 10, "mobility": 10, "recreation": 10,
                      "bathing": 8, "emergency": 5}
DEFAULT_HOURLY = (1, 1, 1, 1, 1, 2, 4, 6, 7, 8, 9, 8, 5, 4, 6, 7, 6, 5, 4, 3, 2, 2, 1, 1)
DEFAULT_SERVICE_MINUTES = {"meal": 10, "medical": 25, "shopping": 45, "cleaning": 60, "mobility": 50,
                           "recreation": 40, "bathing": 45, "emergency": 30}
DEFAULT_CALLS_PER_ELDER_PER_DAY = 150 / 2000


def default_profile(community_id: str, elders: int = 2000) -> Profile:
    """A profile for a community without history, labelled as such: used only when asked for."""
    per_day = elders * DEFAULT_CALLS_PER_ELDER_PER_DAY
    hourly, shares = sum(DEFAULT_HOURLY), sum(DEFAULT_KIND_SHARE.values())
    arrivals = {(weekday, hour, kind): per_day * DEFAULT_HOURLY[hour] / hourly * share / shares
                for weekday in range(7) for hour in range(24) for kind, share in DEFAULT_KIND_SHARE.items()}
    return Profile(
        community_id, arrivals,
        acknowledge={kind: exponential(10 if kind == EMERGENCY else 40) for kind in KINDS},
        travel={kind: exponential(5 * 60) for kind in KINDS},
        service={kind: exponential(DEFAULT_SERVICE_MINUTES.get(kind, 30) * 60) for kind in KINDS},
        source=f"default profile for {elders} elders (not this community's history)", is_default=True)


# -- a roster -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shift:
    name: str
    starts_hour: int  # local time, 0..23
    ends_hour: int  # exclusive; at or before starts_hour: the shift runs past midnight
    operators: int
    caregivers: int
    # Caregiver i has skill_sets[i % len(skill_sets)]; one set listing every kind by default.
    skill_sets: tuple[frozenset[str], ...] = (frozenset(KINDS),)

    @property
    def hours(self) -> list[int]:
        length = (self.ends_hour - self.starts_hour) % 24 or 24
        return [(self.starts_hour + i) % 24 for i in range(length)]

    def skills_of(self, index: int) -> frozenset[str]:
        return self.skill_sets[index % len(self.skill_sets)]

    def skills_on_shift(self) -> frozenset[str]:
        return frozenset().union(*(self.skills_of(i) for i in range(min(self.caregivers, len(self.skill_sets)))))


@dataclass(frozen=True)
class Roster:
    shifts: tuple[Shift, ...]

    def shift_at(self, hour: int) -> Shift:
        return next(s for s in self.shifts if hour in s.hours)

    def with_shift(self, name: str, **changes) -> "Roster":
        return Roster(tuple(replace(s, **changes) if s.name == name else s for s in self.shifts))

    def headcount(self) -> tuple[int, int]:
        return sum(s.operators for s in self.shifts), sum(s.caregivers for s in self.shifts)

    def describe(self) -> str:
        return ", ".join(f"{s.name} {s.operators} op + {s.caregivers} cg" for s in self.shifts)


def three_shifts(operators: int = 1, caregivers: int = 1) -> Roster:
    """The centre's usual day: 08-16, 16-24, 00-08."""
    return Roster((Shift("day", 8, 16, operators, caregivers), Shift("evening", 16, 0, operators, caregivers),
                   Shift("night", 0, 8, operators, caregivers)))


def validate_roster(roster: Roster) -> None:
    """The roster's shape: named shifts covering each hour of the day exactly once, sane counts, real skills."""
    problems = {}
    if not roster.shifts:
        problems["shifts"] = "at least one shift"
    names = [s.name for s in roster.shifts]
    for i, shift in enumerate(roster.shifts):
        where = f"shifts[{i}]"
        if not ID_PATTERN.match(shift.name) or names.count(shift.name) > 1:
            problems[f"{where}.name"] = "a unique name of 1 to 64 letters, digits or . _ : -"
        if not (0 <= shift.starts_hour <= 23 and 0 <= shift.ends_hour <= 23):
            problems[f"{where}.hours"] = "starts_hour and ends_hour are hours of the day, 0 to 23"
        if not 0 <= shift.operators <= MAX_STAFF_PER_SHIFT:
            problems[f"{where}.operators"] = f"0 to {MAX_STAFF_PER_SHIFT}"
        if not 0 <= shift.caregivers <= MAX_STAFF_PER_SHIFT:
            problems[f"{where}.caregivers"] = f"0 to {MAX_STAFF_PER_SHIFT}"
        if not shift.skill_sets or any(not s or not s <= set(KINDS) for s in shift.skill_sets):
            problems[f"{where}.skill_sets"] = f"each a non-empty set of {', '.join(KINDS)}"
    if not problems:
        covered = [hour for s in roster.shifts for hour in s.hours]
        twice = sorted({h for h in covered if covered.count(h) > 1})
        missing = sorted(set(range(24)) - set(covered))
        if twice or missing:
            problems["shifts"] = "shifts must cover each hour of the day exactly once" + (
                f"; uncovered hours: {missing}" if missing else "") + (f"; hours in two shifts: {twice}" if twice else "")
    check_fields(problems, "invalid roster")


def offered_load(profile: Profile, shift: Shift) -> tuple[float, float]:
    """Operators' and caregivers' work arriving per hour in the shift, averaged over the week (erlangs)."""
    operators = caregivers = 0.0
    for weekday in range(7):
        for hour in shift.hours:
            for kind in KINDS:
                rate = profile.rate(weekday, hour, kind) / 3600
                if rate:
                    operators += rate * profile.acknowledge[kind].average
                    caregivers += rate * profile.work_seconds(kind)
    slots = 7 * len(shift.hours)
    return operators / slots, caregivers / slots


def impossibilities(profile: Profile, roster: Roster) -> list[str]:
    """Why this roster can never serve this profile (calls nobody can answer or serve, or more work arriving
    than the shift's people can do); empty when it might."""
    reasons = []
    for shift in roster.shifts:
        kinds = {kind for weekday in range(7) for hour in shift.hours for kind in KINDS
                 if profile.rate(weekday, hour, kind) > 0}
        if not kinds:
            continue
        operator_load, caregiver_load = offered_load(profile, shift)
        if shift.operators == 0:
            reasons.append(f"{shift.name}: calls come in but no operator is on shift to acknowledge them")
        elif operator_load >= shift.operators:
            reasons.append(f"{shift.name}: {operator_load:.2f} operator-hours of calls arrive per hour, "
                           f"more than {shift.operators} operators can answer")
        missing = sorted(kinds - (shift.skills_on_shift() if shift.caregivers else frozenset()))
        if missing:
            reasons.append(f"{shift.name}: nobody on shift has the skill for {', '.join(missing)} calls")
        elif caregiver_load >= shift.caregivers:
            reasons.append(f"{shift.name}: {caregiver_load:.2f} caregiver-hours of work arrive per hour, "
                           f"more than {shift.caregivers} caregivers can do: the queue would never empty")
    return reasons


def check_possible(profile: Profile, roster: Roster) -> None:
    validate_roster(roster)
    reasons = impossibilities(profile, roster)
    if reasons:
        raise FailedPrecondition("this roster cannot serve the community: " + "; ".join(reasons))


# -- targets ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Targets:
    emergency_acknowledged_share: float = 0.99  # acknowledged within the emergency SLA
    emergency_wait_p95_seconds: float = 20 * 60  # raised → a caregiver at the door
    routine_wait_p95_seconds: float = 2 * 3600  # every other kind


def validate_targets(targets: Targets) -> None:
    problems = {}
    if not 0 < targets.emergency_acknowledged_share <= 1:
        problems["targets.emergency_acknowledged_share"] = "a share above 0, at most 1"
    if not 0 < targets.emergency_wait_p95_seconds <= 24 * 3600:
        problems["targets.emergency_wait_p95_seconds"] = "above 0, at most a day"
    if not 0 < targets.routine_wait_p95_seconds <= 24 * 3600:
        problems["targets.routine_wait_p95_seconds"] = "above 0, at most a day"
    check_fields(problems, "invalid targets")


def validate_run(days: int, time_limit_seconds: float) -> None:
    problems = {}
    if not 1 <= days <= MAX_DAYS:
        problems["days"] = f"1 to {MAX_DAYS}"
    if not 0 < time_limit_seconds <= MAX_SECONDS:
        problems["time_limit_seconds"] = f"above 0, at most {MAX_SECONDS}"
    check_fields(problems, "invalid planning run")


# -- statistics -------------------------------------------------------------------------------------

def t_quantile(confidence: float, freedom: int) -> float:
    """Student's t two-sided critical value (Cornish-Fisher expansion around the normal: within 1% from
    three degrees of freedom on, which is as exact as a simulation's interval needs)."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    v = max(1, freedom)
    return (z + (z ** 3 + z) / (4 * v) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * v ** 2)
            + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * v ** 3))


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    replications: int  # independent days that contributed

    def contains(self, truth: float) -> bool:
        return self.low <= truth <= self.high


def ratio_estimate(numerators: list[float], denominators: list[float], confidence: float = 0.95) -> Estimate:
    """A ratio over independent days (share within SLA, mean wait) with its confidence interval: the
    ratio of sums, its variance from the days' residuals (the delta method for a ratio of means)."""
    days = [(x, n) for x, n in zip(numerators, denominators) if n > 0]
    total = sum(n for _, n in days)
    if not total:
        return Estimate(math.nan, math.nan, math.nan, 0)
    value = sum(x for x, _ in days) / total
    k = len(days)
    if k < 2:
        return Estimate(value, -math.inf, math.inf, k)
    mean_n = total / k
    variance = sum((x - value * n) ** 2 for x, n in days) / (k - 1) / k / mean_n ** 2
    half = t_quantile(confidence, k - 1) * math.sqrt(variance)
    return Estimate(value, value - half, value + half, k)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100), as the live figures compute it; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def erlang_c(servers: int, arrival_rate: float, service_rate: float) -> tuple[float, float]:
    """M/M/c: the probability an arrival waits, and the mean wait in queue (in the rates' time unit)."""
    load = arrival_rate / service_rate
    if load >= servers:
        return 1.0, math.inf
    term, below = 1.0, 0.0
    for k in range(servers):
        below += term
        term *= load / (k + 1)
    waiting = term * servers / (servers - load)
    p_wait = waiting / (below + waiting)
    return p_wait, p_wait / (servers * service_rate - arrival_rate)


# -- a day's tallies and the report ----------------------------------------------------------------------

@dataclass
class ShiftTally:
    """What one simulated day recorded for one shift (calls counted in the shift they were raised in)."""

    emergencies: int = 0
    emergencies_within_sla: int = 0
    escalations: int = 0
    waits: dict[str, list[float]] = field(default_factory=dict)  # raised → caregiver on site, by kind
    queue_waits: list[float] = field(default_factory=list)  # acknowledged → assigned, every kind
    unserved: dict[str, int] = field(default_factory=dict)  # still waiting when the day's run ended
    operator_busy: float = 0.0
    caregiver_busy: float = 0.0
    operator_seconds: float = 0.0  # people on shift × shift length
    caregiver_seconds: float = 0.0


@dataclass(frozen=True)
class KindWaits:
    kind: str
    calls: int
    unserved: int
    p50_seconds: float
    p95_seconds: float


@dataclass(frozen=True)
class ShiftReport:
    shift: str
    operators: int
    caregivers: int
    emergencies: int
    emergency_acknowledged: Estimate  # share acknowledged within the SLA
    escalations: int
    waits: tuple[KindWaits, ...]
    queue_wait_share: Estimate  # share of calls that waited for a free caregiver
    queue_wait_mean_seconds: Estimate
    operator_utilisation: float
    caregiver_utilisation: float
    wait_histogram: tuple[float, ...]  # every served call's wait, seconds (for the chart)

    def wait_for(self, kind: str) -> KindWaits | None:
        return next((w for w in self.waits if w.kind == kind), None)


@dataclass(frozen=True)
class Report:
    roster: Roster
    profile_source: str
    profile_is_default: bool
    seed: int
    days_planned: int
    days_simulated: int  # fewer than planned when the time limit stopped the run
    shifts: tuple[ShiftReport, ...]
    confidence: float = 0.95

    @property
    def complete(self) -> bool:
        return self.days_simulated == self.days_planned


def summarize(roster: Roster, profile: Profile, seed: int, days_planned: int,
              days: list[dict[str, ShiftTally]], confidence: float = 0.95) -> Report:
    shifts = []
    for shift in roster.shifts:
        tallies = [day[shift.name] for day in days]
        waits: dict[str, list[float]] = {}
        unserved: dict[str, int] = {}
        for tally in tallies:
            for kind, values in tally.waits.items():
                waits.setdefault(kind, []).extend(values)
            for kind, count in tally.unserved.items():
                unserved[kind] = unserved.get(kind, 0) + count
        kinds = [k for k in KINDS if k in waits or k in unserved]
        every_wait = [w for values in waits.values() for w in values]
        shifts.append(ShiftReport(
            shift.name, shift.operators, shift.caregivers, sum(t.emergencies for t in tallies),
            ratio_estimate([t.emergencies_within_sla for t in tallies], [t.emergencies for t in tallies], confidence),
            sum(t.escalations for t in tallies),
            tuple(KindWaits(k, len(waits.get(k, [])) + unserved.get(k, 0), unserved.get(k, 0),
                            percentile(waits.get(k, []) + [math.inf] * unserved.get(k, 0), 50),
                            percentile(waits.get(k, []) + [math.inf] * unserved.get(k, 0), 95)) for k in kinds),
            ratio_estimate([sum(1 for w in t.queue_waits if w > 0) for t in tallies],
                           [len(t.queue_waits) for t in tallies], confidence),
            ratio_estimate([sum(t.queue_waits) for t in tallies], [len(t.queue_waits) for t in tallies], confidence),
            _share(sum(t.operator_busy for t in tallies), sum(t.operator_seconds for t in tallies)),
            _share(sum(t.caregiver_busy for t in tallies), sum(t.caregiver_seconds for t in tallies)),
            tuple(every_wait)))
    return Report(roster, profile.source, profile.is_default, seed, days_planned, len(days), tuple(shifts), confidence)


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def shortfalls(report: Report, targets: Targets) -> dict[str, list[str]]:
    """Per shift, each target it misses and by how much; a shift missing nothing is absent."""
    missed: dict[str, list[str]] = {}
    for shift in report.shifts:
        reasons = []
        share = shift.emergency_acknowledged
        if shift.emergencies and share.value < targets.emergency_acknowledged_share:
            reasons.append(f"emergencies acknowledged within SLA {share.value:.1%} "
                           f"< {targets.emergency_acknowledged_share:.1%}")
        for waits in shift.waits:
            limit = (targets.emergency_wait_p95_seconds if waits.kind == EMERGENCY
                     else targets.routine_wait_p95_seconds)
            if waits.p95_seconds > limit:
                shown = "never served" if math.isinf(waits.p95_seconds) else f"{waits.p95_seconds / 60:.1f} min"
                reasons.append(f"{waits.kind} p95 wait {shown} > {limit / 60:.0f} min")
        if reasons:
            missed[shift.shift] = reasons
    return missed


def operators_short(reasons: list[str]) -> bool:
    return any(r.startswith("emergencies acknowledged") for r in reasons)


def caregivers_short(reasons: list[str]) -> bool:
    return any("wait" in r for r in reasons)


def validate_profile(profile: Profile) -> None:
    problems = {}
    if not any(rate > 0 for rate in profile.arrivals.values()):
        problems["profile"] = "no calls: a profile needs arrivals"
    if any(rate < 0 or not math.isfinite(rate) for rate in profile.arrivals.values()):
        problems["profile.arrivals"] = "calls per hour are finite and not negative"
    for name in ("acknowledge", "travel", "service"):
        table = getattr(profile, name)
        if any(kind not in table for kind in profile.kinds()):
            problems[f"profile.{name}"] = "a duration for every kind that arrives"
    check_fields(problems, "invalid profile")


def refuse_if_empty(profile: Profile | None, community_id: str) -> Profile:
    if profile is None:
        raise FailedPrecondition(
            f"community {community_id} has no care-request history to plan from; ask for the default profile "
            "(labelled as such in every result) or plan once calls have been recorded")
    return profile



# -- a profile from a community's history -------------------------------------------------------------

@dataclass(frozen=True)
class HistoryRecord:
    """What the planner reads of one recorded call (the store's projection of a care request)."""

    kind: str
    raised_at: datetime
    acknowledged_at: datetime | None = None
    assigned_at: datetime | None = None
    en_route_at: datetime | None = None
    on_site_at: datetime | None = None
    completed_at: datetime | None = None
    position: GeoPoint | None = None


# Fewer recorded durations than this for a kind: its durations are pooled with every other kind's.
MIN_SAMPLES = 5
MAX_HISTORY_DAYS = 92


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    return (end - start).total_seconds() if start and end and end >= start else None


def profile_from_history(community_id: str, records: list[HistoryRecord], first_day: date, last_day: date,
                         zone: str = COMMUNITY_ZONE, homes: tuple[GeoPoint, ...] = ()) -> Profile | None:
    """The community's profile from its calls raised between first_day and last_day (local days, inclusive):
    calls per hour by weekday, hour and kind; operators' time to acknowledge (raised → acknowledged, which
    includes any queueing the history had); travel (assigned → on site: the caregiver setting off, then en
    route → arrived; en route → arrived alone when the assignment time is unknown); work on site (on site →
    completed).
    None when there are no calls to learn from."""
    if not records:
        return None
    local = ZoneInfo(zone)
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    weekdays = [sum(1 for d in days if d.weekday() == w) for w in range(7)]
    counts: dict[tuple[int, int, str], int] = {}
    samples: dict[str, dict[str, list[float]]] = {"acknowledge": {}, "travel": {}, "service": {}}
    for record in records:
        at = record.raised_at.astimezone(local)
        key = (at.weekday(), at.hour, record.kind)
        counts[key] = counts.get(key, 0) + 1
        for name, value in (("acknowledge", _seconds(record.raised_at, record.acknowledged_at)),
                            ("travel", _seconds(record.assigned_at or record.en_route_at, record.on_site_at)),
                            ("service", _seconds(record.on_site_at, record.completed_at))):
            if value is not None:
                samples[name].setdefault(record.kind, []).append(value)
    arrivals = {key: count / weekdays[key[0]] for key, count in counts.items() if weekdays[key[0]]}
    pooled_note = []
    tables = {}
    fallback = default_profile(community_id)
    for name, by_kind in samples.items():
        every = [s for values in by_kind.values() for s in values]
        table = {}
        for kind in KINDS:
            if len(by_kind.get(kind, [])) >= MIN_SAMPLES:
                table[kind] = empirical(by_kind[kind])
            elif every:
                table[kind] = empirical(every)
                if any(key[2] == kind for key in counts):
                    pooled_note.append(f"{name} of {kind}")
            else:
                table[kind] = getattr(fallback, name)[kind]
                pooled_note.append(f"{name} (none recorded: default)")
        tables[name] = table
    notes = sorted(set(pooled_note))
    source = (f"history of {community_id}, {first_day.isoformat()} to {last_day.isoformat()}: {len(records)} calls"
              + (f"; pooled across kinds for lack of samples: {', '.join(notes)}" if notes else ""))
    return Profile(community_id, arrivals, tables["acknowledge"], tables["travel"], tables["service"], source,
                   is_default=False, zone=zone, homes=homes)


def check_may_plan(caller: Caller, community_id: str) -> None:
    """Planning staff is the administrators' decision, for the communities they serve."""
    if not ID_PATTERN.match(community_id):
        check_fields({"community_id": "required: 1 to 64 letters, digits or . _ : -"}, "invalid planning run")
    if not (caller.has_role("administrator") and caller.serves(community_id)):
        raise PermissionDenied(f"only an administrator serving community {community_id} may plan its staffing")
