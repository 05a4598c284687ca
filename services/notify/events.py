"""The events the notify service consumes, read through the publishers' published schemas (never their
code), and the ones it publishes (proto/linli/notify/v1/events.proto): emergency.unreached for the board,
notification.created for the person's live stream."""
from datetime import datetime

from google.protobuf import json_format

from linli.eldercare.v1 import eldercare_pb2
from linli.kit.events import EMERGENCY, ROUTINE, envelope
from linli.kit.protomap import datetime_of, timestamp
from linli.notify.v1 import events_pb2
from services.notify import messages
from services.notify.domain import notifications as notes
from services.notify.domain.notifications import CareUpdate

SOURCE = "notify"
ELDERCARE = "eldercare"
EMERGENCY_UNREACHED = "emergency.unreached"
NOTIFICATION_CREATED = "notification.created"
VOLUNTEER = "volunteer"


def certificate_in(event: dict):
    """The certificate a volunteer certificate.issued event carries (volunteer's published schema)."""
    from linli.volunteer.v1 import events_pb2 as volunteer_events

    payload = json_format.ParseDict(event["data"], volunteer_events.CertificateIssued(), ignore_unknown_fields=True)
    return payload.certificate


def _occurred_at(event: dict) -> datetime:
    return datetime.fromisoformat(event["occurred_at"].replace("Z", "+00:00"))


def care_update_in(event: dict) -> CareUpdate:
    """What an eldercare care_request.* event says, as far as telling people goes."""
    request = json_format.ParseDict(event["data"]["care_request"], eldercare_pb2.CareRequest(),
                                    ignore_unknown_fields=True)
    kind = eldercare_pb2.CareKind.Name(request.kind).removeprefix("CARE_KIND_").lower() \
        if request.kind in eldercare_pb2.CareKind.values() else "unspecified"
    place = request.location
    where = " ".join(part for part in (place.building, place.unit) if part)
    assignment = request.assignment if request.HasField("assignment") else None
    return CareUpdate(
        event_id=event["id"], event_type=event["type"], community_id=request.community_id,
        care_request_id=request.id, elder_id=request.elder_id, kind=kind, raised_by=request.raised_by,
        occurred_at=_occurred_at(event), assignee_id=assignment.assignee_id if assignment else "",
        assignee_name=assignment.assignee_name if assignment else "",
        escalation_level=int(event["data"].get("level") or request.escalation_level),
        escalated_to=request.escalated_to, where=where,
        eta=datetime_of(request.eta) if request.HasField("eta") else None,
        scheduled_for=datetime_of(request.scheduled_for) if request.HasField("scheduled_for") else None)


def unreached_event(update_event_id: str, care_request_id: str, community_id: str, elder_id: str,
                    event_type: str, recipients: list[str], tried: int, at: datetime) -> dict:
    payload = events_pb2.EmergencyUnreached(
        care_request_id=care_request_id, community_id=community_id, elder_id=elder_id, event_type=event_type,
        recipients=sorted(recipients), deliveries_tried=tried, at=timestamp(at))
    event = envelope(SOURCE, EMERGENCY_UNREACHED, community_id, payload, at, priority=EMERGENCY)
    event["id"] = f"unreached-{update_event_id}"  # once per emergency update, whoever notices first
    return event


def notification_created_event(note: notes.Notification) -> dict:
    """The event that puts a new inbox entry on its owner's live stream. Its id is the notification's
    (one per event and person), so the stream's resume position is a notification id."""
    payload = events_pb2.NotificationCreated(user_id=note.user_id, notification=messages.notification_message(note))
    priority = EMERGENCY if note.urgency == notes.EMERGENCY else ROUTINE
    event = envelope(SOURCE, NOTIFICATION_CREATED, note.community_id, payload, note.created_at, priority=priority)
    event["id"] = note.id
    return event


def signed_up_in(event: dict) -> tuple[str, str, str, str, str, datetime]:
    """(attendance id, volunteer id, community, shift title, place, starts at) of volunteer's
    attendance.signed_up (its published schema)."""
    from linli.volunteer.v1 import events_pb2 as volunteer_events

    payload = json_format.ParseDict(event["data"], volunteer_events.AttendanceSignedUp(), ignore_unknown_fields=True)
    attendance = payload.attendance
    title = " · ".join(part for part in (payload.activity_title, payload.shift_title) if part)
    return (attendance.id, attendance.volunteer_id, attendance.community_id, title, payload.place_name,
            datetime_of(attendance.shift_starts_at))


def withdrawn_in(event: dict) -> str:
    """The attendance id of volunteer's attendance.withdrawn."""
    from linli.volunteer.v1 import events_pb2 as volunteer_events

    payload = json_format.ParseDict(event["data"], volunteer_events.AttendanceWithdrawn(), ignore_unknown_fields=True)
    return payload.attendance.id
