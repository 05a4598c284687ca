import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linli.employment.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EnrolmentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENROLMENT_STATUS_UNSPECIFIED: _ClassVar[EnrolmentStatus]
    ENROLMENT_STATUS_SIGNED_UP: _ClassVar[EnrolmentStatus]
    ENROLMENT_STATUS_ENROLLED: _ClassVar[EnrolmentStatus]
    ENROLMENT_STATUS_COMPLETED: _ClassVar[EnrolmentStatus]
    ENROLMENT_STATUS_CERTIFIED: _ClassVar[EnrolmentStatus]
    ENROLMENT_STATUS_DROPPED: _ClassVar[EnrolmentStatus]
ENROLMENT_STATUS_UNSPECIFIED: EnrolmentStatus
ENROLMENT_STATUS_SIGNED_UP: EnrolmentStatus
ENROLMENT_STATUS_ENROLLED: EnrolmentStatus
ENROLMENT_STATUS_COMPLETED: EnrolmentStatus
ENROLMENT_STATUS_CERTIFIED: EnrolmentStatus
ENROLMENT_STATUS_DROPPED: EnrolmentStatus

class Course(_message.Message):
    __slots__ = ("id", "community_id", "title", "provider", "skills", "starts_on", "hours", "seats", "created_by", "created_at", "seated", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    HOURS_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SEATED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    title: str
    provider: str
    skills: _containers.RepeatedScalarFieldContainer[str]
    starts_on: str
    hours: int
    seats: int
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    seated: int
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., title: _Optional[str] = ..., provider: _Optional[str] = ..., skills: _Optional[_Iterable[str]] = ..., starts_on: _Optional[str] = ..., hours: _Optional[int] = ..., seats: _Optional[int] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., seated: _Optional[int] = ..., version: _Optional[int] = ...) -> None: ...

class Enrolment(_message.Message):
    __slots__ = ("id", "course_id", "course_title", "community_id", "seeker_id", "seeker_name", "status", "created_by", "created_at", "history", "fair_id", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COURSE_ID_FIELD_NUMBER: _ClassVar[int]
    COURSE_TITLE_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    SEEKER_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    course_id: str
    course_title: str
    community_id: str
    seeker_id: str
    seeker_name: str
    status: EnrolmentStatus
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    history: _containers.RepeatedCompositeFieldContainer[_common_pb2.Transition]
    fair_id: str
    version: int
    def __init__(self, id: _Optional[str] = ..., course_id: _Optional[str] = ..., course_title: _Optional[str] = ..., community_id: _Optional[str] = ..., seeker_id: _Optional[str] = ..., seeker_name: _Optional[str] = ..., status: _Optional[_Union[EnrolmentStatus, str]] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., history: _Optional[_Iterable[_Union[_common_pb2.Transition, _Mapping]]] = ..., fair_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class CreateCourseRequest(_message.Message):
    __slots__ = ("id", "community_id", "title", "provider", "skills", "starts_on", "hours", "seats")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    HOURS_FIELD_NUMBER: _ClassVar[int]
    SEATS_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    title: str
    provider: str
    skills: _containers.RepeatedScalarFieldContainer[str]
    starts_on: str
    hours: int
    seats: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., title: _Optional[str] = ..., provider: _Optional[str] = ..., skills: _Optional[_Iterable[str]] = ..., starts_on: _Optional[str] = ..., hours: _Optional[int] = ..., seats: _Optional[int] = ...) -> None: ...

class CreateCourseResponse(_message.Message):
    __slots__ = ("course",)
    COURSE_FIELD_NUMBER: _ClassVar[int]
    course: Course
    def __init__(self, course: _Optional[_Union[Course, _Mapping]] = ...) -> None: ...

class ListCoursesRequest(_message.Message):
    __slots__ = ("community_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCoursesResponse(_message.Message):
    __slots__ = ("courses", "next_page_token")
    COURSES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    courses: _containers.RepeatedCompositeFieldContainer[Course]
    next_page_token: str
    def __init__(self, courses: _Optional[_Iterable[_Union[Course, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SignUpForCourseRequest(_message.Message):
    __slots__ = ("course_id", "seeker_id", "fair_id")
    COURSE_ID_FIELD_NUMBER: _ClassVar[int]
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    course_id: str
    seeker_id: str
    fair_id: str
    def __init__(self, course_id: _Optional[str] = ..., seeker_id: _Optional[str] = ..., fair_id: _Optional[str] = ...) -> None: ...

class SignUpForCourseResponse(_message.Message):
    __slots__ = ("enrolment",)
    ENROLMENT_FIELD_NUMBER: _ClassVar[int]
    enrolment: Enrolment
    def __init__(self, enrolment: _Optional[_Union[Enrolment, _Mapping]] = ...) -> None: ...

class MoveEnrolmentRequest(_message.Message):
    __slots__ = ("id", "status", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: EnrolmentStatus
    note: str
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[EnrolmentStatus, str]] = ..., note: _Optional[str] = ...) -> None: ...

class MoveEnrolmentResponse(_message.Message):
    __slots__ = ("enrolment",)
    ENROLMENT_FIELD_NUMBER: _ClassVar[int]
    enrolment: Enrolment
    def __init__(self, enrolment: _Optional[_Union[Enrolment, _Mapping]] = ...) -> None: ...

class ListEnrolmentsRequest(_message.Message):
    __slots__ = ("course_id", "page_size", "page_token")
    COURSE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    course_id: str
    page_size: int
    page_token: str
    def __init__(self, course_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListEnrolmentsResponse(_message.Message):
    __slots__ = ("enrolments", "next_page_token")
    ENROLMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    enrolments: _containers.RepeatedCompositeFieldContainer[Enrolment]
    next_page_token: str
    def __init__(self, enrolments: _Optional[_Iterable[_Union[Enrolment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
