"""A private RabbitMQ node for the fault tests: its own node name, ports and data directory, on loopback,
so "RabbitMQ stopped and restarted" never touches the machine's shared broker. Its data survives a
stop, as a real broker's does (durable queues, persistent messages).

Needs the rabbitmq-server package (its scripts under /usr/lib/rabbitmq/bin) and no management plugin.
"""
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pika

from linli_dev.devstack import StartError, free_port

SCRIPTS = Path("/usr/lib/rabbitmq/bin")


def available() -> bool:
    return (SCRIPTS / "rabbitmq-server").exists() or shutil.which("rabbitmq-server") is not None


class PrivateRabbitMQ:
    def __init__(self, base: Path, port: int | None = None, plugins: tuple[str, ...] = (), conf: str = "",
                 name: str = "linli-chaos"):
        """plugins, conf: plugins to enable and rabbitmq.conf lines beside the listener (the devices'
        broker of linli_dev.devstack); name: the node name's prefix."""
        self.base = base
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
        }

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
        """SIGKILL to the node's whole process group, as a crash."""
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def stop(self, timeout: float = 60) -> None:
        """A clean stop (SIGTERM: the server script stops the node), as an operator's restart does."""
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
