import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DocumentType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOCUMENT_TYPE_UNSPECIFIED: _ClassVar[DocumentType]
    DOCUMENT_TYPE_ECG: _ClassVar[DocumentType]
    DOCUMENT_TYPE_LAB: _ClassVar[DocumentType]
    DOCUMENT_TYPE_IMAGING: _ClassVar[DocumentType]
    DOCUMENT_TYPE_DISCHARGE_SUMMARY: _ClassVar[DocumentType]
    DOCUMENT_TYPE_REFERRAL_LETTER: _ClassVar[DocumentType]
    DOCUMENT_TYPE_OTHER: _ClassVar[DocumentType]

class OrganisationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORGANISATION_KIND_UNSPECIFIED: _ClassVar[OrganisationKind]
    ORGANISATION_KIND_CLINIC: _ClassVar[OrganisationKind]
    ORGANISATION_KIND_PARTNER_HOSPITAL: _ClassVar[OrganisationKind]
DOCUMENT_TYPE_UNSPECIFIED: DocumentType
DOCUMENT_TYPE_ECG: DocumentType
DOCUMENT_TYPE_LAB: DocumentType
DOCUMENT_TYPE_IMAGING: DocumentType
DOCUMENT_TYPE_DISCHARGE_SUMMARY: DocumentType
DOCUMENT_TYPE_REFERRAL_LETTER: DocumentType
DOCUMENT_TYPE_OTHER: DocumentType
ORGANISATION_KIND_UNSPECIFIED: OrganisationKind
ORGANISATION_KIND_CLINIC: OrganisationKind
ORGANISATION_KIND_PARTNER_HOSPITAL: OrganisationKind

class DocumentReference(_message.Message):
    __slots__ = ("id", "type", "title", "date", "reference", "content_type", "recorded_by", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: DocumentType
    title: str
    date: str
    reference: str
    content_type: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[_Union[DocumentType, str]] = ..., title: _Optional[str] = ..., date: _Optional[str] = ..., reference: _Optional[str] = ..., content_type: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("id", "title", "content_type", "size_bytes", "url", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    content_type: str
    size_bytes: int
    url: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., url: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Organisation(_message.Message):
    __slots__ = ("id", "name", "kind")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    kind: OrganisationKind
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[OrganisationKind, str]] = ...) -> None: ...
