"""The only module that knows how triage entries sit in MongoDB."""
from datetime import datetime

import pymongo
from pymongo.client_session import ClientSession

from linli.kit.errors import Aborted
from linli.kit.mongo import Index, transaction
from services.clinic.domain.audit import AuditRecord
from services.clinic.domain.triage import CLOSED, TriageEntry
from services.clinic.store.audit import AuditLog

TRIAGE = "triage_entries"

INDEXES = [
    # The nurse's list: per community, open first by urgency, then the oldest.
    Index(TRIAGE, [("community_id", 1), ("status", 1), ("priority", 1), ("raised_at", 1), ("_id", 1)]),
    # One entry per care request.
    Index(TRIAGE, [("care_request_id", 1)], {"unique": True}),
]


def _doc(entry: TriageEntry) -> dict:
    doc = dict(vars(entry))
    doc["_id"] = doc.pop("id")
    return doc


def _entry(doc: dict) -> TriageEntry:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    return TriageEntry(**doc)


class TriageStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.entries = db[TRIAGE]
        self.audit = AuditLog(db)

    def add(self, entry: TriageEntry, audits: list[AuditRecord], session: ClientSession) -> None:
        """Inside the caller's transaction (the worker's apply-once)."""
        self.entries.insert_one(_doc(entry), session=session)
        self.audit.append(audits, session)

    def get(self, entry_id: str) -> TriageEntry | None:
        doc = self.entries.find_one({"_id": entry_id})
        return _entry(doc) if doc else None

    def by_care_request(self, care_request_id: str) -> TriageEntry | None:
        doc = self.entries.find_one({"care_request_id": care_request_id})
        return _entry(doc) if doc else None

    def save(self, entry: TriageEntry, audits: list[AuditRecord]) -> TriageEntry:
        def work(session: ClientSession) -> None:
            result = self.entries.replace_one({"_id": entry.id, "version": entry.version - 1}, _doc(entry),
                                              session=session)
            if result.matched_count != 1:
                raise Aborted(f"triage entry {entry.id} was changed by someone else; read it again and retry")
            self.audit.append(audits, session)

        transaction(self.client, work)
        return entry

    def page(self, communities: frozenset[str] | None, include_closed: bool, after: list | None,
             limit: int, now: datetime) -> list[TriageEntry]:
        """Entries that have reached the nurse by now (a visit booked ahead is not due before its time), most
        urgent first, then the oldest; keyset-paginated by (priority, raised_at, id)."""
        query: dict = {"raised_at": {"$lte": now}}
        if not include_closed:
            query["status"] = {"$ne": CLOSED}
        if communities is not None:
            query["community_id"] = {"$in": sorted(communities)}
        if after:
            priority, raised_at, last_id = after[0], datetime.fromisoformat(after[1]), after[2]
            query["$or"] = [{"priority": {"$gt": priority}},
                            {"priority": priority, "raised_at": {"$gt": raised_at}},
                            {"priority": priority, "raised_at": raised_at, "_id": {"$gt": last_id}}]
        cursor = self.entries.find(query).sort([("priority", 1), ("raised_at", 1), ("_id", 1)]).limit(limit)
        return [_entry(doc) for doc in cursor]
