"""`linli staffing`: how many operators and caregivers per shift, from the community's history.

    linli staffing [--community donghuayuan] [--shift day=8-16:2:10 ...] [--search] [--days 28] [--seed 1]
                   [--default-profile [--elders 2000]] [--json FILE] [--csv FILE] [--chart FILE.svg]

Asks the eldercare api's StaffingService (as an administrator of the community) to simulate days of the
community's calls under a roster, or with --search for the smallest roster meeting the targets; prints
progress, then per shift the share of emergencies acknowledged within the SLA (with its confidence
interval), waits for a caregiver by kind and utilisation. A shift is NAME=START-END:OPERATORS:CAREGIVERS,
optionally followed by :SKILLS/SKILLS/... (caregiver i gets the i-th set, cycling; a set is kinds joined
by commas), e.g. night=0-8:1:4:emergency,medical,mobility/meal,cleaning,shopping,bathing,recreation.
"""
import argparse
import json
import sys

import grpc
from google.protobuf.json_format import MessageToDict

from linli.eldercare.v1 import eldercare_pb2
from linli.eldercare.v1 import staffing_pb2 as pb
from linli.eldercare.v1 import staffing_pb2_grpc as pb_grpc
from linli.kit import grpc_client
from linli.kit.config import setting
from linli.kit.identity import Caller
from linli.kit.protomap import enum_name, enum_number

KINDS = [enum_name(eldercare_pb2.CareKind, n) for n in eldercare_pb2.CareKind.values() if n]


def parse_shift(text: str) -> pb.StaffingShift:
    """NAME=START-END:OPERATORS:CAREGIVERS[:SKILLS/SKILLS...] → a shift; ValueError saying what is wrong."""
    try:
        name, rest = text.split("=", 1)
        parts = rest.split(":")
        hours, operators, caregivers = parts[0], int(parts[1]), int(parts[2])
        start, end = (int(h) for h in hours.split("-"))
    except (ValueError, IndexError):
        raise ValueError(f"{text!r}: a shift is NAME=START-END:OPERATORS:CAREGIVERS[:SKILLS/SKILLS...]") from None
    skill_sets = []
    for chunk in (parts[3].split("/") if len(parts) > 3 and parts[3] else []):
        kinds = [k.strip() for k in chunk.split(",") if k.strip()]
        unknown = [k for k in kinds if k not in KINDS]
        if unknown or not kinds:
            raise ValueError(f"{text!r}: skills are kinds of care: {', '.join(KINDS)}")
        skill_sets.append(pb.SkillSet(kinds=[enum_number(eldercare_pb2.CareKind, k) for k in kinds]))
    return pb.StaffingShift(name=name, starts_hour=start, ends_hour=end, operators=operators, caregivers=caregivers,
                            skill_sets=skill_sets)


def minutes(seconds: float) -> str:
    return "never" if seconds >= 1e11 else f"{seconds / 60:.1f}"


def print_plan(plan: pb.StaffingPlan, out=sys.stdout) -> None:
    label = " (DEFAULT PROFILE, not this community's history)" if plan.profile_is_default else ""
    print(f"profile: {plan.profile_source}{label}", file=out)
    print(f"{plan.days_simulated} of {plan.days_planned} days simulated, seed {plan.seed}, "
          f"{plan.confidence:.0%} confidence intervals" + ("  (stopped at the time limit)" if plan.stopped_early else ""),
          file=out)
    if plan.searched:
        verdict = "meets the targets" if plan.meets_targets else "DOES NOT meet the targets"
        print(f"smallest roster found after {plan.rosters_tried} rosters: {verdict}", file=out)
    for shift, figures in zip(plan.shifts, plan.figures):
        share = figures.emergency_acknowledged_share
        sla = (f"{share.value:.1%} [{share.low:.1%}, {share.high:.1%}]" if share.days else "no emergencies")
        print(f"\n{shift.name} {shift.starts_hour:02d}-{shift.ends_hour:02d}: {shift.operators} operators, "
              f"{shift.caregivers} caregivers — emergencies acknowledged ≤ SLA {sla}, "
              f"{figures.escalations} escalations; utilisation operators {figures.operator_utilisation:.0%}, "
              f"caregivers {figures.caregiver_utilisation:.0%}", file=out)
        for wait in figures.waits:
            print(f"  {enum_name(eldercare_pb2.CareKind, wait.kind):<11} {wait.calls:>6} calls  wait p50 "
                  f"{minutes(wait.p50_seconds):>6} min  p95 {minutes(wait.p95_seconds):>6} min"
                  + (f"  ({wait.unserved} unserved)" if wait.unserved else ""), file=out)
        for reason in figures.shortfalls:
            print(f"  misses: {reason}", file=out)
    for smaller in plan.smaller:
        print(f"\none {smaller.role} fewer on {smaller.shift}: " + "; ".join(smaller.shortfalls), file=out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linli staffing", description=__doc__.split("\n\n")[0])
    parser.add_argument("--community", default="donghuayuan")
    parser.add_argument("--shift", action="append", default=[], help="NAME=START-END:OPERATORS:CAREGIVERS[:SKILLS]")
    parser.add_argument("--search", action="store_true", help="find the smallest roster meeting the targets")
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first-day", default="", help="YYYY-MM-DD (default: tomorrow)")
    parser.add_argument("--history-days", type=int, default=28)
    parser.add_argument("--default-profile", action="store_true",
                        help="without history, plan from the default profile (labelled as such)")
    parser.add_argument("--elders", type=int, default=2000, help="elders the default profile serves")
    parser.add_argument("--target-share", type=float, default=0.99)
    parser.add_argument("--target-emergency-p95-minutes", type=float, default=20)
    parser.add_argument("--target-routine-p95-minutes", type=float, default=120)
    parser.add_argument("--time-limit", type=float, default=120, help="seconds")
    parser.add_argument("--json", help="write the plan as JSON to this file ('-': stdout)")
    parser.add_argument("--csv", help="write the figures as CSV to this file")
    parser.add_argument("--chart", help="write the chart (SVG) to this file")
    args = parser.parse_args(argv)
    try:
        shifts = [parse_shift(s) for s in args.shift]
    except ValueError as error:
        parser.error(str(error))
    request = pb.PlanStaffingRequest(
        community_id=args.community, shifts=shifts, search=args.search, days=args.days, seed=args.seed,
        first_day=args.first_day, use_default_profile=args.default_profile, default_profile_elders=args.elders,
        history_days=args.history_days, time_limit_seconds=args.time_limit,
        targets=pb.StaffingTargets(emergency_acknowledged_share=args.target_share,
                                   emergency_wait_p95_seconds=args.target_emergency_p95_minutes * 60,
                                   routine_wait_p95_seconds=args.target_routine_p95_minutes * 60))
    administrator = Caller("dev-administrator", frozenset({"administrator"}), frozenset({args.community}))
    plan = None
    try:
        with grpc_client.insecure_channel(setting("ELDERCARE_API_ADDR")) as channel:
            stub = pb_grpc.StaffingServiceStub(channel)
            for update in stub.PlanStaffing(request, metadata=administrator.to_metadata(),
                                            timeout=args.time_limit + 60):
                if update.HasField("progress"):
                    print(f"\r{update.progress.message[:110]:<110}", end="", file=sys.stderr, flush=True)
                else:
                    plan = update.plan
    except grpc.RpcError as error:
        print(f"\nlinli staffing: {error.code().name}: {error.details()}", file=sys.stderr)
        return 1
    print(file=sys.stderr)
    print_plan(plan)
    if args.json:
        document = MessageToDict(plan, preserving_proto_field_name=True)
        text = json.dumps({k: v for k, v in document.items() if k not in ("chart_svg", "figures_csv")},
                          ensure_ascii=False, indent=2)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w", encoding="utf-8") as f:
                f.write(text)
    for path, content in ((args.csv, plan.figures_csv), (args.chart, plan.chart_svg)):
        if path:
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
    return 0 if not plan.searched or plan.meets_targets else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
