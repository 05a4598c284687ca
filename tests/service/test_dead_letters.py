"""Retries, dead letters and replay (linli.kit.handlers, `linli dead-letters`) on real RabbitMQ and
SecantusDB: a failing event is retried with backoff, then parked in its handler's dead-letter queue,
never blocks the events behind it, and is applied once however often it comes back."""
import collections
import json
import re
import time
import uuid

import pika
import pytest

from linli import deadletters
from linli.kit.handlers import event_handler
from linli.kit.letters import ATTEMPTS, ERROR, QUEUE
from linli.kit.nameko_deps import Database

HANDLER_QUEUE = "evt-testsrc-thing.happened--flaky.record"
DELAYS = "0.2,0.4"  # two retries: three attempts in all

calls = collections.Counter()  # event id -> how many times the handler ran
failing: dict[str, tuple[int, str]] = {}  # event id -> (fail this many times, "before" or "after" committing)


class Flaky:
    name = "flaky"
    database = Database("flaky")

    @event_handler("testsrc", "thing.happened")
    def record(self, event):
        calls[event["id"]] += 1
        times, when = failing.get(event["id"], (0, ""))
        if when == "before" and calls[event["id"]] <= times:
            raise RuntimeError(f"boom before committing ({calls[event['id']]})")
        self.database.apply_once("flaky.record", event, lambda session: self.database.db["effects"].insert_one(
            {"event_id": event["id"]}, session=session))
        if when == "after" and calls[event["id"]] <= times:
            raise RuntimeError("boom after committing")


@pytest.fixture
def worker(container_factory, rabbit_config, mongo_uri, db):
    calls.clear()
    failing.clear()
    container = container_factory(Flaky, {"MONGO_URI": mongo_uri, "MONGO_DB": db.name,
                                          "LINLI_EVENT_RETRY_SECONDS": DELAYS})
    container.start()
    return container


def publish(amqp_uri, event: dict | None = None, body: bytes | None = None) -> dict:
    event = event or {"id": str(uuid.uuid4()), "type": "thing.happened", "source": "testsrc", "data": {}}
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish("testsrc.events", "thing.happened", body or json.dumps(event).encode(),
                              pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                                   message_id=event["id"]))
    finally:
        connection.close()
    return event


def depth(amqp_uri, queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        return connection.channel().queue_declare(queue, passive=True).method.message_count
    finally:
        connection.close()


def effects(db, event) -> int:
    return db["effects"].count_documents({"event_id": event["id"]})


def wait_for(check, timeout=10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_a_handler_that_fails_twice_succeeds_on_its_third_attempt_and_applies_once(worker, amqp_uri, db):
    event = {"id": "ev-flaky", "type": "thing.happened", "data": {}}
    failing[event["id"]] = (2, "before")
    started = time.monotonic()
    publish(amqp_uri, event)
    assert wait_for(lambda: effects(db, event) == 1)
    assert calls[event["id"]] == 3
    assert time.monotonic() - started >= 0.6  # it waited out both backoffs (0.2 s, then 0.4 s)
    assert depth(amqp_uri, HANDLER_QUEUE + ".dead") == 0 and depth(amqp_uri, HANDLER_QUEUE + ".retry") == 0


def test_a_handler_that_fails_after_committing_is_retried_without_doing_it_twice(worker, amqp_uri, db):
    event = {"id": "ev-late", "type": "thing.happened", "data": {}}
    failing[event["id"]] = (1, "after")
    publish(amqp_uri, event)
    assert wait_for(lambda: calls[event["id"]] == 2)
    time.sleep(0.3)
    assert effects(db, event) == 1
    assert depth(amqp_uri, HANDLER_QUEUE + ".dead") == 0


def test_an_event_that_always_fails_is_dead_lettered_and_never_blocks_the_ones_behind_it(worker, amqp_uri, db):
    poison = {"id": "ev-poison", "type": "thing.happened", "data": {}}
    failing[poison["id"]] = (99, "before")
    publish(amqp_uri, poison)
    behind = [publish(amqp_uri) for _ in range(5)]
    # The ones behind are applied while the poison is still waiting for its retries.
    assert wait_for(lambda: all(effects(db, e) == 1 for e in behind), timeout=5)
    assert depth(amqp_uri, HANDLER_QUEUE + ".dead") == 0
    assert wait_for(lambda: depth(amqp_uri, HANDLER_QUEUE + ".dead") == 1)
    assert calls[poison["id"]] == 3 and effects(db, poison) == 0
    [(properties, body)] = deadletters.peek(amqp_uri, HANDLER_QUEUE, limit=10)
    assert json.loads(body) == poison
    assert properties.headers[ATTEMPTS] == 3 and properties.headers[QUEUE] == HANDLER_QUEUE
    assert "RuntimeError: boom before committing (3)" in properties.headers[ERROR]
    assert depth(amqp_uri, HANDLER_QUEUE + ".dead") == 1  # showing leaves it there


def test_a_message_that_cannot_be_decoded_goes_to_the_dead_letters_at_once(worker, amqp_uri, db):
    publish(amqp_uri, {"id": "ev-garbled"}, body=b"{not json")
    good = publish(amqp_uri)
    assert wait_for(lambda: depth(amqp_uri, HANDLER_QUEUE + ".dead") == 1)
    assert wait_for(lambda: effects(db, good) == 1)
    [(properties, body)] = deadletters.peek(amqp_uri, HANDLER_QUEUE + ".dead", limit=10)
    assert body == b"{not json" and "cannot decode" in properties.headers[ERROR]


def test_a_replayed_dead_letter_is_handled_once_its_handler_is_fixed(worker, amqp_uri, db, capsys):
    event = {"id": "ev-replayed", "type": "thing.happened", "data": {}}
    failing[event["id"]] = (3, "before")  # fails every attempt it gets before the replay
    publish(amqp_uri, event)
    assert wait_for(lambda: depth(amqp_uri, HANDLER_QUEUE + ".dead") == 1)
    assert deadletters.main(["--amqp-uri", amqp_uri, "list"]) == 0
    assert re.search(rf"^{re.escape(HANDLER_QUEUE)}\.dead +1$", capsys.readouterr().out, re.MULTILINE)
    assert deadletters.main(["--amqp-uri", amqp_uri, "show", HANDLER_QUEUE]) == 0
    assert "ev-replayed  thing.happened  attempts=3" in capsys.readouterr().out

    assert deadletters.main(["--amqp-uri", amqp_uri, "replay", HANDLER_QUEUE, "--all"]) == 0
    assert "replayed 1 event(s)" in capsys.readouterr().out
    assert wait_for(lambda: effects(db, event) == 1)
    publish(amqp_uri, event)  # and once more, as a second replay or a relay repeating itself would
    assert wait_for(lambda: calls[event["id"]] == 5)
    time.sleep(0.2)
    assert effects(db, event) == 1 and depth(amqp_uri, HANDLER_QUEUE + ".dead") == 0


def test_dropping_a_dead_letter_removes_the_one_named_and_keeps_the_others(worker, amqp_uri, db, capsys):
    failing.update({"ev-1": (99, "before"), "ev-2": (99, "before")})
    for n in (1, 2):
        publish(amqp_uri, {"id": f"ev-{n}", "type": "thing.happened", "data": {}})
    assert wait_for(lambda: depth(amqp_uri, HANDLER_QUEUE + ".dead") == 2)
    assert deadletters.main(["--amqp-uri", amqp_uri, "drop", HANDLER_QUEUE + ".dead", "--id", "ev-1"]) == 0
    assert "dropped 1 event(s)" in capsys.readouterr().out
    [(properties, _)] = deadletters.peek(amqp_uri, HANDLER_QUEUE, limit=10)
    assert properties.message_id == "ev-2"
