"""Starts Linli on one machine: SecantusDB (unless MONGO_URI is set), every service api and worker,
and the gateway, each its own process, with logs under one folder. Used by `make run` and by the
test tiers that need running processes, so both start the platform the same way."""
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote, urlparse, urlunparse

import grpc
import pika
import pymongo
from grpc_health.v1 import health_pb2, health_pb2_grpc

from linli_dev import registry

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


class _WorkerQueues(Mapping):
    """service -> the event queues its worker consumes (linli_dev.registry); a worker is ready once each
    has a consumer. Read from the worker's code on first use, not when this module is imported."""

    def __getitem__(self, name: str) -> list[str]:
        return registry.service(name).worker_queues()

    def __iter__(self):
        return iter(registry.NAMES)

    def __len__(self) -> int:
        return len(registry.NAMES)


WORKER_QUEUES = _WorkerQueues()
APIS = {service.name: service.address_setting for service in registry.SERVICES}


class StartError(RuntimeError):
    pass


# The setting naming each process's metrics port (linli/kit/metrics.py).
METRICS_PORTS = {"gateway": "GATEWAY_METRICS_PORT",
                 **{service.api_process: service.metrics_port_setting for service in registry.SERVICES},
                 "workers": "LINLI_WORKERS_METRICS_PORT", "eldercare-devices": "ELDERCARE_DEVICES_METRICS_PORT"}

# -- the devices' broker: production's configuration, read from the manifests ---------------------------

DEVICE_BROKER_PLUGINS = ("rabbitmq_mqtt", "rabbitmq_auth_backend_http")
DEVICE_QUEUES = ["eldercare.device-presses", "eldercare.device-heartbeats"]
PRODUCTION_RABBITMQ_CONF = ROOT / "deploy/k8s/base/rabbitmq/rabbitmq.conf"
# Keys RabbitMQ renamed between 3.x and 4.x: (4.x key, 3.x key, value in 4.x units -> value in 3.x units).
DEVICE_BROKER_RENAMED_KEYS = [
    ("mqtt.max_session_expiry_interval_seconds", "mqtt.subscription_ttl", lambda seconds: str(int(seconds) * 1000)),
]


def rabbitmq_major_minor() -> tuple[int, int]:
    """The installed RabbitMQ's version, from its package directory (no node needs to run)."""
    import glob
    import re

    for path in sorted(glob.glob("/usr/lib/rabbitmq/lib/rabbitmq_server-*")):
        match = re.search(r"rabbitmq_server-(\d+)\.(\d+)", path)
        if match:
            return int(match[1]), int(match[2])
    raise StartError("rabbitmq-server is not installed (apt-get install rabbitmq-server)")


def device_broker_conf(mqtt_addr: str, auth_addr: str, version: tuple[int, int] | None = None) -> str:
    """The devices' door section of production's rabbitmq.conf, with this machine's addresses: a plain
    MQTT listener on loopback instead of TLS on 8883, the auth calls to the local devices' door."""
    text = PRODUCTION_RABBITMQ_CONF.read_text()
    section = text.split("## >>> devices' door", 1)[1].split("\n", 1)[1].split("## <<< devices' door", 1)[0]
    version = version or rabbitmq_major_minor()
    lines = []
    for line in section.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        if key.startswith("auth_http.") and key.endswith("_path"):
            value = f"http://{auth_addr}" + value.split(":8090", 1)[1]
        elif key == "mqtt.listeners.tcp":
            value = mqtt_addr
            key = "mqtt.listeners.tcp.default"
        elif key.startswith(("mqtt.listeners.ssl", "ssl_options.")):
            continue  # no TLS on loopback
        for new, old, convert in DEVICE_BROKER_RENAMED_KEYS:
            if key == new and version < (3, 13):
                key, value = old, convert(value)
        lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


# Ports handed out by free_port() in this process: never the same one twice.
_HANDED_OUT: set[int] = set()
# RabbitMQ's own ports in the range picked from (management, Prometheus, distribution): never handed out.
# The others `make run` and the machine's brokers use lie below it.
_RABBITMQ_PORTS = {15672, 15692, 25672}


def _ephemeral_range() -> tuple[int, int]:
    """The kernel's range for the local ports of outgoing connections (Linux; the usual default elsewhere)."""
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A TCP port free on loopback now, for a process about to listen on it. Picked below the kernel's
    ephemeral range: a port the kernel hands out (bind to port 0, or the local end of any outgoing
    connection) may be taken by another process before ours binds it, which is how a stack whose ports
    were all "free" failed to start. Below the range only another listener can take it."""
    low = 10000
    high = _ephemeral_range()[0] - 1
    for _ in range(200):
        port = random.randint(low, high)
        if port in _HANDED_OUT or port in _RABBITMQ_PORTS:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    with socket.socket() as s:  # a crowded range: let the kernel choose
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def terminate(popen: subprocess.Popen, timeout: float) -> None:
    """A clean stop (SIGTERM), then SIGKILL to the process's whole group if it has not ended in time."""
    if popen.poll() is None:
        popen.send_signal(signal.SIGTERM)
    try:
        popen.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(popen.pid, signal.SIGKILL)
        popen.wait()


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
        from linli_dev import packages

        installing = not packages.installed("rabbitmq-server")
        try:
            server = packages.ensure("rabbitmq-server")
        except packages.PackageMissing as error:
            raise StartError(f"RabbitMQ does not answer on {amqp_uri}. Set AMQP_URI to a running broker, or: {error}")
        # Debian's package starts the broker it installs (where a service manager runs): give it a moment.
        if not (installing and _answers_within(amqp_uri, 15)):
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


def _answers_within(amqp_uri: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if rabbitmq_answers(amqp_uri):
            return True
        time.sleep(1)
    return False


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
    device_broker: "object | None" = None  # linli_dev.faults.broker.PrivateRabbitMQ, when this stack started one

    # False: each process's metrics port as env says (`make run`); True: a free one each (tests, side by side).
    free_metrics_ports: bool = True

    # ---- metrics (issue 15): each process's Prometheus port; free ones unless told otherwise, so test
    # stacks side by side never collide (`make run` keeps the settings' ports).
    def __post_init__(self) -> None:
        for name in METRICS_PORTS.values():
            if self.free_metrics_ports or name not in self.env:
                self.env[name] = str(free_port())

    def metrics_urls(self) -> dict[str, str]:
        """process -> its /metrics URL."""
        return {process: f"http://127.0.0.1:{self.env[name]}/metrics" for process, name in METRICS_PORTS.items()
                if self.env.get(name, "0") != "0"}
    # ---- end of metrics

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

    def start_api(self, name: str) -> Process:
        service = registry.service(name)
        proc = self.spawn(service.api_process, [sys.executable, "-m", service.api_module])
        wait_until(lambda: grpc_serving(self.env[service.address_setting]), 60, service.api_process, proc)
        return proc

    def start_workers(self, names: list[str]) -> Process:
        modules = [registry.service(name).worker_module for name in names]
        proc = self.spawn("workers", [sys.executable, "-m", "linli.kit.workers", *modules])
        queues = [queue for name in names for queue in WORKER_QUEUES[name]]
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

    # -- the devices' door (call devices over MQTT: docs/devices.md) ---------------------------------------

    def start_device_broker(self, base: Path) -> str:
        """A RabbitMQ node of its own for call devices, configured as production's (device_broker_conf),
        unless ELDERCARE_DEVICE_AMQP_URI names a broker that already is. The machine's broker stays as it
        is: its authentication backends are not Linli's to change. Returns the AMQP URI of the devices' broker."""
        if self.env.get("ELDERCARE_DEVICE_AMQP_URI"):
            return self.env["ELDERCARE_DEVICE_AMQP_URI"]
        from linli_dev.faults.broker import PrivateRabbitMQ

        for name in ("ELDERCARE_MQTT_ADDR", "ELDERCARE_DEVICE_AUTH_ADDR"):
            self.env.setdefault(name, _setting(name))
        broker = PrivateRabbitMQ(base, plugins=DEVICE_BROKER_PLUGINS, name="linli-devices",
                                 conf=device_broker_conf(self.env["ELDERCARE_MQTT_ADDR"],
                                                         self.env["ELDERCARE_DEVICE_AUTH_ADDR"]))
        self.device_broker = broker  # before it starts: stop() stops it even if it never answers
        broker.start()
        self.env["ELDERCARE_DEVICE_AMQP_URI"] = broker.uri
        return broker.uri

    def start_devices(self) -> Process:
        """The devices' door (eldercare-devices): ready once RabbitMQ's auth calls are answered and the
        presses and heartbeats queues have their consumer."""
        proc = self.spawn("eldercare-devices", [sys.executable, "-m", "services.eldercare.devices"])
        uri = self.env.get("ELDERCARE_DEVICE_AMQP_URI") or self.env["AMQP_URI"]
        auth = self.env.get("ELDERCARE_DEVICE_AUTH_ADDR") or _setting("ELDERCARE_DEVICE_AUTH_ADDR")
        wait_until(lambda: http_ok(f"http://{auth}/healthz") and queues_consumed(uri, DEVICE_QUEUES), 60,
                   "eldercare-devices", proc)
        return proc

    def stop(self, timeout: float = 15) -> None:
        for proc in reversed(self.processes):
            terminate(proc.popen, timeout)
        self.processes.clear()
        if self.device_broker is not None:
            self.device_broker.stop()
            self.device_broker = None
        if self.vhost:
            delete_vhost(self.env["AMQP_URI"], self.vhost)
            self.vhost = None


def _setting(name: str) -> str:
    from linli.kit.config import setting

    return setting(name)


# coturn relays for loopback peers alone: every other IPv4 and IPv6 address is a denied peer, so no test
# or development call can send media off this machine through it.
COTURN = "/usr/bin/turnserver"
DENIED_PEERS = ["0.0.0.0-126.255.255.255", "128.0.0.0-255.255.255.255",
                "::2-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]


def ensure_coturn() -> str:
    """Debian's coturn (turnserver), installed with apt-get when missing. Returns its path."""
    if os.path.exists(COTURN):
        return COTURN
    print(f"{COTURN} is missing; installing Debian's coturn", flush=True)
    install = ["apt-get", "install", "-y", "-q", "coturn"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    if subprocess.run(install, **quiet).returncode != 0:  # a fresh machine may not have the package lists yet
        subprocess.run(["apt-get", "update", "-q"], **quiet)
        subprocess.run(install, **quiet)
    if not os.path.exists(COTURN):
        raise StartError(f"calls need coturn ({COTURN}): run `sudo apt-get install -y coturn`")
    return COTURN


def coturn_argv(port: int, secret: str, realm: str, state_dir: Path, relay_ports: tuple[int, int]) -> list[str]:
    """coturn on 127.0.0.1 only, TURN REST credentials (use-auth-secret), loopback peers only."""
    argv = [ensure_coturn(), "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
            f"--listening-port={port}", f"--min-port={relay_ports[0]}", f"--max-port={relay_ports[1]}",
            "--use-auth-secret", f"--static-auth-secret={secret}", f"--realm={realm}",
            "--allow-loopback-peers", "--no-multicast-peers", "--fingerprint", "--no-cli", "--no-tls", "--no-dtls",
            "--log-file=stdout", "--simple-log", f"--pidfile={state_dir / 'turnserver.pid'}",
            f"--userdb={state_dir / 'turndb'}", "--no-software-attribute"]
    return argv + [f"--denied-peer-ip={peers}" for peers in DENIED_PEERS]


def tcp_listening(host: str, port: int) -> bool:
    with socket.create_connection((host, port), timeout=1):
        return True


def start_coturn(stack: DevStack, port: int | None = None) -> Process:
    """coturn for the calls, its secret shared with the gateway through the stack's settings (one made up
    when LINLI_TURN_SECRET is empty). port None: a free one (tests), and relay ports from a free range."""
    import secrets

    from linli.kit.config import setting

    port = port or free_port()
    if not stack.env.get("LINLI_TURN_SECRET"):
        stack.env["LINLI_TURN_SECRET"] = secrets.token_urlsafe(32)
    realm = stack.env.get("LINLI_TURN_REALM") or setting("LINLI_TURN_REALM")
    stack.env["LINLI_TURN_URLS"] = f"turn:127.0.0.1:{port}?transport=udp,turn:127.0.0.1:{port}?transport=tcp"
    state_dir = stack.log_dir / f"coturn-{port}"
    state_dir.mkdir(parents=True, exist_ok=True)
    # 200 relay ports from a range picked by the listening port, so stacks side by side rarely share one
    # (coturn skips a port in use anyway).
    low = 50000 + (port % 70) * 200
    proc = stack.spawn("coturn", coturn_argv(port, stack.env["LINLI_TURN_SECRET"], realm, state_dir,
                                             (low, low + 199)))
    wait_until(lambda: tcp_listening("127.0.0.1", port), 30, "coturn", proc)
    return proc


def start_clinic_api(stack: DevStack) -> Process:
    """The clinic api, with development certificates for its partner port made first if there are none,
    from a development CA beside them (var/partner-tls and var/alliance-ca for `linli run`; `linli
    partner-cert --partner ...` issues partners theirs from it)."""
    from linli_dev import partner_ca
    from linli.kit.config import setting

    tls = ROOT / (stack.env.get("CLINIC_PARTNER_TLS_DIR") or setting("CLINIC_PARTNER_TLS_DIR"))
    partner_ca.ensure_server(tls, tls.parent / "alliance-ca")
    return stack.start_api("clinic")


def platform(env: dict[str, str], log_dir: Path, mongo_storage: str | None, mongo_port: int | None = None,
             isolated_broker: bool = False, gateway_env: dict[str, str] | None = None,
             free_metrics_ports: bool = True, turn_port: int | None = None) -> DevStack:
    """Start the whole platform. mongo_storage: where SecantusDB keeps data (":memory:" for tests);
    None when env carries a MONGO_URI to use instead. isolated_broker: use a vhost of its own (tests).
    gateway_env: settings for the gateway alone (tests/chaos: api addresses of fault proxies).
    turn_port: coturn's port (`make run`: 3478); None picks a free one."""
    stack = DevStack(dict(env), log_dir, free_metrics_ports=free_metrics_ports)
    device_broker = None
    try:
        if isolated_broker:
            stack.isolate_broker()
        # The devices' broker (a RabbitMQ node, ~10 s to boot) comes up while the apis start.
        # Its data: var/devices-broker for `make run` (kept, as a broker's is), else beside this run's logs.
        base = ROOT / "var" / "devices-broker" if log_dir == ROOT / "var" / "log" else log_dir / "devices-broker"
        device_broker = ThreadPoolExecutor(1).submit(stack.start_device_broker, base)
        if mongo_storage is not None:
            stack.start_mongo(mongo_storage, mongo_port)
        for service in registry.SERVICES:
            if service.name == "clinic":  # its partner port needs certificates first
                start_clinic_api(stack)
            else:
                stack.start_api(service.name)
            if service.name == "eldercare":  # the devices' door sends presses to the eldercare api
                device_broker.result()
                stack.start_devices()
        stack.start_workers(list(registry.NAMES))
        start_coturn(stack, turn_port)
        stack.start_gateway(gateway_env)
    except BaseException:
        if device_broker is not None:  # let a node still booting finish, so stop() stops it too
            try:
                device_broker.result(timeout=120)
            except BaseException:
                pass
        stack.stop()
        raise
    return stack
