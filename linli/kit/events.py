"""The event envelope (proto/linli/events/v1/envelope.proto), built and read as plain JSON-able dicts."""
import datetime as dt
import uuid

from google.protobuf import json_format
from google.protobuf.message import Message

# How urgent an event is; the relay publishes it before less urgent ones, with this AMQP priority, and
# from URGENT up in the urgent lane, which urgent-first handlers consume ahead of a routine backlog
# (linli/kit/handlers.py).
ROUTINE = 0
URGENT = 5  # e.g. a medical call
EMERGENCY = 9
MAX_PRIORITY = EMERGENCY


def to_json_dict(message: Message) -> dict:
    """Proto3 JSON with the proto field names, as every Linli event and gRPC-to-HTTP mapping uses."""
    return json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


def envelope(
    source: str, event_type: str, community_id: str, data: Message, occurred_at: dt.datetime, version: int = 1,
    priority: int = ROUTINE,
) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": version,
        "occurred_at": occurred_at.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z"),
        "source": source,
        "community_id": community_id,
        "data": to_json_dict(data),
        "priority": priority,
    }


def exchange_name(source: str) -> str:
    """Nameko's event exchange for a service: handlers of @event_handler(source, type) bind here."""
    return f"{source}.events"
