import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Schedule(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCHEDULE_UNSPECIFIED: _ClassVar[Schedule]
    SCHEDULE_FULL_TIME: _ClassVar[Schedule]
    SCHEDULE_PART_TIME: _ClassVar[Schedule]
    SCHEDULE_FLEXIBLE: _ClassVar[Schedule]
    SCHEDULE_PIECE_WORK: _ClassVar[Schedule]

class PhysicalDemand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PHYSICAL_DEMAND_UNSPECIFIED: _ClassVar[PhysicalDemand]
    PHYSICAL_DEMAND_LIGHT: _ClassVar[PhysicalDemand]
    PHYSICAL_DEMAND_MODERATE: _ClassVar[PhysicalDemand]
    PHYSICAL_DEMAND_HEAVY: _ClassVar[PhysicalDemand]

class WagePeriod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WAGE_PERIOD_UNSPECIFIED: _ClassVar[WagePeriod]
    WAGE_PERIOD_HOUR: _ClassVar[WagePeriod]
    WAGE_PERIOD_DAY: _ClassVar[WagePeriod]
    WAGE_PERIOD_MONTH: _ClassVar[WagePeriod]
    WAGE_PERIOD_PIECE: _ClassVar[WagePeriod]
SCHEDULE_UNSPECIFIED: Schedule
SCHEDULE_FULL_TIME: Schedule
SCHEDULE_PART_TIME: Schedule
SCHEDULE_FLEXIBLE: Schedule
SCHEDULE_PIECE_WORK: Schedule
PHYSICAL_DEMAND_UNSPECIFIED: PhysicalDemand
PHYSICAL_DEMAND_LIGHT: PhysicalDemand
PHYSICAL_DEMAND_MODERATE: PhysicalDemand
PHYSICAL_DEMAND_HEAVY: PhysicalDemand
WAGE_PERIOD_UNSPECIFIED: WagePeriod
WAGE_PERIOD_HOUR: WagePeriod
WAGE_PERIOD_DAY: WagePeriod
WAGE_PERIOD_MONTH: WagePeriod
WAGE_PERIOD_PIECE: WagePeriod

class GeoPoint(_message.Message):
    __slots__ = ("latitude", "longitude")
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    latitude: float
    longitude: float
    def __init__(self, latitude: _Optional[float] = ..., longitude: _Optional[float] = ...) -> None: ...

class Transition(_message.Message):
    __slots__ = ("status", "at", "by", "note")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    status: str
    at: _timestamp_pb2.Timestamp
    by: str
    note: str
    def __init__(self, status: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., by: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class MatchReason(_message.Message):
    __slots__ = ("kind", "en", "zh")
    KIND_FIELD_NUMBER: _ClassVar[int]
    EN_FIELD_NUMBER: _ClassVar[int]
    ZH_FIELD_NUMBER: _ClassVar[int]
    kind: str
    en: str
    zh: str
    def __init__(self, kind: _Optional[str] = ..., en: _Optional[str] = ..., zh: _Optional[str] = ...) -> None: ...

class Match(_message.Message):
    __slots__ = ("seeker_id", "vacancy_id", "score", "distance_m", "matched_skills", "wanted_skills", "schedule", "preferred_schedule", "monthly_pay_fen", "wage_floor_fen", "training_offered", "reasons", "summary_en", "summary_zh")
    SEEKER_ID_FIELD_NUMBER: _ClassVar[int]
    VACANCY_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_M_FIELD_NUMBER: _ClassVar[int]
    MATCHED_SKILLS_FIELD_NUMBER: _ClassVar[int]
    WANTED_SKILLS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_PAY_FEN_FIELD_NUMBER: _ClassVar[int]
    WAGE_FLOOR_FEN_FIELD_NUMBER: _ClassVar[int]
    TRAINING_OFFERED_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_EN_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_ZH_FIELD_NUMBER: _ClassVar[int]
    seeker_id: str
    vacancy_id: str
    score: float
    distance_m: float
    matched_skills: _containers.RepeatedScalarFieldContainer[str]
    wanted_skills: int
    schedule: Schedule
    preferred_schedule: bool
    monthly_pay_fen: int
    wage_floor_fen: int
    training_offered: bool
    reasons: _containers.RepeatedCompositeFieldContainer[MatchReason]
    summary_en: str
    summary_zh: str
    def __init__(self, seeker_id: _Optional[str] = ..., vacancy_id: _Optional[str] = ..., score: _Optional[float] = ..., distance_m: _Optional[float] = ..., matched_skills: _Optional[_Iterable[str]] = ..., wanted_skills: _Optional[int] = ..., schedule: _Optional[_Union[Schedule, str]] = ..., preferred_schedule: _Optional[bool] = ..., monthly_pay_fen: _Optional[int] = ..., wage_floor_fen: _Optional[int] = ..., training_offered: _Optional[bool] = ..., reasons: _Optional[_Iterable[_Union[MatchReason, _Mapping]]] = ..., summary_en: _Optional[str] = ..., summary_zh: _Optional[str] = ...) -> None: ...
