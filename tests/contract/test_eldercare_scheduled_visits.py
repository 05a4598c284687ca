"""Visits booked for later, through the eldercare gRPC contract: RaiseCareRequest with scheduled_for,
ListUpcomingCareRequests, and the live list that leaves them out until their time comes."""
import time
import uuid
from datetime import datetime, timedelta, timezone

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import error_details_pb2, status_pb2

from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.kit.identity import Caller
from linli.kit.mongo import connect
from tests.contract.conftest import register_elder


@pytest.fixture
def api(channel, community):
    register_elder(channel, community, f"{community}-elder-1")  # a call is only for a registered elder
    return pb_grpc.EldercareServiceStub(channel)


@pytest.fixture
def community():
    return f"booked-{uuid.uuid4().hex[:8]}"  # a fresh community per test: its lists hold only its own


def operator_of(community: str) -> Caller:
    return Caller("op-wang", frozenset({"operator"}), frozenset({community}))


def stamp(at: datetime) -> Timestamp:
    value = Timestamp()
    value.FromDatetime(at)
    return value


def book(api, community, when: datetime | None, caller=None, kind=pb.CARE_KIND_MEDICAL, channel=pb.CHANNEL_PHONE,
         **fields):
    message = pb.RaiseCareRequestRequest(community_id=community, elder_id=f"{community}-elder-1", kind=kind,
                                         channel=channel, **fields)
    if when is not None:
        message.scheduled_for.CopyFrom(stamp(when))
    return api.RaiseCareRequest(message, metadata=(caller or operator_of(community)).to_metadata(),
                                timeout=10).care_request


def listed(api, community, method, page_size=200) -> list[pb.CareRequest]:
    requests, token = [], ""
    while True:
        page = getattr(api, method)(
            getattr(pb, f"{method}Request")(community_id=community, page_size=page_size, page_token=token),
            metadata=operator_of(community).to_metadata(), timeout=5)
        requests += page.care_requests
        token = page.next_page_token
        if not token:
            return requests


def rpc_error(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def bad_fields(error: grpc.RpcError) -> set[str]:
    [details] = [value for key, value in error.trailing_metadata() if key == "grpc-status-details-bin"]
    bad_request = error_details_pb2.BadRequest()
    assert status_pb2.Status.FromString(details).details[0].Unpack(bad_request)
    return {v.field for v in bad_request.field_violations}


def test_a_visit_booked_for_later_carries_its_time_and_its_sla_runs_from_then(api, community):
    when = (datetime.now(timezone.utc) + timedelta(days=3)).replace(microsecond=0)
    booked = book(api, community, when, description="出院随访: 测血压")
    assert booked.scheduled_for.ToDatetime(tzinfo=timezone.utc) == when
    assert booked.status == pb.CARE_REQUEST_STATUS_RAISED
    # Medical: three minutes to acknowledge, counted from the booked time, not from raised_at (now).
    assert booked.acknowledge_due_at.ToSeconds() - booked.scheduled_for.ToSeconds() == 180
    assert booked.scheduled_for.ToSeconds() - booked.raised_at.ToSeconds() > 2 * 86400
    got = api.GetCareRequest(pb.GetCareRequestRequest(id=booked.id), metadata=operator_of(community).to_metadata(),
                             timeout=5).care_request
    assert got == booked


def test_a_call_to_answer_now_has_no_booked_time(api, community):
    call = book(api, community, None)
    assert not call.HasField("scheduled_for")
    assert call.acknowledge_due_at.ToSeconds() - call.raised_at.ToSeconds() == 180


def test_booked_visits_are_listed_upcoming_soonest_first_and_not_among_the_live_calls(api, community):
    now = datetime.now(timezone.utc)
    later = [book(api, community, now + timedelta(days=days), kind=kind).id
             for days, kind in ((5, pb.CARE_KIND_BATHING), (1, pb.CARE_KIND_MEDICAL), (3, pb.CARE_KIND_CLEANING))]
    live = book(api, community, None, kind=pb.CARE_KIND_MEAL)
    upcoming = listed(api, community, "ListUpcomingCareRequests", page_size=2)  # two pages
    assert [r.id for r in upcoming] == [later[1], later[2], later[0]]
    assert [r.id for r in listed(api, community, "ListOpenCareRequests")] == [live.id]


def test_a_booked_visit_acknowledged_ahead_of_its_time_stays_upcoming(api, community):
    booked = book(api, community, datetime.now(timezone.utc) + timedelta(days=2))
    api.AcknowledgeCareRequest(pb.AcknowledgeCareRequestRequest(id=booked.id),
                               metadata=operator_of(community).to_metadata(), timeout=5)
    assert [r.id for r in listed(api, community, "ListUpcomingCareRequests")] == [booked.id]
    assert listed(api, community, "ListOpenCareRequests") == []


def test_a_booked_visit_joins_the_live_calls_when_its_time_comes(api, community):
    booked = book(api, community, datetime.now(timezone.utc) + timedelta(seconds=6))
    assert [r.id for r in listed(api, community, "ListUpcomingCareRequests")] == [booked.id]
    deadline = time.monotonic() + 60
    while not listed(api, community, "ListOpenCareRequests"):
        assert time.monotonic() < deadline, "the booked visit never joined the live calls"
        time.sleep(1)
    assert [r.id for r in listed(api, community, "ListOpenCareRequests")] == [booked.id]
    assert listed(api, community, "ListUpcomingCareRequests") == []


def test_a_booked_visit_whose_time_has_come_waits_in_the_live_list_from_its_booked_time_not_its_booking(
        api, community):
    booked = book(api, community, datetime.now(timezone.utc) + timedelta(seconds=4))
    live = book(api, community, None)  # the same kind, raised after the booking but before its time
    deadline = time.monotonic() + 60
    while len(listed(api, community, "ListOpenCareRequests")) < 2:
        assert time.monotonic() < deadline, "the booked visit never joined the live calls"
        time.sleep(1)
    # The live call has waited longer: it comes first, on every page size.
    for page_size in (1, 200):
        assert [r.id for r in listed(api, community, "ListOpenCareRequests", page_size)] == [live.id, booked.id]


def test_requests_saved_before_the_waiting_sort_key_get_it_on_the_api_start_and_sort_by_it(api, community, stack):
    from services.eldercare.store.care_requests import CareRequestStore

    booked = book(api, community, datetime.now(timezone.utc) + timedelta(seconds=2))
    live = book(api, community, None)
    client = connect(stack.env["MONGO_URI"], "contract-tests")
    try:
        store = CareRequestStore(client, client[stack.env["MONGO_DB_PREFIX"] + "eldercare"])
        # As a release before the sort key saved them.
        store.requests.update_many({"community_id": community}, {"$unset": {"waiting_since": ""}})
        assert store.backfill_waiting_since() >= 2
        assert store.backfill_waiting_since() == 0  # idempotent: nothing left to do
        deadline = time.monotonic() + 60
        while len(listed(api, community, "ListOpenCareRequests")) < 2:  # the booked visit's time comes
            assert time.monotonic() < deadline, "the booked visit never joined the live calls"
            time.sleep(0.5)
        assert [r.id for r in listed(api, community, "ListOpenCareRequests", 1)] == [live.id, booked.id]
    finally:
        client.close()


@pytest.mark.parametrize("offset", [timedelta(minutes=-5), timedelta(days=93)], ids=["past", "beyond horizon"])
def test_a_booking_not_in_the_future_within_the_horizon_is_an_invalid_argument_naming_scheduled_for(
        api, community, offset):
    error = rpc_error(lambda: book(api, community, datetime.now(timezone.utc) + offset))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(error) == {"scheduled_for"}


def test_an_emergency_cannot_be_booked_for_later(api, community):
    error = rpc_error(lambda: book(api, community, datetime.now(timezone.utc) + timedelta(hours=1),
                                   kind=pb.CARE_KIND_EMERGENCY, channel=pb.CHANNEL_PHONE))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(error) == {"scheduled_for"}


def test_a_resident_may_not_book_a_visit_for_later(api, community):
    resident = Caller(f"{community}-elder-1", frozenset({"resident"}), frozenset({community}))
    error = rpc_error(lambda: book(api, community, datetime.now(timezone.utc) + timedelta(days=1), caller=resident,
                                   channel=pb.CHANNEL_APP))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


def test_an_operator_cannot_list_the_upcoming_visits_of_a_community_they_do_not_serve(api, community):
    stranger = Caller("op-li", frozenset({"operator"}), frozenset({"elsewhere"}))
    error = rpc_error(lambda: api.ListUpcomingCareRequests(
        pb.ListUpcomingCareRequestsRequest(community_id=community), metadata=stranger.to_metadata(), timeout=5))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


def test_a_forged_upcoming_page_token_is_an_invalid_argument(api, community):
    for token in ("not-a-token", "WyJub3QgYSB0aW1lIiwiaWQiXQ=="):  # the second: ["not a time","id"]
        error = rpc_error(lambda: api.ListUpcomingCareRequests(
            pb.ListUpcomingCareRequestsRequest(community_id=community, page_token=token),
            metadata=operator_of(community).to_metadata(), timeout=5))
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
