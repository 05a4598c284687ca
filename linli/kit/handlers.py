"""Event handlers that never lose an event and never let one bad event block the others.

    from linli.kit.handlers import event_handler

    @event_handler("eldercare", "care_request.raised")                     # drop-in for Nameko's
    @event_handler("eldercare", "care_request.raised", urgent_first=True)  # + emergencies jump the queue

Nameko's own `event_handler` acks a message whose handler raised, so the event is lost. This one:

- acks only once the handler returned, i.e. after its transaction committed (apply_once);
- on failure, moves the event to the handler's retry queue `<queue>.retry` with a per-message TTL
  (the delays of LINLI_EVENT_RETRY_SECONDS, one per attempt); when the TTL runs out RabbitMQ
  dead-letters it back to the handler's queue. The attempt count travels in the `x-linli-attempts` header;
- after the last retry, moves it to the handler's dead-letter queue `<queue>.dead`, with the error, for
  `linli dead-letters list|show|replay|drop`;
- a body that cannot even be decoded goes to the dead-letter queue at once.

The failing event leaves the handler's queue straight away (the retry queue holds it while it waits), so
a poison message never blocks the events behind it. Moving it is publish-then-ack: a crash in between
leaves two copies, which the handler's apply_once absorbs.

RabbitMQ expires per-message TTLs only at the head of a queue, so a retry may wait behind a longer one in
front of it: at most the longest delay. Retry queues work the same with quorum queues (RabbitMQ 3.10+).

`urgent_first=True` gives the handler a lane for urgent events: besides its routine queue (every event of
its type), an urgent queue that gets only the events the outbox relay marked urgent (priority URGENT or
EMERGENCY, linli.kit.events; header linli-lane), through a headers exchange `<source>.events.urgent`
bound to the service's event exchange. The handler consumes both; the urgent queue is nearly always empty,
so an emergency is delivered at once however long the routine backlog. An urgent event also reaches the
routine queue; whichever copy comes second is a no-op (apply_once). Nothing depends on the broker's
version or the queue type: LINLI_EVENT_QUEUE_TYPE declares both queues classic or quorum. A failed urgent
event is retried through the routine queue's retry queue (its copy there is not urgent any more).
"""
import datetime as dt
import logging
import traceback

import eventlet
from kombu import Exchange, Queue
from nameko import config
from nameko.amqp.publish import get_producer
from nameko.events import SERVICE_POOL
from nameko.events import EventHandler as NamekoEventHandler
from nameko.standalone.events import get_event_exchange

from linli.kit import metrics
from linli.kit.config import setting
from linli.kit.letters import (ATTEMPTS, DEAD_SUFFIX, ERROR, EVENT_TYPE, FAILED_AT, LANE, ORIGIN, QUEUE,
                               RETRY_SUFFIX, ROUTINE_SUFFIX, URGENT_SUFFIX)

log = logging.getLogger(__name__)

# Dropped when an event is moved: RabbitMQ's own dead-lettering history grows on every round trip.
_NOT_COPIED = ("x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason",
               "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason")


def retry_delays() -> list[float]:
    """Seconds to wait before each retry (Nameko config key LINLI_EVENT_RETRY_SECONDS wins over the env)."""
    value = config.get("LINLI_EVENT_RETRY_SECONDS") or setting("LINLI_EVENT_RETRY_SECONDS")
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, (list, tuple)):
        return [float(v) for v in value]
    return [float(v) for v in str(value).split(",") if v.strip()]


def queue_name(source: str, event_type: str, service: str, method: str, urgent_first: bool = False) -> str:
    """Nameko's name for a service-pool handler's queue; an urgent-first handler's routine queue has its own."""
    name = f"evt-{source}-{event_type}--{service}.{method}"
    return name + ROUTINE_SUFFIX if urgent_first else name


def urgent_queue_name(source: str, event_type: str, service: str, method: str) -> str:
    return f"evt-{source}-{event_type}--{service}.{method}" + URGENT_SUFFIX


def urgent_exchange(source: str) -> Exchange:
    """Where a service's urgent events are sorted out by type, for the urgent queues."""
    return Exchange(f"{source}.events.urgent", type="headers", durable=True)


def lane_queue_arguments() -> dict:
    kind = config.get("LINLI_EVENT_QUEUE_TYPE") or setting("LINLI_EVENT_QUEUE_TYPE")
    if kind not in ("classic", "quorum"):
        raise ValueError(f"LINLI_EVENT_QUEUE_TYPE must be classic or quorum, not {kind!r}")
    return {"x-queue-type": kind}


def side_queues(main: str) -> tuple[Queue, Queue]:
    """The retry queue (TTL'd messages dead-letter back to main) and the dead-letter queue of a handler."""
    default = Exchange("")  # every queue is reachable by name through the default exchange
    retry = Queue(main + RETRY_SUFFIX, exchange=default, routing_key=main + RETRY_SUFFIX, durable=True,
                  queue_arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": main})
    dead = Queue(main + DEAD_SUFFIX, exchange=default, routing_key=main + DEAD_SUFFIX, durable=True)
    return retry, dead


# Every dead-letter queue a handler in this process declared (name -> broker), for the depth gauge.
_DEAD_QUEUES: dict[str, str] = {}


def _dead_letter_depths():
    for name, amqp_uri in sorted(_DEAD_QUEUES.items()):
        with get_producer(amqp_uri, confirms=False) as producer:
            _, messages, _ = producer.channel.queue_declare(queue=name, passive=True)
        yield messages, {"queue": name}


metrics.observe("linli_dead_letter_messages", _dead_letter_depths,
                description="Events waiting in a handler's dead-letter queue (`linli dead-letters`), read from "
                            "the broker when Prometheus scrapes.")


def _one_line(exc_info) -> str:
    text = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip().replace("\n", " ")
    return text[:1000]


class EventHandler(NamekoEventHandler):
    """Nameko's service-pool event handler with bounded retries, a dead-letter queue and, optionally,
    a priority queue. Use through `event_handler` below."""

    def __init__(self, source_service, event_type, *, urgent_first: bool = False, **kwargs):
        if kwargs.get("handler_type", SERVICE_POOL) != SERVICE_POOL:
            raise ValueError("linli.kit.handlers.event_handler supports service-pool handlers only")
        kwargs.pop("requeue_on_error", None)  # failures go to the retry queue instead
        kwargs.pop("reliable_delivery", None)  # always: durable queues that outlive the worker
        super().__init__(source_service, event_type, reliable_delivery=True, **kwargs)
        self.urgent_first = urgent_first

    def setup(self):
        source, service, method = self.source_service, self.container.service_name, self.method_name
        name = queue_name(source, self.event_type, service, method, self.urgent_first)
        arguments = lane_queue_arguments() if self.urgent_first else None
        self.queue = Queue(name, exchange=get_event_exchange(source), routing_key=self.event_type, durable=True,
                           queue_arguments=arguments)
        self.retry_queue, self.dead_queue = side_queues(name)
        # A body that cannot be decoded never reaches the handler: straight to the dead letters.
        self.consumer_options["on_decode_error"] = self._undecodable
        # Skip NamekoEventHandler.setup (it would build Nameko's own queue); keep the consumer's.
        super(NamekoEventHandler, self).setup()
        for queue in (self.retry_queue, self.dead_queue):
            self._publish(b"", queue, declare_only=True)
        _DEAD_QUEUES[self.dead_queue.name] = self.amqp_uri
        if self.urgent_first:
            urgent = Queue(urgent_queue_name(source, self.event_type, service, method),
                           exchange=urgent_exchange(source), routing_key="", durable=True, queue_arguments=arguments,
                           binding_arguments={"x-match": "all", LANE: "urgent", EVENT_TYPE: self.event_type})
            with get_producer(self.amqp_uri, confirms=True) as producer:
                channel = producer.channel
                get_event_exchange(source)(channel).declare()
                urgent.exchange(channel).declare()
                urgent.exchange(channel).bind_to(get_event_exchange(source), routing_key="#")
            # One consumer on both queues: each gets its own prefetch window, so the urgent one is never
            # stuck behind routine messages already prefetched.
            self.consumer.queues = [urgent, self.queue]
        self._labels = {"service": self.container.service_name, "handler": self.method_name}

    def _count(self, outcome: str) -> None:
        metrics.EVENTS_HANDLED.add(1, {**self._labels, "outcome": outcome})

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.consumer.ack_message(message)
            self._count("applied")
            return
        attempts = int((message.headers or {}).get(ATTEMPTS) or 0) + 1
        delays = retry_delays()
        error = _one_line(exc_info)
        try:
            if attempts <= len(delays):
                self._move(message, self.retry_queue, attempts, error, expiration=delays[attempts - 1])
                self._count("retried")
                log.warning("%s failed on event %s (attempt %d): %s; retrying in %.1fs", self.queue.name,
                            message.properties.get("message_id"), attempts, error, delays[attempts - 1])
            else:
                self._move(message, self.dead_queue, attempts, error)
                self._count("dead_lettered")
                log.error("%s failed on event %s %d times: %s; moved to %s", self.queue.name,
                          message.properties.get("message_id"), attempts, error, self.dead_queue.name)
        except Exception:
            # The broker would not take the copy (it is probably going away): leave the event where it is.
            log.exception("%s: could not move failed event %s; requeued", self.queue.name,
                          message.properties.get("message_id"))
            eventlet.sleep(1)  # not a hot loop if the broker keeps refusing
            self.consumer.requeue_message(message)
            return
        self.consumer.ack_message(message)

    def _undecodable(self, message, exc):
        log.error("%s: undecodable message %s (%s); moved to %s", self.queue.name,
                  message.properties.get("message_id"), exc, self.dead_queue.name)
        try:
            self._move(message, self.dead_queue, 1, f"cannot decode: {exc}"[:1000])
            self._count("dead_lettered")
        except Exception:
            log.exception("%s: could not dead-letter an undecodable message; requeued", self.queue.name)
            eventlet.sleep(1)
            message.requeue()
            return
        message.ack()

    def _move(self, message, queue: Queue, attempts: int, error: str, expiration: float | None = None) -> None:
        headers = {k: v for k, v in (message.headers or {}).items() if k not in _NOT_COPIED}
        info = message.delivery_info or {}
        headers.setdefault(ORIGIN, f"{info.get('exchange', '')} {info.get('routing_key', '')}")
        headers.update({ATTEMPTS: attempts, QUEUE: self.queue.name, ERROR: error,
                        FAILED_AT: dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")})
        properties = message.properties or {}
        self._publish(message.body, queue, headers=headers, expiration=expiration,
                      content_type=message.content_type or "application/octet-stream",
                      content_encoding=message.content_encoding or "binary",
                      priority=properties.get("priority") or 0, message_id=properties.get("message_id"))

    def _publish(self, body, queue: Queue, *, declare_only=False, **options) -> None:
        """Publish with confirms on a pooled connection of its own (never the consumer's channel)."""
        with get_producer(self.amqp_uri, confirms=True) as producer:
            if declare_only:
                queue(producer.channel).declare()
                return
            producer.publish(body, exchange="", routing_key=queue.name, declare=[queue], delivery_mode=2,
                             retry=True, retry_policy={"max_retries": 3}, **options)


event_handler = EventHandler.decorator
