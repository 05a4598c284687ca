"""Rules that depend on other records hold when the commands arrive all at once, against the real api and
store: each test fires one burst of the same command concurrently (threads, one channel each, as separate
clients would) and checks the rule on what was saved.

- repeated presses of one pager while its call is unanswered are that one call;
- one care request per client request id (retries racing each other);
- one transition per state: of many operators acknowledging at once, one wins (every transition saves
  with the same version check);
- one maintenance alert per battery drop, however many low-battery heartbeats arrive together."""
import threading
import uuid

import grpc
import pytest

from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.eldercare.v1 import residents_pb2, residents_pb2_grpc
from linli.kit.identity import Caller
from tests.contract.conftest import register_elder

BURST = 12


@pytest.fixture
def community():
    return f"burst-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def operator(community):
    return Caller("op-wang", frozenset({"operator"}), frozenset({community}))


def burst(api_address: str, call, size: int = BURST) -> list:
    """Run call(channel) from `size` threads released together; returns each one's reply or RpcError."""
    start, results = threading.Barrier(size), [None] * size

    def one(index: int) -> None:
        with grpc.insecure_channel(api_address) as channel:
            start.wait()
            try:
                results[index] = call(channel)
            except grpc.RpcError as error:
                results[index] = error

    threads = [threading.Thread(target=one, args=(i,)) for i in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def codes(results) -> list:
    return sorted(r.code().name if isinstance(r, grpc.RpcError) else "OK" for r in results)


def pager(channel, community, operator) -> tuple[str, str]:
    elder_id = register_elder(channel, community, f"{community}-elder")
    device_id = f"{community}-pager"
    residents_pb2_grpc.ResidentServiceStub(channel).RegisterDevice(residents_pb2.RegisterDeviceRequest(
        id=device_id, elder_id=elder_id, kind=residents_pb2.DEVICE_KIND_PAGER), metadata=operator.to_metadata(),
        timeout=10)
    return elder_id, device_id


def open_requests(channel, community, operator) -> list[pb.CareRequest]:
    reply = pb_grpc.EldercareServiceStub(channel).ListOpenCareRequests(
        pb.ListOpenCareRequestsRequest(community_id=community, page_size=200), metadata=operator.to_metadata(),
        timeout=10)
    return list(reply.care_requests)


def test_a_burst_of_presses_of_one_pager_raises_one_call(api_address, channel, community, operator):
    _, device_id = pager(channel, community, operator)
    device = Caller(device_id, frozenset({"device"}), frozenset({community}))
    results = burst(api_address, lambda ch: residents_pb2_grpc.ResidentServiceStub(ch).PressDevice(
        residents_pb2.PressDeviceRequest(device_id=device_id, kind=pb.CARE_KIND_EMERGENCY),
        metadata=device.to_metadata(), timeout=30).care_request)
    assert codes(results) == ["OK"] * BURST
    assert len({r.id for r in results}) == 1
    assert [r.id for r in open_requests(channel, community, operator)] == [results[0].id]


def test_a_burst_of_retries_of_one_raise_makes_one_request(api_address, channel, community, operator):
    elder_id = register_elder(channel, community, f"{community}-elder")
    command = pb.RaiseCareRequestRequest(community_id=community, elder_id=elder_id, kind=pb.CARE_KIND_CLEANING,
                                         channel=pb.CHANNEL_PHONE, request_id=f"retry-{uuid.uuid4().hex[:8]}")
    results = burst(api_address, lambda ch: pb_grpc.EldercareServiceStub(ch).RaiseCareRequest(
        command, metadata=operator.to_metadata(), timeout=30).care_request)
    assert codes(results) == ["OK"] * BURST
    assert len({r.id for r in results}) == 1
    assert len(open_requests(channel, community, operator)) == 1


def test_of_a_burst_of_acknowledgements_one_wins_and_the_rest_are_told_why(api_address, channel, community,
                                                                         operator):
    elder_id = register_elder(channel, community, f"{community}-elder")
    raised = pb_grpc.EldercareServiceStub(channel).RaiseCareRequest(pb.RaiseCareRequestRequest(
        community_id=community, elder_id=elder_id, kind=pb.CARE_KIND_EMERGENCY, channel=pb.CHANNEL_PHONE),
        metadata=operator.to_metadata(), timeout=10).care_request
    # Each thread an operator of its own, so the winner is known by name.
    operators = iter([Caller(f"op-{n}", frozenset({"operator"}), frozenset({community})) for n in range(BURST)])
    lock = threading.Lock()

    def acknowledge(ch):
        with lock:
            who = next(operators)
        return pb_grpc.EldercareServiceStub(ch).AcknowledgeCareRequest(
            pb.AcknowledgeCareRequestRequest(id=raised.id), metadata=who.to_metadata(), timeout=30).care_request

    results = burst(api_address, acknowledge)
    outcomes = codes(results)
    assert outcomes.count("OK") == 1
    assert set(outcomes) - {"OK"} <= {"ABORTED", "FAILED_PRECONDITION"}
    saved = pb_grpc.EldercareServiceStub(channel).GetCareRequest(pb.GetCareRequestRequest(id=raised.id),
                                                                 metadata=operator.to_metadata(), timeout=10)
    winner = next(r for r in results if not isinstance(r, grpc.RpcError))
    history = saved.care_request.history
    assert [t.status for t in history] == [pb.CARE_REQUEST_STATUS_RAISED, pb.CARE_REQUEST_STATUS_ACKNOWLEDGED]
    assert saved.care_request.acknowledged_by == winner.acknowledged_by and saved.care_request.version == 2


def test_a_burst_of_low_battery_heartbeats_raises_one_maintenance_alert(api_address, channel, community, operator):
    _, device_id = pager(channel, community, operator)
    device = Caller(device_id, frozenset({"device"}), frozenset({community}))
    residents = residents_pb2_grpc.ResidentServiceStub(channel)
    residents.ReportDeviceHeartbeat(residents_pb2.ReportDeviceHeartbeatRequest(device_id=device_id,
                                                                               battery_percent=90),
                                    metadata=device.to_metadata(), timeout=10)
    results = burst(api_address, lambda ch: residents_pb2_grpc.ResidentServiceStub(ch).ReportDeviceHeartbeat(
        residents_pb2.ReportDeviceHeartbeatRequest(device_id=device_id, battery_percent=8),
        metadata=device.to_metadata(), timeout=30))
    # A heartbeat that lost the race to another is refused (ABORTED) and retried by the device.
    assert "OK" in codes(results) and set(codes(results)) <= {"OK", "ABORTED"}
    alerts = residents.ListMaintenanceAlerts(residents_pb2.ListMaintenanceAlertsRequest(community_id=community),
                                             metadata=operator.to_metadata(), timeout=10).alerts
    assert [(a.device_id, a.reason) for a in alerts] == [(device_id, residents_pb2.MAINTENANCE_REASON_LOW_BATTERY)]
