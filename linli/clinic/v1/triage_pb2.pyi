import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TriageStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRIAGE_STATUS_UNSPECIFIED: _ClassVar[TriageStatus]
    TRIAGE_STATUS_OPEN: _ClassVar[TriageStatus]
    TRIAGE_STATUS_ACKNOWLEDGED: _ClassVar[TriageStatus]
    TRIAGE_STATUS_CLOSED: _ClassVar[TriageStatus]

class TriageKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRIAGE_KIND_UNSPECIFIED: _ClassVar[TriageKind]
    TRIAGE_KIND_MEDICAL: _ClassVar[TriageKind]
    TRIAGE_KIND_EMERGENCY: _ClassVar[TriageKind]

class TriageDisposition(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRIAGE_DISPOSITION_UNSPECIFIED: _ClassVar[TriageDisposition]
    TRIAGE_DISPOSITION_ADVICE_GIVEN: _ClassVar[TriageDisposition]
    TRIAGE_DISPOSITION_HOME_VISIT: _ClassVar[TriageDisposition]
    TRIAGE_DISPOSITION_CLINIC_APPOINTMENT: _ClassVar[TriageDisposition]
    TRIAGE_DISPOSITION_REFERRED: _ClassVar[TriageDisposition]
    TRIAGE_DISPOSITION_EMERGENCY_SERVICES: _ClassVar[TriageDisposition]
    TRIAGE_DISPOSITION_NO_ACTION_NEEDED: _ClassVar[TriageDisposition]
TRIAGE_STATUS_UNSPECIFIED: TriageStatus
TRIAGE_STATUS_OPEN: TriageStatus
TRIAGE_STATUS_ACKNOWLEDGED: TriageStatus
TRIAGE_STATUS_CLOSED: TriageStatus
TRIAGE_KIND_UNSPECIFIED: TriageKind
TRIAGE_KIND_MEDICAL: TriageKind
TRIAGE_KIND_EMERGENCY: TriageKind
TRIAGE_DISPOSITION_UNSPECIFIED: TriageDisposition
TRIAGE_DISPOSITION_ADVICE_GIVEN: TriageDisposition
TRIAGE_DISPOSITION_HOME_VISIT: TriageDisposition
TRIAGE_DISPOSITION_CLINIC_APPOINTMENT: TriageDisposition
TRIAGE_DISPOSITION_REFERRED: TriageDisposition
TRIAGE_DISPOSITION_EMERGENCY_SERVICES: TriageDisposition
TRIAGE_DISPOSITION_NO_ACTION_NEEDED: TriageDisposition

class TriageEntry(_message.Message):
    __slots__ = ("id", "community_id", "care_request_id", "resident_id", "patient_id", "kind", "priority", "description", "location", "raised_at", "status", "acknowledged_by", "acknowledged_at", "closed_by", "closed_at", "disposition", "note", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    RAISED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_BY_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_BY_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    DISPOSITION_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    care_request_id: str
    resident_id: str
    patient_id: str
    kind: TriageKind
    priority: int
    description: str
    location: str
    raised_at: _timestamp_pb2.Timestamp
    status: TriageStatus
    acknowledged_by: str
    acknowledged_at: _timestamp_pb2.Timestamp
    closed_by: str
    closed_at: _timestamp_pb2.Timestamp
    disposition: TriageDisposition
    note: str
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., care_request_id: _Optional[str] = ..., resident_id: _Optional[str] = ..., patient_id: _Optional[str] = ..., kind: _Optional[_Union[TriageKind, str]] = ..., priority: _Optional[int] = ..., description: _Optional[str] = ..., location: _Optional[str] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[TriageStatus, str]] = ..., acknowledged_by: _Optional[str] = ..., acknowledged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_by: _Optional[str] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., disposition: _Optional[_Union[TriageDisposition, str]] = ..., note: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ListTriageEntriesRequest(_message.Message):
    __slots__ = ("community_id", "include_closed", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_CLOSED_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    include_closed: bool
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., include_closed: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTriageEntriesResponse(_message.Message):
    __slots__ = ("entries", "next_page_token")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[TriageEntry]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[_Union[TriageEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetTriageEntryRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetTriageEntryResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: TriageEntry
    def __init__(self, entry: _Optional[_Union[TriageEntry, _Mapping]] = ...) -> None: ...

class AcknowledgeTriageEntryRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class AcknowledgeTriageEntryResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: TriageEntry
    def __init__(self, entry: _Optional[_Union[TriageEntry, _Mapping]] = ...) -> None: ...

class CloseTriageEntryRequest(_message.Message):
    __slots__ = ("id", "disposition", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    DISPOSITION_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    disposition: TriageDisposition
    note: str
    def __init__(self, id: _Optional[str] = ..., disposition: _Optional[_Union[TriageDisposition, str]] = ..., note: _Optional[str] = ...) -> None: ...

class CloseTriageEntryResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: TriageEntry
    def __init__(self, entry: _Optional[_Union[TriageEntry, _Mapping]] = ...) -> None: ...
