"""The service's figures for a community and a span of months: the application funnel, time to fill,
placements per month and retention at the 3- and 6-month follow-ups. Pure: the store hands over the raw
rows, these functions count them."""
import statistics
from dataclasses import dataclass
from datetime import datetime

from linli.kit.errors import check_fields
from linli.kit.identity import Caller
from services.employment.domain.applications import FUNNEL, STATUSES
from services.employment.domain.common import (
    add_months, check_counsellor, month_of, months_between, parse_month, start_of_day, valid_id)
from services.employment.domain.placements import FOLLOW_UP_MONTHS

MAX_MONTHS = 24
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class Period:
    community_id: str
    months: tuple[str, ...]
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive


@dataclass(frozen=True)
class Retention:
    months: int
    followed_up: int
    still_employed: int

    @property
    def rate(self) -> float:
        return self.still_employed / self.followed_up if self.followed_up else 0.0


@dataclass(frozen=True)
class Figures:
    period: Period
    funnel: tuple[tuple[str, int], ...]  # (status, applications that reached it), in lifecycle order
    vacancies_filled: int
    median_days_to_fill: float
    mean_days_to_fill: float
    placements_per_month: tuple[tuple[str, int], ...]
    retention: tuple[Retention, ...]


def period(caller: Caller, community_id: str, from_month: str, to_month: str) -> Period:
    """Months from_month to to_month (YYYY-MM; to_month "" for just one), local to the community."""
    first, last = parse_month(from_month), parse_month(to_month or from_month)
    problems = {}
    if not valid_id(community_id):
        problems["community_id"] = "required"
    if first is None:
        problems["from_month"] = "a month as YYYY-MM"
    if last is None:
        problems["to_month"] = "a month as YYYY-MM"
    elif first is not None and not 1 <= len(months_between(first, last)) <= MAX_MONTHS:
        problems["to_month"] = f"from from_month, at most {MAX_MONTHS} months"
    check_fields(problems, "invalid period")
    check_counsellor(caller, community_id, "see the employment figures")
    return Period(community_id, tuple(months_between(first, last)), start_of_day(first),
                  start_of_day(add_months(last, 1)))


def tally(period: Period, reached: dict[str, int], fills: list[tuple[datetime, datetime]],
          placement_starts: list[datetime], follow_ups: list[tuple[int, bool]]) -> Figures:
    """reached: applications created in the period, by each status they reached; fills: (opened, filled) of
    vacancies filled in it; placement_starts: when placements began; follow_ups: (months, still employed)
    of the follow-ups recorded for placements that began in it."""
    days = sorted((filled - opened).total_seconds() / SECONDS_PER_DAY for opened, filled in fills)
    per_month = {month: 0 for month in period.months}
    for started in placement_starts:
        month = month_of(started)
        if month in per_month:
            per_month[month] += 1
    retention = tuple(Retention(months, sum(1 for m, _ in follow_ups if m == months),
                                sum(1 for m, kept in follow_ups if m == months and kept))
                      for months in FOLLOW_UP_MONTHS)
    return Figures(
        period=period,
        funnel=tuple((status, reached.get(status, 0)) for status in FUNNEL + tuple(s for s in STATUSES
                                                                                   if s not in FUNNEL)),
        vacancies_filled=len(days),
        median_days_to_fill=round(statistics.median(days), 1) if days else 0.0,
        mean_days_to_fill=round(statistics.fmean(days), 1) if days else 0.0,
        placements_per_month=tuple(per_month.items()),
        retention=retention,
    )
