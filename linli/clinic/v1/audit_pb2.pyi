import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AuditChannel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUDIT_CHANNEL_UNSPECIFIED: _ClassVar[AuditChannel]
    AUDIT_CHANNEL_HTTP: _ClassVar[AuditChannel]
    AUDIT_CHANNEL_GRPC: _ClassVar[AuditChannel]
    AUDIT_CHANNEL_PARTNER: _ClassVar[AuditChannel]
    AUDIT_CHANNEL_EVENT: _ClassVar[AuditChannel]
AUDIT_CHANNEL_UNSPECIFIED: AuditChannel
AUDIT_CHANNEL_HTTP: AuditChannel
AUDIT_CHANNEL_GRPC: AuditChannel
AUDIT_CHANNEL_PARTNER: AuditChannel
AUDIT_CHANNEL_EVENT: AuditChannel

class AuditRecord(_message.Message):
    __slots__ = ("id", "at", "actor", "actor_roles", "community_id", "patient_id", "resident_id", "action", "resource", "purpose", "channel")
    ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ROLES_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    id: str
    at: _timestamp_pb2.Timestamp
    actor: str
    actor_roles: _containers.RepeatedScalarFieldContainer[str]
    community_id: str
    patient_id: str
    resident_id: str
    action: str
    resource: str
    purpose: str
    channel: AuditChannel
    def __init__(self, id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ..., actor_roles: _Optional[_Iterable[str]] = ..., community_id: _Optional[str] = ..., patient_id: _Optional[str] = ..., resident_id: _Optional[str] = ..., action: _Optional[str] = ..., resource: _Optional[str] = ..., purpose: _Optional[str] = ..., channel: _Optional[_Union[AuditChannel, str]] = ...) -> None: ...

class ListAuditRecordsRequest(_message.Message):
    __slots__ = ("community_id", "patient_id", "actor", "since", "until", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    patient_id: str
    actor: str
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., patient_id: _Optional[str] = ..., actor: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAuditRecordsResponse(_message.Message):
    __slots__ = ("records", "next_page_token")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[AuditRecord]
    next_page_token: str
    def __init__(self, records: _Optional[_Iterable[_Union[AuditRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
