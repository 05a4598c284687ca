"""Employers and their vacancies, and the rules for both. Pure: no I/O.

An employer is registered by a counsellor and lists the users who act for it (token role employer,
subject in user_ids); they see and change only its vacancies. A vacancy:

    draft → open → partially_filled → filled
              └──────────┴──→ expired (past its open days) / closed (by the employer or a counsellor)
    draft → closed (discarded)

Open and partially filled vacancies are matched with seekers. Every hire fills one of its headcount.
Wages are compared as a monthly equivalent in fen, computed from the wage and the hours for hourly,
daily and monthly pay, and estimated by the employer for piece-work.
"""
import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from linli.kit.errors import FailedPrecondition, InvalidArgument, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.employment.policy import DEFAULT_OPEN_DAYS, MAX_IMPORT, MAX_OPEN_DAYS
from services.employment.domain import matching
from services.employment.domain.common import (
    ID_RULE, MAX_NAME, MAX_NOTE, MAX_TEXT, GeoPoint, epoch_seconds, hidden, is_counsellor_for, local_day,
    parse_day, valid_id, valid_point)

DRAFT, OPEN, PARTIALLY_FILLED, FILLED, EXPIRED, CLOSED = (
    "draft", "open", "partially_filled", "filled", "expired", "closed")
STATUSES = (DRAFT, OPEN, PARTIALLY_FILLED, FILLED, EXPIRED, CLOSED)
MATCHABLE = (OPEN, PARTIALLY_FILLED)
CHANGEABLE = (DRAFT, OPEN, PARTIALLY_FILLED)
WAGE_PERIODS = ("hour", "day", "month", "piece")
MAX_SKILLS = 8
MAX_HEADCOUNT = 1000
MAX_WAGE_FEN = 10_000_000  # 100,000 yuan: anything above is a typo (yuan for fen)
MAX_HOURS_PER_WEEK = 84

VACANCY_OPENED = "vacancy.opened"
VACANCY_UPDATED = "vacancy.updated"
VACANCY_PARTIALLY_FILLED = "vacancy.partially_filled"
VACANCY_FILLED = "vacancy.filled"
VACANCY_EXPIRED = "vacancy.expired"
VACANCY_CLOSED = "vacancy.closed"
VACANCIES_IMPORTED = "vacancies.imported"


@dataclass(frozen=True)
class NewEmployer:
    id: str
    community_id: str
    name: str
    contact_name: str = ""
    phone: str = ""
    address: str = ""
    user_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Employer:
    id: str
    community_id: str
    name: str
    contact_name: str
    phone: str
    address: str
    user_ids: tuple[str, ...]
    registered_by: str
    registered_at: datetime
    version: int = 1


@dataclass(frozen=True)
class VacancyDraft:
    """What an employer (or a counsellor for them) writes; the same for creating and changing."""

    title: str
    schedule: str
    wage_fen: int
    wage_period: str
    hours_per_week: int
    address: str
    position: GeoPoint | None
    physical_demand: str
    headcount: int = 1
    skills: tuple[str, ...] = ()
    description: str = ""
    # Piece-work only: the employer's estimate of a typical month's pay; computed for the other periods.
    monthly_pay_fen: int = 0
    training_offered: bool = False
    starts_on: str = ""  # local day; "" for the day it opens
    open_days: int = DEFAULT_OPEN_DAYS


@dataclass(frozen=True)
class Vacancy:
    id: str
    community_id: str
    employer_id: str
    employer_name: str
    title: str
    description: str
    skills: tuple[str, ...]
    headcount: int
    wage_fen: int
    wage_period: str
    hours_per_week: int
    monthly_pay_fen: int
    schedule: str
    address: str
    position: GeoPoint
    physical_demand: str
    training_offered: bool
    starts_on: str
    open_days: int
    created_by: str
    created_at: datetime
    status: str = DRAFT
    hired: int = 0
    fair_id: str = ""
    import_id: str = ""
    opened_at: datetime | None = None
    expires_at: datetime | None = None
    filled_at: datetime | None = None
    ended_at: datetime | None = None
    close_reason: str = ""
    version: int = 1

    @property
    def remaining(self) -> int:
        return self.headcount - self.hired


# -- who may do what ---------------------------------------------------------------------------------

def acts_for(caller: Caller, employer: Employer) -> bool:
    return caller.has_role("employer") and caller.subject in employer.user_ids


def may_manage(caller: Caller, employer: Employer) -> bool:
    """The employer's own users, or a counsellor of its community."""
    return acts_for(caller, employer) or is_counsellor_for(caller, employer.community_id)


def may_see_vacancy(caller: Caller, vacancy: Vacancy, employer: Employer | None) -> bool:
    """Its employer and the community's counsellors see it in any state; people of the community see it
    while it is open (job listings are public within the community)."""
    if is_counsellor_for(caller, vacancy.community_id) or (employer is not None and acts_for(caller, employer)):
        return True
    return vacancy.status in MATCHABLE and caller.serves(vacancy.community_id)


def check_visible(caller: Caller, vacancy: Vacancy | None, employer: Employer | None, vacancy_id: str) -> Vacancy:
    if vacancy is None or not may_see_vacancy(caller, vacancy, employer):
        raise hidden("vacancy", vacancy_id)
    return vacancy


def check_may_manage(caller: Caller, employer: Employer, vacancy: Vacancy | None = None) -> None:
    """Someone who may not see the vacancy is told it is missing; someone who sees it (an open vacancy is
    public within its community) that they may not change it."""
    if not may_manage(caller, employer):
        if vacancy is not None and not may_see_vacancy(caller, vacancy, employer):
            raise hidden("vacancy", vacancy.id)
        raise PermissionDenied("only the employer's own users or a counsellor of its community may do that")


def check_employer_visible(caller: Caller, employer: Employer | None, employer_id: str) -> Employer:
    if employer is None or not (may_manage(caller, employer) or caller.serves(employer.community_id)):
        raise hidden("employer", employer_id)
    return employer


# -- employers ---------------------------------------------------------------------------------------

def register_employer(caller: Caller, new: NewEmployer, now: datetime) -> Employer:
    problems = {}
    if not valid_id(new.id):
        problems["id"] = ID_RULE
    if not valid_id(new.community_id):
        problems["community_id"] = ID_RULE
    if not 1 <= len(new.name.strip()) <= MAX_NAME:
        problems["name"] = f"required, at most {MAX_NAME} characters"
    for name in ("contact_name", "phone", "address"):
        if len(getattr(new, name)) > MAX_NAME:
            problems[name] = f"at most {MAX_NAME} characters"
    if len(new.user_ids) > 20 or not all(valid_id(user) for user in new.user_ids):
        problems["user_ids"] = "up to 20 user ids"
    check_fields(problems, "invalid employer")
    if not is_counsellor_for(caller, new.community_id):
        raise PermissionDenied("only an employment counsellor or administrator of this community registers employers")
    return Employer(new.id, new.community_id, new.name.strip(), new.contact_name.strip(), new.phone.strip(),
                    new.address.strip(), tuple(dict.fromkeys(new.user_ids)), caller.subject, now)


# -- vacancies ---------------------------------------------------------------------------------------

def monthly_pay_fen(draft: VacancyDraft) -> int:
    """The monthly equivalent of the wage (52 weeks over 12 months), or the employer's estimate for piece-work."""
    if draft.wage_period == "month":
        return draft.wage_fen
    if draft.wage_period == "hour":
        return draft.wage_fen * draft.hours_per_week * 52 // 12
    if draft.wage_period == "day":
        days_per_week = max(1, math.ceil(draft.hours_per_week / 8))
        return draft.wage_fen * days_per_week * 52 // 12
    return draft.monthly_pay_fen


def validate_draft(draft: VacancyDraft, known_skills: frozenset[str]) -> None:
    problems = {}
    if not 1 <= len(draft.title.strip()) <= MAX_NAME:
        problems["title"] = f"required, at most {MAX_NAME} characters"
    if len(draft.description) > MAX_TEXT:
        problems["description"] = f"at most {MAX_TEXT} characters"
    if draft.schedule not in matching.SCHEDULES:
        problems["schedule"] = f"one of {', '.join(matching.SCHEDULES)}"
    if draft.physical_demand not in matching.DEMANDS:
        problems["physical_demand"] = f"one of {', '.join(matching.DEMANDS)}"
    if draft.wage_period not in WAGE_PERIODS:
        problems["wage_period"] = f"one of {', '.join(WAGE_PERIODS)}"
    if not 1 <= draft.wage_fen <= MAX_WAGE_FEN:
        problems["wage_fen"] = f"fen (1 yuan = 100 fen), 1 to {MAX_WAGE_FEN}"
    if not 1 <= draft.hours_per_week <= MAX_HOURS_PER_WEEK:
        problems["hours_per_week"] = f"1 to {MAX_HOURS_PER_WEEK}"
    if draft.wage_period == "piece":
        if not 1 <= draft.monthly_pay_fen <= MAX_WAGE_FEN:
            problems["monthly_pay_fen"] = "piece-work: the estimated pay of a typical month, in fen"
    elif draft.monthly_pay_fen:
        problems["monthly_pay_fen"] = "only for piece-work; computed from the wage otherwise"
    if not 1 <= draft.headcount <= MAX_HEADCOUNT:
        problems["headcount"] = f"1 to {MAX_HEADCOUNT}"
    if len(draft.skills) > MAX_SKILLS or len(set(draft.skills)) != len(draft.skills):
        problems["skills"] = f"up to {MAX_SKILLS} different skill codes"
    elif set(draft.skills) - known_skills:
        problems["skills"] = f"unknown skill codes: {', '.join(sorted(set(draft.skills) - known_skills))}"
    if not draft.address.strip() or len(draft.address) > MAX_NAME:
        problems["address"] = f"required, at most {MAX_NAME} characters"
    if not valid_point(draft.position):
        problems["position"] = "latitude and longitude of the workplace"
    if draft.starts_on and parse_day(draft.starts_on) is None:
        problems["starts_on"] = "a day as YYYY-MM-DD"
    if not 1 <= draft.open_days <= MAX_OPEN_DAYS:
        problems["open_days"] = f"1 to {MAX_OPEN_DAYS} days"
    check_fields(problems, "invalid vacancy")


def _drafted(draft: VacancyDraft) -> dict:
    """A vacancy's fields as a (validated) draft sets them."""
    return dict(
        title=draft.title.strip(), description=draft.description.strip(), skills=tuple(draft.skills),
        headcount=draft.headcount, wage_fen=draft.wage_fen, wage_period=draft.wage_period,
        hours_per_week=draft.hours_per_week, monthly_pay_fen=monthly_pay_fen(draft), schedule=draft.schedule,
        address=draft.address.strip(), position=draft.position, physical_demand=draft.physical_demand,
        training_offered=draft.training_offered, starts_on=draft.starts_on, open_days=draft.open_days)


def create_vacancy(caller: Caller, employer: Employer, draft: VacancyDraft, vacancy_id: str, now: datetime,
                   known_skills: frozenset[str], fair_id: str = "") -> Vacancy:
    check_may_manage(caller, employer)
    validate_draft(draft, known_skills)
    return Vacancy(id=vacancy_id, community_id=employer.community_id, employer_id=employer.id,
                   employer_name=employer.name, created_by=caller.subject, created_at=now, fair_id=fair_id,
                   **_drafted(draft))


def update_vacancy(caller: Caller, employer: Employer, vacancy: Vacancy, draft: VacancyDraft,
                   known_skills: frozenset[str], now: datetime) -> Vacancy:
    """Change a vacancy that is not over yet; an open one is re-matched with its new terms. Lowering the
    headcount to those hired already fills it."""
    check_may_manage(caller, employer, vacancy)
    validate_draft(draft, known_skills)
    if vacancy.status not in CHANGEABLE:
        raise FailedPrecondition(f"vacancy {vacancy.id} is {vacancy.status}: it can no longer change")
    if draft.headcount < vacancy.hired:
        raise FailedPrecondition(f"vacancy {vacancy.id} has hired {vacancy.hired} already: headcount cannot be lower")
    changed = replace(vacancy, **_drafted(draft))
    if vacancy.status != DRAFT:
        changed = replace(changed, open_days=vacancy.open_days)  # the open period was fixed when it opened
        if changed.hired == changed.headcount:
            return replace(changed, status=FILLED, filled_at=now, ended_at=now, version=vacancy.version + 1)
    return replace(changed, version=vacancy.version + 1)


def open_vacancy(caller: Caller, employer: Employer, vacancy: Vacancy, now: datetime) -> Vacancy:
    check_may_manage(caller, employer, vacancy)
    if vacancy.status != DRAFT:
        raise FailedPrecondition(f"vacancy {vacancy.id} is {vacancy.status}: only a draft can be opened")
    return opened(vacancy, now)


def opened(vacancy: Vacancy, now: datetime) -> Vacancy:
    starts_on = vacancy.starts_on or local_day(now).isoformat()
    return replace(vacancy, status=OPEN, starts_on=starts_on, opened_at=now,
                   expires_at=now + timedelta(days=vacancy.open_days), version=vacancy.version + 1)


def close_vacancy(caller: Caller, employer: Employer, vacancy: Vacancy, reason: str, now: datetime) -> Vacancy:
    check_may_manage(caller, employer, vacancy)
    if vacancy.status not in CHANGEABLE:
        raise FailedPrecondition(f"vacancy {vacancy.id} is {vacancy.status} already")
    if len(reason) > MAX_NOTE:
        check_fields({"reason": f"at most {MAX_NOTE} characters"})
    return replace(vacancy, status=CLOSED, ended_at=now, close_reason=reason.strip(), version=vacancy.version + 1)


def expire(vacancy: Vacancy, now: datetime) -> Vacancy | None:
    """An open vacancy past its open days expires; None when it is not due (or no longer open)."""
    if vacancy.status not in MATCHABLE or vacancy.expires_at is None or vacancy.expires_at > now:
        return None
    return replace(vacancy, status=EXPIRED, ended_at=now, version=vacancy.version + 1)


def record_hire(vacancy: Vacancy, now: datetime) -> Vacancy:
    """One of the headcount is filled: partially filled, or filled with the last one."""
    if vacancy.status not in MATCHABLE:
        raise FailedPrecondition(f"vacancy {vacancy.id} is {vacancy.status}: nobody more can be hired for it")
    hired = vacancy.hired + 1
    if hired >= vacancy.headcount:
        return replace(vacancy, hired=hired, status=FILLED, filled_at=now, ended_at=now, version=vacancy.version + 1)
    return replace(vacancy, hired=hired, status=PARTIALLY_FILLED, version=vacancy.version + 1)


def event_after_hire(vacancy: Vacancy) -> str:
    return VACANCY_FILLED if vacancy.status == FILLED else VACANCY_PARTIALLY_FILLED


def terms_of(vacancy: Vacancy) -> matching.VacancyTerms:
    """What matching sees of an open vacancy."""
    return matching.VacancyTerms(
        id=vacancy.id, latitude=vacancy.position.latitude, longitude=vacancy.position.longitude,
        schedule=vacancy.schedule, physical_demand=vacancy.physical_demand, monthly_pay_fen=vacancy.monthly_pay_fen,
        skills=tuple(dict.fromkeys(vacancy.skills)), training_offered=vacancy.training_offered,
        starts_on=date.fromisoformat(vacancy.starts_on).toordinal(), expires_at=epoch_seconds(vacancy.expires_at))


# -- bulk import ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportRow:
    employer_id: str
    draft: VacancyDraft


def import_vacancies(caller: Caller, community_id: str, rows: list[ImportRow], employers: dict[str, Employer],
                     ids: list[str], import_id: str, now: datetime, known_skills: frozenset[str],
                     fair_id: str = "") -> tuple[Vacancy, ...]:
    """Open many vacancies at once (a fair's posts keyed in from a list): every row valid, or none is taken.
    Counsellors only; every employer must be of the community."""
    if not is_counsellor_for(caller, community_id):
        raise PermissionDenied("only an employment counsellor or administrator of this community imports vacancies")
    if not 1 <= len(rows) <= MAX_IMPORT:
        check_fields({"vacancies": f"1 to {MAX_IMPORT} rows"})
    problems = {}
    created = []
    for index, (row, vacancy_id) in enumerate(zip(rows, ids)):
        employer = employers.get(row.employer_id)
        if employer is None or employer.community_id != community_id:
            problems[f"vacancies[{index}].employer_id"] = "no such employer in this community"
            continue
        try:
            vacancy = create_vacancy(caller, employer, row.draft, vacancy_id, now, known_skills, fair_id)
        except InvalidArgument as error:  # report each row's problems under its index
            for name, why in (error.fields or {"row": error.message}).items():
                problems[f"vacancies[{index}].{name}"] = why
            continue
        created.append(replace(opened(vacancy, now), import_id=import_id))
    check_fields(problems, "invalid vacancies")
    return tuple(created)
