"""MealService: the canteen's menus and elders' meal orders. Decode the request, apply the domain's
rules, save through the store, encode the reply."""
import dataclasses
import uuid
from typing import Callable

from linli.eldercare.v1 import meals_pb2 as pb
from linli.eldercare.v1 import meals_pb2_grpc as pb_grpc
from linli.kit import pagination
from linli.kit.errors import InvalidArgument, NotFound
from linli.kit.identity import Caller, current_caller
from linli.kit.mongo import transaction, utcnow
from linli.kit.protomap import enum_number, known_enum_name, timestamp
from services.eldercare import events
from services.eldercare.api.care_requests import FamilyLookup
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import meals
from services.eldercare.policy import COMMUNITY_ZONE
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store.meals import MealStore


def no_family_links(caller: Caller) -> frozenset[str]:
    """Without the residents' records (tests of meals alone), nobody is family."""
    return frozenset()


HomeLookup = Callable[[str, str], tuple[care.Location, care.GeoPoint | None] | None]


def _order_id(value: str) -> str:
    if not care.ID_PATTERN.match(value):
        raise InvalidArgument("id is required", {"id": "a meal order id"})
    return value


def menu_message(menu: meals.Menu) -> pb.Menu:
    return pb.Menu(
        community_id=menu.community_id, day=menu.day,
        dishes=[pb.Dish(name=dish.name, note=dish.note) for dish in menu.dishes],
        price_fen=menu.price_fen, order_cutoff=menu.order_cutoff, order_cutoff_at=timestamp(menu.order_cutoff_at),
        dine_in=menu.dine_in, delivery=menu.delivery, delivery_fee_fen=menu.delivery_fee_fen, set_by=menu.set_by,
        set_at=timestamp(menu.set_at), version=menu.version,
    )


def _page(orders: list[meals.MealOrder], size: int) -> tuple[list[pb.MealOrder], str]:
    token = ""
    if len(orders) > size:
        last = orders[size - 1]
        token = pagination.encode([last.placed_at.isoformat(), last.id])
    return [events.meal_order_message(order) for order in orders[:size]], token


class MealApi(pb_grpc.MealServiceServicer):
    def __init__(self, store: MealStore, care_store: CareRequestStore, policy,
                 clock=utcnow, zone: str = COMMUNITY_ZONE, family_of: FamilyLookup = no_family_links,
                 elder_home: HomeLookup = lambda elder_id, kind: None):
        self.store = store
        self.care_store = care_store
        self.policy = policy
        self.clock = clock
        # Until communities carry their own zone, every community keeps the pilot's.
        self.zone = zone
        self.family_of = family_of
        # Where a delivery goes for a registered elder (from the residents' records); None if unknown.
        self.elder_home = elder_home

    def SetMenu(self, request, context):
        caller = current_caller()
        draft = meals.MenuDraft(
            community_id=request.community_id, day=request.day,
            dishes=tuple(meals.Dish(dish.name, dish.note) for dish in request.dishes), price_fen=request.price_fen,
            order_cutoff=request.order_cutoff, dine_in=request.dine_in, delivery=request.delivery,
            delivery_fee_fen=request.delivery_fee_fen,
        )
        meals.check_menu_key(draft.community_id, draft.day)
        previous = self.store.get_menu(draft.community_id, draft.day)
        menu = self.store.put_menu(meals.set_menu(caller, draft, previous, self.clock(), self.zone))
        return pb.SetMenuResponse(menu=menu_message(menu))

    def GetMenu(self, request, context):
        meals.check_menu_key(request.community_id, request.day)
        meals.check_may_read_menu(current_caller(), request.community_id)
        menu = self.store.get_menu(request.community_id, request.day)
        if menu is None:
            raise NotFound(f"no menu for {request.day} in community {request.community_id}")
        return pb.GetMenuResponse(menu=menu_message(menu))

    def PlaceMealOrder(self, request, context):
        caller, now = current_caller(), self.clock()
        loc = request.location
        new = meals.NewMealOrder(
            community_id=request.community_id, elder_id=request.elder_id, day=request.day,
            mode=known_enum_name(pb.MealMode, request.mode), quantity=request.quantity,
            location=care.Location(loc.building, loc.unit, loc.floor, loc.detail), note=request.note,
            request_id=request.request_id,
        )
        # A retry returns the first order, even once the cutoff has passed or the menu changed.
        if new.request_id and care.ID_PATTERN.match(new.request_id):
            first = self.store.find_retry(new.community_id, caller.subject, new.request_id)
            if first is not None:
                return pb.PlaceMealOrderResponse(meal_order=events.meal_order_message(first))
        # A registered elder's own door (and, with consent, map position) beats what the order says.
        home = self.elder_home(new.elder_id, "meal") if new.mode == meals.DELIVERY else None
        if home is not None:
            new = dataclasses.replace(new, location=home[0])
        menu = self.store.get_menu(new.community_id, new.day) if meals.parse_day(new.day) else None
        order = meals.place_order(caller, new, menu, str(uuid.uuid4()), now, self.family_of(caller))
        delivery = care_event = None
        if order.mode == meals.DELIVERY:
            delivery = care.raise_request(
                caller,
                care.NewCareRequest(order.community_id, order.elder_id, "meal", "app", location=order.location,
                                    description=meals.describe_for_delivery(menu, order),
                                    position=home[1] if home else None,
                                    position_source=care.HOME_ADDRESS if home and home[1] else ""),
                str(uuid.uuid4()), now, self.policy, self.family_of(caller))
            order = meals.with_care_request(order, delivery.id)
            care_event = events.raised(delivery)
        saved = self.store.add(order, events.meal_order_event(meals.MEAL_ORDER_PLACED, order, now),
                               delivery, care_event)
        return pb.PlaceMealOrderResponse(meal_order=events.meal_order_message(saved))

    def CancelMealOrder(self, request, context):
        caller, now = current_caller(), self.clock()
        order_id = _order_id(request.id)
        family_of = self.family_of(caller)
        found = meals.check_visible(caller, self.store.get(order_id), order_id, family_of)
        cancelled = meals.cancel(caller, found, request.reason, now, family_of)
        # The delivery's care request is cancelled in the same transaction, or neither is.
        delivery = self.care_store.get(found.care_request_id) if found.care_request_id else None
        if delivery is not None and delivery.status == care.CANCELLED:
            delivery = None  # an operator cancelled the delivery already
        if delivery is not None:
            delivery = care.cancel(caller, delivery, meals.care_cancel_reason(cancelled), now, family_of)

        def work(session) -> None:
            self.store.update(cancelled, events.meal_order_event(meals.MEAL_ORDER_CANCELLED, cancelled, now),
                              session=session)
            if delivery is not None:
                self.care_store.update(delivery, events.care_request_event(care.CARE_REQUEST_CANCELLED, delivery, now),
                                       session=session)

        transaction(self.store.client, work)
        return pb.CancelMealOrderResponse(meal_order=events.meal_order_message(cancelled))

    def ServeMealOrder(self, request, context):
        caller, now = current_caller(), self.clock()
        order_id = _order_id(request.id)
        found = meals.check_visible(caller, self.store.get(order_id), order_id, self.family_of(caller))
        served = meals.serve(caller, found, now)
        self.store.update(served, events.meal_order_event(meals.MEAL_ORDER_SERVED, served, now))
        return pb.ServeMealOrderResponse(meal_order=events.meal_order_message(served))

    def ListMealOrders(self, request, context):
        caller = current_caller()
        size = pagination.page_size(request.page_size)
        after = pagination.position(request.page_token, 2)
        if request.community_id:
            meals.check_may_list_day(caller, request.community_id, request.day)
            page = self.store.list_day(request.community_id, request.day, after, size + 1)
        else:
            elders = meals.own_elders(caller, self.family_of(caller))
            communities = None if caller.sees_all_communities else caller.communities
            page = self.store.list_for_elders(elders, communities, after, size + 1) if elders else []
        orders, token = _page(page, size)
        return pb.ListMealOrdersResponse(meal_orders=orders, next_page_token=token)

    def GetMealFigures(self, request, context):
        days = meals.figure_days(current_caller(), request.community_id, request.from_day, request.to_day)
        tallied = meals.tally(self.store.figure_groups(request.community_id, days))
        return pb.GetMealFiguresResponse(figures=[
            pb.MealFigures(day=f.day, mode=enum_number(pb.MealMode, f.mode), orders=f.orders, meals=f.meals,
                           cancelled=f.cancelled, revenue_fen=f.revenue_fen)
            for f in tallied
        ])
