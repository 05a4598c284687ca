"""The only module that knows how job fairs and their consultations sit in MongoDB."""
import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.mongo import Index, transaction
from services.employment.domain import fairs
from services.employment.store import documents
from services.employment.store.documents import from_doc

FAIRS = "fairs"
CONSULTATIONS = "consultations"

INDEXES = [
    Index(FAIRS, [("community_id", 1), ("_id", 1)]),
    Index(CONSULTATIONS, [("fair_id", 1)]),
]


class FairStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.fairs = db[FAIRS]
        self.consultations = db[CONSULTATIONS]

    def get(self, fair_id: str) -> fairs.Fair | None:
        doc = self.fairs.find_one({"_id": fair_id})
        return from_doc(fairs.Fair, doc) if doc else None

    def add(self, fair: fairs.Fair) -> None:
        documents.insert(self.fairs, fair, None, "job fair")

    def update(self, fair: fairs.Fair, events: list[dict] = ()) -> None:
        def work(session: ClientSession) -> None:
            documents.replace(self.fairs, fair, session, "job fair")
            for event in events:
                outbox.add(self.db, session, event)

        transaction(self.client, work)

    def list_fairs(self, community_id: str, after: str, limit: int) -> list[fairs.Fair]:
        query: dict = {"community_id": community_id}
        if after:
            query["_id"] = {"$gt": after}
        return [from_doc(fairs.Fair, doc) for doc in self.fairs.find(query).sort("_id", 1).limit(limit)]

    def add_consultation(self, consultation: fairs.Consultation) -> None:
        documents.insert(self.consultations, consultation, None, "consultation")

    def consultation_topics(self, fair_id: str) -> list[str]:
        return [doc["topic"] for doc in self.consultations.find({"fair_id": fair_id}, {"topic": 1})]
