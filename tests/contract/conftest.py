"""Contract tier: the eldercare api as its own process, called with a stock grpcio client over a real
socket. The api's store is a real SecantusDB process; RabbitMQ is the machine's."""
import tempfile
from pathlib import Path

import grpc
import pytest

from linli.devstack import DevStack, free_port
from linli.kit.config import setting


@pytest.fixture(scope="session")
def stack():
    address = f"127.0.0.1:{free_port()}"
    stack = DevStack({"ELDERCARE_API_ADDR": address, "AMQP_URI": setting("AMQP_URI"),
                      "MONGO_DB_PREFIX": "contract_"}, Path(tempfile.mkdtemp(prefix="linli-contract-")))
    try:
        stack.isolate_broker()  # the api's relay publishes here, away from any other Linli on this broker
        stack.start_mongo(":memory:")
        stack.start_api("eldercare")
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def api_address(stack):
    return stack.env["ELDERCARE_API_ADDR"]


@pytest.fixture(scope="session")
def amqp_uri(stack):
    return stack.env["AMQP_URI"]


@pytest.fixture(scope="session")
def channel(api_address):
    with grpc.insecure_channel(api_address) as channel:
        yield channel
