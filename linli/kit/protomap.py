"""Small mappings between proto messages and plain Python values, shared by apis and the gateway."""
import datetime as dt

from google.protobuf.timestamp_pb2 import Timestamp

from linli.kit.errors import InvalidArgument


def _prefix(enum_type) -> str:
    # buf's STANDARD lint prefixes every value with the enum's name, as the zero value shows: CARE_KIND_
    return enum_type.DESCRIPTOR.values_by_number[0].name.removesuffix("UNSPECIFIED")


def short_names(enum_type) -> dict[int, str]:
    """Every value's short name by number: {6: "emergency", ...}; the zero value is ""."""
    return {value.number: enum_name(enum_type, value.number) for value in enum_type.DESCRIPTOR.values}


def enum_name(enum_type, number: int) -> str:
    """CARE_KIND_EMERGENCY -> "emergency"; the zero value (UNSPECIFIED) -> ""."""
    if number == 0:
        return ""
    return enum_type.Name(number).removeprefix(_prefix(enum_type)).lower()


def known_enum_name(enum_type, number: int) -> str:
    """Like enum_name, but an unknown number is "" too. The gRPC server refuses requests holding unknown numbers
    before any servicer runs (grpc_server._decode), so from an api this only ever sees known ones."""
    return enum_name(enum_type, number) if number in enum_type.values() else ""


def enum_number(enum_type, name: str) -> int:
    """"emergency" -> CARE_KIND_EMERGENCY; unknown or empty -> 0 (UNSPECIFIED), for validation to refuse."""
    try:
        return enum_type.Value(_prefix(enum_type) + name.upper()) if name else 0
    except ValueError:
        return 0


def timestamp(value: dt.datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value.astimezone(dt.timezone.utc))
    return stamp


def datetime_of(stamp: Timestamp, field: str = "") -> dt.datetime:
    """The instant a Timestamp names; InvalidArgument (not a crash) for one outside any calendar, e.g. negative
    nanos or year 10000, which a partner's or a fuzzer's message may well carry."""
    try:
        return stamp.ToDatetime(tzinfo=dt.timezone.utc)
    except (ValueError, OverflowError):
        name = field or "timestamp"
        raise InvalidArgument(f"{name} is not a valid time",
                              {name: "seconds from 0001-01-01 to 9999-12-31, nanos 0 to 999999999"}) from None


def unknown_enum_values(message, path: str = "") -> dict[str, str]:
    """Every enum field in message (nested, repeated and map values too) holding a number its enum does not
    define, by field path ("content.priority", "statuses[1]", "items[0].kind"). proto3 keeps such numbers as
    they came; left alone, each service would read them as "" (unspecified) and quietly ignore them."""
    problems: dict[str, str] = {}
    for field, value in message.ListFields():
        name = path + field.name
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            for key, item in value.items():
                problems.update(_unknown_in(value_field, item, f"{name}[{key!r}]"))
        elif field.is_repeated:
            for index, item in enumerate(value):
                problems.update(_unknown_in(field, item, f"{name}[{index}]"))
        else:
            problems.update(_unknown_in(field, value, name))
    return problems


def _unknown_in(field, value, name: str) -> dict[str, str]:
    if field.enum_type is not None:
        if value in field.enum_type.values_by_number:
            return {}
        known = ", ".join(v.name for v in field.enum_type.values if v.number)
        return {name: f"{value} is not a value of {field.enum_type.name} (one of: {known})"}
    if field.message_type is not None:
        return unknown_enum_values(value, name + ".")
    return {}
