"""The only module that knows how menus, meal orders and their events sit in MongoDB."""
import dataclasses
from datetime import datetime

import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.errors import Aborted
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.eldercare.domain.care_requests import CareRequest, Location
from services.eldercare.domain.meals import CANCELLED, Dish, MealOrder, Menu
from services.eldercare.store.care_requests import CareRequestStore

MENUS = "meal_menus"
ORDERS = "meal_orders"

INDEXES = [
    # A community's orders for one day, in the order they came (the canteen's list, the figures).
    Index(ORDERS, [("community_id", 1), ("day", 1), ("placed_at", 1), ("_id", 1)]),
    # "My orders", newest first.
    Index(ORDERS, [("elder_id", 1), ("placed_at", -1), ("_id", -1)]),
    # The worker finds the order a completed meal care request delivered.
    Index(ORDERS, [("care_request_id", 1)]),
    # Retries of one order (same client request id) find the first order instead of making a second.
    Index(ORDERS, [("community_id", 1), ("placed_by", 1), ("request_id", 1)],
          {"unique": True, "partialFilterExpression": {"request_id": {"$type": "string"}}}),
]


def _menu_id(community_id: str, day: str) -> str:
    return f"{community_id}:{day}"


def _menu_document(menu: Menu) -> dict:
    doc = dataclasses.asdict(menu)
    doc["_id"] = _menu_id(menu.community_id, menu.day)
    return doc


def _menu(doc: dict) -> Menu:
    doc = {key: value for key, value in doc.items() if key != "_id"}
    doc["dishes"] = tuple(Dish(**dish) for dish in doc["dishes"])
    return Menu(**doc)


def _order_document(order: MealOrder) -> dict:
    doc = dataclasses.asdict(order)
    doc["_id"] = doc.pop("id")
    if not order.request_id:
        del doc["request_id"]  # absent, so the partial unique index ignores it
    return doc


def _order(doc: dict) -> MealOrder:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    doc["location"] = Location(**doc.get("location") or {})
    doc.setdefault("request_id", "")
    return MealOrder(**doc)


class MealStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.menus = db[MENUS]
        self.orders = db[ORDERS]


    # -- menus

    def get_menu(self, community_id: str, day: str) -> Menu | None:
        doc = self.menus.find_one({"_id": _menu_id(community_id, day)})
        return _menu(doc) if doc else None

    def put_menu(self, menu: Menu) -> Menu:
        """Save a menu if nobody changed it since it was read (version check; the first is version 1)."""
        try:
            self.menus.replace_one({"_id": _menu_id(menu.community_id, menu.day), "version": menu.version - 1},
                                   _menu_document(menu), upsert=True)
        except pymongo.errors.PyMongoError as error:
            # No document with the expected version, so the upsert tried a second one with the same id.
            if is_duplicate_key(error):
                raise Aborted(f"the menu for {menu.day} was changed by someone else; read it again and retry") from None
            raise
        return menu

    # -- orders

    def get(self, order_id: str, session: ClientSession | None = None) -> MealOrder | None:
        doc = self.orders.find_one({"_id": order_id}, session=session)
        return _order(doc) if doc else None

    def find_retry(self, community_id: str, placed_by: str, client_request_id: str) -> MealOrder | None:
        doc = self.orders.find_one({"community_id": community_id, "placed_by": placed_by,
                                    "request_id": client_request_id})
        return _order(doc) if doc else None

    def by_care_request(self, care_request_id: str, session: ClientSession | None = None) -> MealOrder | None:
        doc = self.orders.find_one({"care_request_id": care_request_id}, session=session)
        return _order(doc) if doc else None

    def add(self, order: MealOrder, event: dict, care_request: CareRequest | None = None,
            care_event: dict | None = None) -> MealOrder:
        """Insert an order with its event and, for a delivery, its care request with that one's event, all
        in one transaction. A retry of the same client request returns the first order."""

        def work(session: ClientSession) -> None:
            self.orders.insert_one(_order_document(order), session=session)
            outbox.add(self.db, session, event)
            if care_request is not None:
                CareRequestStore(self.client, self.db).add(care_request, care_event, session=session)

        try:
            transaction(self.client, work)
            return order
        except pymongo.errors.PyMongoError as error:
            if order.request_id and is_duplicate_key(error):
                first = self.find_retry(order.community_id, order.placed_by, order.request_id)
                if first is not None:
                    return first
            raise

    def update(self, order: MealOrder, event: dict, session: ClientSession | None = None) -> MealOrder:
        """Save a changed order with its event, if nobody changed it since it was read (version check)."""

        def work(session: ClientSession) -> None:
            result = self.orders.replace_one({"_id": order.id, "version": order.version - 1},
                                             _order_document(order), session=session)
            if result.matched_count != 1:
                raise Aborted(f"meal order {order.id} was changed by someone else; read it again and retry")
            outbox.add(self.db, session, event)

        if session is not None:
            work(session)
        else:
            transaction(self.client, work)
        return order

    def list_day(self, community_id: str, day: str, after: list | None, limit: int) -> list[MealOrder]:
        """A community's orders for a day, oldest first; keyset-paginated by (placed_at, id)."""
        query: dict = {"community_id": community_id, "day": day}
        if after:
            placed_at, last_id = datetime.fromisoformat(after[0]), after[1]
            query["$or"] = [{"placed_at": {"$gt": placed_at}}, {"placed_at": placed_at, "_id": {"$gt": last_id}}]
        cursor = self.orders.find(query).sort([("placed_at", 1), ("_id", 1)]).limit(limit)
        return [_order(doc) for doc in cursor]

    def list_for_elders(self, elder_ids: frozenset[str], communities: frozenset[str] | None, after: list | None,
                        limit: int) -> list[MealOrder]:
        """These elders' orders in these communities (None: all), newest first; keyset-paginated by
        (placed_at, id) descending."""
        query: dict = {"elder_id": {"$in": sorted(elder_ids)}}
        if communities is not None:
            query["community_id"] = {"$in": sorted(communities)}
        if after:
            placed_at, last_id = datetime.fromisoformat(after[0]), after[1]
            query["$or"] = [{"placed_at": {"$lt": placed_at}}, {"placed_at": placed_at, "_id": {"$lt": last_id}}]
        cursor = self.orders.find(query).sort([("placed_at", -1), ("_id", -1)]).limit(limit)
        return [_order(doc) for doc in cursor]

    def figure_groups(self, community_id: str, days: list[str]) -> list[dict]:
        """Orders, meals and money per day, mode and cancelled-or-not (the domain tallies them)."""
        pipeline = [
            # Days listed rather than a $gte/$lte range: SecantusDB 0.7.0b3 drops the rows equal to an
            # inclusive upper bound on an index field that has more fields after it (here placed_at, _id).
            {"$match": {"community_id": community_id, "day": {"$in": days}}},
            {"$group": {"_id": {"day": "$day", "mode": "$mode", "cancelled": {"$eq": ["$status", CANCELLED]}},
                        "orders": {"$sum": 1}, "meals": {"$sum": "$quantity"},
                        "revenue_fen": {"$sum": "$total_fen"}}},
        ]
        return [{**row["_id"], "orders": row["orders"], "meals": row["meals"], "revenue_fen": row["revenue_fen"]}
                for row in self.orders.aggregate(pipeline)]
