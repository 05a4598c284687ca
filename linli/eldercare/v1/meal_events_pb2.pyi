from linli.eldercare.v1 import meals_pb2 as _meals_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MealOrderPlaced(_message.Message):
    __slots__ = ("meal_order",)
    MEAL_ORDER_FIELD_NUMBER: _ClassVar[int]
    meal_order: _meals_pb2.MealOrder
    def __init__(self, meal_order: _Optional[_Union[_meals_pb2.MealOrder, _Mapping]] = ...) -> None: ...

class MealOrderDispatched(_message.Message):
    __slots__ = ("meal_order",)
    MEAL_ORDER_FIELD_NUMBER: _ClassVar[int]
    meal_order: _meals_pb2.MealOrder
    def __init__(self, meal_order: _Optional[_Union[_meals_pb2.MealOrder, _Mapping]] = ...) -> None: ...

class MealOrderCancelled(_message.Message):
    __slots__ = ("meal_order",)
    MEAL_ORDER_FIELD_NUMBER: _ClassVar[int]
    meal_order: _meals_pb2.MealOrder
    def __init__(self, meal_order: _Optional[_Union[_meals_pb2.MealOrder, _Mapping]] = ...) -> None: ...

class MealOrderDelivered(_message.Message):
    __slots__ = ("meal_order",)
    MEAL_ORDER_FIELD_NUMBER: _ClassVar[int]
    meal_order: _meals_pb2.MealOrder
    def __init__(self, meal_order: _Optional[_Union[_meals_pb2.MealOrder, _Mapping]] = ...) -> None: ...

class MealOrderServed(_message.Message):
    __slots__ = ("meal_order",)
    MEAL_ORDER_FIELD_NUMBER: _ClassVar[int]
    meal_order: _meals_pb2.MealOrder
    def __init__(self, meal_order: _Optional[_Union[_meals_pb2.MealOrder, _Mapping]] = ...) -> None: ...
