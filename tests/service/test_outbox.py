"""The transactional outbox and its relay, against real RabbitMQ and SecantusDB."""
import json
import time

import pika
import pytest
from nameko.events import event_handler
from nameko.testing.services import entrypoint_waiter

from linli.kit import outbox
from linli.kit.identity import Caller
from linli.kit.mongo import transaction, utcnow
from linli.kit.outbox import OutboxRelay
from linli.kit.indexes import ensure_service_indexes
from services.eldercare import events
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_POLICY
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store import INDEXES

OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))


def raise_emergency(store, request_id="cr-1"):
    request = care.raise_request(OPERATOR, care.NewCareRequest("donghuayuan", "elder-1", "emergency", "device"),
                                   request_id, utcnow(), DEFAULT_POLICY)
    event = events.raised(request)
    store.add(request, event)
    return request, event


def bind_queue(amqp_uri, routing_key="care_request.*"):
    """A plain AMQP queue on the eldercare exchange, to see exactly what the relay publishes."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.exchange_declare("eldercare.events", exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, "eldercare.events", routing_key)
    return connection, channel, queue


def next_message(channel, queue, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        method, properties, body = channel.basic_get(queue, auto_ack=True)
        if method is not None:
            return method, properties, body
        time.sleep(0.05)
    return None


@pytest.fixture
def store(mongo_client, db):
    store = CareRequestStore(mongo_client, db)
    ensure_service_indexes(store.db, INDEXES)
    return store


def test_an_event_committed_while_the_relay_was_down_is_published_when_it_comes_back(store, db, amqp_uri):
    connection, channel, queue = bind_queue(amqp_uri)
    request, event = raise_emergency(store)  # no relay is running
    assert db[outbox.OUTBOX].count_documents({"sent_at": None}) == 1
    assert next_message(channel, queue, timeout=0.5) is None

    relay = OutboxRelay(db, amqp_uri, poll_seconds=0.1).start()
    try:
        method, properties, body = next_message(channel, queue)
    finally:
        relay.stop()
        connection.close()
    assert method.routing_key == "care_request.raised"
    assert properties.delivery_mode == 2 and properties.content_type == "application/json"
    assert json.loads(body) == event
    assert db[outbox.OUTBOX].count_documents({"sent_at": None}) == 0


def test_a_change_that_did_not_commit_publishes_nothing(store, db, mongo_client, amqp_uri):
    request, _ = raise_emergency(store)
    acknowledged = care.acknowledge(OPERATOR, request, utcnow())

    def acknowledge_then_fail(session):
        store.update(acknowledged, events.acknowledged(acknowledged), session=session)
        raise RuntimeError("crash before commit")

    with pytest.raises(RuntimeError):
        transaction(mongo_client, acknowledge_then_fail)
    assert store.get(request.id).status == care.RAISED
    assert [r["routing_key"] for r in db[outbox.OUTBOX].find()] == ["care_request.raised"]


def test_the_relay_keeps_events_while_rabbitmq_is_unreachable(store, db, amqp_uri):
    raise_emergency(store)
    unreachable = OutboxRelay(db, "amqp://guest:guest@127.0.0.1:1/", poll_seconds=0.05)
    with pytest.raises(pika.exceptions.AMQPConnectionError):
        unreachable.publish_pending()
    assert db[outbox.OUTBOX].count_documents({"sent_at": None}) == 1
    assert OutboxRelay(db, amqp_uri).publish_pending() == 1


def test_only_one_relay_at_a_time_holds_the_lease(db, amqp_uri):
    first, second = OutboxRelay(db, amqp_uri), OutboxRelay(db, amqp_uri)
    assert first.hold_lease()
    assert not second.hold_lease()
    assert first.hold_lease()  # renewing its own lease


def test_a_backlog_larger_than_a_batch_is_published_in_one_pass(store, db, amqp_uri):
    connection, channel, queue = bind_queue(amqp_uri)
    for index in range(5):
        raise_emergency(store, f"cr-{index}")
    assert OutboxRelay(db, amqp_uri, batch_size=2).publish_pending() == 5
    assert db[outbox.OUTBOX].count_documents({"sent_at": None}) == 0
    assert sum(1 for _ in iter(lambda: next_message(channel, queue, timeout=2), None)) == 5
    connection.close()


def test_a_running_relay_publishes_each_commit_on_its_wake_up_without_waiting_for_a_poll(store, db, amqp_uri):
    connection, channel, queue = bind_queue(amqp_uri)
    relay = OutboxRelay(db, amqp_uri, poll_seconds=600).start()  # only wake() can make it publish in time
    try:
        assert next_message(channel, queue, timeout=1) is None
        for index in range(3):
            _, event = raise_emergency(store, f"cr-{index}")
            relay.wake()
            _, properties, _ = next_message(channel, queue, timeout=10)
            assert properties.message_id == event["id"]
    finally:
        relay.stop()
        connection.close()


def test_a_relay_renews_its_lease_only_once_half_of_it_has_passed(db, amqp_uri):
    relay = OutboxRelay(db, amqp_uri, lease_seconds=600)
    assert relay.hold_lease()
    taken = db[outbox.LEASES].find_one({"_id": "relay"})
    assert relay.hold_lease()
    assert db[outbox.LEASES].find_one({"_id": "relay"}) == taken  # no write: most of the lease is left
    relay.release_lease()
    assert relay.hold_lease()
    renewed = db[outbox.LEASES].find_one({"_id": "relay"})
    assert renewed["holder"] == relay.holder and renewed["expires_at"] > taken["expires_at"]


def test_a_lease_held_without_renewal_still_keeps_other_relays_out(db, amqp_uri):
    first, second = OutboxRelay(db, amqp_uri, lease_seconds=600), OutboxRelay(db, amqp_uri, lease_seconds=600)
    assert first.hold_lease()
    assert first.hold_lease()
    assert not second.hold_lease()


def test_a_short_lease_is_renewed_with_a_write_once_half_of_it_has_passed(db, amqp_uri):
    relay = OutboxRelay(db, amqp_uri, lease_seconds=0.2)
    assert relay.hold_lease()
    taken = db[outbox.LEASES].find_one({"_id": "relay"})
    deadline = time.monotonic() + 5
    while db[outbox.LEASES].find_one({"_id": "relay"}) == taken and time.monotonic() < deadline:
        assert relay.hold_lease()
    assert db[outbox.LEASES].find_one({"_id": "relay"})["expires_at"] > taken["expires_at"]


def test_a_nameko_event_handler_receives_what_the_relay_publishes(store, db, amqp_uri, container_factory):
    received = []

    class Listener:
        name = "listener"

        @event_handler("eldercare", "care_request.raised")
        def on_raised(self, event):
            received.append(event)

    container = container_factory(Listener)
    container.start()
    _, event = raise_emergency(store)
    with entrypoint_waiter(container, "on_raised", timeout=10):
        assert OutboxRelay(db, amqp_uri).publish_pending() == 1
    assert received == [event]
