"""Contract tier: the eldercare api as its own process, called with a stock grpcio client over a real
socket. The api's store is a real SecantusDB process; RabbitMQ is the machine's."""
import tempfile
from pathlib import Path

import grpc
import pytest

from linli.devstack import DevStack, free_port
from linli.kit.config import setting


@pytest.fixture(scope="session")
def api_address():
    address = f"127.0.0.1:{free_port()}"
    stack = DevStack({"ELDERCARE_API_ADDR": address, "AMQP_URI": setting("AMQP_URI"),
                      "MONGO_DB_PREFIX": "contract_"}, Path(tempfile.mkdtemp(prefix="linli-contract-")))
    try:
        stack.start_mongo(":memory:")
        stack.start_api("eldercare")
        yield address
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def channel(api_address):
    with grpc.insecure_channel(api_address) as channel:
        yield channel
