"""Emergencies first, on real RabbitMQ and SecantusDB: the outbox relay publishes an emergency ahead of
routine records, marked urgent, and the eldercare worker's urgent queue delivers it ahead of a routine
backlog (the same queues, classic or quorum, on any RabbitMQ version)."""
import json
import time

import pika
import pytest

from linli.kit import outbox
from linli.kit.events import EMERGENCY, ROUTINE
from linli.kit.handlers import lane_queue_arguments
from linli.kit.identity import Caller
from linli.kit.letters import EVENT_TYPE, LANE
from linli.kit.mongo import utcnow
from linli.kit.outbox import OutboxRelay
from linli.kit.indexes import ensure_service_indexes
from services.eldercare import events
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import with_emergency_sla
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.worker import EldercareWorker
from services.eldercare.store import INDEXES

OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))
BACKLOG = 10_000
SLA_SECONDS = 60  # monitoring-centre practice: an emergency is answered within 60 s
RAISED_QUEUE = "evt-eldercare-care_request.raised--eldercare.count_raised--routine"


@pytest.fixture
def store(mongo_client, db):
    store = CareRequestStore(mongo_client, db)
    ensure_service_indexes(store.db, INDEXES)
    return store


def new_request(kind: str, n: int) -> care.CareRequest:
    return care.raise_request(OPERATOR, care.NewCareRequest("donghuayuan", f"elder-{n}", kind, "device"),
                              f"cr-{kind}-{n}-{time.monotonic_ns()}", utcnow(), with_emergency_sla(SLA_SECONDS))


def applied(db, consumer: str, event_id: str) -> bool:
    return db["applied_events"].count_documents({"_id": f"{consumer}:{event_id}"}) == 1


def queue_depth(channel, queue: str) -> int:
    return channel.queue_declare(queue, passive=True).method.message_count


def test_events_carry_the_priority_of_their_kind():
    assert events.raised(new_request("emergency", 1))["priority"] == EMERGENCY
    assert events.raised(new_request("medical", 1))["priority"] == 5
    assert events.raised(new_request("cleaning", 1))["priority"] == ROUTINE


def test_the_relay_publishes_an_emergency_ahead_of_routine_records_committed_before_it(store, db, amqp_uri):
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.exchange_declare("eldercare.events", exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, "eldercare.events", "care_request.raised")
    for n in range(30):
        request = new_request("cleaning", n)
        store.add(request, events.raised(request))
    emergency = new_request("emergency", 99)
    store.add(emergency, events.raised(emergency))

    relay = OutboxRelay(db, amqp_uri, batch_size=10)
    assert relay.publish_pending() == 31
    method, properties, body = channel.basic_get(queue, auto_ack=True)
    connection.close()
    assert json.loads(body)["data"]["care_request"]["id"] == emergency.id
    assert properties.priority == EMERGENCY
    assert (properties.headers["linli-lane"], properties.headers["linli-event"]) == ("urgent", "care_request.raised")
    assert db[outbox.OUTBOX].count_documents({"sent_at": None}) == 0


@pytest.mark.timeout(300)
def test_an_emergency_raised_behind_10000_routine_events_is_handled_within_its_sla(
        container_factory, rabbit_config, mongo_uri, db, store, amqp_uri):
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    # The handler's routine queue as the worker declares it, so the backlog is in place before the worker starts.
    channel.exchange_declare("eldercare.events", exchange_type="topic", durable=True)
    channel.queue_declare(RAISED_QUEUE, durable=True, arguments=lane_queue_arguments())
    channel.queue_bind(RAISED_QUEUE, "eldercare.events", "care_request.raised")

    # The backlog: 10,000 routine calls raised, published as the relay publishes them (priority 0).
    routine = events.raised(new_request("cleaning", 0))
    for n in range(BACKLOG):
        body = json.dumps({**routine, "id": f"routine-{n}"}).encode()
        channel.basic_publish("eldercare.events", "care_request.raised", body, pika.BasicProperties(
            content_type="application/json", delivery_mode=2, message_id=f"routine-{n}", priority=ROUTINE))
    worker = container_factory(EldercareWorker, {"MONGO_URI": mongo_uri, "MONGO_DB": db.name})
    worker.start()  # and busy with the backlog at once
    waiting = queue_depth(channel, RAISED_QUEUE)
    assert waiting > BACKLOG * 0.95

    # The emergency: committed with its event, published by the relay, handled by count_raised.
    started = time.monotonic()
    emergency = new_request("emergency", 1)
    event = events.raised(emergency)
    store.add(emergency, event)
    OutboxRelay(db, amqp_uri).publish_pending()
    while not applied(db, "eldercare.count_raised", event["id"]):
        assert time.monotonic() - started < SLA_SECONDS, "the emergency waited behind routine work"
        time.sleep(0.02)
    handled_in = time.monotonic() - started
    routine_done = db["applied_events"].count_documents({"event_id": {"$regex": "^routine-"}})
    still_waiting = queue_depth(channel, RAISED_QUEUE)
    connection.close()
    worker.stop()

    # The rate the worker got through the backlog says how long a first-come-first-served queue would
    # have kept the emergency waiting.
    rate = routine_done / handled_in if handled_in else 0.0
    print(f"\nemergency handled {handled_in:.2f}s after its commit, behind {waiting} routine events "
          f"({routine_done} of them handled meanwhile, {still_waiting} still queued; at that rate a FIFO "
          f"queue would have made it wait ~{waiting / rate if rate else float('inf'):.0f}s)")
    assert handled_in < SLA_SECONDS
    assert still_waiting > 0  # it really did overtake routine work


def test_a_handlers_urgent_queue_gets_only_the_urgent_events_of_its_type(container_factory, mongo_uri, db, amqp_uri):
    worker = container_factory(EldercareWorker, {"MONGO_URI": mongo_uri, "MONGO_DB": db.name})
    worker.start()
    worker.stop()  # its queues stay (durable), with nobody consuming them
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    urgent, routine = RAISED_QUEUE.replace("--routine", "--urgent"), RAISED_QUEUE
    before = queue_depth(channel, urgent), queue_depth(channel, routine)
    # As the relay publishes them (linli.kit.outbox: the lane and type headers).
    for n, (event_type, lane) in enumerate([("care_request.raised", "routine"), ("care_request.raised", "urgent"),
                                            ("care_request.acknowledged", "urgent")]):
        channel.basic_publish("eldercare.events", event_type, json.dumps({"id": f"lane-{n}"}).encode(),
                              pika.BasicProperties(delivery_mode=2, headers={LANE: lane, EVENT_TYPE: event_type}))
    time.sleep(0.5)  # routing is synchronous with the publish; this is only for the depth counters
    after = queue_depth(channel, urgent), queue_depth(channel, routine)
    connection.close()
    assert (after[0] - before[0], after[1] - before[1]) == (1, 2)  # the urgent raised; both raised
