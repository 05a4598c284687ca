"""The nurse's triage list: each medical (助医) or emergency (助急) care request raised in elder care
opens an entry, so the clinic can advise, visit or send the patient on. Pure dataclasses and functions.

    open → acknowledged → closed (with a disposition)        open → closed also (handled at once)

Clinicians serving the community see and work its entries; nobody else sees them (they carry health
and location data). Emergencies come first, then the oldest.

A visit booked ahead (a discharge follow-up for next Tuesday) reaches the nurse when it is due, not when it
was booked: its entry is opened at once (so nothing depends on a timer firing) but its raised_at is the
booked time, and the list shows only entries whose raised_at has come.
"""
from dataclasses import dataclass, replace
from datetime import datetime

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.clinic.domain.patients import is_clinician_for

OPEN, ACKNOWLEDGED, CLOSED = "open", "acknowledged", "closed"
STATUSES = (OPEN, ACKNOWLEDGED, CLOSED)
MEDICAL, EMERGENCY = "medical", "emergency"
# Care-request kinds that reach the nurse, and how urgent each is (1 first).
PRIORITY = {EMERGENCY: 1, MEDICAL: 2}
DISPOSITIONS = ("advice_given", "home_visit", "clinic_appointment", "referred", "emergency_services",
                "no_action_needed")
MAX_NOTE = 1000


@dataclass(frozen=True)
class TriageEntry:
    id: str
    community_id: str
    care_request_id: str
    resident_id: str
    patient_id: str  # "" when the elder is not (yet) a patient of the clinic
    kind: str
    priority: int
    description: str
    location: str
    raised_at: datetime  # when it reaches the nurse: when raised, or for a visit booked ahead, its booked time
    status: str = OPEN
    acknowledged_by: str = ""
    acknowledged_at: datetime | None = None
    closed_by: str = ""
    closed_at: datetime | None = None
    disposition: str = ""
    note: str = ""
    version: int = 1


def reaches_the_nurse(kind: str) -> bool:
    return kind in PRIORITY


def open_entry(entry_id: str, community_id: str, care_request_id: str, resident_id: str, patient_id: str, kind: str,
               description: str, location: str, raised_at: datetime,
               scheduled_for: datetime | None = None) -> TriageEntry:
    if not reaches_the_nurse(kind):
        raise InvalidArgument(f"{kind} requests do not go to the nurse", {"kind": "medical or emergency"})
    return TriageEntry(entry_id, community_id, care_request_id, resident_id, patient_id, kind, PRIORITY[kind],
                       description[:500], location[:200], scheduled_for or raised_at)


def check_visible(caller: Caller, entry: TriageEntry | None, entry_id: str) -> TriageEntry:
    if entry is None or not is_clinician_for(caller, entry.community_id):
        raise NotFound(f"triage entry {entry_id} not found")
    return entry


def acknowledge(caller: Caller, entry: TriageEntry, now: datetime) -> TriageEntry:
    if entry.status != OPEN:
        raise FailedPrecondition(f"triage entry {entry.id} is {entry.status}: only an open entry is acknowledged")
    return replace(entry, status=ACKNOWLEDGED, acknowledged_by=caller.subject, acknowledged_at=now,
                   version=entry.version + 1)


def close(caller: Caller, entry: TriageEntry, disposition: str, note: str, now: datetime) -> TriageEntry:
    if disposition not in DISPOSITIONS:
        raise InvalidArgument("a disposition is required", {"disposition": f"one of {', '.join(DISPOSITIONS)}"})
    if len(note) > MAX_NOTE:
        raise InvalidArgument("note is too long", {"note": f"at most {MAX_NOTE} characters"})
    if entry.status == CLOSED:
        raise FailedPrecondition(f"triage entry {entry.id} is already closed")
    acknowledged = {} if entry.acknowledged_at else {"acknowledged_by": caller.subject, "acknowledged_at": now}
    return replace(entry, status=CLOSED, closed_by=caller.subject, closed_at=now, disposition=disposition,
                   note=note.strip(), version=entry.version + 1, **acknowledged)


def list_scope(caller: Caller, community_id: str) -> frozenset[str] | None:
    """The communities whose entries the caller may list (None = all)."""
    if not caller.has_role("clinician"):
        raise PermissionDenied("only clinicians see the triage list")
    if community_id:
        if not caller.serves(community_id):
            raise PermissionDenied(f"you do not serve community {community_id}")
        return frozenset({community_id})
    return None if caller.sees_all_communities else caller.communities
