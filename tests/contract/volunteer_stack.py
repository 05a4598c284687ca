"""Fixtures for the volunteer api's contract tests (imported by them; the tier's conftest is eldercare's).

`volunteer_stack` runs `python -m services.volunteer.api` as its own process on a fresh RabbitMQ vhost
and SecantusDB; `volunteer_channel` talks to it. `served` serves the same three services in this process
with a clock the test sets (check-in windows and hours depend on time), over a real socket and the same
SecantusDB."""
import tempfile
import uuid
from datetime import datetime, timezone
from pathlib import Path

import grpc
import pytest

from linli_dev.devstack import DevStack, free_port
from linli.kit.config import setting
from linli.kit.grpc_server import GrpcApi
from linli.kit.mongo import connect
from linli.volunteer.v1 import volunteer_pb2_grpc as pb_grpc
from linli.kit.indexes import ensure_service_indexes
from services.volunteer.api.__main__ import bindings
from services.volunteer.store import INDEXES

# Saturday 16 May 2026, 08:00 in Fushun.
MORNING = datetime(2026, 5, 16, 0, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self):
        self.now = MORNING

    def __call__(self):
        return self.now


@pytest.fixture(scope="session")
def volunteer_stack():
    address = f"127.0.0.1:{free_port()}"
    stack = DevStack({"VOLUNTEER_API_ADDR": address, "AMQP_URI": setting("AMQP_URI"),
                      "MONGO_DB_PREFIX": "contract_"}, Path(tempfile.mkdtemp(prefix="linli-volunteer-contract-")))
    try:
        stack.isolate_broker()
        stack.start_mongo(":memory:")
        stack.start_api("volunteer")
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def volunteer_channel(volunteer_stack):
    with grpc.insecure_channel(volunteer_stack.env["VOLUNTEER_API_ADDR"]) as channel:
        yield channel


@pytest.fixture(scope="session")
def volunteer_clock():
    return Clock()


class Served:
    def __init__(self, channel, db):
        self.volunteers = pb_grpc.VolunteerServiceStub(channel)
        self.activities = pb_grpc.ActivityServiceStub(channel)
        self.hours = pb_grpc.HoursServiceStub(channel)
        self.db = db


@pytest.fixture(scope="session")
def served(volunteer_stack, volunteer_clock):
    client = connect(volunteer_stack.env["MONGO_URI"], "volunteer-contract")
    db = client[f"served_{uuid.uuid4().hex[:8]}"]
    ensure_service_indexes(db, INDEXES)
    server = GrpcApi("127.0.0.1:0", bindings(client, db, "https://linli.example/v1/certificates/{code}", volunteer_clock))
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        yield Served(channel, db)
    server.stop(0)
    client.close()
