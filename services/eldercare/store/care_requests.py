"""The only module that knows how care requests, their figures and their events sit in MongoDB."""
import random
from datetime import datetime

import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.errors import Aborted, InvalidArgument
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.eldercare.domain import figures as figure_rules
from services.eldercare.domain.care_requests import (
    ACTIVE_STATUSES, ASSIGNED, OPEN_STATUSES, RAISED, UPCOMING_STATUSES, Assignment, CareRequest, Feedback,
    Call, CallGuest, GeoPoint, ListScope, Location, Transition, Visit)

CARE_REQUESTS = "care_requests"
FIGURES = "daily_figures"
# Handlers counting the same community, day and kind at once would all write one document, and
# transactions writing one document conflict (WriteConflict, retried with backoff): a burst of calls was
# counted at a fifth of the rate (docs/performance.md). So each count goes to one of FIGURE_SHARDS
# documents, picked at random (apply_once still counts each event once), and figures() adds them up.
FIGURE_SHARDS = 32

INDEXES = [
    # The board: open requests by community, most urgent first, then longest waiting.
    Index(CARE_REQUESTS, [("community_id", 1), ("status", 1), ("priority", 1), ("waiting_since", 1), ("_id", 1)]),
    Index(CARE_REQUESTS, [("elder_id", 1), ("status", 1)]),
    Index(CARE_REQUESTS, [("assignment.assignee_id", 1), ("status", 1)]),
    # Upcoming visits (booked for later), soonest first.
    Index(CARE_REQUESTS, [("community_id", 1), ("status", 1), ("scheduled_for", 1), ("_id", 1)]),
    # The timers' queries: overdue acknowledgements and overdue assignments.
    Index(CARE_REQUESTS, [("status", 1), ("escalate_at", 1)]),
    Index(CARE_REQUESTS, [("status", 1), ("assignment.accept_due_at", 1)]),
    # Retries of one raise (same client request id) find the first request instead of making a second.
    Index(CARE_REQUESTS, [("community_id", 1), ("raised_by", 1), ("request_id", 1)],
          {"unique": True, "partialFilterExpression": {"request_id": {"$type": "string"}}}),
    # The board's resume reads recent events from the outbox in commit order.
    Index(outbox.OUTBOX, [("created_at", 1), ("_id", 1)]),
]


def _point(value: dict | None) -> GeoPoint | None:
    return GeoPoint(value["latitude"], value["longitude"]) if value else None


def _point_doc(point: GeoPoint | None) -> dict | None:
    return {"latitude": point.latitude, "longitude": point.longitude} if point else None


def _document(request: CareRequest) -> dict:
    a, v, f = request.assignment, request.visit, request.feedback
    doc = {
        "_id": request.id, "community_id": request.community_id, "elder_id": request.elder_id,
        "kind": request.kind, "channel": request.channel, "priority": request.priority,
        "raised_by": request.raised_by, "raised_at": request.raised_at,
        "acknowledge_due_at": request.acknowledge_due_at,
        "location": vars(request.location), "description": request.description, "status": request.status,
        "acknowledged_at": request.acknowledged_at, "acknowledged_by": request.acknowledged_by,
        "escalation_level": request.escalation_level, "escalated_at": request.escalated_at,
        "escalate_at": request.escalate_at, "version": request.version, "position": _point_doc(request.position),
        "device_id": request.device_id, "eta": request.eta, "disposition": request.disposition,
        "cancel_reason": request.cancel_reason,
        "assignment": vars(a) if a else None,
        "visit": {**vars(v), "position": _point_doc(v.position)} if v else None,
        "history": [vars(t) for t in request.history],
        "feedback": vars(f) if f else None,
        "scheduled_for": request.scheduled_for,
        "position_source": request.position_source, "position_accuracy_m": request.position_accuracy_m,
        # The lists' sort key: when its clock started (a booked visit waits from its booked time, not from
        # when it was booked). Derived, so kept in step on every write.
        "waiting_since": request.clock_starts_at,
        "calls": [{**vars(call), "guests": [vars(guest) for guest in call.guests]} for call in request.calls],
    }
    if request.request_id:  # absent otherwise, so the partial unique index ignores it
        doc["request_id"] = request.request_id
    return doc


def _care_request(doc: dict) -> CareRequest:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    doc.pop("waiting_since", None)
    doc["location"] = Location(**doc.get("location") or {})
    doc["position"] = _point(doc.get("position"))
    doc["assignment"] = Assignment(**doc["assignment"]) if doc.get("assignment") else None
    if doc.get("visit"):
        doc["visit"] = Visit(**{**doc["visit"], "position": _point(doc["visit"].get("position"))})
    doc["history"] = tuple(Transition(**t) for t in doc.get("history", ()))
    doc["feedback"] = Feedback(**doc["feedback"]) if doc.get("feedback") else None
    doc["calls"] = tuple(Call(**{**call, "guests": tuple(CallGuest(**g) for g in call.get("guests", ()))})
                         for call in doc.get("calls", ()))
    return CareRequest(**doc)


def _one_of(values) -> dict | str:
    """Equality for one value, $in for several. The same to MongoDB; but SecantusDB (local runs and tests)
    uses an index only when its first field is matched by equality, and a device press's look for the
    elder's unanswered calls scanned every care request ever raised (docs/performance.md)."""
    ordered = sorted(values)
    return ordered[0] if len(ordered) == 1 else {"$in": ordered}


def _scope_query(scope: ListScope) -> dict:
    query: dict = {}
    if scope.communities is not None:
        query["community_id"] = _one_of(scope.communities)
    if scope.elder_ids is not None:
        query["elder_id"] = _one_of(scope.elder_ids)
    if scope.assignee_id is not None:
        query["assignment.assignee_id"] = scope.assignee_id
    return query


class CareRequestStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.requests = db[CARE_REQUESTS]

    def backfill_waiting_since(self, batch: int = 500) -> int:
        """Give requests saved before waiting_since existed their sort key (scheduled time, else raised time),
        when the api starts. Idempotent, and safe beside other replicas doing the same (each sets the same
        value, only where none is set yet). Returns how many it found without one."""
        done = 0
        while True:
            docs = list(self.requests.find({"waiting_since": {"$exists": False}},
                                           {"raised_at": 1, "scheduled_for": 1}).limit(batch))
            for doc in docs:
                self.requests.update_one({"_id": doc["_id"], "waiting_since": {"$exists": False}},
                                         {"$set": {"waiting_since": doc.get("scheduled_for") or doc["raised_at"]}})
            done += len(docs)
            if len(docs) < batch:
                return done

    def get(self, request_id: str) -> CareRequest | None:
        doc = self.requests.find_one({"_id": request_id})
        return _care_request(doc) if doc else None

    def find_retry(self, community_id: str, raised_by: str, client_request_id: str) -> CareRequest | None:
        doc = self.requests.find_one({"community_id": community_id, "raised_by": raised_by,
                                      "request_id": client_request_id})
        return _care_request(doc) if doc else None

    def add(self, request: CareRequest, event: dict, session: ClientSession | None = None) -> CareRequest:
        """Insert a new request with its event; a retry of the same client request returns the first.
        With a session, the insert joins the caller's transaction (and a duplicate raises to it)."""

        def work(session: ClientSession) -> None:
            self.requests.insert_one(_document(request), session=session)
            outbox.add(self.db, session, event)

        if session is not None:
            work(session)
            return request
        try:
            transaction(self.client, work)
            return request
        except pymongo.errors.PyMongoError as error:
            if request.request_id and is_duplicate_key(error):
                first = self.find_retry(request.community_id, request.raised_by, request.request_id)
                if first is not None:
                    return first
            raise

    def update(self, request: CareRequest, event: dict | None, session: ClientSession | None = None) -> CareRequest:
        """Save a changed request with its event, if nobody changed it since it was read (version check)."""

        def work(session: ClientSession) -> None:
            result = self.requests.replace_one(
                {"_id": request.id, "version": request.version - 1}, _document(request), session=session
            )
            if result.matched_count != 1:
                raise Aborted(f"care request {request.id} was changed by someone else; read it again and retry")
            if event is not None:
                outbox.add(self.db, session, event)

        if session is not None:
            work(session)
        else:
            transaction(self.client, work)
        return request

    def list_requests(self, scope: ListScope, statuses: tuple[str, ...], after: list | None,
                      limit: int, live_at: datetime | None = None,
                      session: ClientSession | None = None) -> list[CareRequest]:
        """Most urgent first, then longest waiting (since its clock started: a visit booked for later from its
        booked time); keyset-paginated by (priority, waiting_since, id). With live_at: without the visits
        that are upcoming then (domain's is_upcoming)."""
        query = {"status": {"$in": list(statuses)}, **_scope_query(scope)}
        if live_at is not None:
            query["$nor"] = [{"status": {"$in": list(UPCOMING_STATUSES)}, "scheduled_for": {"$gt": live_at}}]
        if after:
            try:
                priority, waiting_since, last_id = int(after[0]), datetime.fromisoformat(after[1]), str(after[2])
            except (TypeError, ValueError):
                raise InvalidArgument("page_token is not one this service issued",
                                      {"page_token": "not recognised"}) from None
            query["$or"] = [
                {"priority": {"$gt": priority}},
                {"priority": priority, "waiting_since": {"$gt": waiting_since}},
                {"priority": priority, "waiting_since": waiting_since, "_id": {"$gt": last_id}},
            ]
        cursor = self.requests.find(query, session=session).sort(
            [("priority", 1), ("waiting_since", 1), ("_id", 1)]).limit(limit)
        return [_care_request(doc) for doc in cursor]

    def list_open(self, scope: ListScope, after: list | None, limit: int, now: datetime) -> list[CareRequest]:
        """The live calls: open, and not a visit booked for later whose time has not come."""
        return self.list_requests(scope, OPEN_STATUSES, after, limit, live_at=now)

    def list_upcoming(self, scope: ListScope, after: list | None, limit: int, now: datetime) -> list[CareRequest]:
        """Visits booked for later whose time has not come, soonest first; keyset-paginated by
        (scheduled_for, id)."""
        query = {"status": {"$in": list(UPCOMING_STATUSES)}, "scheduled_for": {"$gt": now}, **_scope_query(scope)}
        if after:
            try:
                scheduled_for, last_id = datetime.fromisoformat(after[0]), str(after[1])
            except (TypeError, ValueError):
                raise InvalidArgument("page_token is not one this service issued",
                                      {"page_token": "not recognised"}) from None
            query["$or"] = [{"scheduled_for": {"$gt": scheduled_for}},
                            {"scheduled_for": scheduled_for, "_id": {"$gt": last_id}}]
        cursor = self.requests.find(query).sort([("scheduled_for", 1), ("_id", 1)]).limit(limit)
        return [_care_request(doc) for doc in cursor]

    def due_for_escalation(self, now: datetime, limit: int = 100) -> list[CareRequest]:
        cursor = self.requests.find({"status": RAISED, "escalate_at": {"$lte": now}}).sort("escalate_at", 1)
        return [_care_request(doc) for doc in cursor.limit(limit)]

    def overdue_assignments(self, now: datetime, limit: int = 100) -> list[CareRequest]:
        cursor = self.requests.find({"status": ASSIGNED, "assignment.accepted_at": None,
                                     "assignment.accept_due_at": {"$lte": now}})
        return [_care_request(doc) for doc in cursor.sort("assignment.accept_due_at", 1).limit(limit)]

    def loads(self, assignee_ids: list[str]) -> dict[str, int]:
        """Open jobs each assignee holds (assigned, on the way, or on site)."""
        pipeline = [
            {"$match": {"status": {"$in": list(ACTIVE_STATUSES)}, "assignment.assignee_id": {"$in": assignee_ids}}},
            {"$group": {"_id": "$assignment.assignee_id", "jobs": {"$sum": 1}}},
        ]
        return {row["_id"]: row["jobs"] for row in self.requests.aggregate(pipeline)}

    def events_after(self, after_event_id: str, scope: ListScope, limit: int) -> tuple[list[dict], bool]:
        """Care-request events committed after the given one, oldest first, for a stream resuming.
        Returns (envelopes, complete); complete is False when the given event is unknown or expired."""
        last = self.db[outbox.OUTBOX].find_one({"_id": after_event_id}, {"created_at": 1})
        if last is None:
            return [], False
        # Unsent events too: one committed just before the client reconnected may not be published yet,
        # and the client drops the copy that later arrives live (same event id).
        query: dict = {
            "routing_key": {"$regex": r"^care_request\."},
            "$or": [{"created_at": {"$gt": last["created_at"]}},
                    {"created_at": last["created_at"], "_id": {"$gt": after_event_id}}],
        }
        # The same scope as the lists, on the request each event carries.
        query.update({("body." if field == "community_id" else "body.data.care_request.") + field: condition
                      for field, condition in _scope_query(scope).items()})
        records = self.db[outbox.OUTBOX].find(query).sort([("created_at", 1), ("_id", 1)]).limit(limit + 1)
        envelopes = [record["body"] for record in records]
        return envelopes[:limit], len(envelopes) <= limit

    # Daily figures, kept by the worker from events: what an administrator asks for.
    def count_in_figures(self, session: ClientSession, community_id: str, day: str, kind: str,
                         increments: dict, samples: dict | None = None) -> None:
        update: dict = {"$inc": increments,
                        "$setOnInsert": {"community_id": community_id, "day": day, "kind": kind}}
        if samples:
            update["$push"] = samples
        shard = random.randrange(FIGURE_SHARDS)
        self.db[FIGURES].update_one({"_id": f"{community_id}:{day}:{kind}:{shard}"}, update, upsert=True,
                                    session=session)

    def figures(self, community_id: str, from_day: str, to_day: str | None = None) -> list[dict]:
        """One counters document per day and kind (its shards added up), by day, then kind."""
        days = {"$gte": from_day, "$lte": to_day or from_day}
        parts = self.db[FIGURES].find({"community_id": community_id, "day": days}).sort([("day", 1), ("kind", 1)])
        return figure_rules.merge(list(parts))
