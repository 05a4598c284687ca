"""A live feed from RabbitMQ into the gateway's asyncio loop: one pika consumer in a thread of its own (pika,
not Nameko, outside the workers) on an exclusive, auto-deleted queue bound to the routing keys it is given.
Each message that is a JSON object is handed to a callback on the loop, which fans it out to the streams
that want it. Live only (auto_ack): what a dropped connection missed is for the subscriber to fetch. A lost
broker is retried with backoff. The board (gateway/board.py) and the signalling relay (gateway/rooms.py)
each run one."""
import asyncio
import json
import logging
import threading
from collections.abc import Callable

import pika
import pika.exceptions

log = logging.getLogger(__name__)


class LiveFeed:
    def __init__(self, name: str, amqp_uri: str, bindings: list[tuple[str, str]], deliver: Callable[[dict], None],
                 max_backoff_seconds: float = 30.0):
        """bindings: (topic exchange, routing key) pairs; deliver: called on the loop with each message."""
        self.name = name
        self.amqp_uri = amqp_uri
        self.bindings = bindings
        self.deliver = deliver
        self.max_backoff_seconds = max_backoff_seconds
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def connected(self) -> bool:
        """True while the queue is bound and consuming."""
        return self._ready.is_set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until the queue is bound (from a thread; in asyncio use asyncio.to_thread)."""
        return self._ready.wait(timeout)

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._stopping.clear()
        self._thread = threading.Thread(target=self._consume_forever, name=f"{self.name}-consumer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop consuming (blocks up to timeout; call through asyncio.to_thread from the loop)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _consume_forever(self) -> None:
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                self._consume()
                backoff = 0.5
            except (pika.exceptions.AMQPError, OSError) as error:
                log.warning("%s consumer lost RabbitMQ (%r); retrying in %.1fs", self.name, error, backoff)
            finally:
                self._ready.clear()
            self._stopping.wait(backoff)
            backoff = min(backoff * 2, self.max_backoff_seconds)

    def _consume(self) -> None:
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
        try:
            channel = connection.channel()
            queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
            for exchange in dict.fromkeys(exchange for exchange, _ in self.bindings):
                channel.exchange_declare(exchange, exchange_type="topic", durable=True)
            for exchange, routing_key in self.bindings:
                channel.queue_bind(queue, exchange, routing_key=routing_key)
            channel.basic_consume(queue, self._on_message, auto_ack=True)
            self._ready.set()
            log.info("%s consuming %s", self.name, ", ".join(f"{e} {k}" for e, k in self.bindings))
            while not self._stopping.is_set():
                # Polls so stop() is noticed within a second; also services AMQP heartbeats.
                connection.process_data_events(time_limit=1)
        finally:
            self._ready.clear()
            if connection.is_open:
                connection.close()

    def _on_message(self, channel, method, properties, body: bytes) -> None:
        try:
            message = json.loads(body)
        except ValueError:
            log.warning("%s dropped a message that is not JSON (routing key %s)", self.name, method.routing_key)
            return
        if not isinstance(message, dict):
            return
        try:
            self._loop.call_soon_threadsafe(self.deliver, message)
        except RuntimeError:
            pass  # the loop is closed: shutting down
