"""The live operator board: care-request events from RabbitMQ, pushed to browsers as Server-Sent Events.

One pika consumer per gateway process runs in a background thread (pika, not Nameko, outside the
workers) on an exclusive, auto-deleted queue: the board shows what happens from now on; the list
endpoint gives what is already open. Each event is handed to the asyncio loop and fanned out to the
subscribers allowed to see its community.
"""
import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pika
import pika.exceptions
from google.protobuf.json_format import ParseError
from google.protobuf.timestamp_pb2 import Timestamp

from gateway.care_requests import from_event_json, to_rest
from linli.kit.identity import Caller

log = logging.getLogger(__name__)

EXCHANGE = "eldercare.events"
ROUTING_KEY = "care_request.#"
OPENING = ": stream open\n\n"
HEARTBEAT = ": heartbeat\n\n"


@dataclass(eq=False)
class Subscription:
    caller: Caller
    # Frames waiting to be sent; None ends the stream.
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(maxsize=100))

    def end(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)


def _rfc3339(value) -> str | None:
    """Times in the same RFC 3339 UTC form as the REST representation's."""
    timestamp = Timestamp()
    try:
        timestamp.FromJsonString(value)
    except (TypeError, ValueError, AttributeError):
        return None
    return timestamp.ToJsonString()


def sse_frame(envelope: dict) -> str:
    """The SSE frame for one event envelope; ValueError if it is not a care-request event we can show."""
    event_id, event_type = envelope.get("id"), envelope.get("type")
    # Both go on header lines of the frame: a line break in either would forge frames.
    if not all(isinstance(v, str) and v and v.isprintable() for v in (event_id, event_type)):
        raise ValueError("envelope id and type must be printable strings")
    try:
        care_request = to_rest(from_event_json(envelope["data"]["care_request"]))
    except (KeyError, TypeError, ParseError) as error:
        raise ValueError(f"no care_request in data: {error!r}") from None
    data = {"type": event_type, "occurred_at": _rfc3339(envelope.get("occurred_at")), "care_request": care_request}
    return f"id: {event_id}\nevent: {event_type}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


class Board:
    def __init__(
        self,
        amqp_uri: str,
        exchange: str = EXCHANGE,
        routing_key: str = ROUTING_KEY,
        heartbeat_seconds: float = 15.0,
        max_backoff_seconds: float = 30.0,
    ):
        self.amqp_uri = amqp_uri
        self.exchange = exchange
        self.routing_key = routing_key
        self.heartbeat_seconds = heartbeat_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self._subscriptions: set[Subscription] = set()
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- state --------------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True while the queue is bound and consuming."""
        return self._ready.is_set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until the queue is bound (from a thread; in asyncio use asyncio.to_thread)."""
        return self._ready.wait(timeout)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)

    # -- consumer thread ----------------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._stopping.clear()
        self._thread = threading.Thread(target=self._consume_forever, name="board-consumer", daemon=True)
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
                log.warning("board consumer lost RabbitMQ (%r); retrying in %.1fs", error, backoff)
            finally:
                self._ready.clear()
            self._stopping.wait(backoff)
            backoff = min(backoff * 2, self.max_backoff_seconds)

    def _consume(self) -> None:
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
        try:
            channel = connection.channel()
            channel.exchange_declare(self.exchange, exchange_type="topic", durable=True)
            queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
            channel.queue_bind(queue, self.exchange, routing_key=self.routing_key)
            # auto_ack: the board is a live view; a lost frame is refreshed by the next event or a reload.
            channel.basic_consume(queue, self._on_message, auto_ack=True)
            self._ready.set()
            log.info("board consuming %s from exchange %s", self.routing_key, self.exchange)
            while not self._stopping.is_set():
                # Polls so stop() is noticed within a second; also services AMQP heartbeats.
                connection.process_data_events(time_limit=1)
        finally:
            self._ready.clear()
            if connection.is_open:
                connection.close()

    def _on_message(self, channel, method, properties, body: bytes) -> None:
        try:
            envelope = json.loads(body)
        except ValueError:
            log.warning("board dropped a message that is not JSON (routing key %s)", method.routing_key)
            return
        if not isinstance(envelope, dict):
            return
        try:
            self._loop.call_soon_threadsafe(self._fan_out, envelope)
        except RuntimeError:
            pass  # the loop is closed: we are shutting down

    # -- fan-out (on the asyncio loop) --------------------------------------------------------------

    def _fan_out(self, envelope: dict) -> None:
        try:
            frame = sse_frame(envelope)
        except ValueError as error:
            log.warning("board dropped event %s: %s", envelope.get("id"), error)
            return
        community_id = envelope.get("community_id") or ""
        for subscription in list(self._subscriptions):
            if not subscription.caller.serves(community_id):
                continue
            try:
                subscription.queue.put_nowait(frame)
            except asyncio.QueueFull:
                # A subscriber that can't keep up is cut off rather than let memory grow; it reconnects.
                log.warning("board dropped a slow subscriber (%s)", subscription.caller.subject)
                self._subscriptions.discard(subscription)
                subscription.end()

    def close_streams(self) -> None:
        """End every open stream (on shutdown, so they don't hold the server open). Call on the loop."""
        for subscription in list(self._subscriptions):
            self._subscriptions.discard(subscription)
            subscription.end()

    async def stream(self, caller: Caller) -> AsyncIterator[str]:
        """The SSE body for one subscriber: an opening comment at once, then events and heartbeats."""
        subscription = Subscription(caller)
        self._subscriptions.add(subscription)
        try:
            yield OPENING
            while True:
                try:
                    frame = await asyncio.wait_for(subscription.queue.get(), self.heartbeat_seconds)
                except TimeoutError:
                    yield HEARTBEAT
                    continue
                if frame is None:
                    return
                yield frame
        finally:
            self._subscriptions.discard(subscription)
