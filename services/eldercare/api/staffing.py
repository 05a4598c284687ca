"""StaffingService: the staffing planner over gRPC. A run is CPU work bounded by its time limit; it runs in
a process of its own while this call streams its progress, then the plan."""
import math
import multiprocessing
import queue
import threading
from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from linli.eldercare.v1 import eldercare_pb2
from linli.eldercare.v1 import staffing_pb2 as pb
from linli.eldercare.v1 import staffing_pb2_grpc as pb_grpc
import grpc

from linli.kit.errors import FailedPrecondition, InvalidArgument
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import enum_name, enum_number
from services.eldercare import staffing_figures
from services.eldercare.domain import staffing as st
from services.eldercare.domain.care_requests import KINDS
from services.eldercare.domain.staffing_simulation import Plan, simulate, smallest_roster
from services.eldercare.policy import COMMUNITY_ZONE, KindPolicy
from services.eldercare.store.staffing import StaffingStore

DEFAULT_DAYS = 28
DEFAULT_HISTORY_DAYS = 28
DEFAULT_TIME_LIMIT = 60.0
MAX_ELDERS = 100_000
# Plans running at once in one api process (each in a process of its own, on a machine's cores that also
# answer calls for help); more are refused with RESOURCE_EXHAUSTED.
MAX_RUNS = 2
# How much longer than its limit a run may take to send its plan (drawing the chart, starting the process).
RUN_MARGIN_SECONDS = 60
# A fresh interpreter per run: forking a process that runs grpcio's threads is unsafe.
_CONTEXT = multiprocessing.get_context("spawn")


def roster_from(shifts) -> st.Roster:
    if not shifts:
        return st.three_shifts()
    problems = {}
    result = []
    for i, shift in enumerate(shifts):
        skill_sets = []
        for j, skill_set in enumerate(shift.skill_sets):
            kinds = {enum_name(eldercare_pb2.CareKind, k) for k in skill_set.kinds
                     if k in eldercare_pb2.CareKind.values() and k != 0}
            if len(kinds) != len(set(skill_set.kinds)) or not kinds or not kinds <= set(KINDS):
                problems[f"shifts[{i}].skill_sets[{j}]"] = f"one or more of {', '.join(KINDS)}"
            skill_sets.append(frozenset(kinds))
        result.append(st.Shift(shift.name, shift.starts_hour, shift.ends_hour, shift.operators, shift.caregivers,
                               tuple(skill_sets) or (frozenset(KINDS),)))
    if problems:
        raise InvalidArgument("invalid roster", problems)
    return st.Roster(tuple(result))


def shift_message(shift: st.Shift) -> pb.StaffingShift:
    return pb.StaffingShift(
        name=shift.name, starts_hour=shift.starts_hour, ends_hour=shift.ends_hour, operators=shift.operators,
        caregivers=shift.caregivers,
        skill_sets=[pb.SkillSet(kinds=[enum_number(eldercare_pb2.CareKind, k) for k in KINDS if k in skills])
                    for skills in shift.skill_sets])


def _finite(value: float) -> float:
    return value if math.isfinite(value) else (-1.0 if math.isnan(value) else 1e12)


def interval_message(estimate: st.Estimate) -> pb.Interval:
    if not estimate.replications:  # no such calls: nothing to estimate
        return pb.Interval()
    return pb.Interval(value=_finite(estimate.value), low=max(0.0, _finite(estimate.low)),
                       high=min(1.0, _finite(estimate.high)), days=estimate.replications)


def figures_messages(report: st.Report, missed: dict[str, list[str]]) -> list[pb.ShiftFigures]:
    return [pb.ShiftFigures(
        shift=s.shift, operators=s.operators, caregivers=s.caregivers, emergencies=s.emergencies,
        emergency_acknowledged_share=interval_message(s.emergency_acknowledged), escalations=s.escalations,
        waits=[pb.KindWait(kind=enum_number(eldercare_pb2.CareKind, w.kind), calls=w.calls, unserved=w.unserved,
                           p50_seconds=_finite(w.p50_seconds), p95_seconds=_finite(w.p95_seconds)) for w in s.waits],
        operator_utilisation=s.operator_utilisation, caregiver_utilisation=s.caregiver_utilisation,
        shortfalls=missed.get(s.shift, [])) for s in report.shifts]


def targets_from(message: pb.StaffingTargets) -> st.Targets:
    defaults = st.Targets()
    return st.Targets(message.emergency_acknowledged_share or defaults.emergency_acknowledged_share,
                      message.emergency_wait_p95_seconds or defaults.emergency_wait_p95_seconds,
                      message.routine_wait_p95_seconds or defaults.routine_wait_p95_seconds)


def plan_message(community_id: str, plan: Plan, targets: st.Targets, searched: bool) -> pb.StaffingPlan:
    report = plan.report
    missed = st.shortfalls(report, targets)
    return pb.StaffingPlan(
        community_id=community_id, profile_source=report.profile_source, profile_is_default=report.profile_is_default,
        seed=report.seed, days_planned=report.days_planned, days_simulated=report.days_simulated,
        confidence=report.confidence, shifts=[shift_message(s) for s in plan.roster.shifts],
        figures=figures_messages(report, missed),
        targets=pb.StaffingTargets(emergency_acknowledged_share=targets.emergency_acknowledged_share,
                                   emergency_wait_p95_seconds=targets.emergency_wait_p95_seconds,
                                   routine_wait_p95_seconds=targets.routine_wait_p95_seconds),
        searched=searched, meets_targets=plan.meets_targets and report.complete,
        smaller=[pb.SmallerRoster(shift=s.shift, role=s.role, shifts=[shift_message(x) for x in s.roster.shifts],
                                  shortfalls=list(s.shortfalls)) for s in plan.smaller],
        rosters_tried=plan.rosters_tried, stopped_early=plan.stopped_early or not report.complete,
        figures_csv=staffing_figures.figures_csv(report, missed),
        chart_svg=staffing_figures.chart_svg(report, list(plan.tried), targets))


class StaffingApi(pb_grpc.StaffingServiceServicer):
    def __init__(self, store: StaffingStore, policy: dict[str, KindPolicy], clock=utcnow,
                 zone: str = COMMUNITY_ZONE):
        self.store = store
        self.policy = policy
        self.clock = clock
        self.zone = zone
        self.runs = threading.BoundedSemaphore(MAX_RUNS)

    def _profile(self, request: pb.PlanStaffingRequest, today: date) -> st.Profile:
        history_days = request.history_days or DEFAULT_HISTORY_DAYS
        if not 1 <= history_days <= st.MAX_HISTORY_DAYS:
            raise InvalidArgument("invalid planning run", {"history_days": f"1 to {st.MAX_HISTORY_DAYS}"})
        first, last = today - timedelta(days=history_days), today - timedelta(days=1)
        records = self.store.history(request.community_id, first, last, self.zone)
        learned = st.profile_from_history(request.community_id, records, first, last, self.zone,
                                          self.store.homes(request.community_id))
        if learned is not None or not request.use_default_profile:
            return st.refuse_if_empty(learned, request.community_id)
        elders = request.default_profile_elders or 2000
        if not 1 <= elders <= MAX_ELDERS:
            raise InvalidArgument("invalid planning run", {"default_profile_elders": f"1 to {MAX_ELDERS}"})
        return replace(st.default_profile(request.community_id, elders), zone=self.zone)

    def PlanStaffing(self, request, context):
        caller = current_caller()
        st.check_may_plan(caller, request.community_id)
        days = request.days or DEFAULT_DAYS
        limit = request.time_limit_seconds or DEFAULT_TIME_LIMIT
        st.validate_run(days, limit)
        targets = targets_from(request.targets)
        st.validate_targets(targets)
        roster = roster_from(request.shifts)
        st.validate_roster(roster)
        today = self.clock().astimezone(ZoneInfo(self.zone)).date()
        try:
            first_day = date.fromisoformat(request.first_day) if request.first_day else today + timedelta(days=1)
        except ValueError:
            raise InvalidArgument("invalid planning run", {"first_day": "a day as YYYY-MM-DD"}) from None
        profile = self._profile(request, today)
        if not request.search:
            st.check_possible(profile, roster)
        if not self.runs.acquire(blocking=False):
            context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED,
                          f"{MAX_RUNS} staffing plans are already running on this api; try again when one is done")
        try:
            yield from self._run(context, request.community_id, profile, roster, targets, days, request.seed,
                                 first_day, limit, request.search)
        finally:
            self.runs.release()

    def _run(self, context, community_id, profile, roster, targets, days, seed, first_day, limit, search):
        """The run in a process of its own: CPU-bound simulation must not hold this api's GIL while it
        answers calls for help. Its progress and its plan come back over a queue."""
        updates = _CONTEXT.Queue()
        worker = _CONTEXT.Process(target=run_plan, name="staffing-plan", daemon=True, args=(
            updates, community_id, profile, roster, targets, self.policy, days, seed, first_day, limit, search))
        worker.start()
        context.add_callback(worker.kill)  # the caller gone (or the call done): nothing left to compute for
        try:
            while True:
                try:
                    update = updates.get(timeout=limit + RUN_MARGIN_SECONDS)
                except queue.Empty:
                    raise RuntimeError("the staffing plan's process stopped answering") from None
                if update[0] == "progress":
                    _, message, done, total = update
                    yield pb.PlanStaffingResponse(progress=pb.PlanStaffingProgress(message=message, done=done,
                                                                                   total=total))
                elif update[0] == "plan":
                    yield pb.PlanStaffingResponse(plan=pb.StaffingPlan.FromString(update[1]))
                    return
                else:
                    _, kind, message, fields = update
                    raise InvalidArgument(message, fields) if kind == "InvalidArgument" else FailedPrecondition(message)
        finally:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()


def run_plan(updates, community_id: str, profile: st.Profile, roster: st.Roster, targets: st.Targets,
             policy: dict[str, KindPolicy], days: int, seed: int, first_day: date, limit: float, search: bool) -> None:
    """The body of a plan's process: simulate or search, then send the plan (serialized) or the refusal."""
    try:
        if search:
            plan = smallest_roster(profile, roster, targets, policy, days, seed, first_day, limit,
                                   progress=lambda message: updates.put(("progress", message, 0, 0)))
        else:
            report = simulate(profile, roster, policy, days, seed, first_day, limit,
                              progress=lambda done, total: updates.put(("progress", f"day {done} of {total}", done,
                                                                        total)))
            plan = Plan(roster, report, not st.shortfalls(report, targets), (), 1, not report.complete,
                        ((roster, report),))
        updates.put(("plan", plan_message(community_id, plan, targets, search).SerializeToString()))
    except (InvalidArgument, FailedPrecondition) as error:  # refusals found while planning (the search's)
        updates.put(("error", type(error).__name__, error.message, getattr(error, "fields", {})))
