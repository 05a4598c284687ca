"""Fixtures for the employment api's contract tests (imported by them; the tier's conftest is eldercare's).

`employment_stack` runs `python -m services.employment.api` as its own process on a fresh RabbitMQ vhost
and SecantusDB; `employment` holds stubs of its five services on one channel. `employment_db` is the
api's database, for what the worker would do (rank with the matcher, in this process) and to look at
the outbox. `served_employment` serves the same services in this process with a clock the test sets
(follow-ups depend on time), over a real socket and the same SecantusDB."""
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import grpc
import pytest

from linli_dev.devstack import DevStack, free_port
from linli.employment.v1 import fairs_pb2_grpc, jobs_pb2_grpc, seekers_pb2_grpc, training_pb2_grpc, workshop_pb2_grpc
from linli.kit.config import setting
from linli.kit.grpc_server import GrpcApi
from linli.kit.identity import Caller
from linli.kit.indexes import ensure_service_indexes
from linli.kit.mongo import connect
from services.employment.api.__main__ import bindings
from services.employment.matcher import Matcher
from services.employment.store import INDEXES
from services.employment.store.jobs import JobStore
from services.employment.store.seekers import SeekerStore

# 26 June 2026, 09:00 in Fushun.
FAIR_DAY = datetime(2026, 6, 26, 1, 0, tzinfo=timezone.utc)


@dataclass
class Stubs:
    jobs: jobs_pb2_grpc.JobServiceStub
    seekers: seekers_pb2_grpc.SeekerServiceStub
    fairs: fairs_pb2_grpc.FairServiceStub
    training: training_pb2_grpc.TrainingServiceStub
    workshop: workshop_pb2_grpc.WorkshopServiceStub


def stubs(channel) -> Stubs:
    return Stubs(jobs_pb2_grpc.JobServiceStub(channel), seekers_pb2_grpc.SeekerServiceStub(channel),
                 fairs_pb2_grpc.FairServiceStub(channel), training_pb2_grpc.TrainingServiceStub(channel),
                 workshop_pb2_grpc.WorkshopServiceStub(channel))


def resident_id(community: str) -> str:
    """The resident of a test's community (seeker ids are user ids, unique across communities)."""
    return f"res-liu.{community}"


def people(community: str) -> dict[str, list]:
    """Metadata of the people in a community's tests: a counsellor, an employer's user, residents."""
    def md(subject, role, communities=(community,)):
        return Caller(subject, frozenset({role}), frozenset(communities)).to_metadata()

    return {"counsellor": md("cn-wang", "counsellor"), "boss": md("boss-zhao", "employer"),
            "other_boss": md("boss-qian", "employer"), "resident": md(resident_id(community), "resident"),
            "neighbour": md(f"res-sun.{community}", "resident"), "elsewhere": md("cn-li", "counsellor", ("another",))}


@pytest.fixture(scope="session")
def employment_stack():
    address = f"127.0.0.1:{free_port()}"
    stack = DevStack({"EMPLOYMENT_API_ADDR": address, "AMQP_URI": setting("AMQP_URI"), "MONGO_DB_PREFIX": "contract_"},
                     Path(tempfile.mkdtemp(prefix="linli-employment-contract-")))
    try:
        stack.isolate_broker()
        stack.start_mongo(":memory:")
        stack.start_api("employment")
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def employment_channel(employment_stack):
    with grpc.insecure_channel(employment_stack.env["EMPLOYMENT_API_ADDR"]) as channel:
        yield channel


@pytest.fixture(scope="session")
def employment(employment_channel) -> Stubs:
    return stubs(employment_channel)


@pytest.fixture(scope="session")
def employment_db(employment_stack):
    client = connect(employment_stack.env["MONGO_URI"], "employment-contract-tests")
    yield client["contract_employment"]
    client.close()


@pytest.fixture(scope="session")
def matcher(employment_db):
    """What the worker does after each event, done here on demand (the worker's own tests are in tests/service)."""
    return Matcher(JobStore(employment_db.client, employment_db), SeekerStore(employment_db.client, employment_db))


class Clock:
    def __init__(self):
        self.now = FAIR_DAY

    def __call__(self):
        return self.now


@pytest.fixture(scope="session")
def served_employment(employment_db):
    """(stubs, clock) of the employment services served in this process with a settable clock."""
    db = employment_db.client[f"contract_served_{uuid.uuid4().hex[:8]}"]
    ensure_service_indexes(db, INDEXES)
    clock = Clock()
    server = GrpcApi("127.0.0.1:0", bindings(db.client, db, clock))
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        yield stubs(channel), clock
    server.stop(0)


@pytest.fixture
def community() -> str:
    return f"c-{uuid.uuid4().hex[:8]}"  # each test its own community, so records never mix
