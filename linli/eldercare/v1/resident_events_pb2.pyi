from linli.eldercare.v1 import residents_pb2 as _residents_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeviceMaintenanceNeeded(_message.Message):
    __slots__ = ("alert",)
    ALERT_FIELD_NUMBER: _ClassVar[int]
    alert: _residents_pb2.MaintenanceAlert
    def __init__(self, alert: _Optional[_Union[_residents_pb2.MaintenanceAlert, _Mapping]] = ...) -> None: ...

class DeviceMaintenanceResolved(_message.Message):
    __slots__ = ("alert",)
    ALERT_FIELD_NUMBER: _ClassVar[int]
    alert: _residents_pb2.MaintenanceAlert
    def __init__(self, alert: _Optional[_Union[_residents_pb2.MaintenanceAlert, _Mapping]] = ...) -> None: ...
