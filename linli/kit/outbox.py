"""Transactional outbox: an event is written in the same MongoDB transaction as the change it reports,
and a relay publishes it to RabbitMQ afterwards, in Nameko's event format, with publisher confirms.

So an event is never published for a change that did not commit, and never lost for one that did: if
the broker or the relay is down, records wait in the outbox until the relay can publish them. A crash
between publish and mark-as-sent publishes a record twice; consumers apply events once (consumer.py).
"""
import functools
import json
import logging
import threading
import time
import uuid
import weakref
from datetime import timedelta
from typing import Callable

import pika
import pymongo
from opentelemetry import context, propagate, trace
from pymongo.client_session import ClientSession

from linli.kit import metrics
from linli.kit.config import setting
from linli.kit.events import URGENT, exchange_name
from linli.kit.letters import EVENT_TYPE, LANE
from linli.kit.mongo import Index, after_commit, is_duplicate_key, utcnow

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)

OUTBOX = "outbox"
LEASES = "outbox_lease"
SENT_RETENTION = timedelta(days=7)

INDEXES = [
    Index(OUTBOX, [("sent_at", 1), ("created_at", 1)]),
    # What the relay reads: unsent records, most urgent first, then in commit order.
    Index(OUTBOX, [("sent_at", 1), ("priority", -1), ("created_at", 1), ("_id", 1)]),
    # Sent records are kept a week for inspection, then removed; unsent ones (sent_at null) never expire.
    Index(OUTBOX, [("sent_at", 1)], {"expireAfterSeconds": int(SENT_RETENTION.total_seconds())}),
]


def add(db, session: ClientSession, envelope: dict) -> None:
    """Record an event inside the caller's transaction, with the current trace context and the envelope's
    priority (linli.kit.events: the relay publishes urgent records first, with that AMQP priority)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    db[OUTBOX].insert_one(
        {
            "_id": envelope["id"],
            "exchange": exchange_name(envelope["source"]),
            "routing_key": envelope["type"],
            "body": envelope,
            "trace": carrier,
            "priority": int(envelope.get("priority") or 0),
            "created_at": utcnow(),
            "sent_at": None,
        },
        session=session,
    )
    after_commit(session, _waker(db.name))


def wake_relays(database: str) -> None:
    """Publish now rather than at the next poll: wakes every relay this process runs over the database.
    Called once a transaction that wrote events commits (add() asks the transaction for it)."""
    for relay in list(_RELAYS):
        if relay.db.name == database:
            relay.wake()


@functools.cache
def _waker(database: str) -> Callable[[], None]:
    """One callable per database, so a transaction that writes many events wakes its relays once."""
    return lambda: wake_relays(database)


# Relays running in this process, for the backlog gauges read when Prometheus scrapes.
_RELAYS: "weakref.WeakSet[OutboxRelay]" = weakref.WeakSet()


def _backlogs():
    for relay in list(_RELAYS):
        yield relay.db[OUTBOX].count_documents({"sent_at": None}), {"service": relay.service}


def _oldest_unsent_ages():
    for relay in list(_RELAYS):
        oldest = relay.db[OUTBOX].find_one({"sent_at": None}, sort=[("sent_at", 1), ("created_at", 1)],
                                           projection={"created_at": 1})
        age = (utcnow() - oldest["created_at"]).total_seconds() if oldest else 0.0
        yield max(age, 0.0), {"service": relay.service}


metrics.observe("linli_outbox_backlog", _backlogs,
                description="Events committed to a service's outbox and not yet published (every replica "
                            "reports its database's: take the max per service).")
metrics.observe("linli_outbox_oldest_unsent_age", _oldest_unsent_ages, unit="s",
                description="Age of the oldest event a service's outbox has not yet published; 0 when none waits.")


class OutboxRelay:
    """Publishes one database's outbox. Many replicas may run one; a lease lets only one publish."""

    def __init__(self, db, amqp_uri: str, *, poll_seconds: float = 0.5, batch_size: int = 100,
                 lease_seconds: float = 10.0):
        self.db = db
        self.amqp_uri = amqp_uri
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.lease = timedelta(seconds=lease_seconds)
        self.holder = f"relay-{uuid.uuid4()}"
        self._lease_fresh_until = 0.0  # time.monotonic() until which the lease held needs no renewal
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection: pika.BlockingConnection | None = None
        self._channel = None
        self._declared: set[str] = set()
        self.service = db.name.removeprefix(setting("MONGO_DB_PREFIX"))
        self._labels = {"service": self.service}

    def wake(self) -> None:
        """Publish now rather than at the next poll (wake_relays calls it after a commit that wrote events)."""
        self._wake.set()

    def hold_lease(self) -> bool:
        """Take or renew the lease. A lease taken less than half its time ago is held without a write: no
        other relay may take it before it runs out, and one database write less per wake-up is a few
        milliseconds less between a commit and its publish (docs/performance.md)."""
        started = time.monotonic()
        if started < self._lease_fresh_until:
            return True
        now = utcnow()
        try:
            self.db[LEASES].find_one_and_update(
                {"_id": "relay", "$or": [{"holder": self.holder}, {"expires_at": {"$lt": now}}]},
                {"$set": {"holder": self.holder, "expires_at": now + self.lease}},
                upsert=True,
            )
        except pymongo.errors.PyMongoError as error:
            self._lease_fresh_until = 0.0
            if is_duplicate_key(error):  # another relay holds a live lease
                return False
            raise
        self._lease_fresh_until = started + self.lease.total_seconds() / 2
        return True

    def publish_pending(self) -> int:
        """Publish every unsent record, most urgent first, then oldest first; return how many were published.

        Urgent first: an emergency committed behind a backlog of routine events goes out in the next batch.
        Every event of one aggregate carries the same priority, so its events keep their commit order."""
        published = 0
        while not self._stop.is_set():
            records = list(
                self.db[OUTBOX].find({"sent_at": None})
                .sort([("priority", -1), ("created_at", 1), ("_id", 1)]).limit(self.batch_size)
            )
            if not records:
                return published
            channel = self._open_channel()
            confirmed = []
            try:
                for record in records:
                    handed = time.perf_counter()
                    self._publish(channel, record)  # returns once the broker confirmed it
                    metrics.OUTBOX_CONFIRM_DURATION.record(time.perf_counter() - handed, self._labels)
                    confirmed.append(record["_id"])
            finally:
                # One write marks what the broker confirmed, not one per record: the relay is serial, and a
                # round trip to MongoDB per event was half its time (docs/performance.md). A crash before
                # this write publishes the batch again; consumers apply each event once.
                if confirmed:
                    self.db[OUTBOX].update_many({"_id": {"$in": confirmed}}, {"$set": {"sent_at": utcnow()}})
            published += len(confirmed)
            metrics.OUTBOX_PUBLISHED.add(len(confirmed), self._labels)
            if len(records) < self.batch_size:
                # That was all of it: no read to find nothing. A record committed meanwhile comes with a
                # wake() (or the next poll), which starts the next pass.
                return published
        return published

    def _publish(self, channel, record: dict) -> None:
        exchange = record["exchange"]
        if exchange not in self._declared:
            channel.exchange_declare(exchange, exchange_type="topic", durable=True)
            self._declared.add(exchange)
        # Continue the trace of the request that wrote the event, so the consumer's span joins it.
        token = context.attach(propagate.extract(record.get("trace") or {}))
        try:
            with tracer.start_as_current_span(
                f"{record['routing_key']} publish", kind=trace.SpanKind.PRODUCER,
                attributes={"messaging.system": "rabbitmq", "messaging.destination.name": exchange,
                            "messaging.message.id": record["_id"]},
            ):
                headers: dict[str, str] = {}
                propagate.inject(headers)
                # For the urgent lanes of urgent-first handlers (linli.kit.handlers): a headers exchange
                # picks the urgent events of each type out of every event the service publishes.
                priority = int(record.get("priority") or 0)
                headers[LANE] = "urgent" if priority >= URGENT else "routine"
                headers[EVENT_TYPE] = record["routing_key"]
                channel.basic_publish(
                    exchange=exchange,
                    routing_key=record["routing_key"],
                    body=json.dumps(record["body"], ensure_ascii=False).encode("utf-8"),
                    properties=pika.BasicProperties(
                        content_type="application/json",
                        content_encoding="utf-8",
                        delivery_mode=pika.DeliveryMode.Persistent,
                        message_id=record["_id"],
                        priority=priority,
                        headers=headers,
                    ),
                )
        finally:
            context.detach(token)

    def _open_channel(self):
        if self._channel is None or self._channel.is_closed:
            self._close()
            params = pika.URLParameters(self.amqp_uri)
            params.client_properties = {"connection_name": f"outbox relay {self.db.name}"}
            self._connection = pika.BlockingConnection(params)
            self._channel = self._connection.channel()
            # Publisher confirms: basic_publish returns only once the broker has taken the message.
            self._channel.confirm_delivery()
            self._declared.clear()
        return self._channel

    def _close(self) -> None:
        try:
            if self._connection is not None and self._connection.is_open:
                self._connection.close()
        except pika.exceptions.AMQPError:
            pass
        self._connection = self._channel = None

    def run(self) -> None:
        """Publish until stopped; survives broker and database outages by retrying with backoff."""
        backoff = self.poll_seconds
        while not self._stop.is_set():
            try:
                if self.hold_lease():
                    self.publish_pending()
                    if self._connection is not None:
                        self._connection.process_data_events(0)  # answer broker heartbeats
                backoff = self.poll_seconds
            except (pika.exceptions.AMQPError, pymongo.errors.PyMongoError, OSError) as error:
                log.warning("outbox relay %s: %s; retrying in %.1fs", self.db.name, error, backoff)
                metrics.OUTBOX_PUBLISH_FAILURES.add(1, self._labels)
                self._close()
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
        self._close()
        self.release_lease()

    def release_lease(self) -> None:
        """Let another replica's relay take over at once rather than when the lease runs out (a rolling
        update stops relays one by one; each would otherwise leave events waiting up to lease_seconds)."""
        self._lease_fresh_until = 0.0
        try:
            self.db[LEASES].update_one({"_id": "relay", "holder": self.holder},
                                       {"$set": {"expires_at": utcnow() - timedelta(seconds=1)}})
        except pymongo.errors.PyMongoError as error:
            log.warning("outbox relay %s: could not release its lease: %s", self.db.name, error)

    def start(self) -> "OutboxRelay":
        _RELAYS.add(self)
        # Served from the start, at 0: an alert or dashboard on a rate sees "none yet", not "no data".
        metrics.OUTBOX_PUBLISHED.add(0, self._labels)
        metrics.OUTBOX_PUBLISH_FAILURES.add(0, self._labels)
        self._thread = threading.Thread(target=self.run, name=f"outbox-relay-{self.db.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
