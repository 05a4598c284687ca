"""A district's busiest hour at 10× its rate, through the gateway, with locust: requests per second,
latency percentiles and errors per request type, and each process's memory.

    .venv/bin/python -m bench.district_day [--multiplier 10] [--seconds 60] [--no-grpc] [--no-mqtt]

Then the same hour with the call devices' heartbeats over MQTT (terminals speaking to the devices' broker,
bench.mqtt_devices.Fleet) and everything else through the gateway as before: what moving the devices off
HTTP buys. Then the same hour over gRPC (grpc.aio, open loops at the same rates) straight to the eldercare
api: what the services behind the gateway carry without it.

The district's peak hour, derived from the pilot community (東华园: 12,000 residents, ~2,000 elders with
call devices, ~150 calls a day in linli_dev/simulate.py) times 35 communities:

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
import asyncio
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

from bench import loadgen
from bench import platform as bench_platform
from bench.common import fmt, percentile
from linli_dev import demo
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
    """CPU time (user + system) each process of the platform has used so far, and RabbitMQ's (the
    machine's broker, and the devices' broker node)."""
    from bench.mqtt_devices import pids as platform_pids

    used = {}
    pids = platform_pids(plat)
    broker = subprocess.run(["pgrep", "-o", "beam.smp"], capture_output=True, text=True).stdout.split()
    if broker:
        pids["rabbitmq (whole broker)"] = int(broker[0])
    for name, pid in pids.items():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        used[name] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def mqtt_day(plat: bench_platform.Platform, cfg: dict, multiplier: float, seconds: float, work: Path) -> str:
    """The same hour with the heartbeats over MQTT: a fleet of terminals (the same devices) at the
    heartbeat rate, locust for the rest."""
    from bench import mqtt_devices

    devices = [d for d, _ in cfg["heartbeat_devices"]]
    print(f"\nthe same hour, heartbeats over MQTT: {len(devices)} terminals ...", flush=True)
    fleet = mqtt_devices.Fleet(plat.env["ELDERCARE_MQTT_ADDR"], mqtt_devices.secrets_for(plat, devices))
    mqtt_cfg = {**cfg, "users": {**cfg["users"], "heartbeat": 0}}
    mqtt_work = work / "mqtt"
    mqtt_work.mkdir(exist_ok=True)
    try:
        started = time.monotonic()
        before, children = cpu_seconds(plat), resource.getrusage(resource.RUSAGE_CHILDREN)
        mine = time.process_time()
        fleet.start(cfg["rates"]["heartbeat"])
        stats = run_locust(plat, mqtt_cfg, seconds, mqtt_work)
        sent = fleet.stop()
        fleet_seconds = time.monotonic() - started
        try:
            lag = f"Heartbeat queue empty {mqtt_devices.wait_drained(plat, timeout=60):.1f}s after the fleet stopped."
        except TimeoutError:
            lag = (f"{mqtt_devices.heartbeat_queue(plat)[0]:,} heartbeats still queued 60 s after the fleet stopped: "
                   "the batch writer did not keep up.")
        after, elapsed = cpu_seconds(plat), time.monotonic() - started
        locust = resource.getrusage(resource.RUSAGE_CHILDREN)
        cores = {name: (after[name] - before[name]) / elapsed for name in after if name in before}
        cores["locust (the load generator)"] = (locust.ru_utime + locust.ru_stime
                                                - children.ru_utime - children.ru_stime) / elapsed
        cores["this process (the MQTT terminals)"] = (time.process_time() - mine) / elapsed
    finally:
        fleet.close()
    stats = [row for row in stats if row["Name"] != "Aggregated"]
    total = sum(float(row["Requests/s"]) for row in stats) + sent / fleet_seconds
    failures = sum(float(row["Failures/s"]) for row in stats)
    stats.append({"Name": "MQTT heartbeats (QoS 0, the fleet)", "Requests/s": sent / fleet_seconds, "Failures/s": 0,
                  "50%": "-", "95%": "-", "99%": "-", "Max Response Time": float("nan")})
    stats.append({"Name": "Aggregated", "Requests/s": total, "Failures/s": failures, "50%": "-", "95%": "-",
                  "99%": "-", "Max Response Time": float("nan")})
    text = report(stats, cfg, multiplier, plat.process_memory(), plat.idle_memory, cores)
    return (text.replace(f"District peak hour at {multiplier:g}×", f"The same hour with heartbeats over MQTT at {multiplier:g}×", 1)
            + f"\n\n{lag}")


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


# -- the same hour over gRPC, straight to the eldercare api (what the gateway's share costs shows by difference)

async def _grpc_hour(plat: bench_platform.Platform, cfg: dict, seconds: float) -> dict[str, loadgen.Result]:
    """Each class of the hour as an open loop at its rate (stories: one at a time per slot), over one
    grpc.aio channel, with the identity each actor has."""
    from linli.eldercare.v1 import eldercare_pb2 as pb
    from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
    from linli.eldercare.v1 import meals_pb2, residents_pb2, residents_pb2_grpc

    def md(subject: str, role: str) -> list:
        return Caller(subject, frozenset({role}), frozenset({bench_platform.COMMUNITY})).to_metadata()

    operator = md("bench-operator-0", "operator")
    staff_ids = list(cfg["staff_tokens"])
    heartbeats = [d for d, _ in cfg["heartbeat_devices"]]
    presses = [d for d, _ in cfg["press_devices"]]
    families = [f"family-{i}" for i in range(50)]
    results: dict[str, loadgen.Result] = {}
    async with grpc.aio.insecure_channel(plat.api_addr) as channel:
        care = pb_grpc.EldercareServiceStub(channel)
        residents = residents_pb2_grpc.ResidentServiceStub(channel)
        team = staff_pb2_grpc.StaffServiceStub(channel)
        meals = meals_pb2_grpc.MealServiceStub(channel)

        async def heartbeat(i: int) -> None:
            device = heartbeats[i % len(heartbeats)]
            await residents.ReportDeviceHeartbeat(residents_pb2.ReportDeviceHeartbeatRequest(
                device_id=device, battery_percent=80), metadata=md(device, "device"), timeout=10)

        async def call(i: int) -> None:
            device = presses[i % len(presses)]
            raised = (await residents.PressDevice(residents_pb2.PressDeviceRequest(
                device_id=device, kind=pb.CARE_KIND_EMERGENCY), metadata=md(device, "device"), timeout=10)).care_request
            found = (await care.SuggestAssignees(pb.SuggestAssigneesRequest(id=raised.id), metadata=operator,
                                                 timeout=10)).candidates
            if not found:
                await care.CloseCareRequest(pb.CloseCareRequestRequest(id=raised.id, disposition=pb.DISPOSITION_NO_ACCESS),
                                            metadata=operator, timeout=10)
                return
            staff = md(found[0].assignee_id, "caregiver")
            await care.AssignCareRequest(pb.AssignCareRequestRequest(id=raised.id, assignee_id=found[0].assignee_id,
                                                                     assignee_kind=found[0].assignee_kind),
                                         metadata=operator, timeout=10)
            await care.StartTravel(pb.StartTravelRequest(id=raised.id, eta_minutes=5), metadata=staff, timeout=10)
            await care.ArriveOnSite(pb.ArriveOnSiteRequest(id=raised.id, override_reason="电话确认已到门口"),
                                    metadata=operator, timeout=10)
            await care.CompleteCareRequest(pb.CompleteCareRequestRequest(id=raised.id, notes="服务完成"),
                                           metadata=staff, timeout=10)
            await care.CloseCareRequest(pb.CloseCareRequestRequest(id=raised.id, disposition=pb.DISPOSITION_RESOLVED),
                                        metadata=operator, timeout=10)

        async def board(i: int) -> None:
            await care.ListOpenCareRequests(pb.ListOpenCareRequestsRequest(community_id=bench_platform.COMMUNITY),
                                            metadata=operator, timeout=10)

        async def position(i: int) -> None:
            await team.ReportPosition(staff_pb2.ReportPositionRequest(position=common_pb2.GeoPoint(
                latitude=41.881, longitude=123.957)), metadata=md(staff_ids[i % len(staff_ids)], "caregiver"), timeout=10)

        async def family(i: int) -> None:
            await care.ListMyCareRequests(pb.ListMyCareRequestsRequest(), metadata=md(families[i % 50], "family"),
                                          timeout=10)

        async def menu(i: int) -> None:
            await meals.GetMenu(meals_pb2.GetMenuRequest(community_id=bench_platform.COMMUNITY, day=cfg["menu_day"]),
                                metadata=md(families[i % 50], "family"), timeout=10)

        calls = {"heartbeat": heartbeat, "call": call, "board": board, "position": position, "family": family,
                 "menu": menu}

        async def one(kind: str) -> None:
            rate = cfg["rates"][kind]
            results[kind] = await loadgen.open_loop(calls[kind], rate, max(1, int(rate * seconds)))

        await asyncio.gather(*(one(kind) for kind in calls))
    return results


def grpc_report(results: dict[str, "loadgen.Result"], cfg: dict, multiplier: float, seconds: float,
                cores: dict[str, float]) -> str:
    names = {"heartbeat": "ReportDeviceHeartbeat", "call": "a call's story (7 RPCs)", "board": "ListOpenCareRequests",
             "position": "ReportPosition", "family": "ListMyCareRequests", "menu": "GetMenu"}
    lines = [f"The same hour over gRPC, straight to the eldercare api, at {multiplier:g}× ({seconds:.0f}s)", "",
             "| request | planned /s | answered /s | p50 ms | p95 ms | p99 ms | refused or failed, by status |",
             "|---|---|---|---|---|---|---|"]
    for kind, result in results.items():
        done = len(result.latencies_ms) / seconds
        kinds = ", ".join(f"{name} {count:,}" for name, count in result.error_kinds.most_common())
        lines.append(f"| {names[kind]} | {fmt(cfg['rates'][kind])} | {fmt(done)} | "
                     f"{fmt(percentile(result.latencies_ms, 0.5))} | {fmt(percentile(result.latencies_ms, 0.95))} | "
                     f"{fmt(percentile(result.latencies_ms, 0.99))} | {kinds} |")
    lines += ["", "| process | CPU (cores busy, of 2) |", "|---|---|"]
    lines += [f"| {name} | {busy:.2f} |" for name, busy in sorted(cores.items(), key=lambda item: -item[1])
              if not name.startswith("bare-")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--multiplier", type=float, default=10.0, help="times the district's peak-hour rate")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load runs (bounded)")
    parser.add_argument("--grpc", action=argparse.BooleanOptionalAction, default=True,
                        help="then play the same hour over gRPC, straight to the eldercare api (default: yes)")
    parser.add_argument("--mqtt", action=argparse.BooleanOptionalAction, default=True,
                        help="then play the same hour with the heartbeats over MQTT (default: yes)")
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
        if args.mqtt:
            bench_platform.settle(plat)
            mqtt_text = mqtt_day(plat, cfg, args.multiplier, args.seconds, work)
            print(f"\n{mqtt_text}")
            text += "\n\n" + mqtt_text
        if args.grpc:
            bench_platform.settle(plat)
            print(f"\nthe same hour over gRPC for {args.seconds:.0f}s ...", flush=True)
            before, started = cpu_seconds(plat), time.monotonic()
            mine = resource.getrusage(resource.RUSAGE_SELF)
            results = asyncio.run(_grpc_hour(plat, cfg, args.seconds))
            after, elapsed = cpu_seconds(plat), time.monotonic() - started
            cores = {name: (after[name] - before[name]) / elapsed for name in after if name in before}
            used = resource.getrusage(resource.RUSAGE_SELF)
            cores["this process (the gRPC load generator)"] = (used.ru_utime + used.ru_stime - mine.ru_utime
                                                               - mine.ru_stime) / elapsed
            grpc_text = grpc_report(results, cfg, args.multiplier, elapsed, cores)
            print(f"\n{grpc_text}")
            text += "\n\n" + grpc_text
        out = ROOT / "var" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"district-{dt.datetime.now():%Y%m%d-%H%M%S}.md").write_text(text + "\n")
    finally:
        plat.stop()


if __name__ == "__main__":
    main()
