"""The care-request lifecycle and dispatch over gRPC, as the staff app and the board call them."""
import json
import time
import uuid

import grpc
import pika
import pytest

from linli.eldercare.v1 import common_pb2
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.eldercare.v1 import staff_pb2, staff_pb2_grpc
from linli.kit.identity import Caller
from tests.contract.conftest import register_elder

HOME = common_pb2.GeoPoint(latitude=41.8810, longitude=123.9570)
NEARBY = common_pb2.GeoPoint(latitude=41.8813, longitude=123.9572)
FAR = common_pb2.GeoPoint(latitude=41.8900, longitude=123.9570)


@pytest.fixture
def community():
    return f"lc-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def operator(community):
    return Caller("op-wang", frozenset({"operator"}), frozenset({community}))


@pytest.fixture
def api(channel, community):
    # The community's elders: a call is only for a registered elder.
    register_elder(channel, community, elder(community))
    register_elder(channel, community, elder(community, 2))
    return pb_grpc.EldercareServiceStub(channel)


def elder(community: str, n: int = 1) -> str:
    return f"{community}-elder-{n}"


@pytest.fixture
def staff_api(channel):
    return staff_pb2_grpc.StaffServiceStub(channel)


def caregiver(community, staff_id):
    return Caller(staff_id, frozenset({"caregiver"}), frozenset({community}))


def on_shift(staff_api, operator, community, staff_id, position, skills=(pb.CARE_KIND_BATHING,)):
    staff_api.RegisterStaff(staff_pb2.RegisterStaffRequest(id=staff_id, community_id=community, name=staff_id,
                                                           skills=list(skills)),
                            metadata=operator.to_metadata(), timeout=5)
    member = caregiver(community, staff_id)
    staff_api.StartShift(staff_pb2.StartShiftRequest(), metadata=member.to_metadata(), timeout=5)
    staff_api.ReportPosition(staff_pb2.ReportPositionRequest(position=position), metadata=member.to_metadata(),
                             timeout=5)
    return member


def raise_at_home(api, operator, community, kind=pb.CARE_KIND_BATHING):
    """An operator takes a phone call; the elder's home position comes with it only via devices, so
    these tests raise through a resident whose request carries no position, then rely on operator override
    where the geofence needs one."""
    return api.RaiseCareRequest(pb.RaiseCareRequestRequest(community_id=community, elder_id=elder(community), kind=kind,
                                                           channel=pb.CHANNEL_PHONE),
                                metadata=operator.to_metadata(), timeout=5).care_request


def call(method, request, caller):
    return method(request, metadata=caller.to_metadata(), timeout=5).care_request


def test_dispatch_suggests_the_nearest_on_shift_staff_with_reasons(api, staff_api, operator, community):
    on_shift(staff_api, operator, community, "cg-near", NEARBY)
    on_shift(staff_api, operator, community, "cg-far", FAR)
    on_shift(staff_api, operator, community, "cg-cook", NEARBY, skills=(pb.CARE_KIND_MEAL,))
    request = raise_at_home(api, operator, community)
    reply = api.SuggestAssignees(pb.SuggestAssigneesRequest(id=request.id), metadata=operator.to_metadata(), timeout=5)
    # The phone call has no position: both are "position unknown", so the order falls back to ids.
    assert {c.assignee_id for c in reply.candidates} == {"cg-near", "cg-far"}
    assert all(c.reasons for c in reply.candidates)


def test_dispatch_offers_staff_alone_when_the_volunteer_service_does_not_answer(api, staff_api, operator,
                                                                               community):
    # No volunteer worker runs beside this api (its broker vhost has none), so the RPC for volunteers
    # fails; shopping welcomes volunteers, yet dispatch must answer at once with the staff it has.
    on_shift(staff_api, operator, community, "cg-shopper", NEARBY, skills=(pb.CARE_KIND_SHOPPING,))
    request = raise_at_home(api, operator, community, kind=pb.CARE_KIND_SHOPPING)
    started = time.monotonic()
    reply = api.SuggestAssignees(pb.SuggestAssigneesRequest(id=request.id), metadata=operator.to_metadata(), timeout=5)
    assert [(c.assignee_id, c.assignee_kind) for c in reply.candidates] == [("cg-shopper", pb.ASSIGNEE_KIND_STAFF)]
    assert time.monotonic() - started < 4


def test_a_staff_job_goes_from_assignment_to_closed(api, staff_api, operator, community):
    member = on_shift(staff_api, operator, community, "cg-li", NEARBY)
    request = raise_at_home(api, operator, community)
    assigned = call(api.AssignCareRequest, pb.AssignCareRequestRequest(
        id=request.id, assignee_id="cg-li", assignee_kind=pb.ASSIGNEE_KIND_STAFF), operator)
    assert assigned.status == pb.CARE_REQUEST_STATUS_ASSIGNED and assigned.assignment.assignee_name == "cg-li"
    mine = api.ListMyCareRequests(pb.ListMyCareRequestsRequest(), metadata=member.to_metadata(), timeout=5)
    assert [r.id for r in mine.care_requests] == [request.id]
    call(api.AcceptAssignment, pb.AcceptAssignmentRequest(id=request.id), member)
    travelling = call(api.StartTravel, pb.StartTravelRequest(id=request.id, eta_minutes=7), member)
    assert travelling.eta.ToSeconds() - travelling.history[-1].at.ToSeconds() == 7 * 60
    # No home position on a phone call: only an operator can check the visitor in, with a reason.
    with pytest.raises(grpc.RpcError) as refused:
        call(api.ArriveOnSite, pb.ArriveOnSiteRequest(id=request.id, position=NEARBY), member)
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    arrived = call(api.ArriveOnSite, pb.ArriveOnSiteRequest(id=request.id, position=NEARBY,
                                                            override_reason="电话确认已到"), operator)
    assert arrived.visit.override_by == "op-wang"
    done = call(api.CompleteCareRequest, pb.CompleteCareRequestRequest(id=request.id, notes="完成"), member)
    assert done.status == pb.CARE_REQUEST_STATUS_COMPLETED
    closed = call(api.CloseCareRequest, pb.CloseCareRequestRequest(id=request.id,
                                                                   disposition=pb.DISPOSITION_RESOLVED), operator)
    assert closed.status == pb.CARE_REQUEST_STATUS_CLOSED
    assert [t.status for t in closed.history] == [
        pb.CARE_REQUEST_STATUS_RAISED, pb.CARE_REQUEST_STATUS_ASSIGNED, pb.CARE_REQUEST_STATUS_ASSIGNED,
        pb.CARE_REQUEST_STATUS_EN_ROUTE, pb.CARE_REQUEST_STATUS_ON_SITE, pb.CARE_REQUEST_STATUS_COMPLETED,
        pb.CARE_REQUEST_STATUS_CLOSED]


def test_a_call_raised_from_the_app_checks_the_visitor_in_at_the_elders_home_without_an_override(
        api, staff_api, operator, community, channel):
    elder_id = register_elder(channel, community, elder(community, 3), home=(HOME.latitude, HOME.longitude),
                              location_consent=True)
    resident = Caller(elder_id, frozenset({"resident"}), frozenset({community}))
    member = on_shift(staff_api, operator, community, f"cg-{community}", NEARBY)
    request = call(api.RaiseCareRequest, pb.RaiseCareRequestRequest(
        community_id=community, elder_id=elder_id, kind=pb.CARE_KIND_BATHING, channel=pb.CHANNEL_APP), resident)
    assert request.position == HOME and request.position_source == pb.POSITION_SOURCE_HOME_ADDRESS
    call(api.AssignCareRequest, pb.AssignCareRequestRequest(
        id=request.id, assignee_id=member.subject, assignee_kind=pb.ASSIGNEE_KIND_STAFF), operator)
    call(api.StartTravel, pb.StartTravelRequest(id=request.id, eta_minutes=5), member)
    arrived = call(api.ArriveOnSite, pb.ArriveOnSiteRequest(id=request.id, position=NEARBY), member)
    assert arrived.status == pb.CARE_REQUEST_STATUS_ON_SITE and not arrived.visit.override_reason
    assert 0 < arrived.visit.distance_m < 100


def test_assigning_someone_outside_the_community_is_not_found(api, staff_api, operator, community):
    request = raise_at_home(api, operator, community)
    with pytest.raises(grpc.RpcError) as error:
        call(api.AssignCareRequest, pb.AssignCareRequestRequest(
            id=request.id, assignee_id="nobody", assignee_kind=pb.ASSIGNEE_KIND_STAFF), operator)
    assert error.value.code() == grpc.StatusCode.NOT_FOUND


def test_an_illegal_transition_is_a_failed_precondition_and_changes_nothing(api, operator, community):
    request = raise_at_home(api, operator, community)
    with pytest.raises(grpc.RpcError) as error:
        call(api.CloseCareRequest, pb.CloseCareRequestRequest(id=request.id, disposition=pb.DISPOSITION_RESOLVED),
             operator)
    assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "raised" in error.value.details()
    again = api.GetCareRequest(pb.GetCareRequestRequest(id=request.id), metadata=operator.to_metadata(), timeout=5)
    assert again.care_request.version == request.version


def bind_to_care_request_events(amqp_uri):
    """A queue on eldercare's exchange, to see the events the api's relay publishes."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.exchange_declare("eldercare.events", exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, "eldercare.events", "care_request.*")
    return connection, channel, queue


def test_the_board_resumes_after_the_last_event_it_saw(api, operator, community, amqp_uri):
    connection, channel, queue = bind_to_care_request_events(amqp_uri)
    try:
        raised = [raise_at_home(api, operator, community) for _ in range(3)]
        seen, deadline = [], time.monotonic() + 10
        while len(seen) < 3 and time.monotonic() < deadline:
            method, _, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                time.sleep(0.05)
            elif json.loads(body)["community_id"] == community:
                seen.append(json.loads(body))
    finally:
        connection.close()
    assert [e["data"]["care_request"]["id"] for e in seen] == [r.id for r in raised]
    resumed = api.ListBoardEvents(pb.ListBoardEventsRequest(after_event_id=seen[0]["id"]),
                                  metadata=operator.to_metadata(), timeout=5)
    assert resumed.complete
    assert [e.id for e in resumed.events] == [e["id"] for e in seen[1:]]
    assert [e.care_request.id for e in resumed.events] == [r.id for r in raised[1:]]
    stranger = Caller("op-far", frozenset({"operator"}), frozenset({"elsewhere"}))
    neighbour = Caller(elder(community, 2), frozenset({"resident"}), frozenset({community}))
    for outsider in (stranger, neighbour):
        hidden = api.ListBoardEvents(pb.ListBoardEventsRequest(after_event_id=seen[0]["id"]),
                                     metadata=outsider.to_metadata(), timeout=5)
        assert not hidden.events
    # The elder's own stream resumes with the events of their own requests.
    resident = Caller(elder(community), frozenset({"resident"}), frozenset({community}))
    own = api.ListBoardEvents(pb.ListBoardEventsRequest(after_event_id=seen[0]["id"]),
                              metadata=resident.to_metadata(), timeout=5)
    assert [e.care_request.id for e in own.events if e.care_request.community_id == community] == [
        r.id for r in raised[1:]]


def test_resuming_from_an_unknown_event_tells_the_board_to_reload(api, operator):
    stale = api.ListBoardEvents(pb.ListBoardEventsRequest(after_event_id="unknown"), metadata=operator.to_metadata(),
                                timeout=5)
    assert not stale.complete and not stale.events


def test_figures_need_a_valid_range_and_an_operator_of_the_community(api, operator, community):
    with pytest.raises(grpc.RpcError) as error:
        api.GetCareFigures(pb.GetCareFiguresRequest(community_id=community, from_day="2026-11-30", to_day="2026-11-01"),
                           metadata=operator.to_metadata(), timeout=5)
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    stranger = Caller("op-far", frozenset({"operator"}), frozenset({"elsewhere"}))
    with pytest.raises(grpc.RpcError) as error:
        api.GetCareFigures(pb.GetCareFiguresRequest(community_id=community, from_day="2026-11-27"),
                           metadata=stranger.to_metadata(), timeout=5)
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
