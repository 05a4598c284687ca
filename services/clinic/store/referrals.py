"""The only module that knows how referrals, their change log and their events sit in MongoDB.

Every change of a referral appends an entry to `referral_changes` in the same transaction, numbered
from one counter document. Two transactions that both bump the counter conflict, so one waits for the
other (MongoDB retries it): the numbers follow commit order, and a partner's watch that resumes after
number N misses nothing and repeats nothing.
"""
from datetime import datetime, timedelta

import pymongo
from pymongo import ReturnDocument
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.errors import Aborted
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.clinic.domain.audit import AuditRecord
from services.clinic.domain.referrals import (
    Attachment, Change, Content, FollowUp, Outcome, Referral, ReferralScope, TaskChange)
from services.clinic.store.audit import AuditLog

REFERRALS = "referrals"
CHANGES = "referral_changes"
COUNTERS = "counters"
CHANGE_COUNTER = "referral_changes"

INDEXES = [
    Index(REFERRALS, [("community_id", 1), ("last_modified", -1), ("_id", -1)]),
    Index(REFERRALS, [("resident_id", 1), ("last_modified", -1)]),
    # A partner's lists: the referrals it sent, and those it received.
    Index(REFERRALS, [("requester", 1), ("last_modified", 1), ("_id", 1)]),
    Index(REFERRALS, [("performer", 1), ("last_modified", 1), ("_id", 1)]),
    Index(REFERRALS, [("patient_id", 1)]),
    # Idempotent submission: one referral per requester and request id.
    Index(REFERRALS, [("requester", 1), ("request_id", 1)],
          {"unique": True, "partialFilterExpression": {"request_id": {"$type": "string"}}}),
    # A partner's watch: its changes in order.
    Index(CHANGES, [("parties", 1), ("_id", 1)]),
]


def _attachment_doc(a: Attachment) -> dict:
    return vars(a)


def _attachments(docs: list[dict]) -> tuple[Attachment, ...]:
    return tuple(Attachment(**d) for d in docs)


def _doc(r: Referral) -> dict:
    c = r.content
    doc = {
        "_id": r.id, "community_id": r.community_id, "patient_id": r.patient_id, "resident_id": r.resident_id,
        "requester": r.requester, "performer": r.performer,
        "content": {**vars(c), "attachments": [_attachment_doc(a) for a in c.attachments],
                    "follow_up": vars(c.follow_up) if c.follow_up else None},
        "authored_on": r.authored_on, "fingerprint": r.fingerprint, "status": r.status,
        "business_status": r.business_status, "status_reason": r.status_reason, "last_modified": r.last_modified,
        "history": [vars(t) for t in r.history],
        "outcomes": [{**vars(o), "attachments": [_attachment_doc(a) for a in o.attachments]} for o in r.outcomes],
        "version": r.version,
    }
    if r.request_id:  # absent otherwise, so the partial unique index ignores it
        doc["request_id"] = r.request_id
    return doc


def _referral(doc: dict) -> Referral:
    c = doc["content"]
    content = Content(**{**c, "attachments": _attachments(c["attachments"]),
                         "follow_up": FollowUp(**c["follow_up"]) if c.get("follow_up") else None})
    return Referral(
        doc["_id"], doc["community_id"], doc["patient_id"], doc["resident_id"], doc["requester"], doc["performer"],
        content, doc["authored_on"], doc.get("request_id", ""), doc["fingerprint"], doc["status"],
        doc["business_status"], doc["status_reason"], doc["last_modified"],
        tuple(TaskChange(**t) for t in doc["history"]),
        tuple(Outcome(**{**o, "attachments": _attachments(o["attachments"])}) for o in doc["outcomes"]),
        doc["version"])


def _change(doc: dict) -> tuple[int, Change]:
    return doc["_id"], Change(doc["kind"], _referral(doc["referral"]), doc["by_organisation"], doc["at"],
                              doc.get("previous_status", ""))


class ReferralStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.referrals = db[REFERRALS]
        self.changes = db[CHANGES]
        self.audit = AuditLog(db)

        # The counter exists before any transaction bumps it (no upsert inside transactions).
        try:
            self.db[COUNTERS].insert_one({"_id": CHANGE_COUNTER, "seq": 0})
        except pymongo.errors.PyMongoError as error:
            if not is_duplicate_key(error):
                raise

    def _log(self, change: Change, session: ClientSession) -> int:
        counter = self.db[COUNTERS].find_one_and_update(
            {"_id": CHANGE_COUNTER}, {"$inc": {"seq": 1}}, return_document=ReturnDocument.AFTER, session=session)
        r = change.referral
        self.changes.insert_one({
            "_id": counter["seq"], "parties": [r.requester, r.performer], "referral_id": r.id, "kind": change.kind,
            "by_organisation": change.by_organisation, "at": change.at, "previous_status": change.previous_status,
            "referral": _doc(r),
        }, session=session)
        return counter["seq"]

    def add(self, change: Change, events: list[dict], audits: list[AuditRecord]) -> tuple[Referral, bool]:
        """Insert a new referral with its change, events and audit records, in one transaction.
        When its requester already used its request id, nothing is written and the first referral is
        returned with False (the caller tells a retry from a reuse)."""
        referral = change.referral

        def work(session: ClientSession) -> None:
            self.referrals.insert_one(_doc(referral), session=session)
            self._log(change, session)
            for event in events:
                outbox.add(self.db, session, event)
            self.audit.append(audits, session)

        try:
            transaction(self.client, work)
            return referral, True
        except pymongo.errors.PyMongoError as error:
            if referral.request_id and is_duplicate_key(error):
                first = self.by_request(referral.requester, referral.request_id)
                if first is not None:
                    return first, False
            raise

    def save(self, change: Change, events: list[dict], audits: list[AuditRecord]) -> Referral:
        """Save a changed referral (version check) with its change, events and audit records."""
        referral = change.referral

        def work(session: ClientSession) -> None:
            result = self.referrals.replace_one({"_id": referral.id, "version": referral.version - 1},
                                                _doc(referral), session=session)
            if result.matched_count != 1:
                raise Aborted(f"referral {referral.id} was changed meanwhile; read it again and retry")
            self._log(change, session)
            for event in events:
                outbox.add(self.db, session, event)
            self.audit.append(audits, session)

        transaction(self.client, work)
        return referral

    def get(self, referral_id: str) -> Referral | None:
        doc = self.referrals.find_one({"_id": referral_id})
        return _referral(doc) if doc else None

    def by_request(self, requester: str, request_id: str) -> Referral | None:
        doc = self.referrals.find_one({"requester": requester, "request_id": request_id})
        return _referral(doc) if doc else None

    def shares_patient(self, organisation_id: str, patient_id: str) -> bool:
        """Whether the organisation sent or received a referral of this patient."""
        return self.referrals.find_one(
            {"patient_id": patient_id, "$or": [{"requester": organisation_id}, {"performer": organisation_id}]},
            {"_id": 1}) is not None

    def page(self, scope: ReferralScope, statuses: tuple[str, ...], after: list | None,
             limit: int) -> list[Referral]:
        """Inside the platform: most recently changed first; keyset-paginated by (last_modified, id)."""
        query: dict = {}
        if scope.communities is not None:
            query["community_id"] = {"$in": sorted(scope.communities)}
        if scope.resident_id is not None:
            query["resident_id"] = scope.resident_id
        if scope.patient_id is not None:
            query["patient_id"] = scope.patient_id
        if statuses:
            query["status"] = {"$in": list(statuses)}
        if after:
            at, last_id = datetime.fromisoformat(after[0]), after[1]
            query["$or"] = [{"last_modified": {"$lt": at}}, {"last_modified": at, "_id": {"$lt": last_id}}]
        cursor = self.referrals.find(query).sort([("last_modified", -1), ("_id", -1)]).limit(limit)
        return [_referral(doc) for doc in cursor]

    def list_for_partner(self, partner_id: str, statuses: tuple[str, ...], changed_since: datetime | None,
                         changed_before: datetime | None, after: list | None, limit: int) -> list[Referral]:
        """A partner's referrals (sent or received), oldest change first; keyset by (last_modified, id)."""
        query: dict = {"$and": [{"$or": [{"requester": partner_id}, {"performer": partner_id}]}]}
        if statuses:
            query["status"] = {"$in": list(statuses)}
        window: dict = {}
        if changed_since is not None:
            # "$gt a millisecond before" rather than "$gte" (SecantusDB 0.7.0b3 can miss rows equal to a
            # $gte bound on compound indexes); Mongo keeps milliseconds, so nothing else changes.
            window["$gt"] = changed_since - timedelta(milliseconds=1)
        if changed_before is not None:
            window["$lt"] = changed_before
        if window:
            query["last_modified"] = window
        if after:
            at, last_id = datetime.fromisoformat(after[0]), after[1]
            query["$and"].append({"$or": [{"last_modified": {"$gt": at}},
                                          {"last_modified": at, "_id": {"$gt": last_id}}]})
        cursor = self.referrals.find(query).sort([("last_modified", 1), ("_id", 1)]).limit(limit)
        return [_referral(doc) for doc in cursor]

    # -- the change log partners watch

    def last_change(self) -> int:
        counter = self.db[COUNTERS].find_one({"_id": CHANGE_COUNTER})
        return counter["seq"] if counter else 0

    def changes_after(self, organisation_id: str, after: int, limit: int) -> list[tuple[int, Change]]:
        cursor = self.changes.find({"parties": organisation_id, "_id": {"$gt": after}}).sort("_id", 1).limit(limit)
        return [_change(doc) for doc in cursor]
