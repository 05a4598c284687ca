"""Service tier: real RabbitMQ (a fresh vhost per test, from Nameko's fixtures) and a real SecantusDB
process (a fresh database per test). Runs under `nameko test`, which applies eventlet's monkey patch."""
import os
import tempfile
import uuid
from pathlib import Path

# The worker reads its timer interval when imported: check often, so tests wait for seconds, not minutes.
os.environ.setdefault("ELDERCARE_ESCALATION_CHECK_SECONDS", "0.2")
os.environ.setdefault("ELDERCARE_DEVICE_CHECK_SECONDS", "0.2")

import pytest  # noqa: E402

from linli_dev.devstack import DevStack  # noqa: E402
from linli.kit.mongo import connect  # noqa: E402


@pytest.fixture(scope="session")
def mongo_uri():
    stack = DevStack({}, Path(tempfile.mkdtemp(prefix="linli-service-")))
    uri = stack.start_mongo(":memory:")
    yield uri
    stack.stop()


@pytest.fixture(scope="session")
def mongo_client(mongo_uri):
    client = connect(mongo_uri, "service-tests")
    yield client
    client.close()


@pytest.fixture
def db(mongo_client):
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield mongo_client[name]
    mongo_client.drop_database(name)
