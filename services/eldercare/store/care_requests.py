"""The only module that knows MongoDB: care requests, their indexes, and their events in the outbox."""
import dataclasses
from datetime import datetime

import pymongo
from pymongo.client_session import ClientSession

from linli.kit import consumer, outbox
from linli.kit.errors import Aborted
from linli.kit.mongo import Index, ensure_indexes, is_duplicate_key, transaction
from services.eldercare.domain.care_requests import OPEN_STATUSES, RAISED, CareRequest, ListScope, Location

CARE_REQUESTS = "care_requests"
FIGURES = "daily_figures"

INDEXES = [
    # The board: open requests by community, most urgent first.
    Index(CARE_REQUESTS, [("community_id", 1), ("status", 1), ("priority", 1), ("raised_at", 1), ("_id", 1)]),
    Index(CARE_REQUESTS, [("elder_id", 1), ("status", 1)]),
    # The escalation timer's query.
    Index(CARE_REQUESTS, [("status", 1), ("escalate_at", 1)]),
    # Retries of one raise (same client request id) find the first request instead of making a second.
    Index(CARE_REQUESTS, [("community_id", 1), ("raised_by", 1), ("request_id", 1)],
          {"unique": True, "partialFilterExpression": {"request_id": {"$type": "string"}}}),
]


def _document(request: CareRequest) -> dict:
    doc = dataclasses.asdict(request)
    doc["_id"] = doc.pop("id")
    if not request.request_id:
        del doc["request_id"]  # absent, so the partial unique index ignores it
    return doc


def _care_request(doc: dict) -> CareRequest:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    doc["location"] = Location(**doc.get("location") or {})
    doc.setdefault("request_id", "")
    return CareRequest(**doc)


class CareRequestStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.requests = db[CARE_REQUESTS]

    def ensure_indexes(self) -> None:
        ensure_indexes(self.db, INDEXES + outbox.INDEXES + consumer.INDEXES)

    def get(self, request_id: str) -> CareRequest | None:
        doc = self.requests.find_one({"_id": request_id})
        return _care_request(doc) if doc else None

    def find_retry(self, community_id: str, raised_by: str, client_request_id: str) -> CareRequest | None:
        doc = self.requests.find_one({"community_id": community_id, "raised_by": raised_by,
                                      "request_id": client_request_id})
        return _care_request(doc) if doc else None

    def add(self, request: CareRequest, event: dict) -> CareRequest:
        """Insert a new request with its event; a retry of the same client request returns the first."""

        def work(session: ClientSession) -> None:
            self.requests.insert_one(_document(request), session=session)
            outbox.add(self.db, session, event)

        try:
            transaction(self.client, work)
            return request
        except pymongo.errors.PyMongoError as error:
            if request.request_id and is_duplicate_key(error):
                first = self.find_retry(request.community_id, request.raised_by, request.request_id)
                if first is not None:
                    return first
            raise

    def update(self, request: CareRequest, event: dict, session: ClientSession | None = None) -> CareRequest:
        """Save a changed request with its event, if nobody changed it since it was read (version check)."""

        def work(session: ClientSession) -> None:
            result = self.requests.replace_one(
                {"_id": request.id, "version": request.version - 1}, _document(request), session=session
            )
            if result.matched_count != 1:
                raise Aborted(f"care request {request.id} was changed by someone else; read it again and retry")
            outbox.add(self.db, session, event)

        if session is not None:
            work(session)
        else:
            transaction(self.client, work)
        return request

    def list_open(self, scope: ListScope, after: list | None, limit: int) -> list[CareRequest]:
        query: dict = {"status": {"$in": list(OPEN_STATUSES)}}
        if scope.communities is not None:
            query["community_id"] = {"$in": sorted(scope.communities)}
        if scope.elder_id is not None:
            query["elder_id"] = scope.elder_id
        if after:
            priority, raised_at, last_id = after
            raised_at = datetime.fromisoformat(raised_at)
            query["$or"] = [
                {"priority": {"$gt": priority}},
                {"priority": priority, "raised_at": {"$gt": raised_at}},
                {"priority": priority, "raised_at": raised_at, "_id": {"$gt": last_id}},
            ]
        cursor = self.requests.find(query).sort([("priority", 1), ("raised_at", 1), ("_id", 1)]).limit(limit)
        return [_care_request(doc) for doc in cursor]

    def due_for_escalation(self, now: datetime, limit: int = 100) -> list[CareRequest]:
        cursor = self.requests.find({"status": RAISED, "escalate_at": {"$lte": now}}).sort("escalate_at", 1)
        return [_care_request(doc) for doc in cursor.limit(limit)]

    # Daily figures, kept by the worker from events: what an administrator asks for.
    def count_in_figures(self, session: ClientSession, community_id: str, day: str, kind: str,
                         increments: dict, acknowledge_seconds: float | None = None) -> None:
        update: dict = {"$inc": increments}
        if acknowledge_seconds is not None:
            update["$push"] = {"acknowledge_seconds": acknowledge_seconds}
        self.db[FIGURES].update_one(
            {"_id": f"{community_id}:{day}:{kind}"},
            {**update, "$setOnInsert": {"community_id": community_id, "day": day, "kind": kind}},
            upsert=True, session=session,
        )

    def figures(self, community_id: str, day: str) -> list[dict]:
        return list(self.db[FIGURES].find({"community_id": community_id, "day": day}).sort("kind", 1))
