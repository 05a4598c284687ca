"""The devices' broker restarts (the stack's own RabbitMQ node, stopped cleanly as an operator's restart
does): terminals reconnect to their persistent sessions, every press made meanwhile (QoS 1) arrives once,
and a downlink reaches a terminal that never subscribed again."""
import json
import tempfile
import time
from pathlib import Path

import grpc
import pika
import pymongo
import pytest

from linli_dev.devstack import DevStack, free_port
from linli.eldercare.v1 import residents_pb2 as pb
from linli.eldercare.v1 import residents_pb2_grpc
from linli_dev.faults.broker import available
from linli.kit.config import SETTINGS, setting
from linli.kit.identity import Caller
from linli_dev.mqtt_device import Terminal
from services.eldercare.domain import mqtt

pytestmark = pytest.mark.skipif(not available(), reason="needs rabbitmq-server installed")

COMMUNITY = "chaos-mqtt"
OPERATOR = Caller("op-chaos", frozenset({"operator"}), frozenset({COMMUNITY})).to_metadata()


@pytest.fixture(scope="module")
def stack():
    work = Path(tempfile.mkdtemp(prefix="linli-mqtt-restart-"))
    env = {name: setting(name) for name in SETTINGS}
    env.update({name: f"127.0.0.1:{free_port()}" for name in SETTINGS if name.endswith("_ADDR")})
    env.update({"MONGO_DB_PREFIX": "chaosmqtt_", "LINLI_LOG_LEVEL": "WARNING"})
    stack = DevStack(env, work / "log")
    try:
        stack.isolate_broker()
        stack.start_device_broker(work / "devices-broker")
        stack.start_mongo(":memory:")
        stack.start_api("eldercare")
        stack.start_devices()
    except BaseException:
        stack.stop()
        raise
    yield stack
    stack.stop()


def register(stack, n: int) -> list[tuple[str, str]]:
    """n elders with a pager each; returns (device id, secret) pairs."""
    with grpc.insecure_channel(stack.env["ELDERCARE_API_ADDR"]) as channel:
        residents = residents_pb2_grpc.ResidentServiceStub(channel)
        devices = []
        for i in range(n):
            residents.RegisterElder(pb.RegisterElderRequest(id=f"elder-{i}", community_id=COMMUNITY,
                                                            details=pb.ElderDetails(name="刘桂兰")), metadata=OPERATOR)
            reply = residents.RegisterDevice(pb.RegisterDeviceRequest(id=f"pager.{i}", elder_id=f"elder-{i}",
                                                                      kind=pb.DEVICE_KIND_PAGER), metadata=OPERATOR)
            devices.append((reply.device.id, reply.secret))
    return devices


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} not within {timeout:.0f}s")


def test_after_a_broker_restart_terminals_reconnect_and_no_press_made_meanwhile_is_lost(stack):
    devices = register(stack, 4)
    terminals = [Terminal(stack.env["ELDERCARE_MQTT_ADDR"], device_id, secret, keepalive=5).connect()
                 for device_id, secret in devices]
    mongo = pymongo.MongoClient(stack.env["MONGO_URI"])
    requests = mongo["chaosmqtt_eldercare"]["care_requests"]
    try:
        wait_for(lambda: all(t.client.subscribe(mqtt.topic(t.device_id, mqtt.DOWNLINK), qos=1)[0] == 0
                             for t in terminals), 10, "subscriptions")
        time.sleep(1)  # the subscriptions' queues declared on the broker
        stack.device_broker.stop()
        wait_for(lambda: not any(t.connected.is_set() for t in terminals), 30, "terminals seeing the broker go")
        # The elders press while the broker is down: each terminal keeps its press until it is acknowledged.
        for i, terminal in enumerate(terminals):
            terminal.press("emergency", press_id=f"while-down-{i}", wait=None)
        stack.device_broker.start()
        wait_for(lambda: all(t.connected.is_set() for t in terminals), 60, "terminals reconnecting")
        wait_for(lambda: requests.count_documents({"device_id": {"$in": [d for d, _ in devices]}}) == len(devices),
                 60, "a care request for every press")
        time.sleep(2)  # anything delivered twice would show now
        raised = list(requests.find({"device_id": {"$in": [d for d, _ in devices]}}))
        assert sorted(r["request_id"] for r in raised) == [f"press:while-down-{i}" for i in range(len(devices))]

        # The persistent session kept the downlink subscription: no terminal subscribed again.
        connection = pika.BlockingConnection(pika.URLParameters(stack.env["ELDERCARE_DEVICE_AMQP_URI"]))
        connection.channel().basic_publish(mqtt.EXCHANGE, mqtt.routing_key("pager.0", mqtt.DOWNLINK),
                                           json.dumps({"v": 1, "type": "en_route"}).encode(),
                                           pika.BasicProperties(delivery_mode=2))
        connection.close()
        assert terminals[0].downlinks.get(timeout=15)["type"] == "en_route"
    finally:
        for terminal in terminals:
            terminal.close()
        mongo.close()
