"""The only module that knows how applications and placements sit in MongoDB."""
from datetime import datetime

import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.errors import AlreadyExists
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.employment.domain import applications, placements
from services.employment.store import documents
from services.employment.store.documents import from_doc
from services.employment.store.jobs import JobStore
from services.employment.store.seekers import SeekerStore

APPLICATIONS = "applications"
PLACEMENTS = "placements"

INDEXES = [
    # One application per seeker and vacancy.
    Index(APPLICATIONS, [("seeker_id", 1), ("vacancy_id", 1)], {"unique": True}),
    Index(APPLICATIONS, [("vacancy_id", 1), ("_id", 1)]),
    Index(APPLICATIONS, [("community_id", 1), ("created_at", 1)]),
    Index(APPLICATIONS, [("fair_id", 1)]),
    Index(PLACEMENTS, [("community_id", 1), ("started_at", 1)]),
    Index(PLACEMENTS, [("seeker_id", 1), ("_id", 1)]),
]


class ApplicationStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.applications = db[APPLICATIONS]
        self.placements = db[PLACEMENTS]


    # -- applications

    def get(self, application_id: str, session: ClientSession | None = None) -> applications.Application | None:
        doc = self.applications.find_one({"_id": application_id}, session=session)
        return from_doc(applications.Application, doc) if doc else None

    def for_pair(self, seeker_id: str, vacancy_id: str) -> applications.Application | None:
        doc = self.applications.find_one({"seeker_id": seeker_id, "vacancy_id": vacancy_id})
        return from_doc(applications.Application, doc) if doc else None

    def add(self, application: applications.Application, event: dict) -> None:
        def work(session: ClientSession) -> None:
            self.applications.insert_one(documents.to_doc(application), session=session)
            outbox.add(self.db, session, event)

        try:
            transaction(self.client, work)
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise AlreadyExists("there is an application of this seeker for this vacancy already") from None
            raise

    def update(self, application: applications.Application, events: list[dict],
               session: ClientSession | None = None) -> None:
        def work(session: ClientSession) -> None:
            documents.replace(self.applications, application, session, "application")
            for event in events:
                outbox.add(self.db, session, event)

        work(session) if session is not None else transaction(self.client, work)

    def save_hire(self, hire: applications.Hire, events: list[dict]) -> None:
        """Everything a hire changes, in one transaction: application, vacancy, seeker, placement, events."""
        jobs, seekers = JobStore(self.client, self.db), SeekerStore(self.client, self.db)
        documents.ensure_counter(self.db, hire.vacancy.community_id)

        def work(session: ClientSession) -> None:
            documents.replace(self.applications, hire.application, session, "application")
            jobs.update_vacancy(hire.vacancy, [], session=session)
            seekers.update(hire.seeker, [], session=session)
            documents.insert(self.placements, hire.placement, session, "placement")
            for event in events:
                outbox.add(self.db, session, event)

        transaction(self.client, work)

    def list_applications(self, query: dict, after: str, limit: int) -> list[applications.Application]:
        """query: seeker_id, vacancy_id, community_id, status (any of them); by id."""
        query = dict(query)
        if after:
            query["_id"] = {"$gt": after}
        cursor = self.applications.find(query).sort("_id", 1).limit(limit)
        return [from_doc(applications.Application, doc) for doc in cursor]

    def active_for_vacancy(self, vacancy_id: str) -> list[applications.Application]:
        cursor = self.applications.find({"vacancy_id": vacancy_id, "status": {"$in": list(applications.ACTIVE)}})
        return [from_doc(applications.Application, doc) for doc in cursor]

    def seekers_intending_at_fair(self, fair_id: str) -> int:
        """Different seekers who expressed an intention at this fair (whatever became of it since)."""
        return len(self.applications.distinct(
            "seeker_id", {"fair_id": fair_id, "history.status": applications.INTENTION_EXPRESSED}))

    def reached(self, community_id: str, start: datetime, end: datetime) -> dict[str, int]:
        """Applications created in [start, end), by each status they reached."""
        counts: dict[str, int] = {}
        cursor = self.applications.find({"community_id": community_id, "created_at": {"$gte": start, "$lt": end}},
                                        {"history.status": 1})
        for doc in cursor:
            for status in {step["status"] for step in doc["history"]}:
                counts[status] = counts.get(status, 0) + 1
        return counts

    # -- placements

    def get_placement(self, placement_id: str) -> placements.Placement | None:
        doc = self.placements.find_one({"_id": placement_id})
        return from_doc(placements.Placement, doc) if doc else None

    def update_placement(self, placement: placements.Placement, events: list[dict],
                         seeker=None, seeker_events: list[dict] = ()) -> None:
        """Save a followed-up placement, and the seeker's status when it changed with it, in one transaction."""
        seekers = SeekerStore(self.client, self.db)
        if seeker is not None:
            documents.ensure_counter(self.db, seeker.community_id)

        def work(session: ClientSession) -> None:
            documents.replace(self.placements, placement, session, "placement")
            if seeker is not None:
                seekers.update(seeker, list(seeker_events), session=session)
            for event in events:
                outbox.add(self.db, session, event)

        transaction(self.client, work)

    def list_placements(self, query: dict, due_by: str, after: str, limit: int) -> list[placements.Placement]:
        """query: community_id or seeker_id; due_by: only active ones with a follow-up due by that day and
        not yet recorded."""
        query = dict(query)
        if due_by:
            query["status"] = placements.ACTIVE
            # Due on or before due_by; days are YYYY-MM-DD strings, so "before the next character" is "≤".
            query["follow_ups"] = {"$elemMatch": {"recorded_at": None, "due_on": {"$lt": due_by + "~"}}}
        if after:
            query["_id"] = {"$gt": after}
        cursor = self.placements.find(query).sort("_id", 1).limit(limit)
        return [from_doc(placements.Placement, doc) for doc in cursor]

    def placement_starts(self, community_id: str, start: datetime, end: datetime) -> list[datetime]:
        cursor = self.placements.find({"community_id": community_id, "started_at": {"$gte": start, "$lt": end}},
                                      {"started_at": 1})
        return [doc["started_at"] for doc in cursor]

    def follow_up_results(self, community_id: str, start: datetime, end: datetime) -> list[tuple[int, bool]]:
        """(months, still employed) of every recorded follow-up of placements begun in [start, end)."""
        cursor = self.placements.find({"community_id": community_id, "started_at": {"$gte": start, "$lt": end}},
                                      {"follow_ups": 1})
        return [(f["months"], f["still_employed"]) for doc in cursor for f in doc["follow_ups"]
                if f.get("recorded_at") is not None]
