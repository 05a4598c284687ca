import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linli.employment.v1 import common_pb2 as _common_pb2
from linli.employment.v1 import jobs_pb2 as _jobs_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SeekerStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEEKER_STATUS_UNSPECIFIED: _ClassVar[SeekerStatus]
    SEEKER_STATUS_REGISTERED: _ClassVar[SeekerStatus]
    SEEKER_STATUS_SEARCHING: _ClassVar[SeekerStatus]
    SEEKER_STATUS_PLACED: _ClassVar[SeekerStatus]
    SEEKER_STATUS_FOLLOWED_UP: _ClassVar[SeekerStatus]
    SEEKER_STATUS_EXITED: _ClassVar[SeekerStatus]

class ApplicationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APPLICATION_STATUS_UNSPECIFIED: _ClassVar[ApplicationStatus]
    APPLICATION_STATUS_SUGGESTED: _ClassVar[ApplicationStatus]
    APPLICATION_STATUS_VIEWED: _ClassVar[ApplicationStatus]
    APPLICATION_STATUS_INTENTION_EXPRESSED: _ClassVar[ApplicationStatus]
    APPLICATION_STATUS_REFERRED: _ClassVar[ApplicationStatus]
    APPLICATION_STATUS_INTERVIEW: _ClassVar[ApplicationStatus]
    APPLICATION_STATUS_OFFER: _ClassVar[ApplicationStatus]
    APPLICATION_STATUS_HIRED: _ClassVar[ApplicationStatus]
    APPLICATION_STATUS_REJECTED: _ClassVar[ApplicationStatus]
    APPLICATION_STATUS_WITHDRAWN: _ClassVar[ApplicationStatus]
    APPLICATION_STATUS_NO_SHOW: _ClassVar[ApplicationStatus]

class PlacementStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PLACEMENT_STATUS_UNSPECIFIED: _ClassVar[PlacementStatus]
    PLACEMENT_STATUS_ACTIVE: _ClassVar[PlacementStatus]
    PLACEMENT_STATUS_ENDED: _ClassVar[PlacementStatus]
SEEKER_STATUS_UNSPECIFIED: SeekerStatus
SEEKER_STATUS_REGISTERED: SeekerStatus
SEEKER_STATUS_SEARCHING: SeekerStatus
SEEKER_STATUS_PLACED: SeekerStatus
SEEKER_STATUS_FOLLOWED_UP: SeekerStatus
SEEKER_STATUS_EXITED: SeekerStatus
APPLICATION_STATUS_UNSPECIFIED: ApplicationStatus
APPLICATION_STATUS_SUGGESTED: ApplicationStatus
APPLICATION_STATUS_VIEWED: ApplicationStatus
APPLICATION_STATUS_INTENTION_EXPRESSED: ApplicationStatus
APPLICATION_STATUS_REFERRED: ApplicationStatus
APPLICATION_STATUS_INTERVIEW: ApplicationStatus
APPLICATION_STATUS_OFFER: ApplicationStatus
APPLICATION_STATUS_HIRED: ApplicationStatus
APPLICATION_STATUS_REJECTED: ApplicationStatus
APPLICATION_STATUS_WITHDRAWN: ApplicationStatus
APPLICATION_STATUS_NO_SHOW: ApplicationStatus
PLACEMENT_STATUS_UNSPECIFIED: PlacementStatus
PLACEMENT_STATUS_ACTIVE: PlacementStatus
PLACEMENT_STATUS_ENDED: PlacementStatus

class SeekerSkill(_message.Message):
    __slots__ = ("code", "years")
    CODE_FIELD_NUMBER: _ClassVar[int]
    YEARS_FIELD_NUMBER: _ClassVar[int]
    code: str
    years: int
    def __init__(self, code: _Optional[str] = ..., years: _Optional[int] = ...) -> None: ...

class SeekerProfile(_message.Message):
    __slots__ = ("name", "birth_year", "address", "home", "phone", "skills", "experience", "schedules", "max_commute_m", "wage_floor_fen", "physical_capacity", "available_from")
    NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_YEAR_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    HOME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    EXPERIENCE_FIELD_NUMBER: _ClassVar[int]
    SCHEDULES_FIELD_NUMBER: _ClassVar[int]
    MAX_COMMUTE_M_FIELD_NUMBER: _ClassVar[int]
    WAGE_FLOOR_FEN_FIELD_NUMBER: _ClassVar[int]
    PHYSICAL_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FROM_FIELD_NUMBER: _ClassVar[int]
    name: str
    birth_year: int
    address: str
    home: _common_pb2.GeoPoint
    phone: str
    skills: _containers.RepeatedCompositeFieldContainer[SeekerSkill]
    experience: _containers.RepeatedScalarFieldContainer[str]
    schedules: _containers.RepeatedScalarFieldContainer[_common_pb2.Schedule]
    max_commute_m: int
    wage_floor_fen: int
    physical_capacity: _common_pb2.PhysicalDemand
    available_from: str
    def __init__(self, name: _Optional[str] = ..., birth_year: _Optional[int] = ..., address: _Optional[str] = ..., home: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., phone: _Optional[str] = ..., skills: _Optional[_Iterable[_Union[SeekerSkill, _Mapping]]] = ..., experience: _Optional[_Iterable[str]] = ..., schedules: _Optional[_Iterable[_Union[_common_pb2.Schedule, str]]] = ..., max_commute_m: _Optional[int] = ..., wage_floor_fen: _Optional[int] = ..., physical_capacity: _Optional[_Union[_common_pb2.PhysicalDemand, str]] = ..., available_from: _Optional[str] = ...) -> None: ...

class JobSeeker(_message.Message):
    __slots__ = ("id", "community_id", "name", "birth_year", "address", "home", "phone", "skills", "experience", "schedules", "max_commute_m", "wage_floor_fen", "physical_capacity", "available_from", "registered_by", "registered_at", "status", "history", "updated_at", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_YEAR_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    HOME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    EXPERIENCE_FIELD_NUMBER: _ClassVar[int]
    SCHEDULES_FIELD_NUMBER: _ClassVar[int]
    MAX_COMMUTE_M_FIELD_NUMBER: _ClassVar[int]
    WAGE_FLOOR_FEN_FIELD_NUMBER: _ClassVar[int]
    PHYSICAL_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FROM_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    name: str
    birth_year: int
    address: str
    home: _common_pb2.GeoPoint
    phone: str
    skills: _containers.RepeatedCompositeFieldContainer[SeekerSkill]
    experience: _containers.RepeatedScalarFieldContainer[str]
    schedules: _containers.RepeatedScalarFieldContainer[_common_pb2.Schedule]
    max_commute_m: int
    wage_floor_fen: int
    physical_capacity: _common_pb2.PhysicalDemand
    available_from: str
    registered_by: str
    registered_at: _timestamp_pb2.Timestamp
    status: SeekerStatus
    history: _containers.RepeatedCompositeFieldContainer[_common_pb2.Transition]
    updated_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., name: _Optional[str] = ..., birth_year: _Optional[int] = ..., address: _Optional[str] = ..., home: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., phone: _Optional[str] = ..., skills: _Optional[_Iterable[_Union[SeekerSkill, _Mapping]]] = ..., experience: _Optional[_Iterable[str]] = ..., schedules: _Optional[_Iterable[_Union[_common_pb2.Schedule, str]]] = ..., max_commute_m: _Optional[int] = ..., wage_floor_fen: _Optional[int] = ..., physical_capacity: _Optional[_Union[_common_pb2.PhysicalDemand, str]] = ..., available_from: _Optional[str] = ..., registered_by: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[SeekerStatus, str]] = ..., history: _Optional[_Iterable[_Union[_common_pb2.Transition, _Mapping]]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class Application(_message.Message):
    __slots__ = ("id", "community_id", "seeker_id", "seeker_name", "vacancy_id", "vacancy_title", "employer_id", "employer_name", "status", "created_by", "created_at", "history", "fair_id", "interview_at", "updated_at", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    SEEKER_NAME_FIELD_NUMBER: _ClassVar[int]
    VACANCY_ID_FIELD_NUMBER: _ClassVar[int]
    VACANCY_TITLE_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    INTERVIEW_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    seeker_id: str
    seeker_name: str
    vacancy_id: str
    vacancy_title: str
    employer_id: str
    employer_name: str
    status: ApplicationStatus
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    history: _containers.RepeatedCompositeFieldContainer[_common_pb2.Transition]
    fair_id: str
    interview_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., seeker_id: _Optional[str] = ..., seeker_name: _Optional[str] = ..., vacancy_id: _Optional[str] = ..., vacancy_title: _Optional[str] = ..., employer_id: _Optional[str] = ..., employer_name: _Optional[str] = ..., status: _Optional[_Union[ApplicationStatus, str]] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., history: _Optional[_Iterable[_Union[_common_pb2.Transition, _Mapping]]] = ..., fair_id: _Optional[str] = ..., interview_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class FollowUp(_message.Message):
    __slots__ = ("months", "due_on", "recorded_at", "recorded_by", "still_employed", "note")
    MONTHS_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    STILL_EMPLOYED_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    months: int
    due_on: str
    recorded_at: _timestamp_pb2.Timestamp
    recorded_by: str
    still_employed: bool
    note: str
    def __init__(self, months: _Optional[int] = ..., due_on: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_by: _Optional[str] = ..., still_employed: _Optional[bool] = ..., note: _Optional[str] = ...) -> None: ...

class Placement(_message.Message):
    __slots__ = ("id", "community_id", "seeker_id", "seeker_name", "vacancy_id", "vacancy_title", "employer_id", "employer_name", "started_on", "started_at", "follow_ups", "status", "ended_on", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    SEEKER_NAME_FIELD_NUMBER: _ClassVar[int]
    VACANCY_ID_FIELD_NUMBER: _ClassVar[int]
    VACANCY_TITLE_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_NAME_FIELD_NUMBER: _ClassVar[int]
    STARTED_ON_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UPS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ENDED_ON_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    seeker_id: str
    seeker_name: str
    vacancy_id: str
    vacancy_title: str
    employer_id: str
    employer_name: str
    started_on: str
    started_at: _timestamp_pb2.Timestamp
    follow_ups: _containers.RepeatedCompositeFieldContainer[FollowUp]
    status: PlacementStatus
    ended_on: str
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., seeker_id: _Optional[str] = ..., seeker_name: _Optional[str] = ..., vacancy_id: _Optional[str] = ..., vacancy_title: _Optional[str] = ..., employer_id: _Optional[str] = ..., employer_name: _Optional[str] = ..., started_on: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., follow_ups: _Optional[_Iterable[_Union[FollowUp, _Mapping]]] = ..., status: _Optional[_Union[PlacementStatus, str]] = ..., ended_on: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class VacancyMatch(_message.Message):
    __slots__ = ("match", "vacancy")
    MATCH_FIELD_NUMBER: _ClassVar[int]
    VACANCY_FIELD_NUMBER: _ClassVar[int]
    match: _common_pb2.Match
    vacancy: _jobs_pb2.Vacancy
    def __init__(self, match: _Optional[_Union[_common_pb2.Match, _Mapping]] = ..., vacancy: _Optional[_Union[_jobs_pb2.Vacancy, _Mapping]] = ...) -> None: ...

class RegisterSeekerRequest(_message.Message):
    __slots__ = ("id", "community_id", "profile", "start_searching")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    START_SEARCHING_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    profile: SeekerProfile
    start_searching: bool
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., profile: _Optional[_Union[SeekerProfile, _Mapping]] = ..., start_searching: _Optional[bool] = ...) -> None: ...

class RegisterSeekerResponse(_message.Message):
    __slots__ = ("seeker",)
    SEEKER_FIELD_NUMBER: _ClassVar[int]
    seeker: JobSeeker
    def __init__(self, seeker: _Optional[_Union[JobSeeker, _Mapping]] = ...) -> None: ...

class GetSeekerRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetSeekerResponse(_message.Message):
    __slots__ = ("seeker",)
    SEEKER_FIELD_NUMBER: _ClassVar[int]
    seeker: JobSeeker
    def __init__(self, seeker: _Optional[_Union[JobSeeker, _Mapping]] = ...) -> None: ...

class UpdateSeekerProfileRequest(_message.Message):
    __slots__ = ("id", "profile")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    id: str
    profile: SeekerProfile
    def __init__(self, id: _Optional[str] = ..., profile: _Optional[_Union[SeekerProfile, _Mapping]] = ...) -> None: ...

class UpdateSeekerProfileResponse(_message.Message):
    __slots__ = ("seeker",)
    SEEKER_FIELD_NUMBER: _ClassVar[int]
    seeker: JobSeeker
    def __init__(self, seeker: _Optional[_Union[JobSeeker, _Mapping]] = ...) -> None: ...

class StartSearchingRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class StartSearchingResponse(_message.Message):
    __slots__ = ("seeker",)
    SEEKER_FIELD_NUMBER: _ClassVar[int]
    seeker: JobSeeker
    def __init__(self, seeker: _Optional[_Union[JobSeeker, _Mapping]] = ...) -> None: ...

class ExitSeekerRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ExitSeekerResponse(_message.Message):
    __slots__ = ("seeker",)
    SEEKER_FIELD_NUMBER: _ClassVar[int]
    seeker: JobSeeker
    def __init__(self, seeker: _Optional[_Union[JobSeeker, _Mapping]] = ...) -> None: ...

class ListSeekersRequest(_message.Message):
    __slots__ = ("community_id", "status", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    status: SeekerStatus
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., status: _Optional[_Union[SeekerStatus, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSeekersResponse(_message.Message):
    __slots__ = ("seekers", "next_page_token")
    SEEKERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    seekers: _containers.RepeatedCompositeFieldContainer[JobSeeker]
    next_page_token: str
    def __init__(self, seekers: _Optional[_Iterable[_Union[JobSeeker, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetMatchesRequest(_message.Message):
    __slots__ = ("seeker_id",)
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    seeker_id: str
    def __init__(self, seeker_id: _Optional[str] = ...) -> None: ...

class GetMatchesResponse(_message.Message):
    __slots__ = ("matches", "ranked_at", "up_to_date")
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    RANKED_AT_FIELD_NUMBER: _ClassVar[int]
    UP_TO_DATE_FIELD_NUMBER: _ClassVar[int]
    matches: _containers.RepeatedCompositeFieldContainer[VacancyMatch]
    ranked_at: _timestamp_pb2.Timestamp
    up_to_date: bool
    def __init__(self, matches: _Optional[_Iterable[_Union[VacancyMatch, _Mapping]]] = ..., ranked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., up_to_date: _Optional[bool] = ...) -> None: ...

class SuggestVacancyRequest(_message.Message):
    __slots__ = ("seeker_id", "vacancy_id", "note")
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    VACANCY_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    seeker_id: str
    vacancy_id: str
    note: str
    def __init__(self, seeker_id: _Optional[str] = ..., vacancy_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class SuggestVacancyResponse(_message.Message):
    __slots__ = ("application",)
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    application: Application
    def __init__(self, application: _Optional[_Union[Application, _Mapping]] = ...) -> None: ...

class ExpressIntentionRequest(_message.Message):
    __slots__ = ("seeker_id", "vacancy_id", "fair_id", "note")
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    VACANCY_ID_FIELD_NUMBER: _ClassVar[int]
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    seeker_id: str
    vacancy_id: str
    fair_id: str
    note: str
    def __init__(self, seeker_id: _Optional[str] = ..., vacancy_id: _Optional[str] = ..., fair_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ExpressIntentionResponse(_message.Message):
    __slots__ = ("application",)
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    application: Application
    def __init__(self, application: _Optional[_Union[Application, _Mapping]] = ...) -> None: ...

class MoveApplicationRequest(_message.Message):
    __slots__ = ("id", "status", "note", "interview_at", "started_on")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    INTERVIEW_AT_FIELD_NUMBER: _ClassVar[int]
    STARTED_ON_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: ApplicationStatus
    note: str
    interview_at: _timestamp_pb2.Timestamp
    started_on: str
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[ApplicationStatus, str]] = ..., note: _Optional[str] = ..., interview_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., started_on: _Optional[str] = ...) -> None: ...

class MoveApplicationResponse(_message.Message):
    __slots__ = ("application", "placement")
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    PLACEMENT_FIELD_NUMBER: _ClassVar[int]
    application: Application
    placement: Placement
    def __init__(self, application: _Optional[_Union[Application, _Mapping]] = ..., placement: _Optional[_Union[Placement, _Mapping]] = ...) -> None: ...

class GetApplicationRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetApplicationResponse(_message.Message):
    __slots__ = ("application",)
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    application: Application
    def __init__(self, application: _Optional[_Union[Application, _Mapping]] = ...) -> None: ...

class ListApplicationsRequest(_message.Message):
    __slots__ = ("seeker_id", "vacancy_id", "community_id", "status", "page_size", "page_token")
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    VACANCY_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    seeker_id: str
    vacancy_id: str
    community_id: str
    status: ApplicationStatus
    page_size: int
    page_token: str
    def __init__(self, seeker_id: _Optional[str] = ..., vacancy_id: _Optional[str] = ..., community_id: _Optional[str] = ..., status: _Optional[_Union[ApplicationStatus, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListApplicationsResponse(_message.Message):
    __slots__ = ("applications", "next_page_token")
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    applications: _containers.RepeatedCompositeFieldContainer[Application]
    next_page_token: str
    def __init__(self, applications: _Optional[_Iterable[_Union[Application, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListPlacementsRequest(_message.Message):
    __slots__ = ("community_id", "seeker_id", "follow_up_due_by", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_DUE_BY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    seeker_id: str
    follow_up_due_by: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., seeker_id: _Optional[str] = ..., follow_up_due_by: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPlacementsResponse(_message.Message):
    __slots__ = ("placements", "next_page_token")
    PLACEMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    placements: _containers.RepeatedCompositeFieldContainer[Placement]
    next_page_token: str
    def __init__(self, placements: _Optional[_Iterable[_Union[Placement, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RecordFollowUpRequest(_message.Message):
    __slots__ = ("placement_id", "months", "still_employed", "note")
    PLACEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    MONTHS_FIELD_NUMBER: _ClassVar[int]
    STILL_EMPLOYED_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    placement_id: str
    months: int
    still_employed: bool
    note: str
    def __init__(self, placement_id: _Optional[str] = ..., months: _Optional[int] = ..., still_employed: _Optional[bool] = ..., note: _Optional[str] = ...) -> None: ...

class RecordFollowUpResponse(_message.Message):
    __slots__ = ("placement",)
    PLACEMENT_FIELD_NUMBER: _ClassVar[int]
    placement: Placement
    def __init__(self, placement: _Optional[_Union[Placement, _Mapping]] = ...) -> None: ...
