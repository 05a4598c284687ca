"""Care staff, their shifts, and who to send: pure rules, no I/O.

Dispatch offers on-shift staff who have the skill the call needs, in the call's community, ranked by
distance to the elder plus a penalty per open job they already hold, each with the reasons shown to the
operator. Volunteers (from the volunteer service) are offered for non-urgent kinds once it exists.
"""
from dataclasses import dataclass, replace
from datetime import datetime

from linli.kit.errors import PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.eldercare.domain.care_requests import (
    ID_PATTERN, KINDS, STAFF_ROLES, CareRequest, GeoPoint, distance_m)
from services.eldercare.policy import LOAD_PENALTY_METRES, KindPolicy

MAX_CANDIDATES = 20


@dataclass(frozen=True)
class StaffMember:
    # The caregiver's Linli user id: the subject of their token.
    id: str
    community_id: str
    name: str
    phone: str
    skills: frozenset[str]
    on_shift: bool = False
    shift_started_at: datetime | None = None
    position: GeoPoint | None = None
    position_at: datetime | None = None
    version: int = 1


def validate(member: StaffMember) -> None:
    problems = {}
    if not ID_PATTERN.match(member.id):
        problems["id"] = "required: the caregiver's user id (1 to 64 letters, digits or . _ : -)"
    if not ID_PATTERN.match(member.community_id):
        problems["community_id"] = "required"
    if not 1 <= len(member.name.strip()) <= 50:
        problems["name"] = "1 to 50 characters"
    if len(member.phone) > 20:
        problems["phone"] = "at most 20 characters"
    if not member.skills or not member.skills <= set(KINDS):
        problems["skills"] = f"one or more of {', '.join(KINDS)}"
    check_fields(problems, "invalid staff member")


def may_manage(caller: Caller, community_id: str) -> bool:
    return caller.has_role(*STAFF_ROLES) and caller.serves(community_id)


def register(caller: Caller, member: StaffMember) -> StaffMember:
    validate(member)
    if not may_manage(caller, member.community_id):
        raise PermissionDenied("only an operator or administrator serving this community may register staff")
    return member


def _require_self_or_manager(caller: Caller, member: StaffMember) -> None:
    if caller.subject != member.id and not may_manage(caller, member.community_id):
        raise PermissionDenied("only the staff member or an operator serving their community may do this")


def start_shift(caller: Caller, member: StaffMember, now: datetime) -> StaffMember:
    _require_self_or_manager(caller, member)
    return replace(member, on_shift=True, shift_started_at=now, version=member.version + 1)


def end_shift(caller: Caller, member: StaffMember) -> StaffMember:
    _require_self_or_manager(caller, member)
    return replace(member, on_shift=False, shift_started_at=None, version=member.version + 1)


def report_position(caller: Caller, member: StaffMember, position: GeoPoint, now: datetime) -> StaffMember:
    if caller.subject != member.id:
        raise PermissionDenied("staff report only their own position")
    check_fields({} if -90 <= position.latitude <= 90 and -180 <= position.longitude <= 180
                 else {"position": "latitude -90..90, longitude -180..180"})
    return replace(member, position=position, position_at=now, version=member.version + 1)


@dataclass(frozen=True)
class Candidate:
    assignee_id: str
    assignee_kind: str
    name: str
    distance_m: float | None
    load: int
    reasons: tuple[str, ...]


def suggest(request: CareRequest, staff: list[StaffMember], loads: dict[str, int], policy: dict[str, KindPolicy],
            limit: int = 5, volunteers: list[Candidate] = ()) -> list[Candidate]:
    """Who to send, best first. Staff without a known position rank after those with one."""
    candidates = []
    for member in staff:
        if not (member.on_shift and member.community_id == request.community_id and request.kind in member.skills):
            continue
        load = loads.get(member.id, 0)
        distance = distance_m(member.position, request.position) if member.position and request.position else None
        reasons = [f"on shift with the {request.kind} skill",
                   f"{distance:.0f} m away" if distance is not None else "position unknown",
                   "no open jobs" if load == 0 else f"{load} open job{'s' if load > 1 else ''}"]
        candidates.append(Candidate(member.id, "staff", member.name, distance, load, tuple(reasons)))
    if policy[request.kind].volunteers_welcome:
        candidates.extend(volunteers)

    def cost(candidate: Candidate) -> tuple:
        known = candidate.distance_m is not None
        return (not known, (candidate.distance_m or 0) + candidate.load * LOAD_PENALTY_METRES, candidate.assignee_id)

    return sorted(candidates, key=cost)[:limit]
