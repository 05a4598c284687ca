"""Calls spread over an api's replicas: the kit's channels go round-robin over every address a name
resolves to (a headless Service's pods), and an api asks its clients to reconnect now and then
(LINLI_GRPC_MAX_CONNECTION_AGE_SECONDS), so they re-resolve the name without failing a call. Real grpcio
servers on real sockets; the static `ipv4:` resolver stands in for the cluster's DNS."""
import time

import grpc
import pytest

from linli_dev.devstack import free_port
from linli.kit import grpc_client
from linli.kit.grpc_server import GrpcApi, ServiceBinding
from linli.kit.identity import Caller

CALLER = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"})).to_metadata()


def start_replica(name: str, peers: list[str], max_connection_age: float) -> tuple[GrpcApi, int]:
    """A replica whose one method answers its name and notes the caller's address (one per connection)."""
    def whoami(request: bytes, context) -> bytes:
        peers.append(context.peer())
        return name.encode()

    def add(servicer, server):
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
            "test.Replica", {"WhoAmI": grpc.unary_unary_rpc_method_handler(whoami)}),))

    port = free_port()
    api = GrpcApi(f"127.0.0.1:{port}", [ServiceBinding("test.Replica", add, None)], max_workers=2,
                  max_connection_age=max_connection_age)
    return api, port


@pytest.fixture
def replicas():
    started = []

    def start(count: int, max_connection_age: float = 0) -> tuple[str, list[str]]:
        peers: list[str] = []
        ports = []
        for n in range(count):
            api, port = start_replica(f"replica-{n}", peers, max_connection_age)
            started.append(api)
            ports.append(port)
        return "ipv4:" + ",".join(f"127.0.0.1:{port}" for port in ports), peers

    yield start
    for api in started:
        api.stop(1)


def test_calls_go_round_robin_over_every_replica_behind_a_name(replicas):
    target, _ = replicas(3)
    with grpc_client.insecure_channel(target) as channel:
        call = channel.unary_unary("/test.Replica/WhoAmI")
        # Until each replica's connection is up, round_robin picks among those that are.
        seen, until = set(), time.monotonic() + 5
        while len(seen) < 3 and time.monotonic() < until:
            seen.add(call(b"", metadata=CALLER, timeout=5))
        answers = [call(b"", metadata=CALLER, timeout=5).decode() for _ in range(30)]
    assert {name: answers.count(name) for name in set(answers)} == {f"replica-{n}": 10 for n in range(3)}


def test_a_plain_channel_would_send_every_call_to_one_replica(replicas):
    target, _ = replicas(3)
    with grpc.insecure_channel(target) as channel:
        call = channel.unary_unary("/test.Replica/WhoAmI")
        answers = {call(b"", metadata=CALLER, timeout=5) for _ in range(30)}
    assert len(answers) == 1


def test_an_api_has_its_clients_reconnect_and_no_call_fails(replicas):
    target, peers = replicas(1, max_connection_age=0.5)
    failures = []
    with grpc_client.insecure_channel(target) as channel:
        call = channel.unary_unary("/test.Replica/WhoAmI")
        until = time.monotonic() + 3
        while time.monotonic() < until:
            try:
                call(b"", metadata=CALLER, timeout=5)
            except grpc.RpcError as error:
                failures.append(error.code().name)
            time.sleep(0.01)
    assert failures == []
    assert len(set(peers)) >= 3  # a new connection (a new client port) about every half second


def test_an_api_left_at_age_zero_keeps_its_connections(replicas):
    target, peers = replicas(1, max_connection_age=0)
    with grpc_client.insecure_channel(target) as channel:
        call = channel.unary_unary("/test.Replica/WhoAmI")
        until = time.monotonic() + 1.5
        while time.monotonic() < until:
            call(b"", metadata=CALLER, timeout=5)
            time.sleep(0.01)
    assert len(set(peers)) == 1
