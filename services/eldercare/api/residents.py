"""ResidentService: elders, their call devices and the devices' maintenance alerts. Decode the request,
apply the domain's rules, save through the store, encode the reply. The proto <-> domain translations of
this area live here too (the alert's, shared with its events, in events.py)."""
import secrets
import uuid
from dataclasses import replace

import pymongo

from linli.eldercare.v1 import common_pb2, eldercare_pb2
from linli.eldercare.v1 import residents_pb2 as pb
from linli.eldercare.v1 import residents_pb2_grpc as pb_grpc
from linli.kit import pagination
from linli.kit.errors import InvalidArgument, NotFound
from linli.kit.identity import Caller, current_caller
from linli.kit.mongo import is_duplicate_key, utcnow
from linli.kit.protomap import enum_number, known_enum_name, timestamp
from services.eldercare import events, messages
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import residents
from services.eldercare.domain.care_requests import GeoPoint
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store.residents import ResidentStore

PARTS = {
    residents.ADDRESS: pb.ELDER_PART_ADDRESS, residents.POSITION: pb.ELDER_PART_POSITION,
    residents.CONTACTS: pb.ELDER_PART_CONTACTS, residents.KEY_HOLDERS: pb.ELDER_PART_KEY_HOLDERS,
    residents.HEALTH_DATA: pb.ELDER_PART_HEALTH, residents.CONSENTS: pb.ELDER_PART_CONSENTS,
}


# -- proto -> domain

def elder_details(message: pb.ElderDetails) -> residents.ElderDetails:
    a = message.address
    return residents.ElderDetails(
        name=message.name, phone=message.phone, mobility=known_enum_name(pb.Mobility, message.mobility),
        address=residents.Address(a.building, a.unit, a.floor, a.room,
                                  GeoPoint(a.position.latitude, a.position.longitude)
                                  if a.HasField("position") else None),
        contacts=tuple(residents.Contact(c.name, c.relation, c.phone, c.user_id, c.holds_key)
                       for c in message.contacts),
        conditions=tuple(message.conditions), medications=tuple(message.medications),
        allergies=tuple(message.allergies),
    )


# -- domain -> proto

def elder_message(view: residents.ElderView) -> pb.Elder:
    elder, d = view.elder, view.elder.details
    a = d.address
    consents = [residents.current_consent(elder, topic) for topic in residents.CONSENT_TOPICS]
    return pb.Elder(
        id=elder.id, community_id=elder.community_id, name=d.name, phone=d.phone,
        mobility=enum_number(pb.Mobility, d.mobility),
        address=common_pb2.Address(building=a.building, unit=a.unit, floor=a.floor, room=a.room,
                                   position=messages.geo_point_message(a.position)),
        contacts=[common_pb2.Contact(name=c.name, relation=c.relation, phone=c.phone, user_id=c.user_id,
                                     holds_key=c.holds_key) for c in d.contacts],
        conditions=d.conditions, medications=d.medications, allergies=d.allergies,
        consents=[pb.Consent(topic=enum_number(pb.ConsentTopic, c.topic), granted=c.granted,
                             recorded_by=c.recorded_by, recorded_at=timestamp(c.recorded_at))
                  for c in consents if c is not None],
        registered_at=timestamp(elder.registered_at), registered_by=elder.registered_by,
        updated_at=timestamp(elder.updated_at), version=elder.version,
        withheld_parts=sorted(PARTS[part] for part in view.withheld),
    )


def device_message(device: residents.Device) -> pb.Device:
    return pb.Device(
        id=device.id, community_id=device.community_id, elder_id=device.elder_id,
        kind=enum_number(pb.DeviceKind, device.kind),
        heartbeat_interval_seconds=int(device.heartbeat_interval.total_seconds()),
        registered_at=timestamp(device.registered_at), registered_by=device.registered_by,
        last_heartbeat_at=timestamp(device.last_heartbeat_at),
        battery_percent=-1 if device.battery_percent is None else device.battery_percent, version=device.version,
        secret_issued_at=timestamp(device.secret_issued_at), revoked_at=timestamp(device.revoked_at),
        speakerphone=device.speakerphone,
    )


def new_device_secret() -> str:
    """32 random bytes, URL-safe text: the device's MQTT password."""
    return secrets.token_urlsafe(32)


def _id(value: str, field: str = "id") -> str:
    if not care.ID_PATTERN.match(value):
        raise InvalidArgument(f"{field} is required", {field: "1 to 64 letters, digits or . _ : -"})
    return value


class ResidentApi(pb_grpc.ResidentServiceServicer):
    def __init__(self, store: ResidentStore, care_requests: CareRequestStore, policy,
                 clock=utcnow):
        self.store = store
        self.care_requests = care_requests
        self.policy = policy
        self.clock = clock

    def _contexts(self, caller: Caller, elder_ids: list[str]) -> dict[str, residents.CareContext]:
        """Per elder: an emergency in progress? the caller assigned? (read from their care requests)"""
        if not elder_ids:
            return {}
        scope = care.ListScope(None, elder_ids=frozenset(elder_ids))
        requests = self.care_requests.list_requests(scope, residents.IN_PROGRESS, None, 1000)
        return {elder_id: residents.care_context(caller, elder_id, requests) for elder_id in elder_ids}

    def _view(self, caller: Caller, elder: residents.Elder | None, elder_id: str) -> residents.ElderView:
        context = self._contexts(caller, [elder_id])[elder_id] if elder is not None else residents.CareContext()
        return residents.view(caller, elder, elder_id, context)

    def _elder(self, caller: Caller, elder_id: str) -> residents.Elder:
        """The whole elder, when the caller may see them at all (for commands, which check their own rights)."""
        elder_id = _id(elder_id)
        elder = self.store.get_elder(elder_id)
        self._view(caller, elder, elder_id)
        return elder

    # -- elders

    def RegisterElder(self, request, context):
        caller = current_caller()
        elder = residents.register(caller, request.id, request.community_id, elder_details(request.details),
                                   self.clock())
        self.store.add_elder(elder)
        return pb.RegisterElderResponse(elder=elder_message(residents.view(caller, elder, elder.id)))

    def UpdateElder(self, request, context):
        caller = current_caller()
        elder = self._elder(caller, request.id)
        changed = residents.update(caller, elder, elder_details(request.details), set(request.update_mask.paths),
                                   self.clock())
        self.store.save_elder(changed)
        return pb.UpdateElderResponse(elder=elder_message(self._view(caller, changed, changed.id)))

    def GetElder(self, request, context):
        caller = current_caller()
        elder_id = _id(request.id)
        return pb.GetElderResponse(elder=elder_message(self._view(caller, self.store.get_elder(elder_id), elder_id)))

    def ListElders(self, request, context):
        caller = current_caller()
        scope = residents.list_scope(caller, request.community_id)
        size = pagination.page_size(request.page_size)
        after = pagination.position(request.page_token, 1)
        page = self.store.list_elders(scope, after[0] if after else None, size + 1)
        contexts = self._contexts(caller, [elder.id for elder in page[:size]])
        reply = pb.ListEldersResponse(elders=[
            elder_message(residents.view(caller, elder, elder.id, contexts[elder.id])) for elder in page[:size]])
        if len(page) > size:
            reply.next_page_token = pagination.encode([page[size - 1].id])
        return reply

    def RecordConsent(self, request, context):
        caller = current_caller()
        elder = self._elder(caller, request.elder_id)
        changed = residents.record_consent(caller, elder, known_enum_name(pb.ConsentTopic, request.topic), request.granted,
                                           self.clock())
        self.store.save_elder(changed)
        return pb.RecordConsentResponse(elder=elder_message(self._view(caller, changed, changed.id)))

    # -- devices

    def RegisterDevice(self, request, context):
        caller = current_caller()
        elder = self._elder(caller, request.elder_id)
        secret = new_device_secret()
        device = residents.register_device(caller, elder, request.id, known_enum_name(pb.DeviceKind, request.kind),
                                           request.heartbeat_interval_seconds, self.clock(), secret,
                                           request.speakerphone)
        self.store.add_device(device)
        return pb.RegisterDeviceResponse(device=device_message(device), secret=secret)

    def RotateDeviceSecret(self, request, context):
        secret = new_device_secret()
        device = self._device(request.device_id)
        rotated = self.store.save_device(residents.rotate_secret(current_caller(), device, secret, self.clock()))
        return pb.RotateDeviceSecretResponse(device=device_message(rotated), secret=secret)

    def RevokeDevice(self, request, context):
        device = self._device(request.device_id)
        revoked = residents.revoke(current_caller(), device, self.clock())
        if revoked is not device:
            self.store.save_device(revoked)
        return pb.RevokeDeviceResponse(device=device_message(revoked))

    def _device(self, device_id: str) -> residents.Device:
        device_id = _id(device_id, "device_id")
        device = self.store.get_device(device_id)
        if device is None:
            raise NotFound(f"device {device_id} is not registered")
        return device

    def ReportDeviceHeartbeat(self, request, context):
        device = self._device(request.device_id)
        updated, alert = residents.heartbeat(current_caller(), device, request.battery_percent, self.clock(),
                                             str(uuid.uuid4()))
        event = events.maintenance_event(residents.DEVICE_MAINTENANCE_NEEDED, alert) if alert else None
        self.store.save_device(updated, alert, event)
        return pb.ReportDeviceHeartbeatResponse(device=device_message(updated))

    def PressDevice(self, request, context):
        caller, now = current_caller(), self.clock()
        device = self._device(request.device_id)
        elder = self.store.get_elder(device.elder_id)
        if elder is None:
            raise NotFound(f"device {device.id} is registered to an elder who is no longer registered")
        new = residents.press(caller, device, elder, known_enum_name(eldercare_pb2.CareKind, request.kind))
        if request.press_id:
            # A press the device sent twice (MQTT QoS 1 delivers at least once) raises one request.
            new = replace(new, request_id=_id(f"press:{request.press_id}", "press_id"))
            first = self.care_requests.find_retry(new.community_id, caller.subject, new.request_id)
            if first is not None:
                return pb.PressDeviceResponse(care_request=messages.care_request(first))
        raised = care.raise_request(caller, new, str(uuid.uuid4()), now, self.policy)
        if device.call_media:  # a terminal that can speak offers a call with the request (one event)
            raised = care.offer_call(raised, str(uuid.uuid4()), device.call_media, device.id, caller.subject, now,
                                     elder.details.phone, new=True)

        def decide(unanswered: list[care.CareRequest]):
            repeated = care.repeated_press(unanswered, new, now)
            if repeated is None:
                return raised, events.raised(raised)
            if device.call_media and repeated.live_call is None:  # pressed again to talk: ring again
                ringing = care.offer_call(repeated, str(uuid.uuid4()), device.call_media, device.id, caller.subject,
                                          now, elder.details.phone)
                return ringing, events.care_request_event(care.CARE_REQUEST_CALL_OFFERED, ringing, now)
            return repeated, None

        try:
            call, _saved = self.store.save_press(residents.seen(device, now), elder.id, self.care_requests, decide)
        except pymongo.errors.PyMongoError as error:
            first = (self.care_requests.find_retry(new.community_id, caller.subject, new.request_id)
                     if new.request_id and is_duplicate_key(error) else None)
            if first is None:
                raise
            return pb.PressDeviceResponse(care_request=messages.care_request(first))
        return pb.PressDeviceResponse(care_request=messages.care_request(call))

    # -- maintenance alerts

    def ListMaintenanceAlerts(self, request, context):
        communities = residents.alert_scope(current_caller(), request.community_id)
        size = pagination.page_size(request.page_size)
        after = pagination.position(request.page_token, 2)
        page = self.store.list_alerts(communities, request.include_resolved, after, size + 1)
        reply = pb.ListMaintenanceAlertsResponse(alerts=[events.maintenance_alert_message(a) for a in page[:size]])
        if len(page) > size:
            last = page[size - 1]
            reply.next_page_token = pagination.encode([last.raised_at.isoformat(), last.id])
        return reply

    def ResolveMaintenanceAlert(self, request, context):
        caller = current_caller()
        alert_id = _id(request.id)
        alert = residents.check_alert_visible(caller, self.store.get_alert(alert_id), alert_id)
        resolved = residents.resolve_alert(caller, alert, request.note, self.clock())
        self.store.save_alert(resolved, events.maintenance_event(residents.DEVICE_MAINTENANCE_RESOLVED, resolved))
        return pb.ResolveMaintenanceAlertResponse(alert=events.maintenance_alert_message(resolved))
