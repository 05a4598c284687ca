"""The only module that knows how workshop orders and piece records sit in MongoDB."""
import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.mongo import Index, ensure_indexes, transaction
from services.employment.domain import workshop
from services.employment.store import documents
from services.employment.store.documents import from_doc

ORDERS = "workshop_orders"
PIECES = "piece_records"

INDEXES = [
    Index(ORDERS, [("community_id", 1), ("_id", 1)]),
    Index(PIECES, [("order_id", 1), ("_id", 1)]),
]


class WorkshopStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.orders = db[ORDERS]
        self.pieces = db[PIECES]

    def ensure_indexes(self) -> None:
        ensure_indexes(self.db, INDEXES)

    def get(self, order_id: str) -> workshop.Order | None:
        doc = self.orders.find_one({"_id": order_id})
        return from_doc(workshop.Order, doc) if doc else None

    def add(self, order: workshop.Order) -> None:
        documents.insert(self.orders, order, None, "workshop order")

    def update(self, order: workshop.Order, events: list[dict] = ()) -> None:
        def work(session: ClientSession) -> None:
            documents.replace(self.orders, order, session, "workshop order")
            for event in events:
                outbox.add(self.db, session, event)

        transaction(self.client, work)

    def add_pieces(self, order: workshop.Order, record: workshop.PieceRecord) -> None:
        """The record and the order's new count of accepted pieces, together (the count caps the order)."""
        def work(session: ClientSession) -> None:
            documents.replace(self.orders, order, session, "workshop order")
            documents.insert(self.pieces, record, session, "piece record")

        transaction(self.client, work)

    def list_orders(self, community_id: str, after: str, limit: int) -> list[workshop.Order]:
        query: dict = {"community_id": community_id}
        if after:
            query["_id"] = {"$gt": after}
        return [from_doc(workshop.Order, doc) for doc in self.orders.find(query).sort("_id", 1).limit(limit)]

    def records(self, order_id: str) -> list[workshop.PieceRecord]:
        cursor = self.pieces.find({"order_id": order_id}).sort("_id", 1)
        return [from_doc(workshop.PieceRecord, doc) for doc in cursor]
