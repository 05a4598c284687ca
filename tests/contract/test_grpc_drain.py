"""SIGTERM's drain, in the kit's GrpcApi: stop() lets the calls in hand finish, refuses new ones as
UNAVAILABLE (a client sends those to another replica), and returns once the last one has answered.
A real grpcio server on a real socket; its one method waits until the test lets it answer."""
import threading
import time

import grpc
import pytest

from linli_dev.devstack import free_port
from linli.kit.grpc_server import GrpcApi, ServiceBinding
from linli.kit.identity import Caller

CALLER = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"})).to_metadata()


@pytest.fixture
def held_api():
    started = threading.Semaphore(0)
    release = threading.Event()

    def held(request: bytes, context) -> bytes:
        started.release()
        release.wait(5)
        return b"done"

    def add(servicer, server):
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
            "test.Held", {"Call": grpc.unary_unary_rpc_method_handler(held)}),))

    address = f"127.0.0.1:{free_port()}"
    api = GrpcApi(address, [ServiceBinding("test.Held", add, None)], max_workers=4)
    yield api, address, started, release
    release.set()
    api.stop(1)


def test_stopping_lets_the_calls_in_hand_finish_and_refuses_new_ones(held_api):
    api, address, started, release = held_api
    with grpc.insecure_channel(address) as channel, grpc.insecure_channel(address) as late_channel:
        call = channel.unary_unary("/test.Held/Call")
        in_hand = [call.future(b"", metadata=CALLER, timeout=10) for _ in range(3)]
        for _ in in_hand:
            assert started.acquire(timeout=5)
        stopping = threading.Thread(target=api.stop, args=(10,))
        stopping.start()
        time.sleep(0.3)
        with pytest.raises(grpc.RpcError) as late:
            late_channel.unary_unary("/test.Held/Call")(b"", metadata=CALLER, timeout=5)
        assert late.value.code() == grpc.StatusCode.UNAVAILABLE
        assert stopping.is_alive()  # still waiting for the calls in hand
        release.set()
        assert [f.result() for f in in_hand] == [b"done"] * 3
        stopping.join(5)
        assert not stopping.is_alive()
