"""A private RabbitMQ node for the fault tests: its own node name, ports and data directory, on loopback,
so "RabbitMQ stopped and restarted" never touches the machine's shared broker. Its data survives a
stop, as a real broker's does (durable queues, persistent messages).

Needs the rabbitmq-server package (its scripts under /usr/lib/rabbitmq/bin) and no management plugin.
"""
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pika

from linli_dev.devstack import StartError, free_port, terminate

SCRIPTS = Path("/usr/lib/rabbitmq/bin")


def available() -> bool:
    return (SCRIPTS / "rabbitmq-server").exists() or shutil.which("rabbitmq-server") is not None


class PrivateRabbitMQ:
    def __init__(self, base: Path, port: int | None = None, plugins: tuple[str, ...] = (), conf: str = "",
                 name: str = "linli-chaos", home: Path | None = None):
        """plugins, conf: plugins to enable and rabbitmq.conf lines beside the listener (the devices'
        broker of linli_dev.devstack); name: the node name's prefix; home: a HOME holding the .erlang.cookie
        (a cluster's nodes share one; by default the user's)."""
        self.base = base
        self.home = home
        self.plugins = plugins
        self.conf = conf
        self.port = port or free_port()
        self.dist_port = free_port()
        self.name = name
        self.node = f"{name}-{self.port}@localhost"
        self.popen: subprocess.Popen | None = None
        self.booted = False

    @property
    def uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def _env(self) -> dict[str, str]:
        self.base.mkdir(parents=True, exist_ok=True)
        (self.base / "enabled_plugins").write_text(f"[{','.join(self.plugins)}].\n")
        (self.base / "rabbitmq-env.conf").write_text("ERL_EPMD_ADDRESS=127.0.0.1\n")
        (self.base / "rabbitmq.conf").write_text(f"listeners.tcp.1 = 127.0.0.1:{self.port}\n{self.conf}")
        return {
            **os.environ,
            "RABBITMQ_NODENAME": self.node, "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port), "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.base / "mnesia"), "RABBITMQ_LOG_BASE": str(self.base / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.base / "enabled_plugins"),
            "RABBITMQ_CONF_ENV_FILE": str(self.base / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(self.base / "rabbitmq"),
            "RABBITMQ_PID_FILE": str(self.base / "rabbitmq.pid"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "ERL_CRASH_DUMP": str(self.base / "erl_crash.dump"),  # not in whatever directory started it
            "ERL_FLAGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            **({"HOME": str(self.home)} if self.home else {}),
        }

    def ctl(self, *args: str, timeout: float = 60, tool: str = "rabbitmqctl") -> str:
        """rabbitmqctl (or rabbitmq-queues, ...) against this node (with its cookie); raises on failure."""
        # The packaged rabbitmqctl runs as the rabbitmq user (its own HOME): the cookie goes on the command line.
        cookie = ["--erlang-cookie", (self.home / ".erlang.cookie").read_text()] if self.home else []
        result = subprocess.run([tool, "-n", self.node, *cookie, *args], capture_output=True, text=True,
                                timeout=timeout)
        if result.returncode != 0:
            raise StartError(f"rabbitmqctl {' '.join(args)} on {self.node}: {result.stderr.strip()[-1500:]}")
        return result.stdout

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def answers(self) -> bool:
        try:
            params = pika.URLParameters(self.uri)
            params.socket_timeout = params.blocked_connection_timeout = 2
            params.connection_attempts = 1
            pika.BlockingConnection(params).close()
            return True
        except Exception:  # refused, reset, or something else's listener that never speaks AMQP
            return False

    def start(self, timeout: float = 90) -> "PrivateRabbitMQ":
        """Boot the node and wait until it accepts AMQP connections. Its first boot is tried twice: the
        ports were free when picked, but another process may take one before the node binds it, and a node
        that cannot bind a listener never answers. The second try takes fresh ports and a fresh node name.
        A restart keeps the ports clients know."""
        first_boot = not self.booted
        try:
            self._boot(min(timeout, 60) if first_boot else timeout)
        except StartError as failure:
            if not first_boot:
                raise
            self.kill()
            (self.base / "server.log").rename(self.base / f"server-{self.node}.log")
            self.port, self.dist_port = free_port(), free_port()
            self.node = f"{self.name}-{self.port}@localhost"
            try:
                self._boot(timeout)
            except StartError as again:
                raise StartError(f"{again}\n(an earlier try: {failure})") from None
        self.booted = True
        return self

    def _boot(self, timeout: float) -> None:
        script = SCRIPTS / "rabbitmq-server"
        server = str(script) if script.exists() else shutil.which("rabbitmq-server")
        if not server:
            raise StartError("the fault tests need rabbitmq-server installed (apt-get install rabbitmq-server)")
        env = self._env()
        log = open(self.base / "server.log", "ab")
        self.popen = subprocess.Popen([server], env=env, stdout=log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.popen.poll() is not None or time.monotonic() > deadline:
                why = (f"exited with code {self.popen.returncode}" if self.popen.poll() is not None
                       else f"not ready after {timeout:.0f}s")
                raise StartError(f"private RabbitMQ {self.node} {why}; its logs:\n{self.log_tail()}")
            time.sleep(0.2)

    def log_tail(self, lines: int = 25) -> str:
        """The last lines of the server script's output and of the node's own log, for a failure's report."""
        tails = []
        for path in (self.base / "server.log", self.base / "log" / f"{self.node}.log"):
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                tails.append(f"--- {path}\n" + "\n".join(text))
        return "\n".join(tails) or "(no log written)"

    def kill(self) -> None:
        """SIGKILL the node (its server script and the Erlang VM): a crash, no clean-up."""
        if self.running:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def pause(self) -> None:
        """SIGSTOP the node: its sockets stay open and nothing answers, to peers or clients alike."""
        os.killpg(self.popen.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.killpg(self.popen.pid, signal.SIGCONT)

    def stop(self, timeout: float = 60) -> None:
        """A clean stop (SIGTERM: the server script stops the node), as an operator's restart does."""
        if self.popen is not None:
            terminate(self.popen, timeout)


class PrivateRabbitMQCluster:
    """Three private nodes on loopback clustered together, as production runs RabbitMQ: each its own node
    name, AMQP and distribution ports and data directory, sharing a private Erlang cookie (a HOME of their
    own), joined with `rabbitmqctl join_cluster`. pause_minority: a node cut off from the other two stops
    serving rather than diverge (what a 3-node production cluster is configured with)."""

    def __init__(self, base: Path, size: int = 3):
        self.base = base
        home = base / "home"
        home.mkdir(parents=True, exist_ok=True)
        cookie = home / ".erlang.cookie"
        if not cookie.exists():
            cookie.write_text(os.urandom(16).hex())
            cookie.chmod(0o400)
        self.nodes = [PrivateRabbitMQ(base / f"node{n}", name=f"linli-cluster{n}", home=home,
                                      conf="cluster_partition_handling = pause_minority\n") for n in range(size)]

    def start(self, timeout: float = 300) -> "PrivateRabbitMQCluster":
        first, *others = self.nodes
        first.start(timeout)
        for node in others:
            node.start(timeout)
            node.ctl("stop_app")
            node.ctl("join_cluster", first.node)
            node.ctl("start_app")
        wait_until(lambda: all(n.node in self.running_nodes() for n in self.nodes), timeout, "the cluster to form")
        return self

    def running_nodes(self) -> str:
        """The cluster's running nodes as one live node sees them (rabbitmqctl cluster_status)."""
        for node in self.nodes:
            if node.running:
                try:
                    status = node.ctl("cluster_status", "--formatter", "json", timeout=20)
                except (StartError, subprocess.TimeoutExpired):
                    continue
                return " ".join(json.loads(status).get("running_nodes", []))
        return ""

    def live(self) -> PrivateRabbitMQ:
        return next(n for n in self.nodes if n.running)

    def restart(self, node: PrivateRabbitMQ, timeout: float = 300) -> None:
        """Start a stopped or killed node again on its data; it rejoins the cluster by itself."""
        node.start(timeout)
        wait_until(lambda: node.node in self.running_nodes(), timeout, f"{node.node} to rejoin")

    def quorum_safe_to_stop(self, node: PrivateRabbitMQ) -> bool:
        """No quorum queue would lose its majority if node stopped (what an operator checks before each step
        of a rolling restart)."""
        try:
            node.ctl("check_if_node_is_quorum_critical", tool="rabbitmq-queues", timeout=30)
            return True
        except (StartError, subprocess.TimeoutExpired):
            return False

    def leading_most(self) -> PrivateRabbitMQ:
        """The node that leads the most quorum queues."""
        leaders = list(self.queue_leaders().values())
        return max((n for n in self.nodes if n.running), key=lambda n: leaders.count(n.node))

    def leading_fewest(self) -> PrivateRabbitMQ:
        leaders = list(self.queue_leaders().values())
        return min((n for n in self.nodes if n.running), key=lambda n: leaders.count(n.node))

    def queue_leaders(self) -> dict[str, str]:
        """Every quorum queue with the node that leads it."""
        out = self.live().ctl("list_queues", "-q", "--no-table-headers", "name", "leader", timeout=30)
        leaders = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2:
                leaders[parts[0]] = parts[1]
        return leaders

    def stop(self) -> None:
        for node in self.nodes:
            if node.popen is not None and node.popen.poll() is None:
                try:
                    node.resume()
                except ProcessLookupError:
                    pass
        for node in reversed(self.nodes):
            node.stop()
