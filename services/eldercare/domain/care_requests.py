"""Care requests and their rules: pure dataclasses and functions, no I/O.

A resident's call for help is raised, acknowledged by an operator, assigned to someone who accepts it,
travels, checks in at the elder's home, completes the service; an operator closes it with a
disposition. It may be cancelled (a false alarm) before anyone is on site; a declined or timed-out
assignment goes back for reassignment; an emergency nobody acknowledges in time climbs the escalation
ladder. Every transition is recorded with who and when.

A request may be booked for later (scheduled_for: a home follow-up visit after a hospital discharge, a
bath on Saturday): its clocks (the acknowledgement SLA, the escalation ladder) start at its scheduled
time, not when it was booked, and until then it is an upcoming visit, kept apart from the live calls.

    raised → acknowledged → assigned → en_route → on_site → completed → closed
       └──────────┴────────────┴──────────┴──→ cancelled        (assigned ─decline/timeout→ acknowledged)
"""
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from linli.kit.community import GeoPoint, distance_m  # noqa: F401 (part of this module's vocabulary)
from services.eldercare.policy import ESCALATION_LADDER, GEOFENCE_METRES, KindPolicy

KINDS = ("meal", "shopping", "bathing", "cleaning", "medical", "emergency", "recreation", "mobility")
CHANNELS = ("device", "app", "phone")
RAISED, ACKNOWLEDGED, ASSIGNED, EN_ROUTE, ON_SITE = "raised", "acknowledged", "assigned", "en_route", "on_site"
COMPLETED, CLOSED, CANCELLED = "completed", "closed", "cancelled"
STATUSES = (RAISED, ACKNOWLEDGED, ASSIGNED, EN_ROUTE, ON_SITE, COMPLETED, CLOSED, CANCELLED)
OPEN_STATUSES = (RAISED, ACKNOWLEDGED, ASSIGNED, EN_ROUTE, ON_SITE, COMPLETED)
# Someone is on the way or at work: the assignee's current jobs.
ACTIVE_STATUSES = (ASSIGNED, EN_ROUTE, ON_SITE)
CANCELLABLE = (RAISED, ACKNOWLEDGED, ASSIGNED, EN_ROUTE)
# A visit booked for later stays upcoming in these (it may be acknowledged and assigned ahead of time),
# until its time comes or someone sets off.
UPCOMING_STATUSES = (RAISED, ACKNOWLEDGED, ASSIGNED)
DISPOSITIONS = ("resolved", "referred_to_clinic", "handed_to_emergency_services", "no_access", "false_alarm")
# Ways a request can end without the service being completed (the elder was taken to hospital, nobody
# answered the door): an operator may close it with one of these from any open status.
CLOSE_WITHOUT_COMPLETING = ("handed_to_emergency_services", "no_access")
ASSIGNEE_KINDS = ("staff", "volunteer")
# Where a request's position came from: the elder's registered home (an operator's or the app's call),
# their call device (installed at home: the same point), or the elder's own phone (its fix, with accuracy).
HOME_ADDRESS, DEVICE, PHONE_GPS = "home_address", "device", "phone_gps"
POSITION_SOURCES = (HOME_ADDRESS, DEVICE, PHONE_GPS)
# A phone's stated accuracy (metres): past a few kilometres the fix says nothing about a door.
MAX_POSITION_ACCURACY_M = 5_000.0

# Operators run the command centre; administrators oversee it.
STAFF_ROLES = ("operator", "administrator")
FIELD_ROLES = ("caregiver", "volunteer")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
MAX_DESCRIPTION = 500
MAX_NOTE = 500

CARE_REQUEST_RAISED = "care_request.raised"
CARE_REQUEST_ACKNOWLEDGED = "care_request.acknowledged"
CARE_REQUEST_ESCALATED = "care_request.escalated"
CARE_REQUEST_ASSIGNED = "care_request.assigned"
CARE_REQUEST_ASSIGNMENT_ACCEPTED = "care_request.assignment_accepted"
CARE_REQUEST_ASSIGNMENT_DECLINED = "care_request.assignment_declined"
CARE_REQUEST_EN_ROUTE = "care_request.en_route"
CARE_REQUEST_ON_SITE = "care_request.on_site"
CARE_REQUEST_COMPLETED = "care_request.completed"
CARE_REQUEST_CLOSED = "care_request.closed"
CARE_REQUEST_CANCELLED = "care_request.cancelled"
CARE_REQUEST_RATED = "care_request.rated"
CARE_REQUEST_CALL_OFFERED = "care_request.call_offered"
CARE_REQUEST_CALL_ANSWERED = "care_request.call_answered"
CARE_REQUEST_CALL_ENDED = "care_request.call_ended"
CARE_REQUEST_CALL_GUEST_INVITED = "care_request.call_guest_invited"
CARE_REQUEST_CALL_GUEST_JOINED = "care_request.call_guest_joined"
CARE_REQUEST_CALL_GUEST_LEFT = "care_request.call_guest_left"

# Calls (voice, or voice and video) between the elder's terminal and the command centre.
CALL_RINGING, CALL_ANSWERED, CALL_ENDED = "ringing", "answered", "ended"
CALL_MEDIA = ("audio", "audio_video")
FROM_TERMINAL, TO_TERMINAL = "from_terminal", "to_terminal"
HUNG_UP, DROPPED, UNANSWERED, TERMINAL_OFFLINE, MEDIA_FAILED = (
    "hung_up", "dropped", "unanswered", "terminal_offline", "media_failed")
# What a participant may report; UNANSWERED is the platform's (the SLA passed with the call ringing).
PARTICIPANT_END_REASONS = (HUNG_UP, DROPPED, TERMINAL_OFFLINE, MEDIA_FAILED)


@dataclass(frozen=True)
class Location:
    building: str = ""
    unit: str = ""
    floor: int = 0
    detail: str = ""


@dataclass(frozen=True)
class Assignment:
    assignee_id: str
    assignee_kind: str
    assignee_name: str
    assigned_by: str
    assigned_at: datetime
    accept_due_at: datetime
    accepted_at: datetime | None = None
    override_reason: str = ""


@dataclass(frozen=True)
class Visit:
    visitor_id: str
    checked_in_at: datetime
    position: GeoPoint | None = None
    distance_m: float | None = None
    override_reason: str = ""
    override_by: str = ""
    checked_out_at: datetime | None = None
    notes: str = ""


@dataclass(frozen=True)
class Transition:
    status: str
    at: datetime
    by: str
    note: str = ""


@dataclass(frozen=True)
class Feedback:
    rating: int
    comment: str
    rated_by: str
    rated_at: datetime


# A third person brought into a call: a family contact of the elder or the community's clinician (invited
# by the operator on the call), or a hospital's specialist (invited by that clinician, with a token).
GUEST_FAMILY, GUEST_CLINICIAN, GUEST_SPECIALIST = "family", "clinician", "specialist"
GUEST_KINDS = (GUEST_FAMILY, GUEST_CLINICIAN, GUEST_SPECIALIST)
# The operator brings in one person (a mesh of three: the terminal, the operator and them); a clinician so
# brought in may bring in one specialist (four: see docs/calls.md).
MAX_GUESTS = {GUEST_FAMILY: 1, GUEST_CLINICIAN: 1, GUEST_SPECIALIST: 1}
INVITATION_SECONDS = (5, 3600)  # how long an invitation may stay open, least and most


@dataclass(frozen=True)
class CallGuest:
    id: str
    kind: str
    # Who is invited: a Linli user id (family, clinician); for a specialist, the hospital's name for them.
    subject: str
    invited_by: str
    invited_at: datetime
    expires_at: datetime
    # A specialist's invitation is a token (its SHA-256 kept here, never the token); "" for the others,
    # who join with their own sign-in.
    token_sha256: str = ""
    joined_at: datetime | None = None
    left_at: datetime | None = None


@dataclass(frozen=True)
class Call:
    id: str
    media: str
    direction: str
    device_id: str
    offered_at: datetime
    offered_by: str
    state: str = CALL_RINGING
    answered_at: datetime | None = None
    answered_by: str = ""
    ended_at: datetime | None = None
    end_reason: str = ""
    ended_by: str = ""
    # The elder's phone on file: where to call back when the media fails or drops.
    callback_phone: str = ""
    # Third persons invited into it, in the order invited.
    guests: tuple[CallGuest, ...] = ()
    # The elder consented to recording when it was answered (what the board shows).
    recording_allowed: bool = False

    @property
    def live(self) -> bool:
        return self.state != CALL_ENDED

    @property
    def duration_seconds(self) -> int:
        if self.answered_at is None or self.ended_at is None:
            return 0
        return max(0, round((self.ended_at - self.answered_at).total_seconds()))


@dataclass(frozen=True)
class CareRequest:
    id: str
    community_id: str
    elder_id: str
    kind: str
    channel: str
    priority: int
    raised_by: str
    raised_at: datetime
    acknowledge_due_at: datetime
    location: Location = field(default_factory=Location)
    description: str = ""
    request_id: str = ""
    status: str = RAISED
    acknowledged_at: datetime | None = None
    acknowledged_by: str = ""
    escalation_level: int = 0
    escalated_at: datetime | None = None
    # When the next rung of the ladder is due; None when nothing will escalate.
    escalate_at: datetime | None = None
    version: int = 1
    position: GeoPoint | None = None
    device_id: str = ""
    assignment: Assignment | None = None
    eta: datetime | None = None
    visit: Visit | None = None
    disposition: str = ""
    cancel_reason: str = ""
    history: tuple[Transition, ...] = ()
    feedback: Feedback | None = None
    # When a visit booked for later is wanted; None for a call to answer now.
    scheduled_for: datetime | None = None
    # Where position came from (POSITION_SOURCES; "" without a position) and, for a phone's fix, its accuracy.
    position_source: str = ""
    position_accuracy_m: float | None = None
    # Voice or video calls on it, oldest first.
    calls: tuple[Call, ...] = ()

    @property
    def live_call(self) -> Call | None:
        """The call ringing or under way, if any."""
        return self.calls[-1] if self.calls and self.calls[-1].live else None

    @property
    def clock_starts_at(self) -> datetime:
        """When its SLA clock starts: its scheduled time if it was booked for later, else when raised."""
        return self.scheduled_for or self.raised_at

    @property
    def escalated_to(self) -> str:
        return ESCALATION_LADDER[self.escalation_level - 1] if self.escalation_level else ""

    def time_of(self, status: str) -> datetime | None:
        """When the request last entered a status."""
        return next((t.at for t in reversed(self.history) if t.status == status), None)


@dataclass(frozen=True)
class NewCareRequest:
    community_id: str
    elder_id: str
    kind: str
    channel: str
    location: Location = field(default_factory=Location)
    description: str = ""
    request_id: str = ""
    position: GeoPoint | None = None
    device_id: str = ""
    # Book it for later (operators only); None: a call to answer now.
    scheduled_for: datetime | None = None
    position_source: str = ""
    position_accuracy_m: float | None = None


def _valid_point(point: GeoPoint | None) -> bool:
    return point is None or (-90 <= point.latitude <= 90 and -180 <= point.longitude <= 180
                             and not (point.latitude == 0 and point.longitude == 0))


def validate(new: NewCareRequest) -> None:
    problems = {}
    if not ID_PATTERN.match(new.community_id):
        problems["community_id"] = "required: 1 to 64 letters, digits or . _ : -"
    if not ID_PATTERN.match(new.elder_id):
        problems["elder_id"] = "required: 1 to 64 letters, digits or . _ : -"
    if new.kind not in KINDS:
        problems["kind"] = f"must be one of {', '.join(KINDS)}"
    if new.channel not in CHANNELS:
        problems["channel"] = f"must be one of {', '.join(CHANNELS)}"
    if len(new.description) > MAX_DESCRIPTION:
        problems["description"] = f"at most {MAX_DESCRIPTION} characters"
    if new.request_id and not ID_PATTERN.match(new.request_id):
        problems["request_id"] = "1 to 64 letters, digits or . _ : -"
    if new.device_id and not ID_PATTERN.match(new.device_id):
        problems["device_id"] = "1 to 64 letters, digits or . _ : -"
    if not 0 <= new.location.floor <= 200:
        problems["location.floor"] = "must be between 0 and 200"
    for name in ("building", "unit", "detail"):
        if len(getattr(new.location, name)) > 100:
            problems[f"location.{name}"] = "at most 100 characters"
    if not _valid_point(new.position):
        problems["position"] = "latitude -90..90 and longitude -180..180, not 0,0"
    if new.position_source == PHONE_GPS:
        if new.channel != "app":
            problems["position"] = "only a call from the app carries the phone's position"
        accuracy = new.position_accuracy_m
        if accuracy is None or not 0 < accuracy <= MAX_POSITION_ACCURACY_M:
            problems["position_accuracy_m"] = f"required with position: more than 0, at most {MAX_POSITION_ACCURACY_M:.0f} m"
    elif new.position_accuracy_m is not None:
        problems["position_accuracy_m"] = "only with the phone's position"
    check_fields(problems, "invalid care request")


def speaks_for(caller: Caller, elder_id: str, family_of: frozenset[str]) -> bool:
    """The elder themself, or a family member registered as their contact."""
    return ((caller.has_role("resident") and caller.subject == elder_id)
            or (caller.has_role("family") and elder_id in family_of))


def may_raise_for(caller: Caller, new: NewCareRequest, family_of: frozenset[str] = frozenset()) -> bool:
    """Staff raise calls for anyone they serve (a phone call, a device press); residents for themselves,
    families for their elder; a call device only presses, as itself."""
    if not caller.serves(new.community_id):
        return False
    if caller.has_role(*STAFF_ROLES) or speaks_for(caller, new.elder_id, family_of):
        return True
    return caller.has_role("device") and new.channel == "device" and new.device_id == caller.subject


def check_may_raise(caller: Caller, new: NewCareRequest, family_of: frozenset[str] = frozenset()) -> None:
    """A well-formed request the caller may raise for this elder. The phone's own position is the elder's
    only when the elder raises from their own phone: a family member's phone is somewhere else."""
    validate(new)
    if not may_raise_for(caller, new, family_of):
        raise PermissionDenied("you may not raise a care request for this elder in this community")
    if new.position_source == PHONE_GPS and not (caller.has_role("resident") and caller.subject == new.elder_id):
        raise InvalidArgument("only the elder's own phone may send its position with a call",
                              {"position": "only when the elder raises the call from their own phone"})


def raise_request(caller: Caller, new: NewCareRequest, request_id: str, now: datetime,
                  policy: dict[str, KindPolicy], family_of: frozenset[str] = frozenset()) -> CareRequest:
    check_may_raise(caller, new, family_of)
    _check_schedule(caller, new, now)
    if new.scheduled_for is not None:  # to the millisecond, as MongoDB keeps it
        new = replace(new, scheduled_for=new.scheduled_for.replace(
            microsecond=new.scheduled_for.microsecond // 1000 * 1000))
    rule = policy[new.kind]
    # A visit booked for later is due for acknowledgement (and escalates) from its scheduled time on.
    due = (new.scheduled_for or now) + rule.acknowledge_within
    return CareRequest(
        id=request_id, community_id=new.community_id, elder_id=new.elder_id, kind=new.kind,
        channel=new.channel, priority=rule.priority, raised_by=caller.subject, raised_at=now,
        acknowledge_due_at=due, location=new.location, description=new.description,
        request_id=new.request_id, escalate_at=due if rule.escalates else None, position=new.position,
        device_id=new.device_id, history=(Transition(RAISED, now, caller.subject),),
        scheduled_for=new.scheduled_for, position_source=new.position_source if new.position else "",
        position_accuracy_m=new.position_accuracy_m if new.position else None,
    )


# How far ahead a visit may be booked: a quarter covers every follow-up plan and recurring service an
# operator books by hand; a date further out is far more likely a typo than a plan.
SCHEDULE_HORIZON = timedelta(days=92)


def _check_schedule(caller: Caller, new: NewCareRequest, now: datetime) -> None:
    when = new.scheduled_for
    if when is None:
        return
    if when.tzinfo is None:
        raise InvalidArgument("scheduled_for must carry its time zone", {"scheduled_for": "a time with its zone"})
    if new.kind == "emergency":
        raise InvalidArgument("an emergency cannot be booked for later",
                              {"scheduled_for": "not for an emergency: raise it now"})
    if not now < when <= now + SCHEDULE_HORIZON:
        raise InvalidArgument("scheduled_for must be in the future, at most "
                              f"{SCHEDULE_HORIZON.days} days ahead",
                              {"scheduled_for": f"after now, at most {SCHEDULE_HORIZON.days} days ahead"})
    if not caller.has_role(*STAFF_ROLES):
        raise PermissionDenied("only an operator books visits for later")


def is_upcoming(request: CareRequest, now: datetime) -> bool:
    """A visit booked for later whose time has not come and that nobody has set off for yet: shown among
    the upcoming visits, not the live calls."""
    return (request.scheduled_for is not None and request.scheduled_for > now
            and request.status in UPCOMING_STATUSES)


# The centre's working day begins at 09:00: a visit booked for a day is wanted from then.
VISIT_DAY_STARTS = time(9, 0)


def follow_up_visit_time(due_date: str, now: datetime, zone: str) -> datetime | None:
    """When to book a home follow-up visit after a hospital discharge, from the plan's due date
    (YYYY-MM-DD, "due by this day"): that morning, in the community's zone. None when that morning has
    already come (the visit is due now: a call to answer today, not one to book).

    Without a due date: the next morning. The hospital said nothing about how long it may wait, so the
    community should see the elder soon (the risk of readmission is highest in the first days after a
    discharge), yet it is no call to answer within minutes, and the morning is when the centre plans its
    day's visits.
    A date past the booking horizon is booked at the horizon: earlier is still "by" that day."""
    local = ZoneInfo(zone)
    try:
        day = date.fromisoformat(due_date) if due_date else now.astimezone(local).date() + timedelta(days=1)
    except ValueError:
        day = now.astimezone(local).date() + timedelta(days=1)
    when = datetime.combine(day, VISIT_DAY_STARTS, local).astimezone(now.tzinfo)
    if when <= now:
        return None
    return min(when, now + SCHEDULE_HORIZON)


# An anxious elder presses again and again: presses this close together, while the first call is still
# unanswered, are the same call.
REPEATED_PRESS_WINDOW = timedelta(minutes=2)


def repeated_press(unanswered: list[CareRequest], new: NewCareRequest, now: datetime) -> CareRequest | None:
    """The still-unanswered call that this press repeats, if any."""
    return next((r for r in unanswered if r.status == RAISED and r.elder_id == new.elder_id and r.kind == new.kind
                 and r.channel == "device" and now - r.raised_at <= REPEATED_PRESS_WINDOW), None)


# -- who may see and do what ---------------------------------------------------------------------

def is_staff_for(caller: Caller, request: CareRequest) -> bool:
    return caller.has_role(*STAFF_ROLES) and caller.serves(request.community_id)


def is_assignee(caller: Caller, request: CareRequest) -> bool:
    return (request.assignment is not None and caller.has_role(*FIELD_ROLES)
            and request.assignment.assignee_id == caller.subject)


def visible_to(caller: Caller, request: CareRequest, family_of: frozenset[str] = frozenset()) -> bool:
    """family_of: the elders whose family the caller is (from the elders' registered contacts)."""
    return is_staff_for(caller, request) or is_assignee(caller, request) or speaks_for(caller, request.elder_id,
                                                                                        family_of)


TERMINAL, OPERATOR = "terminal", "operator"


def is_terminal_of(caller: Caller, request: CareRequest) -> bool:
    """The call terminal (a device token, subject = device id) that raised the request or is rung on it."""
    terminals = {request.device_id} | {call.device_id for call in request.calls}
    return (caller.has_role("device") and caller.subject in terminals - {""}
            and caller.serves(request.community_id))


def call_role(caller: Caller, request: CareRequest | None, request_id: str,
              family_of: frozenset[str] = frozenset(), now: datetime | None = None, token_sha256: str = "") -> str:
    """Who may be in the call room of a care request: its terminal, the operators serving its community,
    and a guest invited into its live call (guest_of). Anyone else: NotFound when they may not see the
    request at all, PermissionDenied when they may (the family, the assignee: they follow it, they do not
    take its calls)."""
    if request is not None and now is not None:
        guest = guest_of(caller, request, now, family_of, token_sha256)
        if guest is not None:
            return guest.kind
    if request is not None and is_terminal_of(caller, request):
        return TERMINAL
    if request is not None and caller.has_role("operator", "administrator") and caller.serves(request.community_id):
        taken_by = _operator_of(request.live_call)
        if taken_by and taken_by != caller.subject:
            raise FailedPrecondition(f"the call on care request {request.id} is already answered by {taken_by}")
        return OPERATOR
    request = check_visible(caller, request, request_id, family_of)
    raise PermissionDenied(f"only the terminal and the operators of community {request.community_id} take "
                           "part in a care request's calls")


def check_visible(caller: Caller, request: CareRequest | None, request_id: str,
                  family_of: frozenset[str] = frozenset()) -> CareRequest:
    # Someone else's request is reported as missing, so ids reveal nothing.
    if request is None or not visible_to(caller, request, family_of):
        raise NotFound(f"care request {request_id} not found")
    return request


def _require_staff(caller: Caller, request: CareRequest, doing: str) -> None:
    if not is_staff_for(caller, request):
        raise PermissionDenied(f"only an operator serving this community may {doing}")


def _require_assignee(caller: Caller, request: CareRequest, doing: str) -> None:
    if not is_assignee(caller, request):
        raise PermissionDenied(f"only the person assigned to care request {request.id} may {doing}")


def _require_status(request: CareRequest, allowed: tuple[str, ...], doing: str) -> None:
    if request.status not in allowed:
        raise FailedPrecondition(
            f"care request {request.id} is {request.status}: cannot {doing} (only when {' or '.join(allowed)})")


def _note(value: str, name: str, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidArgument(f"{name} is required", {name: "required"})
    if len(value) > MAX_NOTE:
        raise InvalidArgument(f"{name} is too long", {name: f"at most {MAX_NOTE} characters"})
    return value


def _moved(request: CareRequest, status: str, now: datetime, by: str, note: str = "", **changes) -> CareRequest:
    return replace(request, status=status, history=request.history + (Transition(status, now, by, note),),
                   version=request.version + 1, **changes)


# -- transitions -----------------------------------------------------------------------------------

def acknowledge(caller: Caller, request: CareRequest, now: datetime) -> CareRequest:
    _require_staff(caller, request, "acknowledge its calls")
    _require_status(request, (RAISED,), "acknowledge")
    return _moved(request, ACKNOWLEDGED, now, caller.subject, acknowledged_at=now, acknowledged_by=caller.subject,
                  escalate_at=None)


@dataclass(frozen=True)
class Assignee:
    """Someone who can be sent: a staff member or a volunteer."""

    id: str
    kind: str
    name: str


def assign(caller: Caller, request: CareRequest, assignee: Assignee, suggested: bool, override_reason: str,
           now: datetime, policy: dict[str, KindPolicy]) -> CareRequest:
    """Assigning a raised call acknowledges it too. Choosing someone not suggested needs a reason."""
    _require_staff(caller, request, "assign its calls")
    _require_status(request, (RAISED, ACKNOWLEDGED), "assign")
    if assignee.kind not in ASSIGNEE_KINDS:
        raise InvalidArgument("assignee_kind must be staff or volunteer", {"assignee_kind": "staff or volunteer"})
    reason = _note(override_reason, "override_reason", required=not suggested)
    if assignee.kind == "volunteer" and not policy[request.kind].volunteers_welcome:
        raise FailedPrecondition(f"{request.kind} requests are served by staff, not volunteers")
    assignment = Assignment(assignee.id, assignee.kind, assignee.name, caller.subject, now,
                            now + policy[request.kind].accept_within, override_reason=reason)
    acknowledged = {} if request.acknowledged_at else {"acknowledged_at": now, "acknowledged_by": caller.subject}
    note = f"assigned to {assignee.name or assignee.id}" + (f" (override: {reason})" if reason else "")
    return _moved(request, ASSIGNED, now, caller.subject, note, assignment=assignment, escalate_at=None,
                  **acknowledged)


def accept(caller: Caller, request: CareRequest, now: datetime) -> CareRequest:
    _require_assignee(caller, request, "accept it")
    _require_status(request, (ASSIGNED,), "accept")
    if request.assignment.accepted_at is not None:
        raise FailedPrecondition(f"care request {request.id} is already accepted")
    return replace(request, assignment=replace(request.assignment, accepted_at=now), version=request.version + 1,
                   history=request.history + (Transition(ASSIGNED, now, caller.subject, "accepted"),))


def decline(caller: Caller, request: CareRequest, reason: str, now: datetime) -> CareRequest:
    _require_assignee(caller, request, "decline it")
    _require_status(request, (ASSIGNED,), "decline")
    return _moved(request, ACKNOWLEDGED, now, caller.subject, f"declined: {_note(reason, 'reason', True)}",
                  assignment=None)


def is_assignment_overdue(request: CareRequest, now: datetime) -> bool:
    assignment = request.assignment
    return (request.status == ASSIGNED and assignment is not None and assignment.accepted_at is None
            and assignment.accept_due_at <= now)


def time_out_assignment(request: CareRequest, now: datetime) -> CareRequest:
    if not is_assignment_overdue(request, now):
        raise FailedPrecondition(f"care request {request.id} has no overdue assignment")
    return _moved(request, ACKNOWLEDGED, now, "system", f"{request.assignment.assignee_id} did not accept in time",
                  assignment=None)


MAX_ETA_MINUTES = 240


def start_travel(caller: Caller, request: CareRequest, eta_minutes: int, now: datetime) -> CareRequest:
    """Setting off accepts the assignment if the assignee had not yet done so."""
    _require_assignee(caller, request, "set off for it")
    _require_status(request, (ASSIGNED,), "set off")
    if not 1 <= eta_minutes <= MAX_ETA_MINUTES:
        raise InvalidArgument(f"eta_minutes must be 1 to {MAX_ETA_MINUTES}", {"eta_minutes": f"1 to {MAX_ETA_MINUTES}"})
    assignment = request.assignment if request.assignment.accepted_at else replace(request.assignment, accepted_at=now)
    return _moved(request, EN_ROUTE, now, caller.subject, assignment=assignment,
                  eta=now + timedelta(minutes=eta_minutes))


def arrive(caller: Caller, request: CareRequest, position: GeoPoint | None, override_reason: str, now: datetime,
           geofence_m: float = GEOFENCE_METRES) -> CareRequest:
    """Check in at the elder's home: the assignee within the geofence, or an operator's logged override."""
    reason = _note(override_reason, "override_reason")
    if reason:
        _require_staff(caller, request, "override a check-in")
    else:
        _require_assignee(caller, request, "check in")
    _require_status(request, (ASSIGNED, EN_ROUTE), "check in")
    if position is not None and not _valid_point(position):
        raise InvalidArgument("position is not a valid point", {"position": "latitude -90..90, longitude -180..180"})
    distance = distance_m(position, request.position) if position and request.position else None
    if not reason:
        if position is None:
            raise InvalidArgument("position is required to check in", {"position": "required"})
        if request.position is None:
            raise FailedPrecondition("the elder's home position is unknown: an operator must check you in")
        # A phone's fix is only as good as its accuracy: the fence widens by it.
        fence = geofence_m + (request.position_accuracy_m or 0.0)
        if distance > fence:
            where = "the elder's home" if request.position_source != PHONE_GPS else "where the elder's phone placed them"
            raise FailedPrecondition(
                f"you are {distance:.0f} m from {where}; check-in needs you within {fence:.0f} m")
    visit = Visit(request.assignment.assignee_id, now, position, distance, reason, caller.subject if reason else "")
    accepted = request.assignment if request.assignment.accepted_at else replace(request.assignment, accepted_at=now)
    return _moved(request, ON_SITE, now, caller.subject, f"override: {reason}" if reason else "", visit=visit,
                  assignment=accepted)


def complete(caller: Caller, request: CareRequest, notes: str, now: datetime) -> CareRequest:
    if not is_staff_for(caller, request):
        _require_assignee(caller, request, "complete it")
    _require_status(request, (ON_SITE,), "complete")
    visit = replace(request.visit, checked_out_at=now, notes=_note(notes, "notes"))
    return _moved(request, COMPLETED, now, caller.subject, visit=visit)


def close(caller: Caller, request: CareRequest, disposition: str, note: str, now: datetime) -> CareRequest:
    _require_staff(caller, request, "close its calls")
    if disposition not in DISPOSITIONS:
        raise InvalidArgument(f"disposition must be one of {', '.join(DISPOSITIONS)}",
                              {"disposition": " | ".join(DISPOSITIONS)})
    allowed = OPEN_STATUSES if disposition in CLOSE_WITHOUT_COMPLETING else (COMPLETED,)
    _require_status(request, allowed, f"close as {disposition}")
    return _moved(request, CLOSED, now, caller.subject, _note(note, "note"), disposition=disposition,
                  escalate_at=None)


def cancel(caller: Caller, request: CareRequest, reason: str, now: datetime,
           family_of: frozenset[str] = frozenset()) -> CareRequest:
    """A false alarm or a request no longer needed, before anyone is on site: by an operator, the elder,
    or their family."""
    if not (is_staff_for(caller, request) or speaks_for(caller, request.elder_id, family_of)):
        raise PermissionDenied("only the elder, their family or an operator serving this community may cancel it")
    _require_status(request, CANCELLABLE, "cancel")
    reason = _note(reason, "reason", required=True)
    return _moved(request, CANCELLED, now, caller.subject, reason, cancel_reason=reason, escalate_at=None)


def is_due_for_escalation(request: CareRequest, now: datetime) -> bool:
    return request.status == RAISED and request.escalate_at is not None and request.escalate_at <= now


def escalate(request: CareRequest, now: datetime, policy: dict[str, KindPolicy]) -> CareRequest:
    """Climb one rung; the next rung is due one more SLA window later, until the ladder's top."""
    if not is_due_for_escalation(request, now):
        raise FailedPrecondition(f"care request {request.id} is not due for escalation")
    return _climb(end_unanswered_call(request, now), now, "system", "not acknowledged within its SLA",
                  next_due=now + policy[request.kind].acknowledge_within)


def escalate_by_hand(caller: Caller, request: CareRequest, reason: str, now: datetime) -> CareRequest:
    _require_staff(caller, request, "escalate its calls")
    _require_status(request, (RAISED, ACKNOWLEDGED, ASSIGNED, EN_ROUTE, ON_SITE), "escalate")
    return _climb(request, now, caller.subject, _note(reason, "reason", required=True), next_due=None)


def _climb(request: CareRequest, now: datetime, by: str, why: str, next_due: datetime | None) -> CareRequest:
    if request.escalation_level >= len(ESCALATION_LADDER):
        raise FailedPrecondition(f"care request {request.id} is already escalated to {ESCALATION_LADDER[-1]}")
    level = request.escalation_level + 1
    rung = ESCALATION_LADDER[level - 1]
    return replace(request, escalation_level=level, escalated_at=now, version=request.version + 1,
                   escalate_at=next_due if level < len(ESCALATION_LADDER) else None,
                   history=request.history + (Transition(request.status, now, by, f"escalated to {rung}: {why}"),))


def escalation_reason(request: CareRequest) -> str:
    return request.history[-1].note


def rate(caller: Caller, request: CareRequest, rating: int, comment: str, now: datetime,
         family_of: frozenset[str] = frozenset()) -> CareRequest:
    """The elder, or their family, rates the service once it is done."""
    if not speaks_for(caller, request.elder_id, family_of):
        raise PermissionDenied("only the elder or their family may rate this service")
    _require_status(request, (COMPLETED, CLOSED), "rate")
    if request.feedback is not None:
        raise FailedPrecondition(f"care request {request.id} is already rated")
    if not 1 <= rating <= 5:
        raise InvalidArgument("rating must be 1 to 5", {"rating": "1 (poor) to 5 (excellent)"})
    feedback = Feedback(rating, _note(comment, "comment"), caller.subject, now)
    return replace(request, feedback=feedback, version=request.version + 1)


def acknowledged_within_sla(request: CareRequest) -> bool:
    return request.acknowledged_at is not None and request.acknowledged_at <= request.acknowledge_due_at


def seconds_since_clock_start(request: CareRequest, at: datetime) -> float:
    """Time to acknowledge or to arrive, for the figures: from when the request's clock started (its
    scheduled time for a visit booked for later); 0 for a step taken ahead of that time."""
    return max(0.0, (at - request.clock_starts_at).total_seconds())


def local_day(at: datetime, zone: str) -> str:
    """The calendar day in the community's zone (figures are per local day, times stored in UTC)."""
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(zone)).date().isoformat()


@dataclass(frozen=True)
class ListScope:
    """Which requests a caller may list: communities (None = all); for others, only their own."""

    communities: frozenset[str] | None
    elder_ids: frozenset[str] | None = None
    assignee_id: str | None = None


def list_scope(caller: Caller, community_id: str) -> ListScope:
    """The board's list: staff see their communities' open requests."""
    if community_id and not caller.serves(community_id):
        raise PermissionDenied(f"you do not serve community {community_id}")
    if caller.has_role(*STAFF_ROLES):
        if community_id:
            return ListScope(frozenset({community_id}))
        return ListScope(None if caller.sees_all_communities else caller.communities)
    if caller.has_role("resident"):
        communities = frozenset({community_id}) if community_id else None
        return ListScope(communities, elder_ids=frozenset({caller.subject}))
    raise PermissionDenied("your role may not list care requests")


def my_scope(caller: Caller, family_of: frozenset[str] = frozenset()) -> ListScope:
    """What "my requests" means: a caregiver's or volunteer's jobs, a resident's or family's calls."""
    if caller.has_role(*FIELD_ROLES):
        return ListScope(None, assignee_id=caller.subject)
    elders = set()
    if caller.has_role("resident"):
        elders.add(caller.subject)
    if caller.has_role("family"):
        elders |= family_of
    if not elders and not caller.has_role("resident", "family"):
        raise PermissionDenied("your role has no care requests of its own; operators use the open list")
    return ListScope(None, elder_ids=frozenset(elders))


# -- calls ---------------------------------------------------------------------------------------------

def _operator_of(call: Call | None) -> str:
    """The operator a live call belongs to: who answered it, or who rang the terminal; "" while it rings
    for everyone."""
    if call is None:
        return ""
    return call.answered_by if call.direction == FROM_TERMINAL else call.offered_by


def _with_call(request: CareRequest, call: Call, bump: bool = True) -> CareRequest:
    """The request with its last call replaced by `call` (or `call` added when it is new), one version on
    (bump=False: the request's transition already counted it)."""
    calls = request.calls[:-1] + (call,) if request.calls and request.calls[-1].id == call.id else request.calls + (call,)
    return replace(request, calls=calls, version=request.version + (1 if bump else 0))


def offer_call(request: CareRequest, call_id: str, media: str, device_id: str, by: str, now: datetime,
               callback_phone: str = "", direction: str = FROM_TERMINAL, new: bool = False) -> CareRequest:
    """A press on a terminal that can speak offers a call: it rings for every operator of the community.
    new: the request is being raised by this press (not saved yet)."""
    if media not in CALL_MEDIA:
        raise InvalidArgument(f"a call carries {' or '.join(CALL_MEDIA)}", {"media": " or ".join(CALL_MEDIA)})
    if request.live_call is not None:
        raise FailedPrecondition(f"care request {request.id} already has a call {request.live_call.state}")
    call = Call(call_id, media, direction, device_id, now, by, callback_phone=callback_phone)
    return _with_call(request, call, bump=not new)


def ring_terminal(caller: Caller, request: CareRequest, call_id: str, device_id: str, device_media: str,
                  media: str, now: datetime, callback_phone: str = "") -> CareRequest:
    """An operator calls the elder's terminal back, from any request of theirs that is not finished."""
    _require_staff(caller, request, "call the elder")
    if request.status == CLOSED:
        raise FailedPrecondition(f"care request {request.id} is closed: call back from an open request")
    if not device_media:
        raise FailedPrecondition(f"elder {request.elder_id} has no terminal that can take a call")
    media = media or device_media
    if media == "audio_video" and device_media != "audio_video":
        raise FailedPrecondition("the elder's terminal takes voice calls only")
    return offer_call(request, call_id, media, device_id, caller.subject, now, callback_phone, TO_TERMINAL)


def _the_live_call(request: CareRequest, call_id: str) -> Call:
    call = next((c for c in request.calls if c.id == call_id), None) if call_id else request.live_call
    if call is None:
        raise NotFound(f"care request {request.id} has no call {call_id}".rstrip() if call_id
                       else f"care request {request.id} has no call ringing or under way")
    if not call.live:
        raise FailedPrecondition(f"call {call.id} has ended ({call.end_reason})")
    return call


def answer_call(caller: Caller, request: CareRequest, call_id: str, now: datetime,
                recording_allowed: bool = False) -> tuple[CareRequest, str]:
    """The first operator to answer a terminal's call gets it, and answering acknowledges the request
    (the SLA clock stops when an operator speaks with the elder). A terminal picks up an operator's call.
    Returns the request and its event type (acknowledged when answering acknowledged it)."""
    call = _the_live_call(request, call_id)
    if call.state == CALL_ANSWERED:
        raise FailedPrecondition(f"call {call.id} is already answered by {call.answered_by}")
    if call.direction == FROM_TERMINAL:
        _require_staff(caller, request, "answer its calls")
    elif not is_terminal_of(caller, request) or caller.subject != call.device_id:
        raise PermissionDenied("only the terminal rung picks up an operator's call")
    answered = replace(call, state=CALL_ANSWERED, answered_at=now, answered_by=caller.subject,
                       recording_allowed=recording_allowed)
    if call.direction == FROM_TERMINAL and request.status == RAISED:
        acknowledged = acknowledge(caller, request, now)
        return _with_call(acknowledged, answered, bump=False), CARE_REQUEST_ACKNOWLEDGED
    return _with_call(request, answered), CARE_REQUEST_CALL_ANSWERED


def end_call(caller: Caller, request: CareRequest, call_id: str, reason: str, now: datetime) -> CareRequest:
    """A participant hangs up, or reports the call dropped, its media failed (ICE), or the terminal gone.
    Another operator than the one on the call may not end it."""
    if reason not in PARTICIPANT_END_REASONS:
        raise InvalidArgument(f"reason must be one of {', '.join(PARTICIPANT_END_REASONS)}",
                              {"reason": ", ".join(PARTICIPANT_END_REASONS)})
    call = _the_live_call(request, call_id)
    if not is_terminal_of(caller, request):
        _require_staff(caller, request, "end its calls")
        taken_by = _operator_of(call)
        if taken_by and taken_by != caller.subject:
            raise PermissionDenied(f"call {call.id} is {taken_by}'s")
    return _with_call(request, replace(call, state=CALL_ENDED, ended_at=now, end_reason=reason, ended_by=caller.subject))


def end_unanswered_call(request: CareRequest, now: datetime) -> CareRequest:
    """The request escalates with its call still ringing: the call ends unanswered (the terminal stops
    ringing; the escalation ladder takes over, as for any unacknowledged request)."""
    call = request.live_call
    if call is None or call.state != CALL_RINGING or call.direction != FROM_TERMINAL:
        return request
    ended = replace(call, state=CALL_ENDED, ended_at=now, end_reason=UNANSWERED, ended_by="system")
    return replace(request, calls=request.calls[:-1] + (ended,))


# -- a third person in a call ---------------------------------------------------------------------------

def _invitation_of(call: Call | None, caller: Caller, family_of: frozenset[str], elder_id: str,
                   community_id: str, token_sha256: str) -> CallGuest | None:
    """The caller's invitation into the call, whatever its expiry: a specialist by the token alone; a
    family member or clinician by their own sign-in, named on the invitation, and still of the elder's
    family or serving the elder's community."""
    for guest in reversed(call.guests if call else ()):
        if guest.kind == GUEST_SPECIALIST:
            if token_sha256 and guest.token_sha256 == token_sha256:
                return guest
        elif guest.subject == caller.subject and (
                (guest.kind == GUEST_FAMILY and caller.has_role("family") and elder_id in family_of)
                or (guest.kind == GUEST_CLINICIAN and caller.has_role("clinician") and caller.serves(community_id))):
            return guest
    return None


def guest_of(caller: Caller, request: CareRequest, now: datetime, family_of: frozenset[str] = frozenset(),
             token_sha256: str = "") -> CallGuest | None:
    """The caller's invitation into the request's live call, or None when they hold none. An invitation
    that expired before its guest first joined is refused (FailedPrecondition); once joined, the guest
    may come back (a dropped connection) until the call ends."""
    guest = _invitation_of(request.live_call, caller, family_of, request.elder_id, request.community_id,
                           token_sha256)
    if guest is not None and guest.joined_at is None and now >= guest.expires_at:
        raise FailedPrecondition(f"the invitation into the call on care request {request.id} expired at "
                                 f"{guest.expires_at.isoformat()}")
    return guest


def invite_to_call(caller: Caller, request: CareRequest, guest_id: str, kind: str, subject: str,
                   expires_in_seconds: int, token_sha256: str, now: datetime,
                   elder_family: frozenset[str] = frozenset(), family_of: frozenset[str] = frozenset()) -> CareRequest:
    """Bring a third person into a call in progress: the operator on the call invites a family contact of
    the elder (elder_family: the user ids of the elder's contacts) or the community's clinician; a
    clinician in the call invites a hospital's specialist (who holds a token, having no Linli account)."""
    if kind not in GUEST_KINDS:
        raise InvalidArgument("unknown guest", {"guest": f"one of {', '.join(GUEST_KINDS)}"})
    least, most = INVITATION_SECONDS
    if not least <= expires_in_seconds <= most:
        raise InvalidArgument("invitation lifetime out of range",
                              {"expires_in_seconds": f"from {least} to {most} seconds"})
    subject = subject.strip()
    if not re.fullmatch(r"[A-Za-z0-9_.:@-]{1,64}", subject):
        raise InvalidArgument("invalid guest", {"subject": "1 to 64 letters, digits, _ . : @ -"})
    call = request.live_call
    inviter_guest = _invitation_of(call, caller, family_of, request.elder_id, request.community_id, "")
    if inviter_guest is None:  # no guest of this call: as if the request did not exist, unless they see it
        check_visible(caller, request, request.id, family_of)
    if kind == GUEST_SPECIALIST:
        if inviter_guest is None or inviter_guest.kind != GUEST_CLINICIAN or inviter_guest.joined_at is None:
            raise PermissionDenied("only the clinician in the call brings in a hospital's specialist")
    else:
        _require_staff(caller, request, "bring someone into its call")
        if not caller.has_role("operator"):
            raise PermissionDenied("only the operator on the call brings someone into it")
    if call is None or call.state != CALL_ANSWERED:
        raise FailedPrecondition(f"care request {request.id} has no call in progress to bring someone into")
    if kind != GUEST_SPECIALIST and _operator_of(call) != caller.subject:
        raise PermissionDenied(f"call {call.id} is {_operator_of(call)}'s")
    if kind == GUEST_FAMILY and subject not in elder_family:
        raise InvalidArgument("not a family contact of the elder",
                              {"subject": f"the Linli user id of a contact of elder {request.elder_id}"})
    same_side = (GUEST_SPECIALIST,) if kind == GUEST_SPECIALIST else (GUEST_FAMILY, GUEST_CLINICIAN)
    waiting = [g for g in call.guests if g.kind in same_side and g.left_at is None
               and (g.joined_at is not None or now < g.expires_at)]
    if len(waiting) >= MAX_GUESTS[kind]:
        raise FailedPrecondition(f"call {call.id} already has its {waiting[0].kind} guest ({waiting[0].subject}) "
                                 "invited or in it: one at a time")
    guest = CallGuest(guest_id, kind, subject, caller.subject, now, now + timedelta(seconds=expires_in_seconds),
                      token_sha256 if kind == GUEST_SPECIALIST else "")
    return _with_call(request, replace(call, guests=call.guests + (guest,)))


def record_guest_presence(caller: Caller, request: CareRequest, guest_id: str, joined: bool, now: datetime,
                          family_of: frozenset[str] = frozenset(), token_sha256: str = "") -> CareRequest:
    """A guest's stream opened (joined) or closed (left), told by the gateway as that guest: the call keeps
    the first join and the last leave. Leaving is recorded even after the invitation's expiry or the call's
    end; nobody but the guest records it."""
    call = next((c for c in request.calls if any(g.id == guest_id for g in c.guests)), None)
    guest = _invitation_of(call, caller, family_of, request.elder_id, request.community_id, token_sha256)
    if call is None or guest is None or guest.id != guest_id:
        raise NotFound(f"care request {request.id} has no invitation {guest_id} of yours")
    guests = tuple(replace(g, joined_at=g.joined_at or now, left_at=None) if joined and g.id == guest_id
                   else replace(g, left_at=now) if g.id == guest_id else g for g in call.guests)
    calls = tuple(replace(c, guests=guests) if c.id == call.id else c for c in request.calls)
    return replace(request, calls=calls, version=request.version + 1)
