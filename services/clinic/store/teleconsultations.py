"""The only module that knows how teleconsultations sit in MongoDB."""
from datetime import datetime, timedelta

import pymongo
from pymongo.client_session import ClientSession

from linli.kit.errors import Aborted
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.clinic.domain.audit import AuditRecord
from services.clinic.domain.teleconsultations import (
    IN_PROGRESS, SCHEDULED, Attendance, ConsultationScope, Note, Teleconsultation, Transition)
from services.clinic.store.audit import AuditLog

TELECONSULTATIONS = "teleconsultations"

INDEXES = [
    Index(TELECONSULTATIONS, [("community_id", 1), ("requested_at", -1), ("_id", -1)]),
    Index(TELECONSULTATIONS, [("resident_id", 1), ("requested_at", -1)]),
    Index(TELECONSULTATIONS, [("partner_id", 1), ("status", 1), ("scheduled_start", 1)]),
    # Retries of one request (same client request id) find the first session instead of making a second.
    Index(TELECONSULTATIONS, [("community_id", 1), ("requested_by", 1), ("request_id", 1)],
          {"unique": True, "partialFilterExpression": {"request_id": {"$type": "string"}}}),
]


def _doc(c: Teleconsultation) -> dict:
    doc = {**vars(c), "duration": c.duration.total_seconds(), "notes": [vars(n) for n in c.notes],
           "history": [vars(t) for t in c.history], "attendance": [vars(a) for a in c.attendance],
           "link_devices": [list(pair) for pair in c.link_devices]}
    doc["_id"] = doc.pop("id")
    if not c.request_id:  # absent, so the partial unique index ignores it
        del doc["request_id"]
    return doc


def _consultation(doc: dict) -> Teleconsultation:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    doc["duration"] = timedelta(seconds=doc["duration"])
    doc["notes"] = tuple(Note(**n) for n in doc["notes"])
    doc["history"] = tuple(Transition(**t) for t in doc["history"])
    doc["attendance"] = tuple(Attendance(**a) for a in doc.get("attendance", ()))
    doc["link_devices"] = tuple(tuple(pair) for pair in doc.get("link_devices", ()))
    return Teleconsultation(**doc)


class TeleconsultationStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.consultations = db[TELECONSULTATIONS]
        self.audit = AuditLog(db)

    def add(self, consultation: Teleconsultation, audits: list[AuditRecord]) -> tuple[Teleconsultation, bool]:
        """Insert with its audit records; a retry of the same client request returns the first (and False)."""

        def work(session: ClientSession) -> None:
            self.consultations.insert_one(_doc(consultation), session=session)
            self.audit.append(audits, session)

        try:
            transaction(self.client, work)
            return consultation, True
        except pymongo.errors.PyMongoError as error:
            if consultation.request_id and is_duplicate_key(error):
                doc = self.consultations.find_one({"community_id": consultation.community_id,
                                                   "requested_by": consultation.requested_by,
                                                   "request_id": consultation.request_id})
                if doc is not None:
                    return _consultation(doc), False
            raise

    def get(self, consultation_id: str) -> Teleconsultation | None:
        doc = self.consultations.find_one({"_id": consultation_id})
        return _consultation(doc) if doc else None

    def save(self, consultation: Teleconsultation, audits: list[AuditRecord]) -> Teleconsultation:
        def work(session: ClientSession) -> None:
            result = self.consultations.replace_one({"_id": consultation.id, "version": consultation.version - 1},
                                                    _doc(consultation), session=session)
            if result.matched_count != 1:
                raise Aborted(f"teleconsultation {consultation.id} was changed by someone else; read it again")
            self.audit.append(audits, session)

        transaction(self.client, work)
        return consultation

    def page(self, scope: ConsultationScope, after: list | None, limit: int) -> list[Teleconsultation]:
        """Newest request first; keyset-paginated by (requested_at, id)."""
        query: dict = {}
        if scope.communities is not None:
            query["community_id"] = {"$in": sorted(scope.communities)}
        if scope.resident_id is not None:
            query["resident_id"] = scope.resident_id
        if scope.patient_id is not None:
            query["patient_id"] = scope.patient_id
        if after:
            at, last_id = datetime.fromisoformat(after[0]), after[1]
            query["$or"] = [{"requested_at": {"$lt": at}}, {"requested_at": at, "_id": {"$lt": last_id}}]
        cursor = self.consultations.find(query).sort([("requested_at", -1), ("_id", -1)]).limit(limit)
        return [_consultation(doc) for doc in cursor]

    def open_for_partner(self, partner_id: str, limit: int) -> list[Teleconsultation]:
        """The partner's scheduled and in-progress sessions, soonest first."""
        cursor = self.consultations.find({"partner_id": partner_id, "status": {"$in": [SCHEDULED, IN_PROGRESS]}}
                                         ).sort([("scheduled_start", 1), ("_id", 1)]).limit(limit)
        return [_consultation(doc) for doc in cursor]
