"""Idempotent consumers: a handler's effects and the record that it applied an event commit together,
so a redelivered event (after a crash, a lost ack, or a relay publishing twice) changes nothing."""
import logging
from typing import Callable

import pymongo
from pymongo import MongoClient
from pymongo.client_session import ClientSession

from linli.kit.config import number
from linli.kit.mongo import Index, is_duplicate_key, transaction, utcnow

log = logging.getLogger(__name__)

APPLIED = "applied_events"
# mongod refuses an expireAfterSeconds above 2**31 - 1.
MAX_RETENTION_DAYS = 24855


def retention_seconds() -> int:
    """How long an applied event's record is kept: LINLI_APPLIED_EVENTS_RETENTION_DAYS, in seconds."""
    days = number("LINLI_APPLIED_EVENTS_RETENTION_DAYS")
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise SystemExit(f"LINLI_APPLIED_EVENTS_RETENTION_DAYS must be from 1 to {MAX_RETENTION_DAYS}, got {days:g}")
    return round(days * 24 * 3600)


# A record is only needed while its event may come back: a broker redelivery (a lost ack, a worker that
# died mid-work) comes within minutes, and a dead-letter replay brings back a letter that was never
# applied (its transaction rolled back). The default month is far beyond either, so MongoDB's TTL monitor
# deletes a record once its applied_at is that old, and the collection stops growing without bound.
# Read at start-up; ensure_indexes alters an existing index when the setting changes.
INDEXES = [Index(APPLIED, [("applied_at", 1)], {"expireAfterSeconds": retention_seconds()})]


class _AlreadyApplied(Exception):
    pass


def apply_once(client: MongoClient, db, consumer: str, envelope: dict,
               effect: Callable[[ClientSession], None]) -> bool:
    """Run effect(session) in a transaction unless this consumer already applied this event.

    Returns True when applied now, False when it had been applied before.
    """

    def work(session: ClientSession) -> None:
        try:
            db[APPLIED].insert_one(
                {"_id": f"{consumer}:{envelope['id']}", "consumer": consumer, "event_id": envelope["id"],
                 "type": envelope.get("type"), "applied_at": utcnow()},
                session=session,
            )
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise _AlreadyApplied from None
            raise
        effect(session)

    try:
        transaction(client, work)
        return True
    except _AlreadyApplied:
        log.info("%s: event %s (%s) already applied; skipped", consumer, envelope["id"], envelope.get("type"))
        return False
