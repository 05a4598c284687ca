"""The only module that knows how the hours ledger and certificates sit in MongoDB.

Ledger entries are inserted, never replaced: a decision (verification, the beneficiary's word, a
reversal's link) is a compare-and-set of that one field on a pending or unset value, so an amount, a span
or a decision already taken cannot be overwritten.

The daily maximum and the overlap rule depend on the volunteer's other entries, which inserting one entry
does not touch: two transactions crediting one volunteer at once would each read the ledger without the
other's entry and both insert. So every transaction that credits a volunteer (or checks them in) first
writes the volunteer's document in `volunteer_time` (`hold`); two such transactions write the same
document and conflict (WriteConflict, labelled TransientTransactionError, by SecantusDB as by MongoDB),
the loser is retried by `with_transaction` and reads the winner's entry. Other volunteers never wait.
"""
from datetime import datetime, timedelta

import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.errors import Aborted, AlreadyExists
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.volunteer.domain import hours
from services.volunteer.domain.certificates import Certificate

HOURS = "hours_entries"
CERTIFICATES = "certificates"
# One document per volunteer that every transaction changing the volunteer's time writes (see above).
VOLUNTEER_TIME = "volunteer_time"
# Spans are at most a shift (12 h) long: entries starting this far around a span are all it can touch.
NEIGHBOURHOOD = timedelta(hours=36)

INDEXES = [
    # A volunteer's entries around a time (overlap and daily checks), and their own list.
    Index(HOURS, [("volunteer_id", 1), ("started_at", 1)]),
    Index(HOURS, [("volunteer_id", 1), ("recorded_at", -1), ("_id", -1)]),
    # Coordinators' lists (pending to verify) and period totals, per community.
    Index(HOURS, [("community_id", 1), ("status", 1), ("recorded_at", -1), ("_id", -1)]),
    Index(HOURS, [("community_id", 1), ("day", 1)]),
    Index(HOURS, [("beneficiary_id", 1), ("beneficiary_confirmation", 1)]),
    # One credit per attendance, care request or corrected entry: the same fact is never credited twice.
    Index(HOURS, [("source", 1), ("source_id", 1)], {"unique": True, "partialFilterExpression": {"kind": "credit"}}),
    # A credit is reversed at most once.
    Index(HOURS, [("reverses_id", 1)], {"unique": True, "partialFilterExpression": {"kind": "reversal"}}),
]


def _document(entry: hours.HoursEntry) -> dict:
    doc = {**vars(entry), "flags": list(entry.flags)}
    doc["_id"] = doc.pop("id")
    return doc


def entry_of(doc: dict) -> hours.HoursEntry:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    doc["flags"] = tuple(doc.get("flags", ()))
    return hours.HoursEntry(**doc)


def _certificate(doc: dict) -> Certificate:
    doc = dict(doc)
    doc["code"] = doc.pop("_id")
    return Certificate(**doc)


def scope_query(scope: hours.EntryScope) -> dict:
    query = {}
    if scope.community_id is not None:
        query["community_id"] = scope.community_id
    if scope.volunteer_id is not None:
        query["volunteer_id"] = scope.volunteer_id
    if scope.beneficiary_id is not None:
        query["beneficiary_id"] = scope.beneficiary_id
        query["beneficiary_confirmation"] = hours.AWAITED
    return query


class HoursStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.entries = db[HOURS]
        self.certificates = db[CERTIFICATES]

    def prepare_hold(self, volunteer_id: str) -> None:
        """Create the volunteer's time document, outside any transaction (an upsert inside concurrent
        transactions could race to insert it twice, which MongoDB may report as a duplicate key)."""
        try:
            self.db[VOLUNTEER_TIME].update_one({"_id": volunteer_id}, {"$setOnInsert": {"writes": 0}}, upsert=True)
        except pymongo.errors.PyMongoError as error:
            if not is_duplicate_key(error):
                raise

    def hold(self, session: ClientSession, volunteer_id: str) -> None:
        """Write the volunteer's time document in this transaction, before reading their records: any other
        transaction doing the same for this volunteer now conflicts with this one (prepare_hold first)."""
        written = self.db[VOLUNTEER_TIME].update_one({"_id": volunteer_id}, {"$inc": {"writes": 1}}, session=session)
        if written.matched_count != 1:
            raise RuntimeError(f"no time document for volunteer {volunteer_id}: call prepare_hold first")

    def holding(self, volunteer_id: str, work):
        """work(session) in one transaction that holds the volunteer's time; retried when it conflicts."""
        self.prepare_hold(volunteer_id)

        def held(session: ClientSession):
            self.hold(session, volunteer_id)
            return work(session)

        return transaction(self.client, held)

    def get(self, entry_id: str, session: ClientSession | None = None) -> hours.HoursEntry | None:
        doc = self.entries.find_one({"_id": entry_id}, session=session)
        return entry_of(doc) if doc else None

    def around(self, volunteer_id: str, started_at: datetime, ended_at: datetime,
               session: ClientSession | None = None) -> list[hours.HoursEntry]:
        """The volunteer's entries a record from started_at to ended_at could overlap, or share a day with."""
        # $gt/$lt, not $gte/$lte: SecantusDB 0.7.0b3 can miss rows equal to the bound on a compound index.
        query = {"volunteer_id": volunteer_id,
                 "started_at": {"$gt": started_at - NEIGHBOURHOOD, "$lt": ended_at + NEIGHBOURHOOD}}
        return [entry_of(doc) for doc in self.entries.find(query, session=session)]

    def insert(self, session: ClientSession, entry: hours.HoursEntry) -> None:
        try:
            self.entries.insert_one(_document(entry), session=session)
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise AlreadyExists(f"hours for {entry.source} {entry.source_id} are already recorded") from None
            raise

    def record(self, entry: hours.HoursEntry, event: dict, session: ClientSession | None = None) -> None:
        def work(session: ClientSession) -> None:
            self.insert(session, entry)
            outbox.add(self.db, session, event)

        work(session) if session is not None else transaction(self.client, work)

    def stamp(self, session: ClientSession, entry: hours.HoursEntry, fields: tuple[str, ...], unless: dict) -> None:
        """Set fields of an entry once: only while they still hold their previous values (unless)."""
        result = self.entries.update_one(
            {"_id": entry.id, "version": entry.version - 1, **unless},
            {"$set": {**{name: getattr(entry, name) for name in fields}, "version": entry.version}},
            session=session)
        if result.matched_count != 1:
            raise Aborted(f"hours entry {entry.id} was changed by someone else; read again and retry")

    def decide(self, entry: hours.HoursEntry, event: dict, also=None) -> None:
        """Stamp a verification or rejection; also(session) saves what follows it (the attendance)."""

        def work(session: ClientSession) -> None:
            self.stamp(session, entry, ("status", "decided_at", "decided_by", "decision_note"),
                       {"status": hours.PENDING})
            if also is not None:
                also(session)
            outbox.add(self.db, session, event)

        transaction(self.client, work)

    def confirm(self, entry: hours.HoursEntry) -> None:
        transaction(self.client, lambda session: self.stamp(
            session, entry, ("beneficiary_confirmation", "beneficiary_comment"),
            {"beneficiary_confirmation": hours.AWAITED}))

    def reverse(self, session: ClientSession, reversed_entry: hours.HoursEntry, reversal: hours.HoursEntry,
                corrected: hours.HoursEntry | None, event: dict) -> None:
        """In a transaction holding the volunteer's time (a corrected credit counts toward the day)."""
        self.stamp(session, reversed_entry, ("reversed_by_id",), {"reversed_by_id": ""})
        self.insert(session, reversal)
        if corrected is not None:
            self.insert(session, corrected)
        outbox.add(self.db, session, event)

    def page(self, scope: hours.EntryScope, status: str, after: list | None, limit: int) -> list[hours.HoursEntry]:
        """Newest recorded first; after: [recorded_at iso, id] of the last entry of the previous page."""
        query = scope_query(scope)
        if status:
            query["status"] = status
        if after:
            at = datetime.fromisoformat(after[0])
            query["$or"] = [{"recorded_at": {"$lt": at}}, {"recorded_at": at, "_id": {"$lt": after[1]}}]
        cursor = self.entries.find(query).sort([("recorded_at", -1), ("_id", -1)]).limit(limit)
        return [entry_of(doc) for doc in cursor]

    def in_period(self, community_id: str, from_day: str, to_day: str,
                  volunteer_id: str | None = None) -> list[hours.HoursEntry]:
        # Days are YYYY-MM-DD strings: "< the day after" rather than "<= to_day" (see around()).
        query = {"community_id": community_id, "day": {"$gte": from_day, "$lt": hours.day_after(to_day)}}
        if volunteer_id is not None:
            query["volunteer_id"] = volunteer_id
        return [entry_of(doc) for doc in self.entries.find(query)]

    def add_certificate(self, certificate: Certificate, event: dict) -> None:
        def work(session: ClientSession) -> None:
            doc = dict(vars(certificate))
            doc["_id"] = doc.pop("code")
            self.certificates.insert_one(doc, session=session)
            outbox.add(self.db, session, event)

        transaction(self.client, work)

    def certificate(self, code: str) -> Certificate | None:
        doc = self.certificates.find_one({"_id": code})
        return _certificate(doc) if doc else None
