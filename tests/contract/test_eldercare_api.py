"""The eldercare gRPC contract, as any grpcio client sees it."""
import uuid

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from linli.eldercare.v1 import common_pb2
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.kit.identity import Caller
from tests.contract.conftest import register_elder

SERVICE = "linli.eldercare.v1.EldercareService"
COMMUNITY = f"c-{uuid.uuid4().hex[:8]}"  # isolates this run's records from other tests'
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY}))
STRANGER = Caller("op-li", frozenset({"operator"}), frozenset({"elsewhere"}))
ELDER, NEIGHBOUR = f"{COMMUNITY}-elder-1", f"{COMMUNITY}-elder-2"
RESIDENT = Caller(ELDER, frozenset({"resident"}), frozenset({COMMUNITY}))


@pytest.fixture
def api(channel, elders):
    return pb_grpc.EldercareServiceStub(channel)


@pytest.fixture(scope="module")
def elders(channel):
    return [register_elder(channel, COMMUNITY, ELDER), register_elder(channel, COMMUNITY, NEIGHBOUR)]


def raise_request(api, caller=OPERATOR, **fields):
    message = pb.RaiseCareRequestRequest(**{"community_id": COMMUNITY, "elder_id": ELDER,
                                            "kind": pb.CARE_KIND_EMERGENCY, "channel": pb.CHANNEL_DEVICE, **fields})
    return api.RaiseCareRequest(message, metadata=caller.to_metadata(), timeout=10).care_request


def rpc_error(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def test_health_reports_serving_for_the_server_and_the_service(channel):
    health = health_pb2_grpc.HealthStub(channel)
    for name in ("", SERVICE):
        reply = health.Check(health_pb2.HealthCheckRequest(service=name), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_eldercare_service(channel):
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    [reply] = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
    names = {service.name for service in reply.list_services_response.service}
    assert {SERVICE, "grpc.health.v1.Health"} <= names


def test_a_call_without_identity_is_unauthenticated(api):
    error = rpc_error(lambda: api.GetCareRequest(pb.GetCareRequestRequest(id="x"), timeout=5))
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED
    assert "x-linli-subject" in error.details()


def test_invalid_arguments_are_named_field_by_field(api):
    error = rpc_error(lambda: raise_request(api, kind=pb.CARE_KIND_UNSPECIFIED, elder_id="", description="x" * 600))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "kind" in error.details() and "elder_id" in error.details()
    [details] = [value for key, value in error.trailing_metadata() if key == "grpc-status-details-bin"]
    status = status_pb2.Status.FromString(details)
    bad_request = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad_request)
    assert {v.field for v in bad_request.field_violations} == {"kind", "elder_id", "description"}


def test_raise_get_and_acknowledge_a_care_request(api):
    raised = raise_request(api, description="胸口疼")
    assert raised.status == pb.CARE_REQUEST_STATUS_RAISED and raised.priority == 1
    assert raised.acknowledge_due_at.ToSeconds() - raised.raised_at.ToSeconds() == 60
    got = api.GetCareRequest(pb.GetCareRequestRequest(id=raised.id), metadata=OPERATOR.to_metadata(), timeout=5)
    assert got.care_request == raised
    acknowledged = api.AcknowledgeCareRequest(pb.AcknowledgeCareRequestRequest(id=raised.id),
                                              metadata=OPERATOR.to_metadata(), timeout=5).care_request
    assert acknowledged.status == pb.CARE_REQUEST_STATUS_ACKNOWLEDGED
    assert acknowledged.acknowledged_by == "op-wang" and acknowledged.version == raised.version + 1


def test_acknowledging_twice_is_a_failed_precondition(api):
    raised = raise_request(api)
    request = pb.AcknowledgeCareRequestRequest(id=raised.id)
    api.AcknowledgeCareRequest(request, metadata=OPERATOR.to_metadata(), timeout=5)
    error = rpc_error(lambda: api.AcknowledgeCareRequest(request, metadata=OPERATOR.to_metadata(), timeout=5))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_an_unknown_id_and_another_communitys_request_are_both_not_found(api):
    raised = raise_request(api)
    for caller, care_id in ((OPERATOR, "no-such-request"), (STRANGER, raised.id)):
        error = rpc_error(lambda: api.GetCareRequest(pb.GetCareRequestRequest(id=care_id),
                                                     metadata=caller.to_metadata(), timeout=5))
        assert error.code() == grpc.StatusCode.NOT_FOUND


def test_a_retry_with_the_same_request_id_returns_the_first_request(api):
    key = f"retry-{uuid.uuid4().hex[:8]}"
    first = raise_request(api, request_id=key)
    again = raise_request(api, request_id=key)
    assert again.id == first.id


def test_open_requests_are_listed_most_urgent_first_a_page_at_a_time(api, channel):
    community = f"list-{uuid.uuid4().hex[:8]}"
    operator = Caller("op-zhao", frozenset({"operator"}), frozenset({community}))
    elder = register_elder(channel, community, f"{community}-elder")
    for kind in (pb.CARE_KIND_CLEANING, pb.CARE_KIND_EMERGENCY, pb.CARE_KIND_MEAL, pb.CARE_KIND_MEDICAL):
        raise_request(api, caller=operator, community_id=community, elder_id=elder, kind=kind)
    seen, token = [], ""
    while True:
        page = api.ListOpenCareRequests(pb.ListOpenCareRequestsRequest(page_size=3, page_token=token),
                                        metadata=operator.to_metadata(), timeout=5)
        seen += page.care_requests
        token = page.next_page_token
        if not token:
            break
    assert [r.kind for r in seen] == [pb.CARE_KIND_EMERGENCY, pb.CARE_KIND_MEDICAL, pb.CARE_KIND_MEAL,
                                      pb.CARE_KIND_CLEANING]


def test_an_operator_cannot_list_a_community_they_do_not_serve(api):
    error = rpc_error(lambda: api.ListOpenCareRequests(pb.ListOpenCareRequestsRequest(community_id=COMMUNITY),
                                                       metadata=STRANGER.to_metadata(), timeout=5))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


def test_a_forged_page_token_is_an_invalid_argument(api):
    error = rpc_error(lambda: api.ListOpenCareRequests(pb.ListOpenCareRequestsRequest(page_token="not-a-token"),
                                                       metadata=OPERATOR.to_metadata(), timeout=5))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_a_resident_sees_their_own_open_requests_only(api):
    mine = raise_request(api, caller=RESIDENT, channel=pb.CHANNEL_APP)
    raise_request(api, elder_id=NEIGHBOUR)
    listed = api.ListOpenCareRequests(pb.ListOpenCareRequestsRequest(page_size=200),
                                      metadata=RESIDENT.to_metadata(), timeout=5).care_requests
    assert mine.id in {r.id for r in listed}
    assert {r.elder_id for r in listed} == {ELDER}


# -- where a call is: the elder's registered home, or their own phone's fix -----------------------------

HOME = (41.8810, 123.9570)


def test_a_call_for_an_elder_nobody_registered_is_not_found_whoever_raises_it(api, channel):
    ghost = f"{COMMUNITY}-nobody"
    for caller, channel_kind in ((OPERATOR, pb.CHANNEL_PHONE),
                                 (Caller(ghost, frozenset({"resident"}), frozenset({COMMUNITY})), pb.CHANNEL_APP)):
        error = rpc_error(lambda: raise_request(api, caller=caller, elder_id=ghost, channel=channel_kind))
        assert error.code() == grpc.StatusCode.NOT_FOUND
    # Nor for an elder registered in another community.
    elsewhere = f"far-{uuid.uuid4().hex[:8]}"
    register_elder(channel, elsewhere, f"{elsewhere}-elder")
    error = rpc_error(lambda: raise_request(api, elder_id=f"{elsewhere}-elder"))
    assert error.code() == grpc.StatusCode.NOT_FOUND


def test_a_resident_raising_for_someone_else_is_denied_whether_or_not_they_are_registered(api):
    for elder_id in (NEIGHBOUR, f"{COMMUNITY}-nobody"):
        error = rpc_error(lambda: raise_request(api, caller=RESIDENT, elder_id=elder_id, channel=pb.CHANNEL_APP))
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED


def test_an_app_emergency_carries_the_elders_home_door_and_position(api, channel):
    elder = register_elder(channel, COMMUNITY, f"{COMMUNITY}-home-{uuid.uuid4().hex[:6]}", home=HOME)
    resident = Caller(elder, frozenset({"resident"}), frozenset({COMMUNITY}))
    raised = raise_request(api, caller=resident, elder_id=elder, channel=pb.CHANNEL_APP)
    assert (raised.location.building, raised.location.unit, raised.location.floor, raised.location.detail) == (
        "东区 3号楼", "2单元", 4, "402")
    assert (raised.position.latitude, raised.position.longitude) == HOME
    assert raised.position_source == pb.POSITION_SOURCE_HOME_ADDRESS and raised.position_accuracy_m == 0
    # Not an emergency and no location consent: the door, no map position.
    shopping = raise_request(api, caller=resident, elder_id=elder, channel=pb.CHANNEL_APP,
                             kind=pb.CARE_KIND_SHOPPING)
    assert shopping.location.building == "东区 3号楼" and not shopping.HasField("position")
    assert shopping.position_source == pb.POSITION_SOURCE_UNSPECIFIED


def test_the_elders_phone_sends_its_own_fix_with_its_accuracy(api, channel):
    elder = register_elder(channel, COMMUNITY, f"{COMMUNITY}-phone-{uuid.uuid4().hex[:6]}", home=HOME)
    resident = Caller(elder, frozenset({"resident"}), frozenset({COMMUNITY}))
    fix = common_pb2.GeoPoint(latitude=41.8830, longitude=123.9600)
    raised = raise_request(api, caller=resident, elder_id=elder, channel=pb.CHANNEL_APP, position=fix,
                           position_accuracy_m=25.0)
    assert raised.position == fix and raised.position_accuracy_m == 25.0
    assert raised.position_source == pb.POSITION_SOURCE_PHONE_GPS
    error = rpc_error(lambda: raise_request(api, caller=resident, elder_id=elder, channel=pb.CHANNEL_APP,
                                            position=fix))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "position_accuracy_m" in error.details()
