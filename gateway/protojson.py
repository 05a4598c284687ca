"""The one mapping between proto messages and the gateway's JSON, driven by the descriptors.

Output: field for field, snake_case; enums as short lower-case names ("part_time": the enum's prefix dropped),
the zero value as null; times (google.protobuf.Timestamp) as RFC 3339 UTC; an unset message as null;
repeated fields as lists. Input: the same shape back into a message (a pydantic model's dump: datetimes for
times). rest_model gives the output's pydantic model, for the OpenAPI document."""
from functools import cache
from typing import Literal

from google.protobuf import message_factory
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel, create_model

TIMESTAMP = Timestamp.DESCRIPTOR.full_name
UNKNOWN = "unknown"  # what an enum number newer than this gateway reads as, where a model allows it
_INTEGERS = {FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT32,
             FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64}
_FLOATS = {FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT}


def _prefix(enum_descriptor) -> str:
    # buf's STANDARD lint prefixes every value with the enum's name, as the zero value shows: CARE_KIND_
    return enum_descriptor.values_by_number[0].name.removesuffix("UNSPECIFIED")


def short_names(enum_descriptor) -> tuple[str, ...]:
    """Every value's short name but the zero value's, in the proto's order."""
    prefix = _prefix(enum_descriptor)
    return tuple(v.name.removeprefix(prefix).lower() for v in enum_descriptor.values if v.number)


def enum_name(enum_descriptor, number: int, unknown: str | None = None) -> str | None:
    """CARE_KIND_EMERGENCY -> "emergency"; the zero value -> None; a number the enum lacks -> unknown."""
    if not number:
        return None
    named = enum_descriptor.values_by_number.get(number)
    return named.name.removeprefix(_prefix(enum_descriptor)).lower() if named is not None else unknown


def enum_number(enum_descriptor, name: str) -> int:
    """"emergency" -> CARE_KIND_EMERGENCY; an unknown or empty name -> 0, for validation to refuse."""
    value = enum_descriptor.values_by_name.get(_prefix(enum_descriptor) + name.upper()) if name else None
    return value.number if value is not None else 0


def _value(field, value, unknown):
    if field.message_type is not None:
        return value.ToJsonString() if field.message_type.full_name == TIMESTAMP else to_json(value, unknown=unknown)
    if field.enum_type is not None:
        return enum_name(field.enum_type, value, unknown)
    return value


def to_json(message, *, unknown: str | None = None) -> dict:
    """A message as the gateway's JSON. unknown: what an enum number this gateway does not know becomes
    (None, or UNKNOWN where the response model lists it)."""
    rest = {}
    for field in message.DESCRIPTOR.fields:
        value = getattr(message, field.name)
        if field.is_repeated:
            rest[field.name] = [_value(field, item, unknown) for item in value]
        elif field.message_type is not None and not message.HasField(field.name):
            rest[field.name] = None
        else:
            rest[field.name] = _value(field, value, unknown)
    return rest


def message_class(descriptor):
    return message_factory.GetMessageClass(descriptor)


def from_json(message_type, data: dict):
    """A message from the gateway's JSON input: enums by short name, times as datetimes; None is unset."""
    message = message_type()
    for name, value in data.items():
        if value is None:
            continue
        field = message.DESCRIPTOR.fields_by_name[name]
        if field.is_repeated:
            target = getattr(message, name)
            for item in value:
                if field.message_type is not None:
                    target.add().CopyFrom(from_json(message_class(field.message_type), item))
                elif field.enum_type is not None:
                    target.append(enum_number(field.enum_type, item))
                else:
                    target.append(item)
        elif field.message_type is not None:
            if field.message_type.full_name == TIMESTAMP:
                getattr(message, name).FromDatetime(value)
            else:
                getattr(message, name).CopyFrom(from_json(message_class(field.message_type), value))
        elif field.enum_type is not None:
            setattr(message, name, enum_number(field.enum_type, value))
        else:
            setattr(message, name, value)
    return message


@cache
def rest_model(descriptor, prefix: str) -> type[BaseModel]:
    """The JSON of a message as a pydantic model named prefix + the message's name (the OpenAPI schema)."""
    fields = {}
    for field in descriptor.fields:
        if field.message_type is not None:
            kind = str if field.message_type.full_name == TIMESTAMP else rest_model(field.message_type, prefix)
        elif field.enum_type is not None:
            kind = Literal[short_names(field.enum_type)]
        elif field.type in _INTEGERS:
            kind = int
        elif field.type in _FLOATS:
            kind = float
        elif field.type == FieldDescriptor.TYPE_BOOL:
            kind = bool
        else:
            kind = str
        if field.is_repeated:
            fields[field.name] = (list[kind], ...)
        elif field.message_type is not None or field.enum_type is not None:
            fields[field.name] = (kind | None, ...)
        else:
            fields[field.name] = (kind, ...)
    return create_model(f"{prefix}{descriptor.name}", **fields)


@cache
def page_model(descriptor, prefix: str) -> type[BaseModel]:
    """A page of them: items and next_page_token (null on the last page)."""
    return create_model(f"{prefix}{descriptor.name}Page", items=(list[rest_model(descriptor, prefix)], ...),
                        next_page_token=(str | None, ...))
