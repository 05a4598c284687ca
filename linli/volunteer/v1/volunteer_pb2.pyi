import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AttendanceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ATTENDANCE_STATUS_UNSPECIFIED: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_SIGNED_UP: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_CONFIRMED: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_CHECKED_IN: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_PENDING: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_VERIFIED: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_REJECTED: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_WITHDRAWN: _ClassVar[AttendanceStatus]

class EntryKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENTRY_KIND_UNSPECIFIED: _ClassVar[EntryKind]
    ENTRY_KIND_CREDIT: _ClassVar[EntryKind]
    ENTRY_KIND_REVERSAL: _ClassVar[EntryKind]

class EntrySource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENTRY_SOURCE_UNSPECIFIED: _ClassVar[EntrySource]
    ENTRY_SOURCE_ATTENDANCE: _ClassVar[EntrySource]
    ENTRY_SOURCE_CARE_REQUEST: _ClassVar[EntrySource]
    ENTRY_SOURCE_CORRECTION: _ClassVar[EntrySource]

class EntryStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENTRY_STATUS_UNSPECIFIED: _ClassVar[EntryStatus]
    ENTRY_STATUS_PENDING: _ClassVar[EntryStatus]
    ENTRY_STATUS_VERIFIED: _ClassVar[EntryStatus]
    ENTRY_STATUS_REJECTED: _ClassVar[EntryStatus]

class BeneficiaryConfirmation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BENEFICIARY_CONFIRMATION_UNSPECIFIED: _ClassVar[BeneficiaryConfirmation]
    BENEFICIARY_CONFIRMATION_AWAITED: _ClassVar[BeneficiaryConfirmation]
    BENEFICIARY_CONFIRMATION_CONFIRMED: _ClassVar[BeneficiaryConfirmation]
    BENEFICIARY_CONFIRMATION_DISPUTED: _ClassVar[BeneficiaryConfirmation]
ATTENDANCE_STATUS_UNSPECIFIED: AttendanceStatus
ATTENDANCE_STATUS_SIGNED_UP: AttendanceStatus
ATTENDANCE_STATUS_CONFIRMED: AttendanceStatus
ATTENDANCE_STATUS_CHECKED_IN: AttendanceStatus
ATTENDANCE_STATUS_PENDING: AttendanceStatus
ATTENDANCE_STATUS_VERIFIED: AttendanceStatus
ATTENDANCE_STATUS_REJECTED: AttendanceStatus
ATTENDANCE_STATUS_WITHDRAWN: AttendanceStatus
ENTRY_KIND_UNSPECIFIED: EntryKind
ENTRY_KIND_CREDIT: EntryKind
ENTRY_KIND_REVERSAL: EntryKind
ENTRY_SOURCE_UNSPECIFIED: EntrySource
ENTRY_SOURCE_ATTENDANCE: EntrySource
ENTRY_SOURCE_CARE_REQUEST: EntrySource
ENTRY_SOURCE_CORRECTION: EntrySource
ENTRY_STATUS_UNSPECIFIED: EntryStatus
ENTRY_STATUS_PENDING: EntryStatus
ENTRY_STATUS_VERIFIED: EntryStatus
ENTRY_STATUS_REJECTED: EntryStatus
BENEFICIARY_CONFIRMATION_UNSPECIFIED: BeneficiaryConfirmation
BENEFICIARY_CONFIRMATION_AWAITED: BeneficiaryConfirmation
BENEFICIARY_CONFIRMATION_CONFIRMED: BeneficiaryConfirmation
BENEFICIARY_CONFIRMATION_DISPUTED: BeneficiaryConfirmation

class GeoPoint(_message.Message):
    __slots__ = ("latitude", "longitude")
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    latitude: float
    longitude: float
    def __init__(self, latitude: _Optional[float] = ..., longitude: _Optional[float] = ...) -> None: ...

class AvailabilitySlot(_message.Message):
    __slots__ = ("weekday", "start", "end")
    WEEKDAY_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    weekday: int
    start: str
    end: str
    def __init__(self, weekday: _Optional[int] = ..., start: _Optional[str] = ..., end: _Optional[str] = ...) -> None: ...

class Volunteer(_message.Message):
    __slots__ = ("id", "community_id", "name", "phone", "resident_id", "party_member", "branch", "skills", "availability", "home", "active", "registered_by", "registered_at", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_MEMBER_FIELD_NUMBER: _ClassVar[int]
    BRANCH_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    AVAILABILITY_FIELD_NUMBER: _ClassVar[int]
    HOME_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    name: str
    phone: str
    resident_id: str
    party_member: bool
    branch: str
    skills: _containers.RepeatedScalarFieldContainer[str]
    availability: _containers.RepeatedCompositeFieldContainer[AvailabilitySlot]
    home: GeoPoint
    active: bool
    registered_by: str
    registered_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., name: _Optional[str] = ..., phone: _Optional[str] = ..., resident_id: _Optional[str] = ..., party_member: _Optional[bool] = ..., branch: _Optional[str] = ..., skills: _Optional[_Iterable[str]] = ..., availability: _Optional[_Iterable[_Union[AvailabilitySlot, _Mapping]]] = ..., home: _Optional[_Union[GeoPoint, _Mapping]] = ..., active: _Optional[bool] = ..., registered_by: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class RegisterVolunteerRequest(_message.Message):
    __slots__ = ("volunteer",)
    VOLUNTEER_FIELD_NUMBER: _ClassVar[int]
    volunteer: Volunteer
    def __init__(self, volunteer: _Optional[_Union[Volunteer, _Mapping]] = ...) -> None: ...

class RegisterVolunteerResponse(_message.Message):
    __slots__ = ("volunteer",)
    VOLUNTEER_FIELD_NUMBER: _ClassVar[int]
    volunteer: Volunteer
    def __init__(self, volunteer: _Optional[_Union[Volunteer, _Mapping]] = ...) -> None: ...

class GetVolunteerRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetVolunteerResponse(_message.Message):
    __slots__ = ("volunteer",)
    VOLUNTEER_FIELD_NUMBER: _ClassVar[int]
    volunteer: Volunteer
    def __init__(self, volunteer: _Optional[_Union[Volunteer, _Mapping]] = ...) -> None: ...

class ListVolunteersRequest(_message.Message):
    __slots__ = ("community_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListVolunteersResponse(_message.Message):
    __slots__ = ("volunteers", "next_page_token")
    VOLUNTEERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    volunteers: _containers.RepeatedCompositeFieldContainer[Volunteer]
    next_page_token: str
    def __init__(self, volunteers: _Optional[_Iterable[_Union[Volunteer, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateVolunteerRequest(_message.Message):
    __slots__ = ("volunteer", "update_mask")
    VOLUNTEER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    volunteer: Volunteer
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, volunteer: _Optional[_Union[Volunteer, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateVolunteerResponse(_message.Message):
    __slots__ = ("volunteer",)
    VOLUNTEER_FIELD_NUMBER: _ClassVar[int]
    volunteer: Volunteer
    def __init__(self, volunteer: _Optional[_Union[Volunteer, _Mapping]] = ...) -> None: ...

class Place(_message.Message):
    __slots__ = ("name", "position", "radius_m")
    NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    RADIUS_M_FIELD_NUMBER: _ClassVar[int]
    name: str
    position: GeoPoint
    radius_m: float
    def __init__(self, name: _Optional[str] = ..., position: _Optional[_Union[GeoPoint, _Mapping]] = ..., radius_m: _Optional[float] = ...) -> None: ...

class Activity(_message.Message):
    __slots__ = ("id", "community_id", "title", "description", "place", "created_by", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    title: str
    description: str
    place: Place
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., place: _Optional[_Union[Place, _Mapping]] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Shift(_message.Message):
    __slots__ = ("id", "activity_id", "community_id", "title", "starts_at", "ends_at", "capacity", "taken")
    ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    TAKEN_FIELD_NUMBER: _ClassVar[int]
    id: str
    activity_id: str
    community_id: str
    title: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    capacity: int
    taken: int
    def __init__(self, id: _Optional[str] = ..., activity_id: _Optional[str] = ..., community_id: _Optional[str] = ..., title: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., capacity: _Optional[int] = ..., taken: _Optional[int] = ...) -> None: ...

class AttendanceTransition(_message.Message):
    __slots__ = ("status", "at", "by", "note")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    status: AttendanceStatus
    at: _timestamp_pb2.Timestamp
    by: str
    note: str
    def __init__(self, status: _Optional[_Union[AttendanceStatus, str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., by: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class Attendance(_message.Message):
    __slots__ = ("id", "community_id", "activity_id", "shift_id", "volunteer_id", "status", "shift_starts_at", "shift_ends_at", "checked_in_at", "check_in_position", "check_in_distance_m", "override_reason", "override_by", "checked_out_at", "auto_closed", "flags", "credited_minutes", "hours_entry_id", "history")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    SHIFT_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SHIFT_STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    SHIFT_ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_AT_FIELD_NUMBER: _ClassVar[int]
    CHECK_IN_POSITION_FIELD_NUMBER: _ClassVar[int]
    CHECK_IN_DISTANCE_M_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_BY_FIELD_NUMBER: _ClassVar[int]
    CHECKED_OUT_AT_FIELD_NUMBER: _ClassVar[int]
    AUTO_CLOSED_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    CREDITED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    HOURS_ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    activity_id: str
    shift_id: str
    volunteer_id: str
    status: AttendanceStatus
    shift_starts_at: _timestamp_pb2.Timestamp
    shift_ends_at: _timestamp_pb2.Timestamp
    checked_in_at: _timestamp_pb2.Timestamp
    check_in_position: GeoPoint
    check_in_distance_m: float
    override_reason: str
    override_by: str
    checked_out_at: _timestamp_pb2.Timestamp
    auto_closed: bool
    flags: _containers.RepeatedScalarFieldContainer[str]
    credited_minutes: int
    hours_entry_id: str
    history: _containers.RepeatedCompositeFieldContainer[AttendanceTransition]
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., activity_id: _Optional[str] = ..., shift_id: _Optional[str] = ..., volunteer_id: _Optional[str] = ..., status: _Optional[_Union[AttendanceStatus, str]] = ..., shift_starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., shift_ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., checked_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., check_in_position: _Optional[_Union[GeoPoint, _Mapping]] = ..., check_in_distance_m: _Optional[float] = ..., override_reason: _Optional[str] = ..., override_by: _Optional[str] = ..., checked_out_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., auto_closed: _Optional[bool] = ..., flags: _Optional[_Iterable[str]] = ..., credited_minutes: _Optional[int] = ..., hours_entry_id: _Optional[str] = ..., history: _Optional[_Iterable[_Union[AttendanceTransition, _Mapping]]] = ...) -> None: ...

class CreateActivityRequest(_message.Message):
    __slots__ = ("community_id", "title", "description", "place")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    title: str
    description: str
    place: Place
    def __init__(self, community_id: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., place: _Optional[_Union[Place, _Mapping]] = ...) -> None: ...

class CreateActivityResponse(_message.Message):
    __slots__ = ("activity",)
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    activity: Activity
    def __init__(self, activity: _Optional[_Union[Activity, _Mapping]] = ...) -> None: ...

class GetActivityRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetActivityResponse(_message.Message):
    __slots__ = ("activity",)
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    activity: Activity
    def __init__(self, activity: _Optional[_Union[Activity, _Mapping]] = ...) -> None: ...

class ListActivitiesRequest(_message.Message):
    __slots__ = ("community_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListActivitiesResponse(_message.Message):
    __slots__ = ("activities", "next_page_token")
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    activities: _containers.RepeatedCompositeFieldContainer[Activity]
    next_page_token: str
    def __init__(self, activities: _Optional[_Iterable[_Union[Activity, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AddShiftRequest(_message.Message):
    __slots__ = ("activity_id", "title", "starts_at", "ends_at", "capacity")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    title: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    capacity: int
    def __init__(self, activity_id: _Optional[str] = ..., title: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., capacity: _Optional[int] = ...) -> None: ...

class AddShiftResponse(_message.Message):
    __slots__ = ("shift",)
    SHIFT_FIELD_NUMBER: _ClassVar[int]
    shift: Shift
    def __init__(self, shift: _Optional[_Union[Shift, _Mapping]] = ...) -> None: ...

class ListShiftsRequest(_message.Message):
    __slots__ = ("activity_id",)
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    def __init__(self, activity_id: _Optional[str] = ...) -> None: ...

class ListShiftsResponse(_message.Message):
    __slots__ = ("shifts",)
    SHIFTS_FIELD_NUMBER: _ClassVar[int]
    shifts: _containers.RepeatedCompositeFieldContainer[Shift]
    def __init__(self, shifts: _Optional[_Iterable[_Union[Shift, _Mapping]]] = ...) -> None: ...

class SignUpRequest(_message.Message):
    __slots__ = ("shift_id", "volunteer_id")
    SHIFT_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_ID_FIELD_NUMBER: _ClassVar[int]
    shift_id: str
    volunteer_id: str
    def __init__(self, shift_id: _Optional[str] = ..., volunteer_id: _Optional[str] = ...) -> None: ...

class SignUpResponse(_message.Message):
    __slots__ = ("attendance",)
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    attendance: Attendance
    def __init__(self, attendance: _Optional[_Union[Attendance, _Mapping]] = ...) -> None: ...

class ConfirmAttendanceRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ConfirmAttendanceResponse(_message.Message):
    __slots__ = ("attendance",)
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    attendance: Attendance
    def __init__(self, attendance: _Optional[_Union[Attendance, _Mapping]] = ...) -> None: ...

class WithdrawAttendanceRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class WithdrawAttendanceResponse(_message.Message):
    __slots__ = ("attendance",)
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    attendance: Attendance
    def __init__(self, attendance: _Optional[_Union[Attendance, _Mapping]] = ...) -> None: ...

class CheckInRequest(_message.Message):
    __slots__ = ("id", "position", "override_reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    position: GeoPoint
    override_reason: str
    def __init__(self, id: _Optional[str] = ..., position: _Optional[_Union[GeoPoint, _Mapping]] = ..., override_reason: _Optional[str] = ...) -> None: ...

class CheckInResponse(_message.Message):
    __slots__ = ("attendance",)
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    attendance: Attendance
    def __init__(self, attendance: _Optional[_Union[Attendance, _Mapping]] = ...) -> None: ...

class CheckOutRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CheckOutResponse(_message.Message):
    __slots__ = ("attendance",)
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    attendance: Attendance
    def __init__(self, attendance: _Optional[_Union[Attendance, _Mapping]] = ...) -> None: ...

class GetAttendanceRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetAttendanceResponse(_message.Message):
    __slots__ = ("attendance",)
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    attendance: Attendance
    def __init__(self, attendance: _Optional[_Union[Attendance, _Mapping]] = ...) -> None: ...

class ListShiftAttendanceRequest(_message.Message):
    __slots__ = ("shift_id",)
    SHIFT_ID_FIELD_NUMBER: _ClassVar[int]
    shift_id: str
    def __init__(self, shift_id: _Optional[str] = ...) -> None: ...

class ListShiftAttendanceResponse(_message.Message):
    __slots__ = ("attendance",)
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    attendance: _containers.RepeatedCompositeFieldContainer[Attendance]
    def __init__(self, attendance: _Optional[_Iterable[_Union[Attendance, _Mapping]]] = ...) -> None: ...

class ListMyAttendanceRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMyAttendanceResponse(_message.Message):
    __slots__ = ("attendance", "next_page_token")
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    attendance: _containers.RepeatedCompositeFieldContainer[Attendance]
    next_page_token: str
    def __init__(self, attendance: _Optional[_Iterable[_Union[Attendance, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class HoursEntry(_message.Message):
    __slots__ = ("id", "community_id", "volunteer_id", "volunteer_name", "kind", "minutes", "started_at", "ended_at", "day", "source", "source_id", "description", "beneficiary_id", "beneficiary_confirmation", "beneficiary_comment", "status", "recorded_at", "recorded_by", "decided_at", "decided_by", "decision_note", "reverses_id", "reversed_by_id", "flags")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    BENEFICIARY_ID_FIELD_NUMBER: _ClassVar[int]
    BENEFICIARY_CONFIRMATION_FIELD_NUMBER: _ClassVar[int]
    BENEFICIARY_COMMENT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_NOTE_FIELD_NUMBER: _ClassVar[int]
    REVERSES_ID_FIELD_NUMBER: _ClassVar[int]
    REVERSED_BY_ID_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    volunteer_id: str
    volunteer_name: str
    kind: EntryKind
    minutes: int
    started_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    day: str
    source: EntrySource
    source_id: str
    description: str
    beneficiary_id: str
    beneficiary_confirmation: BeneficiaryConfirmation
    beneficiary_comment: str
    status: EntryStatus
    recorded_at: _timestamp_pb2.Timestamp
    recorded_by: str
    decided_at: _timestamp_pb2.Timestamp
    decided_by: str
    decision_note: str
    reverses_id: str
    reversed_by_id: str
    flags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., volunteer_id: _Optional[str] = ..., volunteer_name: _Optional[str] = ..., kind: _Optional[_Union[EntryKind, str]] = ..., minutes: _Optional[int] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., day: _Optional[str] = ..., source: _Optional[_Union[EntrySource, str]] = ..., source_id: _Optional[str] = ..., description: _Optional[str] = ..., beneficiary_id: _Optional[str] = ..., beneficiary_confirmation: _Optional[_Union[BeneficiaryConfirmation, str]] = ..., beneficiary_comment: _Optional[str] = ..., status: _Optional[_Union[EntryStatus, str]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_by: _Optional[str] = ..., decision_note: _Optional[str] = ..., reverses_id: _Optional[str] = ..., reversed_by_id: _Optional[str] = ..., flags: _Optional[_Iterable[str]] = ...) -> None: ...

class ListHoursEntriesRequest(_message.Message):
    __slots__ = ("community_id", "volunteer_id", "status", "awaiting_my_confirmation", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AWAITING_MY_CONFIRMATION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    volunteer_id: str
    status: EntryStatus
    awaiting_my_confirmation: bool
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., volunteer_id: _Optional[str] = ..., status: _Optional[_Union[EntryStatus, str]] = ..., awaiting_my_confirmation: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListHoursEntriesResponse(_message.Message):
    __slots__ = ("entries", "next_page_token")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[HoursEntry]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[_Union[HoursEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetHoursEntryRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetHoursEntryResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: HoursEntry
    def __init__(self, entry: _Optional[_Union[HoursEntry, _Mapping]] = ...) -> None: ...

class VerifyHoursRequest(_message.Message):
    __slots__ = ("ids", "note")
    IDS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[str]
    note: str
    def __init__(self, ids: _Optional[_Iterable[str]] = ..., note: _Optional[str] = ...) -> None: ...

class VerificationOutcome(_message.Message):
    __slots__ = ("id", "verified", "reason", "entry", "refusal_code")
    ID_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    REFUSAL_CODE_FIELD_NUMBER: _ClassVar[int]
    id: str
    verified: bool
    reason: str
    entry: HoursEntry
    refusal_code: str
    def __init__(self, id: _Optional[str] = ..., verified: _Optional[bool] = ..., reason: _Optional[str] = ..., entry: _Optional[_Union[HoursEntry, _Mapping]] = ..., refusal_code: _Optional[str] = ...) -> None: ...

class VerifyHoursResponse(_message.Message):
    __slots__ = ("outcomes",)
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    outcomes: _containers.RepeatedCompositeFieldContainer[VerificationOutcome]
    def __init__(self, outcomes: _Optional[_Iterable[_Union[VerificationOutcome, _Mapping]]] = ...) -> None: ...

class RejectHoursRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RejectHoursResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: HoursEntry
    def __init__(self, entry: _Optional[_Union[HoursEntry, _Mapping]] = ...) -> None: ...

class ConfirmServiceRequest(_message.Message):
    __slots__ = ("id", "confirmed", "comment")
    ID_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    id: str
    confirmed: bool
    comment: str
    def __init__(self, id: _Optional[str] = ..., confirmed: _Optional[bool] = ..., comment: _Optional[str] = ...) -> None: ...

class ConfirmServiceResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: HoursEntry
    def __init__(self, entry: _Optional[_Union[HoursEntry, _Mapping]] = ...) -> None: ...

class ReverseHoursRequest(_message.Message):
    __slots__ = ("id", "reason", "corrected_minutes")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    corrected_minutes: int
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ..., corrected_minutes: _Optional[int] = ...) -> None: ...

class ReverseHoursResponse(_message.Message):
    __slots__ = ("reversal", "corrected")
    REVERSAL_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_FIELD_NUMBER: _ClassVar[int]
    reversal: HoursEntry
    corrected: HoursEntry
    def __init__(self, reversal: _Optional[_Union[HoursEntry, _Mapping]] = ..., corrected: _Optional[_Union[HoursEntry, _Mapping]] = ...) -> None: ...

class Certificate(_message.Message):
    __slots__ = ("code", "community_id", "community_name", "volunteer_id", "volunteer_name", "party_member", "branch", "from_day", "to_day", "verified_minutes", "services", "issued_at", "issued_by", "issuer")
    CODE_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_NAME_FIELD_NUMBER: _ClassVar[int]
    PARTY_MEMBER_FIELD_NUMBER: _ClassVar[int]
    BRANCH_FIELD_NUMBER: _ClassVar[int]
    FROM_DAY_FIELD_NUMBER: _ClassVar[int]
    TO_DAY_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    ISSUED_BY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    code: str
    community_id: str
    community_name: str
    volunteer_id: str
    volunteer_name: str
    party_member: bool
    branch: str
    from_day: str
    to_day: str
    verified_minutes: int
    services: int
    issued_at: _timestamp_pb2.Timestamp
    issued_by: str
    issuer: str
    def __init__(self, code: _Optional[str] = ..., community_id: _Optional[str] = ..., community_name: _Optional[str] = ..., volunteer_id: _Optional[str] = ..., volunteer_name: _Optional[str] = ..., party_member: _Optional[bool] = ..., branch: _Optional[str] = ..., from_day: _Optional[str] = ..., to_day: _Optional[str] = ..., verified_minutes: _Optional[int] = ..., services: _Optional[int] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., issued_by: _Optional[str] = ..., issuer: _Optional[str] = ...) -> None: ...

class IssueCertificateRequest(_message.Message):
    __slots__ = ("volunteer_id", "from_day", "to_day")
    VOLUNTEER_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_DAY_FIELD_NUMBER: _ClassVar[int]
    TO_DAY_FIELD_NUMBER: _ClassVar[int]
    volunteer_id: str
    from_day: str
    to_day: str
    def __init__(self, volunteer_id: _Optional[str] = ..., from_day: _Optional[str] = ..., to_day: _Optional[str] = ...) -> None: ...

class IssueCertificateResponse(_message.Message):
    __slots__ = ("certificate",)
    CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    certificate: Certificate
    def __init__(self, certificate: _Optional[_Union[Certificate, _Mapping]] = ...) -> None: ...

class VerifyCertificateRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class VerifyCertificateResponse(_message.Message):
    __slots__ = ("code", "community_name", "volunteer_name", "branch", "from_day", "to_day", "verified_minutes", "services", "issued_at", "issuer")
    CODE_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_NAME_FIELD_NUMBER: _ClassVar[int]
    BRANCH_FIELD_NUMBER: _ClassVar[int]
    FROM_DAY_FIELD_NUMBER: _ClassVar[int]
    TO_DAY_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    code: str
    community_name: str
    volunteer_name: str
    branch: str
    from_day: str
    to_day: str
    verified_minutes: int
    services: int
    issued_at: _timestamp_pb2.Timestamp
    issuer: str
    def __init__(self, code: _Optional[str] = ..., community_name: _Optional[str] = ..., volunteer_name: _Optional[str] = ..., branch: _Optional[str] = ..., from_day: _Optional[str] = ..., to_day: _Optional[str] = ..., verified_minutes: _Optional[int] = ..., services: _Optional[int] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., issuer: _Optional[str] = ...) -> None: ...

class GetCertificatePdfRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class GetCertificatePdfResponse(_message.Message):
    __slots__ = ("pdf", "filename")
    PDF_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    pdf: bytes
    filename: str
    def __init__(self, pdf: _Optional[bytes] = ..., filename: _Optional[str] = ...) -> None: ...

class GetLeaderboardRequest(_message.Message):
    __slots__ = ("community_id", "from_day", "to_day", "branch", "limit")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_DAY_FIELD_NUMBER: _ClassVar[int]
    TO_DAY_FIELD_NUMBER: _ClassVar[int]
    BRANCH_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    from_day: str
    to_day: str
    branch: str
    limit: int
    def __init__(self, community_id: _Optional[str] = ..., from_day: _Optional[str] = ..., to_day: _Optional[str] = ..., branch: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class LeaderboardRow(_message.Message):
    __slots__ = ("rank", "volunteer_id", "volunteer_name", "party_member", "verified_minutes")
    RANK_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_NAME_FIELD_NUMBER: _ClassVar[int]
    PARTY_MEMBER_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    rank: int
    volunteer_id: str
    volunteer_name: str
    party_member: bool
    verified_minutes: int
    def __init__(self, rank: _Optional[int] = ..., volunteer_id: _Optional[str] = ..., volunteer_name: _Optional[str] = ..., party_member: _Optional[bool] = ..., verified_minutes: _Optional[int] = ...) -> None: ...

class BranchBoard(_message.Message):
    __slots__ = ("branch", "verified_minutes", "rows")
    BRANCH_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    branch: str
    verified_minutes: int
    rows: _containers.RepeatedCompositeFieldContainer[LeaderboardRow]
    def __init__(self, branch: _Optional[str] = ..., verified_minutes: _Optional[int] = ..., rows: _Optional[_Iterable[_Union[LeaderboardRow, _Mapping]]] = ...) -> None: ...

class GetLeaderboardResponse(_message.Message):
    __slots__ = ("branches",)
    BRANCHES_FIELD_NUMBER: _ClassVar[int]
    branches: _containers.RepeatedCompositeFieldContainer[BranchBoard]
    def __init__(self, branches: _Optional[_Iterable[_Union[BranchBoard, _Mapping]]] = ...) -> None: ...

class ExportHoursRequest(_message.Message):
    __slots__ = ("community_id", "from_day", "to_day")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_DAY_FIELD_NUMBER: _ClassVar[int]
    TO_DAY_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    from_day: str
    to_day: str
    def __init__(self, community_id: _Optional[str] = ..., from_day: _Optional[str] = ..., to_day: _Optional[str] = ...) -> None: ...

class ExportHoursResponse(_message.Message):
    __slots__ = ("csv", "filename")
    CSV_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    csv: bytes
    filename: str
    def __init__(self, csv: _Optional[bytes] = ..., filename: _Optional[str] = ...) -> None: ...
