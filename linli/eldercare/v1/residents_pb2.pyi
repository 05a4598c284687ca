import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from linli.eldercare.v1 import common_pb2 as _common_pb2
from linli.eldercare.v1 import eldercare_pb2 as _eldercare_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Mobility(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MOBILITY_UNSPECIFIED: _ClassVar[Mobility]
    MOBILITY_INDEPENDENT: _ClassVar[Mobility]
    MOBILITY_USES_AID: _ClassVar[Mobility]
    MOBILITY_WHEELCHAIR: _ClassVar[Mobility]
    MOBILITY_BEDRIDDEN: _ClassVar[Mobility]

class ConsentTopic(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_TOPIC_UNSPECIFIED: _ClassVar[ConsentTopic]
    CONSENT_TOPIC_LOCATION: _ClassVar[ConsentTopic]
    CONSENT_TOPIC_HEALTH: _ClassVar[ConsentTopic]
    CONSENT_TOPIC_RECORDING: _ClassVar[ConsentTopic]

class ElderPart(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ELDER_PART_UNSPECIFIED: _ClassVar[ElderPart]
    ELDER_PART_ADDRESS: _ClassVar[ElderPart]
    ELDER_PART_POSITION: _ClassVar[ElderPart]
    ELDER_PART_CONTACTS: _ClassVar[ElderPart]
    ELDER_PART_KEY_HOLDERS: _ClassVar[ElderPart]
    ELDER_PART_HEALTH: _ClassVar[ElderPart]
    ELDER_PART_CONSENTS: _ClassVar[ElderPart]

class DeviceKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEVICE_KIND_UNSPECIFIED: _ClassVar[DeviceKind]
    DEVICE_KIND_PAGER: _ClassVar[DeviceKind]
    DEVICE_KIND_VIDEO_TERMINAL: _ClassVar[DeviceKind]

class MaintenanceReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MAINTENANCE_REASON_UNSPECIFIED: _ClassVar[MaintenanceReason]
    MAINTENANCE_REASON_SILENT: _ClassVar[MaintenanceReason]
    MAINTENANCE_REASON_LOW_BATTERY: _ClassVar[MaintenanceReason]
MOBILITY_UNSPECIFIED: Mobility
MOBILITY_INDEPENDENT: Mobility
MOBILITY_USES_AID: Mobility
MOBILITY_WHEELCHAIR: Mobility
MOBILITY_BEDRIDDEN: Mobility
CONSENT_TOPIC_UNSPECIFIED: ConsentTopic
CONSENT_TOPIC_LOCATION: ConsentTopic
CONSENT_TOPIC_HEALTH: ConsentTopic
CONSENT_TOPIC_RECORDING: ConsentTopic
ELDER_PART_UNSPECIFIED: ElderPart
ELDER_PART_ADDRESS: ElderPart
ELDER_PART_POSITION: ElderPart
ELDER_PART_CONTACTS: ElderPart
ELDER_PART_KEY_HOLDERS: ElderPart
ELDER_PART_HEALTH: ElderPart
ELDER_PART_CONSENTS: ElderPart
DEVICE_KIND_UNSPECIFIED: DeviceKind
DEVICE_KIND_PAGER: DeviceKind
DEVICE_KIND_VIDEO_TERMINAL: DeviceKind
MAINTENANCE_REASON_UNSPECIFIED: MaintenanceReason
MAINTENANCE_REASON_SILENT: MaintenanceReason
MAINTENANCE_REASON_LOW_BATTERY: MaintenanceReason

class Consent(_message.Message):
    __slots__ = ("topic", "granted", "recorded_by", "recorded_at")
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    topic: ConsentTopic
    granted: bool
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, topic: _Optional[_Union[ConsentTopic, str]] = ..., granted: _Optional[bool] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Elder(_message.Message):
    __slots__ = ("id", "community_id", "name", "phone", "mobility", "address", "contacts", "conditions", "medications", "allergies", "consents", "registered_at", "registered_by", "updated_at", "version", "withheld_parts")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    MOBILITY_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    MEDICATIONS_FIELD_NUMBER: _ClassVar[int]
    ALLERGIES_FIELD_NUMBER: _ClassVar[int]
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    WITHHELD_PARTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    name: str
    phone: str
    mobility: Mobility
    address: _common_pb2.Address
    contacts: _containers.RepeatedCompositeFieldContainer[_common_pb2.Contact]
    conditions: _containers.RepeatedScalarFieldContainer[str]
    medications: _containers.RepeatedScalarFieldContainer[str]
    allergies: _containers.RepeatedScalarFieldContainer[str]
    consents: _containers.RepeatedCompositeFieldContainer[Consent]
    registered_at: _timestamp_pb2.Timestamp
    registered_by: str
    updated_at: _timestamp_pb2.Timestamp
    version: int
    withheld_parts: _containers.RepeatedScalarFieldContainer[ElderPart]
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., name: _Optional[str] = ..., phone: _Optional[str] = ..., mobility: _Optional[_Union[Mobility, str]] = ..., address: _Optional[_Union[_common_pb2.Address, _Mapping]] = ..., contacts: _Optional[_Iterable[_Union[_common_pb2.Contact, _Mapping]]] = ..., conditions: _Optional[_Iterable[str]] = ..., medications: _Optional[_Iterable[str]] = ..., allergies: _Optional[_Iterable[str]] = ..., consents: _Optional[_Iterable[_Union[Consent, _Mapping]]] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., registered_by: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., withheld_parts: _Optional[_Iterable[_Union[ElderPart, str]]] = ...) -> None: ...

class ElderDetails(_message.Message):
    __slots__ = ("name", "phone", "mobility", "address", "contacts", "conditions", "medications", "allergies")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    MOBILITY_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    MEDICATIONS_FIELD_NUMBER: _ClassVar[int]
    ALLERGIES_FIELD_NUMBER: _ClassVar[int]
    name: str
    phone: str
    mobility: Mobility
    address: _common_pb2.Address
    contacts: _containers.RepeatedCompositeFieldContainer[_common_pb2.Contact]
    conditions: _containers.RepeatedScalarFieldContainer[str]
    medications: _containers.RepeatedScalarFieldContainer[str]
    allergies: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., phone: _Optional[str] = ..., mobility: _Optional[_Union[Mobility, str]] = ..., address: _Optional[_Union[_common_pb2.Address, _Mapping]] = ..., contacts: _Optional[_Iterable[_Union[_common_pb2.Contact, _Mapping]]] = ..., conditions: _Optional[_Iterable[str]] = ..., medications: _Optional[_Iterable[str]] = ..., allergies: _Optional[_Iterable[str]] = ...) -> None: ...

class Device(_message.Message):
    __slots__ = ("id", "community_id", "elder_id", "kind", "heartbeat_interval_seconds", "registered_at", "registered_by", "last_heartbeat_at", "battery_percent", "version", "speakerphone", "secret_issued_at", "revoked_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    LAST_HEARTBEAT_AT_FIELD_NUMBER: _ClassVar[int]
    BATTERY_PERCENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SPEAKERPHONE_FIELD_NUMBER: _ClassVar[int]
    SECRET_ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    elder_id: str
    kind: DeviceKind
    heartbeat_interval_seconds: int
    registered_at: _timestamp_pb2.Timestamp
    registered_by: str
    last_heartbeat_at: _timestamp_pb2.Timestamp
    battery_percent: int
    version: int
    speakerphone: bool
    secret_issued_at: _timestamp_pb2.Timestamp
    revoked_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., kind: _Optional[_Union[DeviceKind, str]] = ..., heartbeat_interval_seconds: _Optional[int] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., registered_by: _Optional[str] = ..., last_heartbeat_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., battery_percent: _Optional[int] = ..., version: _Optional[int] = ..., speakerphone: _Optional[bool] = ..., secret_issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MaintenanceAlert(_message.Message):
    __slots__ = ("id", "community_id", "device_id", "elder_id", "reason", "raised_at", "last_heartbeat_at", "battery_percent", "resolved_at", "resolved_by", "resolution_note", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RAISED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_HEARTBEAT_AT_FIELD_NUMBER: _ClassVar[int]
    BATTERY_PERCENT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_NOTE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    device_id: str
    elder_id: str
    reason: MaintenanceReason
    raised_at: _timestamp_pb2.Timestamp
    last_heartbeat_at: _timestamp_pb2.Timestamp
    battery_percent: int
    resolved_at: _timestamp_pb2.Timestamp
    resolved_by: str
    resolution_note: str
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., device_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., reason: _Optional[_Union[MaintenanceReason, str]] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_heartbeat_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., battery_percent: _Optional[int] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_by: _Optional[str] = ..., resolution_note: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class RegisterElderRequest(_message.Message):
    __slots__ = ("id", "community_id", "details")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    details: ElderDetails
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., details: _Optional[_Union[ElderDetails, _Mapping]] = ...) -> None: ...

class RegisterElderResponse(_message.Message):
    __slots__ = ("elder",)
    ELDER_FIELD_NUMBER: _ClassVar[int]
    elder: Elder
    def __init__(self, elder: _Optional[_Union[Elder, _Mapping]] = ...) -> None: ...

class UpdateElderRequest(_message.Message):
    __slots__ = ("id", "details", "update_mask")
    ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    id: str
    details: ElderDetails
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, id: _Optional[str] = ..., details: _Optional[_Union[ElderDetails, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateElderResponse(_message.Message):
    __slots__ = ("elder",)
    ELDER_FIELD_NUMBER: _ClassVar[int]
    elder: Elder
    def __init__(self, elder: _Optional[_Union[Elder, _Mapping]] = ...) -> None: ...

class GetElderRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetElderResponse(_message.Message):
    __slots__ = ("elder",)
    ELDER_FIELD_NUMBER: _ClassVar[int]
    elder: Elder
    def __init__(self, elder: _Optional[_Union[Elder, _Mapping]] = ...) -> None: ...

class ListEldersRequest(_message.Message):
    __slots__ = ("community_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListEldersResponse(_message.Message):
    __slots__ = ("elders", "next_page_token")
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    elders: _containers.RepeatedCompositeFieldContainer[Elder]
    next_page_token: str
    def __init__(self, elders: _Optional[_Iterable[_Union[Elder, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RecordConsentRequest(_message.Message):
    __slots__ = ("elder_id", "topic", "granted")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    topic: ConsentTopic
    granted: bool
    def __init__(self, elder_id: _Optional[str] = ..., topic: _Optional[_Union[ConsentTopic, str]] = ..., granted: _Optional[bool] = ...) -> None: ...

class RecordConsentResponse(_message.Message):
    __slots__ = ("elder",)
    ELDER_FIELD_NUMBER: _ClassVar[int]
    elder: Elder
    def __init__(self, elder: _Optional[_Union[Elder, _Mapping]] = ...) -> None: ...

class RegisterDeviceRequest(_message.Message):
    __slots__ = ("id", "elder_id", "kind", "heartbeat_interval_seconds", "speakerphone")
    ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SPEAKERPHONE_FIELD_NUMBER: _ClassVar[int]
    id: str
    elder_id: str
    kind: DeviceKind
    heartbeat_interval_seconds: int
    speakerphone: bool
    def __init__(self, id: _Optional[str] = ..., elder_id: _Optional[str] = ..., kind: _Optional[_Union[DeviceKind, str]] = ..., heartbeat_interval_seconds: _Optional[int] = ..., speakerphone: _Optional[bool] = ...) -> None: ...

class RegisterDeviceResponse(_message.Message):
    __slots__ = ("device", "secret")
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    device: Device
    secret: str
    def __init__(self, device: _Optional[_Union[Device, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class ReportDeviceHeartbeatRequest(_message.Message):
    __slots__ = ("device_id", "battery_percent")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    BATTERY_PERCENT_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    battery_percent: int
    def __init__(self, device_id: _Optional[str] = ..., battery_percent: _Optional[int] = ...) -> None: ...

class ReportDeviceHeartbeatResponse(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: Device
    def __init__(self, device: _Optional[_Union[Device, _Mapping]] = ...) -> None: ...

class PressDeviceRequest(_message.Message):
    __slots__ = ("device_id", "kind", "press_id")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PRESS_ID_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    kind: _eldercare_pb2.CareKind
    press_id: str
    def __init__(self, device_id: _Optional[str] = ..., kind: _Optional[_Union[_eldercare_pb2.CareKind, str]] = ..., press_id: _Optional[str] = ...) -> None: ...

class PressDeviceResponse(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class ListMaintenanceAlertsRequest(_message.Message):
    __slots__ = ("community_id", "include_resolved", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_RESOLVED_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    include_resolved: bool
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., include_resolved: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMaintenanceAlertsResponse(_message.Message):
    __slots__ = ("alerts", "next_page_token")
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    alerts: _containers.RepeatedCompositeFieldContainer[MaintenanceAlert]
    next_page_token: str
    def __init__(self, alerts: _Optional[_Iterable[_Union[MaintenanceAlert, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ResolveMaintenanceAlertRequest(_message.Message):
    __slots__ = ("id", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    note: str
    def __init__(self, id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ResolveMaintenanceAlertResponse(_message.Message):
    __slots__ = ("alert",)
    ALERT_FIELD_NUMBER: _ClassVar[int]
    alert: MaintenanceAlert
    def __init__(self, alert: _Optional[_Union[MaintenanceAlert, _Mapping]] = ...) -> None: ...

class RotateDeviceSecretRequest(_message.Message):
    __slots__ = ("device_id",)
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    def __init__(self, device_id: _Optional[str] = ...) -> None: ...

class RotateDeviceSecretResponse(_message.Message):
    __slots__ = ("device", "secret")
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    device: Device
    secret: str
    def __init__(self, device: _Optional[_Union[Device, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class RevokeDeviceRequest(_message.Message):
    __slots__ = ("device_id",)
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    def __init__(self, device_id: _Optional[str] = ...) -> None: ...

class RevokeDeviceResponse(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: Device
    def __init__(self, device: _Optional[_Union[Device, _Mapping]] = ...) -> None: ...
