"""The devices' door: call devices that speak MQTT to RabbitMQ's MQTT plugin reach the platform here.

Run: python -m services.eldercare.devices   (process "eldercare-devices"; pika, not Nameko)

Four parts, each on its own thread and broker connection, so none waits behind another:

- **auth**: RabbitMQ's HTTP auth backend asks here whether a device may connect (its id and current secret,
  not revoked), use the vhost, an exchange or queue, or a topic (only its own: domain/mqtt.py). Plain HTTP
  on ELDERCARE_DEVICE_AUTH_ADDR, reachable by the broker only (deploy/k8s NetworkPolicy).
- **presses** (the urgent lane): queue `eldercare.device-presses`, which carries nothing but presses, so a
  press never waits behind heartbeats. Each press goes to the eldercare api's PressDevice as the device
  itself: the same path as a press over HTTP (care request, board, escalation). Acknowledged after the api
  answered; a press delivered twice (QoS 1 is at least once) raises one request (its press_id).
- **heartbeats**: queue `eldercare.device-heartbeats`, consumed in batches (ELDERCARE_HEARTBEAT_BATCH_SIZE
  messages or ELDERCARE_HEARTBEAT_BATCH_SECONDS, whichever comes first), written with one bulk_write per
  batch, acknowledged only after the write; what the rules need of each device is kept a while
  (ELDERCARE_DEVICE_CACHE_SECONDS, DeviceRulesCache) so the batch's hot path is that one write. A low
  battery raises its maintenance alert as over HTTP.
- **downlink**: care request events of requests a device raised are told to that device on
  linli/v1/devices/{id}/downlink (answered, someone assigned, on the way, ...).

A message the platform cannot take (malformed, an unknown or revoked device) goes to the queue's dead
letters (`<queue>.dead`, with the reason in x-linli-error; `linli dead-letters list` counts them) before
it is acknowledged: nothing is dropped silently.
"""
import datetime as dt
import json
import logging
import signal
import threading
import time
import uuid
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

import grpc
import pika
import pymongo

from linli.eldercare.v1 import eldercare_pb2, residents_pb2, residents_pb2_grpc
from linli.kit import metrics, telemetry
from linli.kit.config import database_name, number, setting
from linli.kit.events import exchange_name
from linli.kit.grpc_client import insecure_channel
from linli.kit.identity import Caller
from linli.kit.letters import DEAD_SUFFIX, ERROR, FAILED_AT, ORIGIN, QUEUE
from linli.kit.mongo import connect
from linli.kit.protomap import enum_number
from services.eldercare import events
from services.eldercare.domain import mqtt, residents
from services.eldercare.store.residents import ResidentStore

log = logging.getLogger("eldercare.devices")

PRESS_QUEUE = "eldercare.device-presses"
HEARTBEAT_QUEUE = "eldercare.device-heartbeats"
DOWNLINK_QUEUE = "eldercare.device-downlink"
# gRPC codes that say the press itself is refused (it would be refused again): dead letter, not retry.
REFUSED_CODES = (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED,
                 grpc.StatusCode.FAILED_PRECONDITION)
RETRY_PAUSE_SECONDS = 1.0


def device_amqp_uri() -> str:
    return setting("ELDERCARE_DEVICE_AMQP_URI") or setting("AMQP_URI")


def device_vhost(uri: str) -> str:
    path = urlparse(uri).path
    return unquote(path[1:]) if path not in ("", "/") else "/"


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# -- auth: RabbitMQ's HTTP auth backend ------------------------------------------------------------------

class DeviceAuth:
    """The decisions behind the four paths the HTTP auth backend calls (auth_http.*_path)."""

    def __init__(self, store: ResidentStore, vhost: str):
        self.store = store
        self.vhost = vhost

    def _device(self, username: str) -> residents.Device | None:
        device = self.store.get_device(username) if residents.care.ID_PATTERN.match(username) else None
        return device if device is not None and device.revoked_at is None else None

    def decide(self, path: str, form: dict[str, str]) -> bool:
        username = form.get("username", "")
        if path == "/auth/user":
            device = self._device(username)
            return device is not None and residents.secret_matches(device, form.get("password", ""))
        if self._device(username) is None:  # revoked since it connected: nothing more
            return False
        if path == "/auth/vhost":
            return mqtt.may_use_vhost(form.get("vhost", ""), self.vhost)
        if form.get("vhost") != self.vhost:
            return False
        if path == "/auth/resource":
            return mqtt.may_access_resource(username, form.get("resource", ""), form.get("name", ""),
                                            form.get("permission", ""))
        if path == "/auth/topic":
            return mqtt.may_access_topic(username, form.get("name", ""), form.get("permission", ""),
                                         form.get("routing_key", ""))
        return False


def auth_server(auth: DeviceAuth, address: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = min(int(self.headers.get("Content-Length") or 0), 8192)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode(errors="replace")).items()}
            try:
                allowed = auth.decide(self.path, form)
            except Exception:  # the database is away: refuse, and the device retries later
                log.exception("auth %s for %s failed; refused", self.path, form.get("username"))
                allowed = False
            if not allowed:
                log.info("auth refused: %s %s", self.path,
                         {k: v for k, v in form.items() if k != "password"})
            body = b"allow" if allowed else b"deny"
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError as error:  # the broker gave up waiting (auth_http.request_timeout): it refuses
                log.warning("auth %s for %s answered too late: %s", self.path, form.get("username"), error)

        def do_GET(self):  # readiness
            self.send_response(200 if self.path == "/healthz" else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # decisions are logged above; no access log per check
            pass

    host, port = address.rsplit(":", 1)
    server = ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    return server


# -- the broker side -------------------------------------------------------------------------------------

def open_channel(uri: str, name: str) -> tuple[pika.BlockingConnection, "pika.adapters.blocking_connection.BlockingChannel"]:
    params = pika.URLParameters(uri)
    params.client_properties = {"connection_name": f"eldercare-devices {name}"}
    params.heartbeat = 30
    connection = pika.BlockingConnection(params)
    channel = connection.channel()
    channel.confirm_delivery()  # dead letters and downlinks are confirmed before their source is acked
    return connection, channel


def declare_device_queue(channel, queue: str, leaf: str) -> None:
    """A durable queue of every device's messages of one kind, and its dead letters."""
    channel.exchange_declare(mqtt.EXCHANGE, "topic", durable=True, passive=True)
    channel.queue_declare(queue, durable=True)
    channel.queue_bind(queue, mqtt.EXCHANGE, mqtt.binding_key(leaf))
    channel.queue_declare(queue + DEAD_SUFFIX, durable=True)


def dead_letter(channel, queue: str, method, properties, body: bytes, reason: str) -> None:
    """Keep the message with its reason in <queue>.dead (confirmed) before the caller acks it."""
    headers = dict(properties.headers or {})
    headers.update({QUEUE: queue, ERROR: reason[:1000], ORIGIN: f"{method.exchange} {method.routing_key}",
                    FAILED_AT: now().isoformat(timespec="milliseconds")})
    channel.basic_publish("", queue + DEAD_SUFFIX, body, pika.BasicProperties(
        delivery_mode=2, headers=headers, content_type=properties.content_type or "application/json",
        message_id=properties.message_id))
    log.warning("%s: message on %s dead-lettered: %s", queue, method.routing_key, reason)


class Worker(threading.Thread):
    """One consumer on its own connection; reconnects after a broker outage."""

    name_ = "worker"

    def __init__(self, stopping: threading.Event):
        super().__init__(name=self.name_, daemon=True)
        self.stopping = stopping
        self.ready = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                self.consume()
            except (pika.exceptions.AMQPError, OSError) as error:
                self.ready.clear()
                if self.stopping.is_set():
                    return
                log.warning("%s: broker connection lost (%s); reconnecting", self.name_, error)
                time.sleep(RETRY_PAUSE_SECONDS)
            except Exception:  # never a silent dead thread: what was unacknowledged comes back on reconnect
                self.ready.clear()
                log.exception("%s: failed; reconnecting", self.name_)
                time.sleep(RETRY_PAUSE_SECONDS)

    def consume(self):
        raise NotImplementedError


class PressWorker(Worker):
    name_ = "presses"

    def __init__(self, stopping, uri: str, store: ResidentStore, api_address: str):
        super().__init__(stopping)
        self.uri = uri
        self.store = store
        self.stub = residents_pb2_grpc.ResidentServiceStub(insecure_channel(api_address))

    def consume(self):
        connection, channel = open_channel(self.uri, self.name_)
        try:
            declare_device_queue(channel, PRESS_QUEUE, mqtt.PRESS)
            channel.basic_qos(prefetch_count=20)
            channel.basic_consume(PRESS_QUEUE, lambda ch, m, p, b: self.handle(ch, m, p, b))
            self.ready.set()
            while not self.stopping.is_set():
                connection.process_data_events(time_limit=0.5)
        finally:
            if connection.is_open:
                connection.close()

    def handle(self, channel, method, properties, body: bytes) -> None:
        parsed = mqtt.parse_routing_key(method.routing_key)
        try:
            press = mqtt.parse_press(body)
            if parsed is None:
                raise mqtt.Malformed(f"not a device topic: {method.routing_key}")
            device = self.store.get_device(parsed[0])
            if device is None:
                raise mqtt.Malformed(f"device {parsed[0]} is not registered")
            # The broker let only this device publish on its topic (auth above): the press is the device's.
            caller = Caller(device.id, frozenset({"device"}), frozenset({device.community_id}))
            reply = self.stub.PressDevice(
                residents_pb2.PressDeviceRequest(device_id=device.id, press_id=press.press_id,
                                                 kind=enum_number(eldercare_pb2.CareKind, press.kind)),
                metadata=caller.to_metadata(), timeout=10)
        except mqtt.Malformed as error:
            dead_letter(channel, PRESS_QUEUE, method, properties, body, str(error))
        except pymongo.errors.PyMongoError as error:  # the database is away: try again shortly
            log.warning("press on %s not taken yet (%s); retrying", method.routing_key, error)
            time.sleep(RETRY_PAUSE_SECONDS)
            channel.basic_nack(method.delivery_tag, requeue=True)
            return
        except grpc.RpcError as error:
            if error.code() not in REFUSED_CODES:  # the api is away or overloaded: try again shortly
                log.warning("press from %s not taken yet (%s); retrying", parsed and parsed[0], error.code())
                time.sleep(RETRY_PAUSE_SECONDS)
                channel.basic_nack(method.delivery_tag, requeue=True)
                return
            dead_letter(channel, PRESS_QUEUE, method, properties, body, f"{error.code().name}: {error.details()}")
        else:
            log.info("press %s from device %s: care request %s", press.press_id, device.id, reply.care_request.id)
        channel.basic_ack(method.delivery_tag)


class DeviceRulesCache:
    """What the heartbeat rules read of each device (residents.HeartbeatRules), kept for `ttl` seconds so a
    batch of devices seen lately needs no read: the writer's hot path is then its one bulk_write.

    A stale entry changes nothing that is written:
    - revoked (or removed) meanwhile: the bulk_write matches only `revoked_at: None`, so nothing is written
      for it; the writer sees fewer devices matched than updated, reads the batch's devices again and
      dead-letters the revoked one's reports, as if nothing had been kept. (Revocation is for good: an
      entry that says revoked is never wrong.)
    - another heartbeat interval meanwhile: the write matches only the interval the silence was reckoned
      from, so the same: read again, reckoned from the new one.
    - the battery: a report at or below the low threshold always reads its device afresh, so a recharge
      another writer saw cannot hide the next drop (a kept battery decides nothing: a report above the
      threshold raises no alert whatever came before); the alert itself is a compare-and-set in the store,
      one per drop. What this writer wrote it keeps in the entry.
    What it costs: one more read and write for a batch in which a kept device changed, and memory for
    one small entry per device heard within `ttl`.
    """

    def __init__(self, store: ResidentStore, ttl: float, clock=time.monotonic):
        self.store = store
        self.ttl = ttl
        self.clock = clock
        self.entries: dict[str, tuple[residents.HeartbeatRules, float]] = {}
        self.reads = 0  # devices read so far (the bench and tests look at it)

    def for_batch(self, reports: list[residents.HeartbeatReport]) -> dict[str, residents.HeartbeatRules]:
        now = self.clock()
        ids = {r.device_id for r in reports}
        low = {r.device_id for r in reports if r.battery_percent <= residents.LOW_BATTERY_PERCENT}
        stale = {i for i in ids if i in low or i not in self.entries or now - self.entries[i][1] >= self.ttl}
        if stale:
            self.refresh(stale, now)
        return {i: self.entries[i][0] for i in ids if i in self.entries}

    def refresh(self, device_ids: set[str], now: float | None = None) -> None:
        now = self.clock() if now is None else now
        fresh = self.store.heartbeat_rules_by_id(device_ids)
        self.reads += len(device_ids)
        for device_id in device_ids:
            if device_id in fresh:
                self.entries[device_id] = (fresh[device_id], now)
            else:  # not registered: asked again next time (it may be registered by then)
                self.entries.pop(device_id, None)

    def wrote(self, updates: list[residents.HeartbeatUpdate]) -> None:
        for update in updates:
            if update.device_id in self.entries:
                rules, read_at = self.entries[update.device_id]
                self.entries[update.device_id] = (replace(
                    rules, battery_percent=update.battery_percent,
                    last_heartbeat_at=max(filter(None, (rules.last_heartbeat_at, update.last_heartbeat_at)))),
                    read_at)


class HeartbeatWorker(Worker):
    name_ = "heartbeats"

    def __init__(self, stopping, uri: str, store: ResidentStore, batch_size: int, batch_seconds: float,
                 cache_seconds: float = 0):
        super().__init__(stopping)
        self.uri = uri
        self.store = store
        self.devices = DeviceRulesCache(store, cache_seconds)
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self.batches = 0  # written so far (the bench reads it from the log)

    def consume(self):
        connection, channel = open_channel(self.uri, self.name_)
        pending: list = []
        try:
            declare_device_queue(channel, HEARTBEAT_QUEUE, mqtt.HEARTBEAT)
            # The broker sends at most one batch ahead of the acks.
            channel.basic_qos(prefetch_count=self.batch_size)
            channel.basic_consume(HEARTBEAT_QUEUE, lambda ch, m, p, b: pending.append((m, p, b, now())))
            self.ready.set()
            first_at = None
            while not self.stopping.is_set():
                connection.process_data_events(time_limit=0.05 if pending else 0.5)
                if pending and first_at is None:
                    first_at = time.monotonic()
                if pending and (len(pending) >= self.batch_size
                                or time.monotonic() - first_at >= self.batch_seconds):
                    self.write(channel, pending)
                    pending.clear()
                    first_at = None
            if pending:  # stopping: write what came, so it need not come again
                self.write(channel, pending)
        finally:
            if connection.is_open:
                connection.close()

    def write(self, channel, batch: list) -> None:
        reports: list[residents.HeartbeatReport] = []
        sources: dict[int, tuple] = {}
        for message in batch:
            method, properties, body, received_at = message
            parsed = mqtt.parse_routing_key(method.routing_key)
            try:
                if parsed is None:
                    raise mqtt.Malformed(f"not a device topic: {method.routing_key}")
                report = residents.HeartbeatReport(parsed[0], mqtt.parse_heartbeat(body), received_at)
            except mqtt.Malformed as error:
                dead_letter(channel, HEARTBEAT_QUEUE, method, properties, body, str(error))
                continue
            reports.append(report)
            sources[id(report)] = message
        while True:
            try:
                self._save(channel, reports, sources)
                break
            except Exception:  # the database is away: keep the batch unacknowledged and try again
                if self.stopping.is_set():
                    raise
                log.exception("heartbeat batch of %d not written; retrying", len(reports))
                time.sleep(RETRY_PAUSE_SECONDS)
        # Every message of the batch is now written or dead-lettered: one ack for all of them.
        channel.basic_ack(batch[-1][0].delivery_tag, multiple=True)
        self.batches += 1

    def _save(self, channel, reports, sources) -> None:
        for report, reason in self.save(reports):
            method, properties, body, _ = sources[id(report)]
            dead_letter(channel, HEARTBEAT_QUEUE, method, properties, body, reason)

    def save(self, reports: list[residents.HeartbeatReport]) -> list[tuple[residents.HeartbeatReport, str]]:
        """Write a batch's heartbeats and alerts; returns the reports refused, with why."""
        if not reports:
            return []
        outcome = residents.heartbeat_batch(self.devices.for_batch(reports), reports, lambda: str(uuid.uuid4()))
        if self.store.record_heartbeats(outcome.updates) < len(outcome.updates):
            # A device kept here was revoked, removed or given another interval since it was read: read the
            # batch's devices again and apply the rules to what they are now (writing a heartbeat twice
            # changes nothing: $max, the same battery).
            self.devices.refresh({r.device_id for r in reports})
            outcome = residents.heartbeat_batch(self.devices.for_batch(reports), reports, lambda: str(uuid.uuid4()))
            self.store.record_heartbeats(outcome.updates)
        refused = list(outcome.refused)
        self.devices.wrote(outcome.updates)
        for update, alert in outcome.alerts:
            if self.store.record_low_battery(update, alert, events.maintenance_event(
                    residents.DEVICE_MAINTENANCE_NEEDED, alert)):
                log.warning("device %s battery at %d%%: maintenance alert %s", alert.device_id,
                            update.battery_percent, alert.id)
            self.devices.wrote([update])
        return refused


class DownlinkWorker(Worker):
    """Tells a device what became of the call it raised: eldercare events in, MQTT downlink out."""

    name_ = "downlink"

    def __init__(self, stopping, events_uri: str, device_uri: str):
        super().__init__(stopping)
        self.events_uri = events_uri
        self.device_uri = device_uri

    def consume(self):
        connection, channel = open_channel(self.events_uri, self.name_)
        out_connection, out = open_channel(self.device_uri, self.name_ + " out")
        try:
            exchange = exchange_name("eldercare")
            channel.exchange_declare(exchange, "topic", durable=True)  # as Nameko and the relay declare it
            channel.queue_declare(DOWNLINK_QUEUE, durable=True)
            channel.queue_declare(DOWNLINK_QUEUE + DEAD_SUFFIX, durable=True)
            for event_type in mqtt.DOWNLINK_EVENTS:
                channel.queue_bind(DOWNLINK_QUEUE, exchange, event_type)
            channel.basic_qos(prefetch_count=20)
            channel.basic_consume(DOWNLINK_QUEUE, lambda ch, m, p, b: self.handle(ch, out, m, p, b))
            self.ready.set()
            while not self.stopping.is_set():
                connection.process_data_events(time_limit=0.5)
                out_connection.process_data_events(time_limit=0)
        finally:
            for c in (connection, out_connection):
                if c.is_open:
                    c.close()

    def handle(self, channel, out, method, properties, body: bytes) -> None:
        try:
            envelope = json.loads(body)
            told = mqtt.downlink(envelope["type"], events.care_request_in(envelope), envelope["occurred_at"])
        except Exception as error:  # an event this worker cannot read: keep it, do not block the others
            dead_letter(channel, DOWNLINK_QUEUE, method, properties, body, f"cannot read event: {error}"[:1000])
            channel.basic_ack(method.delivery_tag)
            return
        if told is not None:
            device_id, payload = told
            # Persistent, so a device with a persistent session gets it when it is back (QoS 1).
            out.basic_publish(mqtt.EXCHANGE, mqtt.routing_key(device_id, mqtt.DOWNLINK),
                              json.dumps(payload, ensure_ascii=False).encode(),
                              pika.BasicProperties(delivery_mode=2, content_type="application/json"))
        channel.basic_ack(method.delivery_tag)


def main() -> None:
    telemetry.setup("eldercare-devices")
    metrics.serve("ELDERCARE_DEVICES_METRICS_PORT")
    client = connect(setting("MONGO_URI"), "eldercare-devices")
    store = ResidentStore(client, client[database_name("eldercare")])
    uri = device_amqp_uri()
    stopping = threading.Event()
    server = auth_server(DeviceAuth(store, device_vhost(uri)), setting("ELDERCARE_DEVICE_AUTH_ADDR"))
    threading.Thread(target=server.serve_forever, name="auth", daemon=True).start()
    workers = [
        PressWorker(stopping, uri, store, setting("ELDERCARE_API_ADDR")),
        HeartbeatWorker(stopping, uri, store, int(number("ELDERCARE_HEARTBEAT_BATCH_SIZE")),
                        number("ELDERCARE_HEARTBEAT_BATCH_SECONDS"), number("ELDERCARE_DEVICE_CACHE_SECONDS")),
        DownlinkWorker(stopping, setting("AMQP_URI"), uri),
    ]
    for worker in workers:
        worker.start()
    log.info("devices' door: auth on %s, consuming %s, %s and %s", setting("ELDERCARE_DEVICE_AUTH_ADDR"),
             PRESS_QUEUE, HEARTBEAT_QUEUE, DOWNLINK_QUEUE)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    stopping.set()  # each worker finishes the message or batch in hand and acks it before it leaves
    for worker in workers:
        worker.join(10)
    server.shutdown()
    client.close()
    telemetry.shutdown()


if __name__ == "__main__":
    main()
