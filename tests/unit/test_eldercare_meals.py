"""Meal rules (menus, orders, cutoff, money), with no broker and no database."""
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.eldercare.domain import meals
from services.eldercare.domain.care_requests import Location

ZONE = "Asia/Shanghai"
DAY = "2026-11-27"
# 09:30 in Fushun on DAY is 01:30 UTC.
CUTOFF = datetime(2026, 11, 27, 1, 30, tzinfo=timezone.utc)
EARLY = datetime(2026, 11, 26, 23, 0, tzinfo=timezone.utc)  # 07:00 local on DAY
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))
OTHER_OPERATOR = Caller("op-li", frozenset({"operator"}), frozenset({"another"}))
RESIDENT = Caller("elder-1", frozenset({"resident"}), frozenset({"donghuayuan"}))
NEIGHBOUR = Caller("elder-2", frozenset({"resident"}), frozenset({"donghuayuan"}))
DAUGHTER = Caller("family-1", frozenset({"family"}), frozenset({"donghuayuan"}))
HOME = Location("东区 3号楼", "2单元", 4)
PILOT_DISHES = (meals.Dish("茄汁鱼"), meals.Dish("酱鸡脖"), meals.Dish("油焖尖椒", "少辣"), meals.Dish("熘豆腐"))


def draft(**overrides) -> meals.MenuDraft:
    fields = dict(community_id="donghuayuan", day=DAY, dishes=PILOT_DISHES, price_fen=1000, order_cutoff="09:30",
                  dine_in=True, delivery=True, delivery_fee_fen=300)
    return meals.MenuDraft(**{**fields, **overrides})


def menu(**overrides) -> meals.Menu:
    return meals.set_menu(OPERATOR, draft(**overrides), None, EARLY - timedelta(days=1), ZONE)


def new_order(**overrides) -> meals.NewMealOrder:
    fields = dict(community_id="donghuayuan", elder_id="elder-1", day=DAY, mode="dine_in", quantity=1)
    return meals.NewMealOrder(**{**fields, **overrides})


def placed(caller=RESIDENT, at=EARLY, the_menu=None, family_of=frozenset(), **overrides) -> meals.MealOrder:
    return meals.place_order(caller, new_order(**overrides), the_menu or menu(), "mo-1", at, family_of)


# -- menus

def test_the_pilot_menu_of_four_dishes_for_ten_yuan_is_set_with_its_cutoff_in_the_community_zone():
    pilot = menu()
    assert [dish.name for dish in pilot.dishes] == ["茄汁鱼", "酱鸡脖", "油焖尖椒", "熘豆腐"]
    assert pilot.price_fen == 1000 and pilot.modes == ("dine_in", "delivery")
    assert pilot.order_cutoff_at == CUTOFF
    assert pilot.set_by == "op-wang" and pilot.version == 1


def test_an_early_cutoff_falls_on_the_previous_utc_day():
    assert meals.cutoff_at("2026-11-28", "07:00", ZONE) == datetime(2026, 11, 27, 23, 0, tzinfo=timezone.utc)


def test_replacing_a_menu_bumps_its_version():
    first = menu()
    second = meals.set_menu(OPERATOR, draft(price_fen=1200), first, EARLY, ZONE)
    assert second.version == 2 and second.price_fen == 1200


def test_an_invalid_menu_names_every_bad_field():
    with pytest.raises(InvalidArgument) as caught:
        meals.set_menu(OPERATOR, draft(day="20261127", dishes=(), price_fen=0, order_cutoff="9:30",
                                       dine_in=False, delivery=False), None, EARLY, ZONE)
    assert set(caught.value.fields) == {"day", "dishes", "price_fen", "order_cutoff", "dine_in", "delivery_fee_fen"}


@pytest.mark.parametrize("overrides, field", [
    ({"dishes": (meals.Dish("茄汁鱼"), meals.Dish("茄汁鱼"))}, "dishes"),
    ({"dishes": (meals.Dish(" "),)}, "dishes[0].name"),
    ({"day": "2026-02-30"}, "day"),
    ({"order_cutoff": "24:00"}, "order_cutoff"),
    ({"price_fen": 100_01}, "price_fen"),  # 100.01 yuan for one meal: surely yuan typed as fen
    ({"delivery": False, "delivery_fee_fen": 300}, "delivery_fee_fen"),
])
def test_a_menu_is_refused_for(overrides, field):
    with pytest.raises(InvalidArgument) as caught:
        meals.set_menu(OPERATOR, draft(**overrides), None, EARLY, ZONE)
    assert field in caught.value.fields


@pytest.mark.parametrize("caller", [RESIDENT, OTHER_OPERATOR])
def test_only_staff_serving_the_community_set_its_menus(caller):
    with pytest.raises(PermissionDenied):
        meals.set_menu(caller, draft(), None, EARLY, ZONE)


def test_a_past_day_menu_cannot_change_but_todays_can_even_after_its_cutoff():
    next_day_early = datetime(2026, 11, 27, 16, 30, tzinfo=timezone.utc)  # 00:30 local on 11-28
    with pytest.raises(FailedPrecondition):
        meals.set_menu(OPERATOR, draft(), None, next_day_early, ZONE)
    assert meals.set_menu(OPERATOR, draft(), None, CUTOFF + timedelta(hours=3), ZONE).day == DAY


# -- placing orders

def test_a_resident_orders_a_dine_in_meal_for_themself_before_the_cutoff():
    order = placed()
    assert order.status == meals.PLACED and order.placed_by == "elder-1"
    assert (order.price_fen, order.delivery_fee_fen, order.total_fen) == (1000, 0, 1000)
    assert order.location == Location()  # nobody needs the address of a meal eaten at the canteen


def test_a_delivery_costs_the_meals_plus_one_delivery_fee():
    order = placed(mode="delivery", quantity=3, location=HOME)
    assert (order.price_fen, order.delivery_fee_fen, order.total_fen) == (1000, 300, 3300)
    assert meals.total_fen("delivery", 2, 1000, 0) == 2000


def test_an_order_keeps_the_prices_it_was_placed_at():
    order = placed()
    meals.set_menu(OPERATOR, draft(price_fen=1500), menu(), EARLY, ZONE)
    assert order.total_fen == 1000


def test_ordering_closes_at_the_cutoff_in_the_community_zone():
    assert placed(at=CUTOFF - timedelta(milliseconds=1)).status == meals.PLACED
    with pytest.raises(FailedPrecondition, match="closed at 09:30"):
        placed(at=CUTOFF)


@pytest.mark.parametrize("quantity", [0, 4, -1])
def test_an_elder_orders_one_to_three_meals(quantity):
    with pytest.raises(InvalidArgument) as caught:
        placed(quantity=quantity)
    assert set(caught.value.fields) == {"quantity"}


def test_a_delivery_needs_an_address():
    with pytest.raises(InvalidArgument) as caught:
        placed(mode="delivery")
    assert "location.building" in caught.value.fields


def test_ordering_without_a_menu_or_in_a_mode_it_does_not_offer_is_refused():
    with pytest.raises(FailedPrecondition, match="no menu"):
        meals.place_order(RESIDENT, new_order(), None, "mo-1", EARLY)
    with pytest.raises(FailedPrecondition, match="dine_in only"):
        placed(the_menu=menu(delivery=False, delivery_fee_fen=0), mode="delivery", location=HOME)


def test_staff_order_on_an_elders_behalf_and_residents_only_for_themselves():
    assert placed(caller=OPERATOR).placed_by == "op-wang"
    with pytest.raises(PermissionDenied):
        placed(caller=NEIGHBOUR)
    with pytest.raises(PermissionDenied):
        placed(caller=OTHER_OPERATOR)


def test_family_order_only_for_an_elder_they_are_linked_to():
    with pytest.raises(PermissionDenied):
        placed(caller=DAUGHTER)
    assert placed(caller=DAUGHTER, family_of=frozenset({"elder-1"})).placed_by == "family-1"


# -- cancelling, serving, delivering

def test_an_order_is_cancelled_before_the_cutoff_and_not_from_then_on():
    order = placed()
    cancelled = meals.cancel(RESIDENT, order, "去女儿家吃", CUTOFF - timedelta(minutes=1))
    assert cancelled.status == meals.CANCELLED and cancelled.cancel_reason == "去女儿家吃"
    assert cancelled.version == order.version + 1
    with pytest.raises(FailedPrecondition, match="cutoff"):
        meals.cancel(RESIDENT, order, "", CUTOFF)


def test_only_a_placed_order_is_cancelled():
    served = meals.serve(OPERATOR, placed(), EARLY)
    with pytest.raises(FailedPrecondition):
        meals.cancel(OPERATOR, served, "", EARLY)


def test_someone_elses_order_is_not_found_and_not_cancellable():
    order = placed()
    with pytest.raises(NotFound):
        meals.check_visible(NEIGHBOUR, order, order.id)
    with pytest.raises(PermissionDenied):
        meals.cancel(NEIGHBOUR, order, "", EARLY)
    assert meals.check_visible(OPERATOR, order, order.id) == order


def test_the_canteen_serves_dine_in_orders_and_delivers_deliveries():
    with pytest.raises(PermissionDenied):
        meals.serve(RESIDENT, placed(), EARLY)
    with pytest.raises(FailedPrecondition, match="delivery"):
        meals.serve(OPERATOR, placed(mode="delivery", location=HOME), EARLY)
    assert meals.deliver(placed(), EARLY) is None


def test_a_delivery_is_dispatched_then_delivered_and_a_repeat_changes_nothing():
    order = meals.with_care_request(placed(mode="delivery", location=HOME), "cr-1")
    dispatched = meals.dispatch(order, CUTOFF + timedelta(hours=2))
    delivered = meals.deliver(dispatched, CUTOFF + timedelta(hours=3))
    assert (dispatched.status, delivered.status) == (meals.DISPATCHED, meals.DELIVERED)
    assert delivered.version == order.version + 2
    assert meals.deliver(delivered, CUTOFF + timedelta(hours=4)) is None
    assert meals.dispatch(delivered, CUTOFF + timedelta(hours=4)) is None  # a late en-route event
    assert meals.deliver(meals.cancel(RESIDENT, order, "", EARLY), CUTOFF) is None


def test_the_couriers_care_request_says_what_to_bring():
    order = placed(mode="delivery", quantity=2, location=HOME, note="少盐")
    assert meals.describe_for_delivery(menu(), order) == "送餐: 茄汁鱼、酱鸡脖、油焖尖椒、熘豆腐 ×2 (少盐)"


# -- lists and figures

def test_only_staff_list_a_communitys_day_and_residents_list_their_own():
    meals.check_may_list_day(OPERATOR, "donghuayuan", DAY)
    with pytest.raises(PermissionDenied):
        meals.check_may_list_day(RESIDENT, "donghuayuan", DAY)
    assert meals.own_elders(RESIDENT) == {"elder-1"}
    assert meals.own_elders(DAUGHTER, frozenset({"elder-1"})) == {"elder-1"}
    with pytest.raises(PermissionDenied):
        meals.own_elders(OPERATOR)


def test_figures_count_cancelled_orders_apart_from_meals_and_revenue():
    groups = [
        {"day": DAY, "mode": "dine_in", "cancelled": False, "orders": 40, "meals": 44, "revenue_fen": 44_000},
        {"day": DAY, "mode": "dine_in", "cancelled": True, "orders": 2, "meals": 2, "revenue_fen": 2000},
        {"day": DAY, "mode": "delivery", "cancelled": False, "orders": 12, "meals": 15, "revenue_fen": 18_600},
    ]
    assert meals.tally(groups) == [
        meals.MealFigures(DAY, "delivery", orders=12, meals=15, cancelled=0, revenue_fen=18_600),
        meals.MealFigures(DAY, "dine_in", orders=40, meals=44, cancelled=2, revenue_fen=44_000),
    ]


def test_figures_span_at_most_92_days_in_order():
    assert meals.figure_days(OPERATOR, "donghuayuan", DAY, "") == [DAY]
    assert meals.figure_days(OPERATOR, "donghuayuan", "2026-11-30", "2026-12-01") == ["2026-11-30", "2026-12-01"]
    with pytest.raises(InvalidArgument):
        meals.figure_days(OPERATOR, "donghuayuan", DAY, "2026-11-26")
    assert len(meals.figure_days(OPERATOR, "donghuayuan", "2026-01-01", "2026-04-02")) == 92
    with pytest.raises(InvalidArgument):
        meals.figure_days(OPERATOR, "donghuayuan", "2026-01-01", "2026-04-03")
    with pytest.raises(PermissionDenied):
        meals.figure_days(RESIDENT, "donghuayuan", DAY, DAY)
