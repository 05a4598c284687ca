"""Call devices over MQTT: their secrets, what they may do on the broker, their payloads and heartbeats in
batches. The rules, with no broker and no database (the broker itself: tests/e2e/test_mqtt_devices.py)."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from linli_dev import devstack
from linli.kit.errors import FailedPrecondition, PermissionDenied
from linli.kit.identity import Caller
from services.eldercare.devices import DeviceAuth
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import mqtt
from services.eldercare.domain import residents as r

NOW = datetime(2026, 12, 7, 23, 0, tzinfo=timezone.utc)
COMMUNITY = "donghuayuan"
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY}))
OTHER_OPERATOR = Caller("op-li", frozenset({"operator"}), frozenset({"another"}))
DEVICE = Caller("pager.0312", frozenset({"device"}), frozenset({COMMUNITY}))
SECRET = "s" * 43
ELDER = r.register(OPERATOR, "elder-dq-0312", COMMUNITY, r.ElderDetails(name="刘桂兰"), NOW)


def device(secret: str = SECRET, device_id: str = "pager.0312") -> r.Device:
    return r.register_device(OPERATOR, ELDER, device_id, "pager", 0, NOW, secret)


# -- secrets ---------------------------------------------------------------------------------------------

def test_a_device_secret_is_kept_hashed_and_only_the_current_one_matches():
    pager = device()
    assert SECRET not in pager.secret_hash and pager.secret_issued_at == NOW
    assert r.secret_matches(pager, SECRET)
    assert not r.secret_matches(pager, "t" * 43)
    rotated = r.rotate_secret(OPERATOR, pager, "n" * 43, NOW + timedelta(days=1))
    assert not r.secret_matches(rotated, SECRET) and r.secret_matches(rotated, "n" * 43)
    assert rotated.secret_issued_at == NOW + timedelta(days=1)


def test_a_revoked_device_matches_no_secret_may_not_operate_and_raises_no_silence_alert():
    revoked = r.revoke(OPERATOR, device(), NOW)
    assert not r.secret_matches(revoked, SECRET)
    assert revoked.silent_after is None and not r.is_silent(revoked, NOW + timedelta(days=30))
    with pytest.raises(PermissionDenied):
        r.check_may_operate(DEVICE, revoked)
    with pytest.raises(PermissionDenied):
        r.press(OPERATOR, revoked, ELDER, "emergency")
    with pytest.raises(FailedPrecondition):
        r.rotate_secret(OPERATOR, revoked, "n" * 43, NOW)
    assert r.revoke(OPERATOR, revoked, NOW + timedelta(hours=1)) is revoked  # twice changes nothing


def test_only_staff_serving_the_community_rotate_or_revoke_a_device():
    for caller in (OTHER_OPERATOR, DEVICE):
        with pytest.raises(PermissionDenied):
            r.rotate_secret(caller, device(), "n" * 43, NOW)
        with pytest.raises(PermissionDenied):
            r.revoke(caller, device(), NOW)


# -- topics and what a device may do on the broker -------------------------------------------------------

def test_topics_and_routing_keys_name_the_whole_device_id_even_with_a_dot_in_it():
    assert mqtt.topic("pager.0312", "press") == "linli/v1/devices/pager.0312/press"
    assert mqtt.parse_routing_key("linli.v1.devices.pager.0312.press") == ("pager.0312", "press")
    assert mqtt.routing_key("pager.0312", "downlink") == "linli.v1.devices.pager.0312.downlink"
    assert mqtt.parse_routing_key("linli.v1.devices.pager-7.heartbeat") == ("pager-7", "heartbeat")
    for key in ("linli.v1.devices.press", "linli.v1.devices.pager-7.reboot", "other.v1.devices.pager-7.press",
                "linli.v1.devices.#.press", "linli.v1.devices.+.press"):
        assert mqtt.parse_routing_key(key) is None, key


def test_a_device_publishes_only_its_own_press_and_heartbeat_and_reads_only_its_own_downlink():
    me = "pager.0312"
    assert mqtt.may_access_topic(me, "amq.topic", "write", "linli.v1.devices.pager.0312.press")
    assert mqtt.may_access_topic(me, "amq.topic", "write", "linli.v1.devices.pager.0312.heartbeat")
    assert mqtt.may_access_topic(me, "amq.topic", "read", "linli.v1.devices.pager.0312.downlink")
    refused = [
        ("write", "linli.v1.devices.pager.0508.press"),  # another device's
        ("write", "linli.v1.devices.pager.0312.downlink"),  # posing as the platform
        ("read", "linli.v1.devices.pager.0312.press"),
        ("read", "linli.v1.devices.#.downlink"), ("read", "linli.v1.devices.*.downlink"), ("read", "#"),
        ("write", "linli.v1.devices.pager.0312.x.press"), ("write", "linli.v1.devices.pager.press"),
        ("write", "linli.v1.devices.pager/0312.press"),
        ("configure", "linli.v1.devices.pager.0312.press"),
    ]
    for permission, key in refused:
        assert not mqtt.may_access_topic(me, "amq.topic", permission, key), (permission, key)
    assert not mqtt.may_access_topic(me, "eldercare.events", "write", "linli.v1.devices.pager.0312.press")


def test_a_device_may_use_only_the_mqtt_exchange_and_its_own_subscription_queues():
    me = "pager-0312"
    assert mqtt.may_access_resource(me, "exchange", "amq.topic", "write")
    assert mqtt.may_access_resource(me, "queue", "mqtt-subscription-pager-0312qos1", "configure")
    assert not mqtt.may_access_resource(me, "exchange", "amq.topic", "configure")
    assert not mqtt.may_access_resource(me, "exchange", "eldercare.events", "write")
    assert not mqtt.may_access_resource(me, "queue", "mqtt-subscription-pager-0508qos1", "read")
    assert not mqtt.may_access_resource(me, "queue", "eldercare.device-presses", "read")


class Devices:
    """The store's one read the auth answers need."""

    def __init__(self, *devices):
        self.devices = {d.id: d for d in devices}

    def get_device(self, device_id):
        return self.devices.get(device_id)


def test_the_broker_is_told_yes_only_for_the_device_with_its_current_secret_and_not_revoked():
    pager, revoked = device(), r.revoke(OPERATOR, device(device_id="pager-lost"), NOW)
    auth = DeviceAuth(Devices(pager, revoked), "/")
    assert auth.decide("/auth/user", {"username": "pager.0312", "password": SECRET})
    assert not auth.decide("/auth/user", {"username": "pager.0312", "password": "t" * 43})
    assert not auth.decide("/auth/user", {"username": "pager.0312", "password": ""})
    assert not auth.decide("/auth/user", {"username": "pager-lost", "password": SECRET})
    assert not auth.decide("/auth/user", {"username": "nobody", "password": SECRET})
    assert auth.decide("/auth/vhost", {"username": "pager.0312", "vhost": "/"})
    assert not auth.decide("/auth/vhost", {"username": "pager.0312", "vhost": "linli-other"})
    topic = {"username": "pager.0312", "vhost": "/", "resource": "topic", "name": "amq.topic",
             "permission": "write", "routing_key": "linli.v1.devices.pager.0312.press"}
    assert auth.decide("/auth/topic", topic)
    assert not auth.decide("/auth/topic", {**topic, "routing_key": "linli.v1.devices.pager-lost.press"})
    assert not auth.decide("/auth/topic", {**topic, "username": "pager-lost",
                                           "routing_key": "linli.v1.devices.pager-lost.press"})


# -- payloads --------------------------------------------------------------------------------------------

def test_a_press_payload_carries_its_press_id_and_asks_for_emergency_help_unless_told_otherwise():
    assert mqtt.parse_press(b'{"v": 1, "press_id": "p-0001"}') == mqtt.Press("p-0001", "emergency")
    assert mqtt.parse_press(b'{"v": 1, "press_id": "p-0002", "kind": "shopping"}').kind == "shopping"


@pytest.mark.parametrize("body, reason", [
    (b"press!", "not JSON"), (b"[1]", "not a JSON object"), (b'{"press_id": "p"}', "v must be 1"),
    (b'{"v": 2, "press_id": "p"}', "v must be 1"), (b'{"v": 1}', "press_id"),
    (b'{"v": 1, "press_id": "a b"}', "press_id"), (b'{"v": 1, "press_id": "p", "kind": "pizza"}', "kind"),
    (b'{"v": 1, "press_id": "p", "pad": "' + b"x" * 2000 + b'"}', "at most 1024"),
])
def test_a_malformed_press_is_refused_with_its_reason(body, reason):
    with pytest.raises(mqtt.Malformed, match=reason):
        mqtt.parse_press(body)


@pytest.mark.parametrize("body", [b'{"v": 1}', b'{"v": 1, "battery_percent": 101}', b'{"v": 1, "battery_percent": "80"}',
                                  b'{"v": 1, "battery_percent": true}', b'{"v": 1, "battery_percent": 80.5}'])
def test_a_heartbeat_must_report_its_battery_as_a_whole_percent(body):
    with pytest.raises(mqtt.Malformed, match="battery_percent"):
        mqtt.parse_heartbeat(body)
    assert mqtt.parse_heartbeat(b'{"v": 1, "battery_percent": 0}') == 0


def test_the_downlink_tells_only_the_device_that_raised_the_call():
    new = care.NewCareRequest(COMMUNITY, ELDER.id, "emergency", "device", care.Location("3号楼"),
                              device_id="pager.0312")
    from services.eldercare.policy import DEFAULT_POLICY
    request = care.raise_request(DEVICE, new, "req-1", NOW, DEFAULT_POLICY)
    device_id, payload = mqtt.downlink(care.CARE_REQUEST_EN_ROUTE, request, "2026-12-07T23:01:00Z")
    assert device_id == "pager.0312"
    assert payload["v"] == 1 and payload["type"] == "en_route" and payload["care_request_id"] == "req-1"
    assert mqtt.downlink(care.CARE_REQUEST_RAISED, request, "") is None
    phoned = replace(request, channel="phone", device_id="")
    assert mqtt.downlink(care.CARE_REQUEST_ACKNOWLEDGED, phoned, "") is None


# -- heartbeats in batches -------------------------------------------------------------------------------

def _ids():
    n = iter(range(1000))
    return lambda: f"alert-{next(n)}"


def test_a_batch_writes_each_devices_latest_heartbeat_once():
    a, b = device(device_id="pager-a"), device(device_id="pager-b")
    reports = [r.HeartbeatReport("pager-a", 90, NOW + timedelta(seconds=2)),
               r.HeartbeatReport("pager-a", 80, NOW + timedelta(seconds=5)),
               r.HeartbeatReport("pager-a", 85, NOW + timedelta(seconds=3)),
               r.HeartbeatReport("pager-b", 70, NOW)]
    batch = r.heartbeat_batch({"pager-a": a, "pager-b": b}, reports, _ids())
    by_device = {u.device_id: u for u in batch.updates}
    assert by_device["pager-a"].battery_percent == 80
    assert by_device["pager-a"].last_heartbeat_at == NOW + timedelta(seconds=5)
    assert by_device["pager-a"].silent_after == NOW + timedelta(seconds=5) + 2 * r.DEFAULT_HEARTBEAT_INTERVAL
    assert by_device["pager-b"].battery_percent == 70 and not batch.alerts and not batch.refused


def test_a_battery_dropping_low_in_a_batch_raises_one_alert_and_a_battery_already_low_none():
    full, low = device(device_id="pager-full"), replace(device(device_id="pager-low"), battery_percent=15)
    batch = r.heartbeat_batch({d.id: d for d in (full, low)},
                              [r.HeartbeatReport("pager-full", 12, NOW), r.HeartbeatReport("pager-low", 10, NOW)],
                              _ids())
    assert [(u.device_id, a.reason, a.battery_percent) for u, a in batch.alerts] == [("pager-full", r.LOW_BATTERY, 12)]
    assert [u.device_id for u in batch.updates] == ["pager-low"]


def test_heartbeats_of_unknown_or_revoked_devices_are_refused_with_their_reason():
    revoked = r.revoke(OPERATOR, device(), NOW)
    batch = r.heartbeat_batch({revoked.id: revoked}, [r.HeartbeatReport(revoked.id, 50, NOW),
                                                      r.HeartbeatReport("ghost", 50, NOW)], _ids())
    assert not batch.updates and [reason for _, reason in batch.refused] == [
        "device pager.0312 is revoked", "device ghost is not registered"]


# -- the broker's configuration --------------------------------------------------------------------------

def test_the_local_devices_broker_runs_productions_configuration_in_either_rabbitmq_version():
    def keys(conf: str) -> dict:
        return dict(line.split(" = ", 1) for line in conf.splitlines() if line)

    v3 = keys(devstack.device_broker_conf("127.0.0.1:1884", "127.0.0.1:50071", (3, 10)))
    v4 = keys(devstack.device_broker_conf("127.0.0.1:1884", "127.0.0.1:50071", (4, 3)))
    assert v4["mqtt.max_session_expiry_interval_seconds"] == "86400"
    assert v3["mqtt.subscription_ttl"] == "86400000"  # the same day, in 3.x's name and unit
    assert "mqtt.max_session_expiry_interval_seconds" not in v3
    for conf in (v3, v4):
        assert conf["auth_backends.1"] == "internal" and conf["auth_backends.2"] == "http"
        assert conf["auth_http.topic_path"] == "http://127.0.0.1:50071/auth/topic"
        assert conf["mqtt.allow_anonymous"] == "false" and conf["mqtt.durable_queue_type"] == "classic"
        assert conf["mqtt.listeners.tcp.default"] == "127.0.0.1:1884"
