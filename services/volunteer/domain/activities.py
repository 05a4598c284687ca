"""Activities, their shifts, and attendance: pure rules, no I/O.

An activity (a neighbours' festival, a hiking day, regular visiting) happens at a place; its shifts have
a time and a capacity. A volunteer's attendance of a shift:

    signed_up → confirmed → checked_in → (check-out) pending → verified | rejected
        └───────────┴──→ withdrawn

Check-in only at the place (within its radius) and inside the shift's time window, or by a coordinator's
override with a reason, which is logged. Checking out records the hours served in the ledger, pending
verification; a forgotten check-out is closed at the shift's end by the service and flagged.
"""
from dataclasses import dataclass, field, replace
from datetime import datetime

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.volunteer.domain import hours
from services.volunteer.domain.volunteers import (
    ID_PATTERN, GeoPoint, Volunteer, coordinates, distance_m, is_self, local_day, valid_point)
from services.volunteer.policy import CHECK_IN_EARLY, DEFAULT_PLACE_RADIUS_M, MAX_SHIFT

SIGNED_UP, CONFIRMED, CHECKED_IN, PENDING = "signed_up", "confirmed", "checked_in", "pending"
VERIFIED, REJECTED, WITHDRAWN = "verified", "rejected", "withdrawn"
STATUSES = (SIGNED_UP, CONFIRMED, CHECKED_IN, PENDING, VERIFIED, REJECTED, WITHDRAWN)
# Attendance that holds one of the shift's places.
HOLDS_A_PLACE = (SIGNED_UP, CONFIRMED, CHECKED_IN, PENDING, VERIFIED)
FLAG_AUTO_CLOSED = "check-out forgotten: closed at the shift's end"
FLAG_OVERRIDE = "checked in by a coordinator's override"
FLAG_OVERLAP = "overlaps another record of the volunteer: no hours credited"


@dataclass(frozen=True)
class Place:
    name: str
    position: GeoPoint
    radius_m: float = DEFAULT_PLACE_RADIUS_M


@dataclass(frozen=True)
class Activity:
    id: str
    community_id: str
    title: str
    description: str
    place: Place
    created_by: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class Shift:
    id: str
    activity_id: str
    community_id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int = 0

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass(frozen=True)
class Transition:
    status: str
    at: datetime
    by: str
    note: str = ""


@dataclass(frozen=True)
class Attendance:
    id: str
    community_id: str
    activity_id: str
    shift_id: str
    volunteer_id: str
    shift_starts_at: datetime
    shift_ends_at: datetime
    status: str = SIGNED_UP
    checked_in_at: datetime | None = None
    check_in_position: GeoPoint | None = None
    check_in_distance_m: float | None = None
    override_reason: str = ""
    override_by: str = ""
    checked_out_at: datetime | None = None
    auto_closed: bool = False
    flags: tuple[str, ...] = ()
    credited_minutes: int = 0
    hours_entry_id: str = ""
    history: tuple[Transition, ...] = field(default_factory=tuple)
    version: int = 1


def create_activity(caller: Caller, activity: Activity, now: datetime) -> Activity:
    problems = {}
    if not ID_PATTERN.match(activity.community_id):
        problems["community_id"] = "required"
    if not 1 <= len(activity.title.strip()) <= 80:
        problems["title"] = "1 to 80 characters"
    if len(activity.description) > 1000:
        problems["description"] = "at most 1000 characters"
    if not 1 <= len(activity.place.name.strip()) <= 80:
        problems["place.name"] = "1 to 80 characters"
    if not valid_point(activity.place.position):
        problems["place.position"] = "latitude -90..90 and longitude -180..180, not 0,0"
    if not 20 <= activity.place.radius_m <= 5000:
        problems["place.radius_m"] = "20 to 5000 metres"
    check_fields(problems, "invalid activity")
    if not coordinates(caller, activity.community_id):
        raise PermissionDenied("only a coordinator serving this community may create activities")
    return replace(activity, title=activity.title.strip(), created_by=caller.subject, created_at=now)


def may_see_activities(caller: Caller, community_id: str) -> bool:
    return caller.serves(community_id) and bool(caller.roles)


def check_activity_visible(caller: Caller, activity: Activity | None, activity_id: str) -> Activity:
    if activity is None or not may_see_activities(caller, activity.community_id):
        raise NotFound(f"activity {activity_id} not found")
    return activity


def add_shift(caller: Caller, activity: Activity, shift: Shift, now: datetime) -> Shift:
    problems = {}
    if not 1 <= len(shift.title.strip()) <= 50:
        problems["title"] = "1 to 50 characters"
    if shift.starts_at is None or shift.ends_at is None or shift.ends_at <= shift.starts_at:
        problems["ends_at"] = "after starts_at"
    elif shift.ends_at - shift.starts_at > MAX_SHIFT:
        problems["ends_at"] = f"at most {MAX_SHIFT.total_seconds() / 3600:.0f} hours after starts_at"
    elif shift.ends_at <= now:
        problems["ends_at"] = "in the future"
    if not 1 <= shift.capacity <= 1000:
        problems["capacity"] = "1 to 1000"
    check_fields(problems, "invalid shift")
    if not coordinates(caller, activity.community_id):
        raise PermissionDenied("only a coordinator serving this community may add shifts")
    return replace(shift, activity_id=activity.id, community_id=activity.community_id, title=shift.title.strip(),
                   taken=0)


# -- attendance ----------------------------------------------------------------------------------------

def visible_to(caller: Caller, attendance: Attendance) -> bool:
    return is_self(caller, attendance.volunteer_id) or coordinates(caller, attendance.community_id)


def check_visible(caller: Caller, attendance: Attendance | None, attendance_id: str) -> Attendance:
    if attendance is None or not visible_to(caller, attendance):
        raise NotFound(f"attendance {attendance_id} not found")
    return attendance


def _require_status(attendance: Attendance, allowed: tuple[str, ...], doing: str) -> None:
    if attendance.status not in allowed:
        raise FailedPrecondition(f"attendance {attendance.id} is {attendance.status}: cannot {doing} "
                                 f"(only when {' or '.join(allowed)})")


def _moved(attendance: Attendance, status: str, now: datetime, by: str, note: str = "", **changes) -> Attendance:
    return replace(attendance, status=status, version=attendance.version + 1,
                   history=attendance.history + (Transition(status, now, by, note),), **changes)


def sign_up(caller: Caller, volunteer: Volunteer, shift: Shift, attendance_id: str, now: datetime) -> Attendance:
    """The volunteer themself, or a coordinator on their behalf; while the shift has a free place."""
    if not (is_self(caller, volunteer.id) or coordinates(caller, volunteer.community_id)):
        raise PermissionDenied("volunteers sign themselves up; a coordinator may sign up a volunteer they serve")
    if volunteer.community_id != shift.community_id:
        raise FailedPrecondition(f"shift {shift.id} belongs to another community than volunteer {volunteer.id}")
    if not volunteer.active:
        raise FailedPrecondition(f"volunteer {volunteer.id} is not active")
    if shift.ends_at <= now:
        raise FailedPrecondition(f"shift {shift.id} has ended")
    if shift.taken >= shift.capacity:
        raise FailedPrecondition(f"shift {shift.id} is full ({shift.capacity} places)")
    return Attendance(attendance_id, shift.community_id, shift.activity_id, shift.id, volunteer.id,
                      shift.starts_at, shift.ends_at, history=(Transition(SIGNED_UP, now, caller.subject),))


def confirm(caller: Caller, attendance: Attendance, now: datetime) -> Attendance:
    if not coordinates(caller, attendance.community_id):
        raise PermissionDenied("only a coordinator serving this community may confirm sign-ups")
    _require_status(attendance, (SIGNED_UP,), "confirm it")
    return _moved(attendance, CONFIRMED, now, caller.subject)


def withdraw(caller: Caller, attendance: Attendance, reason: str, now: datetime) -> Attendance:
    _require_status(attendance, (SIGNED_UP, CONFIRMED), "withdraw it")
    return _moved(attendance, WITHDRAWN, now, caller.subject, hours.note(reason, "reason"))


def check_in(caller: Caller, attendance: Attendance, activity: Activity, position: GeoPoint | None,
             override_reason: str, now: datetime, checked_in_elsewhere: bool = False) -> Attendance:
    """At the activity's place inside the shift's time window (from CHECK_IN_EARLY before its start until
    its end); or a coordinator's override with a reason, logged and flagged for the verifier."""
    reason = hours.note(override_reason, "override_reason")
    if reason:
        if not coordinates(caller, attendance.community_id):
            raise PermissionDenied("only a coordinator serving this community may override a check-in")
    elif not is_self(caller, attendance.volunteer_id):
        raise PermissionDenied("volunteers check themselves in; a coordinator needs an override reason")
    _require_status(attendance, (CONFIRMED,), "check in")
    if position is not None and not valid_point(position):
        raise InvalidArgument("position is not a valid point", {"position": "latitude -90..90, longitude -180..180"})
    if checked_in_elsewhere:
        raise FailedPrecondition("you are checked in to another shift: check out there first")
    distance = distance_m(position, activity.place.position) if position is not None else None
    if not reason:
        opens = attendance.shift_starts_at - CHECK_IN_EARLY
        if now < opens:
            raise FailedPrecondition(f"check-in opens at {opens:%H:%M} UTC, "
                                     f"{CHECK_IN_EARLY.total_seconds() / 60:.0f} minutes before the shift")
        if now >= attendance.shift_ends_at:
            raise FailedPrecondition("the shift has ended: ask a coordinator")
        if position is None:
            raise InvalidArgument("position is required to check in", {"position": "required"})
        if distance > activity.place.radius_m:
            raise FailedPrecondition(f"you are {distance:.0f} m from {activity.place.name}; check-in needs you "
                                     f"within {activity.place.radius_m:.0f} m")
    return _moved(attendance, CHECKED_IN, now, caller.subject, f"override: {reason}" if reason else "",
                  checked_in_at=now, check_in_position=position, check_in_distance_m=distance,
                  override_reason=reason, override_by=caller.subject if reason else "",
                  flags=(FLAG_OVERRIDE,) if reason else ())


def check_out(caller: Caller, attendance: Attendance, volunteer: Volunteer, activity: Activity,
              ledger: list[hours.HoursEntry], entry_id: str, now: datetime, zone: str,
              auto: bool = False) -> tuple[Attendance, hours.HoursEntry | None]:
    """Close the attendance and record its hours, pending verification. ledger: the volunteer's live
    entries around the shift (for the overlap and daily checks). auto: the service closing a forgotten
    check-out at the shift's end; if that overlaps another record, it is rejected with no entry (None)."""
    if not auto and not (is_self(caller, attendance.volunteer_id) or coordinates(caller, attendance.community_id)):
        raise PermissionDenied("only the volunteer or a coordinator serving this community may check out")
    _require_status(attendance, (CHECKED_IN,), "check out")
    ended = attendance.shift_ends_at if auto else now
    started = attendance.checked_in_at
    if ended < started:  # an override check-in after the shift's end: no time served yet
        ended = started
    by = "system" if auto else caller.subject
    if auto and hours.overlapping(ledger, started, ended) is not None:
        # Nobody to ask, and the other record stands: close it as rejected, crediting nothing.
        flags = attendance.flags + (FLAG_AUTO_CLOSED, FLAG_OVERLAP)
        return _moved(attendance, REJECTED, now, by, FLAG_OVERLAP, checked_out_at=ended, auto_closed=True,
                      flags=flags), None
    hours.refuse_overlap(ledger, started, ended)
    day = local_day(started, zone)
    shift_minutes = int((attendance.shift_ends_at - attendance.shift_starts_at).total_seconds() // 60)
    minutes, capped = hours.credit_minutes(started, ended, shift_minutes, hours.used_on(ledger, day))
    flags = attendance.flags + ((FLAG_AUTO_CLOSED,) if auto else ()) + capped
    entry = hours.HoursEntry(
        entry_id, attendance.community_id, volunteer.id, volunteer.name, hours.CREDIT, minutes, started, ended, day,
        hours.ATTENDANCE, attendance.id, activity.title, now, by, flags=flags)
    closed = _moved(attendance, PENDING, now, by, FLAG_AUTO_CLOSED if auto else "", checked_out_at=ended,
                    auto_closed=auto, flags=flags, credited_minutes=minutes, hours_entry_id=entry_id)
    return closed, entry


def is_forgotten(attendance: Attendance, now: datetime) -> bool:
    return attendance.status == CHECKED_IN and attendance.shift_ends_at <= now


def decided(attendance: Attendance, entry: hours.HoursEntry) -> Attendance:
    """The attendance follows its ledger entry's verification."""
    status = {hours.VERIFIED: VERIFIED, hours.REJECTED: REJECTED}[entry.status]
    return _moved(attendance, status, entry.decided_at, entry.decided_by, entry.decision_note)


def check_shift(shift: Shift | None, shift_id: str, caller: Caller) -> Shift:
    if shift is None or not (caller.serves(shift.community_id) and caller.roles):
        raise NotFound(f"shift {shift_id} not found")
    return shift
