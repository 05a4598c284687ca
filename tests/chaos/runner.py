"""`make chaos`: the fault suite. Starts the whole platform on loopback (a private RabbitMQ node, SecantusDB
on disk, every api, the workers, the gateway, fault proxies in front of RabbitMQ and the apis), runs the
scenarios one at a time under a steady workload, and prints the table: scenario, operations, lost,
duplicated, recovery time, and the p99 of the calls for help made during the fault. Exits non-zero if any effect was lost or duplicated, or the platform did not
recover. The report also lands in var/chaos/latest.md and latest.json.

    python -m tests.chaos.runner                       every scenario, at least 1,000 operations each
    python -m tests.chaos.runner --list
    python -m tests.chaos.runner -s "workers SIGKILL + restart" -s "RabbitMQ link: blackhole"
    python -m tests.chaos.runner --clients 12          a heavier workload
    python -m tests.chaos.runner --cluster             the three-node RabbitMQ cluster's scenarios (quorum queues)
    python -m tests.chaos.runner --min-operations 0    each scenario as short as its fault
"""
import argparse
import dataclasses
import datetime as dt
import json
import signal
import sys
import tempfile
import time
from pathlib import Path

import httpx

from linli_dev.devstack import ROOT, StartError, wait_until
from linli_dev.faults import broker
from tests.chaos.harness import (ChaosPlatform, Result, cluster_scenarios, emergency_behind_backlog, recovery_seconds,
                                 run_scenario, scenarios, table)

SCENARIO_BUDGET = 150  # seconds one scenario may take at most (workload, fault, recovery, settling)


def healthy(chaos: ChaosPlatform) -> None:
    """Every process up and a call for help going through end to end, before the next fault."""
    for name in chaos.all_alive():
        print(f"  ({name} was down before the scenario: restarting it)", flush=True)
        chaos.restart(name)
    wait_until(lambda: httpx.get(chaos.gateway_url + "/healthz", timeout=2).status_code == 200, 90,
               "the platform to be healthy")
    if recovery_seconds(chaos, time.monotonic(), limit=60) is None:
        print("  (warning: a call for help did not get through end to end before this scenario)", flush=True)


def stop_on_signals() -> None:
    """SIGTERM and SIGINT (even when started in the background, which ignores SIGINT) stop the run and
    every process and node it started."""
    def interrupted(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)


def main(argv: list[str]) -> int:
    cluster = "--cluster" in argv
    every = cluster_scenarios() if cluster else scenarios()
    parser = argparse.ArgumentParser(prog="make chaos", description="Linli's fault suite")
    parser.add_argument("-s", "--scenario", action="append", help="run only this one (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument("--budget", type=float, default=3600, help="stop starting scenarios after this many seconds")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of the workload (more: more operations)")
    parser.add_argument("--min-operations", type=int, default=1000,
                        help="each scenario's workload runs on after the recovery until it has this many operations")
    parser.add_argument("--cluster", action="store_true",
                        help="three clustered RabbitMQ nodes, quorum queues, and the cluster's scenarios")
    parser.add_argument("--backlog", type=int, default=10_000,
                        help="with --cluster, last: an emergency raised behind this many routine events (0: not)")
    args = parser.parse_args(argv)
    if args.list:
        for scenario in every.values():
            print(f"{scenario.name}: {scenario.what}")
        return 0
    unknown = [name for name in args.scenario or [] if name not in every]
    if unknown:
        print(f"unknown scenario(s): {unknown}; see --list", file=sys.stderr)
        return 2
    chosen = [every[name] for name in args.scenario] if args.scenario else list(every.values())
    if not broker.available():
        print("make chaos needs rabbitmq-server installed (a private node is started on other ports; the "
              "machine's broker is never stopped)", file=sys.stderr)
        return 1

    stop_on_signals()
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="linli-chaos-"))
    print(f"starting the platform under fault proxies (logs in {workdir / 'log'}) ...", flush=True)
    chaos = ChaosPlatform(workdir, cluster=cluster)
    results: list[Result] = []
    backlog_line = ""
    try:
        try:
            chaos.start()
        except StartError as error:
            # Ports are picked free, then bound a moment later: on a busy machine another process may take
            # one in between. Once more, with fresh ports.
            print(f"the platform did not start ({str(error).splitlines()[0]}); once more", flush=True)
            chaos.stop()
            chaos = ChaosPlatform(workdir / "again", cluster=cluster)
            chaos.start()
        print(f"platform up in {time.monotonic() - started:.0f}s", flush=True)
        run = dt.datetime.now().strftime("%H%M%S")
        for n, scenario in enumerate(chosen):
            if time.monotonic() - started > args.budget - SCENARIO_BUDGET:
                print(f"-- {scenario.name}: not run (time budget)", flush=True)
                continue
            healthy(chaos)
            began = time.monotonic()
            print(f"-- {scenario.name} ...", flush=True)
            result = run_scenario(chaos, scenario, community=f"chaos-{run}-{n}", clients=args.clients,
                                  min_operations=args.min_operations)
            results.append(result)
            recovery = f"{result.recovery_seconds:.1f}s" if result.recovery_seconds is not None else "never"
            help_p99 = f"{result.help_p99_seconds:.2f}s" if result.help_p99_seconds is not None else "-"
            print(f"   {result.operations} operations, {result.lost} lost, {result.duplicated} duplicated, "
                  f"recovered in {recovery}, {result.gave_up} gave up, calls for help during the fault p99 "
                  f"{help_p99} of {result.help_calls}"
                  + (f", failover {result.failover_seconds:.1f}s" if result.failover_seconds is not None else "")
                  + f" ({time.monotonic() - began:.0f}s)", flush=True)
            for line in result.details[:10]:
                print(f"     {line}", flush=True)
        if cluster and args.backlog:
            healthy(chaos)
            print(f"-- an emergency behind {args.backlog} routine events ...", flush=True)
            measured = emergency_behind_backlog(chaos, args.backlog)
            handled = f"{measured.handled_seconds:.2f} s" if measured.handled_seconds is not None else "not in 60 s"
            backlog_line = (f"An emergency raised through the gateway behind {measured.backlog} queued routine events "
                            f"was handled {handled} after it was accepted; {measured.still_queued} were still queued.")
            print(f"   {backlog_line}", flush=True)
    except StartError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        chaos.stop()
    elapsed = time.monotonic() - started
    report = table(results)
    print(f"\n{report}\n\n{backlog_line}\n{len(results)} scenario(s) in {elapsed:.0f}s")
    out = ROOT / "var" / ("chaos-cluster" if cluster else "chaos")
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    (out / "latest.md").write_text(f"Fault suite run of {stamp}, {elapsed:.0f}s in all.\n\n{report}\n\n{backlog_line}\n")
    (out / "latest.json").write_text(json.dumps({"when": stamp, "seconds": round(elapsed),
                                                 "results": [dataclasses.asdict(r) for r in results]},
                                                ensure_ascii=False, indent=1))
    return 0 if results and all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
