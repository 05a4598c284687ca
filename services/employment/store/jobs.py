"""The only module that knows how skills, employers and vacancies sit in MongoDB."""
import dataclasses
from datetime import datetime

import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.errors import AlreadyExists
from linli.kit.mongo import Index, transaction
from services.employment.domain import jobs, skills
from services.employment.store import documents
from services.employment.store.documents import from_doc

SKILLS = "skills"
EMPLOYERS = "employers"
VACANCIES = "vacancies"

INDEXES = [
    Index(EMPLOYERS, [("community_id", 1), ("_id", 1)]),
    # "The employers I act for".
    Index(EMPLOYERS, [("user_ids", 1)]),
    Index(VACANCIES, [("community_id", 1), ("status", 1), ("_id", 1)]),
    Index(VACANCIES, [("employer_id", 1), ("_id", 1)]),
    Index(VACANCIES, [("fair_id", 1)]),
    Index(VACANCIES, [("import_id", 1)]),
    # Matching indexes catch up with what changed since the revision they hold.
    Index(VACANCIES, [("community_id", 1), ("revision", 1)]),
    # The worker's timer finds open vacancies past their open days.
    Index(VACANCIES, [("matchable", 1), ("expires_at", 1)]),
]


def vacancy_extra(vacancy: jobs.Vacancy, revision: int) -> dict:
    """What matching reads besides the record: the revision of this change, and whether it is matched."""
    return {"revision": revision, "matchable": vacancy.status in jobs.MATCHABLE}


class JobStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.skills = db[SKILLS]
        self.employers = db[EMPLOYERS]
        self.vacancies = db[VACANCIES]


    # -- skills

    def all_skills(self) -> list[skills.Skill]:
        added = [from_doc(skills.Skill, {**doc, "code": doc["_id"]}) for doc in self.skills.find().sort("_id", 1)]
        return list(skills.CURATED) + added

    def known_codes(self) -> frozenset[str]:
        return skills.CURATED_CODES | frozenset(doc["_id"] for doc in self.skills.find({}, {"_id": 1}))

    def add_skill(self, skill: skills.Skill, added_at: datetime) -> skills.Skill:
        doc = {**dataclasses.asdict(skill), "added_at": added_at}
        doc["_id"] = doc.pop("code")
        try:
            self.skills.insert_one(doc)
        except pymongo.errors.DuplicateKeyError:
            raise AlreadyExists(f"skill {skill.code} is already in the taxonomy") from None
        return skill

    # -- employers

    def get_employer(self, employer_id: str) -> jobs.Employer | None:
        doc = self.employers.find_one({"_id": employer_id})
        return from_doc(jobs.Employer, doc) if doc else None

    def employers_by_id(self, ids) -> dict[str, jobs.Employer]:
        return {doc["_id"]: from_doc(jobs.Employer, doc) for doc in self.employers.find({"_id": {"$in": list(ids)}})}

    def employers_of_user(self, user_id: str) -> list[jobs.Employer]:
        return [from_doc(jobs.Employer, doc) for doc in self.employers.find({"user_ids": user_id}).sort("_id", 1)]

    def add_employer(self, employer: jobs.Employer) -> jobs.Employer:
        documents.insert(self.employers, employer, None, "employer")
        return employer

    def list_employers(self, community_id: str, after: str, limit: int) -> list[jobs.Employer]:
        query: dict = {"community_id": community_id}
        if after:
            query["_id"] = {"$gt": after}
        return [from_doc(jobs.Employer, doc) for doc in self.employers.find(query).sort("_id", 1).limit(limit)]

    # -- vacancies

    def get_vacancy(self, vacancy_id: str, session: ClientSession | None = None) -> jobs.Vacancy | None:
        doc = self.vacancies.find_one({"_id": vacancy_id}, session=session)
        return from_doc(jobs.Vacancy, doc) if doc else None

    def vacancies_by_id(self, ids) -> dict[str, jobs.Vacancy]:
        return {doc["_id"]: from_doc(jobs.Vacancy, doc) for doc in self.vacancies.find({"_id": {"$in": list(ids)}})}

    def add_vacancies(self, vacancies: list[jobs.Vacancy], events: list[dict],
                      session: ClientSession | None = None) -> None:
        """Insert new vacancies of one community with their events, in one transaction."""
        if not vacancies:
            return
        documents.ensure_counter(self.db, vacancies[0].community_id)

        def work(session: ClientSession) -> None:
            # One revision for the whole batch (an import's vacancies are all of one community).
            revision = documents.next_revision(self.db, session, vacancies[0].community_id)
            for vacancy in vacancies:
                documents.insert(self.vacancies, vacancy, session, "vacancy", vacancy_extra(vacancy, revision))
            for event in events:
                outbox.add(self.db, session, event)

        work(session) if session is not None else transaction(self.client, work)

    def update_vacancy(self, vacancy: jobs.Vacancy, events: list[dict], session: ClientSession | None = None) -> None:
        """Save a changed vacancy with its events, if nobody changed it since it was read."""
        documents.ensure_counter(self.db, vacancy.community_id)

        def work(session: ClientSession) -> None:
            revision = documents.next_revision(self.db, session, vacancy.community_id)
            documents.replace(self.vacancies, vacancy, session, "vacancy", vacancy_extra(vacancy, revision))
            for event in events:
                outbox.add(self.db, session, event)

        work(session) if session is not None else transaction(self.client, work)

    def imported(self, import_id: str) -> list[jobs.Vacancy]:
        return [from_doc(jobs.Vacancy, doc) for doc in self.vacancies.find({"import_id": import_id}).sort("_id", 1)]

    def list_vacancies(self, query: dict, after: str, limit: int) -> list[jobs.Vacancy]:
        """query: community_id, employer_id, status, fair_id (any of them)."""
        query = dict(query)
        if after:
            query["_id"] = {"$gt": after}
        return [from_doc(jobs.Vacancy, doc) for doc in self.vacancies.find(query).sort("_id", 1).limit(limit)]

    def headcounts_at_fair(self, fair_id: str) -> list[int]:
        return [doc["headcount"] for doc in self.vacancies.find({"fair_id": fair_id}, {"headcount": 1})]

    def due_to_expire(self, now: datetime, limit: int = 200) -> list[jobs.Vacancy]:
        cursor = self.vacancies.find({"matchable": True, "expires_at": {"$lt": now}}).limit(limit)
        return [from_doc(jobs.Vacancy, doc) for doc in cursor]

    def changed_between(self, community_id: str, after: int, upto: int) -> list[tuple[jobs.Vacancy, bool]]:
        """(vacancy, matchable) of the community's vacancies last changed at a revision in (after, upto]."""
        # upto + 1 exclusive rather than upto inclusive: see SecantusDB's $lte note in the README.
        cursor = self.vacancies.find({"community_id": community_id, "revision": {"$gt": after, "$lt": upto + 1}})
        return [(from_doc(jobs.Vacancy, doc), doc["matchable"]) for doc in cursor]

    def revisions(self, ids: list[str]) -> dict[str, int]:
        if not ids:
            return {}
        return {doc["_id"]: doc["revision"] for doc in self.vacancies.find({"_id": {"$in": ids}}, {"revision": 1})}

    def revision_of(self, vacancy_id: str) -> int:
        return self.revisions([vacancy_id]).get(vacancy_id, 0)

    def matchable(self, community_id: str) -> list[jobs.Vacancy]:
        cursor = self.vacancies.find({"community_id": community_id, "matchable": True})
        return [from_doc(jobs.Vacancy, doc) for doc in cursor]

    def fills(self, community_id: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """(opened, filled) of the community's vacancies filled in [start, end)."""
        cursor = self.vacancies.find({"community_id": community_id, "status": jobs.FILLED,
                                      "filled_at": {"$gte": start, "$lt": end}}, {"opened_at": 1, "filled_at": 1})
        return [(doc["opened_at"], doc["filled_at"]) for doc in cursor if doc.get("opened_at")]
