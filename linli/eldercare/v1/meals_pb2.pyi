import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linli.eldercare.v1 import eldercare_pb2 as _eldercare_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MealMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MEAL_MODE_UNSPECIFIED: _ClassVar[MealMode]
    MEAL_MODE_DINE_IN: _ClassVar[MealMode]
    MEAL_MODE_DELIVERY: _ClassVar[MealMode]

class MealOrderStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MEAL_ORDER_STATUS_UNSPECIFIED: _ClassVar[MealOrderStatus]
    MEAL_ORDER_STATUS_PLACED: _ClassVar[MealOrderStatus]
    MEAL_ORDER_STATUS_DISPATCHED: _ClassVar[MealOrderStatus]
    MEAL_ORDER_STATUS_DELIVERED: _ClassVar[MealOrderStatus]
    MEAL_ORDER_STATUS_SERVED: _ClassVar[MealOrderStatus]
    MEAL_ORDER_STATUS_CANCELLED: _ClassVar[MealOrderStatus]
MEAL_MODE_UNSPECIFIED: MealMode
MEAL_MODE_DINE_IN: MealMode
MEAL_MODE_DELIVERY: MealMode
MEAL_ORDER_STATUS_UNSPECIFIED: MealOrderStatus
MEAL_ORDER_STATUS_PLACED: MealOrderStatus
MEAL_ORDER_STATUS_DISPATCHED: MealOrderStatus
MEAL_ORDER_STATUS_DELIVERED: MealOrderStatus
MEAL_ORDER_STATUS_SERVED: MealOrderStatus
MEAL_ORDER_STATUS_CANCELLED: MealOrderStatus

class Dish(_message.Message):
    __slots__ = ("name", "note")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    name: str
    note: str
    def __init__(self, name: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class Menu(_message.Message):
    __slots__ = ("community_id", "day", "dishes", "price_fen", "order_cutoff", "order_cutoff_at", "dine_in", "delivery", "delivery_fee_fen", "set_by", "set_at", "version")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    DISHES_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    ORDER_CUTOFF_FIELD_NUMBER: _ClassVar[int]
    ORDER_CUTOFF_AT_FIELD_NUMBER: _ClassVar[int]
    DINE_IN_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FEE_FEN_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    SET_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    day: str
    dishes: _containers.RepeatedCompositeFieldContainer[Dish]
    price_fen: int
    order_cutoff: str
    order_cutoff_at: _timestamp_pb2.Timestamp
    dine_in: bool
    delivery: bool
    delivery_fee_fen: int
    set_by: str
    set_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, community_id: _Optional[str] = ..., day: _Optional[str] = ..., dishes: _Optional[_Iterable[_Union[Dish, _Mapping]]] = ..., price_fen: _Optional[int] = ..., order_cutoff: _Optional[str] = ..., order_cutoff_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., dine_in: _Optional[bool] = ..., delivery: _Optional[bool] = ..., delivery_fee_fen: _Optional[int] = ..., set_by: _Optional[str] = ..., set_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class MealOrder(_message.Message):
    __slots__ = ("id", "community_id", "elder_id", "day", "mode", "quantity", "price_fen", "delivery_fee_fen", "total_fen", "status", "location", "note", "placed_by", "placed_at", "care_request_id", "dispatched_at", "delivered_at", "served_at", "served_by", "cancelled_at", "cancelled_by", "cancel_reason", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FEE_FEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    PLACED_BY_FIELD_NUMBER: _ClassVar[int]
    PLACED_AT_FIELD_NUMBER: _ClassVar[int]
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DISPATCHED_AT_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_AT_FIELD_NUMBER: _ClassVar[int]
    SERVED_AT_FIELD_NUMBER: _ClassVar[int]
    SERVED_BY_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_BY_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REASON_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    elder_id: str
    day: str
    mode: MealMode
    quantity: int
    price_fen: int
    delivery_fee_fen: int
    total_fen: int
    status: MealOrderStatus
    location: _eldercare_pb2.Location
    note: str
    placed_by: str
    placed_at: _timestamp_pb2.Timestamp
    care_request_id: str
    dispatched_at: _timestamp_pb2.Timestamp
    delivered_at: _timestamp_pb2.Timestamp
    served_at: _timestamp_pb2.Timestamp
    served_by: str
    cancelled_at: _timestamp_pb2.Timestamp
    cancelled_by: str
    cancel_reason: str
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., day: _Optional[str] = ..., mode: _Optional[_Union[MealMode, str]] = ..., quantity: _Optional[int] = ..., price_fen: _Optional[int] = ..., delivery_fee_fen: _Optional[int] = ..., total_fen: _Optional[int] = ..., status: _Optional[_Union[MealOrderStatus, str]] = ..., location: _Optional[_Union[_eldercare_pb2.Location, _Mapping]] = ..., note: _Optional[str] = ..., placed_by: _Optional[str] = ..., placed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., care_request_id: _Optional[str] = ..., dispatched_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delivered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., served_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., served_by: _Optional[str] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancelled_by: _Optional[str] = ..., cancel_reason: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class SetMenuRequest(_message.Message):
    __slots__ = ("community_id", "day", "dishes", "price_fen", "order_cutoff", "dine_in", "delivery", "delivery_fee_fen")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    DISHES_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    ORDER_CUTOFF_FIELD_NUMBER: _ClassVar[int]
    DINE_IN_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FEE_FEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    day: str
    dishes: _containers.RepeatedCompositeFieldContainer[Dish]
    price_fen: int
    order_cutoff: str
    dine_in: bool
    delivery: bool
    delivery_fee_fen: int
    def __init__(self, community_id: _Optional[str] = ..., day: _Optional[str] = ..., dishes: _Optional[_Iterable[_Union[Dish, _Mapping]]] = ..., price_fen: _Optional[int] = ..., order_cutoff: _Optional[str] = ..., dine_in: _Optional[bool] = ..., delivery: _Optional[bool] = ..., delivery_fee_fen: _Optional[int] = ...) -> None: ...

class SetMenuResponse(_message.Message):
    __slots__ = ("menu",)
    MENU_FIELD_NUMBER: _ClassVar[int]
    menu: Menu
    def __init__(self, menu: _Optional[_Union[Menu, _Mapping]] = ...) -> None: ...

class GetMenuRequest(_message.Message):
    __slots__ = ("community_id", "day")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    day: str
    def __init__(self, community_id: _Optional[str] = ..., day: _Optional[str] = ...) -> None: ...

class GetMenuResponse(_message.Message):
    __slots__ = ("menu",)
    MENU_FIELD_NUMBER: _ClassVar[int]
    menu: Menu
    def __init__(self, menu: _Optional[_Union[Menu, _Mapping]] = ...) -> None: ...

class PlaceMealOrderRequest(_message.Message):
    __slots__ = ("community_id", "elder_id", "day", "mode", "quantity", "location", "note", "request_id")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    elder_id: str
    day: str
    mode: MealMode
    quantity: int
    location: _eldercare_pb2.Location
    note: str
    request_id: str
    def __init__(self, community_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., day: _Optional[str] = ..., mode: _Optional[_Union[MealMode, str]] = ..., quantity: _Optional[int] = ..., location: _Optional[_Union[_eldercare_pb2.Location, _Mapping]] = ..., note: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class PlaceMealOrderResponse(_message.Message):
    __slots__ = ("meal_order",)
    MEAL_ORDER_FIELD_NUMBER: _ClassVar[int]
    meal_order: MealOrder
    def __init__(self, meal_order: _Optional[_Union[MealOrder, _Mapping]] = ...) -> None: ...

class CancelMealOrderRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelMealOrderResponse(_message.Message):
    __slots__ = ("meal_order",)
    MEAL_ORDER_FIELD_NUMBER: _ClassVar[int]
    meal_order: MealOrder
    def __init__(self, meal_order: _Optional[_Union[MealOrder, _Mapping]] = ...) -> None: ...

class ServeMealOrderRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ServeMealOrderResponse(_message.Message):
    __slots__ = ("meal_order",)
    MEAL_ORDER_FIELD_NUMBER: _ClassVar[int]
    meal_order: MealOrder
    def __init__(self, meal_order: _Optional[_Union[MealOrder, _Mapping]] = ...) -> None: ...

class ListMealOrdersRequest(_message.Message):
    __slots__ = ("community_id", "day", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    day: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., day: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMealOrdersResponse(_message.Message):
    __slots__ = ("meal_orders", "next_page_token")
    MEAL_ORDERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    meal_orders: _containers.RepeatedCompositeFieldContainer[MealOrder]
    next_page_token: str
    def __init__(self, meal_orders: _Optional[_Iterable[_Union[MealOrder, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetMealFiguresRequest(_message.Message):
    __slots__ = ("community_id", "from_day", "to_day")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_DAY_FIELD_NUMBER: _ClassVar[int]
    TO_DAY_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    from_day: str
    to_day: str
    def __init__(self, community_id: _Optional[str] = ..., from_day: _Optional[str] = ..., to_day: _Optional[str] = ...) -> None: ...

class MealFigures(_message.Message):
    __slots__ = ("day", "mode", "orders", "meals", "cancelled", "revenue_fen")
    DAY_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    MEALS_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FEN_FIELD_NUMBER: _ClassVar[int]
    day: str
    mode: MealMode
    orders: int
    meals: int
    cancelled: int
    revenue_fen: int
    def __init__(self, day: _Optional[str] = ..., mode: _Optional[_Union[MealMode, str]] = ..., orders: _Optional[int] = ..., meals: _Optional[int] = ..., cancelled: _Optional[int] = ..., revenue_fen: _Optional[int] = ...) -> None: ...

class GetMealFiguresResponse(_message.Message):
    __slots__ = ("figures",)
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    figures: _containers.RepeatedCompositeFieldContainer[MealFigures]
    def __init__(self, figures: _Optional[_Iterable[_Union[MealFigures, _Mapping]]] = ...) -> None: ...
