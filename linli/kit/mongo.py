"""MongoDB access shared by every service: one client per process, indexes declared in code,
short transactions. Works against SecantusDB (the embedded default) and a real replica set alike."""
import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, TypeVar

import pymongo
from pymongo import MongoClient
from pymongo.client_session import ClientSession
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

DUPLICATE_KEY = 11000

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
    """Create the declared indexes; creating an existing index is a no-op, so every start runs this."""
    for index in indexes:
        db[index.collection].create_index(index.keys, **index.options)


def transaction(client: MongoClient, work: Callable[[ClientSession], T]) -> T:
    """Run work in one transaction, retried on transient errors (write conflicts, elections)."""
    with client.start_session() as session:
        return session.with_transaction(
            work,
            read_concern=ReadConcern("snapshot"),
            write_concern=WriteConcern("majority"),
        )


def is_duplicate_key(error: pymongo.errors.PyMongoError) -> bool:
    return getattr(error, "code", None) == DUPLICATE_KEY


def utcnow() -> dt.datetime:
    # Mongo keeps milliseconds; trimming here makes what we hold equal to what we read back.
    now = dt.datetime.now(dt.timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
