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

class VacancyStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VACANCY_STATUS_UNSPECIFIED: _ClassVar[VacancyStatus]
    VACANCY_STATUS_DRAFT: _ClassVar[VacancyStatus]
    VACANCY_STATUS_OPEN: _ClassVar[VacancyStatus]
    VACANCY_STATUS_PARTIALLY_FILLED: _ClassVar[VacancyStatus]
    VACANCY_STATUS_FILLED: _ClassVar[VacancyStatus]
    VACANCY_STATUS_EXPIRED: _ClassVar[VacancyStatus]
    VACANCY_STATUS_CLOSED: _ClassVar[VacancyStatus]
VACANCY_STATUS_UNSPECIFIED: VacancyStatus
VACANCY_STATUS_DRAFT: VacancyStatus
VACANCY_STATUS_OPEN: VacancyStatus
VACANCY_STATUS_PARTIALLY_FILLED: VacancyStatus
VACANCY_STATUS_FILLED: VacancyStatus
VACANCY_STATUS_EXPIRED: VacancyStatus
VACANCY_STATUS_CLOSED: VacancyStatus

class Skill(_message.Message):
    __slots__ = ("code", "name_zh", "name_en", "group", "occupation_code", "informal", "added_by")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    INFORMAL_FIELD_NUMBER: _ClassVar[int]
    ADDED_BY_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_zh: str
    name_en: str
    group: str
    occupation_code: str
    informal: bool
    added_by: str
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., group: _Optional[str] = ..., occupation_code: _Optional[str] = ..., informal: _Optional[bool] = ..., added_by: _Optional[str] = ...) -> None: ...

class Employer(_message.Message):
    __slots__ = ("id", "community_id", "name", "contact_name", "phone", "address", "user_ids", "registered_by", "registered_at", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    name: str
    contact_name: str
    phone: str
    address: str
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    registered_by: str
    registered_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., name: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone: _Optional[str] = ..., address: _Optional[str] = ..., user_ids: _Optional[_Iterable[str]] = ..., registered_by: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class VacancyDraft(_message.Message):
    __slots__ = ("title", "description", "skills", "headcount", "wage_fen", "wage_period", "hours_per_week", "monthly_pay_fen", "schedule", "address", "position", "physical_demand", "training_offered", "starts_on", "open_days")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    HEADCOUNT_FIELD_NUMBER: _ClassVar[int]
    WAGE_FEN_FIELD_NUMBER: _ClassVar[int]
    WAGE_PERIOD_FIELD_NUMBER: _ClassVar[int]
    HOURS_PER_WEEK_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_PAY_FEN_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    PHYSICAL_DEMAND_FIELD_NUMBER: _ClassVar[int]
    TRAINING_OFFERED_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    OPEN_DAYS_FIELD_NUMBER: _ClassVar[int]
    title: str
    description: str
    skills: _containers.RepeatedScalarFieldContainer[str]
    headcount: int
    wage_fen: int
    wage_period: _common_pb2.WagePeriod
    hours_per_week: int
    monthly_pay_fen: int
    schedule: _common_pb2.Schedule
    address: str
    position: _common_pb2.GeoPoint
    physical_demand: _common_pb2.PhysicalDemand
    training_offered: bool
    starts_on: str
    open_days: int
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ..., skills: _Optional[_Iterable[str]] = ..., headcount: _Optional[int] = ..., wage_fen: _Optional[int] = ..., wage_period: _Optional[_Union[_common_pb2.WagePeriod, str]] = ..., hours_per_week: _Optional[int] = ..., monthly_pay_fen: _Optional[int] = ..., schedule: _Optional[_Union[_common_pb2.Schedule, str]] = ..., address: _Optional[str] = ..., position: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., physical_demand: _Optional[_Union[_common_pb2.PhysicalDemand, str]] = ..., training_offered: _Optional[bool] = ..., starts_on: _Optional[str] = ..., open_days: _Optional[int] = ...) -> None: ...

class Vacancy(_message.Message):
    __slots__ = ("id", "community_id", "employer_id", "employer_name", "title", "description", "skills", "headcount", "wage_fen", "wage_period", "hours_per_week", "monthly_pay_fen", "schedule", "address", "position", "physical_demand", "training_offered", "starts_on", "open_days", "created_by", "created_at", "status", "hired", "fair_id", "import_id", "opened_at", "expires_at", "filled_at", "ended_at", "close_reason", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    HEADCOUNT_FIELD_NUMBER: _ClassVar[int]
    WAGE_FEN_FIELD_NUMBER: _ClassVar[int]
    WAGE_PERIOD_FIELD_NUMBER: _ClassVar[int]
    HOURS_PER_WEEK_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_PAY_FEN_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    PHYSICAL_DEMAND_FIELD_NUMBER: _ClassVar[int]
    TRAINING_OFFERED_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    OPEN_DAYS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HIRED_FIELD_NUMBER: _ClassVar[int]
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    FILLED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSE_REASON_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    employer_id: str
    employer_name: str
    title: str
    description: str
    skills: _containers.RepeatedScalarFieldContainer[str]
    headcount: int
    wage_fen: int
    wage_period: _common_pb2.WagePeriod
    hours_per_week: int
    monthly_pay_fen: int
    schedule: _common_pb2.Schedule
    address: str
    position: _common_pb2.GeoPoint
    physical_demand: _common_pb2.PhysicalDemand
    training_offered: bool
    starts_on: str
    open_days: int
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    status: VacancyStatus
    hired: int
    fair_id: str
    import_id: str
    opened_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    filled_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    close_reason: str
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., employer_id: _Optional[str] = ..., employer_name: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., skills: _Optional[_Iterable[str]] = ..., headcount: _Optional[int] = ..., wage_fen: _Optional[int] = ..., wage_period: _Optional[_Union[_common_pb2.WagePeriod, str]] = ..., hours_per_week: _Optional[int] = ..., monthly_pay_fen: _Optional[int] = ..., schedule: _Optional[_Union[_common_pb2.Schedule, str]] = ..., address: _Optional[str] = ..., position: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., physical_demand: _Optional[_Union[_common_pb2.PhysicalDemand, str]] = ..., training_offered: _Optional[bool] = ..., starts_on: _Optional[str] = ..., open_days: _Optional[int] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[VacancyStatus, str]] = ..., hired: _Optional[int] = ..., fair_id: _Optional[str] = ..., import_id: _Optional[str] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., filled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., close_reason: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ShortlistEntry(_message.Message):
    __slots__ = ("match", "seeker_name")
    MATCH_FIELD_NUMBER: _ClassVar[int]
    SEEKER_NAME_FIELD_NUMBER: _ClassVar[int]
    match: _common_pb2.Match
    seeker_name: str
    def __init__(self, match: _Optional[_Union[_common_pb2.Match, _Mapping]] = ..., seeker_name: _Optional[str] = ...) -> None: ...

class ListSkillsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSkillsResponse(_message.Message):
    __slots__ = ("skills",)
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    skills: _containers.RepeatedCompositeFieldContainer[Skill]
    def __init__(self, skills: _Optional[_Iterable[_Union[Skill, _Mapping]]] = ...) -> None: ...

class AddSkillRequest(_message.Message):
    __slots__ = ("code", "name_zh", "name_en", "group", "occupation_code", "informal")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    INFORMAL_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_zh: str
    name_en: str
    group: str
    occupation_code: str
    informal: bool
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., group: _Optional[str] = ..., occupation_code: _Optional[str] = ..., informal: _Optional[bool] = ...) -> None: ...

class AddSkillResponse(_message.Message):
    __slots__ = ("skill",)
    SKILL_FIELD_NUMBER: _ClassVar[int]
    skill: Skill
    def __init__(self, skill: _Optional[_Union[Skill, _Mapping]] = ...) -> None: ...

class RegisterEmployerRequest(_message.Message):
    __slots__ = ("id", "community_id", "name", "contact_name", "phone", "address", "user_ids")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    name: str
    contact_name: str
    phone: str
    address: str
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., name: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone: _Optional[str] = ..., address: _Optional[str] = ..., user_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class RegisterEmployerResponse(_message.Message):
    __slots__ = ("employer",)
    EMPLOYER_FIELD_NUMBER: _ClassVar[int]
    employer: Employer
    def __init__(self, employer: _Optional[_Union[Employer, _Mapping]] = ...) -> None: ...

class GetEmployerRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetEmployerResponse(_message.Message):
    __slots__ = ("employer",)
    EMPLOYER_FIELD_NUMBER: _ClassVar[int]
    employer: Employer
    def __init__(self, employer: _Optional[_Union[Employer, _Mapping]] = ...) -> None: ...

class ListEmployersRequest(_message.Message):
    __slots__ = ("community_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListEmployersResponse(_message.Message):
    __slots__ = ("employers", "next_page_token")
    EMPLOYERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    employers: _containers.RepeatedCompositeFieldContainer[Employer]
    next_page_token: str
    def __init__(self, employers: _Optional[_Iterable[_Union[Employer, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateVacancyRequest(_message.Message):
    __slots__ = ("employer_id", "draft", "fair_id")
    EMPLOYER_ID_FIELD_NUMBER: _ClassVar[int]
    DRAFT_FIELD_NUMBER: _ClassVar[int]
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    employer_id: str
    draft: VacancyDraft
    fair_id: str
    def __init__(self, employer_id: _Optional[str] = ..., draft: _Optional[_Union[VacancyDraft, _Mapping]] = ..., fair_id: _Optional[str] = ...) -> None: ...

class CreateVacancyResponse(_message.Message):
    __slots__ = ("vacancy",)
    VACANCY_FIELD_NUMBER: _ClassVar[int]
    vacancy: Vacancy
    def __init__(self, vacancy: _Optional[_Union[Vacancy, _Mapping]] = ...) -> None: ...

class UpdateVacancyRequest(_message.Message):
    __slots__ = ("id", "draft")
    ID_FIELD_NUMBER: _ClassVar[int]
    DRAFT_FIELD_NUMBER: _ClassVar[int]
    id: str
    draft: VacancyDraft
    def __init__(self, id: _Optional[str] = ..., draft: _Optional[_Union[VacancyDraft, _Mapping]] = ...) -> None: ...

class UpdateVacancyResponse(_message.Message):
    __slots__ = ("vacancy",)
    VACANCY_FIELD_NUMBER: _ClassVar[int]
    vacancy: Vacancy
    def __init__(self, vacancy: _Optional[_Union[Vacancy, _Mapping]] = ...) -> None: ...

class OpenVacancyRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class OpenVacancyResponse(_message.Message):
    __slots__ = ("vacancy",)
    VACANCY_FIELD_NUMBER: _ClassVar[int]
    vacancy: Vacancy
    def __init__(self, vacancy: _Optional[_Union[Vacancy, _Mapping]] = ...) -> None: ...

class CloseVacancyRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CloseVacancyResponse(_message.Message):
    __slots__ = ("vacancy",)
    VACANCY_FIELD_NUMBER: _ClassVar[int]
    vacancy: Vacancy
    def __init__(self, vacancy: _Optional[_Union[Vacancy, _Mapping]] = ...) -> None: ...

class GetVacancyRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetVacancyResponse(_message.Message):
    __slots__ = ("vacancy",)
    VACANCY_FIELD_NUMBER: _ClassVar[int]
    vacancy: Vacancy
    def __init__(self, vacancy: _Optional[_Union[Vacancy, _Mapping]] = ...) -> None: ...

class ListVacanciesRequest(_message.Message):
    __slots__ = ("community_id", "employer_id", "status", "fair_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    employer_id: str
    status: VacancyStatus
    fair_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., employer_id: _Optional[str] = ..., status: _Optional[_Union[VacancyStatus, str]] = ..., fair_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListVacanciesResponse(_message.Message):
    __slots__ = ("vacancies", "next_page_token")
    VACANCIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    vacancies: _containers.RepeatedCompositeFieldContainer[Vacancy]
    next_page_token: str
    def __init__(self, vacancies: _Optional[_Iterable[_Union[Vacancy, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ImportedVacancy(_message.Message):
    __slots__ = ("employer_id", "draft")
    EMPLOYER_ID_FIELD_NUMBER: _ClassVar[int]
    DRAFT_FIELD_NUMBER: _ClassVar[int]
    employer_id: str
    draft: VacancyDraft
    def __init__(self, employer_id: _Optional[str] = ..., draft: _Optional[_Union[VacancyDraft, _Mapping]] = ...) -> None: ...

class ImportVacanciesRequest(_message.Message):
    __slots__ = ("community_id", "vacancies", "fair_id", "import_id")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    VACANCIES_FIELD_NUMBER: _ClassVar[int]
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    vacancies: _containers.RepeatedCompositeFieldContainer[ImportedVacancy]
    fair_id: str
    import_id: str
    def __init__(self, community_id: _Optional[str] = ..., vacancies: _Optional[_Iterable[_Union[ImportedVacancy, _Mapping]]] = ..., fair_id: _Optional[str] = ..., import_id: _Optional[str] = ...) -> None: ...

class ImportVacanciesResponse(_message.Message):
    __slots__ = ("import_id", "vacancies")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    VACANCIES_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    vacancies: _containers.RepeatedCompositeFieldContainer[Vacancy]
    def __init__(self, import_id: _Optional[str] = ..., vacancies: _Optional[_Iterable[_Union[Vacancy, _Mapping]]] = ...) -> None: ...

class GetShortlistRequest(_message.Message):
    __slots__ = ("vacancy_id",)
    VACANCY_ID_FIELD_NUMBER: _ClassVar[int]
    vacancy_id: str
    def __init__(self, vacancy_id: _Optional[str] = ...) -> None: ...

class GetShortlistResponse(_message.Message):
    __slots__ = ("entries", "ranked_at", "up_to_date")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    RANKED_AT_FIELD_NUMBER: _ClassVar[int]
    UP_TO_DATE_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[ShortlistEntry]
    ranked_at: _timestamp_pb2.Timestamp
    up_to_date: bool
    def __init__(self, entries: _Optional[_Iterable[_Union[ShortlistEntry, _Mapping]]] = ..., ranked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., up_to_date: _Optional[bool] = ...) -> None: ...

class GetEmploymentFiguresRequest(_message.Message):
    __slots__ = ("community_id", "from_month", "to_month")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_MONTH_FIELD_NUMBER: _ClassVar[int]
    TO_MONTH_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    from_month: str
    to_month: str
    def __init__(self, community_id: _Optional[str] = ..., from_month: _Optional[str] = ..., to_month: _Optional[str] = ...) -> None: ...

class FunnelStep(_message.Message):
    __slots__ = ("status", "applications")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    status: str
    applications: int
    def __init__(self, status: _Optional[str] = ..., applications: _Optional[int] = ...) -> None: ...

class MonthPlacements(_message.Message):
    __slots__ = ("month", "placements")
    MONTH_FIELD_NUMBER: _ClassVar[int]
    PLACEMENTS_FIELD_NUMBER: _ClassVar[int]
    month: str
    placements: int
    def __init__(self, month: _Optional[str] = ..., placements: _Optional[int] = ...) -> None: ...

class Retention(_message.Message):
    __slots__ = ("months", "followed_up", "still_employed", "rate")
    MONTHS_FIELD_NUMBER: _ClassVar[int]
    FOLLOWED_UP_FIELD_NUMBER: _ClassVar[int]
    STILL_EMPLOYED_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    months: int
    followed_up: int
    still_employed: int
    rate: float
    def __init__(self, months: _Optional[int] = ..., followed_up: _Optional[int] = ..., still_employed: _Optional[int] = ..., rate: _Optional[float] = ...) -> None: ...

class GetEmploymentFiguresResponse(_message.Message):
    __slots__ = ("community_id", "months", "funnel", "vacancies_filled", "median_days_to_fill", "mean_days_to_fill", "placements_per_month", "retention")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    MONTHS_FIELD_NUMBER: _ClassVar[int]
    FUNNEL_FIELD_NUMBER: _ClassVar[int]
    VACANCIES_FILLED_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_DAYS_TO_FILL_FIELD_NUMBER: _ClassVar[int]
    MEAN_DAYS_TO_FILL_FIELD_NUMBER: _ClassVar[int]
    PLACEMENTS_PER_MONTH_FIELD_NUMBER: _ClassVar[int]
    RETENTION_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    months: _containers.RepeatedScalarFieldContainer[str]
    funnel: _containers.RepeatedCompositeFieldContainer[FunnelStep]
    vacancies_filled: int
    median_days_to_fill: float
    mean_days_to_fill: float
    placements_per_month: _containers.RepeatedCompositeFieldContainer[MonthPlacements]
    retention: _containers.RepeatedCompositeFieldContainer[Retention]
    def __init__(self, community_id: _Optional[str] = ..., months: _Optional[_Iterable[str]] = ..., funnel: _Optional[_Iterable[_Union[FunnelStep, _Mapping]]] = ..., vacancies_filled: _Optional[int] = ..., median_days_to_fill: _Optional[float] = ..., mean_days_to_fill: _Optional[float] = ..., placements_per_month: _Optional[_Iterable[_Union[MonthPlacements, _Mapping]]] = ..., retention: _Optional[_Iterable[_Union[Retention, _Mapping]]] = ...) -> None: ...
