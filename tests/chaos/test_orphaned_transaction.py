"""A handler killed (SIGKILL) in the middle of its transaction leaves the transaction open on the store,
holding the event's records. The event, redelivered to another handler, must not wait for the store to
abort that orphan (a minute, by MongoDB's default transaction lifetime): it is applied within seconds,
and once."""
import subprocess
import sys
import textwrap
import time

import pymongo
import pytest

from linli_dev.devstack import ROOT, DevStack
from linli.kit import consumer

ENVELOPE = {"id": "evt-orphaned-1", "type": "care_request.raised"}
CONSUMER = "eldercare.count_raised"

# The first handler: applies the event, makes its effect's write, says so, and hangs until it is killed.
HANGING_HANDLER = textwrap.dedent("""
    import sys, time
    import pymongo
    from linli.kit import consumer

    client = pymongo.MongoClient(sys.argv[1])
    db = client["linli_orphan"]

    def effect(session):
        db["figures"].update_one({"_id": "today"}, {"$inc": {"raised": 1}}, upsert=True, session=session)
        print("mid-transaction", flush=True)
        time.sleep(3600)

    consumer.apply_once(client, db, sys.argv[2], {"id": sys.argv[3], "type": "care_request.raised"}, effect)
""")


@pytest.fixture(scope="module")
def mongo_uri(tmp_path_factory):
    folder = tmp_path_factory.mktemp("orphaned-transaction")
    stack = DevStack({}, folder)
    try:
        yield stack.start_mongo(str(folder / "data"))
    finally:
        stack.stop()


def test_an_event_whose_handler_died_mid_transaction_is_applied_within_seconds_and_once(mongo_uri):
    client = pymongo.MongoClient(mongo_uri, tz_aware=True)
    db = client["linli_orphan"]
    handler = subprocess.Popen([sys.executable, "-c", HANGING_HANDLER, mongo_uri, CONSUMER, ENVELOPE["id"]],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert handler.stdout.readline().strip() == "mid-transaction"
    finally:
        handler.kill()  # SIGKILL: no abortTransaction, no endSessions
        handler.wait()

    started = time.monotonic()
    applied = consumer.apply_once(
        client, db, CONSUMER, ENVELOPE,
        lambda session: db["figures"].update_one({"_id": "today"}, {"$inc": {"raised": 1}}, upsert=True,
                                                 session=session))
    took = time.monotonic() - started

    print(f"\nthe redelivered event was applied {took:.1f} s after its first handler was killed")
    assert applied
    assert took < 5.0
    assert db["figures"].find_one({"_id": "today"})["raised"] == 1  # the orphan's write was rolled back
    assert not consumer.apply_once(client, db, CONSUMER, ENVELOPE, lambda session: None)
    client.close()
