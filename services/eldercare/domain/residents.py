"""Elders the command centre serves at home, their call devices, and who may see what: pure
dataclasses and functions, no I/O.

Who sees which parts of an elder (visible_parts):

    caller                               profile  address  position   contacts      health   consents
    the elder themself (role resident)      ✓        ✓        ✓          ✓             ✓         ✓
    family: a contact whose user_id is      ✓        ✓        L          ✓             H         ✓
      the caller (role family)
    operator / administrator serving        ✓        ✓        L or E     ✓             H or E    ✓
      the elder's community
    caregiver assigned to a request for     ✓        ✓        L or E     key holders   H or E    -
      the elder that is under way
    anyone else (other residents, other     NOT_FOUND: ids reveal nothing
      communities' staff, devices, ...)

    profile: id, community, name, phone, mobility, registration and version (what anyone who may see
    the elder at all sees).
    L: the elder consents to share their location; H: to share their health data (conditions,
    medications, allergies). No record means not granted; a withdrawal applies to the next read.
    E: an emergency request for the elder is in progress (raised, not yet completed, closed or
    cancelled). Responders then get the position and the allergies and medications without consent:
    processing needed to protect someone's life in an emergency (PIPL art. 13(4)).

Why the command centre always sees the address: care at home is delivered at the door, so the address
is the service itself. The position on the site plan is extra precision, shared by consent. Family see
health data only by consent, like everyone else but the elder.

Devices (call pagers, video terminals) report a heartbeat with their battery level. A device silent
for MISSED_HEARTBEATS intervals, or at or below LOW_BATTERY_PERCENT, raises a maintenance alert (once
per silence, once per drop below the threshold) that an operator resolves; it never raises a care
request. A press raises a care request at the elder's home.
"""
import hashlib
import hmac
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.eldercare.domain import care_requests as care
from services.eldercare.domain.care_requests import GeoPoint

MOBILITIES = ("independent", "uses_aid", "wheelchair", "bedridden")
LOCATION, HEALTH, RECORDING = "location", "health", "recording"
CONSENT_TOPICS = (LOCATION, HEALTH, RECORDING)
DEVICE_KINDS = ("pager", "video_terminal")
SILENT, LOW_BATTERY = "silent", "low_battery"

# The parts of an elder a caller may be shown (the profile goes with any of them).
ADDRESS, POSITION, CONTACTS, KEY_HOLDERS, HEALTH_DATA, CONSENTS = (
    "address", "position", "contacts", "key_holders", "health", "consents")
ALL_PARTS = frozenset({ADDRESS, POSITION, CONTACTS, KEY_HOLDERS, HEALTH_DATA, CONSENTS})
# Fields UpdateElder may change (paths of its update mask).
DETAIL_FIELDS = ("name", "phone", "mobility", "address", "contacts", "conditions", "medications", "allergies")

DEFAULT_HEARTBEAT_INTERVAL = timedelta(minutes=10)
MIN_HEARTBEAT_SECONDS, MAX_HEARTBEAT_SECONDS = 60, 86_400
MISSED_HEARTBEATS = 2
LOW_BATTERY_PERCENT = 20

MAX_CONTACTS = 10
MAX_LIST_ITEMS = 30
MAX_NOTE = 500
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 -]{2,31}$")

DEVICE_MAINTENANCE_NEEDED = "device.maintenance_needed"
DEVICE_MAINTENANCE_RESOLVED = "device.maintenance_resolved"

# Statuses in which someone is still answering a call (an emergency in progress, a caregiver's visit).
IN_PROGRESS = (care.RAISED, care.ACKNOWLEDGED) + care.ACTIVE_STATUSES


@dataclass(frozen=True)
class Address:
    building: str = ""
    unit: str = ""
    floor: int = 0
    room: str = ""
    position: GeoPoint | None = None


@dataclass(frozen=True)
class Contact:
    name: str
    relation: str = ""
    phone: str = ""
    user_id: str = ""  # the family member's Linli account: links them to the elder
    holds_key: bool = False


@dataclass(frozen=True)
class ElderDetails:
    name: str
    phone: str = ""
    mobility: str = ""  # "" while not assessed
    address: Address = field(default_factory=Address)
    contacts: tuple[Contact, ...] = ()
    conditions: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Consent:
    topic: str
    granted: bool
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class Elder:
    id: str  # the elder's Linli user id
    community_id: str
    details: ElderDetails
    registered_at: datetime
    registered_by: str
    updated_at: datetime
    # Every consent decision, oldest first; the latest per topic is the one in force.
    consents: tuple[Consent, ...] = ()
    version: int = 1


# -- validation -------------------------------------------------------------------------------------

def _valid_point(point: GeoPoint | None) -> bool:
    return point is None or (-90 <= point.latitude <= 90 and -180 <= point.longitude <= 180
                             and not (point.latitude == 0 and point.longitude == 0))


def _check_id(problems: dict, name: str, value: str) -> None:
    if not care.ID_PATTERN.match(value):
        problems[name] = "required: 1 to 64 letters, digits or . _ : -"


def _check_text(problems: dict, name: str, value: str, limit: int = 100, required: bool = False) -> None:
    if required and not value.strip():
        problems[name] = "required"
    elif len(value) > limit:
        problems[name] = f"at most {limit} characters"


def _detail_problems(details: ElderDetails) -> dict[str, str]:
    problems: dict[str, str] = {}
    _check_text(problems, "name", details.name, 50, required=True)
    if details.phone and not PHONE_PATTERN.match(details.phone):
        problems["phone"] = "digits, spaces and -, optionally starting with +"
    if details.mobility and details.mobility not in MOBILITIES:
        problems["mobility"] = f"must be one of {', '.join(MOBILITIES)}"
    address = details.address
    for name in ("building", "unit", "room"):
        _check_text(problems, f"address.{name}", getattr(address, name))
    if not 0 <= address.floor <= 200:
        problems["address.floor"] = "must be between 0 and 200"
    if not _valid_point(address.position):
        problems["address.position"] = "latitude -90..90 and longitude -180..180, not 0,0"
    if len(details.contacts) > MAX_CONTACTS:
        problems["contacts"] = f"at most {MAX_CONTACTS}"
    for i, contact in enumerate(details.contacts):
        _check_text(problems, f"contacts[{i}].name", contact.name, 50, required=True)
        _check_text(problems, f"contacts[{i}].relation", contact.relation, 50)
        if contact.phone and not PHONE_PATTERN.match(contact.phone):
            problems[f"contacts[{i}].phone"] = "digits, spaces and -, optionally starting with +"
        if contact.user_id:
            _check_id(problems, f"contacts[{i}].user_id", contact.user_id)
    for name in ("conditions", "medications", "allergies"):
        items = getattr(details, name)
        if len(items) > MAX_LIST_ITEMS or any(not item.strip() or len(item) > 100 for item in items):
            problems[name] = f"at most {MAX_LIST_ITEMS} entries of 1 to 100 characters"
    return problems


# -- elders -----------------------------------------------------------------------------------------

def is_staff_for(caller: Caller, community_id: str) -> bool:
    return caller.has_role(*care.STAFF_ROLES) and caller.serves(community_id)


def is_self(caller: Caller, elder: Elder) -> bool:
    return caller.has_role("resident") and caller.subject == elder.id


def is_family(caller: Caller, elder: Elder) -> bool:
    return caller.has_role("family") and any(c.user_id == caller.subject for c in elder.details.contacts)


def register(caller: Caller, elder_id: str, community_id: str, details: ElderDetails, now: datetime) -> Elder:
    problems: dict[str, str] = {}
    _check_id(problems, "id", elder_id)
    _check_id(problems, "community_id", community_id)
    problems.update(_detail_problems(details))
    check_fields(problems, "invalid elder")
    if not is_staff_for(caller, community_id):
        raise PermissionDenied("only an operator serving this community may register its elders")
    return Elder(elder_id, community_id, details, now, caller.subject, now)


def update(caller: Caller, elder: Elder, details: ElderDetails, fields: set[str], now: datetime) -> Elder:
    """Change the named fields only: a caller who cannot see some fields must not erase them by omission."""
    unknown = fields - set(DETAIL_FIELDS)
    if not fields or unknown:
        raise InvalidArgument("update_mask must name fields to change",
                              {"update_mask": f"one or more of {', '.join(DETAIL_FIELDS)}"})
    if not (is_staff_for(caller, elder.community_id) or is_self(caller, elder)):
        raise PermissionDenied("only staff serving this community, or the elder, may change this elder")
    changed = replace(elder.details, **{name: getattr(details, name) for name in fields})
    check_fields(_detail_problems(changed), "invalid elder")
    return replace(elder, details=changed, updated_at=now, version=elder.version + 1)


def current_consent(elder: Elder, topic: str) -> Consent | None:
    return next((c for c in reversed(elder.consents) if c.topic == topic), None)


def has_consent(elder: Elder, topic: str) -> bool:
    consent = current_consent(elder, topic)
    return consent is not None and consent.granted


def record_consent(caller: Caller, elder: Elder, topic: str, granted: bool, now: datetime) -> Elder:
    """The elder decides; staff may record a decision the elder gave them (a signed form)."""
    if topic not in CONSENT_TOPICS:
        raise InvalidArgument("unknown consent topic", {"topic": f"must be one of {', '.join(CONSENT_TOPICS)}"})
    if not (is_self(caller, elder) or is_staff_for(caller, elder.community_id)):
        raise PermissionDenied("only the elder, or staff serving their community, may record their consent")
    consent = Consent(topic, granted, caller.subject, now)
    return replace(elder, consents=elder.consents + (consent,), updated_at=now, version=elder.version + 1)


@dataclass(frozen=True)
class CareContext:
    """What the elder's care requests say about this caller, for the emergency and caregiver rules."""

    emergency_in_progress: bool = False
    assigned_to_caller: bool = False


def care_context(caller: Caller, elder_id: str, requests: list[care.CareRequest]) -> CareContext:
    """Read from the elder's care requests (any others in the list are ignored)."""
    mine = [r for r in requests if r.elder_id == elder_id and r.status in IN_PROGRESS]
    return CareContext(
        emergency_in_progress=any(r.kind == "emergency" for r in mine),
        assigned_to_caller=any(r.status in care.ACTIVE_STATUSES and care.is_assignee(caller, r) for r in mine),
    )


def visible_parts(caller: Caller, elder: Elder, context: CareContext = CareContext()) -> frozenset[str] | None:
    """The parts of the elder this caller may see (the module docstring's matrix); None: not the elder at all."""
    if caller.has_role("device"):
        return None  # devices press; they never read people's records
    if is_self(caller, elder):
        return ALL_PARTS
    location = has_consent(elder, LOCATION)
    health = has_consent(elder, HEALTH)
    emergency = context.emergency_in_progress
    parts: set[str] | None = None
    if is_staff_for(caller, elder.community_id):
        parts = {ADDRESS, CONTACTS, KEY_HOLDERS, CONSENTS}
        if location or emergency:
            parts.add(POSITION)
        if health or emergency:
            parts.add(HEALTH_DATA)
    if is_family(caller, elder):
        parts = (parts or set()) | {ADDRESS, CONTACTS, KEY_HOLDERS, CONSENTS}
        if location:
            parts.add(POSITION)
        if health:
            parts.add(HEALTH_DATA)
    if caller.has_role("caregiver") and context.assigned_to_caller:
        parts = (parts or set()) | {ADDRESS, KEY_HOLDERS}
        if location or emergency:
            parts.add(POSITION)
        if health or emergency:
            parts.add(HEALTH_DATA)
    return frozenset(parts) if parts is not None else None


def redacted(elder: Elder, parts: frozenset[str]) -> Elder:
    """The elder with every part outside `parts` blanked."""
    details = elder.details
    address = details.address if ADDRESS in parts else Address()
    if POSITION not in parts:
        address = replace(address, position=None)
    if CONTACTS in parts:
        contacts = details.contacts
    elif KEY_HOLDERS in parts:
        contacts = tuple(c for c in details.contacts if c.holds_key)
    else:
        contacts = ()
    health = {} if HEALTH_DATA in parts else {"conditions": (), "medications": (), "allergies": ()}
    shown = replace(details, address=address, contacts=contacts, **health)
    return replace(elder, details=shown, consents=elder.consents if CONSENTS in parts else ())


@dataclass(frozen=True)
class ElderView:
    elder: Elder  # redacted
    withheld: frozenset[str]


def view(caller: Caller, elder: Elder | None, elder_id: str, context: CareContext = CareContext()) -> ElderView:
    """The elder as this caller may see them; NotFound when they may not see them at all."""
    parts = visible_parts(caller, elder, context) if elder is not None else None
    if parts is None:
        raise NotFound(f"elder {elder_id} not found")
    return ElderView(redacted(elder, parts), ALL_PARTS - parts)


@dataclass(frozen=True)
class ElderScope:
    """Which elders a caller may list: communities (None = all), or only the given user's own/family's."""

    communities: frozenset[str] | None = None
    elder_id: str | None = None  # a resident: themself
    family_user_id: str | None = None  # a family member: elders listing them as a contact


def list_scope(caller: Caller, community_id: str) -> ElderScope:
    if caller.has_role(*care.STAFF_ROLES):
        if community_id:
            if not caller.serves(community_id):
                raise PermissionDenied(f"you do not serve community {community_id}")
            return ElderScope(frozenset({community_id}))
        return ElderScope(None if caller.sees_all_communities else caller.communities)
    if caller.has_role("family"):
        return ElderScope(family_user_id=caller.subject)
    if caller.has_role("resident"):
        return ElderScope(elder_id=caller.subject)
    raise PermissionDenied("your role may not list elders")


# -- devices and their maintenance --------------------------------------------------------------------

@dataclass(frozen=True)
class Device:
    id: str
    community_id: str
    elder_id: str
    kind: str
    heartbeat_interval: timedelta
    registered_at: datetime
    registered_by: str
    last_heartbeat_at: datetime | None = None
    battery_percent: int | None = None
    # When the device counts as silent if nothing arrives; None once that silence has raised its alert.
    silent_after: datetime | None = None
    version: int = 1
    # The device's MQTT password, hashed (secret_hash); shown once at registration and at each rotation.
    secret_hash: str = ""
    secret_issued_at: datetime | None = None
    # A revoked device (lost, stolen) may no longer connect, report or press.
    revoked_at: datetime | None = None
    # A pager with a speakerphone can carry a voice call; a video terminal always can.
    speakerphone: bool = False

    @property
    def call_media(self) -> str:
        """What a call with this device carries: audio_video, audio, or "" when it cannot speak."""
        if self.kind == "video_terminal":
            return "audio_video"
        return "audio" if self.speakerphone else ""


@dataclass(frozen=True)
class MaintenanceAlert:
    id: str
    community_id: str
    device_id: str
    elder_id: str
    reason: str  # SILENT or LOW_BATTERY
    raised_at: datetime
    last_heartbeat_at: datetime | None = None
    battery_percent: int | None = None
    resolved_at: datetime | None = None
    resolved_by: str = ""
    resolution_note: str = ""
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


def _silent_after(interval: timedelta, seen_at: datetime) -> datetime:
    return seen_at + MISSED_HEARTBEATS * interval


def register_device(caller: Caller, elder: Elder, device_id: str, kind: str, interval_seconds: int,
                    now: datetime, secret: str = "", speakerphone: bool = False) -> Device:
    problems: dict[str, str] = {}
    _check_id(problems, "id", device_id)
    if kind not in DEVICE_KINDS:
        problems["kind"] = f"must be one of {', '.join(DEVICE_KINDS)}"
    if interval_seconds and not MIN_HEARTBEAT_SECONDS <= interval_seconds <= MAX_HEARTBEAT_SECONDS:
        problems["heartbeat_interval_seconds"] = (
            f"0 (ten minutes) or {MIN_HEARTBEAT_SECONDS} to {MAX_HEARTBEAT_SECONDS}")
    check_fields(problems, "invalid device")
    if not is_staff_for(caller, elder.community_id):
        raise PermissionDenied("only an operator serving the elder's community may register their devices")
    interval = timedelta(seconds=interval_seconds) if interval_seconds else DEFAULT_HEARTBEAT_INTERVAL
    # A device that never reports after installation is as silent as one that stopped.
    return Device(device_id, elder.community_id, elder.id, kind, interval, now, caller.subject,
                  silent_after=_silent_after(interval, now),
                  secret_hash=hash_secret(secret) if secret else "", secret_issued_at=now if secret else None,
                  speakerphone=speakerphone or kind == "video_terminal")


# A device's secret is 32 random bytes (the api draws them): far beyond guessing, so a plain SHA-256 of it
# is as safe to keep as a slow password hash and cheap to check on every MQTT connect (docs/devices.md).
MIN_SECRET_LENGTH = 32


def hash_secret(secret: str) -> str:
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(device: Device, secret: str) -> bool:
    """The device's current secret, and the device not revoked."""
    if device.revoked_at is not None or not device.secret_hash or len(secret) < MIN_SECRET_LENGTH:
        return False
    return hmac.compare_digest(device.secret_hash, hash_secret(secret))


def rotate_secret(caller: Caller, device: Device, secret: str, now: datetime) -> Device:
    """A new secret replaces the old one at once (a device being re-provisioned, a leaked secret)."""
    if not is_staff_for(caller, device.community_id):
        raise PermissionDenied("only an operator serving the device's community may give it a new secret")
    if device.revoked_at is not None:
        raise FailedPrecondition(f"device {device.id} is revoked; register a new device instead")
    return replace(device, secret_hash=hash_secret(secret), secret_issued_at=now, version=device.version + 1)


def revoke(caller: Caller, device: Device, now: datetime) -> Device:
    """For good: a lost or stolen device. The elder gets a new device (a new id and secret)."""
    if not is_staff_for(caller, device.community_id):
        raise PermissionDenied("only an operator serving the device's community may revoke it")
    if device.revoked_at is not None:
        return device  # revoking twice changes nothing
    # No silence alert for a device nobody expects to hear from again.
    return replace(device, revoked_at=now, secret_hash="", silent_after=None, version=device.version + 1)


def check_not_revoked(device: Device) -> None:
    if device.revoked_at is not None:
        raise PermissionDenied(f"device {device.id} is revoked")


def check_may_operate(caller: Caller, device: Device) -> None:
    """The device itself, or staff simulating it, for a device in a community the caller serves; never
    a revoked device."""
    if caller.has_role("device"):
        if caller.subject != device.id:
            raise PermissionDenied("a device may report and press only as itself")
    elif not caller.has_role(*care.STAFF_ROLES):
        raise PermissionDenied("only the device, or an operator, may operate a device")
    if not caller.serves(device.community_id):
        raise PermissionDenied("this device belongs to a community you do not serve")
    check_not_revoked(device)


def seen(device: Device, now: datetime) -> Device:
    """Any sign of life (a heartbeat, a press) restarts the silence clock."""
    return replace(device, last_heartbeat_at=now, silent_after=_silent_after(device.heartbeat_interval, now),
                   version=device.version + 1)


def heartbeat(caller: Caller, device: Device, battery_percent: int, now: datetime,
              alert_id: str) -> tuple[Device, MaintenanceAlert | None]:
    """Record a heartbeat; a battery dropping to LOW_BATTERY_PERCENT or below raises one alert."""
    if not 0 <= battery_percent <= 100:
        raise InvalidArgument("battery_percent must be 0 to 100", {"battery_percent": "0 to 100"})
    check_may_operate(caller, device)
    was_low = device.battery_percent is not None and device.battery_percent <= LOW_BATTERY_PERCENT
    updated = replace(seen(device, now), battery_percent=battery_percent)
    if battery_percent <= LOW_BATTERY_PERCENT and not was_low:
        return updated, _alert(alert_id, updated, LOW_BATTERY, now)
    return updated, None


def is_silent(device: Device, now: datetime) -> bool:
    return device.silent_after is not None and device.silent_after <= now


def silent_alert(device: Device, now: datetime, alert_id: str) -> tuple[Device, MaintenanceAlert]:
    """The alert for a silent device, and the device marked so this silence raises no second one."""
    if not is_silent(device, now):
        raise FailedPrecondition(f"device {device.id} is not silent")
    return replace(device, silent_after=None, version=device.version + 1), _alert(alert_id, device, SILENT, now)


def _alert(alert_id: str, device: Device, reason: str, now: datetime) -> MaintenanceAlert:
    return MaintenanceAlert(alert_id, device.community_id, device.id, device.elder_id, reason, now,
                            device.last_heartbeat_at, device.battery_percent)


def press(caller: Caller, device: Device, elder: Elder, kind: str) -> care.NewCareRequest:
    """A press asks for help at the elder's home. The position goes with it when the elder consents to
    share their location, or in an emergency (they must be found)."""
    check_may_operate(caller, device)
    location, position = home_for_visit(elder, kind)
    return care.NewCareRequest(community_id=elder.community_id, elder_id=elder.id, kind=kind, channel="device",
                               location=location, position=position, device_id=device.id,
                               position_source=care.DEVICE if position else "")


def check_registered(elder: Elder | None, elder_id: str, community_id: str) -> Elder:
    """A call is for an elder registered in the community it is raised in: one for an unknown id would sit
    on the board with nowhere to send anyone."""
    if elder is None or elder.community_id != community_id:
        raise NotFound(f"elder {elder_id} is not registered in community {community_id}")
    return elder


def placed(new: care.NewCareRequest, elder: Elder) -> care.NewCareRequest:
    """Where a call raised by an operator or from the app goes, as a press does: the elder's door when the
    call names no place, and the map position of their home with their location consent or in an emergency;
    unless the elder's own phone sent its fix, which is where they are now."""
    door, home = home_for_visit(elder, new.kind)
    named = new.location
    if named == care.Location():
        new = replace(new, location=door)
    # A call that names another building is not at home: the home's point would mislead the check-in.
    at_home = named == care.Location() or named.building == door.building
    if new.position is None and home is not None and at_home:
        new = replace(new, position=home, position_source=care.HOME_ADDRESS)
    return new


def home_for_visit(elder: Elder, kind: str) -> tuple[care.Location, care.GeoPoint | None]:
    """Where someone sent to the elder goes: the door always; the map position with the elder's consent
    to share their location, or in an emergency (they must be found)."""
    address = elder.details.address
    share_position = has_consent(elder, LOCATION) or kind == "emergency"
    return (care.Location(address.building, address.unit, address.floor, address.room),
            address.position if share_position else None)


def resolve_alert(caller: Caller, alert: MaintenanceAlert, note: str, now: datetime) -> MaintenanceAlert:
    if not is_staff_for(caller, alert.community_id):
        raise PermissionDenied("only an operator serving this community may resolve its maintenance alerts")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidArgument("note is too long", {"note": f"at most {MAX_NOTE} characters"})
    if not alert.is_open:
        raise FailedPrecondition(f"maintenance alert {alert.id} is already resolved")
    return replace(alert, resolved_at=now, resolved_by=caller.subject, resolution_note=note,
                   version=alert.version + 1)


def check_alert_visible(caller: Caller, alert: MaintenanceAlert | None, alert_id: str) -> MaintenanceAlert:
    if alert is None or not is_staff_for(caller, alert.community_id):
        raise NotFound(f"maintenance alert {alert_id} not found")
    return alert


def alert_scope(caller: Caller, community_id: str) -> frozenset[str] | None:
    """The communities whose alerts the caller may list (None = all)."""
    if not caller.has_role(*care.STAFF_ROLES):
        raise PermissionDenied("only operators and administrators may list maintenance alerts")
    if community_id:
        if not caller.serves(community_id):
            raise PermissionDenied(f"you do not serve community {community_id}")
        return frozenset({community_id})
    return None if caller.sees_all_communities else caller.communities


# -- heartbeats in batches (MQTT devices: services/eldercare/devices.py) ------------------------------

@dataclass(frozen=True)
class HeartbeatRules:
    """What the batch rules read of a device (a projection of it, which the devices' door may keep a while)."""

    id: str
    community_id: str
    elder_id: str
    heartbeat_interval: timedelta
    battery_percent: int | None = None
    last_heartbeat_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class HeartbeatReport:
    device_id: str
    battery_percent: int
    at: datetime  # when it reached the platform


@dataclass(frozen=True)
class HeartbeatUpdate:
    """What one batch writes for one device: the latest of its reports in the batch."""

    device_id: str
    last_heartbeat_at: datetime
    silent_after: datetime
    battery_percent: int
    # The interval silent_after was reckoned from: the write matches only while the device still has it.
    heartbeat_interval: timedelta | None = None


@dataclass(frozen=True)
class HeartbeatBatch:
    updates: list[HeartbeatUpdate]
    # Devices whose battery dropped to LOW_BATTERY_PERCENT or below with this batch: one alert each.
    alerts: list[tuple[HeartbeatUpdate, MaintenanceAlert]]
    # Reports that change nothing, with why: an unknown or revoked device.
    refused: list[tuple[HeartbeatReport, str]]


def heartbeat_batch(devices: dict[str, Device | HeartbeatRules], reports: list[HeartbeatReport], new_id) -> HeartbeatBatch:
    """The same rules as heartbeat(), for many reports at once: each device's latest report counts (older
    ones in the batch say nothing more), and a drop below the threshold raises one alert."""
    latest: dict[str, HeartbeatReport] = {}
    refused: list[tuple[HeartbeatReport, str]] = []
    for report in reports:
        device = devices.get(report.device_id)
        if device is None:
            refused.append((report, f"device {report.device_id} is not registered"))
        elif device.revoked_at is not None:
            refused.append((report, f"device {report.device_id} is revoked"))
        elif report.device_id not in latest or report.at >= latest[report.device_id].at:
            latest[report.device_id] = report
    updates, alerts = [], []
    for device_id, report in latest.items():
        device = devices[device_id]
        update = HeartbeatUpdate(device_id, report.at, _silent_after(device.heartbeat_interval, report.at),
                                 report.battery_percent, device.heartbeat_interval)
        was_low = device.battery_percent is not None and device.battery_percent <= LOW_BATTERY_PERCENT
        if report.battery_percent <= LOW_BATTERY_PERCENT and not was_low:
            seen_now = replace(device, last_heartbeat_at=report.at, battery_percent=report.battery_percent)
            alerts.append((update, _alert(new_id(), seen_now, LOW_BATTERY, report.at)))
        else:
            updates.append(update)
    return HeartbeatBatch(updates, alerts, refused)
