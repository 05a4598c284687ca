from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GeoPoint(_message.Message):
    __slots__ = ("latitude", "longitude")
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    latitude: float
    longitude: float
    def __init__(self, latitude: _Optional[float] = ..., longitude: _Optional[float] = ...) -> None: ...

class Address(_message.Message):
    __slots__ = ("building", "unit", "floor", "room", "position")
    BUILDING_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    FLOOR_FIELD_NUMBER: _ClassVar[int]
    ROOM_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    building: str
    unit: str
    floor: int
    room: str
    position: GeoPoint
    def __init__(self, building: _Optional[str] = ..., unit: _Optional[str] = ..., floor: _Optional[int] = ..., room: _Optional[str] = ..., position: _Optional[_Union[GeoPoint, _Mapping]] = ...) -> None: ...

class Contact(_message.Message):
    __slots__ = ("name", "relation", "phone", "user_id", "holds_key")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDS_KEY_FIELD_NUMBER: _ClassVar[int]
    name: str
    relation: str
    phone: str
    user_id: str
    holds_key: bool
    def __init__(self, name: _Optional[str] = ..., relation: _Optional[str] = ..., phone: _Optional[str] = ..., user_id: _Optional[str] = ..., holds_key: _Optional[bool] = ...) -> None: ...
