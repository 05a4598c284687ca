"""REST resources /v1/elders and /v1/devices over the eldercare ResidentService: elders (with what the
caller may see of them), their call devices, presses and maintenance alerts.

In an elder's representation a withheld part is null ("not shown to you"), never an empty list ("none"),
and `withheld` names the parts left out."""
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from gateway.care_requests import (CareRequest, GeoPoint, GeoPointIn, Kind, Time, _KIND_NUMBERS, _named,
                                    name_of, to_rest as care_request_to_rest)
from gateway.common import call_options
from gateway.models import ID_PATTERN, Id
from linli.eldercare.v1 import common_pb2
from linli.eldercare.v1 import residents_pb2 as pb
from linli.eldercare.v1.residents_pb2_grpc import ResidentServiceStub
from linli.kit.identity import Caller
from linli.kit.protomap import enum_number, short_names

MOBILITY_NAMES = short_names(pb.Mobility)
TOPIC_NAMES = short_names(pb.ConsentTopic)
PART_NAMES = short_names(pb.ElderPart)
DEVICE_KIND_NAMES = short_names(pb.DeviceKind)
REASON_NAMES = short_names(pb.MaintenanceReason)
Mobility = Literal[tuple(name for number, name in MOBILITY_NAMES.items() if number)]
Topic = Literal[tuple(name for number, name in TOPIC_NAMES.items() if number)]
DeviceKind = Literal[tuple(name for number, name in DEVICE_KIND_NAMES.items() if number)]
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"

ElderId = DeviceId = AlertId = Id

router = APIRouter(tags=["elders and devices"])


def _time(message, name: str) -> str | None:
    return getattr(message, name).ToJsonString() if message.HasField(name) else None


def elder_to_rest(elder: pb.Elder) -> dict:
    withheld = {name_of(PART_NAMES, part) for part in elder.withheld_parts}
    a = elder.address
    address = None
    if "address" not in withheld:
        address = {"building": a.building, "unit": a.unit, "floor": a.floor, "room": a.room,
                   "position": {"latitude": a.position.latitude, "longitude": a.position.longitude}
                   if a.HasField("position") else None}
    contacts = [{"name": c.name, "relation": c.relation, "phone": c.phone, "user_id": c.user_id or None,
                 "holds_key": c.holds_key} for c in elder.contacts]
    health_shown = "health" not in withheld
    return {
        "id": elder.id,
        "community_id": elder.community_id,
        "name": elder.name,
        "phone": elder.phone,
        "mobility": MOBILITY_NAMES.get(elder.mobility) or None,
        "address": address,
        # Key holders only, when the caller may see no other contact (a caregiver on a visit).
        "contacts": contacts if "contacts" not in withheld or "key_holders" not in withheld else None,
        "conditions": list(elder.conditions) if health_shown else None,
        "medications": list(elder.medications) if health_shown else None,
        "allergies": list(elder.allergies) if health_shown else None,
        "consents": None if "consents" in withheld else [
            {"topic": name_of(TOPIC_NAMES, c.topic), "granted": c.granted, "recorded_by": c.recorded_by,
             "recorded_at": _time(c, "recorded_at")} for c in elder.consents],
        "registered_at": _time(elder, "registered_at"),
        "registered_by": elder.registered_by,
        "updated_at": _time(elder, "updated_at"),
        "version": elder.version,
        "withheld": sorted(withheld),
    }


def device_to_rest(device: pb.Device) -> dict:
    return {
        "id": device.id,
        "community_id": device.community_id,
        "elder_id": device.elder_id,
        "kind": name_of(DEVICE_KIND_NAMES, device.kind),
        "heartbeat_interval_seconds": device.heartbeat_interval_seconds,
        "registered_at": _time(device, "registered_at"),
        "registered_by": device.registered_by,
        "last_heartbeat_at": _time(device, "last_heartbeat_at"),
        "battery_percent": device.battery_percent if device.battery_percent >= 0 else None,
        "version": device.version,
        "secret_issued_at": _time(device, "secret_issued_at"),
        "revoked_at": _time(device, "revoked_at"),
        "speakerphone": device.speakerphone,
    }


def alert_to_rest(alert: pb.MaintenanceAlert) -> dict:
    return {
        "id": alert.id,
        "community_id": alert.community_id,
        "device_id": alert.device_id,
        "elder_id": alert.elder_id,
        "reason": name_of(REASON_NAMES, alert.reason),
        "raised_at": _time(alert, "raised_at"),
        "last_heartbeat_at": _time(alert, "last_heartbeat_at"),
        "battery_percent": alert.battery_percent if alert.battery_percent >= 0 else None,
        "resolved_at": _time(alert, "resolved_at"),
        "resolved_by": alert.resolved_by or None,
        "resolution_note": alert.resolution_note or None,
        "version": alert.version,
    }


# -- output ---------------------------------------------------------------------------------------------

class Address(BaseModel):
    building: str
    unit: str
    floor: int
    room: str
    position: GeoPoint | None = Field(description="null when withheld (no consent to share location)")


class Contact(BaseModel):
    name: str
    relation: str
    phone: str
    user_id: str | None
    holds_key: bool


class Consent(BaseModel):
    topic: _named(TOPIC_NAMES)
    granted: bool
    recorded_by: str
    recorded_at: Time | None


class Elder(BaseModel):
    """An elder as the caller may see them: a withheld part is null and named in `withheld`."""

    id: str
    community_id: str
    name: str
    phone: str
    mobility: _named(MOBILITY_NAMES) | None
    address: Address | None
    contacts: list[Contact] | None
    conditions: list[str] | None
    medications: list[str] | None
    allergies: list[str] | None
    consents: list[Consent] | None
    registered_at: Time | None
    registered_by: str
    updated_at: Time | None
    version: int
    withheld: list[_named(PART_NAMES)]


class ElderPage(BaseModel):
    items: list[Elder]
    next_page_token: str | None


class Device(BaseModel):
    id: str
    community_id: str
    elder_id: str
    kind: _named(DEVICE_KIND_NAMES)
    heartbeat_interval_seconds: int
    registered_at: Time | None
    registered_by: str
    last_heartbeat_at: Time | None
    battery_percent: int | None
    version: int
    secret_issued_at: Time | None = Field(description="When the device's current MQTT secret was issued")
    revoked_at: Time | None = Field(description="Set once the device is revoked: it may no longer connect, "
                                                "report or press")


class DeviceWithSecret(Device):
    secret: str = Field(description="The device's MQTT password (user name and client id: the device id). "
                                    "Shown this once: Linli keeps only its hash (docs/devices.md).")
    speakerphone: bool = Field(description="Can carry a voice call (always true for a video terminal)")


class MaintenanceAlert(BaseModel):
    id: str
    community_id: str
    device_id: str
    elder_id: str
    reason: _named(REASON_NAMES)
    raised_at: Time | None
    last_heartbeat_at: Time | None
    battery_percent: int | None
    resolved_at: Time | None
    resolved_by: str | None
    resolution_note: str | None
    version: int


class MaintenanceAlertPage(BaseModel):
    items: list[MaintenanceAlert]
    next_page_token: str | None


# -- input ----------------------------------------------------------------------------------------------

class AddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    building: str = Field("", max_length=100, examples=["东区 3号楼"])
    unit: str = Field("", max_length=100, examples=["2单元"])
    floor: int = Field(0, ge=0, le=200)
    room: str = Field("", max_length=100, examples=["402"])
    position: GeoPointIn | None = None


# As the eldercare api checks it (residents.PHONE_PATTERN), or empty.
PHONE = r"^(\+?[0-9][0-9 -]{2,31})?$"


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=50, examples=["刘梅"])
    relation: str = Field("", max_length=50, examples=["女儿"])
    phone: str = Field("", max_length=32, pattern=PHONE, description="Digits, spaces and -, optionally starting with +")
    user_id: str | None = Field(None, pattern=ID_PATTERN, description="Links the family member's account")
    holds_key: bool = False


Items = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=30)]


class ElderChanges(BaseModel):
    """Fields of an elder; in a PATCH, exactly those present are changed (at least one)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})
    # An elder always has a name: it may be changed, never cleared (null is refused, 422).
    name: str = Field(None, min_length=1, max_length=50, examples=["刘桂兰"])
    phone: str | None = Field(None, max_length=32, pattern=PHONE,
                              description="Digits, spaces and -, optionally starting with +")
    mobility: Mobility | None = None
    address: AddressIn | None = None
    contacts: list[ContactIn] | None = Field(None, max_length=10)
    conditions: Items | None = None
    medications: Items | None = None
    allergies: Items | None = None

    def details(self) -> pb.ElderDetails:
        message = pb.ElderDetails(
            name=self.name or "", phone=self.phone or "",
            mobility=enum_number(pb.Mobility, self.mobility or ""),
            contacts=[common_pb2.Contact(**{**c.model_dump(exclude={"user_id"}), "user_id": c.user_id or ""})
                      for c in self.contacts or ()],
            conditions=self.conditions or (), medications=self.medications or (), allergies=self.allergies or (),
        )
        if self.address is not None:
            message.address.CopyFrom(common_pb2.Address(**self.address.model_dump(exclude={"position"})))
            if self.address.position is not None:
                message.address.position.CopyFrom(common_pb2.GeoPoint(**self.address.position.model_dump()))
        return message


class ElderIn(ElderChanges):
    id: str = Field(pattern=ID_PATTERN, description="The elder's Linli user id")
    community_id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, max_length=50, examples=["刘桂兰"])


class ElderConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    granted: bool


class DeviceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN, examples=["pager-0312"])
    elder_id: str = Field(pattern=ID_PATTERN)
    kind: DeviceKind
    heartbeat_interval_seconds: int = Field(0, ge=0, le=86_400, description="0 means 600 (ten minutes)")
    speakerphone: bool = Field(False, description="A pager with a speakerphone: presses offer a voice call "
                                                  "(a video terminal always offers voice and video)")


class HeartbeatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    battery_percent: int = Field(ge=0, le=100)


class PressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Kind = "emergency"


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=500, examples=["换了电池"])


async def _residents(request: Request) -> ResidentServiceStub:
    return request.app.state.residents


@router.post("/v1/elders", status_code=201, response_model=Elder)
async def register_elder(body: ElderIn, request: Request, response: Response,
                         caller: Caller = Depends(require_caller), residents=Depends(_residents)) -> dict:
    command = pb.RegisterElderRequest(id=body.id, community_id=body.community_id, details=body.details())
    reply = await residents.RegisterElder(command, **call_options(request, caller))
    response.headers["Location"] = f"/v1/elders/{quote(reply.elder.id, safe='')}"
    return elder_to_rest(reply.elder)


@router.get("/v1/elders", response_model=ElderPage)
async def list_elders(
    request: Request,
    community_id: Annotated[str | None, Query(max_length=64)] = None,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=1024)] = None,
    caller: Caller = Depends(require_caller),
    residents=Depends(_residents),
) -> dict:
    """Staff: their communities' elders; family: their elders; residents: themself."""
    query = pb.ListEldersRequest(community_id=community_id or "", page_size=page_size, page_token=page_token or "")
    reply = await residents.ListElders(query, **call_options(request, caller))
    return {"items": [elder_to_rest(e) for e in reply.elders], "next_page_token": reply.next_page_token or None}


@router.get("/v1/elders/{elder_id}", response_model=Elder)
async def get_elder(elder_id: ElderId, request: Request, caller: Caller = Depends(require_caller),
                    residents=Depends(_residents)) -> dict:
    reply = await residents.GetElder(pb.GetElderRequest(id=elder_id), **call_options(request, caller))
    return elder_to_rest(reply.elder)


@router.patch("/v1/elders/{elder_id}", response_model=Elder)
async def update_elder(elder_id: ElderId, body: ElderChanges, request: Request,
                       caller: Caller = Depends(require_caller), residents=Depends(_residents)) -> dict:
    """Changes the fields present in the body, and only those."""
    command = pb.UpdateElderRequest(id=elder_id, details=body.details())
    command.update_mask.paths.extend(sorted(body.model_fields_set))
    reply = await residents.UpdateElder(command, **call_options(request, caller))
    return elder_to_rest(reply.elder)


@router.put("/v1/elders/{elder_id}/consents/{topic}", response_model=Elder)
async def record_consent(elder_id: ElderId, topic: Topic, body: ElderConsentIn, request: Request,
                         caller: Caller = Depends(require_caller), residents=Depends(_residents)) -> dict:
    """Grant (true) or withdraw (false) consent to share location or health data; applies at once."""
    command = pb.RecordConsentRequest(elder_id=elder_id, topic=enum_number(pb.ConsentTopic, topic),
                                      granted=body.granted)
    reply = await residents.RecordConsent(command, **call_options(request, caller))
    return elder_to_rest(reply.elder)


@router.post("/v1/devices", status_code=201, response_model=DeviceWithSecret)
async def register_device(body: DeviceIn, request: Request, caller: Caller = Depends(require_caller),
                          residents=Depends(_residents)) -> dict:
    command = pb.RegisterDeviceRequest(id=body.id, elder_id=body.elder_id,
                                       kind=enum_number(pb.DeviceKind, body.kind),
                                       heartbeat_interval_seconds=body.heartbeat_interval_seconds,
                                       speakerphone=body.speakerphone)
    reply = await residents.RegisterDevice(command, **call_options(request, caller))
    return {**device_to_rest(reply.device), "secret": reply.secret}


@router.post("/v1/devices/{device_id}/rotate-secret", response_model=DeviceWithSecret)
async def rotate_device_secret(device_id: DeviceId, request: Request, caller: Caller = Depends(require_caller),
                               residents=Depends(_residents)) -> dict:
    """A new MQTT secret for the device (staff); the old one stops working at once. Shown this once."""
    reply = await residents.RotateDeviceSecret(pb.RotateDeviceSecretRequest(device_id=device_id),
                                               **call_options(request, caller))
    return {**device_to_rest(reply.device), "secret": reply.secret}


@router.post("/v1/devices/{device_id}/revoke", response_model=Device)
async def revoke_device(device_id: DeviceId, request: Request, caller: Caller = Depends(require_caller),
                        residents=Depends(_residents)) -> dict:
    """The device (lost, stolen) may no longer connect, report or press (staff); for good."""
    reply = await residents.RevokeDevice(pb.RevokeDeviceRequest(device_id=device_id), **call_options(request, caller))
    return device_to_rest(reply.device)


@router.get("/v1/devices/maintenance-alerts", response_model=MaintenanceAlertPage)
async def list_maintenance_alerts(
    request: Request,
    community_id: Annotated[str | None, Query(max_length=64)] = None,
    include_resolved: bool = False,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=1024)] = None,
    caller: Caller = Depends(require_caller),
    residents=Depends(_residents),
) -> dict:
    """Devices that went silent or run low, oldest first (operators)."""
    query = pb.ListMaintenanceAlertsRequest(community_id=community_id or "", include_resolved=include_resolved,
                                            page_size=page_size, page_token=page_token or "")
    reply = await residents.ListMaintenanceAlerts(query, **call_options(request, caller))
    return {"items": [alert_to_rest(a) for a in reply.alerts], "next_page_token": reply.next_page_token or None}


@router.post("/v1/devices/maintenance-alerts/{alert_id}/resolve", response_model=MaintenanceAlert)
async def resolve_maintenance_alert(alert_id: AlertId, body: ResolveIn, request: Request,
                                    caller: Caller = Depends(require_caller), residents=Depends(_residents)) -> dict:
    command = pb.ResolveMaintenanceAlertRequest(id=alert_id, note=body.note)
    reply = await residents.ResolveMaintenanceAlert(command, **call_options(request, caller))
    return alert_to_rest(reply.alert)


@router.post("/v1/devices/{device_id}/heartbeat", response_model=Device)
async def report_heartbeat(device_id: DeviceId, body: HeartbeatIn, request: Request,
                           caller: Caller = Depends(require_caller), residents=Depends(_residents)) -> dict:
    command = pb.ReportDeviceHeartbeatRequest(device_id=device_id, battery_percent=body.battery_percent)
    reply = await residents.ReportDeviceHeartbeat(command, **call_options(request, caller))
    return device_to_rest(reply.device)


@router.post("/v1/devices/{device_id}/press", status_code=201, response_model=CareRequest)
async def press_device(device_id: DeviceId, request: Request, response: Response, body: PressIn | None = None,
                       caller: Caller = Depends(require_caller), residents=Depends(_residents)) -> dict:
    """The elder pressed the device (the device itself, or an operator simulating it): raises a care request
    at the elder's home. Without a body the press asks for emergency help."""
    command = pb.PressDeviceRequest(device_id=device_id, kind=_KIND_NUMBERS[(body or PressIn()).kind])
    reply = await residents.PressDevice(command, **call_options(request, caller))
    care_request = care_request_to_rest(reply.care_request)
    response.headers["Location"] = f"/v1/care-requests/{quote(care_request['id'], safe='')}"
    return care_request
