"""A call device speaking MQTT, as a terminal in the field does (docs/devices.md): the simulator, the demo,
the bench and the tests use it. paho-mqtt, MQTT 3.1.1, one network thread per terminal.

    terminal = Terminal("127.0.0.1:1884", "pager-0312", secret).connect()
    terminal.press("emergency")            # QoS 1, waits for the broker's PUBACK
    terminal.heartbeat(87)                 # QoS 0
    terminal.downlinks.get(timeout=10)     # {"v": 1, "type": "en_route", ...}
"""
import json
import queue
import threading
import uuid

import paho.mqtt.client as paho

from services.eldercare.domain import mqtt


class Refused(RuntimeError):
    """The broker refused the connection (wrong secret, revoked or unknown device)."""


class Terminal:
    def __init__(self, address: str, device_id: str, secret: str, persistent: bool = True, keepalive: int = 30):
        self.device_id = device_id
        self.host, port = address.rsplit(":", 1)
        self.port = int(port)
        self.keepalive = keepalive
        # The client id is the device id (the broker allows a device only its own session and queues); a
        # persistent session keeps its downlink subscription and unacknowledged presses across reconnects.
        self.client = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id=device_id,
                                  clean_session=not persistent)
        self.client.username_pw_set(device_id, secret)
        self.client.reconnect_delay_set(0.5, 4)
        self.client.max_queued_messages_set(0)  # presses made while offline wait for the connection: no limit
        self.downlinks: queue.Queue = queue.Queue()
        self.connected = threading.Event()
        self.answered = threading.Event()
        self.reason: paho.ReasonCode | None = None
        self.disconnects = 0
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    def _on_connect(self, client, userdata, flags, reason, properties):
        self.reason = reason
        if not reason.is_failure:
            self.connected.set()
        self.answered.set()

    def _on_disconnect(self, client, userdata, flags, reason, properties):
        self.connected.clear()
        self.disconnects += 1

    def _on_message(self, client, userdata, message):
        try:
            self.downlinks.put(json.loads(message.payload))
        except ValueError:
            self.downlinks.put({"unreadable": message.payload})

    def connect(self, timeout: float = 15, subscribe: bool = True) -> "Terminal":
        """Connect (raises Refused when the broker says no); subscribe to the downlink unless the session
        already has it."""
        self.client.connect(self.host, self.port, keepalive=self.keepalive)
        self.client.loop_start()
        if not self.answered.wait(timeout):
            self.close()
            raise TimeoutError(f"no CONNACK from {self.host}:{self.port} in {timeout:.0f}s")
        if self.reason.is_failure:
            self.close()
            raise Refused(str(self.reason))
        if subscribe:
            self.client.subscribe(mqtt.topic(self.device_id, mqtt.DOWNLINK), qos=1)
        return self

    def press(self, kind: str = "emergency", press_id: str | None = None, wait: float | None = 10):
        """QoS 1; with wait, until the broker acknowledged it (it is then the platform's)."""
        payload = {"v": mqtt.VERSION, "press_id": press_id or uuid.uuid4().hex[:24], "kind": kind}
        info = self.publish(mqtt.PRESS, json.dumps(payload).encode(), qos=1)
        if wait:
            info.wait_for_publish(wait)
        return info

    def heartbeat(self, battery_percent: int):
        return self.publish(mqtt.HEARTBEAT, json.dumps({"v": mqtt.VERSION, "battery_percent": battery_percent}).encode(),
                            qos=0)

    def publish(self, leaf: str, payload: bytes, qos: int, device_id: str | None = None):
        """Any payload on any device's topic (the tests use it to try what a device may not)."""
        return self.client.publish(mqtt.topic(device_id or self.device_id, leaf), payload, qos=qos)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
