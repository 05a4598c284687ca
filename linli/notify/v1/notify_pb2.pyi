import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EndpointKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENDPOINT_KIND_UNSPECIFIED: _ClassVar[EndpointKind]
    ENDPOINT_KIND_WEB_PUSH: _ClassVar[EndpointKind]
    ENDPOINT_KIND_MOBILE_PUSH: _ClassVar[EndpointKind]

class Urgency(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    URGENCY_UNSPECIFIED: _ClassVar[Urgency]
    URGENCY_ROUTINE: _ClassVar[Urgency]
    URGENCY_EMERGENCY: _ClassVar[Urgency]

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_WEB_PUSH: _ClassVar[Channel]
    CHANNEL_MOBILE_PUSH: _ClassVar[Channel]
    CHANNEL_SMS: _ClassVar[Channel]

class DeliveryStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_STATUS_UNSPECIFIED: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_PENDING: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_SENT: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_DEAD: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_GONE: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_SUPPRESSED: _ClassVar[DeliveryStatus]
ENDPOINT_KIND_UNSPECIFIED: EndpointKind
ENDPOINT_KIND_WEB_PUSH: EndpointKind
ENDPOINT_KIND_MOBILE_PUSH: EndpointKind
URGENCY_UNSPECIFIED: Urgency
URGENCY_ROUTINE: Urgency
URGENCY_EMERGENCY: Urgency
CHANNEL_UNSPECIFIED: Channel
CHANNEL_WEB_PUSH: Channel
CHANNEL_MOBILE_PUSH: Channel
CHANNEL_SMS: Channel
DELIVERY_STATUS_UNSPECIFIED: DeliveryStatus
DELIVERY_STATUS_PENDING: DeliveryStatus
DELIVERY_STATUS_SENT: DeliveryStatus
DELIVERY_STATUS_DEAD: DeliveryStatus
DELIVERY_STATUS_GONE: DeliveryStatus
DELIVERY_STATUS_SUPPRESSED: DeliveryStatus

class Endpoint(_message.Message):
    __slots__ = ("id", "kind", "push_url", "p256dh", "auth", "provider", "token", "label", "registered_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PUSH_URL_FIELD_NUMBER: _ClassVar[int]
    P256DH_FIELD_NUMBER: _ClassVar[int]
    AUTH_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: EndpointKind
    push_url: str
    p256dh: str
    auth: str
    provider: str
    token: str
    label: str
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[EndpointKind, str]] = ..., push_url: _Optional[str] = ..., p256dh: _Optional[str] = ..., auth: _Optional[str] = ..., provider: _Optional[str] = ..., token: _Optional[str] = ..., label: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ElderLink(_message.Message):
    __slots__ = ("elder_id", "community_id", "phone", "elder_name")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ELDER_NAME_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    community_id: str
    phone: str
    elder_name: str
    def __init__(self, elder_id: _Optional[str] = ..., community_id: _Optional[str] = ..., phone: _Optional[str] = ..., elder_name: _Optional[str] = ...) -> None: ...

class RegisterEndpointRequest(_message.Message):
    __slots__ = ("endpoint", "elders")
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    endpoint: Endpoint
    elders: _containers.RepeatedCompositeFieldContainer[ElderLink]
    def __init__(self, endpoint: _Optional[_Union[Endpoint, _Mapping]] = ..., elders: _Optional[_Iterable[_Union[ElderLink, _Mapping]]] = ...) -> None: ...

class RegisterEndpointResponse(_message.Message):
    __slots__ = ("endpoint",)
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    endpoint: Endpoint
    def __init__(self, endpoint: _Optional[_Union[Endpoint, _Mapping]] = ...) -> None: ...

class RemoveEndpointRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class RemoveEndpointResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListMyEndpointsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListMyEndpointsResponse(_message.Message):
    __slots__ = ("endpoints",)
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    endpoints: _containers.RepeatedCompositeFieldContainer[Endpoint]
    def __init__(self, endpoints: _Optional[_Iterable[_Union[Endpoint, _Mapping]]] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ("channel", "target", "status", "attempts", "last_error", "next_attempt_at", "updated_at")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    channel: Channel
    target: str
    status: DeliveryStatus
    attempts: int
    last_error: str
    next_attempt_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, channel: _Optional[_Union[Channel, str]] = ..., target: _Optional[str] = ..., status: _Optional[_Union[DeliveryStatus, str]] = ..., attempts: _Optional[int] = ..., last_error: _Optional[str] = ..., next_attempt_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Notification(_message.Message):
    __slots__ = ("id", "community_id", "event_type", "care_request_id", "elder_id", "urgency", "title", "body", "language", "created_at", "read_at", "deliveries")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CARE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    READ_AT_FIELD_NUMBER: _ClassVar[int]
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    event_type: str
    care_request_id: str
    elder_id: str
    urgency: Urgency
    title: str
    body: str
    language: str
    created_at: _timestamp_pb2.Timestamp
    read_at: _timestamp_pb2.Timestamp
    deliveries: _containers.RepeatedCompositeFieldContainer[Delivery]
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., event_type: _Optional[str] = ..., care_request_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., urgency: _Optional[_Union[Urgency, str]] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., language: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., read_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deliveries: _Optional[_Iterable[_Union[Delivery, _Mapping]]] = ...) -> None: ...

class ListMyNotificationsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "unread_only")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    UNREAD_ONLY_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    unread_only: bool
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., unread_only: _Optional[bool] = ...) -> None: ...

class ListMyNotificationsResponse(_message.Message):
    __slots__ = ("notifications", "next_page_token", "unread_count")
    NOTIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    UNREAD_COUNT_FIELD_NUMBER: _ClassVar[int]
    notifications: _containers.RepeatedCompositeFieldContainer[Notification]
    next_page_token: str
    unread_count: int
    def __init__(self, notifications: _Optional[_Iterable[_Union[Notification, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., unread_count: _Optional[int] = ...) -> None: ...

class MarkNotificationRequest(_message.Message):
    __slots__ = ("id", "read")
    ID_FIELD_NUMBER: _ClassVar[int]
    READ_FIELD_NUMBER: _ClassVar[int]
    id: str
    read: bool
    def __init__(self, id: _Optional[str] = ..., read: _Optional[bool] = ...) -> None: ...

class MarkNotificationResponse(_message.Message):
    __slots__ = ("notification",)
    NOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    notification: Notification
    def __init__(self, notification: _Optional[_Union[Notification, _Mapping]] = ...) -> None: ...

class Preferences(_message.Message):
    __slots__ = ("language", "web_push", "mobile_push", "sms", "phone", "quiet_hours_start", "quiet_hours_end", "on_duty", "max_per_hour", "updated_at")
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    WEB_PUSH_FIELD_NUMBER: _ClassVar[int]
    MOBILE_PUSH_FIELD_NUMBER: _ClassVar[int]
    SMS_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    QUIET_HOURS_START_FIELD_NUMBER: _ClassVar[int]
    QUIET_HOURS_END_FIELD_NUMBER: _ClassVar[int]
    ON_DUTY_FIELD_NUMBER: _ClassVar[int]
    MAX_PER_HOUR_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    language: str
    web_push: bool
    mobile_push: bool
    sms: bool
    phone: str
    quiet_hours_start: str
    quiet_hours_end: str
    on_duty: bool
    max_per_hour: int
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, language: _Optional[str] = ..., web_push: _Optional[bool] = ..., mobile_push: _Optional[bool] = ..., sms: _Optional[bool] = ..., phone: _Optional[str] = ..., quiet_hours_start: _Optional[str] = ..., quiet_hours_end: _Optional[str] = ..., on_duty: _Optional[bool] = ..., max_per_hour: _Optional[int] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetMyPreferencesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetMyPreferencesResponse(_message.Message):
    __slots__ = ("preferences",)
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    preferences: Preferences
    def __init__(self, preferences: _Optional[_Union[Preferences, _Mapping]] = ...) -> None: ...

class UpdateMyPreferencesRequest(_message.Message):
    __slots__ = ("preferences", "update_mask", "elders")
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    preferences: Preferences
    update_mask: _field_mask_pb2.FieldMask
    elders: _containers.RepeatedCompositeFieldContainer[ElderLink]
    def __init__(self, preferences: _Optional[_Union[Preferences, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., elders: _Optional[_Iterable[_Union[ElderLink, _Mapping]]] = ...) -> None: ...

class UpdateMyPreferencesResponse(_message.Message):
    __slots__ = ("preferences",)
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    preferences: Preferences
    def __init__(self, preferences: _Optional[_Union[Preferences, _Mapping]] = ...) -> None: ...

class GetWebPushKeyRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetWebPushKeyResponse(_message.Message):
    __slots__ = ("application_server_key",)
    APPLICATION_SERVER_KEY_FIELD_NUMBER: _ClassVar[int]
    application_server_key: str
    def __init__(self, application_server_key: _Optional[str] = ...) -> None: ...
