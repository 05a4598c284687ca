"""Events the volunteer service publishes (payloads in proto/linli/volunteer/v1/events.proto), and the
one it consumes: eldercare's care_request.completed, read through the published eldercare schema (never
eldercare's code)."""
from datetime import datetime

from google.protobuf import json_format

from linli.eldercare.v1 import eldercare_pb2
from linli.kit.events import envelope
from linli.kit.protomap import datetime_of
from linli.volunteer.v1 import events_pb2
from services.volunteer import messages
from services.volunteer.domain import hours
from services.volunteer.domain.certificates import CERTIFICATE_ISSUED, Certificate

SOURCE = "volunteer"
# What this service consumes.
ELDERCARE = "eldercare"
CARE_REQUEST_COMPLETED = "care_request.completed"

ENTRY_PAYLOADS = {
    hours.HOURS_ENTRY_RECORDED: events_pb2.HoursEntryRecorded,
    hours.HOURS_ENTRY_VERIFIED: events_pb2.HoursEntryVerified,
    hours.HOURS_ENTRY_REJECTED: events_pb2.HoursEntryRejected,
}


def entry_event(event_type: str, entry: hours.HoursEntry, at: datetime) -> dict:
    payload = ENTRY_PAYLOADS[event_type](entry=messages.entry_message(entry))
    return envelope(SOURCE, event_type, entry.community_id, payload, at)


def reversed_event(reversed_entry: hours.HoursEntry, reversal: hours.HoursEntry,
                   corrected: hours.HoursEntry | None) -> dict:
    payload = events_pb2.HoursEntryReversed(
        reversed=messages.entry_message(reversed_entry), reversal=messages.entry_message(reversal),
        corrected=messages.entry_message(corrected) if corrected else None)
    return envelope(SOURCE, hours.HOURS_ENTRY_REVERSED, reversal.community_id, payload, reversal.recorded_at)


ATTENDANCE_SIGNED_UP = "attendance.signed_up"
ATTENDANCE_WITHDRAWN = "attendance.withdrawn"


def signed_up_event(attendance, shift, activity, at: datetime) -> dict:
    payload = events_pb2.AttendanceSignedUp(
        attendance=messages.attendance_message(attendance), shift_title=shift.title,
        activity_title=activity.title if activity else "", place_name=activity.place.name if activity else "")
    return envelope(SOURCE, ATTENDANCE_SIGNED_UP, attendance.community_id, payload, at)


def withdrawn_event(attendance, at: datetime) -> dict:
    payload = events_pb2.AttendanceWithdrawn(attendance=messages.attendance_message(attendance))
    return envelope(SOURCE, ATTENDANCE_WITHDRAWN, attendance.community_id, payload, at)


def certificate_event(certificate: Certificate) -> dict:
    payload = events_pb2.CertificateIssued(certificate=messages.certificate_message(certificate))
    return envelope(SOURCE, CERTIFICATE_ISSUED, certificate.community_id, payload, certificate.issued_at)


def care_service_in(event: dict) -> hours.CareService | None:
    """The volunteer service in a care_request.completed event; None when no volunteer served it."""
    request = json_format.ParseDict(event["data"]["care_request"], eldercare_pb2.CareRequest(),
                                    ignore_unknown_fields=True)
    assignment, visit = request.assignment, request.visit
    if not request.HasField("assignment") or assignment.assignee_kind != eldercare_pb2.ASSIGNEE_KIND_VOLUNTEER:
        return None
    if not request.HasField("visit") or not visit.HasField("checked_in_at"):
        return None
    started = datetime_of(visit.checked_in_at)
    # The visit ends at check-out; an older publisher without it: when the event says it completed.
    ended = datetime_of(visit.checked_out_at) if visit.HasField("checked_out_at") else \
        datetime.fromisoformat(event["occurred_at"].replace("Z", "+00:00"))
    kind = eldercare_pb2.CareKind.Name(request.kind).removeprefix("CARE_KIND_").lower() \
        if request.kind in eldercare_pb2.CareKind.values() else "unspecified"
    return hours.CareService(request.id, request.community_id, assignment.assignee_id, request.elder_id, kind,
                             started, ended, checked_in_by_override=bool(visit.override_reason))
