"""A worker's liveness: a file touched every few seconds from inside the running Nameko container.

    class EldercareWorker:
        name = "eldercare"
        heartbeat = Heartbeat()

`python -m linli.kit.probe heartbeat` (the worker's Kubernetes probe) fails once the file is stale.
The beat runs as one of the container's managed green threads, so it stops when the event loop is
blocked (a handler that never yields), when the container dies, or when the process hangs: the cases a
restart cures. A broker outage does not stop it, on purpose: Nameko reconnects by itself, and
restarting every worker while RabbitMQ is down would only add load when it comes back.
"""
import logging
import os
from pathlib import Path

import eventlet
from nameko.extensions import DependencyProvider

from linli.kit.probe import HEARTBEAT_FILE, HEARTBEAT_SECONDS

log = logging.getLogger(__name__)


def touch(path: Path) -> None:
    path.touch()
    os.utime(path)  # touch() on an existing file may keep the mtime on some filesystems


class Heartbeat(DependencyProvider):
    def __init__(self, path: str | Path = HEARTBEAT_FILE, interval: float = HEARTBEAT_SECONDS):
        self.path = Path(path)
        self.interval = interval
        self.running = False

    def start(self):
        self.running = True
        self.container.spawn_managed_thread(self._beat, identifier="linli.heartbeat")

    def stop(self):
        # Stop beating as the container stops, so a worker that hangs while stopping is seen as dead.
        self.running = False

    def _beat(self):
        while self.running:
            try:
                touch(self.path)
            except OSError as error:  # a full or read-only disk: say so, and let the probe fail
                log.error("cannot touch heartbeat file %s: %s", self.path, error)
            eventlet.sleep(self.interval)

    def get_dependency(self, worker_ctx):
        return None
