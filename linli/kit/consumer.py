"""Idempotent consumers: a handler's effects and the record that it applied an event commit together,
so a redelivered event (after a crash, a lost ack, or a relay publishing twice) changes nothing."""
import logging
from typing import Callable

import pymongo
from pymongo import MongoClient
from pymongo.client_session import ClientSession

from linli.kit.mongo import Index, is_duplicate_key, transaction, utcnow

log = logging.getLogger(__name__)

APPLIED = "applied_events"
INDEXES = [Index(APPLIED, [("applied_at", 1)])]


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
