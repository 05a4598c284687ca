from linli.clinic.v1 import referrals_pb2 as _referrals_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReferralEventInfo(_message.Message):
    __slots__ = ("id", "community_id", "patient_id", "resident_id", "category", "priority", "requester_id", "performer_id", "status", "business_status")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_ID_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_ID_FIELD_NUMBER: _ClassVar[int]
    PERFORMER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_STATUS_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    patient_id: str
    resident_id: str
    category: _referrals_pb2.ReferralCategory
    priority: _referrals_pb2.ReferralPriority
    requester_id: str
    performer_id: str
    status: _referrals_pb2.TaskStatus
    business_status: str
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., patient_id: _Optional[str] = ..., resident_id: _Optional[str] = ..., category: _Optional[_Union[_referrals_pb2.ReferralCategory, str]] = ..., priority: _Optional[_Union[_referrals_pb2.ReferralPriority, str]] = ..., requester_id: _Optional[str] = ..., performer_id: _Optional[str] = ..., status: _Optional[_Union[_referrals_pb2.TaskStatus, str]] = ..., business_status: _Optional[str] = ...) -> None: ...

class ReferralCreated(_message.Message):
    __slots__ = ("referral",)
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    referral: ReferralEventInfo
    def __init__(self, referral: _Optional[_Union[ReferralEventInfo, _Mapping]] = ...) -> None: ...

class ReferralStatusChanged(_message.Message):
    __slots__ = ("referral", "previous_status", "changed_by")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    referral: ReferralEventInfo
    previous_status: _referrals_pb2.TaskStatus
    changed_by: str
    def __init__(self, referral: _Optional[_Union[ReferralEventInfo, _Mapping]] = ..., previous_status: _Optional[_Union[_referrals_pb2.TaskStatus, str]] = ..., changed_by: _Optional[str] = ...) -> None: ...

class ReferralBackReferralReceived(_message.Message):
    __slots__ = ("referral", "follow_up", "requester_name")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_NAME_FIELD_NUMBER: _ClassVar[int]
    referral: ReferralEventInfo
    follow_up: _referrals_pb2.FollowUp
    requester_name: str
    def __init__(self, referral: _Optional[_Union[ReferralEventInfo, _Mapping]] = ..., follow_up: _Optional[_Union[_referrals_pb2.FollowUp, _Mapping]] = ..., requester_name: _Optional[str] = ...) -> None: ...
