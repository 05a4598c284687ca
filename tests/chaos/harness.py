"""The fault suite's machinery: the whole platform on loopback with a fault proxy in front of RabbitMQ and
of every api, a steady workload through the gateway, one fault at a time, and a check that every intended
effect happened exactly once.

    platform = ChaosPlatform(workdir).start()
    result = run_scenario(platform, SCENARIOS["workers SIGKILL + restart"], community="chaos-1")
    platform.stop()

A scenario: the workload runs; the fault is injected and held (a killed process stays down, a proxy
stays broken); then healed (the process restarted, the proxy mended). Recovery time is from the heal
until a new call for help goes through end to end again: accepted over HTTP and its event handled by the
worker. Then the workload stops, every operation finishes (clients retry with the same idempotency key,
as the mobile apps do), the pipeline drains, and the checks run:

- lost: an operation whose effect is missing (a care request, its acknowledgement, a meal order, the
  delivery visit of an order, a referral, the hours a volunteer's visit earned), or an event whose handler
  never applied it;
- duplicated: an effect made twice (two care requests, orders or referrals for one client request, two
  visits for one order, two hours entries for one visit, an event counted twice in the day's figures).
"""
import datetime as dt
import os
import random
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import httpx
import pymongo

from gateway import dev_issuer
from linli_dev.devstack import APIS, VENV_BIN, WORKER_QUEUES, DevStack, Process, free_port, platform, wait_until
from linli_dev.faults.broker import PrivateRabbitMQ, PrivateRabbitMQCluster
from linli_dev.faults.proxy import FaultProxy
from linli.kit.config import SETTINGS, setting
from tests.chaos import elders

ZONE = ZoneInfo("Asia/Shanghai")
PROBE_COMMUNITY = "chaos-probe"
PROBE_ELDER = "chaos-probe-elder"
# Which worker handler must apply each event the workload causes (consumer name in applied_events).
CONSUMERS = {
    "care_request.raised": "eldercare.count_raised",
    "care_request.acknowledged": "eldercare.count_acknowledged",
    "care_request.completed": "eldercare.count_completed",
}
PARTNER = "city-central-hospital"  # a listed partner hospital (CLINIC_PARTNERS' default)
# The operations each client cycles through.
KINDS = ("care_request", "meal_order", "referral", "volunteer_log")
# The elders the workload's calls are for, per community.
ELDERS = 40
RETRYABLE = {408, 409, 425, 429, 500, 502, 503, 504}


# -- the platform ------------------------------------------------------------------------------------

class ChaosPlatform:
    """Every process of `make run`, with SecantusDB keeping its data on disk and syncing every commit (so
    that, like a production MongoDB writing with majority concern, it survives a kill), RabbitMQ behind a
    fault proxy (a private node of its own when private_broker, so that it can be
    stopped; else a fresh vhost on the machine's broker), and the gateway dialling every api through a
    fault proxy of its own."""

    def __init__(self, workdir: Path, private_broker: bool = True, cluster: bool = False):
        """cluster: three private RabbitMQ nodes clustered, quorum queues (LINLI_EVENT_QUEUE_TYPE=quorum, as
        production declares them), every client dialling the AMQP proxy that balances over the three nodes
        as the cluster's Kubernetes Service does."""
        self.workdir = workdir
        self.cluster = PrivateRabbitMQCluster(workdir / "rabbitmq-cluster") if cluster else None
        self.broker = PrivateRabbitMQ(workdir / "rabbitmq") if private_broker and not cluster else None
        self.amqp_proxy: FaultProxy | None = None
        self.api_proxies: dict[str, FaultProxy] = {}
        self.gateway_env: dict[str, str] = {}
        self.stack: DevStack | None = None
        self.mongo_stack = DevStack({}, workdir / "log")
        self.mongo_port: int | None = None  # chosen as it starts; kept for restarts on the same files
        self.issuer_dir = workdir / "issuer"
        self._mongo: pymongo.MongoClient | None = None
        # What the scenario under way noted: the failover time, which node it faulted and how.
        self.failover: float | None = None
        self.fault_note: str | None = None
        self.faulted: PrivateRabbitMQ | None = None

    def start(self) -> "ChaosPlatform":
        env = {name: setting(name) for name in SETTINGS}
        for name in SETTINGS:  # every listening address its own free port: nothing clashes with `make run`
            if name.endswith("_ADDR"):
                env[name] = f"127.0.0.1:{free_port()}"
        env.update({
            "MONGO_DB_PREFIX": "chaos_", "GATEWAY_PORT": str(free_port()),
            "LINLI_DEV_ISSUER_DIR": str(self.issuer_dir), "LINLI_OUTBOX_POLL_SECONDS": "0.2",
            "CLINIC_PARTNER_TLS_DIR": str(self.workdir / "partner-tls"),
            # The workload is one busy client: the per-client rate limit is not what these tests are about.
            "GATEWAY_RATE_LIMIT_PER_SECOND": "10000", "GATEWAY_RATE_LIMIT_BURST": "10000",
            "LINLI_LOG_LEVEL": "WARNING",
        })
        if self.cluster is not None:
            self.cluster.start()
            upstream, vhost = [("127.0.0.1", node.port) for node in self.cluster.nodes], ""
            env["LINLI_EVENT_QUEUE_TYPE"] = "quorum"
        elif self.broker is not None:
            self.broker.start()
            upstream, vhost = ("127.0.0.1", self.broker.port), ""
        else:
            from linli_dev.devstack import create_vhost

            self._vhost, uri = create_vhost(env["AMQP_URI"])
            parts = urlparse(uri)
            upstream, vhost = (parts.hostname, parts.port or 5672), parts.path.lstrip("/")
        self.amqp_proxy = FaultProxy(upstream, name="amqp").start()
        env["AMQP_URI"] = f"amqp://guest:guest@127.0.0.1:{self.amqp_proxy.port}/{vhost}"
        for service, name in APIS.items():
            host, port = env[name].rsplit(":", 1)
            self.api_proxies[service] = FaultProxy((host, int(port)), name=f"{service}-api").start()
        self.gateway_env = {APIS[s]: p.address for s, p in self.api_proxies.items()}
        env["MONGO_URI"] = self.start_mongo()
        self.stack = platform(env, self.workdir / "log", None, gateway_env=self.gateway_env)
        return self

    def start_mongo(self) -> str:
        """SecantusDB, syncing its log at every commit. By default it acknowledges a commit before the commit
        is on disk (as mongod does with j:false): a kill then loses acknowledged writes, which production
        (a replica set, majority write concern, journaled) never does. The suite tests the platform, not
        that default."""
        self.mongo_port = self.mongo_port or free_port()
        uri = f"mongodb://127.0.0.1:{self.mongo_port}/"
        proc = self.mongo_stack.spawn("secantusdb", [
            str(VENV_BIN / "secantusd-py"), "--host", "127.0.0.1", "--port", str(self.mongo_port), "--storage-path",
            str(self.workdir / "mongo"), "--log-level", "WARNING", "--sync-on-commit"])

        def answers() -> bool:
            with pymongo.MongoClient(uri, serverSelectionTimeoutMS=500) as client:
                return bool(client.admin.command("ping"))

        wait_until(answers, 60, "SecantusDB", proc)
        return uri

    def stop(self) -> None:
        if self.stack is not None:
            self.stack.stop()
        self.mongo_stack.stop()
        for proxy in [self.amqp_proxy, *self.api_proxies.values()]:
            if proxy is not None:
                proxy.stop()
        if self.cluster is not None:
            self.cluster.stop()
        elif self.broker is not None:
            self.broker.stop()
        elif getattr(self, "_vhost", None):
            from linli_dev.devstack import delete_vhost

            delete_vhost(setting("AMQP_URI"), self._vhost)
        if self._mongo is not None:
            self._mongo.close()

    @property
    def gateway_url(self) -> str:
        return self.stack.gateway_url

    def mongo(self) -> pymongo.MongoClient:
        if self._mongo is None:
            self._mongo = pymongo.MongoClient(f"mongodb://127.0.0.1:{self.mongo_port}/", serverSelectionTimeoutMS=3000,
                                              tz_aware=True)
        return self._mongo

    def db(self, service: str = "eldercare"):
        return self.mongo()[f"chaos_{service}"]

    def token(self, role: str, subject: str) -> str:
        return dev_issuer.issue_token(subject, [role], ["*"], directory=self.issuer_dir)

    # -- processes -----------------------------------------------------------------------------------

    def process(self, name: str) -> Process:
        return next(p for p in reversed(self.stack.processes + self.mongo_stack.processes) if p.name == name)

    def kill(self, name: str) -> None:
        """SIGKILL: no drain, no clean-up, as a crash or an OOM kill."""
        proc = self.process(name)
        if proc.popen.poll() is None:
            os.killpg(proc.popen.pid, signal.SIGKILL)
            proc.popen.wait()

    def restart(self, name: str) -> None:
        if name == "gateway":
            self.stack.start_gateway(self.gateway_env)
        elif name == "workers":
            self.stack.start_workers(list(WORKER_QUEUES))
        elif name == "secantusdb":
            self.start_mongo()
        elif name.endswith("-api"):
            self.stack.start_api(name.removesuffix("-api"))
        else:
            raise ValueError(f"no process {name}")

    def all_alive(self) -> list[str]:
        """Names of processes that should run but do not."""
        if self.cluster is not None:
            for node in self.cluster.nodes:
                if not node.running:
                    print(f"  ({node.node} was down before the scenario: restarting it)", flush=True)
                    self.cluster.restart(node)
        latest = {}
        for proc in self.mongo_stack.processes + self.stack.processes:
            latest[proc.name] = proc
        return [name for name, proc in latest.items() if proc.popen.poll() is not None]

    def queue_depths(self) -> dict[str, int]:
        """Every queue on the private broker with its depth (rabbitmqctl on our own node only)."""
        if self.cluster is not None:
            try:
                out = self.cluster.live().ctl("list_queues", "-q", "--no-table-headers", "name", "messages", timeout=30)
            except Exception:  # noqa: BLE001 - a depth is a detail of the report, never a failure of the run
                return {}
        elif self.broker is None:
            return {}
        else:
            out = subprocess.run(["rabbitmqctl", "-n", self.broker.node, "list_queues", "-q", "--no-table-headers",
                                  "name", "messages"], capture_output=True, text=True, timeout=30).stdout
        depths = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                depths[parts[0]] = int(parts[1])
        return depths


# -- the workload --------------------------------------------------------------------------------------

@dataclass
class Op:
    kind: str
    key: str
    started: float
    finished: float | None = None
    outcome: str = "pending"  # ok | gave up: <why> | refused: <status>
    ids: dict = field(default_factory=dict)
    attempts: int = 0
    help_seconds: float | None = None  # a call for help: from its first attempt until it was accepted


class Refused(Exception):
    pass


class GaveUp(Exception):
    pass


class Workload:
    """Threads of clients through the gateway, each cycling through: a care request (raised, then
    acknowledged), a meal order (delivery), a referral of a patient to a partner hospital, and a volunteer's
    visit (a care request assigned to a volunteer, travelled, checked in, completed: the volunteer service
    logs its hours from the completed event). Each call is retried with its idempotency key, or checked
    and carried on from where it stands, until it succeeds or OP_DEADLINE passes."""

    OP_DEADLINE = 120.0

    def __init__(self, chaos: ChaosPlatform, community: str, clients: int = 3, pause: float = 0.3):
        self.chaos = chaos
        self.community = community
        self.pause = pause
        self.ops: list[Op] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.clients = clients
        self._threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(clients)]
        self.headers = self._bearer("operator", "chaos-operator")
        self.clinician = self._bearer("clinician", "chaos-nurse")
        self.coordinator = self._bearer("coordinator", "chaos-coordinator")
        self.day = (dt.datetime.now(ZONE).date() + dt.timedelta(days=1)).isoformat()
        self.patients: dict[int, str] = {}

    def _bearer(self, role: str, subject: str) -> dict:
        return {"Authorization": f"Bearer {self.chaos.token(role, subject)}"}

    def elder(self, n: int) -> str:
        return f"{self.community}-elder-{n}"

    def volunteer(self, n: int) -> str:
        # One volunteer per client: its visits follow each other, so they never overlap (which would,
        # rightly, earn no hours).
        return f"{self.community}-vol-{n}"

    def prepare(self) -> None:
        """Tomorrow's menu in the scenario's community, open for orders all day."""
        menu = {"dishes": [{"name": "茄汁鱼", "note": ""}, {"name": "酱鸡脖", "note": "少盐"}], "price_fen": 1000,
                "order_cutoff": "23:59", "dine_in": True, "delivery": True, "delivery_fee_fen": 200}
        until = time.monotonic() + 180  # a heavily loaded machine takes minutes for these few dozen calls
        with httpx.Client(timeout=10) as http:
            self._call(http, "PUT", f"/v1/menus/{self.community}/{self.day}", menu, None, until)
            for n in range(max(ELDERS, self.clients)):  # a call is only for a registered elder
                self._call(http, "POST", "/v1/elders", {"id": self.elder(n), "community_id": self.community,
                                                        "name": "刘桂兰"}, f"{self.community}-register-{n}", until)
            for n in range(self.clients):
                self._call(http, "POST", "/v1/volunteers", {"id": self.volunteer(n), "community_id": self.community,
                                                            "name": f"志愿者{n}"}, None, until, headers=self.coordinator)
                patient = self._call(http, "POST", "/v1/patients", {
                    "community_id": self.community, "resident_id": f"{self.community}-elder-{n}", "name": "刘桂兰"},
                    None, until, headers=self.clinician)
                self._call(http, "POST", f"/v1/patients/{patient['id']}/consents",
                           {"scopes": ["referral"], "recipient": PARTNER}, None, until, headers=self.clinician)
                self.patients[n] = patient["id"]

    def start(self) -> "Workload":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Start no new operation; let those under way finish (or give up at their deadline)."""
        self._stopping.set()
        for thread in self._threads:
            thread.join(self.OP_DEADLINE + 30)

    def _client(self, n: int) -> None:
        rng = random.Random(n)
        with httpx.Client(timeout=httpx.Timeout(5.0)) as http:
            count = 0
            while not self._stopping.is_set():
                kind = KINDS[(count + n) % len(KINDS)]
                op = Op(kind, f"{self.community}-{kind}-{n}-{count}-{uuid.uuid4().hex[:6]}", time.monotonic())
                with self._lock:
                    self.ops.append(op)
                deadline = op.started + self.OP_DEADLINE
                try:
                    if kind == "care_request":
                        self._care_request(http, op, rng, deadline)
                    elif kind == "meal_order":
                        self._meal_order(http, op, n, deadline)
                    elif kind == "referral":
                        self._referral(http, op, n, deadline)
                    else:
                        self._volunteer_log(http, op, n, deadline)
                    op.outcome = "ok"
                except Refused as refused:
                    op.outcome = f"refused: {refused}"
                except GaveUp as why:
                    op.outcome = f"gave up: {why}"
                op.finished = time.monotonic()
                count += 1
                self._stopping.wait(self.pause)

    def _care_request(self, http, op: Op, rng, deadline) -> None:
        body = {"community_id": self.community, "elder_id": self.elder(rng.randrange(ELDERS)),
                "kind": rng.choice(["cleaning", "shopping", "medical", "emergency"]), "channel": "phone"}
        raised = self._call(http, "POST", "/v1/care-requests", body, op.key, deadline, op)
        op.help_seconds = time.monotonic() - op.started
        op.ids["care_request"] = raised["id"]
        try:
            self._call(http, "POST", f"/v1/care-requests/{raised['id']}/acknowledge", None, op.key + "-ack",
                       deadline, op)
        except Refused:
            # An earlier attempt did it and its answer was lost: acknowledged is acknowledged.
            current = self._call(http, "GET", f"/v1/care-requests/{raised['id']}", None, None, deadline, op)
            if current["status"] == "raised":
                raise
        op.ids["acknowledged"] = True

    def _meal_order(self, http, op: Op, n: int, deadline) -> None:
        body = {"community_id": self.community, "elder_id": f"elder-{n}", "day": self.day, "mode": "delivery",
                "quantity": 1, "location": {"building": "东区 7号楼", "unit": "2单元", "floor": 3}}
        order = self._call(http, "POST", "/v1/meal-orders", body, op.key, deadline, op)
        op.ids["meal_order"] = order["id"]

    def _referral(self, http, op: Op, n: int, deadline) -> None:
        body = {"patient_id": self.patients[n], "performer_id": PARTNER, "priority": "urgent",
                "reason": "胸闷气短两周，心电图ST段改变"}
        referral = self._call(http, "POST", "/v1/referrals", body, op.key, deadline, op, headers=self.clinician)
        op.ids["referral"] = referral["id"]

    def _volunteer_log(self, http, op: Op, n: int, deadline) -> None:
        body = {"community_id": self.community, "elder_id": self.elder(n), "kind": "cleaning", "channel": "phone"}
        raised = self._call(http, "POST", "/v1/care-requests", body, op.key, deadline, op)
        request_id = raised["id"]
        op.ids["care_request"] = request_id
        volunteer = self._bearer("volunteer", self.volunteer(n))
        steps = [  # (status it leads to, path, body, who)
            ("assigned", "assign", {"assignee_id": self.volunteer(n), "assignee_kind": "volunteer",
                                    "override_reason": "志愿者就近"}, self.headers),
            ("en_route", "en-route", {"eta_minutes": 5}, volunteer),
            ("on_site", "arrive", {"override_reason": "电话确认已到"}, self.headers),
            ("completed", "complete", {"notes": "打扫完毕"}, volunteer),
        ]
        order = [status for status, *_ in steps]
        for status, path, step_body, headers in steps:
            try:
                self._call(http, "POST", f"/v1/care-requests/{request_id}/{path}", step_body, None, deadline, op,
                           headers=headers)
            except Refused:
                # An earlier attempt did it and its answer was lost: carry on from where the request stands.
                current = self._call(http, "GET", f"/v1/care-requests/{request_id}", None, None, deadline, op)
                if current["status"] not in order or order.index(current["status"]) < order.index(status):
                    raise
        op.ids["completed"] = True

    def _call(self, http, method, path, body, key, deadline, op: Op | None = None, headers=None) -> dict:
        headers = dict(headers or self.headers)
        if key:
            headers["Idempotency-Key"] = key
        pause = 0.2
        last = "no attempt"
        while time.monotonic() < deadline:
            if op is not None:
                op.attempts += 1
            try:
                response = http.request(method, self.chaos.gateway_url + path, json=body, headers=headers)
            except httpx.HTTPError as error:
                last = type(error).__name__
            else:
                if response.status_code < 300:
                    return response.json()
                if response.status_code not in RETRYABLE:
                    raise Refused(f"{method} {path}: {response.status_code} {response.text[:200]}")
                if response.status_code == 409 and "in-flight" not in response.text:
                    raise Refused(f"{method} {path}: 409 {response.text[:200]}")
                last = str(response.status_code)
                retry_after = response.headers.get("Retry-After", "")
                if retry_after.isdigit():
                    pause = max(pause, min(float(retry_after), 2.0))
            time.sleep(pause)
            pause = min(pause * 2, 2.0)
        raise GaveUp(f"{method} {path}: last {last}")


# -- recovery ------------------------------------------------------------------------------------------

def end_to_end_once(chaos: ChaosPlatform, headers: dict, until: float) -> bool:
    """One call for help through the gateway, then wait for the worker to have handled its event."""
    key = f"probe-{uuid.uuid4().hex[:12]}"
    body = {"community_id": PROBE_COMMUNITY, "elder_id": PROBE_ELDER, "kind": "emergency", "channel": "phone"}
    try:
        if not getattr(chaos, "probe_elder_registered", False):
            chaos.probe_elder_registered = elders.register_over_http(httpx, chaos.gateway_url, headers,
                                                                     PROBE_COMMUNITY, PROBE_ELDER)
            if not chaos.probe_elder_registered:
                return False
        response = httpx.post(chaos.gateway_url + "/v1/care-requests", json=body,
                              headers={**headers, "Idempotency-Key": key}, timeout=3)
    except httpx.HTTPError:
        return False
    if response.status_code != 201:
        return False
    request_id = response.json()["id"]
    db = chaos.db()
    while time.monotonic() < until:
        try:
            event = db["outbox"].find_one({"routing_key": "care_request.raised",
                                           "body.data.care_request.id": request_id}, {"_id": 1})
            if event and db["applied_events"].find_one({"_id": f"eldercare.count_raised:{event['_id']}"}):
                return True
        except pymongo.errors.PyMongoError:
            pass
        time.sleep(0.1)
    return False


def recovery_seconds(chaos: ChaosPlatform, healed_at: float, limit: float = 150) -> float | None:
    headers = {"Authorization": f"Bearer {chaos.token('operator', 'chaos-probe')}"}
    until = healed_at + limit
    while time.monotonic() < until:
        if end_to_end_once(chaos, headers, min(until, time.monotonic() + 30)):
            return time.monotonic() - healed_at
        time.sleep(0.2)
    return None


# -- the checks ----------------------------------------------------------------------------------------

@dataclass
class Verdict:
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)


def check(chaos: ChaosPlatform, community: str, ops: list[Op]) -> Verdict:
    """Every intended effect of the community's operations, exactly once."""
    db = chaos.db()
    verdict = Verdict()
    requests = list(db["care_requests"].find({"community_id": community},
                                             {"request_id": 1, "status": 1, "kind": 1, "acknowledged_at": 1}))
    by_key: dict[str, list[dict]] = {}
    for request in requests:
        by_key.setdefault(request.get("request_id", ""), []).append(request)
    orders = list(db["meal_orders"].find({"community_id": community}, {"request_id": 1, "care_request_id": 1}))
    orders_by_key: dict[str, list[dict]] = {}
    for order in orders:
        orders_by_key.setdefault(order.get("request_id", ""), []).append(order)
    events: dict[tuple[str, str], list[dict]] = {}
    for record in db["outbox"].find({"body.community_id": community},
                                    {"routing_key": 1, "sent_at": 1, "body.data.care_request.id": 1}):
        request_id = record.get("body", {}).get("data", {}).get("care_request", {}).get("id")
        events.setdefault((record["routing_key"], request_id), []).append(record)
    applied = {doc["_id"] for doc in db["applied_events"].find({}, {"_id": 1})}
    requests_by_id = {r["_id"]: r for r in requests}
    clinic, volunteers = chaos.db("clinic"), chaos.db("volunteer")
    referrals_by_key: dict[str, list[dict]] = {}
    for referral in clinic["referrals"].find({"community_id": community}, {"request_id": 1}):
        referrals_by_key.setdefault(referral.get("request_id", ""), []).append(referral)
    referral_events: dict[str, list[dict]] = {}
    for record in clinic["outbox"].find({"routing_key": "referral.created", "body.community_id": community},
                                        {"sent_at": 1, "body.data.referral.id": 1}):
        referral_events.setdefault(record["body"]["data"]["referral"]["id"], []).append(record)
    hours_by_visit: dict[str, int] = {}
    for entry in volunteers["hours_entries"].find({"community_id": community, "source": "care_request",
                                                   "kind": "credit"}, {"source_id": 1}):
        hours_by_visit[entry["source_id"]] = hours_by_visit.get(entry["source_id"], 0) + 1
    volunteer_applied = {doc["_id"] for doc in volunteers["applied_events"].find({}, {"_id": 1})}

    def event_once(routing_key: str, request_id: str, what: str) -> None:
        found = events.get((routing_key, request_id), [])
        if not found:
            verdict.lost.append(f"{what}: no {routing_key} event")
        elif len(found) > 1:
            verdict.duplicated.append(f"{what}: {len(found)} {routing_key} events")
        for record in found:
            if record.get("sent_at") is None:
                verdict.lost.append(f"{what}: {routing_key} event {record['_id']} never published")
            consumer = CONSUMERS.get(routing_key)
            if consumer and f"{consumer}:{record['_id']}" not in applied:
                verdict.lost.append(f"{what}: {routing_key} event {record['_id']} never handled by {consumer}")

    for op in ops:
        if op.kind == "care_request":
            found = by_key.get(op.key, [])
            if len(found) > 1:
                verdict.duplicated.append(f"{op.key}: {len(found)} care requests")
            if not found:
                if op.outcome == "ok" or "care_request" in op.ids:
                    verdict.lost.append(f"{op.key}: care request missing")
                continue
            request = found[0]
            event_once("care_request.raised", request["_id"], op.key)
            if op.ids.get("acknowledged"):
                if request.get("acknowledged_at") is None:
                    verdict.lost.append(f"{op.key}: acknowledgement missing")
                else:
                    event_once("care_request.acknowledged", request["_id"], op.key)
        elif op.kind == "meal_order":
            found = orders_by_key.get(op.key, [])
            if len(found) > 1:
                verdict.duplicated.append(f"{op.key}: {len(found)} meal orders")
            if not found:
                if op.outcome == "ok" or "meal_order" in op.ids:
                    verdict.lost.append(f"{op.key}: meal order missing")
                continue
            visit = requests_by_id.get(found[0].get("care_request_id"))
            if visit is None:
                verdict.lost.append(f"{op.key}: the order's delivery visit is missing")
            else:
                event_once("care_request.raised", visit["_id"], f"{op.key} (delivery)")
        elif op.kind == "referral":
            found = referrals_by_key.get(op.key, [])
            if len(found) > 1:
                verdict.duplicated.append(f"{op.key}: {len(found)} referrals")
            if not found:
                if op.outcome == "ok" or "referral" in op.ids:
                    verdict.lost.append(f"{op.key}: referral missing")
                continue
            created = referral_events.get(found[0]["_id"], [])
            if len(created) != 1 or created[0].get("sent_at") is None:
                (verdict.duplicated if len(created) > 1 else verdict.lost).append(
                    f"{op.key}: {len(created)} referral.created event(s), published: "
                    f"{[r.get('sent_at') is not None for r in created]}")
        elif op.kind == "volunteer_log":
            found = by_key.get(op.key, [])
            if len(found) > 1:
                verdict.duplicated.append(f"{op.key}: {len(found)} care requests")
            if not found:
                if op.outcome == "ok" or "care_request" in op.ids:
                    verdict.lost.append(f"{op.key}: care request missing")
                continue
            request = found[0]
            event_once("care_request.raised", request["_id"], op.key)
            if op.ids.get("completed"):
                event_once("care_request.completed", request["_id"], op.key)
                logged = hours_by_visit.get(request["_id"], 0)
                if logged == 0:
                    verdict.lost.append(f"{op.key}: the volunteer's hours for the visit are missing")
                elif logged > 1:
                    verdict.duplicated.append(f"{op.key}: {logged} hours entries for one visit")
                completed = events.get(("care_request.completed", request["_id"]), [])
                if completed and f"volunteer.log_care_service:{completed[0]['_id']}" not in volunteer_applied:
                    verdict.lost.append(f"{op.key}: care_request.completed never handled by volunteer.log_care_service")
    deliveries = sum(1 for r in requests if r["kind"] == "meal")
    if deliveries > len(orders):
        verdict.duplicated.append(f"{deliveries} delivery visits for {len(orders)} meal orders")
    # The day's figures count each raised and acknowledged event once: never more (applied twice).
    figures = list(db["daily_figures"].find({"community_id": community}))
    for field_name, expected in (("raised", len(requests)),
                                 ("acknowledged", sum(1 for r in requests if r.get("acknowledged_at"))),
                                 ("completed", sum(1 for r in requests if r["status"] in ("completed", "closed")))):
        counted = sum(doc.get(field_name, 0) for doc in figures)
        if counted > expected:
            verdict.duplicated.append(f"figures count {counted} {field_name} for {expected} requests")
    return verdict


def settle(chaos: ChaosPlatform, community: str, ops: list[Op], limit: float = 90) -> Verdict:
    """Wait for the pipeline to drain (events published and handled), then check; give up after limit."""
    deadline = time.monotonic() + limit
    verdict = Verdict()
    while time.monotonic() < deadline:
        try:
            verdict = check(chaos, community, ops)
        except pymongo.errors.PyMongoError:
            time.sleep(1)
            continue
        if not verdict.lost and not verdict.duplicated:
            return verdict
        time.sleep(1)
    return verdict


# -- scenarios -----------------------------------------------------------------------------------------

@dataclass
class Scenario:
    name: str
    inject: Callable[[ChaosPlatform], None]
    heal: Callable[[ChaosPlatform], None]
    hold: float = 6.0
    what: str = ""
    # Seconds from the heal until the platform works again; by default a new call for help end to end.
    recovery: Callable[[ChaosPlatform, float], float | None] | None = None


def _noop(chaos: ChaosPlatform) -> None:
    pass


def _proxies(chaos: ChaosPlatform, which: str) -> list[FaultProxy]:
    return [chaos.amqp_proxy] if which == "amqp" else list(chaos.api_proxies.values())


def _proxy_fault(which: str, fault: str) -> Callable[[ChaosPlatform], None]:
    def inject(chaos: ChaosPlatform) -> None:
        for proxy in _proxies(chaos, which):
            if fault == "latency":
                proxy.latency(0.3)
            elif fault == "blackhole":
                proxy.blackhole()
            else:
                proxy.reset()
    return inject


def _heal(which: str) -> Callable[[ChaosPlatform], None]:
    def heal(chaos: ChaosPlatform) -> None:
        for proxy in _proxies(chaos, which):
            proxy.heal()
    return heal


def _kill(name: str) -> Callable[[ChaosPlatform], None]:
    return lambda chaos: chaos.kill(name)


def _restart(name: str) -> Callable[[ChaosPlatform], None]:
    return lambda chaos: chaos.restart(name)


BURST = 200  # emergencies raised at most, one after another, until the workers are killed mid-transaction


def _kill_workers_mid_emergencies(chaos: ChaosPlatform) -> None:
    """Emergencies raised one after another; the workers SIGKILLed the moment a handler is inside its
    transaction for one of them (its claim is there, its applied record not yet)."""
    community = f"chaos-burst-{uuid.uuid4().hex[:6]}"
    headers = {"Authorization": f"Bearer {chaos.token('operator', 'chaos-burst')}"}
    db = chaos.db()
    consumer = CONSUMERS["care_request.raised"]
    killed = threading.Event()

    def raise_emergencies() -> None:
        with httpx.Client(timeout=10) as http:
            for n in range(BURST):
                if killed.is_set():
                    return
                try:
                    http.post(chaos.gateway_url + "/v1/care-requests", headers={
                        **headers, "Idempotency-Key": f"{community}-{n}"}, json={
                        "community_id": community, "elder_id": "burst-elder", "kind": "emergency",
                        "channel": "phone"})
                except httpx.HTTPError:
                    pass

    def burst_keys() -> list[str]:
        return [f"{consumer}:{e['_id']}" for e in db["outbox"].find(
            {"routing_key": "care_request.raised", "body.community_id": community}, {"_id": 1})]

    def mid_transaction() -> list[str]:
        keys = burst_keys()
        claimed = {c["_id"] for c in db["applying_events"].find({"_id": {"$in": keys}}, {"_id": 1})}
        applied = {a["_id"] for a in db["applied_events"].find({"_id": {"$in": keys}}, {"_id": 1})}
        return sorted(claimed - applied)

    with httpx.Client(timeout=10) as http:
        wait_until(lambda: elders.register_over_http(http, chaos.gateway_url, headers, community, "burst-elder"),
                   30, "the burst's elder to be registered")
    raiser = threading.Thread(target=raise_emergencies, daemon=True)
    raiser.start()
    workers = os.getpgid(chaos.process("workers").popen.pid)
    while raiser.is_alive():
        if not mid_transaction():
            time.sleep(0.002)
            continue
        # Frozen, the workers can no longer finish; a commit already on its way lands meanwhile.
        os.killpg(workers, signal.SIGSTOP)
        time.sleep(0.1)
        if mid_transaction():
            break
        os.killpg(workers, signal.SIGCONT)
    chaos.orphans = len(mid_transaction())
    chaos.kill("workers")
    killed.set()
    raiser.join(30)
    chaos.burst = burst_keys()


FSYNC_SYSCALLS = {"74", "75"}  # fsync, fdatasync on x86_64 (/proc/<pid>/task/<tid>/syscall's first field)


def _kill_store_mid_commit(chaos: ChaosPlatform, within: float = 20) -> None:
    """SIGKILL SecantusDB the moment one of its threads is syncing a commit to disk (it syncs every commit,
    before acknowledging it): the commit is then either on disk but never acknowledged, or not on disk; the
    writer retries either way. Watched from outside through /proc, under the workload's load."""
    pid = chaos.process("secantusdb").popen.pid
    tasks = Path(f"/proc/{pid}/task")
    until = time.monotonic() + within
    caught = False
    while time.monotonic() < until and not caught:
        for task in tasks.iterdir():
            try:
                if (task / "syscall").read_text().split(" ", 1)[0] in FSYNC_SYSCALLS:
                    caught = True
                    break
            except OSError:
                continue
    chaos.kill("secantusdb")
    chaos.fault_note = ("killed while a thread was syncing a commit (fdatasync)" if caught
                        else f"no commit caught syncing in {within:.0f} s: killed at a random moment")


def _burst_applied(chaos: ChaosPlatform, ready_at: float, limit: float = 150) -> float | None:
    """Seconds from the replacement workers consuming until every emergency of the burst is applied."""
    keys = chaos.burst
    until = ready_at + limit
    while time.monotonic() < until:
        try:
            if chaos.db()["applied_events"].count_documents({"_id": {"$in": keys}}) == len(keys):
                return time.monotonic() - ready_at
        except pymongo.errors.PyMongoError:
            pass
        time.sleep(0.05)
    return None


# -- the cluster's scenarios (ChaosPlatform(cluster=True)) ---------------------------------------------

def _failover(chaos: ChaosPlatform, began: float) -> None:
    """With the fault still on: seconds until a call for help goes through end to end again."""
    chaos.failover = recovery_seconds(chaos, began, limit=120)


def _kill_node(which: str) -> Callable[[ChaosPlatform], None]:
    def inject(chaos: ChaosPlatform) -> None:
        cluster = chaos.cluster
        node = cluster.leading_most() if which == "leaders" else cluster.leading_fewest()
        led = sum(1 for leader in cluster.queue_leaders().values() if leader == node.node)
        chaos.fault_note = f"{node.node} SIGKILLed, leading {led} of {len(cluster.queue_leaders())} queues"
        chaos.faulted = node
        began = time.monotonic()
        node.kill()
        _failover(chaos, began)
    return inject


def _restart_node(chaos: ChaosPlatform) -> None:
    chaos.cluster.restart(chaos.faulted)


def _pause_node(chaos: ChaosPlatform) -> None:
    cluster = chaos.cluster
    node = cluster.leading_most()
    led = sum(1 for leader in cluster.queue_leaders().values() if leader == node.node)
    chaos.fault_note = f"{node.node} paused (SIGSTOP), leading {led} queues"
    chaos.faulted = node
    began = time.monotonic()
    node.pause()
    _failover(chaos, began)


def _resume_node(chaos: ChaosPlatform) -> None:
    chaos.faulted.resume()
    wait_until(lambda: chaos.faulted.node in chaos.cluster.running_nodes(), 120, f"{chaos.faulted.node} to be back")


def _rolling_restart(chaos: ChaosPlatform) -> None:
    """Each node in turn: wait until stopping it leaves every quorum queue a majority, stop it cleanly,
    start it, wait until it has rejoined: as an operator (or the cluster operator) upgrades a cluster."""
    cluster = chaos.cluster
    for node in cluster.nodes:
        wait_until(lambda: cluster.quorum_safe_to_stop(node), 120, f"{node.node} not to be quorum-critical")
        node.stop()
        cluster.restart(node)
    chaos.fault_note = f"{len(cluster.nodes)} nodes restarted one after another"


def cluster_scenarios() -> dict[str, Scenario]:
    found = [
        Scenario("cluster: no fault (baseline)", _noop, _noop, 4.0, "the workload alone on the three-node cluster"),
        Scenario("cluster: one node SIGKILL + restart", _kill_node("follower"), _restart_node, 5.0,
                 "the node leading the fewest queues killed; failover with it down, then restarted and rejoined"),
        Scenario("cluster: queue leaders' node SIGKILL + restart", _kill_node("leaders"), _restart_node, 5.0,
                 "the node leading the most quorum queues killed: their followers elect new leaders; then "
                 "restarted and rejoined"),
        Scenario("cluster: one node partitioned (SIGSTOP)", _pause_node, _resume_node, 5.0,
                 "the leaders' node frozen: its peers and its clients get no answer on open connections "
                 "(a partition that cuts it off from everyone, or a VM stall); then resumed"),
        Scenario("cluster: rolling restart", _rolling_restart, _noop, 0.0,
                 "every node stopped cleanly and started again, one after another, under load"),
    ]
    return {s.name: s for s in found}


def scenarios() -> dict[str, Scenario]:
    found = [
        Scenario("no fault (baseline)", _noop, _noop, 4.0, "the workload alone"),
        Scenario("RabbitMQ stopped and restarted", lambda c: c.broker.stop(), lambda c: c.broker.start(), 6.0,
                 "the private broker stopped cleanly, down 6 s, started again on the same data"),
    ]
    for service in APIS:
        name = f"{service}-api"
        found.append(Scenario(f"{name} SIGKILL + restart", _kill(name), _restart(name), 4.0,
                              f"{name} killed mid-load, down 4 s, restarted"))
    found += [
        Scenario("workers SIGKILL + restart", _kill("workers"), _restart("workers"), 4.0,
                 "every Nameko worker killed mid-handling, down 4 s, restarted"),
        Scenario("workers SIGKILL mid-emergency", _kill_workers_mid_emergencies, _restart("workers"), 1.0,
                 "emergencies raised one after another, the workers killed while a handler is inside its "
                 "transaction for one; recovery: until the replacement has applied every one", _burst_applied),
        Scenario("gateway SIGKILL + restart", _kill("gateway"), _restart("gateway"), 3.0,
                 "the gateway killed, down 3 s, restarted"),
        Scenario("SecantusDB SIGKILL + restart", _kill("secantusdb"), _restart("secantusdb"), 4.0,
                 "the database killed, down 4 s, restarted on the same files"),
        Scenario("SecantusDB SIGKILL mid-commit", _kill_store_mid_commit, _restart("secantusdb"), 4.0,
                 "the database killed while it syncs a commit to disk, down 4 s, restarted on the same files"),
        Scenario("RabbitMQ link: 300 ms latency", _proxy_fault("amqp", "latency"), _heal("amqp"), 8.0,
                 "every AMQP connection delayed 300 ms each way"),
        Scenario("RabbitMQ link: blackhole", _proxy_fault("amqp", "blackhole"), _heal("amqp"), 6.0,
                 "a 6 s partition: AMQP connections open, nothing gets through either way"),
        Scenario("RabbitMQ link: connection reset", _proxy_fault("amqp", "reset"), _heal("amqp"), 4.0,
                 "every AMQP connection reset, new ones refused for 4 s"),
        Scenario("gateway→api link: 300 ms latency", _proxy_fault("apis", "latency"), _heal("apis"), 8.0,
                 "every gateway→api connection delayed 300 ms each way"),
        Scenario("gateway→api link: blackhole", _proxy_fault("apis", "blackhole"), _heal("apis"), 6.0,
                 "a 6 s partition between the gateway and every api (past the gateway's 5 s deadline)"),
        Scenario("gateway→api link: connection reset", _proxy_fault("apis", "reset"), _heal("apis"), 4.0,
                 "every gateway→api connection reset, new ones refused for 4 s"),
    ]
    return {s.name: s for s in found}


@dataclass
class Result:
    scenario: str
    operations: int
    lost: int
    duplicated: int
    recovery_seconds: float | None
    gave_up: int = 0
    dead_letters: int = 0
    details: list[str] = field(default_factory=list)
    what: str = ""
    help_calls: int = 0  # calls for help made during the fault (from the injection until recovered)
    help_p99_seconds: float | None = None  # and the 99th percentile of how long each took to be accepted
    failover_seconds: float | None = None  # cluster: from the fault until a call for help went through, fault on

    @property
    def passed(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and self.recovery_seconds is not None


def p99(values: list[float]) -> float | None:
    """Nearest rank: the value 99% of the others are at or below (the largest, for under 100 values)."""
    ordered = sorted(values)
    return ordered[max(0, -(-99 * len(ordered) // 100) - 1)] if ordered else None


def run_scenario(chaos: ChaosPlatform, scenario: Scenario, community: str, warmup: float = 3.0,
                 tail: float = 2.0, clients: int = 3, min_operations: int = 0, pause: float = 0.3) -> Result:
    """min_operations: the workload goes on after the recovery until it has started this many operations
    (for at most 10 minutes)."""
    chaos.failover = chaos.fault_note = None
    workload = Workload(chaos, community, clients=clients, pause=pause)
    workload.prepare()
    workload.start()
    time.sleep(warmup)
    fault_at = time.monotonic()
    scenario.inject(chaos)
    time.sleep(scenario.hold)
    healed_at = time.monotonic()
    scenario.heal(chaos)
    if scenario.recovery is not None:
        recovery = scenario.recovery(chaos, time.monotonic())
    else:
        recovery = recovery_seconds(chaos, healed_at)
    recovered_at = time.monotonic()
    time.sleep(tail)
    enough = time.monotonic() + 600
    while len(workload.ops) < min_operations and time.monotonic() < enough:
        time.sleep(0.2)
    workload.stop()
    verdict = settle(chaos, community, workload.ops)
    depths = chaos.queue_depths()
    dead = sum(depth for name, depth in depths.items() if name.endswith(".dead"))
    gave_up = [op for op in workload.ops if op.outcome != "ok"]
    details = verdict.lost + verdict.duplicated + [f"{op.key}: {op.outcome}" for op in gave_up]
    if getattr(chaos, "orphans", None) is not None:
        details.insert(0, f"killed while {chaos.orphans} handler(s) were applying an emergency")
        chaos.orphans = None
    if chaos.fault_note:
        details.insert(0, chaos.fault_note)
    if verdict.lost:  # still queued (late), or gone?
        details.insert(0, f"messages still queued after the check: {({q: d for q, d in depths.items() if d}) or 'none'}")
    during = [op.help_seconds for op in workload.ops
              if op.kind == "care_request" and fault_at <= op.started <= recovered_at and op.help_seconds is not None]
    return Result(scenario.name, len(workload.ops), len(verdict.lost), len(verdict.duplicated), recovery,
                  len(gave_up), dead, details, scenario.what, len(during), p99(during), chaos.failover)


def table(results: list[Result]) -> str:
    failovers = any(r.failover_seconds is not None for r in results)
    rows = [("scenario", "operations", "lost", "duplicated", "recovery time", "gave up", "dead letters",
             "calls for help during the fault: p99 (calls)") + (("failover, fault on",) if failovers else ())]
    for r in results:
        recovery = f"{r.recovery_seconds:.1f} s" if r.recovery_seconds is not None else "not recovered"
        help_p99 = f"{r.help_p99_seconds:.2f} s ({r.help_calls})" if r.help_p99_seconds is not None else "none"
        failover = (f"{r.failover_seconds:.1f} s" if r.failover_seconds is not None else "-",) if failovers else ()
        rows.append((r.scenario, str(r.operations), str(r.lost), str(r.duplicated), recovery, str(r.gave_up),
                     str(r.dead_letters), help_p99) + failover)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


# -- an emergency behind a routine backlog -------------------------------------------------------------

@dataclass
class BacklogResult:
    backlog: int  # routine events queued for count_raised when the emergency was raised
    handled_seconds: float | None  # from the gateway accepting the emergency until count_raised applied it
    still_queued: int  # routine events still waiting at that moment


def emergency_behind_backlog(chaos: ChaosPlatform, backlog: int = 10_000, limit: float = 60) -> BacklogResult:
    """routine care_request.raised events queued for the eldercare worker's count_raised, as the relay
    publishes them (in one AMQP transaction, the workers frozen meanwhile so that the backlog is whole),
    then an emergency raised through the gateway: how long until its handler applied it."""
    import json

    import pika

    from linli.kit.events import ROUTINE
    from services.eldercare import events as eldercare_events
    from services.eldercare.domain import care_requests as care
    from services.eldercare.policy import with_emergency_sla
    from linli.kit.identity import Caller
    from linli.kit.mongo import utcnow

    community = f"chaos-backlog-{uuid.uuid4().hex[:6]}"
    queue = "evt-eldercare-care_request.raised--eldercare.count_raised--routine"
    caller = Caller("chaos-backlog", frozenset({"operator"}), frozenset({community}))
    routine = eldercare_events.raised(care.raise_request(
        caller, care.NewCareRequest(community, "backlog-elder", "cleaning", "device"), f"{community}-routine",
        utcnow(), with_emergency_sla(60)))
    headers = {"Authorization": f"Bearer {chaos.token('operator', 'chaos-backlog')}"}
    with httpx.Client(timeout=10) as http:
        wait_until(lambda: elders.register_over_http(http, chaos.gateway_url, headers, community, "backlog-elder"),
                   30, "the backlog's elder to be registered")
    connection = pika.BlockingConnection(pika.URLParameters(f"amqp://guest:guest@127.0.0.1:{chaos.amqp_proxy.port}/"))
    channel = connection.channel()
    workers = os.getpgid(chaos.process("workers").popen.pid)
    os.killpg(workers, signal.SIGSTOP)
    try:
        channel.tx_select()
        for n in range(backlog):
            body = json.dumps({**routine, "id": f"{community}-routine-{n}"}).encode()
            channel.basic_publish("eldercare.events", "care_request.raised", body, pika.BasicProperties(
                content_type="application/json", delivery_mode=2, message_id=f"{community}-routine-{n}",
                priority=ROUTINE))
        channel.tx_commit()
        waiting = channel.queue_declare(queue, passive=True).method.message_count
    finally:
        os.killpg(workers, signal.SIGCONT)
    with httpx.Client(timeout=10) as http:
        response = http.post(chaos.gateway_url + "/v1/care-requests", headers={
            **headers, "Idempotency-Key": f"{community}-emergency"}, json={
            "community_id": community, "elder_id": "backlog-elder", "kind": "emergency", "channel": "phone"})
        response.raise_for_status()
    accepted = time.monotonic()
    request_id = response.json()["id"]
    db = chaos.db()
    handled = None
    while time.monotonic() - accepted < limit:
        event = db["outbox"].find_one({"routing_key": "care_request.raised", "body.data.care_request.id": request_id})
        if event and db["applied_events"].count_documents({"_id": f"eldercare.count_raised:{event['_id']}"}):
            handled = time.monotonic() - accepted
            break
        time.sleep(0.02)
    still = channel.queue_declare(queue, passive=True).method.message_count
    connection.close()
    return BacklogResult(waiting, handled, still)
