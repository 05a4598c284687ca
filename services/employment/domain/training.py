"""Training courses and enrolments (free skills training the community arranges with companies). Pure.

    signed_up → enrolled → completed → certified
        └──────────┴──────────┴──→ dropped

Seekers sign up (themselves, or a counsellor for them, at a fair say); counsellors enrol them while
seats last, and record completion and certification. A certified course adds the skills it teaches to
the seeker's profile, so their matches change with it.
"""
from dataclasses import dataclass, replace
from datetime import datetime

from linli.kit.errors import FailedPrecondition, InvalidArgument, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.employment.domain import seekers
from services.employment.domain.common import (
    ID_RULE, MAX_NAME, MAX_NOTE, Transition, check_counsellor, hidden, is_counsellor_for, parse_day, valid_id)

SIGNED_UP, ENROLLED, COMPLETED, CERTIFIED, DROPPED = "signed_up", "enrolled", "completed", "certified", "dropped"
STATUSES = (SIGNED_UP, ENROLLED, COMPLETED, CERTIFIED, DROPPED)
# Statuses that hold one of the course's seats.
SEATED = (ENROLLED, COMPLETED, CERTIFIED)
NEXT = {SIGNED_UP: (ENROLLED, DROPPED), ENROLLED: (COMPLETED, DROPPED), COMPLETED: (CERTIFIED, DROPPED)}
MAX_SEATS = 500
MAX_COURSE_SKILLS = 8


def event_type(status: str) -> str:
    return f"enrolment.{status}"


@dataclass(frozen=True)
class NewCourse:
    id: str
    community_id: str
    title: str
    provider: str
    skills: tuple[str, ...]
    starts_on: str
    hours: int
    seats: int


@dataclass(frozen=True)
class Course:
    id: str
    community_id: str
    title: str
    provider: str
    skills: tuple[str, ...]
    starts_on: str
    hours: int
    seats: int
    created_by: str
    created_at: datetime
    seated: int = 0  # enrolments holding a seat
    version: int = 1


@dataclass(frozen=True)
class Enrolment:
    id: str
    course_id: str
    course_title: str
    community_id: str
    seeker_id: str
    seeker_name: str
    status: str
    created_by: str
    created_at: datetime
    history: tuple[Transition, ...]
    fair_id: str = ""
    version: int = 1


def create_course(caller: Caller, new: NewCourse, now: datetime, known_skills: frozenset[str]) -> Course:
    problems = {}
    if not valid_id(new.id):
        problems["id"] = ID_RULE
    if not valid_id(new.community_id):
        problems["community_id"] = ID_RULE
    if not 1 <= len(new.title.strip()) <= MAX_NAME:
        problems["title"] = f"required, at most {MAX_NAME} characters"
    if not 1 <= len(new.provider.strip()) <= MAX_NAME:
        problems["provider"] = f"required, at most {MAX_NAME} characters"
    if len(new.skills) > MAX_COURSE_SKILLS or len(set(new.skills)) != len(new.skills):
        problems["skills"] = f"up to {MAX_COURSE_SKILLS} different skill codes"
    elif set(new.skills) - known_skills:
        problems["skills"] = f"unknown skill codes: {', '.join(sorted(set(new.skills) - known_skills))}"
    if parse_day(new.starts_on) is None:
        problems["starts_on"] = "a day as YYYY-MM-DD"
    if not 1 <= new.hours <= 2000:
        problems["hours"] = "1 to 2000"
    if not 1 <= new.seats <= MAX_SEATS:
        problems["seats"] = f"1 to {MAX_SEATS}"
    check_fields(problems, "invalid course")
    check_counsellor(caller, new.community_id, "arrange courses")
    return Course(new.id, new.community_id, new.title.strip(), new.provider.strip(), tuple(new.skills),
                  new.starts_on, new.hours, new.seats, caller.subject, now)


def check_course_visible(caller: Caller, course: Course | None, course_id: str) -> Course:
    if course is None or not caller.serves(course.community_id):
        raise hidden("course", course_id)
    return course


def may_see(caller: Caller, enrolment: Enrolment) -> bool:
    return seekers.is_self(caller, enrolment.seeker_id) or is_counsellor_for(caller, enrolment.community_id)


def check_visible(caller: Caller, enrolment: Enrolment | None, enrolment_id: str) -> Enrolment:
    if enrolment is None or not may_see(caller, enrolment):
        raise hidden("enrolment", enrolment_id)
    return enrolment


def sign_up(caller: Caller, course: Course, seeker: seekers.JobSeeker, enrolment_id: str, now: datetime,
            fair_id: str = "") -> Enrolment:
    if not (seekers.is_self(caller, seeker.id) or is_counsellor_for(caller, seeker.community_id)):
        raise hidden("job seeker", seeker.id)
    if course.community_id != seeker.community_id:
        raise FailedPrecondition("the course is for another community")
    if seeker.status == seekers.EXITED:
        raise FailedPrecondition(f"job seeker {seeker.id} has exited: start searching again first")
    return Enrolment(enrolment_id, course.id, course.title, course.community_id, seeker.id, seeker.name, SIGNED_UP,
                     caller.subject, now, (Transition(SIGNED_UP, now, caller.subject),), fair_id)


def move(caller: Caller, enrolment: Enrolment, course: Course, status: str, now: datetime,
         note: str = "") -> tuple[Enrolment, Course]:
    """One step; returns the enrolment and the course with its seats counted again. Counsellors move
    enrolments; a seeker may only drop out of their own."""
    if status not in STATUSES or status == SIGNED_UP:
        raise InvalidArgument(f"an enrolment cannot be moved to {status or 'nothing'}",
                              {"status": "enrolled, completed, certified or dropped"})
    if not may_see(caller, enrolment):
        raise hidden("enrolment", enrolment.id)
    if not is_counsellor_for(caller, enrolment.community_id) and status != DROPPED:
        raise PermissionDenied("only a counsellor enrols, completes and certifies; you may drop out")
    if len(note) > MAX_NOTE:
        check_fields({"note": f"at most {MAX_NOTE} characters"})
    if status not in NEXT.get(enrolment.status, ()):
        raise FailedPrecondition(f"enrolment {enrolment.id} is {enrolment.status}: it cannot move to {status}")
    seated = course.seated
    if status == ENROLLED:
        if course.seated >= course.seats:
            raise FailedPrecondition(f"course {course.id} is full ({course.seats} seats)")
        seated += 1
    elif status == DROPPED and enrolment.status in SEATED:
        seated -= 1
    moved = replace(enrolment, status=status, history=enrolment.history + (Transition(status, now, caller.subject,
                                                                                      note.strip()),),
                    version=enrolment.version + 1)
    if seated == course.seated:
        return moved, course
    return moved, replace(course, seated=seated, version=course.version + 1)
