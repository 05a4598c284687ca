"""REST resources for the canteen (助餐) over the eldercare MealService: /v1/menus, /v1/meal-orders and
/v1/meal-figures. Money is integer fen in and out (1 yuan = 100 fen); a float is refused."""
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from gateway.care_requests import Location, LocationIn, Time, _named, name_of
from gateway.common import IdempotencyKey, call_options
from gateway.models import ID_PATTERN, LARGEST_WHOLE_NUMBER, Day, DayPath, DayQuery, Id, OptionalDayQuery, WholeNumber
from linli.eldercare.v1 import eldercare_pb2, meals_pb2
from linli.eldercare.v1.meals_pb2_grpc import MealServiceStub
from linli.kit.identity import Caller
from linli.kit.protomap import short_names

MODE_NAMES = short_names(meals_pb2.MealMode)
STATUS_NAMES = short_names(meals_pb2.MealOrderStatus)
Mode = Literal[tuple(name for number, name in MODE_NAMES.items() if number)]
_MODE_NUMBERS = {name: number for number, name in MODE_NAMES.items()}
_ORDER_TIMESTAMPS = ("placed_at", "dispatched_at", "delivered_at", "served_at", "cancelled_at")

CommunityId = MealOrderId = Id

router = APIRouter(tags=["meals"])


def menu_to_rest(menu: meals_pb2.Menu) -> dict:
    return {
        "community_id": menu.community_id,
        "day": menu.day,
        "dishes": [{"name": dish.name, "note": dish.note} for dish in menu.dishes],
        "price_fen": menu.price_fen,
        "order_cutoff": menu.order_cutoff,
        "order_cutoff_at": menu.order_cutoff_at.ToJsonString(),
        "dine_in": menu.dine_in,
        "delivery": menu.delivery,
        "delivery_fee_fen": menu.delivery_fee_fen,
        "set_by": menu.set_by,
        "set_at": menu.set_at.ToJsonString(),
        "version": menu.version,
    }


def order_to_rest(order: meals_pb2.MealOrder) -> dict:
    """Snake_case, short lower-case enums, integer fen, RFC 3339 UTC times, null when unset."""
    where = order.location
    rest = {
        "id": order.id,
        "community_id": order.community_id,
        "elder_id": order.elder_id,
        "day": order.day,
        "mode": name_of(MODE_NAMES, order.mode),
        "quantity": order.quantity,
        "price_fen": order.price_fen,
        "delivery_fee_fen": order.delivery_fee_fen,
        "total_fen": order.total_fen,
        "status": name_of(STATUS_NAMES, order.status),
        "location": {"building": where.building, "unit": where.unit, "floor": where.floor, "detail": where.detail}
        if where.building else None,
        "note": order.note,
        "placed_by": order.placed_by,
        "care_request_id": order.care_request_id or None,
        "served_by": order.served_by or None,
        "cancelled_by": order.cancelled_by or None,
        "cancel_reason": order.cancel_reason or None,
        "version": order.version,
    }
    for name in _ORDER_TIMESTAMPS:
        rest[name] = getattr(order, name).ToJsonString() if order.HasField(name) else None
    return rest


# -- output ---------------------------------------------------------------------------------------------

class Dish(BaseModel):
    name: str
    note: str


class Menu(BaseModel):
    community_id: str
    day: str = Field(description="Local day in the community's zone, YYYY-MM-DD")
    dishes: list[Dish]
    price_fen: int
    order_cutoff: str = Field(description="HH:MM, local time on the day")
    order_cutoff_at: Time
    dine_in: bool
    delivery: bool
    delivery_fee_fen: int
    set_by: str
    set_at: Time
    version: int


class MealOrder(BaseModel):
    id: str
    community_id: str
    elder_id: str
    day: str
    mode: _named(MODE_NAMES)
    quantity: int
    price_fen: int
    delivery_fee_fen: int
    total_fen: int
    status: _named(STATUS_NAMES)
    location: Location | None
    note: str
    placed_by: str
    care_request_id: str | None = Field(description="The delivery's care request (deliveries only)")
    served_by: str | None
    cancelled_by: str | None
    cancel_reason: str | None
    version: int
    placed_at: Time | None
    dispatched_at: Time | None
    delivered_at: Time | None
    served_at: Time | None
    cancelled_at: Time | None


class MealOrderPage(BaseModel):
    items: list[MealOrder]
    next_page_token: str | None


class MealFigureRow(BaseModel):
    day: str
    mode: _named(MODE_NAMES)
    orders: int
    meals: int
    cancelled: int
    revenue_fen: int


class MealFigures(BaseModel):
    items: list[MealFigureRow]


# -- input ----------------------------------------------------------------------------------------------

class DishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=40, examples=["茄汁鱼"])
    note: str = Field("", max_length=40, examples=["少盐"])


class MenuIn(BaseModel):
    """A day's menu. The api validates again; this keeps plainly bad input from reaching it."""

    model_config = ConfigDict(extra="forbid")
    dishes: list[DishIn] = Field(min_length=1, max_length=8)
    # strict: money is integer fen; 10.5 or "1000" is refused rather than guessed at.
    price_fen: WholeNumber = Field(ge=1, le=LARGEST_WHOLE_NUMBER, examples=[1000])
    order_cutoff: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["09:30"])
    dine_in: bool = True
    delivery: bool = False
    delivery_fee_fen: WholeNumber = Field(0, ge=0, le=LARGEST_WHOLE_NUMBER)


class MealOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    community_id: str = Field(pattern=ID_PATTERN)
    elder_id: str = Field(pattern=ID_PATTERN)
    day: Day
    mode: Mode
    quantity: WholeNumber = Field(1, ge=1, le=3)
    location: LocationIn | None = None
    note: str = Field("", max_length=200)


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field("", max_length=200)


async def _meals(request: Request) -> MealServiceStub:
    return request.app.state.meals


@router.get("/v1/menus/{community_id}/{day}", response_model=Menu)
async def get_menu(community_id: CommunityId, day: DayPath, request: Request,
                   caller: Caller = Depends(require_caller), meals=Depends(_meals)) -> dict:
    reply = await meals.GetMenu(meals_pb2.GetMenuRequest(community_id=community_id, day=day),
                                **call_options(request, caller))
    return menu_to_rest(reply.menu)


@router.put("/v1/menus/{community_id}/{day}", response_model=Menu)
async def set_menu(community_id: CommunityId, day: DayPath, body: MenuIn, request: Request,
                   caller: Caller = Depends(require_caller), meals=Depends(_meals)) -> dict:
    """Set or replace the day's menu (operators and administrators serving the community)."""
    command = meals_pb2.SetMenuRequest(
        community_id=community_id, day=day, dishes=[meals_pb2.Dish(**dish.model_dump()) for dish in body.dishes],
        price_fen=body.price_fen, order_cutoff=body.order_cutoff, dine_in=body.dine_in, delivery=body.delivery,
        delivery_fee_fen=body.delivery_fee_fen,
    )
    reply = await meals.SetMenu(command, **call_options(request, caller))
    return menu_to_rest(reply.menu)


@router.post("/v1/meal-orders", status_code=201, response_model=MealOrder)
async def place_meal_order(body: MealOrderIn, request: Request, idempotency_key: IdempotencyKey = None,
                           caller: Caller = Depends(require_caller), meals=Depends(_meals)) -> dict:
    """Order meals before the menu's cutoff. A delivery also raises a meal care request for the courier."""
    command = meals_pb2.PlaceMealOrderRequest(
        community_id=body.community_id, elder_id=body.elder_id, day=body.day, mode=_MODE_NUMBERS[body.mode],
        quantity=body.quantity, note=body.note, request_id=idempotency_key or "",
    )
    if body.location is not None:
        command.location.CopyFrom(eldercare_pb2.Location(**body.location.model_dump()))
    reply = await meals.PlaceMealOrder(command, **call_options(request, caller))
    return order_to_rest(reply.meal_order)


@router.get("/v1/meal-orders", response_model=MealOrderPage)
async def list_meal_orders(
    request: Request,
    community_id: Annotated[str | None, Query(max_length=64)] = None,
    day: OptionalDayQuery = None,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=1024)] = None,
    caller: Caller = Depends(require_caller),
    meals=Depends(_meals),
) -> dict:
    """With community_id and day: that day's orders (staff). Without: your own orders, newest first."""
    query = meals_pb2.ListMealOrdersRequest(community_id=community_id or "", day=day or "", page_size=page_size,
                                            page_token=page_token or "")
    reply = await meals.ListMealOrders(query, **call_options(request, caller))
    return {"items": [order_to_rest(order) for order in reply.meal_orders],
            "next_page_token": reply.next_page_token or None}


@router.post("/v1/meal-orders/{meal_order_id}/cancel", response_model=MealOrder)
async def cancel_meal_order(meal_order_id: MealOrderId, request: Request, body: CancelIn | None = None,
                            caller: Caller = Depends(require_caller), meals=Depends(_meals)) -> dict:
    """Cancel before the menu's cutoff; a delivery's care request is cancelled with it."""
    command = meals_pb2.CancelMealOrderRequest(id=meal_order_id, reason=body.reason if body else "")
    reply = await meals.CancelMealOrder(command, **call_options(request, caller))
    return order_to_rest(reply.meal_order)


@router.post("/v1/meal-orders/{meal_order_id}/serve", response_model=MealOrder)
async def serve_meal_order(meal_order_id: MealOrderId, request: Request,
                           caller: Caller = Depends(require_caller), meals=Depends(_meals)) -> dict:
    """Canteen staff hand a dine-in order over at the counter."""
    reply = await meals.ServeMealOrder(meals_pb2.ServeMealOrderRequest(id=meal_order_id),
                                       **call_options(request, caller))
    return order_to_rest(reply.meal_order)


@router.get("/v1/meal-figures/{community_id}", response_model=MealFigures)
async def get_meal_figures(
    community_id: CommunityId,
    request: Request,
    from_day: DayQuery,
    to_day: OptionalDayQuery = None,
    caller: Caller = Depends(require_caller),
    meals=Depends(_meals),
) -> dict:
    """Orders, meals and revenue (fen) per day and mode; cancelled orders are counted apart."""
    query = meals_pb2.GetMealFiguresRequest(community_id=community_id, from_day=from_day, to_day=to_day or "")
    reply = await meals.GetMealFigures(query, **call_options(request, caller))
    return {"items": [{"day": f.day, "mode": name_of(MODE_NAMES, f.mode), "orders": f.orders,
                       "meals": f.meals, "cancelled": f.cancelled, "revenue_fen": f.revenue_fen}
                      for f in reply.figures]}
