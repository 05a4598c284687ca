import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linli.clinic.v1 import common_pb2 as _common_pb2
from linli.clinic.v1 import referrals_pb2 as _referrals_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChangeType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANGE_TYPE_UNSPECIFIED: _ClassVar[ChangeType]
    CHANGE_TYPE_CREATED: _ClassVar[ChangeType]
    CHANGE_TYPE_STATUS_CHANGED: _ClassVar[ChangeType]
    CHANGE_TYPE_OUTCOME_ATTACHED: _ClassVar[ChangeType]
    CHANGE_TYPE_WATCH_STARTED: _ClassVar[ChangeType]
CHANGE_TYPE_UNSPECIFIED: ChangeType
CHANGE_TYPE_CREATED: ChangeType
CHANGE_TYPE_STATUS_CHANGED: ChangeType
CHANGE_TYPE_OUTCOME_ATTACHED: ChangeType
CHANGE_TYPE_WATCH_STARTED: ChangeType

class SubmitReferralRequest(_message.Message):
    __slots__ = ("request_id", "patient_id", "performer_id", "content")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    PERFORMER_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    patient_id: str
    performer_id: str
    content: _referrals_pb2.ReferralContent
    def __init__(self, request_id: _Optional[str] = ..., patient_id: _Optional[str] = ..., performer_id: _Optional[str] = ..., content: _Optional[_Union[_referrals_pb2.ReferralContent, _Mapping]] = ...) -> None: ...

class SubmitReferralResponse(_message.Message):
    __slots__ = ("referral", "created")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    referral: _referrals_pb2.Referral
    created: bool
    def __init__(self, referral: _Optional[_Union[_referrals_pb2.Referral, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class UpdateTaskStatusRequest(_message.Message):
    __slots__ = ("referral_id", "status", "business_status", "reason")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    status: _referrals_pb2.TaskStatus
    business_status: str
    reason: str
    def __init__(self, referral_id: _Optional[str] = ..., status: _Optional[_Union[_referrals_pb2.TaskStatus, str]] = ..., business_status: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class UpdateTaskStatusResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: _referrals_pb2.Referral
    def __init__(self, referral: _Optional[_Union[_referrals_pb2.Referral, _Mapping]] = ...) -> None: ...

class AttachOutcomeRequest(_message.Message):
    __slots__ = ("referral_id", "text", "attachments")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    text: str
    attachments: _containers.RepeatedCompositeFieldContainer[_common_pb2.Attachment]
    def __init__(self, referral_id: _Optional[str] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[_common_pb2.Attachment, _Mapping]]] = ...) -> None: ...

class AttachOutcomeResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: _referrals_pb2.Referral
    def __init__(self, referral: _Optional[_Union[_referrals_pb2.Referral, _Mapping]] = ...) -> None: ...

class GetReferralRequest(_message.Message):
    __slots__ = ("referral_id",)
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    def __init__(self, referral_id: _Optional[str] = ...) -> None: ...

class GetReferralResponse(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: _referrals_pb2.Referral
    def __init__(self, referral: _Optional[_Union[_referrals_pb2.Referral, _Mapping]] = ...) -> None: ...

class ListReferralsRequest(_message.Message):
    __slots__ = ("statuses", "changed_since", "changed_before", "page_size", "page_token")
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    CHANGED_SINCE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.RepeatedScalarFieldContainer[_referrals_pb2.TaskStatus]
    changed_since: _timestamp_pb2.Timestamp
    changed_before: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    def __init__(self, statuses: _Optional[_Iterable[_Union[_referrals_pb2.TaskStatus, str]]] = ..., changed_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., changed_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReferralsResponse(_message.Message):
    __slots__ = ("referrals", "next_page_token")
    REFERRALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    referrals: _containers.RepeatedCompositeFieldContainer[_referrals_pb2.Referral]
    next_page_token: str
    def __init__(self, referrals: _Optional[_Iterable[_Union[_referrals_pb2.Referral, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class WatchReferralsRequest(_message.Message):
    __slots__ = ("resume_token",)
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    resume_token: str
    def __init__(self, resume_token: _Optional[str] = ...) -> None: ...

class WatchReferralsResponse(_message.Message):
    __slots__ = ("change_type", "referral", "changed_at", "resume_token", "changed_by")
    CHANGE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    change_type: ChangeType
    referral: _referrals_pb2.Referral
    changed_at: _timestamp_pb2.Timestamp
    resume_token: str
    changed_by: _common_pb2.Organisation
    def __init__(self, change_type: _Optional[_Union[ChangeType, str]] = ..., referral: _Optional[_Union[_referrals_pb2.Referral, _Mapping]] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resume_token: _Optional[str] = ..., changed_by: _Optional[_Union[_common_pb2.Organisation, _Mapping]] = ...) -> None: ...

class GetReferralFhirRequest(_message.Message):
    __slots__ = ("referral_id",)
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    def __init__(self, referral_id: _Optional[str] = ...) -> None: ...

class GetReferralFhirResponse(_message.Message):
    __slots__ = ("fhir_json",)
    FHIR_JSON_FIELD_NUMBER: _ClassVar[int]
    fhir_json: str
    def __init__(self, fhir_json: _Optional[str] = ...) -> None: ...

class PartnerTeleconsultation(_message.Message):
    __slots__ = ("id", "department", "specialist", "reason", "status", "scheduled_start", "duration_minutes")
    ID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    SPECIALIST_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_START_FIELD_NUMBER: _ClassVar[int]
    DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    department: str
    specialist: str
    reason: str
    status: str
    scheduled_start: _timestamp_pb2.Timestamp
    duration_minutes: int
    def __init__(self, id: _Optional[str] = ..., department: _Optional[str] = ..., specialist: _Optional[str] = ..., reason: _Optional[str] = ..., status: _Optional[str] = ..., scheduled_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration_minutes: _Optional[int] = ...) -> None: ...

class ListTeleconsultationsRequest(_message.Message):
    __slots__ = ("page_size",)
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    def __init__(self, page_size: _Optional[int] = ...) -> None: ...

class ListTeleconsultationsResponse(_message.Message):
    __slots__ = ("teleconsultations",)
    TELECONSULTATIONS_FIELD_NUMBER: _ClassVar[int]
    teleconsultations: _containers.RepeatedCompositeFieldContainer[PartnerTeleconsultation]
    def __init__(self, teleconsultations: _Optional[_Iterable[_Union[PartnerTeleconsultation, _Mapping]]] = ...) -> None: ...

class IssueTeleconsultationJoinLinkRequest(_message.Message):
    __slots__ = ("teleconsultation_id",)
    TELECONSULTATION_ID_FIELD_NUMBER: _ClassVar[int]
    teleconsultation_id: str
    def __init__(self, teleconsultation_id: _Optional[str] = ...) -> None: ...

class IssueTeleconsultationJoinLinkResponse(_message.Message):
    __slots__ = ("join_url", "expires_at")
    JOIN_URL_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    join_url: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, join_url: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
