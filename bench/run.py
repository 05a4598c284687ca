"""`make bench`: every Linli path next to the bare transport it rides on, measured in the same run, as
one table. Loopback only; processes of its own (never `make run`'s ports); bounded time.

    .venv/bin/python -m bench.run [--quick] [--runs N] [--seconds S] [--only grpc_api,events ...]

Prints the table and writes it, with the raw per-run values, to var/bench/ (markdown and JSON).
"""
import argparse
import datetime as dt
import importlib
import inspect
import json
import os
import platform as host
import subprocess
import sys
import time
import traceback
from pathlib import Path

from bench.common import Bench, Row, fmt, median, ratio, spread

ROOT = Path(__file__).resolve().parent.parent
# Row families, in the order they run. emergency comes first, while the store is small (SecantusDB
# answers some queries by scanning a whole collection, and the other families leave thousands of care
# requests behind); memory comes last: it reads each process's peak after every load.
MODULES = ["emergency", "notify", "grpc_api", "gateway_http", "events", "matching", "memory", "metrics_cost",
           "staffing"]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
    return f"{os.cpu_count()} cores ({cpu}), {memory} memory, Python {host.python_version()}, {host.system()} {host.release()}"


def table(rows: list[Row], runs: int) -> str:
    head = ["family", "path", "Linli", "spread", "bare transport", "bare", "spread", "cost ×", "storage ms", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cost = ratio(row)
        lines.append("| " + " | ".join([
            row.family, row.path, f"{fmt(median(row.linli))} {row.unit}", spread(row.linli),
            row.bare_path, f"{fmt(median(row.bare))} {row.unit}" if row.bare else "", spread(row.bare),
            f"{cost:.2f}" if cost == cost else "", fmt(median(row.storage_ms)) if row.storage_ms else "", row.note,
        ]) + " |")
    return "\n".join(lines)


def call_rows(module, bench: Bench) -> list[Row]:
    if inspect.signature(module.rows).parameters:
        return module.rows(bench)
    return module.rows()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs: one to two minutes")
    parser.add_argument("--runs", type=int, help="repeats of every measurement (default 5; quick 3)")
    parser.add_argument("--seconds", type=float, help="length of one timed measurement (default 3; quick 1)")
    parser.add_argument("--concurrency", type=int, default=8, help="calls in flight in throughput loads")
    parser.add_argument("--only", default="", help=f"comma-separated row families: {','.join(MODULES)}")
    args = parser.parse_args(argv)
    bench = Bench(runs=args.runs or (3 if args.quick else 5), seconds=args.seconds or (1.0 if args.quick else 3.0),
                  quick=args.quick, concurrency=args.concurrency)
    chosen = [m for m in MODULES if not args.only or m in args.only.split(",")]

    started_platform = None

    def start_platform():
        nonlocal started_platform
        if started_platform is None:
            from bench import platform

            started_platform = platform.start(devices=150 if bench.quick else 300)
        return started_platform

    bench.start_platform = start_platform
    print(f"make bench: {bench.runs} runs of {bench.seconds:g}s per measurement; {', '.join(chosen)}\n{machine()}",
          flush=True)
    began = time.monotonic()
    rows: list[Row] = []
    failed: list[str] = []
    try:
        for name in chosen:
            print(f"\n== {name}", flush=True)
            module_started = time.monotonic()
            try:
                module = importlib.import_module(f"bench.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"bench.{name}":
                    raise
                print(f"  bench/{name}.py is not there: its rows are left out", flush=True)
                failed.append(f"{name} (missing)")
                continue
            try:
                rows.extend(call_rows(module, bench))
            except Exception:  # one family failing must not lose the others' figures
                traceback.print_exc()
                failed.append(name)
            print(f"  ({time.monotonic() - module_started:.0f}s)", flush=True)
    finally:
        if started_platform is not None:
            started_platform.stop()
    elapsed = time.monotonic() - began
    text = table(rows, bench.runs)
    print(f"\n{text}\n")
    print(f"Medians of {bench.runs} runs; spread = min–max (± half that range, as a share of the median). "
          f"cost × = Linli's time per operation as a multiple of the bare transport's. {elapsed:.0f}s in all.")
    if failed:
        print(f"Left out: {', '.join(failed)}")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    header = f"{machine()}; {bench.runs} runs of {bench.seconds:g}s; {elapsed:.0f}s in all\n\n"
    (out / f"{stamp}.md").write_text(header + text + "\n")
    (out / f"{stamp}.json").write_text(json.dumps({"machine": machine(), "runs": bench.runs, "seconds": bench.seconds,
                                                   "rows": [vars(r) for r in rows], "left_out": failed},
                                                  ensure_ascii=False, indent=1))
    print(f"written to var/bench/{stamp}.md and .json")
    return 1 if failed and not rows else 0


if __name__ == "__main__":
    sys.exit(main())
