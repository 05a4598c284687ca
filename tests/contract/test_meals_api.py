"""The MealService gRPC contract, as any grpcio client sees it.

Ordering depends on the clock (the menu's cutoff), so most tests call a MealService served in this
process with a clock they set, on a real socket, over a real SecantusDB. The api process the tier starts
shows the service is wired into `python -m services.eldercare.api`."""
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import grpc
import pymongo
import pytest
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from linli_dev.devstack import DevStack
from linli.eldercare.v1 import eldercare_pb2
from linli.eldercare.v1 import meals_pb2 as pb
from linli.eldercare.v1 import meals_pb2_grpc as pb_grpc
from linli.kit import outbox
from linli.kit.grpc_server import GrpcApi, ServiceBinding
from linli.kit.identity import Caller
from linli.kit.mongo import connect
from linli.kit.indexes import ensure_service_indexes
from services.eldercare import events
from services.eldercare.api.meals import MealApi
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import meals
from services.eldercare.policy import DEFAULT_POLICY
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store.meals import MealStore
from services.eldercare.store import INDEXES

SERVICE = "linli.eldercare.v1.MealService"
DAY = "2026-11-27"
EARLY = datetime(2026, 11, 26, 23, 0, tzinfo=timezone.utc)  # 07:00 in Fushun on DAY
CUTOFF = datetime(2026, 11, 27, 1, 30, tzinfo=timezone.utc)  # 09:30 in Fushun on DAY
HOME = eldercare_pb2.Location(building="东区 3号楼", unit="2单元", floor=4)
PILOT_DISHES = [pb.Dish(name="茄汁鱼"), pb.Dish(name="酱鸡脖"), pb.Dish(name="油焖尖椒"), pb.Dish(name="熘豆腐")]


class Clock:
    def __init__(self):
        self.now = EARLY

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def mongo():
    stack = DevStack({}, Path(tempfile.mkdtemp(prefix="linli-meals-contract-")))
    client = connect(stack.start_mongo(":memory:"), "meals-contract")
    yield client[f"meals_{uuid.uuid4().hex[:8]}"]
    client.close()
    stack.stop()


@pytest.fixture(scope="module")
def clock():
    return Clock()


@pytest.fixture(scope="module")
def meal_api(mongo, clock):
    store = MealStore(mongo.client, mongo)
    ensure_service_indexes(store.db, INDEXES)
    care_store = CareRequestStore(mongo.client, mongo)
    servicer = MealApi(store, care_store, DEFAULT_POLICY, clock=clock)
    server = GrpcApi("127.0.0.1:0", [ServiceBinding(SERVICE, pb_grpc.add_MealServiceServicer_to_server, servicer)])
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        yield pb_grpc.MealServiceStub(channel)
    server.stop(0)


@pytest.fixture
def community(clock):
    clock.now = EARLY
    return f"c-{uuid.uuid4().hex[:8]}"  # each test its own community, so records never mix


def people(community):
    operator = Caller("op-wang", frozenset({"operator"}), frozenset({community}))
    resident = Caller("elder-1", frozenset({"resident"}), frozenset({community}))
    neighbour = Caller("elder-2", frozenset({"resident"}), frozenset({community}))
    return operator, resident, neighbour


def call(method, message, caller):
    return method(message, metadata=caller.to_metadata(), timeout=10)


def rpc_error(thunk) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        thunk()
    return caught.value


def set_pilot_menu(api, community, **overrides):
    operator, _, _ = people(community)
    fields = dict(community_id=community, day=DAY, dishes=PILOT_DISHES, price_fen=1000, order_cutoff="09:30",
                  dine_in=True, delivery=True, delivery_fee_fen=200)
    return call(api.SetMenu, pb.SetMenuRequest(**{**fields, **overrides}), operator).menu


def order(api, community, caller, **overrides):
    fields = dict(community_id=community, elder_id="elder-1", day=DAY, mode=pb.MEAL_MODE_DINE_IN, quantity=1)
    return call(api.PlaceMealOrder, pb.PlaceMealOrderRequest(**{**fields, **overrides}), caller).meal_order


def test_the_api_process_serves_the_meal_service(channel):
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    [reply] = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
    assert SERVICE in {service.name for service in reply.list_services_response.service}
    resident = Caller("elder-1", frozenset({"resident"}), frozenset({"donghuayuan"}))
    error = rpc_error(lambda: call(pb_grpc.MealServiceStub(channel).GetMenu,
                                   pb.GetMenuRequest(community_id="donghuayuan", day="2001-01-01"), resident))
    assert error.code() == grpc.StatusCode.NOT_FOUND


def test_an_operator_sets_the_days_menu_and_residents_read_it(meal_api, community):
    _, resident, _ = people(community)
    menu = set_pilot_menu(meal_api, community)
    assert menu.price_fen == 1000 and menu.version == 1
    assert menu.order_cutoff_at.ToDatetime(tzinfo=timezone.utc) == CUTOFF
    read = call(meal_api.GetMenu, pb.GetMenuRequest(community_id=community, day=DAY), resident).menu
    assert [dish.name for dish in read.dishes] == ["茄汁鱼", "酱鸡脖", "油焖尖椒", "熘豆腐"]


def test_a_resident_may_not_set_a_menu_and_bad_menus_are_named_field_by_field(meal_api, community):
    _, resident, _ = people(community)
    request = pb.SetMenuRequest(community_id=community, day=DAY, dishes=PILOT_DISHES, price_fen=1000,
                                order_cutoff="09:30", dine_in=True)
    assert rpc_error(lambda: call(meal_api.SetMenu, request, resident)).code() == grpc.StatusCode.PERMISSION_DENIED
    error = rpc_error(lambda: set_pilot_menu(meal_api, community, price_fen=0, order_cutoff="half past nine"))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "price_fen" in error.details() and "order_cutoff" in error.details()


def test_a_dine_in_order_is_placed_and_the_canteen_lists_it(meal_api, community):
    operator, resident, _ = people(community)
    set_pilot_menu(meal_api, community)
    placed = order(meal_api, community, resident, quantity=2)
    assert placed.status == pb.MEAL_ORDER_STATUS_PLACED and placed.total_fen == 2000
    assert not placed.care_request_id
    listed = call(meal_api.ListMealOrders, pb.ListMealOrdersRequest(community_id=community, day=DAY), operator)
    assert [o.id for o in listed.meal_orders] == [placed.id]
    served = call(meal_api.ServeMealOrder, pb.ServeMealOrderRequest(id=placed.id), operator).meal_order
    assert served.status == pb.MEAL_ORDER_STATUS_SERVED and served.served_by == "op-wang"


def test_a_delivery_order_raises_a_meal_care_request_in_the_same_transaction(meal_api, community, mongo):
    _, resident, _ = people(community)
    set_pilot_menu(meal_api, community)
    placed = order(meal_api, community, resident, mode=pb.MEAL_MODE_DELIVERY, location=HOME, note="少盐")
    assert placed.total_fen == 1200 and placed.care_request_id
    delivery = CareRequestStore(mongo.client, mongo).get(placed.care_request_id)
    assert (delivery.kind, delivery.elder_id, delivery.status) == ("meal", "elder-1", care.RAISED)
    assert delivery.location.building == "东区 3号楼"
    assert delivery.description == "送餐: 茄汁鱼、酱鸡脖、油焖尖椒、熘豆腐 ×1 (少盐)"
    published = {(r["routing_key"], r["body"]["community_id"]) for r in mongo[outbox.OUTBOX].find(
        {"body.community_id": community})}
    assert published == {("meal_order.placed", community), ("care_request.raised", community)}


def test_an_order_whose_care_request_cannot_be_saved_is_not_saved_either(mongo, community):
    # A care request with the delivery's id already exists: its insert fails, and so must the order's.
    operator, resident, _ = people(community)
    store, care_store = MealStore(mongo.client, mongo), CareRequestStore(mongo.client, mongo)
    menu = meals.set_menu(operator, meals.MenuDraft(community, DAY, (meals.Dish("熘豆腐"),), 1000, "09:30", True, True),
                          None, EARLY, "Asia/Shanghai")
    new = meals.NewMealOrder(community, "elder-1", DAY, "delivery", 1, care.Location("东区 3号楼"))
    placed = meals.place_order(resident, new, menu, f"mo-{uuid.uuid4().hex[:8]}", EARLY)
    delivery = care.raise_request(resident, care.NewCareRequest(community, "elder-1", "meal", "app"),
                                  f"cr-{uuid.uuid4().hex[:8]}", EARLY, DEFAULT_POLICY)
    care_store.add(delivery, events.raised(delivery))
    placed = meals.with_care_request(placed, delivery.id)
    with pytest.raises(pymongo.errors.DuplicateKeyError):
        store.add(placed, events.meal_order_event(meals.MEAL_ORDER_PLACED, placed, EARLY), delivery,
                  events.raised(delivery))
    assert store.get(placed.id) is None
    assert mongo[outbox.OUTBOX].count_documents({"routing_key": "meal_order.placed",
                                                 "body.community_id": community}) == 0


def test_a_retry_with_the_same_request_id_returns_the_first_order_even_after_the_cutoff(
        meal_api, community, mongo, clock):
    _, resident, _ = people(community)
    set_pilot_menu(meal_api, community)
    key = f"retry-{uuid.uuid4().hex[:8]}"
    first = order(meal_api, community, resident, mode=pb.MEAL_MODE_DELIVERY, location=HOME, request_id=key)
    again = order(meal_api, community, resident, mode=pb.MEAL_MODE_DELIVERY, location=HOME, request_id=key)
    clock.now = CUTOFF + timedelta(minutes=5)  # the app's retry arrived late
    late = order(meal_api, community, resident, mode=pb.MEAL_MODE_DELIVERY, location=HOME, request_id=key)
    assert again == first and late == first
    assert mongo["care_requests"].count_documents({"community_id": community}) == 1


def test_ordering_at_or_after_the_cutoff_is_a_failed_precondition(meal_api, community, clock):
    _, resident, _ = people(community)
    set_pilot_menu(meal_api, community)
    clock.now = CUTOFF
    error = rpc_error(lambda: order(meal_api, community, resident))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "09:30" in error.details()


def test_ordering_four_meals_is_an_invalid_argument(meal_api, community):
    _, resident, _ = people(community)
    set_pilot_menu(meal_api, community)
    error = rpc_error(lambda: order(meal_api, community, resident, quantity=4))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "quantity" in error.details()


def test_someone_elses_order_is_not_found(meal_api, community):
    _, resident, neighbour = people(community)
    set_pilot_menu(meal_api, community)
    placed = order(meal_api, community, resident)
    error = rpc_error(lambda: call(meal_api.CancelMealOrder, pb.CancelMealOrderRequest(id=placed.id), neighbour))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    theirs = call(meal_api.ListMealOrders, pb.ListMealOrdersRequest(), neighbour).meal_orders
    assert placed.id not in {o.id for o in theirs}


def test_cancelling_a_delivery_before_the_cutoff_cancels_its_care_request_too(meal_api, community, mongo, clock):
    _, resident, _ = people(community)
    set_pilot_menu(meal_api, community)
    placed = order(meal_api, community, resident, mode=pb.MEAL_MODE_DELIVERY, location=HOME)
    kept = order(meal_api, community, resident)
    clock.now = CUTOFF - timedelta(minutes=1)
    cancelled = call(meal_api.CancelMealOrder, pb.CancelMealOrderRequest(id=placed.id, reason="住院了"),
                     resident).meal_order
    assert cancelled.status == pb.MEAL_ORDER_STATUS_CANCELLED and cancelled.cancel_reason == "住院了"
    delivery = CareRequestStore(mongo.client, mongo).get(placed.care_request_id)
    assert delivery.status == care.CANCELLED and "住院了" in delivery.cancel_reason
    clock.now = CUTOFF
    error = rpc_error(lambda: call(meal_api.CancelMealOrder, pb.CancelMealOrderRequest(id=kept.id), resident))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_figures_give_orders_per_mode_and_revenue_in_fen(meal_api, community, clock):
    operator, resident, _ = people(community)
    set_pilot_menu(meal_api, community)
    order(meal_api, community, resident, quantity=2)
    order(meal_api, community, operator, elder_id="elder-3", mode=pb.MEAL_MODE_DELIVERY, location=HOME, quantity=3)
    dropped = order(meal_api, community, operator, elder_id="elder-4")
    call(meal_api.CancelMealOrder, pb.CancelMealOrderRequest(id=dropped.id), operator)
    figures = call(meal_api.GetMealFigures, pb.GetMealFiguresRequest(community_id=community, from_day=DAY),
                   operator).figures
    by_mode = {f.mode: (f.orders, f.meals, f.cancelled, f.revenue_fen) for f in figures}
    assert by_mode == {pb.MEAL_MODE_DINE_IN: (1, 2, 1, 2000), pb.MEAL_MODE_DELIVERY: (1, 3, 0, 3200)}


def test_lists_come_a_page_at_a_time_without_repeats_even_when_orders_share_a_moment(meal_api, community, clock):
    operator, resident, _ = people(community)
    set_pilot_menu(meal_api, community)
    ids = {order(meal_api, community, operator, elder_id=f"elder-{n}").id for n in range(4)}  # all at EARLY
    clock.now = EARLY + timedelta(minutes=1)
    ids |= {order(meal_api, community, resident).id, order(meal_api, community, resident).id}

    def every_page(message, caller):
        seen, token = [], ""
        while True:
            message.page_token = token
            page = call(meal_api.ListMealOrders, message, caller)
            seen += [o.id for o in page.meal_orders]
            token = page.next_page_token
            if not token:
                return seen

    day = every_page(pb.ListMealOrdersRequest(community_id=community, day=DAY, page_size=2), operator)
    assert len(day) == 6 and set(day) == ids
    own = every_page(pb.ListMealOrdersRequest(page_size=1), resident)
    assert len(own) == 3 and set(own) <= ids  # elder-1's: one by the operator, two their own
