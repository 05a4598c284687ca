"""What every benchmark module shares: the Row it reports, the settings it runs with, and small helpers.

A benchmark module is any bench/<name>.py listed in bench/run.py's MODULES that defines

    def rows(bench: Bench) -> list[Row]        # or rows() with no argument

and returns one Row per measured path. A Row carries one value per run (bench.runs of them) for the
Linli path and, measured in the same run, for the bare transport it rides on; the runner prints the
medians, their spread and the ratio. Nothing here asserts a speed: benchmarks report, tests judge.
"""
import statistics
import time
from dataclasses import dataclass, field
from typing import Callable

# Units. Rates: higher is better. Times: lower is better. The ratio column is always "Linli's cost per
# operation as a multiple of the bare transport's": bare/linli for rates, linli/bare for times.
PER_SECOND = "/s"
MILLISECONDS = "ms"
MEBIBYTES = "MiB"


@dataclass
class Row:
    family: str  # the group it is printed under: "gRPC api", "gateway HTTP", "events", ...
    path: str  # what Linli did, e.g. "GetCareRequest (c=8)"
    unit: str  # PER_SECOND, MILLISECONDS or MEBIBYTES
    linli: list[float]  # one value per run
    bare_path: str = ""  # what the bare transport did, e.g. "bare grpcio, same find_one"
    bare: list[float] = field(default_factory=list)  # one value per run, same runs; empty when none
    storage_ms: list[float] = field(default_factory=list)  # MongoDB time per operation alone, per run
    note: str = ""


@dataclass
class Bench:
    """Settings of one `make bench` run, and the shared platform for modules that need processes."""

    runs: int = 5  # each measurement is repeated this many times; the table shows median and spread
    seconds: float = 3.0  # how long one timed measurement lasts
    quick: bool = False  # --quick: fewer, shorter runs (one to two minutes in all)
    concurrency: int = 8  # in-flight calls of the throughput loads
    start_platform: Callable[[], object] | None = None  # set by the runner: returns the started Platform

    def platform(self):
        """The devstack every process-level benchmark shares (started on first use, stopped by the runner)."""
        if self.start_platform is None:
            raise RuntimeError("no platform: run benchmarks through bench/run.py")
        return self.start_platform()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.5 = p50, 0.99 = p99) of raw samples."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def spread(values: list[float]) -> str:
    """How noisy the runs were: min–max, and that range as a share of the median."""
    if len(values) < 2:
        return ""
    low, high, mid = min(values), max(values), median(values)
    share = (high - low) / mid * 100 if mid else 0.0
    return f"{fmt(low)}–{fmt(high)} (±{share / 2:.0f}%)"


def fmt(value: float) -> str:
    if value != value:  # nan
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ratio(row: Row) -> float:
    """Linli's cost per operation as a multiple of the bare transport's (1.0 = no overhead)."""
    if not row.bare:
        return float("nan")
    linli, bare = median(row.linli), median(row.bare)
    if not linli or not bare:
        return float("nan")
    return bare / linli if row.unit == PER_SECOND else linli / bare


def timed_loop(seconds: float, call: Callable[[], None]) -> tuple[int, list[float]]:
    """Call `call` back to back for `seconds`; returns (calls made, each call's latency in ms)."""
    latencies = []
    deadline = time.perf_counter() + seconds
    while True:
        started = time.perf_counter()
        if started >= deadline:
            break
        call()
        latencies.append((time.perf_counter() - started) * 1000)
    return len(latencies), latencies
