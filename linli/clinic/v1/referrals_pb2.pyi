import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linli.clinic.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TaskStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_STATUS_UNSPECIFIED: _ClassVar[TaskStatus]
    TASK_STATUS_REQUESTED: _ClassVar[TaskStatus]
    TASK_STATUS_RECEIVED: _ClassVar[TaskStatus]
    TASK_STATUS_ACCEPTED: _ClassVar[TaskStatus]
    TASK_STATUS_REJECTED: _ClassVar[TaskStatus]
    TASK_STATUS_IN_PROGRESS: _ClassVar[TaskStatus]
    TASK_STATUS_ON_HOLD: _ClassVar[TaskStatus]
    TASK_STATUS_FAILED: _ClassVar[TaskStatus]
    TASK_STATUS_COMPLETED: _ClassVar[TaskStatus]
    TASK_STATUS_CANCELLED: _ClassVar[TaskStatus]

class ReferralPriority(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_PRIORITY_UNSPECIFIED: _ClassVar[ReferralPriority]
    REFERRAL_PRIORITY_ROUTINE: _ClassVar[ReferralPriority]
    REFERRAL_PRIORITY_URGENT: _ClassVar[ReferralPriority]
    REFERRAL_PRIORITY_ASAP: _ClassVar[ReferralPriority]
    REFERRAL_PRIORITY_STAT: _ClassVar[ReferralPriority]

class ReferralCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_CATEGORY_UNSPECIFIED: _ClassVar[ReferralCategory]
    REFERRAL_CATEGORY_REFERRAL: _ClassVar[ReferralCategory]
    REFERRAL_CATEGORY_BACK_REFERRAL: _ClassVar[ReferralCategory]

class ReferralPart(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_PART_UNSPECIFIED: _ClassVar[ReferralPart]
    REFERRAL_PART_SUBJECT: _ClassVar[ReferralPart]
    REFERRAL_PART_CLINICAL: _ClassVar[ReferralPart]
    REFERRAL_PART_SUMMARY: _ClassVar[ReferralPart]
    REFERRAL_PART_RESULTS: _ClassVar[ReferralPart]
TASK_STATUS_UNSPECIFIED: TaskStatus
TASK_STATUS_REQUESTED: TaskStatus
TASK_STATUS_RECEIVED: TaskStatus
TASK_STATUS_ACCEPTED: TaskStatus
TASK_STATUS_REJECTED: TaskStatus
TASK_STATUS_IN_PROGRESS: TaskStatus
TASK_STATUS_ON_HOLD: TaskStatus
TASK_STATUS_FAILED: TaskStatus
TASK_STATUS_COMPLETED: TaskStatus
TASK_STATUS_CANCELLED: TaskStatus
REFERRAL_PRIORITY_UNSPECIFIED: ReferralPriority
REFERRAL_PRIORITY_ROUTINE: ReferralPriority
REFERRAL_PRIORITY_URGENT: ReferralPriority
REFERRAL_PRIORITY_ASAP: ReferralPriority
REFERRAL_PRIORITY_STAT: ReferralPriority
REFERRAL_CATEGORY_UNSPECIFIED: ReferralCategory
REFERRAL_CATEGORY_REFERRAL: ReferralCategory
REFERRAL_CATEGORY_BACK_REFERRAL: ReferralCategory
REFERRAL_PART_UNSPECIFIED: ReferralPart
REFERRAL_PART_SUBJECT: ReferralPart
REFERRAL_PART_CLINICAL: ReferralPart
REFERRAL_PART_SUMMARY: ReferralPart
REFERRAL_PART_RESULTS: ReferralPart

class ReferralSubject(_message.Message):
    __slots__ = ("name", "sex", "birth_date")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    name: str
    sex: str
    birth_date: str
    def __init__(self, name: _Optional[str] = ..., sex: _Optional[str] = ..., birth_date: _Optional[str] = ...) -> None: ...

class FollowUp(_message.Message):
    __slots__ = ("plan", "due_date", "discharged_on")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    DISCHARGED_ON_FIELD_NUMBER: _ClassVar[int]
    plan: str
    due_date: str
    discharged_on: str
    def __init__(self, plan: _Optional[str] = ..., due_date: _Optional[str] = ..., discharged_on: _Optional[str] = ...) -> None: ...

class ReferralContent(_message.Message):
    __slots__ = ("category", "priority", "reason", "clinical_summary", "attachments", "follow_up", "based_on", "practitioner")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CLINICAL_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    BASED_ON_FIELD_NUMBER: _ClassVar[int]
    PRACTITIONER_FIELD_NUMBER: _ClassVar[int]
    category: ReferralCategory
    priority: ReferralPriority
    reason: str
    clinical_summary: str
    attachments: _containers.RepeatedCompositeFieldContainer[_common_pb2.Attachment]
    follow_up: FollowUp
    based_on: str
    practitioner: str
    def __init__(self, category: _Optional[_Union[ReferralCategory, str]] = ..., priority: _Optional[_Union[ReferralPriority, str]] = ..., reason: _Optional[str] = ..., clinical_summary: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[_common_pb2.Attachment, _Mapping]]] = ..., follow_up: _Optional[_Union[FollowUp, _Mapping]] = ..., based_on: _Optional[str] = ..., practitioner: _Optional[str] = ...) -> None: ...

class TaskTransition(_message.Message):
    __slots__ = ("status", "business_status", "organisation_id", "by", "at", "reason")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_STATUS_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    status: TaskStatus
    business_status: str
    organisation_id: str
    by: str
    at: _timestamp_pb2.Timestamp
    reason: str
    def __init__(self, status: _Optional[_Union[TaskStatus, str]] = ..., business_status: _Optional[str] = ..., organisation_id: _Optional[str] = ..., by: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class ReferralOutcome(_message.Message):
    __slots__ = ("id", "organisation_id", "author", "text", "attachments", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    organisation_id: str
    author: str
    text: str
    attachments: _containers.RepeatedCompositeFieldContainer[_common_pb2.Attachment]
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., author: _Optional[str] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[_common_pb2.Attachment, _Mapping]]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReferralTask(_message.Message):
    __slots__ = ("status", "business_status", "status_reason", "last_modified", "history", "outcomes")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    LAST_MODIFIED_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    status: TaskStatus
    business_status: str
    status_reason: str
    last_modified: _timestamp_pb2.Timestamp
    history: _containers.RepeatedCompositeFieldContainer[TaskTransition]
    outcomes: _containers.RepeatedCompositeFieldContainer[ReferralOutcome]
    def __init__(self, status: _Optional[_Union[TaskStatus, str]] = ..., business_status: _Optional[str] = ..., status_reason: _Optional[str] = ..., last_modified: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., history: _Optional[_Iterable[_Union[TaskTransition, _Mapping]]] = ..., outcomes: _Optional[_Iterable[_Union[ReferralOutcome, _Mapping]]] = ...) -> None: ...

class SharedSummary(_message.Message):
    __slots__ = ("problems", "medications", "allergies", "results")
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    MEDICATIONS_FIELD_NUMBER: _ClassVar[int]
    ALLERGIES_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    problems: _containers.RepeatedScalarFieldContainer[str]
    medications: _containers.RepeatedScalarFieldContainer[str]
    allergies: _containers.RepeatedScalarFieldContainer[str]
    results: _containers.RepeatedCompositeFieldContainer[_common_pb2.DocumentReference]
    def __init__(self, problems: _Optional[_Iterable[str]] = ..., medications: _Optional[_Iterable[str]] = ..., allergies: _Optional[_Iterable[str]] = ..., results: _Optional[_Iterable[_Union[_common_pb2.DocumentReference, _Mapping]]] = ...) -> None: ...

class Referral(_message.Message):
    __slots__ = ("id", "community_id", "patient_id", "subject", "requester", "performer", "content", "task", "shared_summary", "request_id", "authored_on", "version", "withheld_parts")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    PERFORMER_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    SHARED_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHORED_ON_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    WITHHELD_PARTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    patient_id: str
    subject: ReferralSubject
    requester: _common_pb2.Organisation
    performer: _common_pb2.Organisation
    content: ReferralContent
    task: ReferralTask
    shared_summary: SharedSummary
    request_id: str
    authored_on: _timestamp_pb2.Timestamp
    version: int
    withheld_parts: _containers.RepeatedScalarFieldContainer[ReferralPart]
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., patient_id: _Optional[str] = ..., subject: _Optional[_Union[ReferralSubject, _Mapping]] = ..., requester: _Optional[_Union[_common_pb2.Organisation, _Mapping]] = ..., performer: _Optional[_Union[_common_pb2.Organisation, _Mapping]] = ..., content: _Optional[_Union[ReferralContent, _Mapping]] = ..., task: _Optional[_Union[ReferralTask, _Mapping]] = ..., shared_summary: _Optional[_Union[SharedSummary, _Mapping]] = ..., request_id: _Optional[str] = ..., authored_on: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., withheld_parts: _Optional[_Iterable[_Union[ReferralPart, str]]] = ...) -> None: ...

class CreateReferralRequest(_message.Message):
    __slots__ = ("patient_id", "performer_id", "content", "request_id")
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    PERFORMER_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    patient_id: str
    performer_id: str
    content: ReferralContent
    request_id: str
    def __init__(self, patient_id: _Optional[str] = ..., performer_id: _Optional[str] = ..., content: _Optional[_Union[ReferralContent, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateReferralResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class UpdateReferralTaskRequest(_message.Message):
    __slots__ = ("id", "status", "business_status", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: TaskStatus
    business_status: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[TaskStatus, str]] = ..., business_status: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class UpdateReferralTaskResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class AttachReferralOutcomeRequest(_message.Message):
    __slots__ = ("id", "text", "attachments")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    attachments: _containers.RepeatedCompositeFieldContainer[_common_pb2.Attachment]
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[_common_pb2.Attachment, _Mapping]]] = ...) -> None: ...

class AttachReferralOutcomeResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class GetReferralRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetReferralResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ...) -> None: ...

class ListReferralsRequest(_message.Message):
    __slots__ = ("community_id", "patient_id", "statuses", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    patient_id: str
    statuses: _containers.RepeatedScalarFieldContainer[TaskStatus]
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., patient_id: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[TaskStatus, str]]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReferralsResponse(_message.Message):
    __slots__ = ("referrals", "next_page_token")
    REFERRALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    referrals: _containers.RepeatedCompositeFieldContainer[Referral]
    next_page_token: str
    def __init__(self, referrals: _Optional[_Iterable[_Union[Referral, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetReferralFhirRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetReferralFhirResponse(_message.Message):
    __slots__ = ("fhir_json",)
    FHIR_JSON_FIELD_NUMBER: _ClassVar[int]
    fhir_json: str
    def __init__(self, fhir_json: _Optional[str] = ...) -> None: ...

class ListPartnersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListPartnersResponse(_message.Message):
    __slots__ = ("partners",)
    PARTNERS_FIELD_NUMBER: _ClassVar[int]
    partners: _containers.RepeatedCompositeFieldContainer[_common_pb2.Organisation]
    def __init__(self, partners: _Optional[_Iterable[_Union[_common_pb2.Organisation, _Mapping]]] = ...) -> None: ...
