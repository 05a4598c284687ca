"""Benchmark of the staffing planner: 30 simulated days of a 2,000-elder community.

    .venv/bin/python -m bench.staffing [--runs 3]

The default profile for 2,000 elders (about 150 calls a day, the demo's mix and hours), the centre's three
shifts (2 operators and 10 caregivers by day, 1 and 6 in the evening and at night), every call played through
the live care-request, escalation and dispatch rules (services/eldercare/domain/staffing_simulation.py).
Also the `staffing` row family of `make bench` (rows() below). Not part of the tests.
"""
import argparse
import statistics
import time
from datetime import date

from services.eldercare.domain import staffing as st
from services.eldercare.domain.staffing_simulation import simulate
from services.eldercare.policy import DEFAULT_POLICY

ROSTER = st.Roster((st.Shift("day", 8, 16, 2, 10), st.Shift("evening", 16, 0, 1, 6), st.Shift("night", 0, 8, 1, 6)))
FIRST_DAY = date(2026, 12, 7)


def thirty_days() -> tuple[float, int]:
    """Seconds for one 30-day run, and the calls it simulated."""
    profile = st.default_profile("bench", elders=2000)
    started = time.perf_counter()
    report = simulate(profile, ROSTER, DEFAULT_POLICY, 30, 1, FIRST_DAY, time_limit_seconds=600)
    seconds = time.perf_counter() - started
    assert report.complete
    return seconds, sum(w.calls for s in report.shifts for w in s.waits)


def rows(bench):
    """The `staffing` row family of `make bench` (bench/run.py)."""
    from bench.common import MILLISECONDS, Row

    runs = [thirty_days() for _ in range(1 if bench.quick else 3)]
    return [Row("staffing", "simulate 30 days of a 2,000-elder community (one roster)", MILLISECONDS,
                [seconds * 1000 for seconds, _ in runs], note=f"{runs[0][1]:,} calls; target: under a minute")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [thirty_days() for _ in range(args.runs)]
    print(f"30 days, 2,000 elders, {runs[0][1]:,} calls: median {statistics.median(s for s, _ in runs):.1f} s "
          f"over {args.runs} runs ({', '.join(f'{s:.1f}' for s, _ in runs)})")


if __name__ == "__main__":
    main()
