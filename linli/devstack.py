"""Starts Linli on one machine: SecantusDB (unless MONGO_URI is set), every service api and worker,
and the gateway, each its own process, with logs under one folder. Used by `make run` and by the
test tiers that need running processes, so both start the platform the same way."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote, urlparse, urlunparse

import grpc
import pika
import pymongo
from grpc_health.v1 import health_pb2, health_pb2_grpc

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

# The event queues the workers consume; a worker is ready once each has a consumer.
WORKER_QUEUES = {
    "eldercare": [  # priority queues (linli.kit.handlers, urgent_first): Nameko's name + "--urgent-first"
        "evt-eldercare-care_request.raised--eldercare.count_raised--urgent-first",
        "evt-eldercare-care_request.acknowledged--eldercare.count_acknowledged--urgent-first",
        "evt-eldercare-care_request.escalated--eldercare.count_escalated--urgent-first",
    ],
    "volunteer": ["evt-eldercare-care_request.completed--volunteer.log_care_service", "rpc-volunteer"],
    "clinic": ["evt-eldercare-care_request.raised--clinic.open_triage_entry--urgent-first"],
    "employment": ["evt-employment-vacancy.opened--employment.rank_vacancy",
                   "evt-employment-seeker.registered--employment.rank_seeker",
                   "evt-employment-vacancies.imported--employment.rank_import"],
    "notify": [f"evt-eldercare-care_request.{event}--notify.care_request_{event}--urgent-first"
               for event in ("raised", "escalated", "assigned", "en_route", "on_site", "completed", "cancelled")]
              + ["evt-volunteer-certificate.issued--notify.certificate_issued"],
}
APIS = {"eldercare": "ELDERCARE_API_ADDR", "volunteer": "VOLUNTEER_API_ADDR", "clinic": "CLINIC_API_ADDR",
        "employment": "EMPLOYMENT_API_ADDR", "notify": "NOTIFY_API_ADDR"}


class StartError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check: Callable[[], bool], timeout: float, what: str, proc: "Process | None" = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.popen.poll() is not None:
            raise StartError(f"{proc.name} exited with code {proc.popen.returncode}; its log:\n{proc.tail()}")
        try:
            if check():
                return
        except Exception:  # not up yet: connection refused, not serving, ...
            pass
        time.sleep(0.2)
    raise StartError(f"{what} not ready after {timeout:.0f}s" + (f"; its log:\n{proc.tail()}" if proc else ""))


def rabbitmq_answers(amqp_uri: str) -> bool:
    try:
        params = pika.URLParameters(amqp_uri)
        params.socket_timeout = params.blocked_connection_timeout = 3
        params.connection_attempts = 1
        pika.BlockingConnection(params).close()
        return True
    except pika.exceptions.AMQPError:
        return False


def ensure_rabbitmq(amqp_uri: str, management: bool = False) -> bool:
    """Make sure RabbitMQ answers on amqp_uri; start the local rabbitmq-server if it is installed.
    Returns True when this call started it (so the caller stops it again)."""
    started = False
    if not rabbitmq_answers(amqp_uri):
        server = shutil.which("rabbitmq-server") or (os.path.exists("/usr/sbin/rabbitmq-server") and "/usr/sbin/rabbitmq-server")
        if not server:
            raise StartError(
                f"RabbitMQ does not answer on {amqp_uri}. Set AMQP_URI to a running broker, or install one: "
                "sudo apt-get install rabbitmq-server"
            )
        print(f"RabbitMQ does not answer on {amqp_uri}; starting {server}", flush=True)
        subprocess.run([server, "-detached"], check=True)
        wait_until(lambda: rabbitmq_answers(amqp_uri), 90, "rabbitmq-server")
        started = True
    if management:
        # Nameko's test fixtures make a vhost per test through the management API.
        plugins = shutil.which("rabbitmq-plugins") or "/usr/sbin/rabbitmq-plugins"
        if os.path.exists(plugins):
            subprocess.run([plugins, "enable", "--quiet", "rabbitmq_management"], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return started


def stop_rabbitmq() -> None:
    ctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    subprocess.run([ctl, "stop"], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def management_api(amqp_uri: str) -> tuple[str, tuple[str, str]]:
    """RabbitMQ's management API beside a broker (port 15672, same credentials)."""
    parts = urlparse(amqp_uri)
    return f"http://{parts.hostname or '127.0.0.1'}:15672/api", (unquote(parts.username or "guest"),
                                                                 unquote(parts.password or "guest"))


def create_vhost(amqp_uri: str) -> tuple[str, str]:
    """A fresh virtual host, so a test stack's workers never take another stack's events.
    Returns (its name, the AMQP URI that points at it)."""
    import httpx

    api, auth = management_api(amqp_uri)
    name = f"linli-test-{uuid.uuid4().hex[:10]}"
    for url, body in ((f"{api}/vhosts/{name}", {}),
                      (f"{api}/permissions/{name}/{quote(auth[0], safe='')}",
                       {"configure": ".*", "write": ".*", "read": ".*"})):
        response = httpx.put(url, json=body, auth=auth, timeout=10)
        if response.status_code not in (201, 204):
            raise StartError(f"cannot create RabbitMQ vhost through {api} ({response.status_code}): is the "
                             "rabbitmq_management plugin enabled? (rabbitmq-plugins enable rabbitmq_management)")
    parts = urlparse(amqp_uri)
    return name, urlunparse(parts._replace(path="/" + quote(name, safe="")))


def delete_vhost(amqp_uri: str, name: str) -> None:
    import httpx

    api, auth = management_api(amqp_uri)
    httpx.delete(f"{api}/vhosts/{quote(name, safe='')}", auth=auth, timeout=10)


def grpc_serving(address: str) -> bool:
    with grpc.insecure_channel(address) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
        return reply.status == health_pb2.HealthCheckResponse.SERVING


def queues_consumed(amqp_uri: str, queues: list[str]) -> bool:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        channel = connection.channel()
        for queue in queues:
            if channel.queue_declare(queue, passive=True).method.consumer_count < 1:
                return False
        return True
    finally:
        if connection.is_open:
            connection.close()


def http_ok(url: str) -> bool:
    import httpx

    return httpx.get(url, timeout=1).status_code == 200


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@dataclass
class DevStack:
    """Processes started for one run; stop() ends every one of them, newest first."""

    env: dict[str, str]
    log_dir: Path
    processes: list[Process] = field(default_factory=list)
    vhost: str | None = None

    def isolate_broker(self) -> str:
        """Point this stack at a fresh RabbitMQ vhost (removed again by stop()); returns its AMQP URI."""
        self.vhost, self.env["AMQP_URI"] = create_vhost(self.env["AMQP_URI"])
        return self.env["AMQP_URI"]

    def spawn(self, name: str, argv: list[str], extra_env: dict[str, str] | None = None) -> Process:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{name}.log"
        log = open(log_path, "ab")
        env = {**os.environ, **self.env, **(extra_env or {}), "LINLI_PROCESS_NAME": name, "PYTHONPATH": str(ROOT),
               "PYTHONWARNINGS": "ignore::DeprecationWarning", "PYTHONUNBUFFERED": "1"}
        popen = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        process = Process(name, popen, log_path)
        self.processes.append(process)
        return process

    def start_mongo(self, storage: str, port: int | None = None) -> str:
        """SecantusDB on loopback (its own process: it is GPL and never imported)."""
        port = port or free_port()
        proc = self.spawn("secantusdb", [str(VENV_BIN / "secantusd-py"), "--host", "127.0.0.1", "--port", str(port),
                                         "--storage-path", storage, "--log-level", "WARNING"])
        uri = f"mongodb://127.0.0.1:{port}/"

        def answers() -> bool:
            with pymongo.MongoClient(uri, serverSelectionTimeoutMS=500) as client:
                return bool(client.admin.command("ping"))

        wait_until(answers, 60, "SecantusDB", proc)
        self.env["MONGO_URI"] = uri
        return uri

    def start_api(self, service: str) -> Process:
        proc = self.spawn(f"{service}-api", [sys.executable, "-m", f"services.{service}.api"])
        wait_until(lambda: grpc_serving(self.env[APIS[service]]), 60, f"{service}-api", proc)
        return proc

    def start_workers(self, services: list[str]) -> Process:
        modules = [f"services.{service}.worker" for service in services]
        proc = self.spawn("workers", [sys.executable, "-m", "linli.kit.workers", *modules])
        queues = [queue for service in services for queue in WORKER_QUEUES[service]]
        wait_until(lambda: queues_consumed(self.env["AMQP_URI"], queues), 60, "workers", proc)
        return proc

    def start_gateway(self, extra_env: dict[str, str] | None = None) -> Process:
        """extra_env: settings for the gateway alone (the fault tests point it at proxies of the apis)."""
        proc = self.spawn("gateway", [sys.executable, "-m", "gateway"], extra_env)
        wait_until(lambda: http_ok(self.gateway_url + "/healthz"), 60, "gateway", proc)
        return proc

    @property
    def gateway_url(self) -> str:
        return f"http://{self.env['GATEWAY_HOST']}:{self.env['GATEWAY_PORT']}"

    def stop(self, timeout: float = 15) -> None:
        for proc in reversed(self.processes):
            if proc.popen.poll() is None:
                proc.popen.send_signal(signal.SIGTERM)
            try:
                proc.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.popen.pid, signal.SIGKILL)
                proc.popen.wait()
        self.processes.clear()
        if self.vhost:
            delete_vhost(self.env["AMQP_URI"], self.vhost)
            self.vhost = None


def start_clinic_api(stack: DevStack) -> Process:
    """The clinic api, with development certificates for its partner port made first if there are none,
    from a development CA beside them (var/partner-tls and var/alliance-ca for `linli run`; `linli
    partner-cert --partner ...` issues partners theirs from it)."""
    from linli import partner_ca
    from linli.kit.config import setting

    tls = ROOT / (stack.env.get("CLINIC_PARTNER_TLS_DIR") or setting("CLINIC_PARTNER_TLS_DIR"))
    partner_ca.ensure_server(tls, tls.parent / "alliance-ca")
    return stack.start_api("clinic")


def platform(env: dict[str, str], log_dir: Path, mongo_storage: str | None, mongo_port: int | None = None,
             isolated_broker: bool = False, gateway_env: dict[str, str] | None = None) -> DevStack:
    """Start the whole platform. mongo_storage: where SecantusDB keeps data (":memory:" for tests);
    None when env carries a MONGO_URI to use instead. isolated_broker: use a vhost of its own (tests).
    gateway_env: settings for the gateway alone (tests/chaos: api addresses of fault proxies)."""
    stack = DevStack(dict(env), log_dir)
    try:
        if isolated_broker:
            stack.isolate_broker()
        if mongo_storage is not None:
            stack.start_mongo(mongo_storage, mongo_port)
        stack.start_api("eldercare")
        stack.start_api("volunteer")
        start_clinic_api(stack)
        stack.start_api("employment")
        stack.start_api("notify")
        stack.start_workers(["eldercare", "volunteer", "clinic", "employment", "notify"])
        stack.start_gateway(gateway_env)
    except BaseException:
        stack.stop()
        raise
    return stack
