"""The kit wakes the outbox relay when a transaction that wrote events commits (linli.kit.mongo.after_commit,
asked for by linli.kit.outbox.add), against real RabbitMQ and SecantusDB."""
import pytest

from linli.kit import mongo, outbox
from linli.kit.indexes import ensure_service_indexes
from linli.kit.outbox import OutboxRelay
from services.eldercare.store import INDEXES
from services.eldercare.store.care_requests import CareRequestStore
from tests.service.test_outbox import bind_queue, next_message, raise_emergency


@pytest.fixture
def store(mongo_client, db):
    ensure_service_indexes(db, INDEXES)
    return CareRequestStore(mongo_client, db)


def test_an_event_leaves_as_its_transaction_commits_not_at_the_next_poll(store, db, amqp_uri):
    connection, channel, queue = bind_queue(amqp_uri)
    relay = OutboxRelay(db, amqp_uri, poll_seconds=600).start()  # a poll would come only in ten minutes
    try:
        raise_emergency(store, "cr-first")
        assert next_message(channel, queue, timeout=10) is not None  # the relay is up and now waits
        _, second = raise_emergency(store, "cr-second")
        method, _, body = next_message(channel, queue, timeout=10) or (None, None, None)
    finally:
        relay.stop()
        connection.close()
    assert method is not None and second["id"] in body.decode()


def test_what_a_transaction_asks_for_runs_once_it_commits(mongo_client, db):
    ran = []

    def work(session):
        db.things.insert_one({"_id": 1}, session=session)
        mongo.after_commit(session, lambda: ran.append(db.things.count_documents({})))
        assert ran == []  # not before the commit
        return "done"

    assert mongo.transaction(mongo_client, work) == "done"
    assert ran == [1]  # after it: the change is visible by then


def test_a_transaction_that_aborts_runs_nothing_it_asked_for(mongo_client, db):
    ran = []

    def work(session):
        mongo.after_commit(session, lambda: ran.append("woken"))
        raise RuntimeError("crash before commit")

    with pytest.raises(RuntimeError):
        mongo.transaction(mongo_client, work)
    assert ran == []


def test_a_retried_transaction_runs_what_it_asked_for_once(mongo_client, db):
    ran, attempts = [], []
    db.things.insert_one({"_id": 1, "n": 0})

    def work(session):
        attempts.append(1)
        mongo.after_commit(session, lambda: ran.append("woken"))
        db.things.find_one({"_id": 1}, session=session)  # the transaction's snapshot is taken here
        if len(attempts) == 1:  # another writer commits after it: this attempt meets a write conflict
            db.things.update_one({"_id": 1}, {"$inc": {"n": 10}})
        db.things.update_one({"_id": 1}, {"$inc": {"n": 1}}, session=session)
        return len(attempts)

    assert mongo.transaction(mongo_client, work) >= 2
    assert ran == ["woken"]
    assert db.things.find_one({"_id": 1})["n"] == 11


def test_outside_a_transaction_there_is_nothing_to_wait_for(mongo_client, db):
    ran = []
    with mongo_client.start_session() as session:
        mongo.after_commit(session, lambda: ran.append("woken"))
    assert ran == []


def test_only_the_relays_of_that_database_are_woken(db, mongo_client, amqp_uri):
    mine, other = OutboxRelay(db, amqp_uri), OutboxRelay(mongo_client[db.name + "_other"], amqp_uri)
    outbox._RELAYS.update({mine, other})
    try:
        outbox.wake_relays(db.name)
        assert mine._wake.is_set() and not other._wake.is_set()
    finally:
        outbox._RELAYS.discard(mine)
        outbox._RELAYS.discard(other)
