"""The processes every benchmark shares, started once per `make bench`: the whole Linli platform through
linli_dev.devstack (SecantusDB in memory, a RabbitMQ vhost of its own, the eldercare api, the workers, the
gateway) on free ports, never `make run`'s, and beside it the bare transports (bench.bare_grpc,
bench.bare_http, bench.bare_nameko) on the same SecantusDB and broker. Also the seed data: elders with
call devices, a few care requests, and copies of those documents (with the same indexes) for the bare
server's database."""
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import httpx
import pymongo

from gateway import dev_issuer
from linli_dev import demo
from linli_dev.devstack import (ROOT, DevStack, ensure_rabbitmq, free_port, http_ok, platform, queues_consumed,
                            wait_until)
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.eldercare.v1 import residents_pb2, residents_pb2_grpc
from linli.kit.config import SETTINGS, setting
from linli.kit.identity import Caller

COMMUNITY = demo.COMMUNITY
OPERATOR = Caller("bench-operator", frozenset({"operator"}), frozenset({COMMUNITY}))
DB_PREFIX = "bench_"
LINLI_DB = DB_PREFIX + "eldercare"
BARE_DB = "bench_bare"
BARE_NAMEKO_QUEUE = "evt-bench_bare-ping--bench_bare_nameko.arrived"
# What the bare server's database copies from Linli's, with the same indexes.
COPIED = ("care_requests", "elders", "devices", "outbox")


@dataclass
class Platform:
    stack: DevStack
    issuer_dir: str
    bare_grpc_addr: str
    bare_http_url: str
    bare_nameko_out: Path
    devices: list[str] = field(default_factory=list)  # registered call devices, unused so far
    care_ids: list[str] = field(default_factory=list)  # open care requests to read
    idle_memory: dict[str, dict[str, float]] = field(default_factory=dict)
    _registered: int = 0  # elders enrolled so far

    @property
    def env(self) -> dict[str, str]:
        return self.stack.env

    @property
    def api_addr(self) -> str:
        return self.env["ELDERCARE_API_ADDR"]

    @property
    def gateway_url(self) -> str:
        return self.stack.gateway_url

    def mongo(self) -> pymongo.MongoClient:
        return pymongo.MongoClient(self.env["MONGO_URI"], tz_aware=True)

    def token(self, subject: str, role: str) -> str:
        return dev_issuer.issue_token(subject, [role], [COMMUNITY], directory=self.issuer_dir)

    def take_devices(self, count: int) -> list[str]:
        """Devices nobody pressed yet (a second press within two minutes is the same call, by design)."""
        if count > len(self.devices):
            self.register_devices(count - len(self.devices))
        taken, self.devices = self.devices[:count], self.devices[count:]
        return taken

    def register_devices(self, count: int) -> None:
        """Enrol `count` more elders of the demo community, each with a call device, through the api."""
        people = demo.elders()
        start = self._registered
        chosen = [people[i % len(people)] for i in range(start, start + count)]
        self._registered += count
        md = OPERATOR.to_metadata()
        with grpc.insecure_channel(self.api_addr) as channel:
            residents = residents_pb2_grpc.ResidentServiceStub(channel)

            def enrol(index_person) -> str:
                index, person = index_person
                elder = residents_pb2.RegisterElderRequest()
                elder.CopyFrom(person)
                elder.id = f"bench-elder-{index:05d}"
                residents.RegisterElder(elder, metadata=md, timeout=30)
                device_id = f"bench-pager-{index:05d}"
                residents.RegisterDevice(residents_pb2.RegisterDeviceRequest(
                    id=device_id, elder_id=elder.id, kind=residents_pb2.DEVICE_KIND_PAGER), metadata=md, timeout=30)
                return device_id

            with ThreadPoolExecutor(8) as pool:
                self.devices.extend(pool.map(enrol, enumerate(chosen, start)))

    def process_memory(self) -> dict[str, dict[str, float]]:
        """Per process: resident memory now and its peak so far (VmRSS, VmHWM from /proc), in MiB."""
        result = {}
        for proc in self.stack.processes:
            if proc.popen.poll() is not None:
                continue
            fields = {}
            for line in Path(f"/proc/{proc.popen.pid}/status").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    fields[name] = int(value.split()[0]) / 1024
            result[proc.name] = fields
        return result

    def stop(self) -> None:
        self.stack.stop()


def _seed(plat: Platform, devices: int) -> None:
    plat.register_devices(devices)
    md = OPERATOR.to_metadata()
    with grpc.insecure_channel(plat.api_addr) as channel:
        api = pb_grpc.EldercareServiceStub(channel)
        for index in range(20):  # phone calls, so the elders' devices stay free for presses
            reply = api.RaiseCareRequest(pb.RaiseCareRequestRequest(
                community_id=COMMUNITY, elder_id=f"bench-elder-{index:05d}", kind=pb.CARE_KIND_MEAL,
                channel=pb.CHANNEL_PHONE, description="午饭送餐，四菜一汤",
                location=pb.Location(building="东区 1号楼", unit="2单元", floor=3, detail="302")), metadata=md, timeout=10)
            plat.care_ids.append(reply.care_request.id)
    # The bare server's database: the same documents and indexes, and one of each to copy from.
    with plat.mongo() as client:
        linli, bare = client[LINLI_DB], client[BARE_DB]
        wait_until(lambda: linli.outbox.count_documents({"sent_at": None}) == 0, 30, "outbox drained")
        for name in COPIED:
            bare.drop_collection(name)
            for index in linli[name].list_indexes():
                keys = list(index["key"].items())
                options = {k: v for k, v in index.items() if k not in ("key", "v", "ns")}
                if options.get("name") != "_id_":
                    bare[name].create_index(keys, **options)
            docs = list(linli[name].find())
            if docs:
                bare[name].insert_many(docs)
        bare.templates.drop()
        bare.templates.insert_many([
            {"_id": "care_request", "doc": linli.care_requests.find_one({"_id": plat.care_ids[0]})},
            {"_id": "outbox", "doc": linli.outbox.find_one({"routing_key": "care_request.raised"})},
        ])


def start(devices: int = 200) -> Platform:
    """Start Linli and the bare transports, seed them, and note each process's idle memory."""
    work = Path(tempfile.mkdtemp(prefix="linli-bench-"))
    env = {name: setting(name) for name in SETTINGS}
    # Every listening address on a free port: never the ports of `make run` or of a test tier running now.
    env.update({name: f"127.0.0.1:{free_port()}" for name in SETTINGS if name.endswith("_ADDR")})
    env.update({name: str(free_port()) for name in SETTINGS if name.endswith("_PORT")})
    env.update({
        "MONGO_DB_PREFIX": DB_PREFIX,
        "LINLI_DEV_ISSUER_DIR": str(work / "issuer"),
        "OTEL_EXPORTER_OTLP_ENDPOINT": "",
        # One benchmark client makes hundreds of calls a second with one token: lift the per-client limit
        # (its bookkeeping still runs on every request, so its cost stays in the figures).
        "GATEWAY_RATE_LIMIT_PER_SECOND": "1000000",
        "GATEWAY_RATE_LIMIT_BURST": "1000000",
        # Nobody acknowledges the benchmarks' calls: without this, every emergency pressed would escalate a
        # minute later and load the measurements that follow with work no real day has.
        "ELDERCARE_EMERGENCY_ACK_SLA_SECONDS": "86400",
    })
    print(f"starting Linli and the bare transports (logs in {work}) ...", flush=True)
    # As `make test` does: start the machine's RabbitMQ if it is installed but down, with the management
    # plugin (a vhost of our own is made through it).
    ensure_rabbitmq(env["AMQP_URI"], management=True)
    stack = platform(env, work / "log", mongo_storage=":memory:", isolated_broker=True)
    try:
        bare_port = free_port()
        plat = Platform(stack, env["LINLI_DEV_ISSUER_DIR"], f"127.0.0.1:{free_port()}",
                        f"http://127.0.0.1:{bare_port}", work / "bare-nameko.txt")
        stack.env.update({"BARE_GRPC_ADDR": plat.bare_grpc_addr, "BARE_HTTP_PORT": str(bare_port),
                          "BARE_DB": BARE_DB, "BARE_NAMEKO_OUT": str(plat.bare_nameko_out)})
        grpc_proc = stack.spawn("bare-grpc", [str(ROOT / ".venv/bin/python"), "-m", "bench.bare_grpc"])
        wait_until(lambda: grpc.channel_ready_future(grpc.insecure_channel(plat.bare_grpc_addr)).result(1) is None,
                   30, "bare grpc", grpc_proc)
        http_proc = stack.spawn("bare-http", [str(ROOT / ".venv/bin/python"), "-m", "bench.bare_http"])
        wait_until(lambda: http_ok(plat.bare_http_url + "/bare/ready")
                   and httpx.get(plat.bare_http_url + "/bare/ready").json()["ready"], 30, "bare http", http_proc)
        nameko_proc = stack.spawn("bare-nameko", [str(ROOT / ".venv/bin/python"), "-m", "linli.kit.workers",
                                                  "bench.bare_nameko"])
        wait_until(lambda: queues_consumed(stack.env["AMQP_URI"], [BARE_NAMEKO_QUEUE]), 60, "bare nameko", nameko_proc)
        print(f"seeding {devices} elders with call devices ...", flush=True)
        _seed(plat, devices)
        time.sleep(2)  # let start-up work settle before reading idle memory
        plat.idle_memory = plat.process_memory()
        return plat
    except BaseException:
        stack.stop()
        raise


def settle(plat: Platform, timeout: float = 60) -> None:
    """Wait until the background work of earlier loads is done: the outbox published, every worker queue
    empty, so one measurement does not pay for the last one's events."""
    import pika

    from linli_dev.devstack import WORKER_QUEUES

    queues = [q for names in WORKER_QUEUES.values() for q in names] + [BARE_NAMEKO_QUEUE]

    def idle() -> bool:
        with plat.mongo() as client:
            if client[LINLI_DB].outbox.count_documents({"sent_at": None}):
                return False
        connection = pika.BlockingConnection(pika.URLParameters(plat.env["AMQP_URI"]))
        try:
            for queue in queues:
                try:
                    if connection.channel().queue_declare(queue, passive=True).method.message_count:
                        return False
                except pika.exceptions.ChannelClosedByBroker:
                    pass  # not declared: a service devstack lists but this platform does not run
            return True
        finally:
            connection.close()

    wait_until(idle, timeout, "the platform settling after a load")
