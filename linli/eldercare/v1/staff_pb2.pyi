import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linli.eldercare.v1 import common_pb2 as _common_pb2
from linli.eldercare.v1 import eldercare_pb2 as _eldercare_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StaffMember(_message.Message):
    __slots__ = ("id", "community_id", "name", "phone", "skills", "on_shift", "shift_started_at", "position", "position_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    ON_SHIFT_FIELD_NUMBER: _ClassVar[int]
    SHIFT_STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    POSITION_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    name: str
    phone: str
    skills: _containers.RepeatedScalarFieldContainer[_eldercare_pb2.CareKind]
    on_shift: bool
    shift_started_at: _timestamp_pb2.Timestamp
    position: _common_pb2.GeoPoint
    position_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., name: _Optional[str] = ..., phone: _Optional[str] = ..., skills: _Optional[_Iterable[_Union[_eldercare_pb2.CareKind, str]]] = ..., on_shift: _Optional[bool] = ..., shift_started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., position: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., position_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterStaffRequest(_message.Message):
    __slots__ = ("id", "community_id", "name", "phone", "skills")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    name: str
    phone: str
    skills: _containers.RepeatedScalarFieldContainer[_eldercare_pb2.CareKind]
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., name: _Optional[str] = ..., phone: _Optional[str] = ..., skills: _Optional[_Iterable[_Union[_eldercare_pb2.CareKind, str]]] = ...) -> None: ...

class RegisterStaffResponse(_message.Message):
    __slots__ = ("staff_member",)
    STAFF_MEMBER_FIELD_NUMBER: _ClassVar[int]
    staff_member: StaffMember
    def __init__(self, staff_member: _Optional[_Union[StaffMember, _Mapping]] = ...) -> None: ...

class GetStaffMemberRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetStaffMemberResponse(_message.Message):
    __slots__ = ("staff_member",)
    STAFF_MEMBER_FIELD_NUMBER: _ClassVar[int]
    staff_member: StaffMember
    def __init__(self, staff_member: _Optional[_Union[StaffMember, _Mapping]] = ...) -> None: ...

class ListStaffRequest(_message.Message):
    __slots__ = ("community_id", "on_shift_only")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    ON_SHIFT_ONLY_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    on_shift_only: bool
    def __init__(self, community_id: _Optional[str] = ..., on_shift_only: _Optional[bool] = ...) -> None: ...

class ListStaffResponse(_message.Message):
    __slots__ = ("staff",)
    STAFF_FIELD_NUMBER: _ClassVar[int]
    staff: _containers.RepeatedCompositeFieldContainer[StaffMember]
    def __init__(self, staff: _Optional[_Iterable[_Union[StaffMember, _Mapping]]] = ...) -> None: ...

class StartShiftRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class StartShiftResponse(_message.Message):
    __slots__ = ("staff_member",)
    STAFF_MEMBER_FIELD_NUMBER: _ClassVar[int]
    staff_member: StaffMember
    def __init__(self, staff_member: _Optional[_Union[StaffMember, _Mapping]] = ...) -> None: ...

class EndShiftRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class EndShiftResponse(_message.Message):
    __slots__ = ("staff_member",)
    STAFF_MEMBER_FIELD_NUMBER: _ClassVar[int]
    staff_member: StaffMember
    def __init__(self, staff_member: _Optional[_Union[StaffMember, _Mapping]] = ...) -> None: ...

class ReportPositionRequest(_message.Message):
    __slots__ = ("position",)
    POSITION_FIELD_NUMBER: _ClassVar[int]
    position: _common_pb2.GeoPoint
    def __init__(self, position: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ...) -> None: ...

class ReportPositionResponse(_message.Message):
    __slots__ = ("staff_member",)
    STAFF_MEMBER_FIELD_NUMBER: _ClassVar[int]
    staff_member: StaffMember
    def __init__(self, staff_member: _Optional[_Union[StaffMember, _Mapping]] = ...) -> None: ...
