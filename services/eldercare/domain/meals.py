"""Meals (助餐) and their rules: pure dataclasses and functions, no I/O.

The canteen sets a menu per community and day: its dishes, the price of one meal, and a cutoff (local
time) after which nobody orders or cancels. An elder orders 1 to 3 meals to eat at the canteen
(dine-in) or to be brought home (delivery). A delivery is carried out as a care request of kind meal;
when that care request completes, the order is delivered.

    placed → dispatched → delivered     (delivery)
    placed → served                     (dine-in)
    placed → cancelled                  (before the cutoff)

Money is integer fen (1 yuan = 100 fen).
"""
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.eldercare.domain.care_requests import ID_PATTERN, STAFF_ROLES, Location

DINE_IN, DELIVERY = "dine_in", "delivery"
MODES = (DINE_IN, DELIVERY)
PLACED, DISPATCHED, DELIVERED, SERVED, CANCELLED = "placed", "dispatched", "delivered", "served", "cancelled"

MEAL_ORDER_PLACED = "meal_order.placed"
MEAL_ORDER_CANCELLED = "meal_order.cancelled"
MEAL_ORDER_DISPATCHED = "meal_order.dispatched"
MEAL_ORDER_DELIVERED = "meal_order.delivered"
MEAL_ORDER_SERVED = "meal_order.served"

MAX_DISHES = 8
MAX_DISH_NAME = 40
MAX_DISH_NOTE = 40
MAX_PRICE_FEN = 100_00  # 100 yuan for one meal: anything above is a typo (yuan for fen)
MAX_DELIVERY_FEE_FEN = 50_00
MIN_QUANTITY, MAX_QUANTITY = 1, 3
MAX_NOTE = 200
MAX_FIGURE_DAYS = 92

DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CUTOFF_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class Dish:
    name: str
    note: str = ""


@dataclass(frozen=True)
class MenuDraft:
    """What the canteen sends to set a day's menu."""

    community_id: str
    day: str
    dishes: tuple[Dish, ...]
    price_fen: int
    order_cutoff: str  # local HH:MM
    dine_in: bool
    delivery: bool
    delivery_fee_fen: int = 0


@dataclass(frozen=True)
class Menu:
    community_id: str
    day: str
    dishes: tuple[Dish, ...]
    price_fen: int
    order_cutoff: str
    # order_cutoff on day in the community's zone, as UTC: fixed when the menu is set.
    order_cutoff_at: datetime
    dine_in: bool
    delivery: bool
    delivery_fee_fen: int
    set_by: str
    set_at: datetime
    version: int = 1

    @property
    def modes(self) -> tuple[str, ...]:
        return tuple(mode for mode, offered in ((DINE_IN, self.dine_in), (DELIVERY, self.delivery)) if offered)


@dataclass(frozen=True)
class NewMealOrder:
    community_id: str
    elder_id: str
    day: str
    mode: str
    quantity: int
    location: Location = field(default_factory=Location)
    note: str = ""
    request_id: str = ""


@dataclass(frozen=True)
class MealOrder:
    id: str
    community_id: str
    elder_id: str
    day: str
    mode: str
    quantity: int
    # The menu's terms when the order was placed: a later change of the menu does not reprice it.
    price_fen: int
    delivery_fee_fen: int
    total_fen: int
    order_cutoff_at: datetime
    placed_by: str
    placed_at: datetime
    location: Location = field(default_factory=Location)
    note: str = ""
    request_id: str = ""
    status: str = PLACED
    care_request_id: str = ""
    dispatched_at: datetime | None = None
    delivered_at: datetime | None = None
    served_at: datetime | None = None
    served_by: str = ""
    cancelled_at: datetime | None = None
    cancelled_by: str = ""
    cancel_reason: str = ""
    version: int = 1


# -- days and the cutoff -------------------------------------------------------------------------------

def parse_day(value: str) -> date | None:
    """A YYYY-MM-DD day, or None (date.fromisoformat alone also takes 20261127 and week dates)."""
    if not DAY_PATTERN.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def cutoff_at(day: str, order_cutoff: str, zone: str) -> datetime:
    """The cutoff as a UTC instant: HH:MM on day in the community's zone."""
    hours, minutes = (int(part) for part in order_cutoff.split(":"))
    local = datetime.combine(date.fromisoformat(day), time(hours, minutes), tzinfo=ZoneInfo(zone))
    return local.astimezone(timezone.utc)


def today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


# -- who may do what ---------------------------------------------------------------------------------

def is_staff_for(caller: Caller, community_id: str) -> bool:
    return caller.has_role(*STAFF_ROLES) and caller.serves(community_id)


def may_order_for(caller: Caller, community_id: str, elder_id: str, family_of: frozenset[str] = frozenset()) -> bool:
    """Staff order on an elder's behalf; a resident for themself; family for their elder.

    family_of: the elders whose family the caller is. Until the residents part links families to
    elders, the api passes an empty set, so family members cannot order yet.
    """
    if not caller.serves(community_id):
        return False
    if caller.has_role(*STAFF_ROLES):
        return True
    if caller.has_role("resident") and caller.subject == elder_id:
        return True
    return caller.has_role("family") and elder_id in family_of


def visible_to(caller: Caller, order: MealOrder, family_of: frozenset[str] = frozenset()) -> bool:
    return may_order_for(caller, order.community_id, order.elder_id, family_of)


def check_visible(caller: Caller, order: MealOrder | None, order_id: str,
                  family_of: frozenset[str] = frozenset()) -> MealOrder:
    # Someone else's order is reported as missing, so ids reveal nothing.
    if order is None or not visible_to(caller, order, family_of):
        raise NotFound(f"meal order {order_id} not found")
    return order


def check_may_read_menu(caller: Caller, community_id: str) -> None:
    if not caller.serves(community_id):
        raise PermissionDenied(f"you are not in community {community_id}")


# -- menus -------------------------------------------------------------------------------------------

def validate_menu(draft: MenuDraft) -> None:
    problems = {}
    if not ID_PATTERN.match(draft.community_id):
        problems["community_id"] = "required: 1 to 64 letters, digits or . _ : -"
    if parse_day(draft.day) is None:
        problems["day"] = "a day as YYYY-MM-DD"
    if not 1 <= len(draft.dishes) <= MAX_DISHES:
        problems["dishes"] = f"1 to {MAX_DISHES} dishes"
    names = [dish.name.strip() for dish in draft.dishes]
    for i, dish in enumerate(draft.dishes):
        if not 1 <= len(names[i]) <= MAX_DISH_NAME:
            problems[f"dishes[{i}].name"] = f"required, at most {MAX_DISH_NAME} characters"
        if len(dish.note) > MAX_DISH_NOTE:
            problems[f"dishes[{i}].note"] = f"at most {MAX_DISH_NOTE} characters"
    if len(set(names)) != len(names):
        problems.setdefault("dishes", "each dish once")
    if not 1 <= draft.price_fen <= MAX_PRICE_FEN:
        problems["price_fen"] = f"fen (1 yuan = 100 fen), 1 to {MAX_PRICE_FEN}"
    if not CUTOFF_PATTERN.match(draft.order_cutoff):
        problems["order_cutoff"] = "local time as HH:MM, e.g. 09:30"
    if not (draft.dine_in or draft.delivery):
        problems["dine_in"] = "offer dine-in, delivery, or both"
    if not 0 <= draft.delivery_fee_fen <= MAX_DELIVERY_FEE_FEN:
        problems["delivery_fee_fen"] = f"fen, 0 to {MAX_DELIVERY_FEE_FEN}"
    elif draft.delivery_fee_fen and not draft.delivery:
        problems["delivery_fee_fen"] = "only when delivery is offered"
    check_fields(problems, "invalid menu")


def set_menu(caller: Caller, draft: MenuDraft, previous: Menu | None, now: datetime, zone: str) -> Menu:
    """Set or replace a day's menu. Orders already placed keep the terms they were placed on."""
    if not is_staff_for(caller, draft.community_id):
        raise PermissionDenied("only an operator or administrator serving this community may set its menus")
    validate_menu(draft)
    if parse_day(draft.day) < today(now, zone):
        raise FailedPrecondition(f"{draft.day} is past: its menu can no longer change")
    dishes = tuple(Dish(dish.name.strip(), dish.note.strip()) for dish in draft.dishes)
    return Menu(
        community_id=draft.community_id, day=draft.day, dishes=dishes, price_fen=draft.price_fen,
        order_cutoff=draft.order_cutoff, order_cutoff_at=cutoff_at(draft.day, draft.order_cutoff, zone),
        dine_in=draft.dine_in, delivery=draft.delivery, delivery_fee_fen=draft.delivery_fee_fen,
        set_by=caller.subject, set_at=now, version=previous.version + 1 if previous else 1,
    )


def check_menu_key(community_id: str, day: str) -> None:
    problems = {}
    if not ID_PATTERN.match(community_id):
        problems["community_id"] = "required: 1 to 64 letters, digits or . _ : -"
    if parse_day(day) is None:
        problems["day"] = "a day as YYYY-MM-DD"
    check_fields(problems)


def describe_for_delivery(menu: Menu, order: MealOrder) -> str:
    """What the courier's care request says: 送餐: 茄汁鱼、酱鸡脖 ×2 (少盐)."""
    dishes = "、".join(dish.name for dish in menu.dishes)
    return f"送餐: {dishes} ×{order.quantity}" + (f" ({order.note})" if order.note else "")


# -- orders ------------------------------------------------------------------------------------------

def total_fen(mode: str, quantity: int, price_fen: int, delivery_fee_fen: int) -> int:
    """Meals times price, plus one delivery fee per delivered order (one trip, however many meals)."""
    return price_fen * quantity + (delivery_fee_fen if mode == DELIVERY else 0)


def validate_order(new: NewMealOrder) -> None:
    problems = {}
    if not ID_PATTERN.match(new.community_id):
        problems["community_id"] = "required: 1 to 64 letters, digits or . _ : -"
    if not ID_PATTERN.match(new.elder_id):
        problems["elder_id"] = "required: 1 to 64 letters, digits or . _ : -"
    if parse_day(new.day) is None:
        problems["day"] = "a day as YYYY-MM-DD"
    if new.mode not in MODES:
        problems["mode"] = f"must be one of {', '.join(MODES)}"
    if not MIN_QUANTITY <= new.quantity <= MAX_QUANTITY:
        problems["quantity"] = f"{MIN_QUANTITY} to {MAX_QUANTITY} meals"
    if len(new.note) > MAX_NOTE:
        problems["note"] = f"at most {MAX_NOTE} characters"
    if new.request_id and not ID_PATTERN.match(new.request_id):
        problems["request_id"] = "1 to 64 letters, digits or . _ : -"
    # Where to bring it: until the residents part supplies the elder's address, the order says.
    if new.mode == DELIVERY and not new.location.building.strip():
        problems["location.building"] = "required for a delivery"
    if not 0 <= new.location.floor <= 200:
        problems["location.floor"] = "must be between 0 and 200"
    for name in ("building", "unit", "detail"):
        if len(getattr(new.location, name)) > 100:
            problems[f"location.{name}"] = "at most 100 characters"
    check_fields(problems, "invalid meal order")


def place_order(caller: Caller, new: NewMealOrder, menu: Menu | None, order_id: str, now: datetime,
                family_of: frozenset[str] = frozenset()) -> MealOrder:
    validate_order(new)
    if not may_order_for(caller, new.community_id, new.elder_id, family_of):
        raise PermissionDenied("you may not order meals for this elder in this community")
    if menu is None:
        raise FailedPrecondition(f"the canteen has no menu for {new.day} yet")
    if new.mode not in menu.modes:
        raise FailedPrecondition(f"the menu for {new.day} offers {' and '.join(menu.modes)} only")
    if now >= menu.order_cutoff_at:
        raise FailedPrecondition(f"ordering for {new.day} closed at {menu.order_cutoff}")
    fee = menu.delivery_fee_fen if new.mode == DELIVERY else 0
    return MealOrder(
        id=order_id, community_id=new.community_id, elder_id=new.elder_id, day=new.day, mode=new.mode,
        quantity=new.quantity, price_fen=menu.price_fen, delivery_fee_fen=fee,
        total_fen=total_fen(new.mode, new.quantity, menu.price_fen, fee), order_cutoff_at=menu.order_cutoff_at,
        placed_by=caller.subject, placed_at=now, location=new.location if new.mode == DELIVERY else Location(),
        note=new.note.strip(), request_id=new.request_id,
    )


def with_care_request(order: MealOrder, care_request_id: str) -> MealOrder:
    return replace(order, care_request_id=care_request_id)


def cancel(caller: Caller, order: MealOrder, reason: str, now: datetime,
           family_of: frozenset[str] = frozenset()) -> MealOrder:
    """Whoever may order for the elder may cancel, while the order is placed and before the cutoff."""
    if not may_order_for(caller, order.community_id, order.elder_id, family_of):
        raise PermissionDenied("you may not cancel meal orders for this elder")
    if order.status != PLACED:
        raise FailedPrecondition(f"meal order {order.id} is {order.status}: only a placed order can be cancelled")
    if now >= order.order_cutoff_at:
        raise FailedPrecondition(f"meal order {order.id} can no longer be cancelled: its cutoff has passed")
    reason = reason.strip()
    if len(reason) > MAX_NOTE:
        raise InvalidArgument("reason is too long", {"reason": f"at most {MAX_NOTE} characters"})
    return replace(order, status=CANCELLED, cancelled_at=now, cancelled_by=caller.subject, cancel_reason=reason,
                   version=order.version + 1)


def care_cancel_reason(order: MealOrder) -> str:
    """Why the delivery's care request is cancelled (the care-request rules need a reason)."""
    return f"送餐取消 (meal order {order.id})" + (f": {order.cancel_reason}" if order.cancel_reason else "")


def serve(caller: Caller, order: MealOrder, now: datetime) -> MealOrder:
    if not is_staff_for(caller, order.community_id):
        raise PermissionDenied("only canteen staff serving this community may serve meals")
    if order.mode != DINE_IN:
        raise FailedPrecondition(f"meal order {order.id} is a delivery: it is delivered, not served")
    if order.status != PLACED:
        raise FailedPrecondition(f"meal order {order.id} is {order.status}: only a placed order can be served")
    return replace(order, status=SERVED, served_at=now, served_by=caller.subject, version=order.version + 1)


def dispatch(order: MealOrder, at: datetime) -> MealOrder | None:
    """The courier set off; None when the order is past that (events of one care request may race)."""
    if order.mode != DELIVERY or order.status != PLACED:
        return None
    return replace(order, status=DISPATCHED, dispatched_at=at, version=order.version + 1)


def deliver(order: MealOrder, at: datetime) -> MealOrder | None:
    """The meal care request completed; None when the order is not awaiting delivery."""
    if order.mode != DELIVERY or order.status not in (PLACED, DISPATCHED):
        return None
    return replace(order, status=DELIVERED, delivered_at=at, version=order.version + 1)


def delivery_cancelled(order: MealOrder, reason: str, at: datetime) -> MealOrder | None:
    """The delivery's care request was cancelled (by an operator, or the elder on the care side): the
    order is off too, so it is neither cooked for nor counted as revenue. None when already settled."""
    if order.mode != DELIVERY or order.status not in (PLACED, DISPATCHED):
        return None
    return replace(order, status=CANCELLED, cancelled_at=at, cancelled_by="system",
                   cancel_reason=f"delivery cancelled: {reason}"[:MAX_NOTE], version=order.version + 1)


# -- lists and figures -------------------------------------------------------------------------------

def check_may_list_day(caller: Caller, community_id: str, day: str) -> None:
    check_menu_key(community_id, day)
    if not is_staff_for(caller, community_id):
        raise PermissionDenied("only staff serving this community list its orders; omit community_id for yours")


def own_elders(caller: Caller, family_of: frozenset[str] = frozenset()) -> frozenset[str]:
    """Whose orders "my orders" are: a resident's own, a family member's elders'."""
    elders = set(family_of) if caller.has_role("family") else set()
    if caller.has_role("resident"):
        elders.add(caller.subject)
    if not caller.has_role("resident", "family"):
        raise PermissionDenied("your role has no meal orders of its own; list a community's day instead")
    return frozenset(elders)


def figure_days(caller: Caller, community_id: str, from_day: str, to_day: str) -> list[str]:
    """Every local day from from_day to to_day (or from_day alone), at most MAX_FIGURE_DAYS of them."""
    if not is_staff_for(caller, community_id):
        raise PermissionDenied("only staff serving this community may read its canteen figures")
    first, last = parse_day(from_day), parse_day(to_day or from_day)
    problems = {}
    if first is None:
        problems["from_day"] = "a day as YYYY-MM-DD"
    if last is None:
        problems["to_day"] = "a day as YYYY-MM-DD, or empty for from_day"
    elif first is not None and not timedelta(0) <= last - first < timedelta(days=MAX_FIGURE_DAYS):
        problems["to_day"] = f"on or after from_day, at most {MAX_FIGURE_DAYS} days in all"
    check_fields(problems, "invalid days")
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class MealFigures:
    day: str
    mode: str
    orders: int = 0  # not cancelled
    meals: int = 0
    cancelled: int = 0
    revenue_fen: int = 0


def tally(groups: list[dict]) -> list[MealFigures]:
    """Figures per day and mode from grouped counts: {day, mode, cancelled, orders, meals, revenue_fen}.
    Cancelled orders count as cancelled only: neither their meals nor their money."""
    figures: dict[tuple[str, str], MealFigures] = {}
    for group in groups:
        key = (group["day"], group["mode"])
        current = figures.get(key) or MealFigures(*key)
        if group["cancelled"]:
            current = replace(current, cancelled=current.cancelled + group["orders"])
        else:
            current = replace(current, orders=current.orders + group["orders"], meals=current.meals + group["meals"],
                              revenue_fen=current.revenue_fen + group["revenue_fen"])
        figures[key] = current
    return [figures[key] for key in sorted(figures)]
