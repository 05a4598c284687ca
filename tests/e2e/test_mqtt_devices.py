"""Call devices over MQTT, through the whole platform: a terminal connects to RabbitMQ's MQTT plugin (the
stack's devices' broker, configured as production's), the broker asks the devices' door who it is, and its
press reaches the board; heartbeats are written in batches; what the platform cannot take goes to the dead
letters with its reason. (The rules alone: tests/unit/test_eldercare_mqtt_devices.py; a broker restart:
tests/chaos/test_mqtt_broker_restart.py.)"""
import json
import time

import httpx
import pika
import pytest

from linli.kit.letters import ERROR
from linli_dev.mqtt_device import Refused, Terminal
from services.eldercare.devices import HEARTBEAT_QUEUE, PRESS_QUEUE
from services.eldercare.domain import mqtt
from tests.e2e.arrange import elder_with_pager, ok
from tests.e2e.conftest import COMMUNITY, SseReader


@pytest.fixture(scope="module")
def mqtt_addr(stack):
    return stack.env["ELDERCARE_MQTT_ADDR"]


@pytest.fixture(scope="module")
def device_broker(stack):
    """An AMQP channel on the devices' broker, as Linli's own processes reach it (an internal user)."""
    connection = pika.BlockingConnection(pika.URLParameters(stack.env["ELDERCARE_DEVICE_AMQP_URI"]))
    yield connection.channel()
    connection.close()


def pager(gateway_url, operator_headers) -> tuple[str, str, str]:
    """An elder with a pager, registered through the gateway. Returns (elder id, device id, its secret)."""
    elder_id, device_id = elder_with_pager(gateway_url, operator_headers, "东区 3号楼")
    # elder_with_pager registered the pager; the secret shown then was not kept: a new one, as an operator would.
    rotated = ok(httpx.post(f"{gateway_url}/v1/devices/{device_id}/rotate-secret", headers=operator_headers, timeout=5))
    assert rotated["secret_issued_at"] and rotated["revoked_at"] is None
    return elder_id, device_id, rotated["secret"]


def requests_of(gateway_url, operator_headers, elder_id: str) -> list[dict]:
    page = ok(httpx.get(f"{gateway_url}/v1/care-requests", params={"community_id": COMMUNITY, "page_size": 200},
                        headers=operator_headers, timeout=5))
    return [r for r in page["items"] if r["elder_id"] == elder_id]


def wait_for(check, timeout: float = 15.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not met within {timeout:.0f}s")


def dead_letters(channel, queue: str) -> int:
    return channel.queue_declare(queue + ".dead", passive=True).method.message_count


def test_registration_shows_the_device_its_secret_once(gateway_url, operator_headers):
    elder_id, device_id = elder_with_pager(gateway_url, operator_headers, "东区 5号楼")
    second = httpx.post(f"{gateway_url}/v1/devices", headers=operator_headers, timeout=5,
                        json={"id": device_id + "-b", "elder_id": elder_id, "kind": "pager"})
    registered = ok(second, 201)
    assert len(registered["secret"]) >= 32 and registered["secret_issued_at"]
    assert "secret" not in ok(httpx.post(f"{gateway_url}/v1/devices/{device_id}-b/revoke", headers=operator_headers,
                                         timeout=5))


def test_a_press_over_mqtt_reaches_the_board_once_and_the_terminal_hears_it_was_answered(
        gateway_url, operator_headers, mqtt_addr):
    elder_id, device_id, secret = pager(gateway_url, operator_headers)
    board = SseReader(f"{gateway_url}/v1/board/stream", operator_headers)
    terminal = Terminal(mqtt_addr, device_id, secret).connect()
    try:
        terminal.press("emergency", press_id="press-0001")
        raised = board.next_matching(lambda f: f["event"] == "care_request.raised"
                                     and f["data"]["care_request"]["device_id"] == device_id, timeout=15)
        request = raised["data"]["care_request"]
        assert request["elder_id"] == elder_id and request["channel"] == "device" and request["kind"] == "emergency"
        # QoS 1 is at least once: the same press delivered again raises nothing new.
        terminal.press("emergency", press_id="press-0001")
        ok(httpx.post(f"{gateway_url}/v1/care-requests/{request['id']}/acknowledge", headers=operator_headers,
                      timeout=5))
        told = terminal.downlinks.get(timeout=15)
        assert told["v"] == 1 and told["type"] == "acknowledged" and told["care_request_id"] == request["id"]
        assert [r["id"] for r in requests_of(gateway_url, operator_headers, elder_id)] == [request["id"]]
    finally:
        terminal.close()
        board.close()


def test_a_wrong_secret_an_old_secret_and_a_revoked_device_cannot_connect(gateway_url, operator_headers, mqtt_addr):
    _, device_id, secret = pager(gateway_url, operator_headers)
    with pytest.raises(Refused, match="user name or password|Not authorized"):
        Terminal(mqtt_addr, device_id, "x" * 43).connect()
    with pytest.raises(Refused):
        Terminal(mqtt_addr, "no-such-device", secret).connect()
    newer = ok(httpx.post(f"{gateway_url}/v1/devices/{device_id}/rotate-secret", headers=operator_headers,
                          timeout=5))["secret"]
    with pytest.raises(Refused):
        Terminal(mqtt_addr, device_id, secret).connect()
    Terminal(mqtt_addr, device_id, newer).connect().close()
    ok(httpx.post(f"{gateway_url}/v1/devices/{device_id}/revoke", headers=operator_headers, timeout=5))
    with pytest.raises(Refused):
        Terminal(mqtt_addr, device_id, newer).connect()


def test_a_device_cannot_press_or_report_as_another_device(gateway_url, operator_headers, mqtt_addr, device_broker):
    _, device_id, secret = pager(gateway_url, operator_headers)
    victim_elder, victim, _ = pager(gateway_url, operator_headers)
    before = dead_letters(device_broker, PRESS_QUEUE)
    intruder = Terminal(mqtt_addr, device_id, secret).connect(subscribe=False)
    try:
        intruder.publish(mqtt.PRESS, json.dumps({"v": 1, "press_id": "forged"}).encode(), qos=1, device_id=victim)
        # RabbitMQ closes the connection of a client that publishes where it may not.
        wait_for(lambda: intruder.disconnects > 0, what="the broker closing the intruder's connection")
    finally:
        intruder.close()
    # Nor may it read another device's downlink, under its own client id or the victim's.
    with pytest.raises(Refused):
        Terminal(mqtt_addr, victim, secret).connect()
    eavesdropper = Terminal(mqtt_addr, device_id, secret).connect(subscribe=False)
    try:
        eavesdropper.client.subscribe(mqtt.topic(victim, mqtt.DOWNLINK), qos=1)
        wait_for(lambda: eavesdropper.disconnects > 0, what="the broker refusing the subscription")
    finally:
        eavesdropper.close()
    time.sleep(1)  # what would have been delivered, if the broker had let it through
    assert requests_of(gateway_url, operator_headers, victim_elder) == []
    assert dead_letters(device_broker, PRESS_QUEUE) == before  # refused at the door, never in the platform


def test_a_malformed_message_goes_to_the_dead_letters_with_its_reason_and_is_counted(
        gateway_url, operator_headers, mqtt_addr, device_broker):
    _, device_id, secret = pager(gateway_url, operator_headers)
    presses, heartbeats = dead_letters(device_broker, PRESS_QUEUE), dead_letters(device_broker, HEARTBEAT_QUEUE)
    terminal = Terminal(mqtt_addr, device_id, secret).connect()
    try:
        terminal.publish(mqtt.PRESS, b"HELP!", qos=1).wait_for_publish(10)
        terminal.publish(mqtt.HEARTBEAT, json.dumps({"v": 1, "battery_percent": 250}).encode(), qos=0)
        wait_for(lambda: dead_letters(device_broker, PRESS_QUEUE) == presses + 1, what="the press's dead letter")
        wait_for(lambda: dead_letters(device_broker, HEARTBEAT_QUEUE) == heartbeats + 1,
                 what="the heartbeat's dead letter")
    finally:
        terminal.close()
    reasons = {}
    for queue in (PRESS_QUEUE, HEARTBEAT_QUEUE):
        for _ in range(dead_letters(device_broker, queue)):  # read them all, put them all back
            method, properties, body = device_broker.basic_get(queue + ".dead")
            if mqtt.parse_routing_key(properties.headers["x-linli-origin"].split()[1])[0] == device_id:
                reasons[queue] = properties.headers[ERROR]
        device_broker.basic_recover(requeue=True)
    assert reasons[PRESS_QUEUE].startswith("not JSON")
    assert "battery_percent" in reasons[HEARTBEAT_QUEUE]


def test_heartbeats_over_mqtt_keep_the_device_alive_and_a_low_battery_raises_one_alert(
        gateway_url, operator_headers, mqtt_addr):
    _, device_id, secret = pager(gateway_url, operator_headers)
    terminal = Terminal(mqtt_addr, device_id, secret).connect()

    def alerts():
        page = ok(httpx.get(f"{gateway_url}/v1/devices/maintenance-alerts", params={"community_id": COMMUNITY,
                            "page_size": 200}, headers=operator_headers, timeout=5))
        return [a for a in page["items"] if a["device_id"] == device_id]

    try:
        terminal.heartbeat(90)
        terminal.heartbeat(15)
        terminal.heartbeat(12)
        found = wait_for(alerts, what="the low-battery alert")
        time.sleep(2)  # a later batch with the battery still low raises no second alert
        terminal.heartbeat(11)
        time.sleep(2)
    finally:
        terminal.close()
    assert [(a["reason"], a["last_heartbeat_at"] is not None) for a in alerts()] == [("low_battery", True)]
    assert found[0]["battery_percent"] in (15, 12)


def test_a_press_queued_behind_ten_thousand_heartbeats_is_handled_within_a_second(
        gateway_url, operator_headers, mqtt_addr, device_broker):
    _, device_id, secret = pager(gateway_url, operator_headers)
    terminal = Terminal(mqtt_addr, device_id, secret).connect()
    board = SseReader(f"{gateway_url}/v1/board/stream", operator_headers)
    try:
        body = json.dumps({"v": 1, "battery_percent": 80}).encode()
        key = mqtt.routing_key(device_id, mqtt.HEARTBEAT)
        # Straight onto the exchange the MQTT plugin publishes to, in one AMQP transaction: the 10,000 reach
        # the queue together at the commit, so the backlog is there at once however fast the writer drains.
        publisher = device_broker.connection.channel()
        publisher.tx_select()
        for _ in range(10_000):
            publisher.basic_publish(mqtt.EXCHANGE, key, body)
        publisher.tx_commit()
        publisher.close()
        backlog = device_broker.queue_declare(HEARTBEAT_QUEUE, passive=True).method.message_count
        started = time.monotonic()
        terminal.press("emergency")
        board.next_matching(lambda f: f["event"] == "care_request.raised"
                            and f["data"]["care_request"]["device_id"] == device_id, timeout=10)
        handled_in = time.monotonic() - started
    finally:
        terminal.close()
        board.close()
    # The batch writer drains thousands a second meanwhile; what matters is that a backlog still waited.
    print(f"press handled in {handled_in:.3f}s with {backlog} heartbeats still queued")
    assert backlog > 1_000, f"only {backlog} heartbeats were waiting: the press was not behind a backlog"
    assert handled_in < 1.0, f"the press took {handled_in:.2f}s from the device to the board"
