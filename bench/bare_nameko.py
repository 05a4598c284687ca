"""Bare Nameko events: a service whose handler does nothing but note when each event arrived.

    python -m linli.kit.workers bench.bare_nameko      (BARE_NAMEKO_OUT: the file it appends to)

Run by the same launcher as Linli's workers (eventlet, the same Nameko config), so the difference to
Linli's event pipeline is the outbox, the relay and the apply-once transaction, not the runner.
Each line of the file: "<event id> <time.time() on arrival>".
"""
import os
import time

from nameko.events import event_handler
from nameko.rpc import rpc

SOURCE = "bench_bare"
EVENT = "ping"


class BareNamekoService:
    name = "bench_bare_nameko"
    _out = None

    @event_handler(SOURCE, EVENT)
    def arrived(self, event):
        if BareNamekoService._out is None:
            BareNamekoService._out = open(os.environ["BARE_NAMEKO_OUT"], "a", buffering=1)
        BareNamekoService._out.write(f"{event['id']} {time.time():.6f}\n")

    @rpc
    def ready(self) -> bool:
        return True
