"""Idempotent consumers: a handler's effects and the record that it applied an event commit together,
so a redelivered event (after a crash, a lost ack, or a relay publishing twice) changes nothing."""
import logging
import time
from typing import Callable

import pymongo
from pymongo import MongoClient
from pymongo.client_session import ClientSession

from linli.kit.config import number
from linli.kit.mongo import Index, in_transaction, is_duplicate_key, is_write_conflict, utcnow

log = logging.getLogger(__name__)

APPLIED = "applied_events"
# Which sessions are applying, or tried to apply, an event: to end a transaction whose process died.
APPLYING = "applying_events"
# A transaction that holds an event's records this long while another handler waits for them is taken
# for an orphan (its process died mid-transaction: a live handler's transaction lasts milliseconds) and
# ended, instead of waiting out the store's transaction lifetime (MongoDB's default: 60 s).
ORPHAN_AFTER_SECONDS = 1.0
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
INDEXES = [Index(APPLIED, [("applied_at", 1)], {"expireAfterSeconds": retention_seconds()}),
           # A claim is only needed while its event is in flight.
           Index(APPLYING, [("claimed_at", 1)], {"expireAfterSeconds": 24 * 3600})]


class _AlreadyApplied(Exception):
    pass


def apply_once(client: MongoClient, db, consumer: str, envelope: dict,
               effect: Callable[[ClientSession], None]) -> bool:
    """Run effect(session) in a transaction unless this consumer already applied this event.

    Returns True when applied now, False when it had been applied before.

    A worker killed in the middle of the transaction leaves it open on the server, holding the event's
    records until the server aborts it (transactionLifetimeLimitSeconds, 60 s by default): the redelivered
    event would wait that long. So each attempt first names its session in the event's claim (outside the
    transaction); a handler kept waiting longer than ORPHAN_AFTER_SECONDS ends the other sessions of the
    claim (killSessions: a user may end its own sessions). Ending a live one is harmless: its transaction
    aborts and is retried, and then finds the event applied.
    """
    key = f"{consumer}:{envelope['id']}"
    waiting_since: float | None = None

    def work(session: ClientSession) -> None:
        nonlocal waiting_since
        try:
            db[APPLIED].insert_one(
                {"_id": key, "consumer": consumer, "event_id": envelope["id"],
                 "type": envelope.get("type"), "applied_at": utcnow()},
                session=session,
            )
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise _AlreadyApplied from None
            if is_write_conflict(error):  # another transaction holds the event: wait a little, then end it
                waiting_since = waiting_since or time.monotonic()
                if time.monotonic() - waiting_since >= ORPHAN_AFTER_SECONDS:
                    _end_other_sessions(db, key, session)
                    waiting_since = None
            raise
        effect(session)

    try:
        with client.start_session() as session:
            db[APPLYING].update_one({"_id": key}, {"$addToSet": {"sessions": session.session_id},
                                                   "$setOnInsert": {"claimed_at": utcnow()}}, upsert=True)
            in_transaction(session, work)
        return True
    except _AlreadyApplied:
        log.info("%s: event %s (%s) already applied; skipped", consumer, envelope["id"], envelope.get("type"))
        return False


def _end_other_sessions(db, key: str, session: ClientSession) -> None:
    claim = db[APPLYING].find_one({"_id": key}) or {}
    others = [lsid for lsid in claim.get("sessions", []) if lsid != session.session_id]
    if others:
        log.warning("%s: ending %d session(s) that held the event for over %.0f s (a handler that died "
                    "mid-transaction)", key, len(others), ORPHAN_AFTER_SECONDS)
        db.client.admin.command("killSessions", others)
        db[APPLYING].update_one({"_id": key}, {"$pullAll": {"sessions": others}})
