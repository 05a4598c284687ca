"""The hours ledger and its verification: pure rules, no I/O.

Following the practice of volunteer service records (true, accurate, complete, timely; whoever
organizes records, whoever records certifies):

- The ledger is append-only. An entry's minutes, span and source are written once. Its verification
  (pending → verified or rejected), the beneficiary's word and a reversal's link are each stamped once
  and never changed. A correction is a reversing entry (negative minutes), never an edit.
- Credited time is capped at the shift's length (elder-care services: a fixed cap), and at a daily
  maximum per volunteer; a record overlapping another live record of the same volunteer is refused.
- Coordinators verify; for a service to a resident, the resident confirms it, and a coordinator verifies
  an unconfirmed one only with a note saying how it was confirmed (a phone call back, say).
"""
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.volunteer.domain.volunteers import COORDINATOR_ROLES, coordinates, is_self
from services.volunteer.policy import DAILY_MAX_MINUTES

CREDIT, REVERSAL = "credit", "reversal"
ATTENDANCE, CARE_REQUEST, CORRECTION = "attendance", "care_request", "correction"
PENDING, VERIFIED, REJECTED = "pending", "verified", "rejected"
AWAITED, CONFIRMED, DISPUTED = "awaited", "confirmed", "disputed"
MAX_NOTE = 500

HOURS_ENTRY_RECORDED = "hours_entry.recorded"
HOURS_ENTRY_VERIFIED = "hours_entry.verified"
HOURS_ENTRY_REJECTED = "hours_entry.rejected"
HOURS_ENTRY_REVERSED = "hours_entry.reversed"

FLAG_CAPPED_AT_SHIFT = "capped at the shift's length"
FLAG_CAPPED_AT_SERVICE = "capped at the longest credited service"
FLAG_CAPPED_DAILY = f"capped by the daily maximum of {DAILY_MAX_MINUTES // 60} h"


@dataclass(frozen=True)
class HoursEntry:
    id: str
    community_id: str
    volunteer_id: str
    volunteer_name: str
    kind: str
    minutes: int
    started_at: datetime
    ended_at: datetime
    day: str
    source: str
    source_id: str
    description: str
    recorded_at: datetime
    recorded_by: str
    status: str = PENDING
    beneficiary_id: str = ""
    beneficiary_confirmation: str = ""
    beneficiary_comment: str = ""
    decided_at: datetime | None = None
    decided_by: str = ""
    decision_note: str = ""
    reverses_id: str = ""
    reversed_by_id: str = ""
    flags: tuple[str, ...] = ()
    version: int = 1

    @property
    def live(self) -> bool:
        """Counts toward the volunteer's time: a credit neither rejected nor reversed."""
        return self.kind == CREDIT and self.status != REJECTED and not self.reversed_by_id


def note(value: str, name: str, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidArgument(f"{name} is required", {name: "required"})
    if len(value) > MAX_NOTE:
        raise InvalidArgument(f"{name} is too long", {name: f"at most {MAX_NOTE} characters"})
    return value


def credit_minutes(started_at: datetime, ended_at: datetime, cap_minutes: int, used_today: int,
                   cap_flag: str = FLAG_CAPPED_AT_SHIFT) -> tuple[int, tuple[str, ...]]:
    """Minutes to credit for time served from started_at to ended_at: whole minutes, at most cap_minutes,
    and at most what the daily maximum leaves after used_today. Returns (minutes, flags)."""
    served = max(0, int((ended_at - started_at).total_seconds() // 60))
    flags = []
    minutes = served
    if minutes > cap_minutes:
        minutes, flags = cap_minutes, [cap_flag]
    left = max(0, DAILY_MAX_MINUTES - used_today)
    if minutes > left:
        minutes = left
        flags.append(FLAG_CAPPED_DAILY)
    return minutes, tuple(flags)


def overlapping(entries: list[HoursEntry], started_at: datetime, ended_at: datetime) -> HoursEntry | None:
    """A live record of the volunteer whose span overlaps [started_at, ended_at), if any."""
    return next((e for e in entries if e.live and e.started_at < ended_at and started_at < e.ended_at), None)


def refuse_overlap(entries: list[HoursEntry], started_at: datetime, ended_at: datetime) -> None:
    clash = overlapping(entries, started_at, ended_at)
    if clash is not None:
        raise FailedPrecondition(
            f"this record overlaps {clash.description or clash.id} "
            f"({clash.started_at:%Y-%m-%d %H:%M}–{clash.ended_at:%H:%M} UTC): one volunteer, one place at a time")


def used_on(entries: list[HoursEntry], day: str) -> int:
    """Minutes already counted for the volunteer on a local day (live credits)."""
    return sum(e.minutes for e in entries if e.live and e.day == day)


def visible_to(caller: Caller, entry: HoursEntry) -> bool:
    return (is_self(caller, entry.volunteer_id) or coordinates(caller, entry.community_id)
            or (bool(entry.beneficiary_id) and caller.subject == entry.beneficiary_id and caller.has_role("resident")))


def check_visible(caller: Caller, entry: HoursEntry | None, entry_id: str) -> HoursEntry:
    if entry is None or not visible_to(caller, entry):
        raise NotFound(f"hours entry {entry_id} not found")
    return entry


def _require_coordinator(caller: Caller, entry: HoursEntry, doing: str) -> None:
    # Whoever records certifies, and nobody certifies themselves: a coordinator who also volunteers has
    # their hours decided by another coordinator, whichever communities they coordinate.
    if caller.subject == entry.volunteer_id:
        raise PermissionDenied(f"these are your own hours: another coordinator serving community "
                               f"{entry.community_id} must {doing}")
    if not coordinates(caller, entry.community_id):
        raise PermissionDenied(f"only a coordinator serving community {entry.community_id} may {doing}; "
                               f"you coordinate {', '.join(sorted(caller.communities)) or 'no community'}")


def _require_pending(entry: HoursEntry, doing: str) -> None:
    if entry.status != PENDING:
        raise FailedPrecondition(f"hours entry {entry.id} is {entry.status}: cannot {doing} (only when pending)")


def check_may_verify(caller: Caller) -> None:
    """Verifying is a coordinator's work: anyone else is refused outright, not entry by entry."""
    if not caller.has_role(*COORDINATOR_ROLES):
        raise PermissionDenied("only coordinators verify hours")


def verify(caller: Caller, entry: HoursEntry, verification_note: str, now: datetime) -> HoursEntry:
    _require_coordinator(caller, entry, "verify hours")
    _require_pending(entry, "verify it")
    said = note(verification_note, "note")
    if entry.beneficiary_id and entry.beneficiary_confirmation != CONFIRMED and not said:
        state = "disputes it" if entry.beneficiary_confirmation == DISPUTED else "has not confirmed it yet"
        raise FailedPrecondition(f"the resident served {state}: verify with a note saying how the service "
                                 "was confirmed, or reject it")
    return replace(entry, status=VERIFIED, decided_at=now, decided_by=caller.subject, decision_note=said,
                   version=entry.version + 1)


def reject(caller: Caller, entry: HoursEntry, reason: str, now: datetime) -> HoursEntry:
    _require_coordinator(caller, entry, "reject hours")
    _require_pending(entry, "reject it")
    return replace(entry, status=REJECTED, decided_at=now, decided_by=caller.subject,
                   decision_note=note(reason, "reason", required=True), version=entry.version + 1)


def confirm_service(caller: Caller, entry: HoursEntry, confirmed: bool, comment: str, now: datetime) -> HoursEntry:
    """The resident served says whether the service happened as recorded; once."""
    if not (entry.beneficiary_id and caller.subject == entry.beneficiary_id and caller.has_role("resident")):
        raise PermissionDenied("only the resident served may confirm this service")
    if entry.beneficiary_confirmation != AWAITED:
        raise FailedPrecondition(f"this service was already {entry.beneficiary_confirmation}")
    if entry.status == REJECTED:
        raise FailedPrecondition(f"hours entry {entry.id} was rejected")
    return replace(entry, beneficiary_confirmation=CONFIRMED if confirmed else DISPUTED,
                   beneficiary_comment=note(comment, "comment"), version=entry.version + 1)


def reverse(caller: Caller, entry: HoursEntry, reason: str, reversal_id: str, now: datetime,
            corrected_minutes: int = 0, corrected_id: str = "", used_today: int = 0
            ) -> tuple[HoursEntry, HoursEntry, HoursEntry | None]:
    """Correct a verified credit: a reversing entry cancels it, and optionally a corrected credit (at most
    the time of the original span, within the daily maximum) replaces it. Both are the coordinator's own
    record, so they are verified by them at once. Returns (the reversed entry, the reversal, the corrected)."""
    _require_coordinator(caller, entry, "correct hours")
    if entry.kind != CREDIT or entry.status != VERIFIED:
        raise FailedPrecondition(f"hours entry {entry.id} is not a verified credit: reject a pending one instead")
    if entry.reversed_by_id:
        raise FailedPrecondition(f"hours entry {entry.id} is already reversed by {entry.reversed_by_id}")
    why = note(reason, "reason", required=True)
    span = int((entry.ended_at - entry.started_at).total_seconds() // 60)
    if not 0 <= corrected_minutes <= span:
        raise InvalidArgument(f"corrected_minutes must be 0 to {span} (the time of the original record)",
                              {"corrected_minutes": f"0 to {span}"})
    if corrected_minutes > DAILY_MAX_MINUTES - (used_today - entry.minutes):
        raise FailedPrecondition(f"the corrected time would pass the daily maximum of {DAILY_MAX_MINUTES // 60} h")
    decided = {"status": VERIFIED, "decided_at": now, "decided_by": caller.subject, "decision_note": why,
               "recorded_at": now, "recorded_by": caller.subject, "beneficiary_id": "",
               "beneficiary_confirmation": "", "beneficiary_comment": "", "flags": (), "version": 1}
    reversal = replace(entry, id=reversal_id, kind=REVERSAL, minutes=-entry.minutes, source=CORRECTION,
                       source_id=entry.id, description=f"更正：冲销 {entry.description}", reverses_id=entry.id,
                       reversed_by_id="", **decided)
    corrected = None
    if corrected_minutes:
        corrected = replace(entry, id=corrected_id, kind=CREDIT, minutes=corrected_minutes, source=CORRECTION,
                            source_id=entry.id, description=f"更正：{entry.description}", reverses_id="",
                            reversed_by_id="", **decided)
    reversed_entry = replace(entry, reversed_by_id=reversal_id, version=entry.version + 1)
    return reversed_entry, reversal, corrected


@dataclass(frozen=True)
class EntryScope:
    """Which entries a caller may list: a community's (coordinators), a volunteer's, a beneficiary's."""

    community_id: str | None = None
    volunteer_id: str | None = None
    beneficiary_id: str | None = None


def list_scope(caller: Caller, community_id: str, volunteer_id: str, awaiting_my_confirmation: bool) -> EntryScope:
    if awaiting_my_confirmation:
        if not caller.has_role("resident"):
            raise PermissionDenied("only residents confirm services")
        return EntryScope(beneficiary_id=caller.subject)
    if community_id and coordinates(caller, community_id):
        return EntryScope(community_id=community_id, volunteer_id=volunteer_id or None)
    if caller.has_role("volunteer") and volunteer_id in ("", caller.subject) and not community_id:
        return EntryScope(volunteer_id=caller.subject)
    if community_id:
        raise PermissionDenied(f"only coordinators serving community {community_id} may list its hours")
    raise PermissionDenied("volunteers list their own hours; coordinators name the community")


def day_after(day: str) -> str:
    from datetime import date

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


# -- services to residents, from elder care ---------------------------------------------------------------

@dataclass(frozen=True)
class CareService:
    """An elder-care request a volunteer served, as eldercare's care_request.completed reports it."""

    care_request_id: str
    community_id: str
    volunteer_id: str
    elder_id: str
    kind: str
    started_at: datetime
    ended_at: datetime
    checked_in_by_override: bool = False


def record_care_service(service: CareService, volunteer_name: str, ledger: list[HoursEntry], entry_id: str,
                        now: datetime, zone: str, kind_label: str, cap_minutes: int) -> HoursEntry:
    """A pending entry for the time on site, awaiting the elder's confirmation and a coordinator's check.
    Refused (FailedPrecondition) when it overlaps another live record of the volunteer."""
    from services.volunteer.domain.volunteers import local_day

    refuse_overlap(ledger, service.started_at, service.ended_at)
    day = local_day(service.started_at, zone)
    minutes, flags = credit_minutes(service.started_at, service.ended_at, cap_minutes, used_on(ledger, day),
                                    FLAG_CAPPED_AT_SERVICE)
    if service.checked_in_by_override:
        flags = ("checked in at the elder's home by an operator's override",) + flags
    return HoursEntry(entry_id, service.community_id, service.volunteer_id, volunteer_name, CREDIT, minutes,
                      service.started_at, service.ended_at, day, CARE_REQUEST, service.care_request_id,
                      f"居家养老服务·{kind_label}", now, "system", beneficiary_id=service.elder_id,
                      beneficiary_confirmation=AWAITED, flags=flags)
