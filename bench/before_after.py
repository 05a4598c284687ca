"""Before and after the two fixes `make bench` led to, measured side by side (interleaved runs) on one
SecantusDB and one RabbitMQ vhost, so the machine's noise hits both alike:

1. daily figures: ten concurrent handlers counting calls of one community, day and kind, each in an
   apply-once transaction. Before: one counters document (every transaction writes it, so they conflict
   and retry). After: CareRequestStore.count_in_figures (spread over FIGURE_SHARDS documents).
2. outbox relay: publishing a backlog. Before: one update_one per record after its confirm. After:
   OutboxRelay.publish_pending (one update_many per batch of confirmed records).
3. device heartbeats (most of a district's requests), eight at a time. Before: every heartbeat saved in a
   transaction. After: ResidentStore.save_device (a heartbeat that raises no alert is one plain write).
4. a device press's look for the elder's unanswered calls, with thousands of calls raised before. Before:
   `elder_id: {$in: [one id]}` (SecantusDB scans the collection). After: CareRequestStore.list_requests
   (equality for a single value, which SecantusDB answers from the index).
5. one event, committed and the relay woken, to its arrival at a consumer (the latency of one event when
   nothing queues). Before: the relay renewed its lease with a database write on every wake-up. After:
   OutboxRelay.hold_lease writes only once half the lease has passed.

    .venv/bin/python -m bench.before_after [--runs 5] [--seconds 4] [--records 400] [--only wake,...]
    (about 3 minutes)
"""
import argparse
import copy
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pika

from bench.common import median, spread, timed_loop
from linli_dev.devstack import DevStack
from linli.kit import consumer, outbox
from linli.kit.config import setting
from linli.kit.errors import Aborted
from linli.kit.identity import Caller
from linli.kit.mongo import connect, ensure_indexes, transaction, utcnow
from services.eldercare.domain import residents
from services.eldercare.domain.care_requests import ListScope
from services.eldercare.store import care_requests as care_store
from services.eldercare.store import residents as resident_store
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store.residents import ResidentStore, _device_doc

HANDLERS = 10  # the workers' Nameko max_workers


def count_before(store: CareRequestStore, session, increments: dict) -> None:
    """The figures update as it was: one document per community, day and kind."""
    store.db["daily_figures"].update_one(
        {"_id": "donghuayuan:2026-01-01:meal"},
        {"$inc": increments, "$setOnInsert": {"community_id": "donghuayuan", "day": "2026-01-01", "kind": "meal"}},
        upsert=True, session=session)


def count_after(store: CareRequestStore, session, increments: dict) -> None:
    store.count_in_figures(session, "donghuayuan", "2026-01-01", "meal", increments)


def counting_rate(client, db, count, seconds: float) -> float:
    """Events applied per second by HANDLERS threads, each applying events once with `count`."""
    store = CareRequestStore(client, db)
    done = [0]
    deadline = time.monotonic() + seconds

    def handler() -> None:
        while time.monotonic() < deadline:
            envelope = {"id": str(uuid.uuid4()), "type": "care_request.raised"}
            consumer.apply_once(client, db, "bench.count_raised", envelope,
                                lambda session: count(store, session, {"raised": 1}))
            done[0] += 1

    threads = [threading.Thread(target=handler) for _ in range(HANDLERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started)


class RelayBefore(outbox.OutboxRelay):
    """The relay's loop as it was: mark each record sent on its own after its confirm."""

    def publish_pending(self) -> int:
        published = 0
        while not self._stop.is_set():
            records = list(self.db[outbox.OUTBOX].find({"sent_at": None})
                           .sort([("priority", -1), ("created_at", 1), ("_id", 1)]).limit(self.batch_size))
            if not records:
                return published
            channel = self._open_channel()
            for record in records:
                self._publish(channel, record)
                self.db[outbox.OUTBOX].update_one({"_id": record["_id"]}, {"$set": {"sent_at": utcnow()}})
                published += 1
        return published


def relay_rate(db, amqp_uri: str, relay_class, records: int) -> float:
    """Records per second a relay publishes (with confirms) and marks sent, from a backlog of `records`."""
    template = {"exchange": "bench_relay.events", "routing_key": "care_request.raised", "trace": {},
                "priority": 0, "sent_at": None,
                "body": {"id": "", "type": "care_request.raised", "data": {"pad": "x" * 900}}}
    docs = []
    for _ in range(records):
        doc = copy.deepcopy(template)
        doc["_id"] = doc["body"]["id"] = str(uuid.uuid4())
        doc["created_at"] = utcnow()
        docs.append(doc)
    db[outbox.OUTBOX].insert_many(docs)
    relay = relay_class(db, amqp_uri)
    started = time.monotonic()
    published = relay.publish_pending()
    elapsed = time.monotonic() - started
    relay._close()
    return published / elapsed


class RelayLeaseEachWake(outbox.OutboxRelay):
    """The relay as it was: a write to the lease on every wake-up."""

    def hold_lease(self) -> bool:
        self._lease_fresh_until = 0.0
        return super().hold_lease()


def wake_latency_ms(db, amqp_uri: str, relay_class, events: int) -> float:
    """p50 ms from a committed record and the relay's wake-up to its arrival at a consumer, one at a time."""
    exchange = "bench_wake.events"
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.exchange_declare(exchange, exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, exchange, "#")
    relay = relay_class(db, amqp_uri, poll_seconds=5.0).start()
    latencies = []
    try:
        for _ in range(events):
            event_id = str(uuid.uuid4())
            db[outbox.OUTBOX].insert_one({"_id": event_id, "exchange": exchange, "routing_key": "care_request.raised",
                                          "trace": {}, "priority": 0, "sent_at": None, "created_at": utcnow(),
                                          "body": {"id": event_id, "data": {"pad": "x" * 900}}})
            committed = time.perf_counter()
            relay.wake()
            for _method, properties, _body in channel.consume(queue, auto_ack=True, inactivity_timeout=10):
                if properties is None or properties.message_id == event_id:
                    break
            latencies.append((time.perf_counter() - committed) * 1000)
            channel.cancel()
            time.sleep(0.05)  # one event at a time: the relay is back waiting before the next commit
    finally:
        relay.stop()
        connection.close()
    return median(latencies)


def save_device_before(store: ResidentStore, device: residents.Device) -> None:
    """The heartbeat's write as it was: the device's replace, inside a transaction."""
    def work(session) -> None:
        if store.devices.replace_one({"_id": device.id, "version": device.version - 1}, _device_doc(device),
                                     session=session).matched_count != 1:
            raise Aborted(device.id)

    transaction(store.client, work)


def heartbeat_rate(client, db, save, seconds: float) -> float:
    """Heartbeats saved per second by eight threads, each beating its own devices in turn."""
    store = ResidentStore(client, db)
    operator = Caller("bench-operator", frozenset({"operator"}), frozenset({"donghuayuan"}))
    now = utcnow()
    devices = []
    for index in range(32):
        elder = residents.register(operator, f"bench-hb-elder-{uuid.uuid4().hex[:8]}", "donghuayuan",
                                   residents.ElderDetails(name="王桂兰"), now)
        store.add_elder(elder)
        devices.append(store.add_device(residents.register_device(operator, elder, f"bench-hb-{uuid.uuid4().hex[:8]}",
                                                                  "pager", 0, now)))
    done = [0]
    deadline = time.monotonic() + seconds

    def beat(mine: list[residents.Device]) -> None:
        while time.monotonic() < deadline:
            for position, device in enumerate(mine):
                caller = Caller(device.id, frozenset({"device"}), frozenset({"donghuayuan"}))
                mine[position], _ = residents.heartbeat(caller, device, 80, utcnow(), "unused")
                save(store, mine[position])
                done[0] += 1

    threads = [threading.Thread(target=beat, args=(devices[i::8],)) for i in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started)


def seed_unanswered(client, db, count: int) -> None:
    """`count` raised calls of other elders (a busy store), and one elder with no call."""
    doc = {"community_id": "donghuayuan", "status": "raised", "priority": 1, "kind": "meal", "pad": "x" * 800}
    db["care_requests"].insert_many([{**doc, "_id": str(uuid.uuid4()), "elder_id": f"elder-{i % 500}",
                                      "raised_at": utcnow()} for i in range(count)])


def lookup_rate(client, db, shape: str, seconds: float) -> float:
    """A press's look for the elder's unanswered calls, one after another, per second."""
    store = CareRequestStore(client, db)
    scope = ListScope(None, elder_ids=frozenset({"elder-without-calls"}))

    def before() -> None:
        query = {"status": {"$in": ["raised"]}, "elder_id": {"$in": ["elder-without-calls"]}}
        list(db["care_requests"].find(query).sort([("priority", 1), ("raised_at", 1), ("_id", 1)]).limit(20))

    def after() -> None:
        store.list_requests(scope, ("raised",), None, 20)

    count, _ = timed_loop(seconds, before if shape == "before" else after)
    return count / seconds


def _unit(name: str) -> str:
    return " ms p50" if name.startswith("wake") else "/s"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--records", type=int, default=400)
    parser.add_argument("--only", default="", help="comma-separated: figures,relay,heartbeats,lookup,wake")
    args = parser.parse_args(argv)
    chosen = [w for w in ("figures", "relay", "heartbeats", "lookup", "wake") if not args.only or w in args.only.split(",")]
    stack = DevStack({"AMQP_URI": setting("AMQP_URI")}, Path(tempfile.mkdtemp(prefix="linli-before-after-")))
    try:
        amqp_uri = stack.isolate_broker()
        client = connect(stack.start_mongo(":memory:"), "before-after")
        db = client["bench_before_after"]
        ensure_indexes(db, consumer.INDEXES + outbox.INDEXES)
        ensure_indexes(db, care_store.INDEXES + resident_store.INDEXES)
        seed_unanswered(client, db, 5000)
        lookup_rate(client, db, "after", 0.5)  # the first query of a collection is slow in SecantusDB: warm up
        results: dict[str, list[float]] = {f"{what} {side}": [] for what in chosen for side in ("before", "after")}
        for run in range(args.runs):
            # Alternate which goes first, so a drift on the machine favours neither.
            for side in (("before", "after") if run % 2 == 0 else ("after", "before")):
                if "figures" in chosen:
                    count = count_before if side == "before" else count_after
                    results[f"figures {side}"].append(counting_rate(client, db, count, args.seconds))
                if "relay" in chosen:
                    relay = RelayBefore if side == "before" else outbox.OutboxRelay
                    results[f"relay {side}"].append(relay_rate(db, amqp_uri, relay, args.records))
                if "heartbeats" in chosen:
                    save = save_device_before if side == "before" else lambda store, device: store.save_device(device)
                    results[f"heartbeats {side}"].append(heartbeat_rate(client, db, save, args.seconds))
                if "lookup" in chosen:
                    results[f"lookup {side}"].append(lookup_rate(client, db, side, args.seconds / 2))
                if "wake" in chosen:
                    relay = RelayLeaseEachWake if side == "before" else outbox.OutboxRelay
                    results[f"wake {side}"].append(wake_latency_ms(db, amqp_uri, relay, max(20, int(args.seconds * 10))))
            print(f"run {run + 1}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.1f}{_unit(k)}" for k, v in results.items()),
                  flush=True)
        print()
        for name, values in results.items():
            print(f"{name:15} {median(values):7.1f}{_unit(name)}   spread {spread(values)}")
        for what in chosen:
            print(f"{what}: after/before = {median(results[what + ' after']) / median(results[what + ' before']):.2f}×")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
