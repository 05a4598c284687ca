"""The ResidentService gRPC contract, as any grpcio client sees it: elders, devices, presses, alerts."""
import uuid

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from linli.eldercare.v1 import common_pb2
from linli.eldercare.v1 import eldercare_pb2 as care_pb
from linli.eldercare.v1 import eldercare_pb2_grpc as care_pb_grpc
from linli.eldercare.v1 import residents_pb2 as pb
from linli.eldercare.v1 import residents_pb2_grpc as pb_grpc
from linli.kit.identity import Caller

COMMUNITY = f"c-{uuid.uuid4().hex[:8]}"  # isolates this run's records from other tests'
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY}))
STRANGER = Caller("op-li", frozenset({"operator"}), frozenset({"elsewhere"}))
DAUGHTER = Caller("user-liu-mei", frozenset({"family"}), frozenset())
POSITION = common_pb2.GeoPoint(latitude=41.8805, longitude=123.9571)


@pytest.fixture
def api(channel):
    return pb_grpc.ResidentServiceStub(channel)


def call(method, request, caller=OPERATOR):
    return method(request, metadata=caller.to_metadata(), timeout=10)


def rpc_error(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def register_elder(api, consent_location=True) -> pb.Elder:
    elder_id = f"elder-{uuid.uuid4().hex[:8]}"
    details = pb.ElderDetails(
        name="刘桂兰", phone="138 0413 0312", mobility=pb.MOBILITY_USES_AID,
        address=common_pb2.Address(building="东区 3号楼", unit="2单元", floor=4, room="402", position=POSITION),
        contacts=[common_pb2.Contact(name="刘梅", relation="女儿", phone="139 0413 0001", user_id=DAUGHTER.subject)],
        allergies=["青霉素"],
    )
    elder = call(api.RegisterElder, pb.RegisterElderRequest(id=elder_id, community_id=COMMUNITY,
                                                            details=details)).elder
    if consent_location:
        elder = call(api.RecordConsent, pb.RecordConsentRequest(elder_id=elder_id, topic=pb.CONSENT_TOPIC_LOCATION,
                                                                granted=True)).elder
    return elder


def register_device(api, elder: pb.Elder) -> pb.Device:
    return call(api.RegisterDevice, pb.RegisterDeviceRequest(id=f"pager-{uuid.uuid4().hex[:8]}", elder_id=elder.id,
                                                             kind=pb.DEVICE_KIND_PAGER)).device


def test_a_registered_elder_is_shown_to_staff_without_health_data_until_they_consent(api):
    elder = register_elder(api)
    got = call(api.GetElder, pb.GetElderRequest(id=elder.id)).elder
    assert got.name == "刘桂兰" and got.address.room == "402" and got.address.position == POSITION
    assert list(got.allergies) == [] and pb.ELDER_PART_HEALTH in got.withheld_parts
    call(api.RecordConsent, pb.RecordConsentRequest(elder_id=elder.id, topic=pb.CONSENT_TOPIC_HEALTH, granted=True))
    got = call(api.GetElder, pb.GetElderRequest(id=elder.id)).elder
    assert list(got.allergies) == ["青霉素"] and list(got.withheld_parts) == []


def test_a_press_raises_a_care_request_at_the_elders_home(api, channel):
    elder = register_elder(api)
    device = register_device(api, elder)
    pager = Caller(device.id, frozenset({"device"}), frozenset({COMMUNITY}))
    raised = call(api.PressDevice, pb.PressDeviceRequest(device_id=device.id, kind=care_pb.CARE_KIND_EMERGENCY),
                  caller=pager).care_request
    assert (raised.elder_id, raised.community_id, raised.channel, raised.device_id) == (
        elder.id, COMMUNITY, care_pb.CHANNEL_DEVICE, device.id)
    assert (raised.location.building, raised.location.unit, raised.location.floor, raised.location.detail) == (
        "东区 3号楼", "2单元", 4, "402")
    assert raised.position == POSITION
    care_api = care_pb_grpc.EldercareServiceStub(channel)
    stored = call(care_api.GetCareRequest, care_pb.GetCareRequestRequest(id=raised.id)).care_request
    assert stored.device_id == device.id and stored.position == POSITION


def test_pressing_again_while_the_call_is_unanswered_raises_nothing_new(api, channel):
    device = register_device(api, register_elder(api))
    pager = Caller(device.id, frozenset({"device"}), frozenset({COMMUNITY}))
    press = pb.PressDeviceRequest(device_id=device.id, kind=care_pb.CARE_KIND_EMERGENCY)
    first = call(api.PressDevice, press, caller=pager).care_request
    again = call(api.PressDevice, press, caller=pager).care_request
    assert again.id == first.id
    care_api = care_pb_grpc.EldercareServiceStub(channel)
    call(care_api.AcknowledgeCareRequest, care_pb.AcknowledgeCareRequestRequest(id=first.id))
    answered_then_pressed = call(api.PressDevice, press, caller=pager).care_request
    assert answered_then_pressed.id != first.id


def test_a_press_for_an_unregistered_device_is_not_found(api):
    error = rpc_error(lambda: call(api.PressDevice, pb.PressDeviceRequest(device_id="pager-nobody",
                                                                           kind=care_pb.CARE_KIND_EMERGENCY)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


def test_a_press_for_a_device_in_a_community_the_caller_does_not_serve_is_denied(api):
    device = register_device(api, register_elder(api))
    error = rpc_error(lambda: call(api.PressDevice, pb.PressDeviceRequest(device_id=device.id,
                                                                           kind=care_pb.CARE_KIND_EMERGENCY),
                                   caller=STRANGER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


def test_another_communitys_operator_and_an_unknown_id_both_get_not_found(api):
    elder = register_elder(api)
    for caller, elder_id in ((STRANGER, elder.id), (OPERATOR, "elder-nobody")):
        error = rpc_error(lambda: call(api.GetElder, pb.GetElderRequest(id=elder_id), caller=caller))
        assert error.code() == grpc.StatusCode.NOT_FOUND


def test_family_see_their_elder_without_position_or_health_they_were_not_given(api):
    elder = register_elder(api, consent_location=False)
    got = call(api.GetElder, pb.GetElderRequest(id=elder.id), caller=DAUGHTER).elder
    assert got.name == "刘桂兰" and got.address.building == "东区 3号楼"
    assert not got.address.HasField("position") and list(got.allergies) == []
    assert set(got.withheld_parts) == {pb.ELDER_PART_POSITION, pb.ELDER_PART_HEALTH}
    listed = call(api.ListElders, pb.ListEldersRequest(), caller=DAUGHTER).elders
    assert elder.id in {e.id for e in listed}


def test_an_update_changes_only_the_masked_fields(api):
    elder = register_elder(api)
    updated = call(api.UpdateElder, pb.UpdateElderRequest(
        id=elder.id, details=pb.ElderDetails(phone="139 0000 0000"), update_mask=FieldMask(paths=["phone"]))).elder
    assert updated.phone == "139 0000 0000" and updated.name == "刘桂兰" and updated.version == elder.version + 1


def test_elders_are_listed_a_page_at_a_time(api):
    ids = {register_elder(api, consent_location=False).id for _ in range(3)}
    seen, token = [], ""
    while True:
        page = call(api.ListElders, pb.ListEldersRequest(community_id=COMMUNITY, page_size=2, page_token=token))
        seen += [e.id for e in page.elders]
        token = page.next_page_token
        if not token:
            break
    assert ids <= set(seen) and len(seen) == len(set(seen))


def test_a_low_battery_raises_a_maintenance_alert_an_operator_resolves(api):
    device = register_device(api, register_elder(api))
    pager = Caller(device.id, frozenset({"device"}), frozenset({COMMUNITY}))
    reported = call(api.ReportDeviceHeartbeat, pb.ReportDeviceHeartbeatRequest(device_id=device.id,
                                                                               battery_percent=12), caller=pager)
    assert reported.device.battery_percent == 12
    alerts = call(api.ListMaintenanceAlerts, pb.ListMaintenanceAlertsRequest(community_id=COMMUNITY)).alerts
    [alert] = [a for a in alerts if a.device_id == device.id]
    assert alert.reason == pb.MAINTENANCE_REASON_LOW_BATTERY and alert.battery_percent == 12
    resolved = call(api.ResolveMaintenanceAlert, pb.ResolveMaintenanceAlertRequest(id=alert.id, note="换了电池")).alert
    assert resolved.resolved_by == "op-wang" and resolved.HasField("resolved_at")
    open_alerts = call(api.ListMaintenanceAlerts, pb.ListMaintenanceAlertsRequest(community_id=COMMUNITY)).alerts
    assert alert.id not in {a.id for a in open_alerts}
    error = rpc_error(lambda: call(api.ResolveMaintenanceAlert, pb.ResolveMaintenanceAlertRequest(id=alert.id),
                                   caller=STRANGER))
    assert error.code() == grpc.StatusCode.NOT_FOUND


def test_registering_an_elder_twice_is_already_exists(api):
    elder = register_elder(api, consent_location=False)
    error = rpc_error(lambda: call(api.RegisterElder, pb.RegisterElderRequest(
        id=elder.id, community_id=COMMUNITY, details=pb.ElderDetails(name="刘桂兰"))))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
