"""The kit's channels send again a call the api never started (UNAVAILABLE, or CANCELLED as grpcio's server
answers calls still waiting when it shuts down), and nothing else. A real grpcio server on a real socket;
its method fails on purpose the first times it is called."""
import asyncio

import grpc
import pytest

from linli_dev.devstack import free_port
from linli.kit import grpc_client
from linli.kit.grpc_server import GrpcApi, ServiceBinding
from linli.kit.identity import Caller

CALLER = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"})).to_metadata()


@pytest.fixture
def flaky_api():
    """A method that answers with the status named in the request for its first two attempts, then b"done";
    attempts counts every call the server received."""
    attempts: list[bytes] = []

    def flaky(request: bytes, context) -> bytes:
        attempts.append(request)
        if len(attempts) <= 2:
            context.abort(getattr(grpc.StatusCode, request.decode()), "failing on purpose")
        return b"done"

    def add(servicer, server):
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
            "test.Flaky", {"Call": grpc.unary_unary_rpc_method_handler(flaky)}),))

    address = f"127.0.0.1:{free_port()}"
    api = GrpcApi(address, [ServiceBinding("test.Flaky", add, None)], max_workers=2)
    yield address, attempts
    api.stop(1)


@pytest.mark.parametrize("code", grpc_client.RETRIED_CODES)
def test_a_call_the_api_never_started_is_sent_again_and_answered(flaky_api, code):
    address, attempts = flaky_api
    with grpc_client.insecure_channel(address) as channel:
        reply = channel.unary_unary("/test.Flaky/Call")(code.encode(), metadata=CALLER, timeout=5)
    assert reply == b"done"
    assert len(attempts) == 3


def test_a_plain_channel_would_have_failed_the_same_call(flaky_api):
    address, attempts = flaky_api
    with grpc.insecure_channel(address) as channel, pytest.raises(grpc.RpcError) as failed:
        channel.unary_unary("/test.Flaky/Call")(b"CANCELLED", metadata=CALLER, timeout=5)
    assert failed.value.code() == grpc.StatusCode.CANCELLED
    assert len(attempts) == 1


@pytest.mark.parametrize("code", ["INTERNAL", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION"])
def test_a_call_that_may_have_run_is_never_sent_twice(flaky_api, code):
    address, attempts = flaky_api
    with grpc_client.insecure_channel(address) as channel, pytest.raises(grpc.RpcError) as failed:
        channel.unary_unary("/test.Flaky/Call")(code.encode(), metadata=CALLER, timeout=5)
    assert failed.value.code() == getattr(grpc.StatusCode, code)
    assert len(attempts) == 1


def test_the_gateways_asyncio_channel_retries_the_same_way(flaky_api):
    address, attempts = flaky_api

    async def call() -> bytes:
        async with grpc_client.aio_insecure_channel(address) as channel:
            return await channel.unary_unary("/test.Flaky/Call")(b"CANCELLED", metadata=CALLER, timeout=5)

    assert asyncio.run(call()) == b"done"
    assert len(attempts) == 3
