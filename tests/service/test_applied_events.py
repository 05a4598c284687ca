"""Idempotent consumers' records of applied events expire (linli/kit/consumer.py): a TTL index on their
applied_at, after LINLI_APPLIED_EVENTS_RETENTION_DAYS, against real SecantusDB (one with access control on
for the database users' rights)."""
import logging

import pymongo
import pytest

from linli_dev.devstack import VENV_BIN, DevStack, free_port, wait_until
from linli.kit import consumer, outbox
from linli.kit.mongo import Index, ensure_indexes

THIRTY_DAYS = 30 * 24 * 3600
# The actions of MongoDB's built-in readWrite role: no collMod among them (SecantusDB's readWrite has it).
MONGODB_READ_WRITE = ["changeStream", "collStats", "convertToCapped", "createCollection", "dbHash", "dbStats",
                      "dropCollection", "createIndex", "dropIndex", "find", "insert", "killCursors", "listIndexes",
                      "listCollections", "remove", "renameCollectionSameDB", "update"]


def expiry_of_applied_at(db) -> list:
    """expireAfterSeconds of every index on applied_at (None for one without)."""
    return [index.get("expireAfterSeconds") for index in db[consumer.APPLIED].list_indexes()
            if list(index["key"]) == ["applied_at"]]


def test_the_record_of_an_applied_event_carries_the_date_it_expires_from(mongo_client, db):
    ensure_indexes(db, consumer.INDEXES)

    applied = consumer.apply_once(mongo_client, db, "tests.record", {"id": "evt-1", "type": "thing.happened"},
                                  lambda session: None)

    assert applied
    assert db[consumer.APPLIED].count_documents({"_id": "tests.record:evt-1", "applied_at": {"$type": "date"}}) == 1


def test_records_of_applied_events_expire_after_thirty_days_by_default(db):
    ensure_indexes(db, consumer.INDEXES)

    assert expiry_of_applied_at(db) == [THIRTY_DAYS]


def test_a_changed_retention_alters_the_existing_index_even_one_made_without_expiry(db):
    db[consumer.APPLIED].create_index([("applied_at", 1)])  # as releases before the retention made it
    ensure_indexes(db, consumer.INDEXES)
    assert expiry_of_applied_at(db) == [THIRTY_DAYS]

    a_week = Index(consumer.APPLIED, consumer.INDEXES[0].keys, {"expireAfterSeconds": 7 * 24 * 3600})
    ensure_indexes(db, [a_week])
    assert expiry_of_applied_at(db) == [7 * 24 * 3600]

    ensure_indexes(db, [a_week])  # every start ensures it again: nothing changes
    assert expiry_of_applied_at(db) == [7 * 24 * 3600]


def test_the_retention_is_set_in_days_and_must_be_one_mongod_accepts(monkeypatch):
    monkeypatch.setenv("LINLI_APPLIED_EVENTS_RETENTION_DAYS", "7")
    assert consumer.retention_seconds() == 7 * 24 * 3600

    for refused in ("0", "0.5", "-3", "30000", "a month"):
        monkeypatch.setenv("LINLI_APPLIED_EVENTS_RETENTION_DAYS", refused)
        with pytest.raises(SystemExit, match="LINLI_APPLIED_EVENTS_RETENTION_DAYS"):
            consumer.retention_seconds()


@pytest.fixture(scope="module")
def secured_mongo(tmp_path_factory):
    """A SecantusDB with access control on: user `plain` has MongoDB's readWrite on database linli_plain;
    user `granted` has it and collMod on linli_granted, as the mongodb-replica-set Job grants each service
    (deploy/k8s/base/mongodb/replica-set.js). Yields a function: user -> that user's database."""
    folder = tmp_path_factory.mktemp("secured-mongo")
    stack = DevStack({}, folder)
    port = free_port()
    uri = f"mongodb://127.0.0.1:{port}/"

    def start(*flags: str) -> None:
        argv = [str(VENV_BIN / "secantusd-py"), "--host", "127.0.0.1", "--port", str(port),
                "--storage-path", str(folder / "data"), "--log-level", "WARNING", *flags]
        process = stack.spawn("secantusdb", argv)

        def answers() -> bool:
            with pymongo.MongoClient(uri, serverSelectionTimeoutMS=500) as client:
                return bool(client.admin.command("ping"))

        wait_until(answers, 60, "SecantusDB", process)

    clients = []
    try:
        start()  # users are made before access control is on
        with pymongo.MongoClient(uri) as admin:
            for user, actions in (("plain", MONGODB_READ_WRITE), ("granted", MONGODB_READ_WRITE + ["collMod"])):
                db = admin[f"linli_{user}"]
                db.command("createRole", "service", roles=[],
                           privileges=[{"resource": {"db": db.name, "collection": ""}, "actions": actions}])
                db.command("createUser", user, pwd="secret", roles=[{"role": "service", "db": db.name}])
        stack.stop()
        start("--auth")

        def database_of(user: str):
            client = pymongo.MongoClient(f"{uri}?authSource=linli_{user}", username=user, password="secret")
            clients.append(client)
            return client[f"linli_{user}"]

        yield database_of
    finally:
        for client in clients:
            client.close()
        stack.stop()


def test_a_service_allowed_collmod_turns_the_plain_index_of_earlier_releases_into_a_ttl_one(secured_mongo):
    db = secured_mongo("granted")
    db[consumer.APPLIED].create_index([("applied_at", 1)])

    ensure_indexes(db, consumer.INDEXES)

    assert expiry_of_applied_at(db) == [THIRTY_DAYS]


def test_a_service_refused_collmod_starts_with_the_old_expiry_and_logs_what_to_grant(secured_mongo, caplog):
    db = secured_mongo("plain")
    db[consumer.APPLIED].create_index([("applied_at", 1)])
    with pytest.raises(pymongo.errors.OperationFailure) as refused:
        db.command("collMod", consumer.APPLIED, index={"name": "applied_at_1", "expireAfterSeconds": 60})
    assert refused.value.code == 13  # as MongoDB refuses a user with only readWrite

    with caplog.at_level(logging.ERROR, logger="linli.kit.mongo"):
        ensure_indexes(db, consumer.INDEXES + outbox.INDEXES)

    assert expiry_of_applied_at(db) == [None]
    assert "may not run collMod" in caplog.text
    assert any(list(index["key"]) == ["sent_at"] for index in db[outbox.OUTBOX].list_indexes())  # the rest made
