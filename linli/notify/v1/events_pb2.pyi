import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linli.notify.v1 import notify_pb2 as _notify_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EmergencyUnreached(_message.Message):
    __slots__ = ("care_request_id", "community_id", "elder_id", "event_type", "recipients", "deliveries_tried", "at")
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    DELIVERIES_TRIED_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    community_id: str
    elder_id: str
    event_type: str
    recipients: _containers.RepeatedScalarFieldContainer[str]
    deliveries_tried: int
    at: _timestamp_pb2.Timestamp
    def __init__(self, care_request_id: _Optional[str] = ..., community_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., event_type: _Optional[str] = ..., recipients: _Optional[_Iterable[str]] = ..., deliveries_tried: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class NotificationCreated(_message.Message):
    __slots__ = ("user_id", "notification")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    notification: _notify_pb2.Notification
    def __init__(self, user_id: _Optional[str] = ..., notification: _Optional[_Union[_notify_pb2.Notification, _Mapping]] = ...) -> None: ...
