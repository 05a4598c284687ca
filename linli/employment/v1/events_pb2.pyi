from linli.employment.v1 import fairs_pb2 as _fairs_pb2
from linli.employment.v1 import jobs_pb2 as _jobs_pb2
from linli.employment.v1 import seekers_pb2 as _seekers_pb2
from linli.employment.v1 import training_pb2 as _training_pb2
from linli.employment.v1 import workshop_pb2 as _workshop_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class VacancyChanged(_message.Message):
    __slots__ = ("vacancy",)
    VACANCY_FIELD_NUMBER: _ClassVar[int]
    vacancy: _jobs_pb2.Vacancy
    def __init__(self, vacancy: _Optional[_Union[_jobs_pb2.Vacancy, _Mapping]] = ...) -> None: ...

class VacanciesImported(_message.Message):
    __slots__ = ("import_id", "community_id", "vacancy_ids", "fair_id")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    VACANCY_IDS_FIELD_NUMBER: _ClassVar[int]
    FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    community_id: str
    vacancy_ids: _containers.RepeatedScalarFieldContainer[str]
    fair_id: str
    def __init__(self, import_id: _Optional[str] = ..., community_id: _Optional[str] = ..., vacancy_ids: _Optional[_Iterable[str]] = ..., fair_id: _Optional[str] = ...) -> None: ...

class SeekerChanged(_message.Message):
    __slots__ = ("seeker_id", "community_id", "status", "version")
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    seeker_id: str
    community_id: str
    status: _seekers_pb2.SeekerStatus
    version: int
    def __init__(self, seeker_id: _Optional[str] = ..., community_id: _Optional[str] = ..., status: _Optional[_Union[_seekers_pb2.SeekerStatus, str]] = ..., version: _Optional[int] = ...) -> None: ...

class ApplicationChanged(_message.Message):
    __slots__ = ("application",)
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    application: _seekers_pb2.Application
    def __init__(self, application: _Optional[_Union[_seekers_pb2.Application, _Mapping]] = ...) -> None: ...

class PlacementChanged(_message.Message):
    __slots__ = ("placement",)
    PLACEMENT_FIELD_NUMBER: _ClassVar[int]
    placement: _seekers_pb2.Placement
    def __init__(self, placement: _Optional[_Union[_seekers_pb2.Placement, _Mapping]] = ...) -> None: ...

class EnrolmentChanged(_message.Message):
    __slots__ = ("enrolment",)
    ENROLMENT_FIELD_NUMBER: _ClassVar[int]
    enrolment: _training_pb2.Enrolment
    def __init__(self, enrolment: _Optional[_Union[_training_pb2.Enrolment, _Mapping]] = ...) -> None: ...

class JobFairClosed(_message.Message):
    __slots__ = ("fair", "report")
    FAIR_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    fair: _fairs_pb2.Fair
    report: _fairs_pb2.FairReport
    def __init__(self, fair: _Optional[_Union[_fairs_pb2.Fair, _Mapping]] = ..., report: _Optional[_Union[_fairs_pb2.FairReport, _Mapping]] = ...) -> None: ...

class WorkshopOrderCompleted(_message.Message):
    __slots__ = ("order",)
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: _workshop_pb2.WorkshopOrder
    def __init__(self, order: _Optional[_Union[_workshop_pb2.WorkshopOrder, _Mapping]] = ...) -> None: ...
