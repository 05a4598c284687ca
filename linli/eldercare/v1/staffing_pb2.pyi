from linli.eldercare.v1 import eldercare_pb2 as _eldercare_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SkillSet(_message.Message):
    __slots__ = ("kinds",)
    KINDS_FIELD_NUMBER: _ClassVar[int]
    kinds: _containers.RepeatedScalarFieldContainer[_eldercare_pb2.CareKind]
    def __init__(self, kinds: _Optional[_Iterable[_Union[_eldercare_pb2.CareKind, str]]] = ...) -> None: ...

class StaffingShift(_message.Message):
    __slots__ = ("name", "starts_hour", "ends_hour", "operators", "caregivers", "skill_sets")
    NAME_FIELD_NUMBER: _ClassVar[int]
    STARTS_HOUR_FIELD_NUMBER: _ClassVar[int]
    ENDS_HOUR_FIELD_NUMBER: _ClassVar[int]
    OPERATORS_FIELD_NUMBER: _ClassVar[int]
    CAREGIVERS_FIELD_NUMBER: _ClassVar[int]
    SKILL_SETS_FIELD_NUMBER: _ClassVar[int]
    name: str
    starts_hour: int
    ends_hour: int
    operators: int
    caregivers: int
    skill_sets: _containers.RepeatedCompositeFieldContainer[SkillSet]
    def __init__(self, name: _Optional[str] = ..., starts_hour: _Optional[int] = ..., ends_hour: _Optional[int] = ..., operators: _Optional[int] = ..., caregivers: _Optional[int] = ..., skill_sets: _Optional[_Iterable[_Union[SkillSet, _Mapping]]] = ...) -> None: ...

class StaffingTargets(_message.Message):
    __slots__ = ("emergency_acknowledged_share", "emergency_wait_p95_seconds", "routine_wait_p95_seconds")
    EMERGENCY_ACKNOWLEDGED_SHARE_FIELD_NUMBER: _ClassVar[int]
    EMERGENCY_WAIT_P95_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ROUTINE_WAIT_P95_SECONDS_FIELD_NUMBER: _ClassVar[int]
    emergency_acknowledged_share: float
    emergency_wait_p95_seconds: float
    routine_wait_p95_seconds: float
    def __init__(self, emergency_acknowledged_share: _Optional[float] = ..., emergency_wait_p95_seconds: _Optional[float] = ..., routine_wait_p95_seconds: _Optional[float] = ...) -> None: ...

class PlanStaffingRequest(_message.Message):
    __slots__ = ("community_id", "shifts", "search", "targets", "days", "seed", "first_day", "use_default_profile", "default_profile_elders", "history_days", "time_limit_seconds")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    SHIFTS_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    FIRST_DAY_FIELD_NUMBER: _ClassVar[int]
    USE_DEFAULT_PROFILE_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_PROFILE_ELDERS_FIELD_NUMBER: _ClassVar[int]
    HISTORY_DAYS_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    shifts: _containers.RepeatedCompositeFieldContainer[StaffingShift]
    search: bool
    targets: StaffingTargets
    days: int
    seed: int
    first_day: str
    use_default_profile: bool
    default_profile_elders: int
    history_days: int
    time_limit_seconds: float
    def __init__(self, community_id: _Optional[str] = ..., shifts: _Optional[_Iterable[_Union[StaffingShift, _Mapping]]] = ..., search: _Optional[bool] = ..., targets: _Optional[_Union[StaffingTargets, _Mapping]] = ..., days: _Optional[int] = ..., seed: _Optional[int] = ..., first_day: _Optional[str] = ..., use_default_profile: _Optional[bool] = ..., default_profile_elders: _Optional[int] = ..., history_days: _Optional[int] = ..., time_limit_seconds: _Optional[float] = ...) -> None: ...

class Interval(_message.Message):
    __slots__ = ("value", "low", "high", "days")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    LOW_FIELD_NUMBER: _ClassVar[int]
    HIGH_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    value: float
    low: float
    high: float
    days: int
    def __init__(self, value: _Optional[float] = ..., low: _Optional[float] = ..., high: _Optional[float] = ..., days: _Optional[int] = ...) -> None: ...

class KindWait(_message.Message):
    __slots__ = ("kind", "calls", "unserved", "p50_seconds", "p95_seconds")
    KIND_FIELD_NUMBER: _ClassVar[int]
    CALLS_FIELD_NUMBER: _ClassVar[int]
    UNSERVED_FIELD_NUMBER: _ClassVar[int]
    P50_SECONDS_FIELD_NUMBER: _ClassVar[int]
    P95_SECONDS_FIELD_NUMBER: _ClassVar[int]
    kind: _eldercare_pb2.CareKind
    calls: int
    unserved: int
    p50_seconds: float
    p95_seconds: float
    def __init__(self, kind: _Optional[_Union[_eldercare_pb2.CareKind, str]] = ..., calls: _Optional[int] = ..., unserved: _Optional[int] = ..., p50_seconds: _Optional[float] = ..., p95_seconds: _Optional[float] = ...) -> None: ...

class ShiftFigures(_message.Message):
    __slots__ = ("shift", "operators", "caregivers", "emergencies", "emergency_acknowledged_share", "escalations", "waits", "operator_utilisation", "caregiver_utilisation", "shortfalls")
    SHIFT_FIELD_NUMBER: _ClassVar[int]
    OPERATORS_FIELD_NUMBER: _ClassVar[int]
    CAREGIVERS_FIELD_NUMBER: _ClassVar[int]
    EMERGENCIES_FIELD_NUMBER: _ClassVar[int]
    EMERGENCY_ACKNOWLEDGED_SHARE_FIELD_NUMBER: _ClassVar[int]
    ESCALATIONS_FIELD_NUMBER: _ClassVar[int]
    WAITS_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_UTILISATION_FIELD_NUMBER: _ClassVar[int]
    CAREGIVER_UTILISATION_FIELD_NUMBER: _ClassVar[int]
    SHORTFALLS_FIELD_NUMBER: _ClassVar[int]
    shift: str
    operators: int
    caregivers: int
    emergencies: int
    emergency_acknowledged_share: Interval
    escalations: int
    waits: _containers.RepeatedCompositeFieldContainer[KindWait]
    operator_utilisation: float
    caregiver_utilisation: float
    shortfalls: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, shift: _Optional[str] = ..., operators: _Optional[int] = ..., caregivers: _Optional[int] = ..., emergencies: _Optional[int] = ..., emergency_acknowledged_share: _Optional[_Union[Interval, _Mapping]] = ..., escalations: _Optional[int] = ..., waits: _Optional[_Iterable[_Union[KindWait, _Mapping]]] = ..., operator_utilisation: _Optional[float] = ..., caregiver_utilisation: _Optional[float] = ..., shortfalls: _Optional[_Iterable[str]] = ...) -> None: ...

class SmallerRoster(_message.Message):
    __slots__ = ("shift", "role", "shifts", "shortfalls")
    SHIFT_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SHIFTS_FIELD_NUMBER: _ClassVar[int]
    SHORTFALLS_FIELD_NUMBER: _ClassVar[int]
    shift: str
    role: str
    shifts: _containers.RepeatedCompositeFieldContainer[StaffingShift]
    shortfalls: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, shift: _Optional[str] = ..., role: _Optional[str] = ..., shifts: _Optional[_Iterable[_Union[StaffingShift, _Mapping]]] = ..., shortfalls: _Optional[_Iterable[str]] = ...) -> None: ...

class StaffingPlan(_message.Message):
    __slots__ = ("community_id", "profile_source", "profile_is_default", "seed", "days_planned", "days_simulated", "confidence", "shifts", "figures", "targets", "searched", "meets_targets", "smaller", "rosters_tried", "stopped_early", "figures_csv", "chart_svg")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_SOURCE_FIELD_NUMBER: _ClassVar[int]
    PROFILE_IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    DAYS_PLANNED_FIELD_NUMBER: _ClassVar[int]
    DAYS_SIMULATED_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    SHIFTS_FIELD_NUMBER: _ClassVar[int]
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    SEARCHED_FIELD_NUMBER: _ClassVar[int]
    MEETS_TARGETS_FIELD_NUMBER: _ClassVar[int]
    SMALLER_FIELD_NUMBER: _ClassVar[int]
    ROSTERS_TRIED_FIELD_NUMBER: _ClassVar[int]
    STOPPED_EARLY_FIELD_NUMBER: _ClassVar[int]
    FIGURES_CSV_FIELD_NUMBER: _ClassVar[int]
    CHART_SVG_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    profile_source: str
    profile_is_default: bool
    seed: int
    days_planned: int
    days_simulated: int
    confidence: float
    shifts: _containers.RepeatedCompositeFieldContainer[StaffingShift]
    figures: _containers.RepeatedCompositeFieldContainer[ShiftFigures]
    targets: StaffingTargets
    searched: bool
    meets_targets: bool
    smaller: _containers.RepeatedCompositeFieldContainer[SmallerRoster]
    rosters_tried: int
    stopped_early: bool
    figures_csv: str
    chart_svg: str
    def __init__(self, community_id: _Optional[str] = ..., profile_source: _Optional[str] = ..., profile_is_default: _Optional[bool] = ..., seed: _Optional[int] = ..., days_planned: _Optional[int] = ..., days_simulated: _Optional[int] = ..., confidence: _Optional[float] = ..., shifts: _Optional[_Iterable[_Union[StaffingShift, _Mapping]]] = ..., figures: _Optional[_Iterable[_Union[ShiftFigures, _Mapping]]] = ..., targets: _Optional[_Union[StaffingTargets, _Mapping]] = ..., searched: _Optional[bool] = ..., meets_targets: _Optional[bool] = ..., smaller: _Optional[_Iterable[_Union[SmallerRoster, _Mapping]]] = ..., rosters_tried: _Optional[int] = ..., stopped_early: _Optional[bool] = ..., figures_csv: _Optional[str] = ..., chart_svg: _Optional[str] = ...) -> None: ...

class PlanStaffingProgress(_message.Message):
    __slots__ = ("message", "done", "total")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    message: str
    done: int
    total: int
    def __init__(self, message: _Optional[str] = ..., done: _Optional[int] = ..., total: _Optional[int] = ...) -> None: ...

class PlanStaffingResponse(_message.Message):
    __slots__ = ("progress", "plan")
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    progress: PlanStaffingProgress
    plan: StaffingPlan
    def __init__(self, progress: _Optional[_Union[PlanStaffingProgress, _Mapping]] = ..., plan: _Optional[_Union[StaffingPlan, _Mapping]] = ...) -> None: ...
