import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FairStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FAIR_STATUS_UNSPECIFIED: _ClassVar[FairStatus]
    FAIR_STATUS_PLANNED: _ClassVar[FairStatus]
    FAIR_STATUS_CLOSED: _ClassVar[FairStatus]

class ConsultationTopic(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSULTATION_TOPIC_UNSPECIFIED: _ClassVar[ConsultationTopic]
    CONSULTATION_TOPIC_POLICY: _ClassVar[ConsultationTopic]
    CONSULTATION_TOPIC_JOB: _ClassVar[ConsultationTopic]
    CONSULTATION_TOPIC_TRAINING: _ClassVar[ConsultationTopic]
    CONSULTATION_TOPIC_OTHER: _ClassVar[ConsultationTopic]
FAIR_STATUS_UNSPECIFIED: FairStatus
FAIR_STATUS_PLANNED: FairStatus
FAIR_STATUS_CLOSED: FairStatus
CONSULTATION_TOPIC_UNSPECIFIED: ConsultationTopic
CONSULTATION_TOPIC_POLICY: ConsultationTopic
CONSULTATION_TOPIC_JOB: ConsultationTopic
CONSULTATION_TOPIC_TRAINING: ConsultationTopic
CONSULTATION_TOPIC_OTHER: ConsultationTopic

class FairCompany(_message.Message):
    __slots__ = ("employer_id", "employer_name", "booth")
    EMPLOYER_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_NAME_FIELD_NUMBER: _ClassVar[int]
    BOOTH_FIELD_NUMBER: _ClassVar[int]
    employer_id: str
    employer_name: str
    booth: str
    def __init__(self, employer_id: _Optional[str] = ..., employer_name: _Optional[str] = ..., booth: _Optional[str] = ...) -> None: ...

class Leaflet(_message.Message):
    __slots__ = ("title", "copies")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    COPIES_FIELD_NUMBER: _ClassVar[int]
    title: str
    copies: int
    def __init__(self, title: _Optional[str] = ..., copies: _Optional[int] = ...) -> None: ...

class Fair(_message.Message):
    __slots__ = ("id", "community_id", "title", "day", "venue", "created_by", "created_at", "status", "companies", "leaflets", "closed_at", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    VENUE_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COMPANIES_FIELD_NUMBER: _ClassVar[int]
    LEAFLETS_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    title: str
    day: str
    venue: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    status: FairStatus
    companies: _containers.RepeatedCompositeFieldContainer[FairCompany]
    leaflets: _containers.RepeatedCompositeFieldContainer[Leaflet]
    closed_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., title: _Optional[str] = ..., day: _Optional[str] = ..., venue: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[FairStatus, str]] = ..., companies: _Optional[_Iterable[_Union[FairCompany, _Mapping]]] = ..., leaflets: _Optional[_Iterable[_Union[Leaflet, _Mapping]]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class Consultation(_message.Message):
    __slots__ = ("id", "fair_id", "community_id", "topic", "question", "seeker_id", "recorded_by", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    fair_id: str
    community_id: str
    topic: ConsultationTopic
    question: str
    seeker_id: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., fair_id: _Optional[str] = ..., community_id: _Optional[str] = ..., topic: _Optional[_Union[ConsultationTopic, str]] = ..., question: _Optional[str] = ..., seeker_id: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FairReport(_message.Message):
    __slots__ = ("fair_id", "companies", "vacancies", "posts", "hiring_intentions", "training_sign_ups", "policy_questions_answered", "consultations", "leaflet_titles", "leaflet_copies")
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANIES_FIELD_NUMBER: _ClassVar[int]
    VACANCIES_FIELD_NUMBER: _ClassVar[int]
    POSTS_FIELD_NUMBER: _ClassVar[int]
    HIRING_INTENTIONS_FIELD_NUMBER: _ClassVar[int]
    TRAINING_SIGN_UPS_FIELD_NUMBER: _ClassVar[int]
    POLICY_QUESTIONS_ANSWERED_FIELD_NUMBER: _ClassVar[int]
    CONSULTATIONS_FIELD_NUMBER: _ClassVar[int]
    LEAFLET_TITLES_FIELD_NUMBER: _ClassVar[int]
    LEAFLET_COPIES_FIELD_NUMBER: _ClassVar[int]
    fair_id: str
    companies: int
    vacancies: int
    posts: int
    hiring_intentions: int
    training_sign_ups: int
    policy_questions_answered: int
    consultations: int
    leaflet_titles: int
    leaflet_copies: int
    def __init__(self, fair_id: _Optional[str] = ..., companies: _Optional[int] = ..., vacancies: _Optional[int] = ..., posts: _Optional[int] = ..., hiring_intentions: _Optional[int] = ..., training_sign_ups: _Optional[int] = ..., policy_questions_answered: _Optional[int] = ..., consultations: _Optional[int] = ..., leaflet_titles: _Optional[int] = ..., leaflet_copies: _Optional[int] = ...) -> None: ...

class PlanFairRequest(_message.Message):
    __slots__ = ("id", "community_id", "title", "day", "venue")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    VENUE_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    title: str
    day: str
    venue: str
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., title: _Optional[str] = ..., day: _Optional[str] = ..., venue: _Optional[str] = ...) -> None: ...

class PlanFairResponse(_message.Message):
    __slots__ = ("fair",)
    FAIR_FIELD_NUMBER: _ClassVar[int]
    fair: Fair
    def __init__(self, fair: _Optional[_Union[Fair, _Mapping]] = ...) -> None: ...

class GetFairRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetFairResponse(_message.Message):
    __slots__ = ("fair",)
    FAIR_FIELD_NUMBER: _ClassVar[int]
    fair: Fair
    def __init__(self, fair: _Optional[_Union[Fair, _Mapping]] = ...) -> None: ...

class ListFairsRequest(_message.Message):
    __slots__ = ("community_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListFairsResponse(_message.Message):
    __slots__ = ("fairs", "next_page_token")
    FAIRS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    fairs: _containers.RepeatedCompositeFieldContainer[Fair]
    next_page_token: str
    def __init__(self, fairs: _Optional[_Iterable[_Union[Fair, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AddFairCompanyRequest(_message.Message):
    __slots__ = ("fair_id", "employer_id", "booth")
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_ID_FIELD_NUMBER: _ClassVar[int]
    BOOTH_FIELD_NUMBER: _ClassVar[int]
    fair_id: str
    employer_id: str
    booth: str
    def __init__(self, fair_id: _Optional[str] = ..., employer_id: _Optional[str] = ..., booth: _Optional[str] = ...) -> None: ...

class AddFairCompanyResponse(_message.Message):
    __slots__ = ("fair",)
    FAIR_FIELD_NUMBER: _ClassVar[int]
    fair: Fair
    def __init__(self, fair: _Optional[_Union[Fair, _Mapping]] = ...) -> None: ...

class RecordConsultationRequest(_message.Message):
    __slots__ = ("fair_id", "topic", "question", "seeker_id")
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    fair_id: str
    topic: ConsultationTopic
    question: str
    seeker_id: str
    def __init__(self, fair_id: _Optional[str] = ..., topic: _Optional[_Union[ConsultationTopic, str]] = ..., question: _Optional[str] = ..., seeker_id: _Optional[str] = ...) -> None: ...

class RecordConsultationResponse(_message.Message):
    __slots__ = ("consultation",)
    CONSULTATION_FIELD_NUMBER: _ClassVar[int]
    consultation: Consultation
    def __init__(self, consultation: _Optional[_Union[Consultation, _Mapping]] = ...) -> None: ...

class RecordLeafletsRequest(_message.Message):
    __slots__ = ("fair_id", "title", "copies")
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    COPIES_FIELD_NUMBER: _ClassVar[int]
    fair_id: str
    title: str
    copies: int
    def __init__(self, fair_id: _Optional[str] = ..., title: _Optional[str] = ..., copies: _Optional[int] = ...) -> None: ...

class RecordLeafletsResponse(_message.Message):
    __slots__ = ("fair",)
    FAIR_FIELD_NUMBER: _ClassVar[int]
    fair: Fair
    def __init__(self, fair: _Optional[_Union[Fair, _Mapping]] = ...) -> None: ...

class CloseFairRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CloseFairResponse(_message.Message):
    __slots__ = ("fair", "report")
    FAIR_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    fair: Fair
    report: FairReport
    def __init__(self, fair: _Optional[_Union[Fair, _Mapping]] = ..., report: _Optional[_Union[FairReport, _Mapping]] = ...) -> None: ...

class GetFairReportRequest(_message.Message):
    __slots__ = ("fair_id",)
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    fair_id: str
    def __init__(self, fair_id: _Optional[str] = ...) -> None: ...

class GetFairReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: FairReport
    def __init__(self, report: _Optional[_Union[FairReport, _Mapping]] = ...) -> None: ...
