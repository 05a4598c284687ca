"""The audit log in MongoDB: insert and query, nothing else. No code in Linli updates or deletes an
audit record (tests/unit/test_clinic_audit_rules.py checks the source for it); in production the clinic's
database user should hold only insert and find on this collection (docs/operations.md)."""
from datetime import datetime, timedelta

from pymongo.client_session import ClientSession

from linli.kit.mongo import Index
from services.clinic.domain.audit import AuditRecord

AUDIT_LOG = "audit_log"

INDEXES = [
    # Newest first, per community, per patient, per actor.
    Index(AUDIT_LOG, [("community_id", 1), ("at", -1), ("_id", -1)]),
    Index(AUDIT_LOG, [("patient_id", 1), ("at", -1), ("_id", -1)]),
    Index(AUDIT_LOG, [("actor", 1), ("at", -1), ("_id", -1)]),
]


def _doc(record: AuditRecord) -> dict:
    doc = dict(vars(record))
    doc["_id"] = doc.pop("id")
    doc["actor_roles"] = list(record.actor_roles)
    return doc


def _record(doc: dict) -> AuditRecord:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    doc["actor_roles"] = tuple(doc["actor_roles"])
    return AuditRecord(**doc)


class AuditLog:
    def __init__(self, db):
        self.records = db[AUDIT_LOG]

    def append(self, records: list[AuditRecord], session: ClientSession | None = None) -> None:
        """Write records: inside the caller's transaction when given its session (a write of patient
        data), on their own otherwise (a read: before the data is returned)."""
        if records:
            self.records.insert_many([_doc(r) for r in records], ordered=True, session=session)

    def query(self, communities: frozenset[str] | None, patient_id: str, actor: str, since: datetime | None,
              until: datetime | None, after: list | None, limit: int) -> list[AuditRecord]:
        """Newest first; keyset-paginated by (at, id)."""
        query: dict = {}
        if communities is not None:
            query["community_id"] = {"$in": sorted(communities)}
        if patient_id:
            query["patient_id"] = patient_id
        if actor:
            query["actor"] = actor
        at: dict = {}
        if since is not None:
            # "$gt a millisecond before" rather than "$gte": SecantusDB 0.7.0b3 can miss rows equal to a
            # $gte bound on a descending index with fields after it. Mongo keeps milliseconds.
            at["$gt"] = since - timedelta(milliseconds=1)
        if until is not None:
            at["$lt"] = until
        if at:
            query["at"] = at
        if after:
            last_at, last_id = datetime.fromisoformat(after[0]), after[1]
            query["$or"] = [{"at": {"$lt": last_at}}, {"at": last_at, "_id": {"$lt": last_id}}]
        cursor = self.records.find(query).sort([("at", -1), ("_id", -1)]).limit(limit)
        return [_record(doc) for doc in cursor]

    def count_for(self, patient_id: str) -> int:
        return self.records.count_documents({"patient_id": patient_id})
