"""Care requests and their rules: pure dataclasses and functions, no I/O.

A resident's call for help is raised, then acknowledged by an operator in the command centre. An
emergency nobody acknowledges within its SLA is escalated, one rung of the ladder per missed window.
"""
import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from linli.kit.errors import FailedPrecondition, NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.eldercare.policy import ESCALATION_LADDER, KindPolicy

KINDS = ("meal", "shopping", "bathing", "cleaning", "medical", "emergency", "recreation", "mobility")
CHANNELS = ("device", "app", "phone")
RAISED, ACKNOWLEDGED = "raised", "acknowledged"
OPEN_STATUSES = (RAISED, ACKNOWLEDGED)

# Operators run the command centre; administrators oversee it.
STAFF_ROLES = ("operator", "administrator")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
MAX_DESCRIPTION = 500

CARE_REQUEST_RAISED = "care_request.raised"
CARE_REQUEST_ACKNOWLEDGED = "care_request.acknowledged"
CARE_REQUEST_ESCALATED = "care_request.escalated"


@dataclass(frozen=True)
class Location:
    building: str = ""
    unit: str = ""
    floor: int = 0
    detail: str = ""


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


@dataclass(frozen=True)
class NewCareRequest:
    community_id: str
    elder_id: str
    kind: str
    channel: str
    location: Location = field(default_factory=Location)
    description: str = ""
    request_id: str = ""


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
    if not 0 <= new.location.floor <= 200:
        problems["location.floor"] = "must be between 0 and 200"
    for name in ("building", "unit", "detail"):
        if len(getattr(new.location, name)) > 100:
            problems[f"location.{name}"] = "at most 100 characters"
    check_fields(problems, "invalid care request")


def may_raise_for(caller: Caller, community_id: str, elder_id: str) -> bool:
    """Staff raise calls for anyone they serve (a phone call, a device press); residents for themselves."""
    if not caller.serves(community_id):
        return False
    if caller.has_role(*STAFF_ROLES, "device"):
        return True
    return caller.has_role("resident") and caller.subject == elder_id


def raise_request(caller: Caller, new: NewCareRequest, request_id: str, now: datetime,
                  policy: dict[str, KindPolicy]) -> CareRequest:
    validate(new)
    if not may_raise_for(caller, new.community_id, new.elder_id):
        raise PermissionDenied("you may not raise a care request for this elder in this community")
    rule = policy[new.kind]
    due = now + rule.acknowledge_within
    return CareRequest(
        id=request_id, community_id=new.community_id, elder_id=new.elder_id, kind=new.kind,
        channel=new.channel, priority=rule.priority, raised_by=caller.subject, raised_at=now,
        acknowledge_due_at=due, location=new.location, description=new.description,
        request_id=new.request_id, escalate_at=due if rule.escalates else None,
    )


def visible_to(caller: Caller, request: CareRequest) -> bool:
    if caller.has_role(*STAFF_ROLES) and caller.serves(request.community_id):
        return True
    return caller.has_role("resident") and caller.subject == request.elder_id


def check_visible(caller: Caller, request: CareRequest | None, request_id: str) -> CareRequest:
    # Someone else's request is reported as missing, so ids reveal nothing.
    if request is None or not visible_to(caller, request):
        raise NotFound(f"care request {request_id} not found")
    return request


def acknowledge(caller: Caller, request: CareRequest, now: datetime) -> CareRequest:
    if not (caller.has_role(*STAFF_ROLES) and caller.serves(request.community_id)):
        raise PermissionDenied("only an operator serving this community may acknowledge its calls")
    if request.status != RAISED:
        raise FailedPrecondition(f"care request {request.id} is {request.status}, not raised: cannot acknowledge")
    return replace(request, status=ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=caller.subject,
                   escalate_at=None, version=request.version + 1)


def is_due_for_escalation(request: CareRequest, now: datetime) -> bool:
    return request.status == RAISED and request.escalate_at is not None and request.escalate_at <= now


def escalate(request: CareRequest, now: datetime, policy: dict[str, KindPolicy]) -> CareRequest:
    """Climb one rung; the next rung is due one more SLA window later, until the ladder's top."""
    if not is_due_for_escalation(request, now):
        raise FailedPrecondition(f"care request {request.id} is not due for escalation")
    level = request.escalation_level + 1
    next_at = now + policy[request.kind].acknowledge_within if level < len(ESCALATION_LADDER) else None
    return replace(request, escalation_level=level, escalated_at=now, escalate_at=next_at,
                   version=request.version + 1)


def escalation_reason(request: CareRequest) -> str:
    rung = ESCALATION_LADDER[request.escalation_level - 1]
    return f"not acknowledged within its SLA; escalated to {rung}"


@dataclass(frozen=True)
class ListScope:
    """Which open requests a caller may list: communities (None = all) and, for residents, only their own."""

    communities: frozenset[str] | None
    elder_id: str | None = None


def list_scope(caller: Caller, community_id: str) -> ListScope:
    if community_id and not caller.serves(community_id):
        raise PermissionDenied(f"you do not serve community {community_id}")
    if caller.has_role(*STAFF_ROLES):
        if community_id:
            return ListScope(frozenset({community_id}))
        return ListScope(None if caller.sees_all_communities else caller.communities)
    if caller.has_role("resident"):
        communities = frozenset({community_id}) if community_id else None
        return ListScope(communities, elder_id=caller.subject)
    raise PermissionDenied("your role may not list care requests")


def acknowledged_within_sla(request: CareRequest) -> bool:
    return request.acknowledged_at is not None and request.acknowledged_at <= request.acknowledge_due_at


def local_day(at: datetime, zone: str) -> str:
    """The calendar day in the community's zone (figures are per local day, times stored in UTC)."""
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(zone)).date().isoformat()
