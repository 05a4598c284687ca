"""Call devices over MQTT: the topic tree, the payloads (JSON, versioned) and what a device may do on the
broker. Pure: no I/O. docs/devices.md is the reference for device makers.

    linli/v1/devices/{device_id}/press       device → platform  QoS 1  {"v": 1, "press_id": "...", "kind": "emergency"}
    linli/v1/devices/{device_id}/heartbeat   device → platform  QoS 0  {"v": 1, "battery_percent": 87}
    linli/v1/devices/{device_id}/downlink    platform → device  QoS 1  {"v": 1, "type": "en_route", ...}

A device connects with user name = client id = its device id and its secret as password. RabbitMQ's MQTT
plugin turns a topic into an AMQP routing key on amq.topic by replacing "/" with "." (and "+" with "*"),
in 3.10 and 4.x alike (rabbit_mqtt_util:to_amqp); a "." in a device id stays, so the id may span several
routing-key words (linli/v1/devices/pager.7/press → linli.v1.devices.pager.7.press).
"""
import json
from dataclasses import dataclass

from services.eldercare.domain import care_requests as care

VERSION = 1
ROOT = ("linli", "v1", "devices")
PRESS, HEARTBEAT, DOWNLINK = "press", "heartbeat", "downlink"
EXCHANGE = "amq.topic"  # the MQTT plugin's exchange (mqtt.exchange), the same in RabbitMQ 3.10 and 4.x
MAX_PAYLOAD_BYTES = 1024
PRESS_KINDS = ("emergency",) + tuple(k for k in care.KINDS if k != "emergency")

# What a device may publish (write) and subscribe to (read) under its own id: nothing else, ever.
DEVICE_WRITES = (PRESS, HEARTBEAT)
DEVICE_READS = (DOWNLINK,)


class Malformed(ValueError):
    """A message the platform cannot read; it goes to the dead letters with this reason."""


def topic(device_id: str, leaf: str) -> str:
    """The MQTT topic a device uses."""
    return "/".join((*ROOT, device_id, leaf))


def routing_key(device_id: str, leaf: str) -> str:
    """The topic as RabbitMQ routes it (AMQP routing key on amq.topic)."""
    return ".".join((*ROOT, device_id, leaf))


def binding_key(leaf: str) -> str:
    """Every device's messages of one kind (what the platform's queues bind to). "#", not "*": a device
    id with a "." is two routing-key words."""
    return ".".join((*ROOT, "#", leaf))


_PREFIX = ".".join(ROOT) + "."
LEAVES = (PRESS, HEARTBEAT, DOWNLINK)


def parse_routing_key(key: str) -> tuple[str, str] | None:
    """(device id, leaf) of a routing key under the device tree; None for anything else. The id is all
    that lies between the tree's root and the leaf, so it is compared whole (pager.7 is not pager)."""
    if not key.startswith(_PREFIX):
        return None
    device_id, _, leaf = key[len(_PREFIX):].rpartition(".")
    if leaf not in LEAVES or not care.ID_PATTERN.match(device_id):
        return None
    return device_id, leaf


# -- what a device may do on the broker (RabbitMQ's HTTP auth backend asks services/eldercare/devices.py)

def may_use_vhost(vhost: str, device_vhost: str) -> bool:
    return vhost == device_vhost


def subscription_queues(device_id: str) -> tuple[str, ...]:
    """The queues the MQTT plugin declares for a client id's subscriptions (QoS 0 and QoS 1), in RabbitMQ
    3.10 and 4.x alike; a device's client id must be its id, so these are its own and nobody else's."""
    return (f"mqtt-subscription-{device_id}qos0", f"mqtt-subscription-{device_id}qos1")


def may_access_resource(device_id: str, resource: str, name: str, permission: str) -> bool:
    """Publishing needs write on amq.topic; subscribing needs read on amq.topic (to bind) and configure,
    write and read on the device's own subscription queues. Every other exchange and queue is refused."""
    if resource == "exchange":
        return name == EXCHANGE and permission in ("write", "read")
    if resource == "queue":
        return name in subscription_queues(device_id) and permission in ("configure", "write", "read")
    return False


def may_access_topic(device_id: str, name: str, permission: str, key: str) -> bool:
    """Topic authorisation: a device publishes only to its own press and heartbeat topics and subscribes
    only to its own downlink."""
    if name != EXCHANGE:
        return False
    parsed = parse_routing_key(key)
    if parsed is None or parsed[0] != device_id:
        return False
    allowed = DEVICE_WRITES if permission == "write" else DEVICE_READS if permission == "read" else ()
    return parsed[1] in allowed


# -- payloads ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Press:
    press_id: str  # the device's id for this press: a press delivered twice raises one care request
    kind: str


def _json(body: bytes) -> dict:
    if len(body) > MAX_PAYLOAD_BYTES:
        raise Malformed(f"payload of {len(body)} bytes; at most {MAX_PAYLOAD_BYTES}")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise Malformed(f"not JSON: {error}") from None
    if not isinstance(payload, dict):
        raise Malformed("not a JSON object")
    if payload.get("v") != VERSION:
        raise Malformed(f"v must be {VERSION}, got {payload.get('v')!r}")
    return payload


def parse_press(body: bytes) -> Press:
    payload = _json(body)
    press_id = payload.get("press_id")
    if not isinstance(press_id, str) or not care.ID_PATTERN.match(press_id) or len(press_id) > 48:
        raise Malformed("press_id must be 1 to 48 letters, digits or . _ : -")
    kind = payload.get("kind", "emergency")
    if kind not in PRESS_KINDS:
        raise Malformed(f"kind must be one of {', '.join(PRESS_KINDS)}")
    return Press(press_id, kind)


def parse_heartbeat(body: bytes) -> int:
    """The battery percent a heartbeat reports."""
    battery = _json(body).get("battery_percent")
    if isinstance(battery, bool) or not isinstance(battery, int) or not 0 <= battery <= 100:
        raise Malformed("battery_percent must be an integer from 0 to 100")
    return battery


# -- the downlink: what the terminal shows the elder ----------------------------------------------------

# Care request event → what the terminal is told. Only requests a device raised are told to it.
DOWNLINK_EVENTS = {
    care.CARE_REQUEST_ACKNOWLEDGED: ("acknowledged", "呼叫已收到，正在安排"),  # the call was answered
    care.CARE_REQUEST_ASSIGNED: ("assigned", "已安排人员"),
    care.CARE_REQUEST_EN_ROUTE: ("en_route", "人员正在赶来"),  # help is coming
    care.CARE_REQUEST_ON_SITE: ("on_site", "人员已到达"),
    care.CARE_REQUEST_COMPLETED: ("completed", "服务已完成"),
    care.CARE_REQUEST_CANCELLED: ("cancelled", "呼叫已取消"),
}


def downlink(event_type: str, request: care.CareRequest, occurred_at: str) -> tuple[str, dict] | None:
    """(device id, payload) telling the device that raised this request what happened; None when the
    event is not for a device."""
    if event_type not in DOWNLINK_EVENTS or request.channel != "device" or not request.device_id:
        return None
    kind, text = DOWNLINK_EVENTS[event_type]
    return request.device_id, {"v": VERSION, "type": kind, "care_request_id": request.id,
                               "status": request.status, "text": text, "at": occurred_at}
