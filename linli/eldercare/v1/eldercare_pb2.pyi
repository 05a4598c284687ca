import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CareKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CARE_KIND_UNSPECIFIED: _ClassVar[CareKind]
    CARE_KIND_MEAL: _ClassVar[CareKind]
    CARE_KIND_SHOPPING: _ClassVar[CareKind]
    CARE_KIND_BATHING: _ClassVar[CareKind]
    CARE_KIND_CLEANING: _ClassVar[CareKind]
    CARE_KIND_MEDICAL: _ClassVar[CareKind]
    CARE_KIND_EMERGENCY: _ClassVar[CareKind]
    CARE_KIND_RECREATION: _ClassVar[CareKind]
    CARE_KIND_MOBILITY: _ClassVar[CareKind]

class CareRequestStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CARE_REQUEST_STATUS_UNSPECIFIED: _ClassVar[CareRequestStatus]
    CARE_REQUEST_STATUS_RAISED: _ClassVar[CareRequestStatus]
    CARE_REQUEST_STATUS_ACKNOWLEDGED: _ClassVar[CareRequestStatus]

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_DEVICE: _ClassVar[Channel]
    CHANNEL_APP: _ClassVar[Channel]
    CHANNEL_PHONE: _ClassVar[Channel]
CARE_KIND_UNSPECIFIED: CareKind
CARE_KIND_MEAL: CareKind
CARE_KIND_SHOPPING: CareKind
CARE_KIND_BATHING: CareKind
CARE_KIND_CLEANING: CareKind
CARE_KIND_MEDICAL: CareKind
CARE_KIND_EMERGENCY: CareKind
CARE_KIND_RECREATION: CareKind
CARE_KIND_MOBILITY: CareKind
CARE_REQUEST_STATUS_UNSPECIFIED: CareRequestStatus
CARE_REQUEST_STATUS_RAISED: CareRequestStatus
CARE_REQUEST_STATUS_ACKNOWLEDGED: CareRequestStatus
CHANNEL_UNSPECIFIED: Channel
CHANNEL_DEVICE: Channel
CHANNEL_APP: Channel
CHANNEL_PHONE: Channel

class Location(_message.Message):
    __slots__ = ("building", "unit", "floor", "detail")
    BUILDING_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    FLOOR_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    building: str
    unit: str
    floor: int
    detail: str
    def __init__(self, building: _Optional[str] = ..., unit: _Optional[str] = ..., floor: _Optional[int] = ..., detail: _Optional[str] = ...) -> None: ...

class CareRequest(_message.Message):
    __slots__ = ("id", "community_id", "elder_id", "kind", "status", "priority", "channel", "location", "description", "raised_by", "raised_at", "acknowledge_due_at", "acknowledged_at", "acknowledged_by", "escalation_level", "escalated_at", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    RAISED_BY_FIELD_NUMBER: _ClassVar[int]
    RAISED_AT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGE_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_BY_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    elder_id: str
    kind: CareKind
    status: CareRequestStatus
    priority: int
    channel: Channel
    location: Location
    description: str
    raised_by: str
    raised_at: _timestamp_pb2.Timestamp
    acknowledge_due_at: _timestamp_pb2.Timestamp
    acknowledged_at: _timestamp_pb2.Timestamp
    acknowledged_by: str
    escalation_level: int
    escalated_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., kind: _Optional[_Union[CareKind, str]] = ..., status: _Optional[_Union[CareRequestStatus, str]] = ..., priority: _Optional[int] = ..., channel: _Optional[_Union[Channel, str]] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., description: _Optional[str] = ..., raised_by: _Optional[str] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledge_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledged_by: _Optional[str] = ..., escalation_level: _Optional[int] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class RaiseCareRequestRequest(_message.Message):
    __slots__ = ("community_id", "elder_id", "kind", "channel", "location", "description", "request_id")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    elder_id: str
    kind: CareKind
    channel: Channel
    location: Location
    description: str
    request_id: str
    def __init__(self, community_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., kind: _Optional[_Union[CareKind, str]] = ..., channel: _Optional[_Union[Channel, str]] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., description: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RaiseCareRequestResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class GetCareRequestRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetCareRequestResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class ListOpenCareRequestsRequest(_message.Message):
    __slots__ = ("community_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListOpenCareRequestsResponse(_message.Message):
    __slots__ = ("care_requests", "next_page_token")
    CARE_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    care_requests: _containers.RepeatedCompositeFieldContainer[CareRequest]
    next_page_token: str
    def __init__(self, care_requests: _Optional[_Iterable[_Union[CareRequest, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AcknowledgeCareRequestRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class AcknowledgeCareRequestResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...
