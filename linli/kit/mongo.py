"""MongoDB access shared by every service: one client per process, indexes declared in code,
short transactions. Works against SecantusDB (the embedded default) and a real replica set alike."""
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Callable, TypeVar

import pymongo
from pymongo import MongoClient
from pymongo.client_session import ClientSession
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

DUPLICATE_KEY = 11000
UNAUTHORIZED = 13
WRITE_CONFLICT = 112

log = logging.getLogger(__name__)

T = TypeVar("T")


def connect(uri: str, app_name: str) -> MongoClient:
    # tz_aware: every datetime read back is UTC-aware, as the domain expects.
    return MongoClient(uri, appname=app_name, tz_aware=True, serverSelectionTimeoutMS=10_000)


@dataclass(frozen=True)
class Index:
    collection: str
    keys: list[tuple[str, int]]
    options: dict = field(default_factory=dict)


def ensure_indexes(db, indexes: list[Index]) -> None:
    """Create the declared indexes; creating an existing index is a no-op, so every start runs this. An
    existing TTL index whose expiry changed (or a plain index that became a TTL one) is altered in place."""
    for index in indexes:
        expiry = index.options.get("expireAfterSeconds")
        if expiry is not None and not _alter_expiry(db[index.collection], index.keys, expiry):
            continue  # left as it was: create_index would refuse the new expiry
        db[index.collection].create_index(index.keys, **index.options)


def _alter_expiry(collection, keys: list[tuple[str, int]], seconds: int) -> bool:
    """Give an existing index on keys this TTL, if it has another: create_index refuses to change one
    (IndexKeySpecsConflict), collMod changes it in place and makes a plain index a TTL one (MongoDB 5.1+).

    False when the user may not run collMod (MongoDB's readWrite role lacks it): the index keeps its old
    expiry, and the process starts anyway; housekeeping is no reason to stop serving."""
    for existing in collection.list_indexes():
        if list(existing["key"].items()) == keys and existing.get("expireAfterSeconds") != seconds:
            try:
                collection.database.command("collMod", collection.name,
                                            index={"name": existing["name"], "expireAfterSeconds": seconds})
            except pymongo.errors.OperationFailure as error:
                if error.code != UNAUTHORIZED:
                    raise
                log.error("index %s of %s.%s keeps expireAfterSeconds %s instead of %s: this user may not run "
                          "collMod (grant it on the database: docs/reliability.md)", existing["name"],
                          collection.database.name, collection.name, existing.get("expireAfterSeconds"), seconds)
                return False
    return True


def transaction(client: MongoClient, work: Callable[[ClientSession], T]) -> T:
    """Run work in one transaction, retried on transient errors (write conflicts, elections)."""
    with client.start_session() as session:
        return in_transaction(session, work)


# What to do once each open transaction commits, by session: see after_commit.
_AFTER_COMMIT: dict[int, list[Callable[[], None]]] = {}


def in_transaction(session: ClientSession, work: Callable[[ClientSession], T]) -> T:
    """transaction() on a session the caller already holds (and may need to name: session.session_id).
    Once it commits, runs what the work asked for with after_commit (nothing if it aborted)."""
    actions: list[Callable[[], None]] = []

    def attempt(session: ClientSession) -> T:
        actions.clear()  # a retried attempt asks again; an aborted one's requests are void
        return work(session)

    _AFTER_COMMIT[id(session)] = actions
    try:
        result = session.with_transaction(
            attempt,
            read_concern=ReadConcern("snapshot"),
            write_concern=WriteConcern("majority"),
        )
    finally:
        del _AFTER_COMMIT[id(session)]
    for action in actions:
        action()
    return result


def after_commit(session: ClientSession, action: Callable[[], None]) -> None:
    """Run action once the transaction on session commits, if it does (the outbox wakes its relay so).
    Outside transaction()/in_transaction() there is nothing to wait for: action is dropped."""
    actions = _AFTER_COMMIT.get(id(session))
    if actions is not None and action not in actions:
        actions.append(action)


def is_duplicate_key(error: pymongo.errors.PyMongoError) -> bool:
    return getattr(error, "code", None) == DUPLICATE_KEY


def is_write_conflict(error: pymongo.errors.PyMongoError) -> bool:
    return getattr(error, "code", None) == WRITE_CONFLICT


def utcnow() -> dt.datetime:
    # Mongo keeps milliseconds; trimming here makes what we hold equal to what we read back.
    now = dt.datetime.now(dt.timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
