"""Applications: one seeker and one vacancy on the way to a hire. Pure: no I/O.

    suggested → viewed → intention_expressed → referred → interview → offer → hired
        └─────────┴──────────┘                    └───────────┴──→ offer
    any step before hired → rejected (employer) / withdrawn (seeker) / no_show (employer)

A counsellor, or the employer from its shortlist, suggests a vacancy to a seeker; the seeker views it and
says they want it (or says so straight from their matches, or at a fair); a counsellor refers them to the
employer, who interviews, offers and hires. One application per seeker and vacancy. Every step is
recorded with who and when; the funnel figures count the steps applications reached.

A hire fills one place of the vacancy, places the seeker, and starts a placement with follow-ups at 3
and 6 months (placements.py), all in one transaction.
"""
from dataclasses import dataclass, replace
from datetime import datetime

from linli.kit.errors import FailedPrecondition, InvalidArgument, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.employment.domain import jobs, placements, seekers
from services.employment.domain.common import MAX_NOTE, Transition, hidden, is_counsellor_for

SUGGESTED, VIEWED, INTENTION_EXPRESSED, REFERRED = "suggested", "viewed", "intention_expressed", "referred"
INTERVIEW, OFFER, HIRED = "interview", "offer", "hired"
REJECTED, WITHDRAWN, NO_SHOW = "rejected", "withdrawn", "no_show"
FUNNEL = (SUGGESTED, VIEWED, INTENTION_EXPRESSED, REFERRED, INTERVIEW, OFFER, HIRED)
ENDINGS = (REJECTED, WITHDRAWN, NO_SHOW)
STATUSES = FUNNEL + ENDINGS
FINAL = (HIRED,) + ENDINGS
ACTIVE = tuple(status for status in STATUSES if status not in FINAL)

# The forward steps: from → the statuses it may move to.
NEXT = {
    SUGGESTED: (VIEWED, INTENTION_EXPRESSED),
    VIEWED: (INTENTION_EXPRESSED,),
    INTENTION_EXPRESSED: (REFERRED,),
    REFERRED: (INTERVIEW, OFFER),
    INTERVIEW: (OFFER,),
    OFFER: (HIRED,),
}
SEEKER, EMPLOYER, COUNSELLOR = "seeker", "employer", "counsellor"
SYSTEM = "employment"  # who steps taken by the service itself are by
# Who may move an application to each status.
MOVERS = {
    VIEWED: (SEEKER,),
    INTENTION_EXPRESSED: (SEEKER, COUNSELLOR),
    REFERRED: (COUNSELLOR,),
    INTERVIEW: (EMPLOYER, COUNSELLOR),
    OFFER: (EMPLOYER, COUNSELLOR),
    HIRED: (EMPLOYER, COUNSELLOR),
    REJECTED: (EMPLOYER, COUNSELLOR),
    WITHDRAWN: (SEEKER, COUNSELLOR),
    NO_SHOW: (EMPLOYER, COUNSELLOR),
}


def event_type(status: str) -> str:
    """application.suggested, application.hired, ...: one event type per status reached."""
    return f"application.{status}"


@dataclass(frozen=True)
class Application:
    id: str
    community_id: str
    seeker_id: str
    seeker_name: str
    vacancy_id: str
    vacancy_title: str
    employer_id: str
    employer_name: str
    status: str
    created_by: str
    created_at: datetime
    history: tuple[Transition, ...]
    fair_id: str = ""
    interview_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1

    @property
    def reached(self) -> tuple[str, ...]:
        return tuple(step.status for step in self.history)


def parties(caller: Caller, application: Application, employer: jobs.Employer | None) -> set[str]:
    """The sides of this application the caller speaks for."""
    sides = set()
    if seekers.is_self(caller, application.seeker_id):
        sides.add(SEEKER)
    if employer is not None and jobs.acts_for(caller, employer):
        sides.add(EMPLOYER)
    if is_counsellor_for(caller, application.community_id):
        sides.add(COUNSELLOR)
    return sides


def check_visible(caller: Caller, application: Application | None, employer: jobs.Employer | None,
                  application_id: str) -> Application:
    if application is None or not parties(caller, application, employer):
        raise hidden("application", application_id)
    return application


def _new(caller: Caller, status: str, seeker: seekers.JobSeeker, vacancy: jobs.Vacancy, application_id: str,
         now: datetime, fair_id: str, note: str) -> Application:
    if vacancy.status not in jobs.MATCHABLE:
        raise FailedPrecondition(f"vacancy {vacancy.id} is {vacancy.status}: it takes no applications")
    if seeker.status == seekers.EXITED:
        raise FailedPrecondition(f"job seeker {seeker.id} has exited: start searching again first")
    if seeker.community_id != vacancy.community_id:
        raise FailedPrecondition("the seeker and the vacancy are in different communities")
    _check_note(note)
    return Application(application_id, vacancy.community_id, seeker.id, seeker.name, vacancy.id, vacancy.title,
                       vacancy.employer_id, vacancy.employer_name, status, caller.subject, now,
                       (Transition(status, now, caller.subject, note.strip()),), fair_id=fair_id, updated_at=now)


def _check_note(note: str) -> None:
    if len(note) > MAX_NOTE:
        raise InvalidArgument("note is too long", {"note": f"at most {MAX_NOTE} characters"})


def suggest(caller: Caller, seeker: seekers.JobSeeker, vacancy: jobs.Vacancy, employer: jobs.Employer,
            application_id: str, now: datetime, note: str = "", on_shortlist: bool = False) -> Application:
    """A counsellor suggests a vacancy to a seeker, or the employer invites someone on the vacancy's
    shortlist (and nobody else: an employer learns of seekers only through its shortlists)."""
    if not (is_counsellor_for(caller, vacancy.community_id) or (jobs.acts_for(caller, employer) and on_shortlist)):
        if seekers.may_see(caller, seeker):  # the seeker themself: they say they want it instead
            raise PermissionDenied("only a counsellor, or the employer for one on its shortlist, suggests a vacancy")
        raise hidden("job seeker", seeker.id)
    return _new(caller, SUGGESTED, seeker, vacancy, application_id, now, "", note)


def express_intention(caller: Caller, seeker: seekers.JobSeeker, vacancy: jobs.Vacancy, application_id: str,
                      now: datetime, fair_id: str = "", note: str = "") -> Application:
    """The seeker wants the job: they say so themselves, or a counsellor records it (at a fair, say)."""
    if not (seekers.is_self(caller, seeker.id) or is_counsellor_for(caller, seeker.community_id)):
        raise hidden("job seeker", seeker.id)
    return _new(caller, INTENTION_EXPRESSED, seeker, vacancy, application_id, now, fair_id, note)


def move(caller: Caller, application: Application, employer: jobs.Employer | None, status: str, now: datetime,
         note: str = "", interview_at: datetime | None = None) -> Application:
    """One step of the lifecycle, by a side allowed to take it."""
    if status not in MOVERS:
        raise InvalidArgument(f"an application cannot be moved to {status or 'nothing'}",
                              {"status": f"one of {', '.join(MOVERS)}"})
    sides = parties(caller, application, employer)
    if not sides:
        raise hidden("application", application.id)
    if sides.isdisjoint(MOVERS[status]):
        raise PermissionDenied(f"only the {' or the '.join(MOVERS[status])} may move an application to {status}")
    if application.status in FINAL:
        raise FailedPrecondition(f"application {application.id} is {application.status} already")
    if status not in ENDINGS and status not in NEXT.get(application.status, ()):
        raise FailedPrecondition(f"application {application.id} is {application.status}: it cannot move to {status}")
    if status == INTERVIEW and interview_at is None:
        check_fields({"interview_at": "when the interview is, for an interview"})
    _check_note(note)
    return replace(application, status=status, history=application.history + (Transition(status, now, caller.subject,
                                                                                          note.strip()),),
                   interview_at=interview_at if status == INTERVIEW else application.interview_at,
                   updated_at=now, version=application.version + 1)


def end_with_vacancy(application: Application, vacancy: jobs.Vacancy, now: datetime) -> Application | None:
    """A vacancy that filled, expired or closed turns down its applications still under way (the seeker
    hears of it through the application.rejected event). None for one that is over already."""
    if application.status in FINAL:
        return None
    step = Transition(REJECTED, now, SYSTEM, f"vacancy {vacancy.status}")
    return replace(application, status=REJECTED, history=application.history + (step,), updated_at=now,
                   version=application.version + 1)


def intention_on_existing(caller: Caller, application: Application, now: datetime, fair_id: str = "",
                          note: str = "") -> Application:
    """Expressing intention when a suggestion exists already advances that suggestion."""
    if application.status not in (SUGGESTED, VIEWED):
        raise FailedPrecondition(f"there is an application for this vacancy already ({application.status})")
    moved = move(caller, application, None, INTENTION_EXPRESSED, now, note)
    return replace(moved, fair_id=application.fair_id or fair_id)


@dataclass(frozen=True)
class Hire:
    """Everything a hire changes, saved together."""

    application: Application
    vacancy: jobs.Vacancy
    seeker: seekers.JobSeeker
    placement: placements.Placement


def hire(caller: Caller, application: Application, employer: jobs.Employer, vacancy: jobs.Vacancy,
         seeker: seekers.JobSeeker, now: datetime, note: str = "", started_on: str = "") -> Hire:
    """offer → hired: fills one place of the vacancy, places the seeker, starts the placement (on
    started_on when the hire is recorded afterwards)."""
    day = placements.started_day(started_on, now)
    hired = move(caller, application, employer, HIRED, now, note)
    return Hire(hired, jobs.record_hire(vacancy, now), seekers.placed(seeker, caller.subject, now, vacancy.title),
                placements.start(hired, now, day))
