"""The only module that knows how job seekers and the worker's stored rankings sit in MongoDB."""
import dataclasses

import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.employment.domain import matching, seekers
from services.employment.store import documents
from services.employment.store.documents import from_doc

SEEKERS = "seekers"
RANKINGS = "rankings"

INDEXES = [
    Index(SEEKERS, [("community_id", 1), ("status", 1), ("_id", 1)]),
    Index(SEEKERS, [("community_id", 1), ("revision", 1)]),
    # Which rankings hold a given seeker or vacancy (they are ranked again when it changes).
    Index(RANKINGS, [("matches.seeker_id", 1)]),
    Index(RANKINGS, [("matches.vacancy_id", 1)]),
]


def seeker_extra(seeker: seekers.JobSeeker, revision: int) -> dict:
    return {"revision": revision, "matchable": seeker.matchable}


def ranking_id(kind: str, subject_id: str) -> str:
    return f"{kind}:{subject_id}"


class SeekerStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.seekers = db[SEEKERS]
        self.rankings = db[RANKINGS]


    # -- seekers

    def get(self, seeker_id: str, session: ClientSession | None = None) -> seekers.JobSeeker | None:
        doc = self.seekers.find_one({"_id": seeker_id}, session=session)
        return from_doc(seekers.JobSeeker, doc) if doc else None

    def revision_of(self, seeker_id: str) -> int:
        doc = self.seekers.find_one({"_id": seeker_id}, {"revision": 1})
        return doc["revision"] if doc else 0

    def add(self, seeker: seekers.JobSeeker, events: list[dict]) -> None:
        documents.ensure_counter(self.db, seeker.community_id)

        def work(session: ClientSession) -> None:
            revision = documents.next_revision(self.db, session, seeker.community_id)
            documents.insert(self.seekers, seeker, session, "job seeker", seeker_extra(seeker, revision))
            for event in events:
                outbox.add(self.db, session, event)

        transaction(self.client, work)

    def update(self, seeker: seekers.JobSeeker, events: list[dict], session: ClientSession | None = None) -> None:
        documents.ensure_counter(self.db, seeker.community_id)

        def work(session: ClientSession) -> None:
            revision = documents.next_revision(self.db, session, seeker.community_id)
            documents.replace(self.seekers, seeker, session, "job seeker", seeker_extra(seeker, revision))
            for event in events:
                outbox.add(self.db, session, event)

        work(session) if session is not None else transaction(self.client, work)

    def list_seekers(self, community_id: str, status: str, after: str, limit: int) -> list[seekers.JobSeeker]:
        query: dict = {"community_id": community_id}
        if status:
            query["status"] = status
        if after:
            query["_id"] = {"$gt": after}
        return [from_doc(seekers.JobSeeker, doc) for doc in self.seekers.find(query).sort("_id", 1).limit(limit)]

    def by_id(self, ids) -> dict[str, seekers.JobSeeker]:
        return {doc["_id"]: from_doc(seekers.JobSeeker, doc) for doc in self.seekers.find({"_id": {"$in": list(ids)}})}

    def changed_between(self, community_id: str, after: int, upto: int) -> list[tuple[seekers.JobSeeker, bool]]:
        """(seeker, matchable) of the community's seekers last changed at a revision in (after, upto]."""
        # upto + 1 exclusive rather than upto inclusive: see SecantusDB's $lte note in the README.
        cursor = self.seekers.find({"community_id": community_id, "revision": {"$gt": after, "$lt": upto + 1}})
        return [(from_doc(seekers.JobSeeker, doc), doc["matchable"]) for doc in cursor]

    def revisions(self, ids: list[str]) -> dict[str, int]:
        if not ids:
            return {}
        return {doc["_id"]: doc["revision"] for doc in self.seekers.find({"_id": {"$in": ids}}, {"revision": 1})}

    def matchable(self, community_id: str) -> list[seekers.JobSeeker]:
        return [from_doc(seekers.JobSeeker, doc) for doc in self.seekers.find({"community_id": community_id,
                                                                               "matchable": True})]

    # -- rankings (written by the worker, read by the api)

    def get_ranking(self, kind: str, subject_id: str) -> matching.Ranking | None:
        doc = self.rankings.find_one({"_id": ranking_id(kind, subject_id)})
        return from_doc(matching.Ranking, doc) if doc else None

    def rankings_holding(self, kind: str, member_field: str, member_id: str) -> list[str]:
        """Subjects of the rankings of this kind that list member_id (member_field: seeker_id or vacancy_id)."""
        cursor = self.rankings.find({"kind": kind, f"matches.{member_field}": member_id}, {"subject_id": 1})
        return [doc["subject_id"] for doc in cursor]

    def save_rankings(self, rankings: list[matching.Ranking], subject_revisions: dict[tuple[str, str], int]) -> int:
        """Store rankings that changed, or whose subject changed since they were stored (subject_revisions:
        (kind, id) → the revision the seeker or vacancy last changed at); never over one computed at a later
        revision. Returns how many were written."""
        if not rankings:
            return 0
        ids = [ranking_id(r.kind, r.subject_id) for r in rankings]
        stored = {doc["_id"]: doc for doc in self.rankings.find({"_id": {"$in": ids}}, {"revision": 1, "matches": 1})}
        written = 0
        for key, ranking in zip(ids, rankings):
            matches = [_match_doc(match) for match in ranking.matches]
            before = stored.get(key)
            if before is not None:
                newer_stored = before["revision"] >= ranking.revision
                unchanged = before["matches"] == matches and \
                    before["revision"] >= subject_revisions.get((ranking.kind, ranking.subject_id), 0)
                if newer_stored or unchanged:
                    continue
            doc = {"kind": ranking.kind, "subject_id": ranking.subject_id, "community_id": ranking.community_id,
                   "revision": ranking.revision, "ranked_at": ranking.ranked_at, "matches": matches}
            try:
                # A point lookup by _id (not an index range): "stored revision ≤ ours", written as < ours + 1.
                self.rankings.replace_one({"_id": key, "revision": {"$lt": ranking.revision + 1}}, doc, upsert=True)
                written += 1
            except pymongo.errors.PyMongoError as error:
                if not is_duplicate_key(error):
                    raise  # a duplicate: a ranking of a later revision was stored meanwhile; it stays
        return written

    def drop_ranking(self, kind: str, subject_id: str) -> None:
        self.rankings.delete_one({"_id": ranking_id(kind, subject_id)})


def _match_doc(match: matching.Match) -> dict:
    # As MongoDB gives it back (lists, not tuples), so an unchanged ranking compares equal.
    return {**dataclasses.asdict(match), "matched_skills": list(match.matched_skills)}
