"""A district's busiest hour at 10× its rate, through the gateway, with locust: requests per second,
latency percentiles and errors per request type, and each process's memory.

    .venv/bin/python -m bench.district_day [--multiplier 10] [--seconds 60]

The district's peak hour, derived from the pilot community (東华园: 12,000 residents, ~2,000 elders with
call devices, ~150 calls a day in linli/simulate.py) times 35 communities:

  calls          35 × 150 = 5,250 a day; the simulator's busiest hour (10:00) carries 9/104 of them
                 → 454 an hour = 0.126/s, each a story of 7 requests (press, candidates, assign,
                 en route, arrive, complete, close)
  heartbeats     35 × 2,000 = 70,000 devices, one heartbeat each ten minutes → 116.7/s
  boards         35 communities × 2 operators reloading the open calls every 30 s → 2.3/s
  positions      35 × 30 staff on shift reporting every five minutes → 3.5/s
  families       10% of 70,000 families look once a day, a tenth of them in the busiest hour → 0.19/s
  menus          one elder in ten orders lunch, most before the 09:30 cutoff; the menu read → 1/s

The platform is the benchmarks' (bench/platform.py): one replica of each process and SecantusDB on this
machine, locust beside them. The seeded world is smaller than a district (a few hundred devices stand in
for 70,000; they share the heartbeats), which changes what the store holds, not what each request does.
"""
import argparse
import csv
import datetime as dt
import json
import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import grpc

from bench import platform as bench_platform
from bench.common import fmt
from linli import demo
from linli.eldercare.v1 import common_pb2, meals_pb2_grpc, staff_pb2, staff_pb2_grpc
from linli.kit.identity import Caller

ROOT = Path(__file__).resolve().parent.parent
LOCUST = ROOT / ".venv-bench" / "bin" / "locust"
COMMUNITIES = 35
# One district's peak hour, at 1×, per user class: (requests or stories a second, locust users).
PEAK = {
    "heartbeat": (35 * 2000 / 600, 40),
    "call": (35 * 150 * 9 / 104 / 3600, 4),
    "board": (35 * 2 / 30, 6),
    "position": (35 * 30 / 300, 6),
    "family": (70_000 * 0.1 * 0.1 / 3600, 2),
    "menu": (1.0, 4),
}
REQUESTS_PER_STORY = {"call": 7}


def _seed_staff(plat: bench_platform.Platform, count: int) -> dict[str, str]:
    """Staff on shift with a position (so calls have candidates); their tokens by id."""
    md = bench_platform.OPERATOR.to_metadata()
    plan = demo.buildings()
    tokens = {}
    with grpc.insecure_channel(plat.api_addr) as channel:
        team = staff_pb2_grpc.StaffServiceStub(channel)
        for index, member in enumerate(demo.staff_members()[:count]):
            try:
                team.RegisterStaff(member, metadata=md, timeout=10)
            except grpc.RpcError as error:
                if error.code() != grpc.StatusCode.ALREADY_EXISTS:
                    raise
            me = Caller(member.id, frozenset({"caregiver"}), frozenset({bench_platform.COMMUNITY})).to_metadata()
            team.StartShift(staff_pb2.StartShiftRequest(id=member.id), metadata=me, timeout=10)
            where = plan[(index * 7) % len(plan)]
            team.ReportPosition(staff_pb2.ReportPositionRequest(
                position=common_pb2.GeoPoint(latitude=where.latitude, longitude=where.longitude)), metadata=me,
                timeout=10)
            tokens[member.id] = plat.token(member.id, "caregiver")
        demo.set_canteen_menus(meals_pb2_grpc.MealServiceStub(channel))
    return tokens


def config(plat: bench_platform.Platform, multiplier: float) -> dict:
    heartbeat_devices = plat.take_devices(250)
    press_devices = plat.take_devices(60)
    people = demo.elders()
    return {
        "community": bench_platform.COMMUNITY,
        "rates": {kind: rate * multiplier for kind, (rate, _) in PEAK.items()},
        "users": {kind: users for kind, (_, users) in PEAK.items()},
        "heartbeat_devices": [[d, plat.token(d, "device")] for d in heartbeat_devices],
        "press_devices": [[d, plat.token(d, "device")] for d in press_devices],
        "operator_tokens": [plat.token(f"bench-operator-{i}", "operator") for i in range(6)],
        "staff_tokens": _seed_staff(plat, 20),
        "family_tokens": [plat.token(p.details.contacts[0].user_id, "family") for p in people[:50]],
        "menu_day": (dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=1)).isoformat(),
    }


def run_locust(plat: bench_platform.Platform, cfg: dict, seconds: float, work: Path) -> list[dict]:
    path = work / "district.json"
    path.write_text(json.dumps(cfg))
    users = sum(cfg["users"].values())
    argv = [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", plat.gateway_url,
            "-u", str(users), "-r", str(users), "--run-time", f"{int(seconds)}s", "--stop-timeout", "10",
            "--csv", str(work / "district"), "--only-summary", "--loglevel", "WARNING"]
    env = {"LINLI_DISTRICT_CONFIG": str(path), "PATH": "/usr/bin:/bin"}
    finished = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 120)
    if not (work / "district_stats.csv").exists():
        raise RuntimeError(f"locust failed ({finished.returncode}):\n{finished.stderr[-3000:]}")
    with open(work / "district_stats.csv") as stats:
        return list(csv.DictReader(stats))


def cpu_seconds(plat: bench_platform.Platform) -> dict[str, float]:
    """CPU time (user + system) each process of the platform has used so far, and RabbitMQ's."""
    used = {}
    pids = {proc.name: proc.popen.pid for proc in plat.stack.processes if proc.popen.poll() is None}
    broker = subprocess.run(["pgrep", "-o", "beam.smp"], capture_output=True, text=True).stdout.split()
    if broker:
        pids["rabbitmq (whole broker)"] = int(broker[0])
    for name, pid in pids.items():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        used[name] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def report(stats: list[dict], cfg: dict, multiplier: float, memory: dict, idle: dict,
           cores: dict[str, float]) -> str:
    planned = sum(rate * REQUESTS_PER_STORY.get(kind, 1) for kind, rate in cfg["rates"].items())
    lines = [f"District peak hour at {multiplier:g}×: planned {planned:,.0f} requests/s", "",
             "| request | requests/s | failures/s | p50 ms | p95 ms | p99 ms | max ms |", "|---|---|---|---|---|---|---|"]
    for row in stats:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        lines.append(f"| {name} | {fmt(float(row['Requests/s']))} | {fmt(float(row['Failures/s']))} | "
                     f"{row['50%']} | {row['95%']} | {row['99%']} | {fmt(float(row['Max Response Time']))} |")
    lines += ["", "| process | CPU (cores busy, of 2) | resident at idle MiB | peak MiB |", "|---|---|---|---|"]
    for name, busy in sorted(cores.items(), key=lambda item: -item[1]):
        if name.startswith("bare-"):
            continue
        now = memory.get(name, {})
        lines.append(f"| {name} | {busy:.2f} | {fmt(idle.get(name, {}).get('VmRSS', float('nan')))} | "
                     f"{fmt(now.get('VmHWM', float('nan')))} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--multiplier", type=float, default=10.0, help="times the district's peak-hour rate")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load runs (bounded)")
    args = parser.parse_args(argv)
    if not LOCUST.exists():
        raise SystemExit(f"{LOCUST} is missing: `make bench` installs it (requirements-bench.lock)")
    plat = bench_platform.start(devices=330)
    try:
        cfg = config(plat, args.multiplier)
        work = Path(tempfile.mkdtemp(prefix="linli-district-"))
        print(f"locust: {sum(cfg['users'].values())} users for {args.seconds:.0f}s against {plat.gateway_url} ...",
              flush=True)
        started = time.monotonic()
        before, children = cpu_seconds(plat), resource.getrusage(resource.RUSAGE_CHILDREN)
        stats = run_locust(plat, cfg, args.seconds, work)
        after, elapsed = cpu_seconds(plat), time.monotonic() - started
        locust = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust is the only child that ended meanwhile
        cores = {name: (after[name] - before[name]) / elapsed for name in after if name in before}
        cores["locust (the load generator)"] = (locust.ru_utime + locust.ru_stime
                                                - children.ru_utime - children.ru_stime) / elapsed
        text = report(stats, cfg, args.multiplier, plat.process_memory(), plat.idle_memory, cores)
        print(f"\n{text}\n\n({time.monotonic() - started:.0f}s; locust's CSVs in {work})")
        out = ROOT / "var" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"district-{dt.datetime.now():%Y%m%d-%H%M%S}.md").write_text(text + "\n")
    finally:
        plat.stop()


if __name__ == "__main__":
    main()
