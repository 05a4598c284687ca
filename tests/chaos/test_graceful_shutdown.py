"""Graceful shutdown under load, with real processes: SIGTERM to an eldercare api replica while calls
stream in fails no call a rolling update would not fail, and SIGTERM to the workers in the middle of a
backlog loses no event and applies none twice."""
import json
import signal
import tempfile
import threading
import time
from pathlib import Path

import grpc
import pika
import pytest

from linli_dev.devstack import DevStack, free_port, wait_until
from linli.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc
from linli.kit import grpc_client
from linli.kit.config import setting
from linli.kit.identity import Caller
from linli.kit.mongo import connect, utcnow
from tests.chaos.elders import register_over_grpc
from services.eldercare import events
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_POLICY

OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))
METADATA = OPERATOR.to_metadata()


@pytest.fixture
def stack():
    stack = DevStack({"AMQP_URI": setting("AMQP_URI"), "MONGO_DB_PREFIX": "chaos_",
                      "ELDERCARE_API_ADDR": f"127.0.0.1:{free_port()}", "LINLI_GRPC_DRAIN_SECONDS": "10",
                      "LINLI_OUTBOX_POLL_SECONDS": "0.2"},
                     Path(tempfile.mkdtemp(prefix="linli-chaos-shutdown-")))
    try:
        stack.isolate_broker()
        stack.start_mongo(":memory:")
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def db(stack):
    client = connect(stack.env["MONGO_URI"], "chaos-tests")
    yield client["chaos_eldercare"]
    client.close()


class Load:
    """Clients raising care requests, round-robin over the api replicas, on the channels the gateway uses
    (linli.kit.grpc_client: a call the api never started is sent again). A channel here reaches one
    replica only, so a call still refused with UNAVAILABLE goes to the next replica with the same request
    id, as the gateway's round_robin over the api's pods would; anything else is a failure the client sees."""

    CLIENTS = 6

    def __init__(self, addresses: list[str], clients: int = CLIENTS):
        self.channels = [grpc_client.insecure_channel(a) for a in addresses]
        self.stubs = [eldercare_pb2_grpc.EldercareServiceStub(c) for c in self.channels]
        self.calls: list[tuple[int, float, float, str]] = []  # (replica, started, ended, outcome)
        self.done: dict[str, str] = {}  # request id -> care request id
        self.failures: list[str] = []
        self.rerouted = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(clients)]

    def start(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)
        for channel in self.channels:
            channel.close()

    def _client(self, n: int) -> None:
        sent = 0
        while not self._stop.is_set():
            request_id = f"load-{n}-{sent}"
            command = eldercare_pb2.RaiseCareRequestRequest(
                community_id="donghuayuan", elder_id=f"elder-{n}", kind=eldercare_pb2.CARE_KIND_CLEANING,
                channel=eldercare_pb2.CHANNEL_PHONE, request_id=request_id)
            for attempt in range(len(self.stubs) * 3):
                replica = (sent + n + attempt) % len(self.stubs)
                started = time.monotonic()
                try:
                    reply = self.stubs[replica].RaiseCareRequest(command, metadata=METADATA, timeout=10)
                except grpc.RpcError as error:
                    outcome = error.code().name
                else:
                    outcome = "OK"
                with self._lock:
                    self.calls.append((replica, started, time.monotonic(), outcome))
                    if outcome == "OK":
                        self.done[request_id] = reply.care_request.id
                    elif outcome == "UNAVAILABLE":
                        self.rerouted += 1
                if outcome != "UNAVAILABLE":
                    break
            if outcome != "OK":
                with self._lock:
                    self.failures.append(f"{request_id}: {outcome}")
            sent += 1


def test_sigterm_to_an_api_replica_under_load_fails_no_call(stack, db):
    first = stack.start_api("eldercare")
    first_address = stack.env["ELDERCARE_API_ADDR"]
    stack.env["ELDERCARE_API_ADDR"] = f"127.0.0.1:{free_port()}"
    stack.start_api("eldercare")  # a second replica beside it, on the same database and broker
    register_over_grpc(first_address, "donghuayuan", [f"elder-{n}" for n in range(Load.CLIENTS)])
    load = Load([first_address, stack.env["ELDERCARE_API_ADDR"]]).start()
    time.sleep(2.0)
    terminated = time.monotonic()
    first.popen.send_signal(signal.SIGTERM)
    first.popen.wait(30)
    exited = time.monotonic()
    time.sleep(1.5)
    load.stop()

    to_first = [c for c in load.calls if c[0] == 0]
    in_flight = [c for c in to_first if c[1] < terminated < c[2]]
    after = [c for c in to_first if c[1] > exited]
    print(f"\n{len(load.calls)} calls, {len(load.done)} care requests raised; replica 1 drained "
          f"{sum(c[3] == 'OK' for c in in_flight)} in-flight call(s) and exited {exited - terminated:.2f}s after SIGTERM; "
          f"{load.rerouted} call(s) refused as UNAVAILABLE went to replica 2")
    assert first.popen.returncode == 0
    assert load.failures == []
    # A call the replica had started completed; one it had not yet started was refused and sent on.
    assert all(outcome in ("OK", "UNAVAILABLE") for *_, outcome in in_flight)
    assert all(outcome == "UNAVAILABLE" for *_, outcome in after)
    # Exactly one care request per client request, and each one's event published (the second
    # replica's relay takes over at once: the first released its lease as it stopped).
    assert db["care_requests"].count_documents({}) == len(load.done)
    assert len(set(load.done.values())) == len(load.done)
    assert wait_until_true(lambda: db["outbox"].count_documents({"sent_at": None}) == 0, 10)
    assert db["outbox"].count_documents({"routing_key": "care_request.raised"}) == len(load.done)


def wait_until_true(check, timeout: float) -> bool:
    try:
        wait_until(check, timeout, "condition")
        return True
    except Exception:
        return False


def publish_raised(amqp_uri: str, count: int) -> list[str]:
    """count routine raised events, as the relay would publish them."""
    ids = []
    template = events.raised(care.raise_request(OPERATOR, care.NewCareRequest("donghuayuan", "elder-1", "cleaning",
                                                                             "phone"),
                                                "cr-0", utcnow(), DEFAULT_POLICY))
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for n in range(count):
            event = {**template, "id": f"backlog-{n}"}
            channel.basic_publish("eldercare.events", "care_request.raised", json.dumps(event).encode(),
                                  pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                                       message_id=event["id"]))
            ids.append(event["id"])
    finally:
        connection.close()
    return ids


def test_sigterm_to_the_workers_mid_backlog_loses_no_event_and_applies_none_twice(stack, db):
    workers = stack.start_workers(["eldercare"])  # declares its queues
    ids = publish_raised(stack.env["AMQP_URI"], 400)
    applied = lambda: db["applied_events"].count_documents({"consumer": "eldercare.count_raised"})  # noqa: E731
    wait_until(lambda: applied() >= 40, 30, "the workers to be busy")
    terminated = time.monotonic()
    workers.popen.send_signal(signal.SIGTERM)
    workers.popen.wait(30)
    stopped = time.monotonic() - terminated
    at_stop = applied()
    assert workers.popen.returncode == 0 and at_stop < len(ids)  # it stopped with work left in the queue

    stack.start_workers(["eldercare"])  # the replacement picks up what is left
    wait_until(lambda: applied() == len(ids), 120, "every event applied")
    time.sleep(0.5)
    raised = sum(doc.get("raised", 0) for doc in db["daily_figures"].find())
    print(f"\nworkers stopped {stopped:.2f}s after SIGTERM with {at_stop}/{len(ids)} events applied; "
          f"the replacement applied the rest; figures count {raised} raised")
    assert applied() == len(ids) and raised == len(ids)
