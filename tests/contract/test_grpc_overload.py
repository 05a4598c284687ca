"""An overloaded api refuses what it cannot start soon (RESOURCE_EXHAUSTED, at once) instead of queueing
calls past their deadlines: the kit's GrpcApi holds at most MAX_QUEUED_PER_THREAD calls per worker thread.
A real grpcio server on a real socket; its one method is slow on purpose."""
import threading
import time

import grpc
import pytest

from linli_dev.devstack import free_port
from linli.kit.grpc_server import MAX_QUEUED_PER_THREAD, GrpcApi, ServiceBinding
from linli.kit.identity import Caller

CALLER = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"})).to_metadata()


@pytest.fixture
def slow_api():
    release = threading.Event()

    def slow(request: bytes, context) -> bytes:
        release.wait(5)
        return b"done"

    def add(servicer, server):
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
            "test.Slow", {"Call": grpc.unary_unary_rpc_method_handler(slow)}),))

    address = f"127.0.0.1:{free_port()}"
    api = GrpcApi(address, [ServiceBinding("test.Slow", add, None)], max_workers=2)
    yield address, release
    release.set()
    api.stop(1)


def test_calls_beyond_what_the_api_can_hold_are_refused_at_once(slow_api):
    address, release = slow_api
    held = 2 * MAX_QUEUED_PER_THREAD
    with grpc.insecure_channel(address) as channel:
        call = channel.unary_unary("/test.Slow/Call")
        in_hand = [call.future(b"", metadata=CALLER, timeout=10) for _ in range(held)]
        time.sleep(0.5)  # let the server take them all
        started = time.monotonic()
        with pytest.raises(grpc.RpcError) as refused:
            call(b"", metadata=CALLER, timeout=10)
        assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert time.monotonic() - started < 1.0
        release.set()
        assert [f.result() for f in in_hand] == [b"done"] * held
