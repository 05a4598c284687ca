import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TeleconsultationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TELECONSULTATION_STATUS_UNSPECIFIED: _ClassVar[TeleconsultationStatus]
    TELECONSULTATION_STATUS_REQUESTED: _ClassVar[TeleconsultationStatus]
    TELECONSULTATION_STATUS_SCHEDULED: _ClassVar[TeleconsultationStatus]
    TELECONSULTATION_STATUS_IN_PROGRESS: _ClassVar[TeleconsultationStatus]
    TELECONSULTATION_STATUS_COMPLETED: _ClassVar[TeleconsultationStatus]
    TELECONSULTATION_STATUS_CANCELLED: _ClassVar[TeleconsultationStatus]
    TELECONSULTATION_STATUS_NO_SHOW: _ClassVar[TeleconsultationStatus]
TELECONSULTATION_STATUS_UNSPECIFIED: TeleconsultationStatus
TELECONSULTATION_STATUS_REQUESTED: TeleconsultationStatus
TELECONSULTATION_STATUS_SCHEDULED: TeleconsultationStatus
TELECONSULTATION_STATUS_IN_PROGRESS: TeleconsultationStatus
TELECONSULTATION_STATUS_COMPLETED: TeleconsultationStatus
TELECONSULTATION_STATUS_CANCELLED: TeleconsultationStatus
TELECONSULTATION_STATUS_NO_SHOW: TeleconsultationStatus

class TeleconsultationNote(_message.Message):
    __slots__ = ("author", "at", "text")
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    author: str
    at: _timestamp_pb2.Timestamp
    text: str
    def __init__(self, author: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., text: _Optional[str] = ...) -> None: ...

class TeleconsultationTransition(_message.Message):
    __slots__ = ("status", "at", "by", "note")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    status: TeleconsultationStatus
    at: _timestamp_pb2.Timestamp
    by: str
    note: str
    def __init__(self, status: _Optional[_Union[TeleconsultationStatus, str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., by: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class Teleconsultation(_message.Message):
    __slots__ = ("id", "community_id", "patient_id", "partner_id", "department", "specialist", "reason", "status", "scheduled_start", "duration_minutes", "join_url", "notes", "history", "requested_by", "requested_at", "cancel_reason", "version", "attendance")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    SPECIALIST_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_START_FIELD_NUMBER: _ClassVar[int]
    DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    JOIN_URL_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REASON_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    patient_id: str
    partner_id: str
    department: str
    specialist: str
    reason: str
    status: TeleconsultationStatus
    scheduled_start: _timestamp_pb2.Timestamp
    duration_minutes: int
    join_url: str
    notes: _containers.RepeatedCompositeFieldContainer[TeleconsultationNote]
    history: _containers.RepeatedCompositeFieldContainer[TeleconsultationTransition]
    requested_by: str
    requested_at: _timestamp_pb2.Timestamp
    cancel_reason: str
    version: int
    attendance: _containers.RepeatedCompositeFieldContainer[RoomAttendance]
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., patient_id: _Optional[str] = ..., partner_id: _Optional[str] = ..., department: _Optional[str] = ..., specialist: _Optional[str] = ..., reason: _Optional[str] = ..., status: _Optional[_Union[TeleconsultationStatus, str]] = ..., scheduled_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration_minutes: _Optional[int] = ..., join_url: _Optional[str] = ..., notes: _Optional[_Iterable[_Union[TeleconsultationNote, _Mapping]]] = ..., history: _Optional[_Iterable[_Union[TeleconsultationTransition, _Mapping]]] = ..., requested_by: _Optional[str] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancel_reason: _Optional[str] = ..., version: _Optional[int] = ..., attendance: _Optional[_Iterable[_Union[RoomAttendance, _Mapping]]] = ...) -> None: ...

class RoomAttendance(_message.Message):
    __slots__ = ("participant", "subject", "joined_at", "left_at")
    PARTICIPANT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    JOINED_AT_FIELD_NUMBER: _ClassVar[int]
    LEFT_AT_FIELD_NUMBER: _ClassVar[int]
    participant: str
    subject: str
    joined_at: _timestamp_pb2.Timestamp
    left_at: _timestamp_pb2.Timestamp
    def __init__(self, participant: _Optional[str] = ..., subject: _Optional[str] = ..., joined_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., left_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RequestTeleconsultationRequest(_message.Message):
    __slots__ = ("patient_id", "partner_id", "department", "specialist", "reason", "request_id")
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    SPECIALIST_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    patient_id: str
    partner_id: str
    department: str
    specialist: str
    reason: str
    request_id: str
    def __init__(self, patient_id: _Optional[str] = ..., partner_id: _Optional[str] = ..., department: _Optional[str] = ..., specialist: _Optional[str] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RequestTeleconsultationResponse(_message.Message):
    __slots__ = ("teleconsultation",)
    TELECONSULTATION_FIELD_NUMBER: _ClassVar[int]
    teleconsultation: Teleconsultation
    def __init__(self, teleconsultation: _Optional[_Union[Teleconsultation, _Mapping]] = ...) -> None: ...

class ScheduleTeleconsultationRequest(_message.Message):
    __slots__ = ("id", "start", "duration_minutes")
    ID_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    start: _timestamp_pb2.Timestamp
    duration_minutes: int
    def __init__(self, id: _Optional[str] = ..., start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration_minutes: _Optional[int] = ...) -> None: ...

class ScheduleTeleconsultationResponse(_message.Message):
    __slots__ = ("teleconsultation",)
    TELECONSULTATION_FIELD_NUMBER: _ClassVar[int]
    teleconsultation: Teleconsultation
    def __init__(self, teleconsultation: _Optional[_Union[Teleconsultation, _Mapping]] = ...) -> None: ...

class StartTeleconsultationRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class StartTeleconsultationResponse(_message.Message):
    __slots__ = ("teleconsultation",)
    TELECONSULTATION_FIELD_NUMBER: _ClassVar[int]
    teleconsultation: Teleconsultation
    def __init__(self, teleconsultation: _Optional[_Union[Teleconsultation, _Mapping]] = ...) -> None: ...

class CompleteTeleconsultationRequest(_message.Message):
    __slots__ = ("id", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    note: str
    def __init__(self, id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class CompleteTeleconsultationResponse(_message.Message):
    __slots__ = ("teleconsultation",)
    TELECONSULTATION_FIELD_NUMBER: _ClassVar[int]
    teleconsultation: Teleconsultation
    def __init__(self, teleconsultation: _Optional[_Union[Teleconsultation, _Mapping]] = ...) -> None: ...

class CancelTeleconsultationRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelTeleconsultationResponse(_message.Message):
    __slots__ = ("teleconsultation",)
    TELECONSULTATION_FIELD_NUMBER: _ClassVar[int]
    teleconsultation: Teleconsultation
    def __init__(self, teleconsultation: _Optional[_Union[Teleconsultation, _Mapping]] = ...) -> None: ...

class MarkTeleconsultationNoShowRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class MarkTeleconsultationNoShowResponse(_message.Message):
    __slots__ = ("teleconsultation",)
    TELECONSULTATION_FIELD_NUMBER: _ClassVar[int]
    teleconsultation: Teleconsultation
    def __init__(self, teleconsultation: _Optional[_Union[Teleconsultation, _Mapping]] = ...) -> None: ...

class AddTeleconsultationNoteRequest(_message.Message):
    __slots__ = ("id", "text")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class AddTeleconsultationNoteResponse(_message.Message):
    __slots__ = ("teleconsultation",)
    TELECONSULTATION_FIELD_NUMBER: _ClassVar[int]
    teleconsultation: Teleconsultation
    def __init__(self, teleconsultation: _Optional[_Union[Teleconsultation, _Mapping]] = ...) -> None: ...

class GetTeleconsultationRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetTeleconsultationResponse(_message.Message):
    __slots__ = ("teleconsultation",)
    TELECONSULTATION_FIELD_NUMBER: _ClassVar[int]
    teleconsultation: Teleconsultation
    def __init__(self, teleconsultation: _Optional[_Union[Teleconsultation, _Mapping]] = ...) -> None: ...

class ListTeleconsultationsRequest(_message.Message):
    __slots__ = ("community_id", "patient_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    patient_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., patient_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTeleconsultationsResponse(_message.Message):
    __slots__ = ("teleconsultations", "next_page_token")
    TELECONSULTATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    teleconsultations: _containers.RepeatedCompositeFieldContainer[Teleconsultation]
    next_page_token: str
    def __init__(self, teleconsultations: _Optional[_Iterable[_Union[Teleconsultation, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class EnterTeleconsultationRoomRequest(_message.Message):
    __slots__ = ("id", "join_token", "device_key", "peer")
    ID_FIELD_NUMBER: _ClassVar[int]
    JOIN_TOKEN_FIELD_NUMBER: _ClassVar[int]
    DEVICE_KEY_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    id: str
    join_token: str
    device_key: str
    peer: str
    def __init__(self, id: _Optional[str] = ..., join_token: _Optional[str] = ..., device_key: _Optional[str] = ..., peer: _Optional[str] = ...) -> None: ...

class EnterTeleconsultationRoomResponse(_message.Message):
    __slots__ = ("teleconsultation", "participant", "subject")
    TELECONSULTATION_FIELD_NUMBER: _ClassVar[int]
    PARTICIPANT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    teleconsultation: Teleconsultation
    participant: str
    subject: str
    def __init__(self, teleconsultation: _Optional[_Union[Teleconsultation, _Mapping]] = ..., participant: _Optional[str] = ..., subject: _Optional[str] = ...) -> None: ...

class LeaveTeleconsultationRoomRequest(_message.Message):
    __slots__ = ("id", "peer")
    ID_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    id: str
    peer: str
    def __init__(self, id: _Optional[str] = ..., peer: _Optional[str] = ...) -> None: ...

class LeaveTeleconsultationRoomResponse(_message.Message):
    __slots__ = ("teleconsultation",)
    TELECONSULTATION_FIELD_NUMBER: _ClassVar[int]
    teleconsultation: Teleconsultation
    def __init__(self, teleconsultation: _Optional[_Union[Teleconsultation, _Mapping]] = ...) -> None: ...

class CheckTeleconsultationRoomPassRequest(_message.Message):
    __slots__ = ("id", "join_token", "device_key")
    ID_FIELD_NUMBER: _ClassVar[int]
    JOIN_TOKEN_FIELD_NUMBER: _ClassVar[int]
    DEVICE_KEY_FIELD_NUMBER: _ClassVar[int]
    id: str
    join_token: str
    device_key: str
    def __init__(self, id: _Optional[str] = ..., join_token: _Optional[str] = ..., device_key: _Optional[str] = ...) -> None: ...

class CheckTeleconsultationRoomPassResponse(_message.Message):
    __slots__ = ("participant", "subject", "community_id")
    PARTICIPANT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    participant: str
    subject: str
    community_id: str
    def __init__(self, participant: _Optional[str] = ..., subject: _Optional[str] = ..., community_id: _Optional[str] = ...) -> None: ...
