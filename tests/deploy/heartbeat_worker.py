"""A worker with nothing but a heartbeat, for the probe's test: `python -m linli.kit.workers` runs it."""
import os

from nameko.timer import timer

from linli.kit.heartbeat import Heartbeat


class HeartbeatOnly:
    name = "heartbeat_only"

    heartbeat = Heartbeat(os.environ["LINLI_TEST_HEARTBEAT_FILE"], interval=0.2)

    @timer(interval=3600)  # Nameko runs only classes with an entrypoint; this one needs no broker
    def idle(self):
        pass
