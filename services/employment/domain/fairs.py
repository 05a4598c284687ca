"""Job fairs (招聘会): a day on which companies come with their posts, and what happened there. Pure: no I/O.

Counsellors plan a fair, sign companies up, and key in their posts (vacancies carrying the fair's id).
On the day they record what happens: consultations (policy questions answered, job and training
advice), hiring intentions (applications at intention_expressed with the fair's id), training sign-ups
(enrolments with the fair's id) and leaflets handed out. Closing the fair freezes it; its report gives
the figures the pilot community's fair reported (2019-06-26: 215 posts, 20 companies, 50 hiring
intentions, 30 training sign-ups, 100 policy questions answered, 500 leaflets of 10 titles).

    planned → closed
"""
from dataclasses import dataclass, replace
from datetime import datetime

from linli.kit.errors import AlreadyExists, FailedPrecondition, check_fields
from linli.kit.identity import Caller
from services.employment.domain.common import (
    ID_RULE, MAX_NAME, MAX_NOTE, check_counsellor, hidden, parse_day, valid_id)

PLANNED, CLOSED = "planned", "closed"
TOPICS = ("policy", "job", "training", "other")
MAX_COMPANIES = 200
MAX_COPIES = 100_000

JOB_FAIR_CLOSED = "job_fair.closed"


@dataclass(frozen=True)
class FairCompany:
    employer_id: str
    employer_name: str
    booth: str = ""


@dataclass(frozen=True)
class Leaflet:
    title: str  # 《就业指南与政策》
    copies: int


@dataclass(frozen=True)
class NewFair:
    id: str
    community_id: str
    title: str
    day: str
    venue: str


@dataclass(frozen=True)
class Fair:
    id: str
    community_id: str
    title: str
    day: str
    venue: str
    created_by: str
    created_at: datetime
    status: str = PLANNED
    companies: tuple[FairCompany, ...] = ()
    leaflets: tuple[Leaflet, ...] = ()
    closed_at: datetime | None = None
    version: int = 1

    @property
    def employer_ids(self) -> frozenset[str]:
        return frozenset(company.employer_id for company in self.companies)


@dataclass(frozen=True)
class Consultation:
    id: str
    fair_id: str
    community_id: str
    topic: str
    question: str
    seeker_id: str  # "" for someone who did not register
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class FairReport:
    fair_id: str
    companies: int
    vacancies: int
    posts: int  # places offered: the vacancies' headcounts added up
    hiring_intentions: int  # people who said they want one of the fair's jobs
    training_sign_ups: int
    policy_questions_answered: int
    consultations: int
    leaflet_titles: int
    leaflet_copies: int


def check_visible(caller: Caller, fair: Fair | None, fair_id: str) -> Fair:
    """Fairs are public within their community (residents see what is coming)."""
    if fair is None or not caller.serves(fair.community_id):
        raise hidden("job fair", fair_id)
    return fair


def plan(caller: Caller, new: NewFair, now: datetime) -> Fair:
    problems = {}
    if not valid_id(new.id):
        problems["id"] = ID_RULE
    if not valid_id(new.community_id):
        problems["community_id"] = ID_RULE
    if not 1 <= len(new.title.strip()) <= MAX_NAME:
        problems["title"] = f"required, at most {MAX_NAME} characters"
    if parse_day(new.day) is None:
        problems["day"] = "a day as YYYY-MM-DD"
    if not 1 <= len(new.venue.strip()) <= MAX_NAME:
        problems["venue"] = f"required, at most {MAX_NAME} characters"
    check_fields(problems, "invalid job fair")
    check_counsellor(caller, new.community_id, "plan job fairs")
    return Fair(new.id, new.community_id, new.title.strip(), new.day, new.venue.strip(), caller.subject, now)


def check_open(fair: Fair) -> None:
    if fair.status != PLANNED:
        raise FailedPrecondition(f"job fair {fair.id} is closed: nothing more can be recorded for it")


def add_company(caller: Caller, fair: Fair, employer, booth: str) -> Fair:
    check_counsellor(caller, fair.community_id, "sign companies up for fairs")
    check_open(fair)
    if employer.community_id != fair.community_id:
        raise FailedPrecondition(f"employer {employer.id} is registered in another community")
    if len(booth) > MAX_NAME:
        check_fields({"booth": f"at most {MAX_NAME} characters"})
    if employer.id in fair.employer_ids:
        raise AlreadyExists(f"employer {employer.id} is at job fair {fair.id} already")
    if len(fair.companies) >= MAX_COMPANIES:
        raise FailedPrecondition(f"a fair takes at most {MAX_COMPANIES} companies")
    return replace(fair, companies=fair.companies + (FairCompany(employer.id, employer.name, booth.strip()),),
                   version=fair.version + 1)


def check_company(fair: Fair, employer_id: str) -> None:
    """A post at the fair (a vacancy, an intention for one) belongs to a company signed up for it."""
    check_open(fair)
    if employer_id not in fair.employer_ids:
        raise FailedPrecondition(f"employer {employer_id} is not at job fair {fair.id}")


def record_consultation(caller: Caller, fair: Fair, consultation_id: str, topic: str, question: str,
                        seeker_id: str, now: datetime) -> Consultation:
    check_counsellor(caller, fair.community_id, "record consultations")
    problems = {}
    if topic not in TOPICS:
        problems["topic"] = f"one of {', '.join(TOPICS)}"
    if len(question) > MAX_NOTE:
        problems["question"] = f"at most {MAX_NOTE} characters"
    if seeker_id and not valid_id(seeker_id):
        problems["seeker_id"] = ID_RULE
    check_fields(problems, "invalid consultation")
    check_open(fair)
    return Consultation(consultation_id, fair.id, fair.community_id, topic, question.strip(), seeker_id,
                        caller.subject, now)


def record_leaflets(caller: Caller, fair: Fair, title: str, copies: int) -> Fair:
    """Copies handed out, added to what was recorded for the same title before."""
    check_counsellor(caller, fair.community_id, "record leaflets")
    problems = {}
    if not 1 <= len(title.strip()) <= MAX_NAME:
        problems["title"] = f"required, at most {MAX_NAME} characters"
    if not 1 <= copies <= MAX_COPIES:
        problems["copies"] = f"1 to {MAX_COPIES}"
    check_fields(problems, "invalid leaflets")
    check_open(fair)
    title = title.strip()
    before = {leaflet.title: leaflet.copies for leaflet in fair.leaflets}
    before[title] = before.get(title, 0) + copies
    return replace(fair, leaflets=tuple(Leaflet(name, count) for name, count in before.items()),
                   version=fair.version + 1)


def close(caller: Caller, fair: Fair, now: datetime) -> Fair:
    check_counsellor(caller, fair.community_id, "close job fairs")
    check_open(fair)
    return replace(fair, status=CLOSED, closed_at=now, version=fair.version + 1)


def report(fair: Fair, headcounts: list[int], intending_seekers: int, sign_ups: int,
           consultation_topics: list[str]) -> FairReport:
    """The fair's figures from what was recorded: its vacancies' headcounts, how many different seekers
    expressed an intention there, its training sign-ups and the topics of its consultations."""
    return FairReport(
        fair_id=fair.id, companies=len(fair.companies), vacancies=len(headcounts), posts=sum(headcounts),
        hiring_intentions=intending_seekers, training_sign_ups=sign_ups,
        policy_questions_answered=consultation_topics.count("policy"), consultations=len(consultation_topics),
        leaflet_titles=len(fair.leaflets), leaflet_copies=sum(leaflet.copies for leaflet in fair.leaflets))
