import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linli.eldercare.v1 import common_pb2 as _common_pb2
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
    CARE_REQUEST_STATUS_ASSIGNED: _ClassVar[CareRequestStatus]
    CARE_REQUEST_STATUS_EN_ROUTE: _ClassVar[CareRequestStatus]
    CARE_REQUEST_STATUS_ON_SITE: _ClassVar[CareRequestStatus]
    CARE_REQUEST_STATUS_COMPLETED: _ClassVar[CareRequestStatus]
    CARE_REQUEST_STATUS_CLOSED: _ClassVar[CareRequestStatus]
    CARE_REQUEST_STATUS_CANCELLED: _ClassVar[CareRequestStatus]

class Disposition(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISPOSITION_UNSPECIFIED: _ClassVar[Disposition]
    DISPOSITION_RESOLVED: _ClassVar[Disposition]
    DISPOSITION_REFERRED_TO_CLINIC: _ClassVar[Disposition]
    DISPOSITION_HANDED_TO_EMERGENCY_SERVICES: _ClassVar[Disposition]
    DISPOSITION_NO_ACCESS: _ClassVar[Disposition]
    DISPOSITION_FALSE_ALARM: _ClassVar[Disposition]

class AssigneeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSIGNEE_KIND_UNSPECIFIED: _ClassVar[AssigneeKind]
    ASSIGNEE_KIND_STAFF: _ClassVar[AssigneeKind]
    ASSIGNEE_KIND_VOLUNTEER: _ClassVar[AssigneeKind]

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_DEVICE: _ClassVar[Channel]
    CHANNEL_APP: _ClassVar[Channel]
    CHANNEL_PHONE: _ClassVar[Channel]

class PositionSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POSITION_SOURCE_UNSPECIFIED: _ClassVar[PositionSource]
    POSITION_SOURCE_HOME_ADDRESS: _ClassVar[PositionSource]
    POSITION_SOURCE_DEVICE: _ClassVar[PositionSource]
    POSITION_SOURCE_PHONE_GPS: _ClassVar[PositionSource]

class CallMedia(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_MEDIA_UNSPECIFIED: _ClassVar[CallMedia]
    CALL_MEDIA_AUDIO: _ClassVar[CallMedia]
    CALL_MEDIA_AUDIO_VIDEO: _ClassVar[CallMedia]

class CallState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_STATE_UNSPECIFIED: _ClassVar[CallState]
    CALL_STATE_RINGING: _ClassVar[CallState]
    CALL_STATE_ANSWERED: _ClassVar[CallState]
    CALL_STATE_ENDED: _ClassVar[CallState]

class CallDirection(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_DIRECTION_UNSPECIFIED: _ClassVar[CallDirection]
    CALL_DIRECTION_FROM_TERMINAL: _ClassVar[CallDirection]
    CALL_DIRECTION_TO_TERMINAL: _ClassVar[CallDirection]

class CallEndReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_END_REASON_UNSPECIFIED: _ClassVar[CallEndReason]
    CALL_END_REASON_HUNG_UP: _ClassVar[CallEndReason]
    CALL_END_REASON_DROPPED: _ClassVar[CallEndReason]
    CALL_END_REASON_UNANSWERED: _ClassVar[CallEndReason]
    CALL_END_REASON_TERMINAL_OFFLINE: _ClassVar[CallEndReason]
    CALL_END_REASON_MEDIA_FAILED: _ClassVar[CallEndReason]

class CallGuestKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_GUEST_KIND_UNSPECIFIED: _ClassVar[CallGuestKind]
    CALL_GUEST_KIND_FAMILY: _ClassVar[CallGuestKind]
    CALL_GUEST_KIND_CLINICIAN: _ClassVar[CallGuestKind]
    CALL_GUEST_KIND_SPECIALIST: _ClassVar[CallGuestKind]

class CallParticipantRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_PARTICIPANT_ROLE_UNSPECIFIED: _ClassVar[CallParticipantRole]
    CALL_PARTICIPANT_ROLE_TERMINAL: _ClassVar[CallParticipantRole]
    CALL_PARTICIPANT_ROLE_OPERATOR: _ClassVar[CallParticipantRole]
    CALL_PARTICIPANT_ROLE_FAMILY: _ClassVar[CallParticipantRole]
    CALL_PARTICIPANT_ROLE_CLINICIAN: _ClassVar[CallParticipantRole]
    CALL_PARTICIPANT_ROLE_SPECIALIST: _ClassVar[CallParticipantRole]
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
CARE_REQUEST_STATUS_ASSIGNED: CareRequestStatus
CARE_REQUEST_STATUS_EN_ROUTE: CareRequestStatus
CARE_REQUEST_STATUS_ON_SITE: CareRequestStatus
CARE_REQUEST_STATUS_COMPLETED: CareRequestStatus
CARE_REQUEST_STATUS_CLOSED: CareRequestStatus
CARE_REQUEST_STATUS_CANCELLED: CareRequestStatus
DISPOSITION_UNSPECIFIED: Disposition
DISPOSITION_RESOLVED: Disposition
DISPOSITION_REFERRED_TO_CLINIC: Disposition
DISPOSITION_HANDED_TO_EMERGENCY_SERVICES: Disposition
DISPOSITION_NO_ACCESS: Disposition
DISPOSITION_FALSE_ALARM: Disposition
ASSIGNEE_KIND_UNSPECIFIED: AssigneeKind
ASSIGNEE_KIND_STAFF: AssigneeKind
ASSIGNEE_KIND_VOLUNTEER: AssigneeKind
CHANNEL_UNSPECIFIED: Channel
CHANNEL_DEVICE: Channel
CHANNEL_APP: Channel
CHANNEL_PHONE: Channel
POSITION_SOURCE_UNSPECIFIED: PositionSource
POSITION_SOURCE_HOME_ADDRESS: PositionSource
POSITION_SOURCE_DEVICE: PositionSource
POSITION_SOURCE_PHONE_GPS: PositionSource
CALL_MEDIA_UNSPECIFIED: CallMedia
CALL_MEDIA_AUDIO: CallMedia
CALL_MEDIA_AUDIO_VIDEO: CallMedia
CALL_STATE_UNSPECIFIED: CallState
CALL_STATE_RINGING: CallState
CALL_STATE_ANSWERED: CallState
CALL_STATE_ENDED: CallState
CALL_DIRECTION_UNSPECIFIED: CallDirection
CALL_DIRECTION_FROM_TERMINAL: CallDirection
CALL_DIRECTION_TO_TERMINAL: CallDirection
CALL_END_REASON_UNSPECIFIED: CallEndReason
CALL_END_REASON_HUNG_UP: CallEndReason
CALL_END_REASON_DROPPED: CallEndReason
CALL_END_REASON_UNANSWERED: CallEndReason
CALL_END_REASON_TERMINAL_OFFLINE: CallEndReason
CALL_END_REASON_MEDIA_FAILED: CallEndReason
CALL_GUEST_KIND_UNSPECIFIED: CallGuestKind
CALL_GUEST_KIND_FAMILY: CallGuestKind
CALL_GUEST_KIND_CLINICIAN: CallGuestKind
CALL_GUEST_KIND_SPECIALIST: CallGuestKind
CALL_PARTICIPANT_ROLE_UNSPECIFIED: CallParticipantRole
CALL_PARTICIPANT_ROLE_TERMINAL: CallParticipantRole
CALL_PARTICIPANT_ROLE_OPERATOR: CallParticipantRole
CALL_PARTICIPANT_ROLE_FAMILY: CallParticipantRole
CALL_PARTICIPANT_ROLE_CLINICIAN: CallParticipantRole
CALL_PARTICIPANT_ROLE_SPECIALIST: CallParticipantRole

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
    __slots__ = ("id", "community_id", "elder_id", "kind", "status", "priority", "channel", "location", "description", "raised_by", "raised_at", "acknowledge_due_at", "acknowledged_at", "acknowledged_by", "escalation_level", "escalated_at", "version", "device_id", "assignment", "eta", "visit", "disposition", "cancel_reason", "history", "feedback", "escalated_to", "position", "scheduled_for", "position_source", "position_accuracy_m", "calls")
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
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_FIELD_NUMBER: _ClassVar[int]
    ETA_FIELD_NUMBER: _ClassVar[int]
    VISIT_FIELD_NUMBER: _ClassVar[int]
    DISPOSITION_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REASON_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_TO_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    POSITION_SOURCE_FIELD_NUMBER: _ClassVar[int]
    POSITION_ACCURACY_M_FIELD_NUMBER: _ClassVar[int]
    CALLS_FIELD_NUMBER: _ClassVar[int]
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
    device_id: str
    assignment: Assignment
    eta: _timestamp_pb2.Timestamp
    visit: Visit
    disposition: Disposition
    cancel_reason: str
    history: _containers.RepeatedCompositeFieldContainer[Transition]
    feedback: Feedback
    escalated_to: str
    position: _common_pb2.GeoPoint
    scheduled_for: _timestamp_pb2.Timestamp
    position_source: PositionSource
    position_accuracy_m: float
    calls: _containers.RepeatedCompositeFieldContainer[Call]
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., kind: _Optional[_Union[CareKind, str]] = ..., status: _Optional[_Union[CareRequestStatus, str]] = ..., priority: _Optional[int] = ..., channel: _Optional[_Union[Channel, str]] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., description: _Optional[str] = ..., raised_by: _Optional[str] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledge_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledged_by: _Optional[str] = ..., escalation_level: _Optional[int] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., device_id: _Optional[str] = ..., assignment: _Optional[_Union[Assignment, _Mapping]] = ..., eta: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., visit: _Optional[_Union[Visit, _Mapping]] = ..., disposition: _Optional[_Union[Disposition, str]] = ..., cancel_reason: _Optional[str] = ..., history: _Optional[_Iterable[_Union[Transition, _Mapping]]] = ..., feedback: _Optional[_Union[Feedback, _Mapping]] = ..., escalated_to: _Optional[str] = ..., position: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., position_source: _Optional[_Union[PositionSource, str]] = ..., position_accuracy_m: _Optional[float] = ..., calls: _Optional[_Iterable[_Union[Call, _Mapping]]] = ...) -> None: ...

class Call(_message.Message):
    __slots__ = ("id", "media", "state", "direction", "device_id", "offered_at", "offered_by", "answered_at", "answered_by", "ended_at", "end_reason", "ended_by", "duration_seconds", "callback_phone", "guests", "recording_allowed")
    ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFERED_AT_FIELD_NUMBER: _ClassVar[int]
    OFFERED_BY_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    END_REASON_FIELD_NUMBER: _ClassVar[int]
    ENDED_BY_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    CALLBACK_PHONE_FIELD_NUMBER: _ClassVar[int]
    GUESTS_FIELD_NUMBER: _ClassVar[int]
    RECORDING_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    id: str
    media: CallMedia
    state: CallState
    direction: CallDirection
    device_id: str
    offered_at: _timestamp_pb2.Timestamp
    offered_by: str
    answered_at: _timestamp_pb2.Timestamp
    answered_by: str
    ended_at: _timestamp_pb2.Timestamp
    end_reason: CallEndReason
    ended_by: str
    duration_seconds: int
    callback_phone: str
    guests: _containers.RepeatedCompositeFieldContainer[CallGuest]
    recording_allowed: bool
    def __init__(self, id: _Optional[str] = ..., media: _Optional[_Union[CallMedia, str]] = ..., state: _Optional[_Union[CallState, str]] = ..., direction: _Optional[_Union[CallDirection, str]] = ..., device_id: _Optional[str] = ..., offered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., offered_by: _Optional[str] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answered_by: _Optional[str] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_reason: _Optional[_Union[CallEndReason, str]] = ..., ended_by: _Optional[str] = ..., duration_seconds: _Optional[int] = ..., callback_phone: _Optional[str] = ..., guests: _Optional[_Iterable[_Union[CallGuest, _Mapping]]] = ..., recording_allowed: _Optional[bool] = ...) -> None: ...

class CallRecording(_message.Message):
    __slots__ = ("id", "care_request_id", "call_id", "content_type", "size_bytes", "sha256", "recorded_by", "recorded_at", "purge_after")
    ID_FIELD_NUMBER: _ClassVar[int]
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    PURGE_AFTER_FIELD_NUMBER: _ClassVar[int]
    id: str
    care_request_id: str
    call_id: str
    content_type: str
    size_bytes: int
    sha256: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    purge_after: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., care_request_id: _Optional[str] = ..., call_id: _Optional[str] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., purge_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordingAccess(_message.Message):
    __slots__ = ("recording_id", "care_request_id", "action", "by", "at")
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    recording_id: str
    care_request_id: str
    action: str
    by: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, recording_id: _Optional[str] = ..., care_request_id: _Optional[str] = ..., action: _Optional[str] = ..., by: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CallGuest(_message.Message):
    __slots__ = ("id", "kind", "subject", "invited_by", "invited_at", "expires_at", "joined_at", "left_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    INVITED_BY_FIELD_NUMBER: _ClassVar[int]
    INVITED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    JOINED_AT_FIELD_NUMBER: _ClassVar[int]
    LEFT_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: CallGuestKind
    subject: str
    invited_by: str
    invited_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    joined_at: _timestamp_pb2.Timestamp
    left_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[CallGuestKind, str]] = ..., subject: _Optional[str] = ..., invited_by: _Optional[str] = ..., invited_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., joined_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., left_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Assignment(_message.Message):
    __slots__ = ("assignee_id", "assignee_kind", "assignee_name", "assigned_by", "assigned_at", "accepted_at", "override_reason", "accept_due_at")
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_KIND_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_NAME_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_BY_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    ACCEPT_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    assignee_id: str
    assignee_kind: AssigneeKind
    assignee_name: str
    assigned_by: str
    assigned_at: _timestamp_pb2.Timestamp
    accepted_at: _timestamp_pb2.Timestamp
    override_reason: str
    accept_due_at: _timestamp_pb2.Timestamp
    def __init__(self, assignee_id: _Optional[str] = ..., assignee_kind: _Optional[_Union[AssigneeKind, str]] = ..., assignee_name: _Optional[str] = ..., assigned_by: _Optional[str] = ..., assigned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., accepted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., override_reason: _Optional[str] = ..., accept_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Visit(_message.Message):
    __slots__ = ("visitor_id", "checked_in_at", "checked_in_at_position", "distance_m", "override_reason", "override_by", "checked_out_at", "notes")
    VISITOR_ID_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_AT_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_AT_POSITION_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_M_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_BY_FIELD_NUMBER: _ClassVar[int]
    CHECKED_OUT_AT_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    visitor_id: str
    checked_in_at: _timestamp_pb2.Timestamp
    checked_in_at_position: _common_pb2.GeoPoint
    distance_m: float
    override_reason: str
    override_by: str
    checked_out_at: _timestamp_pb2.Timestamp
    notes: str
    def __init__(self, visitor_id: _Optional[str] = ..., checked_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., checked_in_at_position: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., distance_m: _Optional[float] = ..., override_reason: _Optional[str] = ..., override_by: _Optional[str] = ..., checked_out_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., notes: _Optional[str] = ...) -> None: ...

class Transition(_message.Message):
    __slots__ = ("status", "at", "by", "note")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    status: CareRequestStatus
    at: _timestamp_pb2.Timestamp
    by: str
    note: str
    def __init__(self, status: _Optional[_Union[CareRequestStatus, str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., by: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class Feedback(_message.Message):
    __slots__ = ("rating", "comment", "rated_by", "rated_at")
    RATING_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    RATED_BY_FIELD_NUMBER: _ClassVar[int]
    RATED_AT_FIELD_NUMBER: _ClassVar[int]
    rating: int
    comment: str
    rated_by: str
    rated_at: _timestamp_pb2.Timestamp
    def __init__(self, rating: _Optional[int] = ..., comment: _Optional[str] = ..., rated_by: _Optional[str] = ..., rated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RaiseCareRequestRequest(_message.Message):
    __slots__ = ("community_id", "elder_id", "kind", "channel", "location", "description", "request_id", "scheduled_for", "position", "position_accuracy_m")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    POSITION_ACCURACY_M_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    elder_id: str
    kind: CareKind
    channel: Channel
    location: Location
    description: str
    request_id: str
    scheduled_for: _timestamp_pb2.Timestamp
    position: _common_pb2.GeoPoint
    position_accuracy_m: float
    def __init__(self, community_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., kind: _Optional[_Union[CareKind, str]] = ..., channel: _Optional[_Union[Channel, str]] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., description: _Optional[str] = ..., request_id: _Optional[str] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., position: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., position_accuracy_m: _Optional[float] = ...) -> None: ...

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

class ListUpcomingCareRequestsRequest(_message.Message):
    __slots__ = ("community_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListUpcomingCareRequestsResponse(_message.Message):
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

class Candidate(_message.Message):
    __slots__ = ("assignee_id", "assignee_kind", "name", "distance_m", "load", "reasons")
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_M_FIELD_NUMBER: _ClassVar[int]
    LOAD_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    assignee_id: str
    assignee_kind: AssigneeKind
    name: str
    distance_m: float
    load: int
    reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, assignee_id: _Optional[str] = ..., assignee_kind: _Optional[_Union[AssigneeKind, str]] = ..., name: _Optional[str] = ..., distance_m: _Optional[float] = ..., load: _Optional[int] = ..., reasons: _Optional[_Iterable[str]] = ...) -> None: ...

class SuggestAssigneesRequest(_message.Message):
    __slots__ = ("id", "limit")
    ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    id: str
    limit: int
    def __init__(self, id: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class SuggestAssigneesResponse(_message.Message):
    __slots__ = ("candidates",)
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    candidates: _containers.RepeatedCompositeFieldContainer[Candidate]
    def __init__(self, candidates: _Optional[_Iterable[_Union[Candidate, _Mapping]]] = ...) -> None: ...

class AssignCareRequestRequest(_message.Message):
    __slots__ = ("id", "assignee_id", "assignee_kind", "override_reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_KIND_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    assignee_id: str
    assignee_kind: AssigneeKind
    override_reason: str
    def __init__(self, id: _Optional[str] = ..., assignee_id: _Optional[str] = ..., assignee_kind: _Optional[_Union[AssigneeKind, str]] = ..., override_reason: _Optional[str] = ...) -> None: ...

class AssignCareRequestResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class AcceptAssignmentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class AcceptAssignmentResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class DeclineAssignmentRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DeclineAssignmentResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class StartTravelRequest(_message.Message):
    __slots__ = ("id", "eta_minutes")
    ID_FIELD_NUMBER: _ClassVar[int]
    ETA_MINUTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    eta_minutes: int
    def __init__(self, id: _Optional[str] = ..., eta_minutes: _Optional[int] = ...) -> None: ...

class StartTravelResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class ArriveOnSiteRequest(_message.Message):
    __slots__ = ("id", "position", "override_reason", "visitor_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    VISITOR_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    position: _common_pb2.GeoPoint
    override_reason: str
    visitor_id: str
    def __init__(self, id: _Optional[str] = ..., position: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., override_reason: _Optional[str] = ..., visitor_id: _Optional[str] = ...) -> None: ...

class ArriveOnSiteResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class CompleteCareRequestRequest(_message.Message):
    __slots__ = ("id", "notes")
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    notes: str
    def __init__(self, id: _Optional[str] = ..., notes: _Optional[str] = ...) -> None: ...

class CompleteCareRequestResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class CloseCareRequestRequest(_message.Message):
    __slots__ = ("id", "disposition", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    DISPOSITION_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    disposition: Disposition
    note: str
    def __init__(self, id: _Optional[str] = ..., disposition: _Optional[_Union[Disposition, str]] = ..., note: _Optional[str] = ...) -> None: ...

class CloseCareRequestResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class CancelCareRequestRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelCareRequestResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class EscalateCareRequestRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class EscalateCareRequestResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class RateCareRequestRequest(_message.Message):
    __slots__ = ("id", "rating", "comment")
    ID_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    id: str
    rating: int
    comment: str
    def __init__(self, id: _Optional[str] = ..., rating: _Optional[int] = ..., comment: _Optional[str] = ...) -> None: ...

class RateCareRequestResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class ListMyCareRequestsRequest(_message.Message):
    __slots__ = ("include_finished", "page_size", "page_token")
    INCLUDE_FINISHED_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    include_finished: bool
    page_size: int
    page_token: str
    def __init__(self, include_finished: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMyCareRequestsResponse(_message.Message):
    __slots__ = ("care_requests", "next_page_token")
    CARE_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    care_requests: _containers.RepeatedCompositeFieldContainer[CareRequest]
    next_page_token: str
    def __init__(self, care_requests: _Optional[_Iterable[_Union[CareRequest, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetCareFiguresRequest(_message.Message):
    __slots__ = ("community_id", "from_day", "to_day")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_DAY_FIELD_NUMBER: _ClassVar[int]
    TO_DAY_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    from_day: str
    to_day: str
    def __init__(self, community_id: _Optional[str] = ..., from_day: _Optional[str] = ..., to_day: _Optional[str] = ...) -> None: ...

class KindFigures(_message.Message):
    __slots__ = ("day", "kind", "raised", "acknowledged", "acknowledge_p50_seconds", "acknowledge_p90_seconds", "acknowledged_within_sla_share", "arrived", "arrive_p50_seconds", "arrive_p90_seconds", "completed", "cancelled", "escalated", "average_rating")
    DAY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RAISED_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGE_P50_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGE_P90_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_WITHIN_SLA_SHARE_FIELD_NUMBER: _ClassVar[int]
    ARRIVED_FIELD_NUMBER: _ClassVar[int]
    ARRIVE_P50_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ARRIVE_P90_SECONDS_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_RATING_FIELD_NUMBER: _ClassVar[int]
    day: str
    kind: CareKind
    raised: int
    acknowledged: int
    acknowledge_p50_seconds: float
    acknowledge_p90_seconds: float
    acknowledged_within_sla_share: float
    arrived: int
    arrive_p50_seconds: float
    arrive_p90_seconds: float
    completed: int
    cancelled: int
    escalated: int
    average_rating: float
    def __init__(self, day: _Optional[str] = ..., kind: _Optional[_Union[CareKind, str]] = ..., raised: _Optional[int] = ..., acknowledged: _Optional[int] = ..., acknowledge_p50_seconds: _Optional[float] = ..., acknowledge_p90_seconds: _Optional[float] = ..., acknowledged_within_sla_share: _Optional[float] = ..., arrived: _Optional[int] = ..., arrive_p50_seconds: _Optional[float] = ..., arrive_p90_seconds: _Optional[float] = ..., completed: _Optional[int] = ..., cancelled: _Optional[int] = ..., escalated: _Optional[int] = ..., average_rating: _Optional[float] = ...) -> None: ...

class GetCareFiguresResponse(_message.Message):
    __slots__ = ("figures",)
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    figures: _containers.RepeatedCompositeFieldContainer[KindFigures]
    def __init__(self, figures: _Optional[_Iterable[_Union[KindFigures, _Mapping]]] = ...) -> None: ...

class ListBoardEventsRequest(_message.Message):
    __slots__ = ("community_id", "after_event_id", "limit")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    after_event_id: str
    limit: int
    def __init__(self, community_id: _Optional[str] = ..., after_event_id: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class BoardEvent(_message.Message):
    __slots__ = ("id", "type", "occurred_at", "care_request")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    occurred_at: _timestamp_pb2.Timestamp
    care_request: CareRequest
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class ListBoardEventsResponse(_message.Message):
    __slots__ = ("events", "complete")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[BoardEvent]
    complete: bool
    def __init__(self, events: _Optional[_Iterable[_Union[BoardEvent, _Mapping]]] = ..., complete: _Optional[bool] = ...) -> None: ...

class JoinCallRequest(_message.Message):
    __slots__ = ("care_request_id", "invitation_token", "entering")
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    INVITATION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ENTERING_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    invitation_token: str
    entering: bool
    def __init__(self, care_request_id: _Optional[str] = ..., invitation_token: _Optional[str] = ..., entering: _Optional[bool] = ...) -> None: ...

class JoinCallResponse(_message.Message):
    __slots__ = ("care_request", "role", "guest_id")
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    GUEST_ID_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    role: CallParticipantRole
    guest_id: str
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ..., role: _Optional[_Union[CallParticipantRole, str]] = ..., guest_id: _Optional[str] = ...) -> None: ...

class InviteToCallRequest(_message.Message):
    __slots__ = ("care_request_id", "kind", "subject", "expires_in_seconds")
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    kind: CallGuestKind
    subject: str
    expires_in_seconds: int
    def __init__(self, care_request_id: _Optional[str] = ..., kind: _Optional[_Union[CallGuestKind, str]] = ..., subject: _Optional[str] = ..., expires_in_seconds: _Optional[int] = ...) -> None: ...

class InviteToCallResponse(_message.Message):
    __slots__ = ("care_request", "guest", "invitation_token")
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    GUEST_FIELD_NUMBER: _ClassVar[int]
    INVITATION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    guest: CallGuest
    invitation_token: str
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ..., guest: _Optional[_Union[CallGuest, _Mapping]] = ..., invitation_token: _Optional[str] = ...) -> None: ...

class LeaveCallRequest(_message.Message):
    __slots__ = ("care_request_id", "guest_id", "invitation_token")
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    GUEST_ID_FIELD_NUMBER: _ClassVar[int]
    INVITATION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    guest_id: str
    invitation_token: str
    def __init__(self, care_request_id: _Optional[str] = ..., guest_id: _Optional[str] = ..., invitation_token: _Optional[str] = ...) -> None: ...

class LeaveCallResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class StoreCallRecordingRequest(_message.Message):
    __slots__ = ("care_request_id", "call_id", "content_type", "audio")
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    call_id: str
    content_type: str
    audio: bytes
    def __init__(self, care_request_id: _Optional[str] = ..., call_id: _Optional[str] = ..., content_type: _Optional[str] = ..., audio: _Optional[bytes] = ...) -> None: ...

class StoreCallRecordingResponse(_message.Message):
    __slots__ = ("recording",)
    RECORDING_FIELD_NUMBER: _ClassVar[int]
    recording: CallRecording
    def __init__(self, recording: _Optional[_Union[CallRecording, _Mapping]] = ...) -> None: ...

class ListCallRecordingsRequest(_message.Message):
    __slots__ = ("care_request_id",)
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    def __init__(self, care_request_id: _Optional[str] = ...) -> None: ...

class ListCallRecordingsResponse(_message.Message):
    __slots__ = ("recordings",)
    RECORDINGS_FIELD_NUMBER: _ClassVar[int]
    recordings: _containers.RepeatedCompositeFieldContainer[CallRecording]
    def __init__(self, recordings: _Optional[_Iterable[_Union[CallRecording, _Mapping]]] = ...) -> None: ...

class GetCallRecordingRequest(_message.Message):
    __slots__ = ("care_request_id", "recording_id")
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    recording_id: str
    def __init__(self, care_request_id: _Optional[str] = ..., recording_id: _Optional[str] = ...) -> None: ...

class GetCallRecordingResponse(_message.Message):
    __slots__ = ("recording", "audio")
    RECORDING_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    recording: CallRecording
    audio: bytes
    def __init__(self, recording: _Optional[_Union[CallRecording, _Mapping]] = ..., audio: _Optional[bytes] = ...) -> None: ...

class ListRecordingAccessesRequest(_message.Message):
    __slots__ = ("care_request_id",)
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    def __init__(self, care_request_id: _Optional[str] = ...) -> None: ...

class ListRecordingAccessesResponse(_message.Message):
    __slots__ = ("accesses",)
    ACCESSES_FIELD_NUMBER: _ClassVar[int]
    accesses: _containers.RepeatedCompositeFieldContainer[RecordingAccess]
    def __init__(self, accesses: _Optional[_Iterable[_Union[RecordingAccess, _Mapping]]] = ...) -> None: ...

class AnswerCallRequest(_message.Message):
    __slots__ = ("care_request_id", "call_id")
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    call_id: str
    def __init__(self, care_request_id: _Optional[str] = ..., call_id: _Optional[str] = ...) -> None: ...

class AnswerCallResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class EndCallRequest(_message.Message):
    __slots__ = ("care_request_id", "call_id", "reason")
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    call_id: str
    reason: CallEndReason
    def __init__(self, care_request_id: _Optional[str] = ..., call_id: _Optional[str] = ..., reason: _Optional[_Union[CallEndReason, str]] = ...) -> None: ...

class EndCallResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...

class RingTerminalRequest(_message.Message):
    __slots__ = ("care_request_id", "media")
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_FIELD_NUMBER: _ClassVar[int]
    care_request_id: str
    media: CallMedia
    def __init__(self, care_request_id: _Optional[str] = ..., media: _Optional[_Union[CallMedia, str]] = ...) -> None: ...

class RingTerminalResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: CareRequest
    def __init__(self, care_request: _Optional[_Union[CareRequest, _Mapping]] = ...) -> None: ...
