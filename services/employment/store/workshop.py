"""The only module that knows how workshop orders and piece records sit in MongoDB."""
import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.mongo import Index, transaction
from services.employment.domain import workshop
from services.employment.store import documents
from services.employment.store.documents import from_doc

ORDERS = "workshop_orders"
PIECES = "piece_records"

INDEXES = [
    Index(ORDERS, [("community_id", 1), ("_id", 1)]),
    Index(PIECES, [("order_id", 1), ("_id", 1)]),
    # What a resident worked on: their records, order by order.
    Index(PIECES, [("worker_id", 1), ("order_id", 1)]),
]


class WorkshopStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.orders = db[ORDERS]
        self.pieces = db[PIECES]

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

    def worked_on(self, order_id: str, worker_id: str) -> bool:
        return self.pieces.count_documents({"order_id": order_id, "worker_id": worker_id}, limit=1) > 0

    def orders_of_worker(self, worker_id: str, community_id: str, after: str, limit: int) -> list[workshop.Order]:
        """The orders a worker handed in pieces for (in one community, or any when community_id is empty),
        by id."""
        query: dict = {"worker_id": worker_id}
        if community_id:
            query["community_id"] = community_id
        ids = [order_id for order_id in self.pieces.distinct("order_id", query) if order_id > after]
        cursor = self.orders.find({"_id": {"$in": sorted(ids)[:limit]}}).sort("_id", 1)
        return [from_doc(workshop.Order, doc) for doc in cursor]

    def records(self, order_id: str) -> list[workshop.PieceRecord]:
        cursor = self.pieces.find({"order_id": order_id}).sort("_id", 1)
        return [from_doc(workshop.PieceRecord, doc) for doc in cursor]
