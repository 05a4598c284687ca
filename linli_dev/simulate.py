"""Plays a realistic day of calls against a running Linli at a chosen speed, then prints the day's figures.

    linli simulate [--speed 600] [--calls 150] [--seed 7] [--mqtt-share 0.5] [--call-share 0.1]

Elders of the demo community press their call devices through the day (more in the morning and around
meals); operators acknowledge and assign the suggested staff member; staff accept, walk over, check in
at the door, do the job and finish; operators close; some calls are false alarms and are cancelled;
about half the elders rate the service. Everything goes through the public gRPC apis, with the identity
each actor would have, so the day exercises dispatch, geofencing, escalation, events and figures.
A share of the devices (--mqtt-share) are terminals speaking MQTT to the devices' broker, as call devices in
the field do (docs/devices.md): they press over MQTT and hear on their downlink that help is coming.
A share of the presses (--call-share) come from terminals that can speak: a pager with a speakerphone
(registered beside the elder's pager, `voice-<elder>`) offers a call, so the board rings, and `linli
terminal`'s talking half (linli_dev/terminal.py) waits in the call's room: answer it on the board and you hear
its tone. After --ring-seconds unanswered the terminal gives up (hangs up) and the day goes on.
At --speed 600 a 24-hour day takes 2.4 minutes. Needs `make run` (or any Linli) with the demo data.
"""
import argparse
import asyncio
import math
import random
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import grpc

from linli_dev import demo
from linli.eldercare.v1 import common_pb2, residents_pb2, residents_pb2_grpc, staff_pb2, staff_pb2_grpc
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.kit import grpc_client
from linli.kit.config import setting
from linli.kit.identity import Caller
from linli.kit.protomap import enum_name
from linli_dev.mqtt_device import Terminal
from linli.kit.community import COMMUNITY_ZONE

# Share of calls per kind (the command centre's mix) and calls per hour of the day (relative).
KIND_MIX = {pb.CARE_KIND_MEAL: 30, pb.CARE_KIND_MEDICAL: 12, pb.CARE_KIND_SHOPPING: 10, pb.CARE_KIND_CLEANING: 10,
            pb.CARE_KIND_MOBILITY: 10, pb.CARE_KIND_RECREATION: 10, pb.CARE_KIND_BATHING: 8,
            pb.CARE_KIND_EMERGENCY: 5, }
HOURLY = [1, 1, 1, 1, 1, 2, 4, 6, 7, 8, 9, 8, 5, 4, 6, 7, 6, 5, 4, 3, 2, 2, 1, 1]
# Minutes of work on site, by kind.
SERVICE_MINUTES = {pb.CARE_KIND_MEAL: 10, pb.CARE_KIND_MEDICAL: 25, pb.CARE_KIND_SHOPPING: 45,
                   pb.CARE_KIND_CLEANING: 60, pb.CARE_KIND_MOBILITY: 50, pb.CARE_KIND_RECREATION: 40,
                   pb.CARE_KIND_BATHING: 45, pb.CARE_KIND_EMERGENCY: 30}
WALKING_METRES_PER_MINUTE = 70
FALSE_ALARMS = 0.05
SIM_DAY_SECONDS = 24 * 3600


@dataclass
class Day:
    speed: float
    started: float

    def sleep(self, simulated_seconds: float) -> None:
        time.sleep(max(0.0, simulated_seconds / self.speed))

    def clock(self) -> str:
        seconds = min(SIM_DAY_SECONDS - 1, (time.monotonic() - self.started) * self.speed)
        return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}"


class Tally:
    def __init__(self, planned: int):
        self.planned = planned
        self.outcomes: Counter = Counter()
        self.errors: Counter = Counter()
        self.first_error: dict[str, str] = {}
        self.overrides = 0
        self.terminals: Counter = Counter()  # calls pressed over MQTT: what their terminal heard
        self.lock = threading.Lock()

    def count(self, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1

    def count_override(self) -> None:
        with self.lock:
            self.overrides += 1

    def error(self, step: str, error: grpc.RpcError) -> None:
        key = f"{step}: {error.code().name}"
        with self.lock:
            self.errors[key] += 1
            self.first_error.setdefault(key, error.details())

    @property
    def finished(self) -> int:
        return sum(self.outcomes.values()) + sum(self.errors.values())


def schedule(calls: int, rng: random.Random) -> list[float]:
    """When each call comes, in simulated seconds after midnight, following the hourly profile."""
    hours = rng.choices(range(24), weights=HOURLY, k=calls)
    return sorted(hour * 3600 + rng.uniform(0, 3600) for hour in hours)


def press_over_mqtt(channel, mqtt_addr: str, device_id: str, kind: int) -> tuple[pb.CareRequest, Terminal]:
    """The elder presses a terminal that speaks MQTT. An installer gives it a fresh secret first (the
    demo's devices were registered without keeping theirs). Returns the care request it raised and the
    terminal, still connected for its downlink."""
    residents = residents_pb2_grpc.ResidentServiceStub(channel)
    secret = residents.RotateDeviceSecret(residents_pb2.RotateDeviceSecretRequest(device_id=device_id),
                                          metadata=demo.OPERATOR.to_metadata(), timeout=10).secret
    terminal = Terminal(mqtt_addr, device_id, secret, persistent=False).connect()
    terminal.press(enum_name(pb.CareKind, kind), wait=10)
    api = pb_grpc.EldercareServiceStub(channel)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        token = ""
        while True:
            page = api.ListOpenCareRequests(pb.ListOpenCareRequestsRequest(community_id=demo.COMMUNITY, page_size=200,
                                                                           page_token=token),
                                            metadata=demo.OPERATOR.to_metadata(), timeout=10)
            for request in page.care_requests:
                if request.device_id == device_id and request.status == pb.CARE_REQUEST_STATUS_RAISED:
                    return request, terminal
            token = page.next_page_token
            if not token:
                break
        time.sleep(0.3)
    terminal.close()
    raise TimeoutError(f"the press of {device_id} over MQTT raised no care request within 15 s")


@dataclass
class Talking:
    """Where presses that offer a call talk: the gateway, and how long the terminal lets it ring."""
    gateway: str
    ring_seconds: float
    talk_seconds: float = 30.0


def voice_terminal(residents, elder_id: str) -> str:
    """The elder's pager with a speakerphone, registered once beside the demo's plain pager."""
    device = "voice-" + elder_id.removeprefix("elder-")
    try:
        residents.RegisterDevice(residents_pb2.RegisterDeviceRequest(
            id=device, elder_id=elder_id, kind=residents_pb2.DEVICE_KIND_PAGER, speakerphone=True),
            metadata=demo.OPERATOR.to_metadata(), timeout=10)
    except grpc.RpcError as error:
        if error.code() != grpc.StatusCode.ALREADY_EXISTS:
            raise
    return device


def talk_on_terminal(talking: Talking, device: str, care_request_id: str) -> dict:
    """The terminal's side of the call it offered (linli_dev/terminal.py): wait in the room for an operator,
    talk with a tone, hang up; or give up ringing and hang up."""
    import httpx

    from gateway import dev_issuer
    from linli_dev import terminal

    token = dev_issuer.issue_token(device, ["device"], [demo.COMMUNITY], ttl_seconds=3600,
                                   directory=setting("LINLI_DEV_ISSUER_DIR") or None)
    args = argparse.Namespace(relay_only=False, ring_seconds=talking.ring_seconds, kind="pager", tone=660.0,
                              seconds=talking.talk_seconds, record=None, any_interface=False)

    async def call() -> dict:  # unanswered for ring_seconds, the terminal hangs up itself
        async with httpx.AsyncClient(base_url=talking.gateway, headers={"Authorization": f"Bearer {token}"}) as client:
            return await terminal.talk(client, care_request_id, args)

    terminal.loopback_only()
    return asyncio.run(call())


def story(channel, day: Day, tally: Tally, rng: random.Random, elder: residents_pb2.RegisterElderRequest,
          kind: int, mqtt_addr: str | None = None, talking: Talking | None = None) -> None:
    """One call from press to closing, each actor with its own identity; with mqtt_addr, pressed on a
    terminal speaking MQTT; with talking, on a pager with a speakerphone that offers a call."""
    api = pb_grpc.EldercareServiceStub(channel)
    residents = residents_pb2_grpc.ResidentServiceStub(channel)
    team = staff_pb2_grpc.StaffServiceStub(channel)
    operator = demo.OPERATOR.to_metadata()
    device = Caller(demo.device_id(elder.id), frozenset({"device"}), frozenset({demo.COMMUNITY}))
    step = "press"
    terminal = None
    try:
        if mqtt_addr:
            step = "press over MQTT"
            request, terminal = press_over_mqtt(channel, mqtt_addr, device.subject, kind)
        elif talking:
            step = "press on a terminal that speaks"
            voice = Caller(voice_terminal(residents, elder.id), frozenset({"device"}), frozenset({demo.COMMUNITY}))
            request = residents.PressDevice(residents_pb2.PressDeviceRequest(device_id=voice.subject, kind=kind),
                                            metadata=voice.to_metadata(), timeout=10).care_request
            if request.calls and request.calls[-1].state == pb.CALL_STATE_RINGING:
                step = "call"
                summary = talk_on_terminal(talking, voice.subject, request.id)
                with tally.lock:
                    tally.terminals["call answered on the board" if summary.get("connected")
                                    else "call rang, nobody answered"] += 1
        else:
            request = residents.PressDevice(residents_pb2.PressDeviceRequest(device_id=device.subject, kind=kind),
                                            metadata=device.to_metadata(), timeout=10).care_request
        day.sleep(rng.expovariate(1 / (15 if kind == pb.CARE_KIND_EMERGENCY else 40)))
        if rng.random() < FALSE_ALARMS:
            step = "cancel"
            api.CancelCareRequest(pb.CancelCareRequestRequest(id=request.id, reason="误按，老人确认无事"),
                                  metadata=operator, timeout=10)
            tally.count("cancelled (false alarm)")
            return
        step = "suggest"
        candidates = api.SuggestAssignees(pb.SuggestAssigneesRequest(id=request.id), metadata=operator,
                                          timeout=10).candidates
        if not candidates:
            api.CloseCareRequest(pb.CloseCareRequestRequest(id=request.id, disposition=pb.DISPOSITION_NO_ACCESS,
                                                            note="无可派人员"), metadata=operator, timeout=10)
            tally.count("closed: nobody free")
            return
        chosen = candidates[0]
        step = "assign"
        api.AssignCareRequest(pb.AssignCareRequestRequest(id=request.id, assignee_id=chosen.assignee_id,
                                                          assignee_kind=chosen.assignee_kind),
                              metadata=operator, timeout=10)
        staff = demo.caregiver(chosen.assignee_id).to_metadata()
        day.sleep(rng.uniform(20, 90))
        step = "travel"
        walk = max(1, math.ceil((chosen.distance_m or 300) / WALKING_METRES_PER_MINUTE))
        api.StartTravel(pb.StartTravelRequest(id=request.id, eta_minutes=min(walk, 240)), metadata=staff, timeout=10)
        day.sleep(walk * 60)
        step = "arrive"
        home = request.position
        door = common_pb2.GeoPoint(latitude=home.latitude + rng.uniform(-0.0001, 0.0001),
                                   longitude=home.longitude + rng.uniform(-0.0001, 0.0001))
        try:
            api.ArriveOnSite(pb.ArriveOnSiteRequest(id=request.id, position=door), metadata=staff, timeout=10)
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise
            # No home position to check against (the elder shares none): the operator confirms by phone.
            api.ArriveOnSite(pb.ArriveOnSiteRequest(id=request.id, position=door, override_reason="电话确认已到门口"),
                             metadata=operator, timeout=10)
            tally.count_override()
        team.ReportPosition(staff_pb2.ReportPositionRequest(position=door), metadata=staff, timeout=10)
        day.sleep(SERVICE_MINUTES[kind] * 60 * rng.uniform(0.6, 1.4))
        step = "complete"
        api.CompleteCareRequest(pb.CompleteCareRequestRequest(id=request.id, notes="服务完成"), metadata=staff,
                                timeout=10)
        day.sleep(rng.uniform(60, 600))
        step = "close"
        api.CloseCareRequest(pb.CloseCareRequestRequest(id=request.id, disposition=pb.DISPOSITION_RESOLVED),
                             metadata=operator, timeout=10)
        if rng.random() < 0.5:
            step = "rate"
            elder_caller = Caller(elder.id, frozenset({"resident"}), frozenset({demo.COMMUNITY}))
            api.RateCareRequest(pb.RateCareRequestRequest(id=request.id, rating=rng.choice([4, 5, 5, 5, 3]),
                                                          comment="谢谢"), metadata=elder_caller.to_metadata(),
                                timeout=10)
        tally.count("completed and closed")
        if terminal is not None:
            heard = set()
            while not terminal.downlinks.empty():
                heard.add(terminal.downlinks.get_nowait().get("type"))
            with tally.lock:
                tally.terminals["told help was coming" if {"assigned", "en_route"} & heard else "not told"] += 1
    except grpc.RpcError as error:
        tally.error(step, error)
    except (TimeoutError, OSError, RuntimeError) as error:  # MQTT or the call: refused, unreachable, no answer
        with tally.lock:
            key = f"{step}: {type(error).__name__}"
            tally.errors[key] += 1
            tally.first_error.setdefault(key, str(error))
    finally:
        if terminal is not None:
            terminal.close()


def progress_bar(tally: Tally, day: Day, out=sys.stderr) -> None:
    width = 30
    filled = int(width * tally.finished / max(1, tally.planned))
    out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {day.clock()}  {tally.finished}/{tally.planned} calls done ")
    out.flush()


def run(env: dict[str, str], speed: float, calls: int, seed: int, mqtt_share: float = 0.0,
        call_share: float = 0.0, ring_seconds: float = 60.0) -> int:
    rng = random.Random(seed)
    elders = demo.elders()
    times = schedule(calls, rng)
    tally = Tally(calls)
    day = Day(speed, time.monotonic())
    print(f"simulating a day of {calls} calls at {speed:g}x (about {SIM_DAY_SECONDS / speed / 60:.1f} minutes)",
          file=sys.stderr)
    with grpc_client.insecure_channel(env["ELDERCARE_API_ADDR"]) as channel, ThreadPoolExecutor(64) as pool:
        futures = []
        for at in times:
            while (time.monotonic() - day.started) * speed < at:
                progress_bar(tally, day)
                time.sleep(min(0.2, at / speed - (time.monotonic() - day.started)))
            kind = rng.choices(list(KIND_MIX), weights=list(KIND_MIX.values()))[0]
            over_mqtt = env.get("ELDERCARE_MQTT_ADDR") if rng.random() < mqtt_share else None
            talking = (Talking(env["GATEWAY_URL"], ring_seconds)
                       if not over_mqtt and rng.random() < call_share else None)
            futures.append(pool.submit(story, channel, day, tally, random.Random(rng.random()),
                                       rng.choice(elders), kind, over_mqtt, talking))
        while not all(f.done() for f in futures):
            progress_bar(tally, day)
            time.sleep(0.2)
        progress_bar(tally, day)
        print(file=sys.stderr)
        summary(channel, tally, speed)
    return 1 if tally.errors else 0


def summary(channel, tally: Tally, speed: float) -> None:
    print("\nOutcomes:")
    for outcome, count in tally.outcomes.most_common():
        print(f"  {outcome:28} {count}")
    print(f"  check-ins confirmed by phone     {tally.overrides}")
    for heard, count in tally.terminals.most_common():
        print(f"  terminal: {heard}: {count}")
    for step, count in tally.errors.most_common():
        print(f"  error at {step:19} {count}   e.g. {tally.first_error[step]}")
    today = datetime.now(ZoneInfo(COMMUNITY_ZONE)).date().isoformat()
    figures = pb_grpc.EldercareServiceStub(channel).GetCareFigures(
        pb.GetCareFiguresRequest(community_id=demo.COMMUNITY, from_day=today), metadata=demo.OPERATOR.to_metadata(),
        timeout=10).figures
    # The platform measures real seconds; at speed N each real second stood for N simulated ones.
    print(f"\nToday's figures from the platform (times in simulated minutes at {speed:g}x):")
    print(f"  {'kind':11} {'raised':>6} {'ack p50':>8} {'ack p90':>8} {'in SLA':>7} {'arrive p50':>10} "
          f"{'done':>5} {'cancel':>6} {'escal':>5} {'rating':>6}")
    for row in figures:
        print(f"  {enum_name(pb.CareKind, row.kind):11} {row.raised:6d} "
              f"{row.acknowledge_p50_seconds * speed / 60:8.1f} {row.acknowledge_p90_seconds * speed / 60:8.1f} "
              f"{row.acknowledged_within_sla_share:7.0%} {row.arrive_p50_seconds * speed / 60:10.1f} "
              f"{row.completed:5d} {row.cancelled:6d} {row.escalated:5d} {row.average_rating:6.1f}")
    print("  (figures count every call raised today, demo and earlier runs included; the worker fills them "
          "from events within a second or two)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linli simulate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--speed", type=float, default=600, help="simulated seconds per real second (default 600)")
    parser.add_argument("--calls", type=int, default=150, help="calls in the day (default 150)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mqtt-share", type=float, default=0.5,
                        help="share of presses made on terminals speaking MQTT (default 0.5; 0: all over gRPC)")
    parser.add_argument("--call-share", type=float, default=0.1,
                        help="share of presses made on pagers with a speakerphone, which ring the board with a call "
                             "(default 0.1; 0: none)")
    parser.add_argument("--ring-seconds", type=float, default=60.0,
                        help="real seconds a terminal's call rings before it gives up (default 60)")
    args = parser.parse_args(argv)
    if not (1 <= args.speed <= 100_000 and 1 <= args.calls <= 100_000 and 0 <= args.mqtt_share <= 1
            and 0 <= args.call_share <= 1 and 1 <= args.ring_seconds <= 600):
        parser.error("--speed must be 1 to 100000, --calls 1 to 100000, --mqtt-share and --call-share 0 to 1, "
                     "--ring-seconds 1 to 600")
    return run({"ELDERCARE_API_ADDR": setting("ELDERCARE_API_ADDR"), "ELDERCARE_MQTT_ADDR": setting("ELDERCARE_MQTT_ADDR"),
                "GATEWAY_URL": f"http://{setting('GATEWAY_HOST')}:{setting('GATEWAY_PORT')}"},
               args.speed, args.calls, args.seed, args.mqtt_share, args.call_share, args.ring_seconds)
