"""The notify api over a real socket (served in this process over the notify tests' SecantusDB): every call
acts on the caller's own records, bad input gets INVALID_ARGUMENT naming the fields, the inbox pages."""
import uuid
from datetime import timedelta

import grpc
import pytest
from google.protobuf import field_mask_pb2
from google.rpc import error_details_pb2, status_pb2

from linli.kit.grpc_server import GrpcApi
from linli.kit.identity import Caller
from linli.kit.mongo import ensure_indexes
from linli.notify.v1 import notify_pb2 as pb
from linli.notify.v1 import notify_pb2_grpc as pb_grpc
from services.notify.api.__main__ import bindings
from services.notify.domain import notifications as notes
from services.notify.store.notify import INDEXES, NotifyStore
from tests.contract.notify_stack import AFTERNOON, COMMUNITY, Clock, b64url, notify_mongo, push_service  # noqa: F401


@pytest.fixture(scope="module")
def served(notify_mongo):
    db = notify_mongo[f"notify_api_{uuid.uuid4().hex[:8]}"]
    ensure_indexes(db, INDEXES)
    server = GrpcApi("127.0.0.1:0", bindings(notify_mongo, db, "BPUBLICKEY", Clock()))
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        yield pb_grpc.NotifyServiceStub(channel), NotifyStore(notify_mongo, db)
    server.stop(0)


def as_(role: str, subject: str | None = None) -> list:
    return Caller(subject or f"{role}-{uuid.uuid4().hex[:6]}", frozenset({role}), frozenset({COMMUNITY})).to_metadata()


def field_violations(error: grpc.RpcError) -> set[str]:
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                bad = error_details_pb2.BadRequest()
                if detail.Unpack(bad):
                    return {v.field for v in bad.field_violations}
    return set()


def web_push(push_service) -> pb.Endpoint:
    browser = push_service.subscription()
    return pb.Endpoint(kind=pb.ENDPOINT_KIND_WEB_PUSH, push_url=browser.push_url, p256dh=browser.p256dh,
                       auth=b64url(browser.auth), label="手机")


def test_a_subscription_registered_twice_is_one_endpoint_and_only_its_owner_removes_it(served, push_service):
    api, _ = served
    me, neighbour = as_("family"), as_("family")
    endpoint = web_push(push_service)
    first = api.RegisterEndpoint(pb.RegisterEndpointRequest(endpoint=endpoint), metadata=me).endpoint
    again = api.RegisterEndpoint(pb.RegisterEndpointRequest(endpoint=endpoint), metadata=me).endpoint
    assert first.id == again.id and not first.p256dh  # the keys stay with the service
    assert [e.id for e in api.ListMyEndpoints(pb.ListMyEndpointsRequest(), metadata=me).endpoints] == [first.id]

    with pytest.raises(grpc.RpcError) as refused:
        api.RemoveEndpoint(pb.RemoveEndpointRequest(id=first.id), metadata=neighbour)
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND
    api.RemoveEndpoint(pb.RemoveEndpointRequest(id=first.id), metadata=me)
    assert list(api.ListMyEndpoints(pb.ListMyEndpointsRequest(), metadata=me).endpoints) == []


def test_a_bad_subscription_is_refused_naming_each_field(served):
    api, _ = served
    with pytest.raises(grpc.RpcError) as refused:
        api.RegisterEndpoint(pb.RegisterEndpointRequest(endpoint=pb.Endpoint(
            kind=pb.ENDPOINT_KIND_WEB_PUSH, push_url="http://push.example.com/x", p256dh="abc", auth="")),
            metadata=as_("resident"))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field_violations(refused.value) == {"push_url", "p256dh", "auth"}


def test_only_operators_go_on_duty_and_quiet_hours_need_both_ends(served):
    api, _ = served
    on_duty = pb.UpdateMyPreferencesRequest(preferences=pb.Preferences(on_duty=True),
                                            update_mask=field_mask_pb2.FieldMask(paths=["on_duty"]))
    with pytest.raises(grpc.RpcError) as refused:
        api.UpdateMyPreferences(on_duty, metadata=as_("caregiver"))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert api.UpdateMyPreferences(on_duty, metadata=as_("operator")).preferences.on_duty

    with pytest.raises(grpc.RpcError) as half:
        api.UpdateMyPreferences(pb.UpdateMyPreferencesRequest(
            preferences=pb.Preferences(quiet_hours_start="22:00"),
            update_mask=field_mask_pb2.FieldMask(paths=["quiet_hours"])), metadata=as_("family"))
    assert half.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field_violations(half.value) == {"quiet_hours_end"}


def test_the_inbox_pages_newest_first_counts_unread_and_is_nobody_elses(served):
    api, store = served
    subject = f"family-{uuid.uuid4().hex[:6]}"
    made = [notes.Notification(f"ev-{i}:{subject}", subject, COMMUNITY, f"ev-{i}", notes.COMPLETED, "cr-1", "elder-1",
                               notes.ROUTINE, "服务已完成", f"第{i}条", "zh", AFTERNOON + timedelta(minutes=i))
            for i in range(5)]
    store.add_notifications(None, made, 0)
    me = as_("family", subject)

    first = api.ListMyNotifications(pb.ListMyNotificationsRequest(page_size=2), metadata=me)
    second = api.ListMyNotifications(pb.ListMyNotificationsRequest(page_size=2, page_token=first.next_page_token),
                                     metadata=me)
    third = api.ListMyNotifications(pb.ListMyNotificationsRequest(page_size=2, page_token=second.next_page_token),
                                    metadata=me)
    assert [n.body for n in [*first.notifications, *second.notifications, *third.notifications]] == \
           ["第4条", "第3条", "第2条", "第1条", "第0条"]
    assert third.next_page_token == "" and first.unread_count == 5

    with pytest.raises(grpc.RpcError) as refused:
        api.MarkNotification(pb.MarkNotificationRequest(id=made[0].id, read=True), metadata=as_("operator"))
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND
    read = api.MarkNotification(pb.MarkNotificationRequest(id=made[0].id, read=True), metadata=me).notification
    assert read.read_at.ToDatetime().replace(tzinfo=AFTERNOON.tzinfo) == AFTERNOON
    unread = api.ListMyNotifications(pb.ListMyNotificationsRequest(unread_only=True), metadata=me)
    assert unread.unread_count == 4 and made[0].id not in [n.id for n in unread.notifications]

    with pytest.raises(grpc.RpcError) as forged:
        api.ListMyNotifications(pb.ListMyNotificationsRequest(page_token="bm90LWEtdG9rZW4"), metadata=me)
    assert forged.value.code() == grpc.StatusCode.INVALID_ARGUMENT
