"""The gateway before and after a change, side by side: a gateway running an older revision's code
(extracted with `git archive`) beside this checkout's, on the same apis, store and broker, each next to
the bare FastAPI → grpc.aio passthrough, in interleaved runs whose order rotates, so the machine's noise
hits every side alike. Also this checkout's gateway with every trace recorded (LINLI_TRACE_SAMPLE_RATIO=1).

    .venv/bin/python -m bench.gateway_before_after [--before REV] [--runs 5] [--seconds 3] [--concurrency 8]

Prints the medians, each side's cost × against bare (by rate, and by CPU per request in the HTTP process
and in the gRPC process behind it, which other work on the machine hardly moves), and the load average
seen; writes nothing else.
"""
import argparse
import os
import subprocess
import tempfile
from pathlib import Path

from bench import platform as bench_platform
from bench.common import Bench, fmt, median, spread
from bench.gateway_http import measure, spawn_gateway
from linli_dev.devstack import ROOT

# The gateway as it was before identity moved onto the event loop and tracing was sampled.
BEFORE = "2ef0c35"


def extract(revision: str) -> Path:
    tree = Path(tempfile.mkdtemp(prefix="linli-gateway-before-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BEFORE, help=f"the older revision (default {BEFORE})")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    bench = Bench(runs=args.runs, seconds=args.seconds, concurrency=args.concurrency)
    loads = [os.getloadavg()[0]]
    plat = bench_platform.start(devices=20)
    try:
        # All three started here with the same settings. Shedding by event-loop lag off: on a shared machine
        # the loop runs late because of other processes, and a shed request would count as a fast one.
        same = {"GATEWAY_SHED_LOOP_LAG_SECONDS": "0"}
        gateways = {
            "before": spawn_gateway(plat, "gateway-before", same, tree=extract(args.before)),
            "after": spawn_gateway(plat, "gateway-after", same),
            "after, ratio 1": spawn_gateway(plat, "gateway-traced", {**same, "LINLI_TRACE_SAMPLE_RATIO": "1"}),
        }
        loads.append(os.getloadavg()[0])
        cpu_runs: list[dict] = []
        runs = measure(bench, plat, gateways, label="before/after", cpu_runs=cpu_runs)
        loads.append(os.getloadavg()[0])
    finally:
        plat.stop()
    print(f"\nGET /v1/care-requests/{{id}}, {bench.concurrency} in flight; medians of {bench.runs} runs of "
          f"{bench.seconds:g}s; load average (1 min) {min(loads):.1f}–{max(loads):.1f}\n")
    print("| side | reads/s | spread | cost × bare, rate | HTTP process CPU ms/request | cost × bare, HTTP process "
          "CPU | HTTP + gRPC process CPU ms/request | cost × bare, both |\n|---|---|---|---|---|---|---|---|")
    for side in ["bare", *gateways]:
        rates = [r[side] for r in runs]
        ratios = [r["bare"] / r[side] for r in runs]
        front = [c[side][0] for c in cpu_runs if side in c]
        both = [sum(c[side]) for c in cpu_runs if side in c]
        front_x = [c[side][0] / c["bare"][0] for c in cpu_runs if side in c and "bare" in c]
        both_x = [sum(c[side]) / sum(c["bare"]) for c in cpu_runs if side in c and "bare" in c]
        print(f"| {side} | {fmt(median(rates))} | {spread(rates)} | {median(ratios):.2f} ({spread(ratios)}) | "
              f"{median(front):.2f} | {median(front_x):.2f} ({spread(front_x)}) | {median(both):.2f} | "
              f"{median(both_x):.2f} ({spread(both_x)}) |")
    traced = [r["after"] / r["after, ratio 1"] for r in runs]
    print(f"\ntracing every request costs {median(traced):.2f}× the default ratio ({spread(traced)})")


if __name__ == "__main__":
    main()
