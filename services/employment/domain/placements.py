"""Placements: a hire, followed up at 3 and 6 months. Pure: no I/O.

A counsellor calls (or visits) the placed resident at 3 months, then at 6, and records whether they are
still at work. Recording is open from a week before each is due. A follow-up that finds them out of work
ends the placement and puts the seeker back to searching; the first that finds them at work marks the
seeker followed up. Retention (the figures) is the share still at work among those followed up.
"""
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from linli.kit.errors import FailedPrecondition, InvalidArgument, check_fields
from linli.kit.identity import Caller
from services.employment.domain.common import (
    MAX_NOTE, add_months, check_counsellor, hidden, is_counsellor_for, local_day, parse_day, start_of_day)
from services.employment.domain import seekers
from services.employment.policy import FOLLOW_UP_MONTHS, LATEST_REPORT_DAYS, OPENS_DAYS_BEFORE_DUE

ACTIVE, ENDED = "active", "ended"

PLACEMENT_STARTED = "placement.started"
PLACEMENT_FOLLOWED_UP = "placement.followed_up"


@dataclass(frozen=True)
class FollowUp:
    months: int
    due_on: str
    recorded_at: datetime | None = None
    recorded_by: str = ""
    still_employed: bool = False
    note: str = ""


@dataclass(frozen=True)
class Placement:
    id: str  # the hiring application's id
    community_id: str
    seeker_id: str
    seeker_name: str
    vacancy_id: str
    vacancy_title: str
    employer_id: str
    employer_name: str
    started_on: str
    started_at: datetime
    follow_ups: tuple[FollowUp, ...]
    status: str = ACTIVE
    ended_on: str = ""
    version: int = 1



def started_day(started_on: str, now: datetime) -> date:
    """The day a placement starts: today, or the day the person started work when the hire is recorded
    afterwards (within LATEST_REPORT_DAYS, not in the future)."""
    today = local_day(now)
    if not started_on:
        return today
    day = parse_day(started_on)
    if day is None or not today - timedelta(days=LATEST_REPORT_DAYS) <= day <= today:
        raise InvalidArgument("started_on must be a day within the last year, not in the future",
                              {"started_on": f"a day as YYYY-MM-DD, from {today - timedelta(days=LATEST_REPORT_DAYS)} "
                                             f"to {today}"})
    return day


def start(application, now: datetime, started_on: date | None = None) -> Placement:
    """The placement a hire starts (today, or started_on for a hire recorded afterwards), with its
    follow-ups due 3 and 6 months after it (local)."""
    day = started_on or local_day(now)
    started_at = now if day == local_day(now) else start_of_day(day)
    return Placement(application.id, application.community_id, application.seeker_id, application.seeker_name,
                     application.vacancy_id, application.vacancy_title, application.employer_id,
                     application.employer_name, day.isoformat(), started_at,
                     tuple(FollowUp(months, add_months(day, months).isoformat()) for months in FOLLOW_UP_MONTHS))


def may_see(caller: Caller, placement: Placement) -> bool:
    return seekers.is_self(caller, placement.seeker_id) or is_counsellor_for(caller, placement.community_id)


def check_visible(caller: Caller, placement: Placement | None, placement_id: str) -> Placement:
    if placement is None or not may_see(caller, placement):
        raise hidden("placement", placement_id)
    return placement


def record_follow_up(caller: Caller, placement: Placement, months: int, still_employed: bool, note: str,
                     now: datetime) -> Placement:
    check_counsellor(caller, placement.community_id, "record follow-ups")
    if months not in FOLLOW_UP_MONTHS:
        raise InvalidArgument("months must be 3 or 6", {"months": "3 or 6"})
    if len(note) > MAX_NOTE:
        check_fields({"note": f"at most {MAX_NOTE} characters"})
    if placement.status != ACTIVE:
        raise FailedPrecondition(f"placement {placement.id} ended on {placement.ended_on}: nothing more to follow up")
    index = FOLLOW_UP_MONTHS.index(months)
    follow_up = placement.follow_ups[index]
    if follow_up.recorded_at is not None:
        raise FailedPrecondition(f"the {months}-month follow-up of placement {placement.id} is recorded already")
    if index and placement.follow_ups[index - 1].recorded_at is None:
        raise FailedPrecondition(f"record the {FOLLOW_UP_MONTHS[index - 1]}-month follow-up first")
    today = local_day(now)
    opens = date.fromisoformat(follow_up.due_on) - timedelta(days=OPENS_DAYS_BEFORE_DUE)
    if today < opens:
        raise FailedPrecondition(f"the {months}-month follow-up is due on {follow_up.due_on}; "
                                 f"it can be recorded from {opens.isoformat()}")
    done = replace(follow_up, recorded_at=now, recorded_by=caller.subject, still_employed=still_employed,
                   note=note.strip())
    follow_ups = placement.follow_ups[:index] + (done,) + placement.follow_ups[index + 1:]
    changed = replace(placement, follow_ups=follow_ups, version=placement.version + 1)
    if not still_employed:
        changed = replace(changed, status=ENDED, ended_on=today.isoformat())
    return changed
