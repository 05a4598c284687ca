"""Job seekers: their skills (informal ones too), experience, preferences and availability. Pure: no I/O.

A seeker's id is the resident's user id, so the resident sees their own profile; a counsellor may
register a resident who walks in (at a fair, at the service centre) under that id.

    registered → searching → placed → followed_up → exited
                    ▲           └──────────┴── (a follow-up finds them out of work) ──┘
    any → exited (they stop looking); exited → searching (they come back)

Only searching seekers are matched. The birth year is kept for one rule only, the legal working age
(16, 劳动法 art. 15) at registration; matching never sees it (see matching.SeekerTerms).
"""
from dataclasses import dataclass, replace
from datetime import datetime

from linli.kit.errors import FailedPrecondition, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.employment.domain import matching
from services.employment.domain.common import (
    ID_RULE, MAX_NAME, MAX_NOTE, GeoPoint, Transition, hidden, is_counsellor_for, local_day, parse_day, valid_id,
    valid_point)

REGISTERED, SEARCHING, PLACED, FOLLOWED_UP, EXITED = "registered", "searching", "placed", "followed_up", "exited"
STATUSES = (REGISTERED, SEARCHING, PLACED, FOLLOWED_UP, EXITED)
LEGAL_WORKING_AGE = 16
MAX_SKILLS = 20
MAX_EXPERIENCE = 10
MIN_COMMUTE_M, MAX_COMMUTE_M, DEFAULT_COMMUTE_M = 100, 100_000, 5_000
MAX_WAGE_FLOOR_FEN = 10_000_000

SEEKER_REGISTERED = "seeker.registered"
SEEKER_UPDATED = "seeker.updated"
SEEKER_STATUS_CHANGED = "seeker.status_changed"


@dataclass(frozen=True)
class SeekerSkill:
    code: str
    years: int = 0  # of practice, in work or at home


@dataclass(frozen=True)
class Profile:
    """What a seeker (or a counsellor for them) writes: the same for registering and for changes."""

    name: str
    birth_year: int
    address: str
    home: GeoPoint | None
    phone: str = ""
    skills: tuple[SeekerSkill, ...] = ()
    experience: tuple[str, ...] = ()  # free text: "十年大棚蔬菜种植", "在饭店帮厨两年"
    schedules: tuple[str, ...] = ("full_time",)  # accepted, the preferred one first
    max_commute_m: int = DEFAULT_COMMUTE_M
    wage_floor_fen: int = 0  # monthly; 0 for none
    physical_capacity: str = "moderate"
    available_from: str = ""  # local day; "" for now


@dataclass(frozen=True)
class JobSeeker:
    id: str
    community_id: str
    name: str
    birth_year: int
    address: str
    home: GeoPoint
    phone: str
    skills: tuple[SeekerSkill, ...]
    experience: tuple[str, ...]
    schedules: tuple[str, ...]
    max_commute_m: int
    wage_floor_fen: int
    physical_capacity: str
    available_from: str
    registered_by: str
    registered_at: datetime
    status: str = REGISTERED
    history: tuple[Transition, ...] = ()
    updated_at: datetime | None = None
    version: int = 1

    @property
    def skill_codes(self) -> frozenset[str]:
        return frozenset(skill.code for skill in self.skills)

    @property
    def matchable(self) -> bool:
        return self.status == SEARCHING


# -- who may do what ---------------------------------------------------------------------------------

def is_self(caller: Caller, seeker_id: str) -> bool:
    return caller.has_role("resident") and caller.subject == seeker_id


def may_see(caller: Caller, seeker: JobSeeker) -> bool:
    return is_self(caller, seeker.id) or is_counsellor_for(caller, seeker.community_id)


def check_visible(caller: Caller, seeker: JobSeeker | None, seeker_id: str) -> JobSeeker:
    if seeker is None or not may_see(caller, seeker):
        raise hidden("job seeker", seeker_id)
    return seeker


# -- rules -------------------------------------------------------------------------------------------

def validate_profile(profile: Profile, known_skills: frozenset[str], now: datetime) -> None:
    problems = {}
    if not 1 <= len(profile.name.strip()) <= MAX_NAME:
        problems["name"] = f"required, at most {MAX_NAME} characters"
    this_year = local_day(now).year
    if not 1900 <= profile.birth_year <= this_year:
        problems["birth_year"] = "the year of birth, e.g. 1968"
    elif this_year - profile.birth_year < LEGAL_WORKING_AGE:
        problems["birth_year"] = f"job seekers are {LEGAL_WORKING_AGE} or older (the legal working age)"
    if not profile.address.strip() or len(profile.address) > MAX_NAME:
        problems["address"] = f"required, at most {MAX_NAME} characters"
    if not valid_point(profile.home):
        problems["home"] = "latitude and longitude of home, to measure the commute"
    if len(profile.phone) > 40:
        problems["phone"] = "at most 40 characters"
    codes = [skill.code for skill in profile.skills]
    if len(codes) > MAX_SKILLS or len(set(codes)) != len(codes):
        problems["skills"] = f"up to {MAX_SKILLS} different skills"
    elif set(codes) - known_skills:
        problems["skills"] = f"unknown skill codes: {', '.join(sorted(set(codes) - known_skills))}"
    elif any(not 0 <= skill.years <= 80 for skill in profile.skills):
        problems["skills"] = "years of practice from 0 to 80"
    if len(profile.experience) > MAX_EXPERIENCE or any(len(line) > MAX_NOTE for line in profile.experience):
        problems["experience"] = f"up to {MAX_EXPERIENCE} lines of at most {MAX_NOTE} characters"
    if not profile.schedules or len(set(profile.schedules)) != len(profile.schedules) \
            or set(profile.schedules) - set(matching.SCHEDULES):
        problems["schedules"] = f"one or more of {', '.join(matching.SCHEDULES)}, the preferred first"
    if not MIN_COMMUTE_M <= profile.max_commute_m <= MAX_COMMUTE_M:
        problems["max_commute_m"] = f"metres, {MIN_COMMUTE_M} to {MAX_COMMUTE_M}"
    if not 0 <= profile.wage_floor_fen <= MAX_WAGE_FLOOR_FEN:
        problems["wage_floor_fen"] = "monthly, in fen; 0 for none"
    if profile.physical_capacity not in matching.DEMANDS:
        problems["physical_capacity"] = f"one of {', '.join(matching.DEMANDS)}"
    if profile.available_from and parse_day(profile.available_from) is None:
        problems["available_from"] = "a day as YYYY-MM-DD"
    check_fields(problems, "invalid job seeker profile")


def _profiled(profile: Profile) -> dict:
    """A seeker's fields as a (validated) profile sets them."""
    return dict(
        name=profile.name.strip(), birth_year=profile.birth_year, address=profile.address.strip(),
        home=profile.home, phone=profile.phone.strip(), skills=tuple(profile.skills),
        experience=tuple(line.strip() for line in profile.experience if line.strip()),
        schedules=tuple(profile.schedules), max_commute_m=profile.max_commute_m,
        wage_floor_fen=profile.wage_floor_fen, physical_capacity=profile.physical_capacity,
        available_from=profile.available_from)


def register(caller: Caller, seeker_id: str, community_id: str, profile: Profile, now: datetime,
             known_skills: frozenset[str]) -> JobSeeker:
    """A resident registers themself (seeker_id is their user id), or a counsellor registers them."""
    problems = {}
    if not valid_id(seeker_id):
        problems["id"] = ID_RULE
    if not valid_id(community_id):
        problems["community_id"] = ID_RULE
    check_fields(problems, "invalid job seeker")
    if not (is_counsellor_for(caller, community_id) or (is_self(caller, seeker_id) and caller.serves(community_id))):
        raise PermissionDenied("residents register themselves in their community; counsellors register anyone there")
    validate_profile(profile, known_skills, now)
    return JobSeeker(id=seeker_id, community_id=community_id, registered_by=caller.subject, registered_at=now,
                     history=(Transition(REGISTERED, now, caller.subject),), updated_at=now, **_profiled(profile))


def update_profile(caller: Caller, seeker: JobSeeker, profile: Profile, now: datetime,
                   known_skills: frozenset[str]) -> JobSeeker:
    if not may_see(caller, seeker):
        raise hidden("job seeker", seeker.id)
    if seeker.status == EXITED:
        raise FailedPrecondition(f"job seeker {seeker.id} has exited: start searching again first")
    validate_profile(profile, known_skills, now)
    return replace(seeker, updated_at=now, version=seeker.version + 1, **_profiled(profile))


def with_skills(seeker: JobSeeker, codes: tuple[str, ...], now: datetime) -> JobSeeker | None:
    """The seeker with skills a certified course taught them added; None when they had them all already."""
    new = [code for code in codes if code not in seeker.skill_codes]
    if not new or len(seeker.skills) + len(new) > MAX_SKILLS:
        return None
    return replace(seeker, skills=seeker.skills + tuple(SeekerSkill(code) for code in new), updated_at=now,
                   version=seeker.version + 1)


def _moved(seeker: JobSeeker, status: str, by: str, now: datetime, note: str = "") -> JobSeeker:
    return replace(seeker, status=status, history=seeker.history + (Transition(status, now, by, note),),
                   updated_at=now, version=seeker.version + 1)


def start_searching(caller: Caller, seeker: JobSeeker, now: datetime) -> JobSeeker:
    if not may_see(caller, seeker):
        raise hidden("job seeker", seeker.id)
    if seeker.status not in (REGISTERED, EXITED, FOLLOWED_UP):
        raise FailedPrecondition(f"job seeker {seeker.id} is {seeker.status}: cannot start searching now")
    return _moved(seeker, SEARCHING, caller.subject, now)


def exit_(caller: Caller, seeker: JobSeeker, reason: str, now: datetime) -> JobSeeker:
    """They stop looking (found work by themselves, moved away, retired from work)."""
    if not may_see(caller, seeker):
        raise hidden("job seeker", seeker.id)
    if seeker.status == EXITED:
        raise FailedPrecondition(f"job seeker {seeker.id} has exited already")
    if len(reason) > MAX_NOTE:
        check_fields({"reason": f"at most {MAX_NOTE} characters"})
    return _moved(seeker, EXITED, caller.subject, now, reason.strip())


def placed(seeker: JobSeeker, by: str, now: datetime, note: str = "") -> JobSeeker:
    """Hired: no longer matched. Refused for someone who exited (they are not looking)."""
    if seeker.status == EXITED:
        raise FailedPrecondition(f"job seeker {seeker.id} has exited: start searching again before a hire")
    return _moved(seeker, PLACED, by, now, note)


def followed_up(seeker: JobSeeker, still_employed: bool, by: str, now: datetime) -> JobSeeker | None:
    """After a placement's follow-up: still at work → followed_up (from placed); out of work → searching.
    None when the seeker's status does not follow the placement any more (exited, or placed again)."""
    if still_employed:
        return _moved(seeker, FOLLOWED_UP, by, now) if seeker.status == PLACED else None
    if seeker.status in (PLACED, FOLLOWED_UP):
        return _moved(seeker, SEARCHING, by, now, "follow-up: no longer employed")
    return None


def terms_of(seeker: JobSeeker) -> matching.SeekerTerms:
    """What matching sees of a seeker: preferences and skills, never the birth year."""
    available = parse_day(seeker.available_from).toordinal() if seeker.available_from else 0
    return matching.SeekerTerms(
        id=seeker.id, latitude=seeker.home.latitude, longitude=seeker.home.longitude,
        max_commute_m=seeker.max_commute_m, schedules=seeker.schedules, physical_capacity=seeker.physical_capacity,
        wage_floor_fen=seeker.wage_floor_fen, skills=seeker.skill_codes, available_from=available)
