"""Volunteers and who may see and change them; which of them elder-care dispatch may call on. Pure rules.

A volunteer is a Linli user (their id is the subject of their token), registered by a coordinator of
their community: a resident or a party member, in a branch or team, with skills, the weekly hours they
are usually free, and where they live.
"""
import re
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from linli.kit.errors import NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from linli.kit.community import GeoPoint, distance_m  # noqa: F401 (part of this module's vocabulary)

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# The elder-care kinds that welcome volunteers, then what else neighbours do for each other.
SKILLS = ("meal", "shopping", "cleaning", "mobility", "recreation",
          "visiting", "repair", "haircut", "tutoring", "first_aid", "publicity", "organizing")
COORDINATOR_ROLES = ("coordinator", "administrator")
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# What a volunteer may change of their own record; coordinators may change these and the rest.
SELF_SERVICE_FIELDS = frozenset({"phone", "skills", "availability", "home"})
COORDINATOR_FIELDS = SELF_SERVICE_FIELDS | {"name", "resident_id", "party_member", "branch", "active"}


def valid_point(point: GeoPoint | None) -> bool:
    return point is None or (-90 <= point.latitude <= 90 and -180 <= point.longitude <= 180
                             and not (point.latitude == 0 and point.longitude == 0))


def local_day(at: datetime, zone: str) -> str:
    """The calendar day in the community's zone (times are stored in UTC)."""
    return at.astimezone(ZoneInfo(zone)).date().isoformat()


@dataclass(frozen=True)
class Slot:
    """A weekly window of local time: ISO weekday (1 Monday), "HH:MM" start inclusive, end exclusive."""

    weekday: int
    start: str
    end: str

    def covers(self, local: datetime) -> bool:
        return local.isoweekday() == self.weekday and self.start <= local.strftime("%H:%M") < self.end

    def __str__(self) -> str:
        return f"{WEEKDAY_NAMES[self.weekday - 1]} {self.start}-{self.end}"


@dataclass(frozen=True)
class Volunteer:
    id: str
    community_id: str
    name: str
    phone: str = ""
    resident_id: str = ""
    party_member: bool = False
    branch: str = ""
    skills: frozenset[str] = frozenset()
    availability: tuple[Slot, ...] = ()
    home: GeoPoint | None = None
    active: bool = True
    registered_by: str = ""
    registered_at: datetime | None = None
    version: int = 1


def validate(volunteer: Volunteer) -> None:
    problems = {}
    if not ID_PATTERN.match(volunteer.id):
        problems["id"] = "required: the volunteer's user id (1 to 64 letters, digits or . _ : -)"
    if not ID_PATTERN.match(volunteer.community_id):
        problems["community_id"] = "required"
    if not 1 <= len(volunteer.name.strip()) <= 50:
        problems["name"] = "1 to 50 characters"
    if len(volunteer.phone) > 20:
        problems["phone"] = "at most 20 characters"
    if volunteer.resident_id and not ID_PATTERN.match(volunteer.resident_id):
        problems["resident_id"] = "1 to 64 letters, digits or . _ : -"
    if len(volunteer.branch) > 50:
        problems["branch"] = "at most 50 characters"
    if not volunteer.skills <= set(SKILLS):
        problems["skills"] = f"each one of {', '.join(SKILLS)}"
    if len(volunteer.availability) > 21 or not all(
            1 <= s.weekday <= 7 and TIME_PATTERN.match(s.start) and TIME_PATTERN.match(s.end) and s.start < s.end
            for s in volunteer.availability):
        problems["availability"] = "up to 21 slots: weekday 1 (Monday) to 7, start and end HH:MM, start before end"
    if not valid_point(volunteer.home):
        problems["home"] = "latitude -90..90 and longitude -180..180, not 0,0"
    check_fields(problems, "invalid volunteer")


def coordinates(caller: Caller, community_id: str) -> bool:
    """A coordinator (or administrator) serving the community."""
    return caller.has_role(*COORDINATOR_ROLES) and caller.serves(community_id)


def is_self(caller: Caller, volunteer_id: str) -> bool:
    return caller.has_role("volunteer") and caller.subject == volunteer_id


def register(caller: Caller, volunteer: Volunteer, now: datetime) -> Volunteer:
    validate(volunteer)
    if not coordinates(caller, volunteer.community_id):
        raise PermissionDenied("only a coordinator serving this community may register volunteers")
    return replace(volunteer, name=volunteer.name.strip(), registered_by=caller.subject, registered_at=now,
                   active=True, version=1)


def check_visible(caller: Caller, volunteer: Volunteer | None, volunteer_id: str) -> Volunteer:
    # Someone else's record is reported as missing, so ids reveal nothing.
    if volunteer is None or not (is_self(caller, volunteer.id) or coordinates(caller, volunteer.community_id)):
        raise NotFound(f"volunteer {volunteer_id} not found")
    return volunteer


def update(caller: Caller, current: Volunteer, changes: Volunteer, fields: frozenset[str]) -> Volunteer:
    """Apply the named fields of changes; the volunteer may change their own practical details only."""
    allowed = COORDINATOR_FIELDS if coordinates(caller, current.community_id) else (
        SELF_SERVICE_FIELDS if is_self(caller, current.id) else frozenset())
    if not fields:
        check_fields({"update_mask": "name at least one field"})
    unknown = fields - COORDINATOR_FIELDS
    if unknown:
        check_fields({"update_mask": f"cannot change {', '.join(sorted(unknown))}"})
    if not fields <= allowed:
        raise PermissionDenied(f"you may not change {', '.join(sorted(fields - allowed))}")
    updated = replace(current, **{name: getattr(changes, name) for name in fields}, version=current.version + 1)
    validate(updated)
    return replace(updated, name=updated.name.strip())


@dataclass(frozen=True)
class Offer:
    """A volunteer elder-care dispatch may send, with the reasons shown to the operator."""

    id: str
    name: str
    distance_m: float | None
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "distance_m": self.distance_m, "reasons": list(self.reasons)}


def available_near(volunteers: list[Volunteer], community_id: str, skill: str, where: GeoPoint | None,
                   at: datetime, zone: str, busy: frozenset[str], limit: int, radius_m: float) -> list[Offer]:
    """Active volunteers of the community with the skill, free by their weekly availability at `at`, not
    serving a shift right now, and (when both positions are known) living within radius_m; nearest first,
    those whose distance is unknown last."""
    local = at.astimezone(ZoneInfo(zone))
    offers = []
    for volunteer in volunteers:
        if not (volunteer.active and volunteer.community_id == community_id and skill in volunteer.skills):
            continue
        if volunteer.id in busy:
            continue
        slot = next((s for s in volunteer.availability if s.covers(local)), None)
        if slot is None:
            continue
        distance = distance_m(volunteer.home, where) if volunteer.home and where else None
        if distance is not None and distance > radius_m:
            continue
        reasons = [f"volunteer with the {skill} skill", f"usually free {slot}",
                   f"lives {distance:.0f} m away" if distance is not None else "distance unknown"]
        if volunteer.party_member:
            reasons.append("party member" + (f" ({volunteer.branch})" if volunteer.branch else ""))
        offers.append(Offer(volunteer.id, volunteer.name, distance, tuple(reasons)))
    offers.sort(key=lambda o: (o.distance_m is None, o.distance_m or 0.0, o.id))
    return offers[:limit]
