"""The event pipeline vs the transports under it.

Linli:     RaiseCareRequest commits the request and its outbox record → the relay (in the api) publishes
           with confirms and marks it sent → RabbitMQ → the Nameko worker's count_raised applies it once
           (a transaction: the applied-event record and the daily figures). Times come from the database:
           the outbox record's created_at (the commit) and the applied-event record's applied_at.
raw pika:  publish with confirms (persistent, the same body size) → a pika consumer acking each.
Nameko:    nameko's standalone event dispatcher (confirms) → a bare @event_handler (bench.bare_nameko),
           run by the same launcher as Linli's workers.

Two loads: a burst (raises `concurrency` in flight, publishes back to back) for events per second end to
end, and a fixed low rate for the latency of one event when nothing queues.
Storage: the per-event writes alone (the relay's mark-as-sent, the handler's apply-once transaction).
"""
import asyncio
import json
import threading
import time
import uuid
from pathlib import Path

import grpc
import pika

from bench import loadgen
from bench.common import MILLISECONDS, PER_SECOND, Bench, Row, median, percentile, timed_loop
from bench.district_day import cpu_seconds
from bench.grpc_api import RAISE
from bench.platform import BARE_DB, LINLI_DB, OPERATOR, Platform, settle
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.kit.mongo import transaction, utcnow

LOW_RATE = 10  # events per second for the latency measurements
PIKA_EXCHANGE = "bench.pika"


def _envelope_size(plat: Platform) -> int:
    with plat.mongo() as client:
        record = client[LINLI_DB].outbox.find_one({"routing_key": "care_request.raised"})
    return len(json.dumps(record["body"], ensure_ascii=False).encode())


# -- Linli -----------------------------------------------------------------------------------------------

async def _linli_raises(plat: Platform, bench: Bench, rate: float | None) -> list[str]:
    """Raise care requests (a burst, or `rate` per second); the ids of those raised."""
    md = OPERATOR.to_metadata()
    ids: list[str] = []
    async with grpc.aio.insecure_channel(plat.api_addr) as channel:
        stub = pb_grpc.EldercareServiceStub(channel)

        async def call(i: int) -> None:
            reply = await stub.RaiseCareRequest(pb.RaiseCareRequestRequest(**RAISE), metadata=md, timeout=10)
            ids.append(reply.care_request.id)

        if rate is None:
            await loadgen.closed_loop(call, bench.concurrency, bench.seconds)
        else:
            await loadgen.open_loop(call, rate, max(10 if bench.quick else 20, int(rate * bench.seconds)))
    return ids


def _linli_times(plat: Platform, care_ids: list[str], sent_at: list[float] | None = None
                 ) -> tuple[list[float], list[float]]:
    """(commit times, applied times) in seconds, per event, once every event has been applied; the relay's
    sent times go into sent_at when given."""
    with plat.mongo() as client:
        db = client[LINLI_DB]
        query = {"routing_key": "care_request.raised", "body.data.care_request.id": {"$in": care_ids}}
        records = list(db.outbox.find(query, {"created_at": 1}))
        committed = {r["_id"]: r["created_at"].timestamp() for r in records}
        keys = [f"eldercare.count_raised:{event_id}" for event_id in committed]
        deadline = time.monotonic() + 120
        applied: dict[str, float] = {}
        while time.monotonic() < deadline:
            # Read the applied records only once nothing is left to apply: that read scans (SecantusDB uses
            # no index for $in), and polling it while the handlers work took the store from under them.
            if _handler_idle(plat, db):
                applied = {a["event_id"]: a["applied_at"].timestamp()
                           for a in db.applied_events.find({"_id": {"$in": keys}}, {"event_id": 1, "applied_at": 1})}
                if len(applied) == len(committed):
                    break
            time.sleep(0.2)
        if sent_at is not None:
            sent_at.extend(r["sent_at"].timestamp() for r in db.outbox.find(query, {"sent_at": 1}) if r.get("sent_at"))
    both = [event_id for event_id in committed if event_id in applied]
    return [committed[e] for e in both], [applied[e] for e in both]


def _handler_idle(plat: Platform, db) -> bool:
    """No event left unpublished and none waiting in count_raised's queues (cheap: an indexed equality and
    the broker's queue depths)."""
    from linli_dev.devstack import WORKER_QUEUES

    if db.outbox.find_one({"sent_at": None}, {"_id": 1}) is not None:
        return False
    connection = pika.BlockingConnection(pika.URLParameters(plat.env["AMQP_URI"]))
    try:
        return all(connection.channel().queue_declare(queue, passive=True).method.message_count == 0
                   for queue in WORKER_QUEUES["eldercare"] if "count_raised" in queue)
    finally:
        connection.close()


def _rate(times: list[float]) -> float:
    return len(times) / (max(times) - min(times)) if len(times) > 1 and max(times) > min(times) else float("nan")


def linli_burst(plat: Platform, bench: Bench) -> tuple[float, dict[str, float], int]:
    """End-to-end events per second, and the rate of each stage (commits, relay, handler) on its own."""
    ids = asyncio.run(_linli_raises(plat, bench, None))
    sent: list[float] = []
    commits, applied = _linli_times(plat, ids, sent)
    stages = {"commit": _rate(commits), "relay": _rate(sent), "handler": _rate(applied)}
    return len(applied) / (max(applied) - min(commits)), stages, len(applied)


def _cpu_per_event(into: dict[str, list[float]], before: dict[str, float], after: dict[str, float],
                   events: int, names: tuple[str, ...]) -> None:
    for name in names:
        if name in before and name in after and events:
            into.setdefault(name, []).append((after[name] - before[name]) * 1000 / events)


def _cpu_note(per_process: dict[str, list[float]]) -> str:
    return ", ".join(f"{name} {median(values):.1f}" for name, values in per_process.items() if median(values) >= 0.05)


def linli_latency(plat: Platform, bench: Bench) -> list[float]:
    ids = asyncio.run(_linli_raises(plat, bench, LOW_RATE))
    commits, applied = _linli_times(plat, ids)
    return [(a - c) * 1000 for c, a in zip(commits, applied)]


def linli_storage_ms(plat: Platform, seconds: float) -> float:
    """One event's writes alone: the relay's mark-as-sent, then the handler's apply-once transaction."""
    with plat.mongo() as client:
        db = client[BARE_DB]
        record = dict(db.outbox.find_one(), _id="bench-storage-probe")
        db.outbox.replace_one({"_id": record["_id"]}, record, upsert=True)

        def one_event() -> None:
            db.outbox.update_one({"_id": record["_id"]}, {"$set": {"sent_at": utcnow()}})

            def work(session) -> None:
                event_id = str(uuid.uuid4())
                db.applied_events.insert_one({"_id": f"bench:{event_id}", "consumer": "bench", "event_id": event_id,
                                              "type": "care_request.raised", "applied_at": utcnow()}, session=session)
                db.daily_figures.update_one({"_id": "bench:day:meal"}, {"$inc": {"raised": 1}}, upsert=True,
                                            session=session)

            transaction(client, work)

        _, latencies = timed_loop(seconds, one_event)
    return median(latencies)


# -- raw pika --------------------------------------------------------------------------------------------

def pika_run(amqp_uri: str, body_size: int, seconds: float, rate: float | None) -> tuple[float, list[float]]:
    """Publish with confirms for `seconds` (back to back, or at `rate`); a consumer acks each.
    Returns (messages per second from first publish to last arrival, latencies in ms)."""
    queue = f"bench-pika-{uuid.uuid4().hex[:8]}"
    setup = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = setup.channel()
    channel.exchange_declare(PIKA_EXCHANGE, exchange_type="topic", durable=True)
    channel.queue_declare(queue, durable=True)
    channel.queue_bind(queue, PIKA_EXCHANGE, routing_key="ping")
    arrivals: list[tuple[float, float]] = []
    published = [0]
    done = threading.Event()
    consuming = threading.Event()
    give_up_at = [float("inf")]  # once publishing is done: how long the consumer may wait for the rest

    def consume() -> None:
        connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
        ch = connection.channel()
        ch.basic_qos(prefetch_count=10)  # Nameko's default for a service with max_workers 10

        def on_message(ch, method, properties, body) -> None:
            arrivals.append((float(properties.headers["sent"]), time.time()))
            ch.basic_ack(method.delivery_tag)

        ch.basic_consume(queue, on_message)
        consuming.set()
        while not done.is_set() or len(arrivals) < published[0]:
            connection.process_data_events(time_limit=0.1)
            if time.monotonic() > give_up_at[0]:
                break
        connection.close()

    consumer = threading.Thread(target=consume, daemon=True)
    consumer.start()
    consuming.wait(10)
    publisher = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    pch = publisher.channel()
    pch.confirm_delivery()
    body = b"x" * body_size
    begin = time.perf_counter()
    first = time.time()
    while time.perf_counter() - begin < seconds:
        if rate is not None:
            wait = begin + published[0] / rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
        pch.basic_publish(PIKA_EXCHANGE, "ping", body, pika.BasicProperties(
            delivery_mode=pika.DeliveryMode.Persistent, content_type="application/json",
            headers={"sent": repr(time.time())}))
        published[0] += 1
    give_up_at[0] = time.monotonic() + 60
    done.set()
    consumer.join(70)
    publisher.close()
    channel.queue_delete(queue)
    setup.close()
    last = max(arrived for _, arrived in arrivals)
    return len(arrivals) / (last - first), [(arrived - sent) * 1000 for sent, arrived in arrivals]


# -- bare Nameko -----------------------------------------------------------------------------------------

def nameko_run(plat: Platform, body_size: int, seconds: float, rate: float | None) -> tuple[float, list[float]]:
    """Nameko's dispatcher (confirms) for `seconds` → the bare handler's arrival file."""
    from nameko.standalone.events import event_dispatcher

    from bench.bare_nameko import EVENT, SOURCE

    dispatch = event_dispatcher(uri=plat.env["AMQP_URI"])
    run_id = uuid.uuid4().hex[:8]
    pad = "x" * max(0, body_size - 80)
    sent: dict[str, float] = {}
    begin = time.perf_counter()
    while time.perf_counter() - begin < seconds:
        if rate is not None:
            wait = begin + len(sent) / rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
        event_id = f"{run_id}-{len(sent)}"
        sent[event_id] = time.time()
        dispatch(SOURCE, EVENT, {"id": event_id, "pad": pad})
    out: Path = plat.bare_nameko_out
    deadline = time.monotonic() + 60
    arrived: dict[str, float] = {}
    while time.monotonic() < deadline:
        arrived = {}
        for line in out.read_text().splitlines() if out.exists() else []:
            event_id, _, at = line.partition(" ")
            if event_id.startswith(run_id):
                arrived[event_id] = float(at)
        if len(arrived) >= len(sent):
            break
        time.sleep(0.2)
    first = min(sent.values())
    return len(arrived) / (max(arrived.values()) - first), [(arrived[e] - sent[e]) * 1000 for e in arrived]


# -- rows ------------------------------------------------------------------------------------------------

def rows(bench: Bench) -> list[Row]:
    plat = bench.platform()
    size = _envelope_size(plat)
    amqp = plat.env["AMQP_URI"]
    keys = ["linli_rate", "pika_rate", "nameko_rate", "linli_ms", "pika_ms", "nameko_ms", "linli_p99", "storage",
            "commit", "relay", "handler"]
    runs: dict[str, list[float]] = {key: [] for key in keys}
    cpu: dict[str, dict[str, list[float]]] = {"linli": {}, "nameko": {}}  # CPU ms per event, per process
    for run in range(bench.runs):
        started = time.monotonic()
        settle(plat)
        before = cpu_seconds(plat)
        rate, stages, events = linli_burst(plat, bench)
        settle(plat)  # the CPU of the whole burst: every event applied by every handler
        _cpu_per_event(cpu["linli"], before, cpu_seconds(plat), events, ("secantusdb", "eldercare-api", "workers"))
        runs["linli_rate"].append(rate)
        for stage, value in stages.items():
            runs[stage].append(value)
        runs["pika_rate"].append(pika_run(amqp, size, bench.seconds, None)[0])
        before = cpu_seconds(plat)
        nameko_rate, nameko_latencies = nameko_run(plat, size, bench.seconds, None)
        _cpu_per_event(cpu["nameko"], before, cpu_seconds(plat), len(nameko_latencies), ("bare-nameko",))
        runs["nameko_rate"].append(nameko_rate)
        settle(plat)
        latencies = linli_latency(plat, bench)
        runs["linli_ms"].append(median(latencies))
        runs["linli_p99"].append(percentile(latencies, 0.99))
        runs["pika_ms"].append(median(pika_run(amqp, size, bench.seconds, LOW_RATE)[1]))
        runs["nameko_ms"].append(median(nameko_run(plat, size, bench.seconds, LOW_RATE)[1]))
        runs["storage"].append(linli_storage_ms(plat, min(1.0, bench.seconds / 2)))
        print(f"  events run {run + 1}/{bench.runs} ({time.monotonic() - started:.0f}s): "
              + ", ".join(f"{k} {v[-1]:.1f}" for k, v in runs.items()), flush=True)
    c = bench.concurrency
    pipeline = "commit → outbox → RabbitMQ → handler applied once"
    return [
        Row("events", f"{pipeline}: burst ({c} raises in flight), end to end", PER_SECOND, runs["linli_rate"],
            "raw pika publish (confirms) → consume (ack)", runs["pika_rate"], runs["storage"],
            note=f"{size}-byte envelopes; each stage alone: commits {median(runs['commit']):.0f}/s, relay "
                 f"{median(runs['relay']):.0f}/s, handler {median(runs['handler']):.0f}/s"),
        Row("events", f"{pipeline}: burst, end to end", PER_SECOND, runs["linli_rate"],
            "bare Nameko dispatch (confirms) → @event_handler", runs["nameko_rate"], runs["storage"],
            note=f"CPU ms per event: Linli {_cpu_note(cpu['linli'])}; bare {_cpu_note(cpu['nameko'])} "
                 "(RabbitMQ's is left out: the machine's broker serves every vhost)"),
        Row("events", f"{pipeline}: one event at {LOW_RATE}/s, p50", MILLISECONDS, runs["linli_ms"],
            "raw pika, same rate, p50", runs["pika_ms"], runs["storage"],
            note=f"Linli p99 {median(runs['linli_p99']):.0f} ms (ms-resolution database clocks)"),
        Row("events", f"{pipeline}: one event at {LOW_RATE}/s, p50", MILLISECONDS, runs["linli_ms"],
            "bare Nameko, same rate, p50", runs["nameko_ms"], runs["storage"]),
    ]
