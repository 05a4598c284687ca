from linli.volunteer.v1 import volunteer_pb2 as _volunteer_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class HoursEntryRecorded(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: _volunteer_pb2.HoursEntry
    def __init__(self, entry: _Optional[_Union[_volunteer_pb2.HoursEntry, _Mapping]] = ...) -> None: ...

class HoursEntryVerified(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: _volunteer_pb2.HoursEntry
    def __init__(self, entry: _Optional[_Union[_volunteer_pb2.HoursEntry, _Mapping]] = ...) -> None: ...

class HoursEntryRejected(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: _volunteer_pb2.HoursEntry
    def __init__(self, entry: _Optional[_Union[_volunteer_pb2.HoursEntry, _Mapping]] = ...) -> None: ...

class HoursEntryReversed(_message.Message):
    __slots__ = ("reversed", "reversal", "corrected")
    REVERSED_FIELD_NUMBER: _ClassVar[int]
    REVERSAL_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_FIELD_NUMBER: _ClassVar[int]
    reversed: _volunteer_pb2.HoursEntry
    reversal: _volunteer_pb2.HoursEntry
    corrected: _volunteer_pb2.HoursEntry
    def __init__(self, reversed: _Optional[_Union[_volunteer_pb2.HoursEntry, _Mapping]] = ..., reversal: _Optional[_Union[_volunteer_pb2.HoursEntry, _Mapping]] = ..., corrected: _Optional[_Union[_volunteer_pb2.HoursEntry, _Mapping]] = ...) -> None: ...

class CertificateIssued(_message.Message):
    __slots__ = ("certificate",)
    CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    certificate: _volunteer_pb2.Certificate
    def __init__(self, certificate: _Optional[_Union[_volunteer_pb2.Certificate, _Mapping]] = ...) -> None: ...

class AttendanceSignedUp(_message.Message):
    __slots__ = ("attendance", "shift_title", "activity_title", "place_name")
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    SHIFT_TITLE_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_TITLE_FIELD_NUMBER: _ClassVar[int]
    PLACE_NAME_FIELD_NUMBER: _ClassVar[int]
    attendance: _volunteer_pb2.Attendance
    shift_title: str
    activity_title: str
    place_name: str
    def __init__(self, attendance: _Optional[_Union[_volunteer_pb2.Attendance, _Mapping]] = ..., shift_title: _Optional[str] = ..., activity_title: _Optional[str] = ..., place_name: _Optional[str] = ...) -> None: ...

class AttendanceWithdrawn(_message.Message):
    __slots__ = ("attendance",)
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    attendance: _volunteer_pb2.Attendance
    def __init__(self, attendance: _Optional[_Union[_volunteer_pb2.Attendance, _Mapping]] = ...) -> None: ...
