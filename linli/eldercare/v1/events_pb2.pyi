from linli.eldercare.v1 import eldercare_pb2 as _eldercare_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CareRequestRaised(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestAcknowledged(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestEscalated(_message.Message):
    __slots__ = ("care_request", "level", "reason")
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    level: int
    reason: str
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ..., level: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class CareRequestAssigned(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestAssignmentAccepted(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestAssignmentDeclined(_message.Message):
    __slots__ = ("care_request", "assignee_id", "reason", "timed_out")
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TIMED_OUT_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    assignee_id: str
    reason: str
    timed_out: bool
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ..., assignee_id: _Optional[str] = ..., reason: _Optional[str] = ..., timed_out: _Optional[bool] = ...) -> None: ...

class CareRequestEnRoute(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestOnSite(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestCompleted(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestClosed(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestCancelled(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestRated(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestCallOffered(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestCallAnswered(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestCallEnded(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...

class CareRequestCallGuest(_message.Message):
    __slots__ = ("care_request",)
    CARE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    care_request: _eldercare_pb2.CareRequest
    def __init__(self, care_request: _Optional[_Union[_eldercare_pb2.CareRequest, _Mapping]] = ...) -> None: ...
