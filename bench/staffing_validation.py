"""Predicted against observed: the planner's figures for the demo community's day next to `linli simulate`
played on the real platform with the same day and roster.

    .venv/bin/python -m bench.staffing_validation [--speed 200] [--calls 150] [--days 60]

Starts Linli on free ports (SecantusDB in memory, a vhost of its own), loads the demo community (2,000
elders, 30 caregivers on shift), plays `linli simulate`'s day at --speed, and reads every call's recorded
timestamps back (real seconds × speed = simulated seconds). The prediction simulates --days days of the
same day: linli simulate's calls per hour and kind mix, its operators' pick-up times (exponential, 15 s for
emergencies, 40 s otherwise; each call its own operator), the caregiver setting off 20-90 s after the
assignment and walking the distance between homes at 70 m/min (rounded up to whole minutes, as the
simulator's ETA is), its minutes on site by kind; the demo's 30 caregivers with their skill sets.
Prints both side by side. Not part of the tests (about 10 minutes at the default speed).
"""
import argparse
import math
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pymongo

from linli_dev import demo, simulate
from linli_dev.devstack import ensure_rabbitmq, free_port, platform
from linli.kit.config import SETTINGS, setting
from services.eldercare.domain import staffing as st
from services.eldercare.domain.care_requests import KINDS, distance_m
from services.eldercare.domain.staffing_simulation import simulate as plan_days
from services.eldercare.policy import DEFAULT_POLICY
from services.eldercare.store.staffing import StaffingStore

SLA = 60.0


def scaled(records, speed: float) -> list:
    """Recorded calls with every step's time since the raise stretched to simulated seconds."""
    def at(r, t):
        return None if t is None else r.raised_at + (t - r.raised_at) * speed

    return [replace(r, acknowledged_at=at(r, r.acknowledged_at), assigned_at=at(r, r.assigned_at),
                    en_route_at=at(r, r.en_route_at), on_site_at=at(r, r.on_site_at),
                    completed_at=at(r, r.completed_at)) for r in records]


def recorded(db, since: datetime) -> list:
    records = StaffingStore(db).history(demo.COMMUNITY, since.date(), datetime.now(timezone.utc).date(), "UTC")
    return [r for r in records if r.raised_at >= since]


def observed(records, speed: float) -> dict:
    """The day's calls as the platform recorded them, in simulated seconds."""
    emergencies = [r for r in records if r.kind == "emergency" and r.acknowledged_at]
    in_time = sum(1 for r in emergencies if (r.acknowledged_at - r.raised_at).total_seconds() <= SLA)
    waits = {}
    for r in records:
        if r.on_site_at:
            waits.setdefault(r.kind, []).append((r.on_site_at - r.raised_at).total_seconds())
    return {"calls": len(records), "emergencies": len(emergencies),
            "share": in_time / len(emergencies) if emergencies else math.nan,
            "p50": {k: statistics.median(v) for k, v in waits.items()},
            "all_p50": statistics.median([w for v in waits.values() for w in v]) if waits else math.nan}


def predicted(homes, days: int, calls: int, learned=None) -> st.Report:
    """The planner's days: durations from linli simulate's constants, or (learned) from the platform's
    recorded history of the day, stretched to simulated time (the planner's own profile_from_history)."""
    rng = random.Random(1)
    hourly, shares = sum(simulate.HOURLY), sum(simulate.KIND_MIX.values())
    from linli.eldercare.v1 import eldercare_pb2 as pb
    from linli.kit.protomap import enum_name
    mix = {enum_name(pb.CareKind, k): v for k, v in simulate.KIND_MIX.items()}
    minutes = {enum_name(pb.CareKind, k): v for k, v in simulate.SERVICE_MINUTES.items()}
    arrivals = {(w, h, kind): calls * simulate.HOURLY[h] / hourly * share / shares
                for w in range(7) for h in range(24) for kind, share in mix.items()}
    travel = st.empirical([rng.uniform(20, 90) + 60 * max(1, math.ceil(
        distance_m(rng.choice(homes), rng.choice(homes)) / simulate.WALKING_METRES_PER_MINUTE)) for _ in range(5000)])
    profile = st.Profile(
        demo.COMMUNITY, arrivals,
        acknowledge={k: st.exponential(15 if k == "emergency" else 40) for k in KINDS},
        travel={k: travel for k in KINDS},
        service={k: st.empirical([minutes.get(k, 30) * 60 * rng.uniform(0.6, 1.4) for _ in range(2000)])
                 for k in KINDS},
        source="linli simulate's day (its constants), demo homes", homes=tuple(homes))
    if learned is not None:
        profile = replace(profile, acknowledge=learned.acknowledge, travel=learned.travel, service=learned.service,
                          source="durations learned from the platform's record of the day")
    skill_sets = tuple(frozenset(enum_name(pb.CareKind, k) for k in s) for s in demo.SKILL_SETS)
    roster = st.Roster((st.Shift("all-day", 0, 0, 50, demo.STAFF, skill_sets),))  # 50: an operator per call
    return plan_days(profile, roster, DEFAULT_POLICY, days, 7, date(2026, 12, 7), time_limit_seconds=600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speed", type=float, default=200)
    parser.add_argument("--calls", type=int, default=150)
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="linli-staffing-validation-"))
    env = {name: setting(name) for name in SETTINGS}
    env.update({name: f"127.0.0.1:{free_port()}" for name in SETTINGS if name.endswith("_ADDR")})
    env.update({name: str(free_port()) for name in SETTINGS if name.endswith("_PORT")})
    # The platform's SLA clock runs in real seconds: a simulated minute is 60/speed of them.
    env.update({"MONGO_DB_PREFIX": "validation_", "LINLI_DEV_ISSUER_DIR": str(work / "issuer"),
                "OTEL_EXPORTER_OTLP_ENDPOINT": "", "ELDERCARE_EMERGENCY_ACK_SLA_SECONDS": str(SLA / args.speed)})
    ensure_rabbitmq(env["AMQP_URI"], management=True)
    stack = platform(env, work / "log", mongo_storage=":memory:", isolated_broker=True)
    try:
        demo.load(stack.env)
        client = pymongo.MongoClient(stack.env["MONGO_URI"], tz_aware=True)
        db = client["validation_eldercare"]
        homes = StaffingStore(db).homes(demo.COMMUNITY)
        since = datetime.now(timezone.utc)
        started = time.monotonic()
        simulate.run(stack.env, args.speed, args.calls, 7)
        print(f"linli simulate took {time.monotonic() - started:.0f} s", flush=True)
        time.sleep(3)
        records = scaled(recorded(db, since), args.speed)
        seen = observed(records, args.speed)
    finally:
        stack.stop()
    day = date.today()
    learned = st.profile_from_history(demo.COMMUNITY, records, day, day, "UTC")
    first = predicted(list(homes), args.days, args.calls).shifts[0]
    second = predicted(list(homes), args.days, args.calls, learned).shifts[0]

    def share(shift) -> str:
        e = shift.emergency_acknowledged
        return f"{e.value:.1%} [{e.low:.1%}, {e.high:.1%}]"

    print(f"\n{'':34} {'predicted: constants':>24} {'predicted: learned':>24} {'observed':>10}")
    print(f"{'emergencies acknowledged <= 60 s':34} {share(first):>24} {share(second):>24} {seen['share']:10.1%}"
          f"  ({seen['emergencies']} emergencies observed)")
    print(f"{'median wait, every kind (min)':34} {statistics.median(first.wait_histogram) / 60:24.1f} "
          f"{statistics.median(second.wait_histogram) / 60:24.1f} {seen['all_p50'] / 60:10.1f}")
    for waits in first.waits:
        other = second.wait_for(waits.kind)
        print(f"{'median wait, ' + waits.kind + ' (min)':34} {waits.p50_seconds / 60:24.1f} "
              f"{(other.p50_seconds if other else math.nan) / 60:24.1f} {seen['p50'].get(waits.kind, math.nan) / 60:10.1f}")
    print(f"calls observed {seen['calls']}; predicted over {args.days} days each; caregiver utilisation "
          f"{first.caregiver_utilisation:.0%} / {second.caregiver_utilisation:.0%}")


if __name__ == "__main__":
    main()
