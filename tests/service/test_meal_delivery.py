"""A delivered meal, on real RabbitMQ and SecantusDB: the eldercare worker marks the order delivered when
its meal care request completes, once, however often the event arrives."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from nameko.testing.services import entrypoint_waiter

from linli.kit import outbox
from linli.kit.identity import Caller
from linli.kit.mongo import transaction
from linli.kit.outbox import OutboxRelay
from linli.kit.indexes import ensure_service_indexes
from services.eldercare import events
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import meals
from services.eldercare.policy import DEFAULT_POLICY
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store.meals import MealStore
from services.eldercare.worker import EldercareWorker
from services.eldercare.store import INDEXES

COMMUNITY = "donghuayuan"
DAY = "2026-11-27"
EARLY = datetime(2026, 11, 26, 23, 0, tzinfo=timezone.utc)  # 07:00 in Fushun on DAY
LUNCH = datetime(2026, 11, 27, 3, 40, tzinfo=timezone.utc)  # 11:40 in Fushun
RESIDENT = Caller("elder-1", frozenset({"resident"}), frozenset({COMMUNITY}))
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY}))


@pytest.fixture
def stores(mongo_client, db):
    meal_store, care_store = MealStore(mongo_client, db), CareRequestStore(mongo_client, db)
    ensure_service_indexes(meal_store.db, INDEXES)
    return meal_store, care_store


@pytest.fixture
def worker(container_factory, rabbit_config, mongo_uri, db):
    container = container_factory(EldercareWorker, {"MONGO_URI": mongo_uri, "MONGO_DB": db.name,
                                                    "ELDERCARE_EMERGENCY_ACK_SLA_SECONDS": 60})
    container.start()
    return container


@pytest.fixture
def relay(db, amqp_uri):
    return OutboxRelay(db, amqp_uri)


def place_delivery(meal_store) -> tuple[meals.MealOrder, care.CareRequest]:
    """What PlaceMealOrder does for a delivery: the order and its meal care request, in one transaction."""
    draft = meals.MenuDraft(COMMUNITY, DAY, (meals.Dish("茄汁鱼"), meals.Dish("熘豆腐")), 1000, "09:30", True, True)
    menu = meals.set_menu(OPERATOR, draft, None, EARLY, "Asia/Shanghai")
    new = meals.NewMealOrder(COMMUNITY, "elder-1", DAY, meals.DELIVERY, 2, care.Location("东区 3号楼", "2单元", 4))
    order = meals.place_order(RESIDENT, new, menu, "mo-1", EARLY)
    delivery = care.raise_request(
        RESIDENT, care.NewCareRequest(COMMUNITY, "elder-1", "meal", "app", order.location,
                                      meals.describe_for_delivery(menu, order)), "cr-meal-1", EARLY, DEFAULT_POLICY)
    order = meals.with_care_request(order, delivery.id)
    meal_store.add(order, events.meal_order_event(meals.MEAL_ORDER_PLACED, order, EARLY), delivery,
                   events.raised(delivery))
    return order, delivery


def publish(mongo_client, db, event: dict) -> None:
    transaction(mongo_client, lambda session: outbox.add(db, session, event))


def care_event(event_type: str, request: care.CareRequest, status: str, at: datetime) -> dict:
    # The care request as the lead's lifecycle publishes it; only its id, kind and status matter here.
    return events.care_request_event(event_type, replace(request, status=status), at)


def test_the_order_is_delivered_when_its_care_request_completes_once_under_redelivery(
        worker, stores, relay, mongo_client, db):
    meal_store, _ = stores
    order, delivery = place_delivery(meal_store)
    completed = care_event(care.CARE_REQUEST_COMPLETED, delivery, care.COMPLETED, LUNCH)
    publish(mongo_client, db, completed)
    with entrypoint_waiter(worker, "deliver_meal_order", timeout=10):
        relay.publish_pending()
    delivered = meal_store.get(order.id)
    assert delivered.status == meals.DELIVERED and delivered.delivered_at == LUNCH
    assert delivered.version == order.version + 1

    # The very same event again, as a relay that crashed before marking it sent would publish it.
    db[outbox.OUTBOX].update_one({"_id": completed["id"]}, {"$set": {"sent_at": None}})
    with entrypoint_waiter(worker, "deliver_meal_order", timeout=10):
        relay.publish_pending()  # the completed event again (and meal_order.delivered, if not yet sent)
    assert meal_store.get(order.id) == delivered
    assert db[outbox.OUTBOX].count_documents({"routing_key": meals.MEAL_ORDER_DELIVERED}) == 1
    assert db["applied_events"].count_documents({"consumer": "eldercare.deliver_meal_order"}) == 1


def test_the_order_is_dispatched_when_the_courier_sets_off_and_a_late_en_route_event_undoes_nothing(
        worker, stores, relay, mongo_client, db):
    meal_store, _ = stores
    order, delivery = place_delivery(meal_store)
    publish(mongo_client, db, care_event(care.CARE_REQUEST_EN_ROUTE, delivery, care.EN_ROUTE, LUNCH))
    with entrypoint_waiter(worker, "dispatch_meal_order", timeout=10):
        relay.publish_pending()
    assert meal_store.get(order.id).status == meals.DISPATCHED

    publish(mongo_client, db, care_event(care.CARE_REQUEST_COMPLETED, delivery, care.COMPLETED,
                                         LUNCH + timedelta(minutes=12)))
    with entrypoint_waiter(worker, "deliver_meal_order", timeout=10):
        relay.publish_pending()
    # Separate queues may deliver events out of order: an en-route event arriving after completion.
    publish(mongo_client, db, care_event(care.CARE_REQUEST_EN_ROUTE, delivery, care.EN_ROUTE, LUNCH))
    with entrypoint_waiter(worker, "dispatch_meal_order", timeout=10):
        relay.publish_pending()
    delivered = meal_store.get(order.id)
    assert delivered.status == meals.DELIVERED and delivered.dispatched_at == LUNCH


def test_other_completed_care_requests_leave_meal_orders_alone(worker, stores, relay, mongo_client, db):
    meal_store, care_store = stores
    order, _ = place_delivery(meal_store)
    # A meal care request raised by phone, not from an order, and a cleaning visit.
    for request_id, kind in (("cr-phone-meal", "meal"), ("cr-cleaning", "cleaning")):
        request = care.raise_request(OPERATOR, care.NewCareRequest(COMMUNITY, "elder-1", kind, "phone"), request_id,
                                     EARLY, DEFAULT_POLICY)
        publish(mongo_client, db, care_event(care.CARE_REQUEST_COMPLETED, request, care.COMPLETED, LUNCH))
        with entrypoint_waiter(worker, "deliver_meal_order", timeout=10):
            relay.publish_pending()
    assert meal_store.get(order.id) == order
    assert db[outbox.OUTBOX].count_documents({"routing_key": meals.MEAL_ORDER_DELIVERED}) == 0


def test_an_operator_cancelling_the_delivery_cancels_the_order_too(worker, stores, relay, mongo_client, db):
    meal_store, _ = stores
    order, delivery = place_delivery(meal_store)
    cancelled = care.cancel(OPERATOR, delivery, "老人去女儿家了", LUNCH)
    publish(mongo_client, db, events.care_request_event(care.CARE_REQUEST_CANCELLED, cancelled, LUNCH))
    with entrypoint_waiter(worker, "cancel_meal_order", timeout=10):
        relay.publish_pending()
    off = meal_store.get(order.id)
    assert off.status == meals.CANCELLED and "老人去女儿家了" in off.cancel_reason
    assert db[outbox.OUTBOX].count_documents({"routing_key": meals.MEAL_ORDER_CANCELLED}) == 1
