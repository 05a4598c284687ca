"""Elder-care dispatch asks the volunteer worker for volunteers over Nameko RPC from a plain grpcio process
(never eventlet-patched), as this test process is: linli.kit.rpc against the real worker and broker, from
many threads at once, and bounded in time when nobody answers."""
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import grpc
import pika
import pytest

from linli.kit import rpc
from linli.kit.identity import Caller
from linli.volunteer.v1 import volunteer_pb2 as pb
from linli.volunteer.v1 import volunteer_pb2_grpc as pb_grpc
from tests.contract.volunteer_stack import volunteer_channel, volunteer_stack  # noqa: F401

COMMUNITY = "donghuayuan"
ELDER_HOME = (41.88083, 123.95187)  # 东区 3号楼
COORDINATOR = Caller("co-zhao", frozenset({"coordinator"}), frozenset({COMMUNITY})).to_metadata()


@pytest.fixture(scope="module")
def worker(volunteer_stack):
    volunteer_stack.start_workers(["volunteer"])
    return volunteer_stack.env["AMQP_URI"]


@pytest.fixture(scope="module")
def skill(volunteer_channel) -> str:
    """Two volunteers free all week with a skill nobody else in this tier has, one next door."""
    volunteers = pb_grpc.VolunteerServiceStub(volunteer_channel)
    every_day = [pb.AvailabilitySlot(weekday=day, start="00:00", end="23:59") for day in range(1, 8)]
    for suffix, name, latitude in (("a", "王秀兰", 41.8810), ("b", "李国强", 41.8900)):
        volunteers.RegisterVolunteer(pb.RegisterVolunteerRequest(volunteer=pb.Volunteer(
            id=f"vol-rpc-{suffix}", community_id=COMMUNITY, name=name, skills=["repair"], availability=every_day,
            home=pb.GeoPoint(latitude=latitude, longitude=123.95187))), metadata=COORDINATOR, timeout=5)
    return "repair"


def test_dispatch_gets_volunteers_near_the_elder_with_the_skill_nearest_first(worker, skill):
    offers = rpc.call("volunteer", "available_near", COMMUNITY, *ELDER_HOME, skill, 5, amqp_uri=worker, timeout=5)
    assert [(o["id"], o["name"]) for o in offers] == [("vol-rpc-a", "王秀兰"), ("vol-rpc-b", "李国强")]
    assert offers[0]["distance_m"] < 50 and offers[0]["reasons"][0] == "volunteer with the repair skill"


def test_calls_from_many_threads_at_once_each_get_their_own_answer(worker, skill):
    limits = [1, 2] * 8

    def ask(limit):
        return len(rpc.call("volunteer", "available_near", COMMUNITY, *ELDER_HOME, skill, limit, amqp_uri=worker,
                            timeout=5))

    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(ask, limits)) == limits
    assert time.monotonic() - started < 5


def test_a_service_that_does_not_answer_fails_the_call_within_its_timeout(worker):
    # A service whose queue exists but that nobody consumes: the worker is down.
    silent = f"silent{uuid.uuid4().hex[:6]}"
    connection = pika.BlockingConnection(pika.URLParameters(worker))
    channel = connection.channel()
    channel.exchange_declare("nameko-rpc", exchange_type="topic", durable=True)
    channel.queue_declare(f"rpc-{silent}", auto_delete=True)
    channel.queue_bind(f"rpc-{silent}", "nameko-rpc", routing_key=f"{silent}.*")
    try:
        started = time.monotonic()
        with pytest.raises(rpc.RpcUnavailable, match="did not answer"):
            rpc.call(silent, "available_near", COMMUNITY, amqp_uri=worker, timeout=1.0)
        assert time.monotonic() - started < 1.5
    finally:
        connection.close()


def test_an_unknown_service_or_an_unreachable_broker_fails_the_call_at_once(worker):
    started = time.monotonic()
    with pytest.raises(rpc.RpcUnavailable, match="UnknownService"):
        rpc.call("nosuchservice", "anything", amqp_uri=worker, timeout=2)
    with pytest.raises(rpc.RpcUnavailable):
        rpc.call("volunteer", "available_near", COMMUNITY, amqp_uri="amqp://guest:guest@127.0.0.1:1/", timeout=2)
    assert time.monotonic() - started < 2.5


def test_a_remote_error_comes_back_as_nameko_reports_it(worker):
    from nameko.exceptions import IncorrectSignature

    with pytest.raises(IncorrectSignature):
        rpc.call("volunteer", "available_near", amqp_uri=worker, timeout=5)  # community_id missing


def test_the_api_and_worker_share_one_database(volunteer_channel, worker):
    # Registered through the api process, offered by the worker process: the same linli_volunteer db.
    volunteers = pb_grpc.VolunteerServiceStub(volunteer_channel)
    with pytest.raises(grpc.RpcError) as error:
        volunteers.GetVolunteer(pb.GetVolunteerRequest(id="vol-rpc-a"),
                                metadata=Caller("vol-rpc-b", frozenset({"volunteer"}),
                                                frozenset({COMMUNITY})).to_metadata(), timeout=5)
    assert error.value.code() == grpc.StatusCode.NOT_FOUND  # someone else's record
