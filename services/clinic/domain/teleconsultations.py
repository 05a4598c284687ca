"""Teleconsultations: a remote session of a clinic's patient with a partner hospital's department or
specialist. Pure dataclasses and functions, no I/O.

    requested → scheduled → in_progress → completed
        └──────────┴──→ cancelled          scheduled ─(nobody came, once its time has come)→ no_show

Clinicians serving the patient's community run sessions; the patient sees their own and may cancel
them. Requesting one needs the patient's consent to teleconsultations with that partner. The join link
carries an unguessable token (made by the caller of `request`, from a CSPRNG) and is shown only to
those who may see the session.
"""
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from linli.kit.errors import FailedPrecondition, NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.clinic.domain import patients
from services.clinic.domain.organisations import check_partner
from services.clinic.domain.patients import Patient, check_text, is_clinician_for
from services.clinic.policy import DEFAULT_DURATION, MAX_DURATION_MINUTES

REQUESTED, SCHEDULED, IN_PROGRESS = "requested", "scheduled", "in_progress"
COMPLETED, CANCELLED, NO_SHOW = "completed", "cancelled", "no_show"
STATUSES = (REQUESTED, SCHEDULED, IN_PROGRESS, COMPLETED, CANCELLED, NO_SHOW)
OPEN_STATUSES = (REQUESTED, SCHEDULED, IN_PROGRESS)
MAX_NOTES = 100
MIN_TOKEN_LENGTH = 32  # characters of URL-safe base64: 192 bits


@dataclass(frozen=True)
class Note:
    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class Transition:
    status: str
    at: datetime
    by: str
    note: str = ""


@dataclass(frozen=True)
class Attendance:
    """A stream in the consultation room (services/clinic/domain/consultation_rooms.py)."""

    peer: str
    participant: str  # patient, clinician, partner
    subject: str
    joined_at: datetime
    left_at: datetime | None = None


@dataclass(frozen=True)
class Teleconsultation:
    id: str
    community_id: str
    patient_id: str
    resident_id: str
    partner_id: str
    department: str
    specialist: str
    reason: str
    requested_by: str
    requested_at: datetime
    join_token: str
    status: str = REQUESTED
    scheduled_start: datetime | None = None
    duration: timedelta = DEFAULT_DURATION
    notes: tuple[Note, ...] = ()
    history: tuple[Transition, ...] = ()
    cancel_reason: str = ""
    request_id: str = ""
    version: int = 1
    attendance: tuple[Attendance, ...] = ()
    # A partner link's nonce and the hash of the device key it is bound to (first use).
    link_devices: tuple[tuple[str, str], ...] = ()


def request(caller: Caller, patient: Patient, teleconsultation_id: str, partner_id: str, department: str,
            specialist: str, reason: str, request_id: str, join_token: str, partners: frozenset[str],
            now: datetime) -> Teleconsultation:
    problems: dict[str, str] = {}
    check_text(problems, "department", department, 100, required=True)
    check_text(problems, "specialist", specialist, 100)
    check_text(problems, "reason", reason, 500, required=True)
    patients.check_id(problems, "request_id", request_id, required=False)
    check_fields(problems, "invalid teleconsultation")
    check_partner(partner_id, partners)
    if len(join_token) < MIN_TOKEN_LENGTH:
        raise ValueError("a join token must be unguessable")  # a programming error, never the caller's
    if not is_clinician_for(caller, patient.community_id):
        raise PermissionDenied("only a clinician serving the patient's community may request a teleconsultation")
    patients.require_consent(patient, partner_id, patients.TELECONSULTATION, now)
    return Teleconsultation(
        teleconsultation_id, patient.community_id, patient.id, patient.resident_id, partner_id, department.strip(),
        specialist.strip(), reason.strip(), caller.subject, now, join_token,
        history=(Transition(REQUESTED, now, caller.subject),), request_id=request_id)


def visible_to(caller: Caller, consultation: Teleconsultation) -> bool:
    return is_clinician_for(caller, consultation.community_id) or (
        caller.has_role("resident") and caller.subject == consultation.resident_id)


def check_visible(caller: Caller, consultation: Teleconsultation | None, consultation_id: str) -> Teleconsultation:
    if consultation is None or not visible_to(caller, consultation):
        raise NotFound(f"teleconsultation {consultation_id} not found")
    return consultation


def _require_clinician(caller: Caller, consultation: Teleconsultation, doing: str) -> None:
    if not is_clinician_for(caller, consultation.community_id):
        raise PermissionDenied(f"only a clinician serving the patient's community may {doing}")


def _require_status(consultation: Teleconsultation, allowed: tuple[str, ...], doing: str) -> None:
    if consultation.status not in allowed:
        raise FailedPrecondition(f"teleconsultation {consultation.id} is {consultation.status}: cannot {doing} "
                                 f"(only when {' or '.join(allowed)})")


def _text(value: str, name: str, limit: int = 2000, required: bool = False) -> str:
    problems: dict[str, str] = {}
    check_text(problems, name, value, limit, required)
    check_fields(problems)
    return value.strip()


def _moved(consultation: Teleconsultation, status: str, now: datetime, by: str, note: str = "",
           **changes) -> Teleconsultation:
    return replace(consultation, status=status, history=consultation.history + (Transition(status, now, by, note),),
                   version=consultation.version + 1, **changes)


def schedule(caller: Caller, consultation: Teleconsultation, start: datetime | None, duration_minutes: int,
             now: datetime) -> Teleconsultation:
    """Set the time, or move it (a scheduled session may be rescheduled)."""
    problems: dict[str, str] = {}
    if start is None or start <= now:
        problems["start"] = "required, in the future"
    if not 0 <= duration_minutes <= MAX_DURATION_MINUTES:
        problems["duration_minutes"] = f"0 (20 minutes) to {MAX_DURATION_MINUTES}"
    check_fields(problems, "invalid schedule")
    _require_clinician(caller, consultation, "schedule a teleconsultation")
    _require_status(consultation, (REQUESTED, SCHEDULED), "schedule")
    duration = timedelta(minutes=duration_minutes) if duration_minutes else DEFAULT_DURATION
    note = f"{start.isoformat()} for {int(duration.total_seconds() // 60)} min"
    return _moved(consultation, SCHEDULED, now, caller.subject, note, scheduled_start=start, duration=duration)


def start(caller: Caller, consultation: Teleconsultation, now: datetime) -> Teleconsultation:
    _require_clinician(caller, consultation, "start a teleconsultation")
    _require_status(consultation, (SCHEDULED,), "start")
    return _moved(consultation, IN_PROGRESS, now, caller.subject)


def complete(caller: Caller, consultation: Teleconsultation, note: str, now: datetime) -> Teleconsultation:
    text = _text(note, "note", required=True)
    _require_clinician(caller, consultation, "complete a teleconsultation")
    _require_status(consultation, (IN_PROGRESS,), "complete")
    if len(consultation.notes) >= MAX_NOTES:
        raise FailedPrecondition(f"teleconsultation {consultation.id} has {MAX_NOTES} notes already")
    return _moved(consultation, COMPLETED, now, caller.subject, notes=consultation.notes + (Note(caller.subject, now, text),))


def cancel(caller: Caller, consultation: Teleconsultation, reason: str, now: datetime) -> Teleconsultation:
    """Clinicians, or the patient themself, before the session starts."""
    text = _text(reason, "reason", 500, required=True)
    if not is_clinician_for(caller, consultation.community_id) and not (
            caller.has_role("resident") and caller.subject == consultation.resident_id):
        raise PermissionDenied("only the patient, or a clinician serving their community, may cancel")
    _require_status(consultation, (REQUESTED, SCHEDULED), "cancel")
    return _moved(consultation, CANCELLED, now, caller.subject, text, cancel_reason=text)


def mark_no_show(caller: Caller, consultation: Teleconsultation, now: datetime) -> Teleconsultation:
    _require_clinician(caller, consultation, "mark a no-show")
    _require_status(consultation, (SCHEDULED,), "mark as no-show")
    if now < consultation.scheduled_start:
        raise FailedPrecondition(f"teleconsultation {consultation.id} has not started yet: it is scheduled for "
                                 f"{consultation.scheduled_start.isoformat()}")
    if any(a.participant == "patient" for a in consultation.attendance):
        raise FailedPrecondition(f"the patient entered the room of teleconsultation {consultation.id}: not a no-show")
    return _moved(consultation, NO_SHOW, now, caller.subject)


def add_note(caller: Caller, consultation: Teleconsultation, text: str, now: datetime) -> Teleconsultation:
    text = _text(text, "text", required=True)
    _require_clinician(caller, consultation, "add notes to a teleconsultation")
    if len(consultation.notes) >= MAX_NOTES:
        raise FailedPrecondition(f"teleconsultation {consultation.id} has {MAX_NOTES} notes already")
    return replace(consultation, notes=consultation.notes + (Note(caller.subject, now, text),),
                   version=consultation.version + 1)


@dataclass(frozen=True)
class ConsultationScope:
    communities: frozenset[str] | None = None
    resident_id: str | None = None
    patient_id: str | None = None


def list_scope(caller: Caller, community_id: str, patient_id: str = "") -> ConsultationScope:
    if caller.has_role("clinician"):
        if community_id:
            if not caller.serves(community_id):
                raise PermissionDenied(f"you do not serve community {community_id}")
            communities = frozenset({community_id})
        else:
            communities = None if caller.sees_all_communities else caller.communities
        return ConsultationScope(communities, None, patient_id or None)
    if caller.has_role("resident"):
        return ConsultationScope(None, caller.subject, patient_id or None)
    raise PermissionDenied("only clinicians, and residents for themselves, may list teleconsultations")

