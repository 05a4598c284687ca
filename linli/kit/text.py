"""Text fields carry no control characters except line breaks (LF, or CR LF as Windows systems write them)
and tab.

A NUL, an escape sequence or a lone carriage return in a name, a description or an id is never what a
person meant: it breaks logs, terminals, exports and every system the text is passed on to. Every api refuses
them for every string field of every request (linli/kit/grpc_server.py), and the gateway refuses them in
every body, query and path (gateway/limits.py), both through these two functions.
"""
import re

from google.protobuf.descriptor import FieldDescriptor

# C0 controls except tab (U+0009), line feed (U+000A) and a carriage return that ends a line (CR LF, as a
# partner hospital's Windows system writes text), DEL, and the C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
RULE = "no control characters (line breaks and tab are allowed)"


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def fields_with_control_characters(message, prefix: str = "") -> list[str]:
    """The dotted names of the string fields of a protobuf message (nested messages, repeated fields and
    maps included) whose text has a control character."""
    found = []
    for field, value in message.ListFields():
        name = prefix + field.name
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            for key, item in value.items():
                if isinstance(key, str) and has_control_characters(key):
                    found.append(f"{name}.{key!r}")
                elif value_field.type == FieldDescriptor.TYPE_STRING and has_control_characters(item):
                    found.append(f"{name}.{key}")
                elif value_field.type == FieldDescriptor.TYPE_MESSAGE:
                    found += fields_with_control_characters(item, f"{name}.{key}.")
        elif field.is_repeated:
            for i, item in enumerate(value):
                if field.type == FieldDescriptor.TYPE_STRING and has_control_characters(item):
                    found.append(f"{name}.{i}")
                elif field.type == FieldDescriptor.TYPE_MESSAGE:
                    found += fields_with_control_characters(item, f"{name}.{i}.")
        elif field.type == FieldDescriptor.TYPE_STRING and has_control_characters(value):
            found.append(name)
        elif field.type == FieldDescriptor.TYPE_MESSAGE:
            found += fields_with_control_characters(value, f"{name}.")
    return found


def json_fields_with_control_characters(value, prefix: str = "") -> list[str]:
    """The dotted paths of the strings (and object keys) in a parsed JSON value that have a control
    character."""
    if isinstance(value, str):
        return [prefix or "body"] if has_control_characters(value) else []
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found += [path] if has_control_characters(str(key)) else json_fields_with_control_characters(item, path)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += json_fields_with_control_characters(item, f"{prefix}.{i}" if prefix else str(i))
    return found
