"""Matching job seekers and vacancies: hard filters first, then a ranking by fit, with the reasons shown.
Pure: no I/O.

A vacancy is a match for a seeker only if it passes every hard filter:

- it is still open at the time asked (not past expires_at);
- its place is within the seeker's maximum commute;
- its schedule is one the seeker accepts;
- the seeker is eligible: its physical demand is within what the seeker can do, and, unless the employer
  trains or wants no particular skills, the seeker has at least one of the skills it wants;
- it pays at least the seeker's wage floor (monthly equivalent);
- the seeker is available by two weeks after it starts (or after today, for one that started already).

Matches are ranked by a fit score of 0 to 100 points: skills 50 (share of the wanted skills the seeker
has), nearness 25 (share of the maximum commute left), pay 10 (how far above the floor, full marks at
double), first-choice schedule 10, training offered where a wanted skill is missing 5. Ties go to the
nearer, then to the smaller id, so a ranking never depends on storage order.

**Age is never an input.** SeekerTerms, the only view of a seeker matching gets, has no age or birth
year; the seeker's profile keeps the birth year for the legal working-age check at registration only.

The rules are written twice, on purpose: once as plain Python over one pair (passes, fit, and the
rank_*_plainly functions: the specification, easy to read and to test), once vectorised with numpy over
arrays of a community's open vacancies or searching seekers (VacancyIndex, SeekerIndex: the engine the
worker runs). Both compute the same floating-point operations in the same order, so their rankings are
equal to the last bit; tests and bench/matching.py check that they are.

Distances are equirectangular around the seeker's home (metres per degree of longitude shrink with the
cosine of the latitude): within 0.1% of the great-circle distance at commuting range, and one multiply
and a square root per vacancy.
"""
import math
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from services.employment.domain.common import epoch_seconds, local_day
from services.employment.policy import (AVAILABILITY_GRACE_DAYS, NEARNESS_POINTS, PAY_POINTS, PREFERRED_POINTS,
                                        SEEKER_MATCHES, SHORTLIST, SKILLS_POINTS, TRAINING_POINTS)

SCHEDULES = ("full_time", "part_time", "flexible", "piece_work")
SCHEDULE_BIT = {name: 1 << index for index, name in enumerate(SCHEDULES)}
DEMANDS = ("light", "moderate", "heavy")
DEMAND_LEVEL = {name: index for index, name in enumerate(DEMANDS)}
METRES_PER_DEGREE = 111_194.93  # one degree of latitude on a sphere of radius 6,371 km


@dataclass(frozen=True)
class VacancyTerms:
    """What matching needs of an open vacancy."""

    id: str
    latitude: float
    longitude: float
    schedule: str
    physical_demand: str
    monthly_pay_fen: int
    skills: tuple[str, ...]  # distinct codes
    training_offered: bool
    starts_on: int  # date.toordinal()
    expires_at: int  # epoch seconds


@dataclass(frozen=True)
class SeekerTerms:
    """What matching needs of a searching job seeker: preferences and skills. No age, by design."""

    id: str
    latitude: float
    longitude: float
    max_commute_m: int
    schedules: tuple[str, ...]  # accepted, the preferred one first
    physical_capacity: str  # the heaviest physical demand they can take
    wage_floor_fen: int  # monthly; 0 for none
    skills: frozenset[str]
    available_from: int  # date.toordinal(); 0 for now


@dataclass(frozen=True)
class When:
    """The moment a ranking is for: vacancies expire by the second, availability goes by the local day."""

    epoch_s: int
    day: int  # date.toordinal() of the local day


def when(now: datetime) -> When:
    return When(epoch_seconds(now), local_day(now).toordinal())


@dataclass(frozen=True)
class Match:
    """One seeker and one vacancy that passed the hard filters, with what their fit score is made of."""

    seeker_id: str
    vacancy_id: str
    score: float
    distance_m: float
    matched_skills: tuple[str, ...]  # in the vacancy's order
    wanted_skills: int
    schedule: str
    preferred_schedule: bool
    monthly_pay_fen: int
    wage_floor_fen: int
    training_offered: bool


# -- the specification: one pair at a time -------------------------------------------------------------

def lon_scale(latitude: float) -> float:
    """Metres per degree of longitude at this latitude."""
    return METRES_PER_DEGREE * math.cos(math.radians(latitude))


def distance_m(seeker: SeekerTerms, vacancy: VacancyTerms) -> float:
    dx = (vacancy.longitude - seeker.longitude) * lon_scale(seeker.latitude)
    dy = (vacancy.latitude - seeker.latitude) * METRES_PER_DEGREE
    return math.sqrt(dx * dx + dy * dy)


def matched_skills(seeker: SeekerTerms, vacancy: VacancyTerms) -> tuple[str, ...]:
    return tuple(code for code in vacancy.skills if code in seeker.skills)


def passes(seeker: SeekerTerms, vacancy: VacancyTerms, at: When, distance: float, matched: int) -> bool:
    """The hard filters (see the module's doc)."""
    return (vacancy.expires_at > at.epoch_s
            and distance <= seeker.max_commute_m
            and vacancy.schedule in seeker.schedules
            and DEMAND_LEVEL[vacancy.physical_demand] <= DEMAND_LEVEL[seeker.physical_capacity]
            and vacancy.monthly_pay_fen >= seeker.wage_floor_fen
            and seeker.available_from <= max(vacancy.starts_on, at.day) + AVAILABILITY_GRACE_DAYS
            and (not vacancy.skills or matched > 0 or vacancy.training_offered))


def fit(seeker: SeekerTerms, vacancy: VacancyTerms, distance: float, matched: int) -> float:
    """The fit score, 0 to 100 (see the module's doc)."""
    wanted = len(vacancy.skills)
    skill_fit = matched / wanted if wanted else 1.0
    nearness = 1.0 - distance / seeker.max_commute_m
    floor = seeker.wage_floor_fen
    pay_fit = 1.0 if floor == 0 else min(1.0, (vacancy.monthly_pay_fen - floor) / floor)
    preferred = 1.0 if vacancy.schedule == seeker.schedules[0] else 0.0
    training = 1.0 if vacancy.training_offered and matched < wanted else 0.0
    return (SKILLS_POINTS * skill_fit + NEARNESS_POINTS * nearness + PAY_POINTS * pay_fit
            + PREFERRED_POINTS * preferred + TRAINING_POINTS * training)


def match_pair(seeker: SeekerTerms, vacancy: VacancyTerms, at: When) -> Match | None:
    """The match of one seeker and one vacancy, or None when a hard filter fails."""
    distance = distance_m(seeker, vacancy)
    matched = matched_skills(seeker, vacancy)
    if not passes(seeker, vacancy, at, distance, len(matched)):
        return None
    return _match(seeker, vacancy, fit(seeker, vacancy, distance, len(matched)), distance, matched)


def _match(seeker: SeekerTerms, vacancy: VacancyTerms, score: float, distance: float,
           matched: tuple[str, ...]) -> Match:
    return Match(seeker.id, vacancy.id, score, distance, matched, len(vacancy.skills), vacancy.schedule,
                 vacancy.schedule == seeker.schedules[0], vacancy.monthly_pay_fen, seeker.wage_floor_fen,
                 vacancy.training_offered)


def for_seeker_order(match: Match) -> tuple:
    return (-match.score, match.distance_m, match.vacancy_id)


def for_vacancy_order(match: Match) -> tuple:
    return (-match.score, match.distance_m, match.seeker_id)


def rank_vacancies_plainly(seeker: SeekerTerms, vacancies, at: When, limit: int) -> list[Match]:
    """The best vacancies for a seeker, one pair at a time: the specification the engine must equal."""
    found = [m for m in (match_pair(seeker, vacancy, at) for vacancy in vacancies) if m is not None]
    return sorted(found, key=for_seeker_order)[:limit]


def rank_seekers_plainly(vacancy: VacancyTerms, seekers, at: When, limit: int) -> list[Match]:
    """The best seekers for a vacancy (its shortlist), one pair at a time."""
    found = [m for m in (match_pair(seeker, vacancy, at) for seeker in seekers) if m is not None]
    return sorted(found, key=for_vacancy_order)[:limit]


# -- the engine: numpy arrays over a community's open vacancies or searching seekers ------------------

class _Rows:
    """Fixed-type columns in numpy arrays, one row per id. A removed row leaves a hole the next new row
    reuses, so updates never shift other rows. Skills are bit sets (one bit per skill code this index has
    seen, in 64-bit words), so counting shared skills is an AND and a popcount."""

    COLUMNS: dict[str, type] = {}

    def __init__(self, capacity: int = 1024):
        self.columns = {name: np.zeros(capacity, dtype) for name, dtype in self.COLUMNS.items()}
        self.alive = np.zeros(capacity, bool)
        self.skill_bits = np.zeros((capacity, 1), np.uint64)
        self.terms: list = [None] * capacity
        self.rows = 0  # high-water mark: rows[:self.rows] may hold data
        self.slot: dict[str, int] = {}
        self.free: list[int] = []
        self.codes: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.slot)

    def __contains__(self, record_id: str) -> bool:
        return record_id in self.slot

    def ids(self) -> list[str]:
        return list(self.slot)

    def get(self, record_id: str):
        slot = self.slot.get(record_id)
        return None if slot is None else self.terms[slot]

    def remove(self, record_id: str) -> None:
        slot = self.slot.pop(record_id, None)
        if slot is not None:
            self.alive[slot] = False
            self.terms[slot] = None
            self.free.append(slot)

    def _grow(self) -> None:
        capacity = max(1024, 2 * len(self.alive))
        for name, array in self.columns.items():
            self.columns[name] = np.concatenate([array, np.zeros(capacity - len(array), array.dtype)])
        self.alive = np.concatenate([self.alive, np.zeros(capacity - len(self.alive), bool)])
        self.skill_bits = np.vstack([self.skill_bits, np.zeros((capacity - len(self.skill_bits),
                                                                self.skill_bits.shape[1]), np.uint64)])
        self.terms.extend([None] * (capacity - len(self.terms)))

    def _bits(self, codes, learn: bool) -> np.ndarray:
        """codes as a bit set over this index's codes; learn: give unseen codes a bit (else ignore them)."""
        for code in codes:
            if code not in self.codes and learn:
                self.codes[code] = len(self.codes)
                if len(self.codes) > 64 * self.skill_bits.shape[1]:
                    self.skill_bits = np.hstack([self.skill_bits, np.zeros((len(self.skill_bits), 1), np.uint64)])
        words = np.zeros(self.skill_bits.shape[1], np.uint64)
        for code in codes:
            bit = self.codes.get(code)
            if bit is not None:
                words[bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
        return words

    def _place(self, record_id: str) -> int:
        slot = self.slot.get(record_id)
        if slot is None:
            if self.free:
                slot = self.free.pop()
            else:
                if self.rows == len(self.alive):
                    self._grow()
                slot, self.rows = self.rows, self.rows + 1
            self.slot[record_id] = slot
        return slot

    def _store(self, slot: int, terms, values: dict, skills) -> None:
        for name, value in values.items():
            self.columns[name][slot] = value
        bits = self._bits(skills, learn=True)
        self.skill_bits[slot] = bits
        self.alive[slot] = True
        self.terms[slot] = terms

    @staticmethod
    def _best(rows: np.ndarray, score: np.ndarray, limit: int) -> np.ndarray:
        """Positions of every row that can be among the best `limit` whatever the tie-break: those scoring at
        least the limit-th best score (the caller sorts these few fully)."""
        if len(score) <= limit:
            return np.arange(len(score))
        threshold = np.partition(score, len(score) - limit)[len(score) - limit]
        return np.flatnonzero(score >= threshold)


class VacancyIndex(_Rows):
    """A community's open vacancies as arrays: rank them all for one seeker in milliseconds."""

    COLUMNS = {"latitude": np.float64, "longitude": np.float64, "schedule": np.int8, "demand": np.int8,
               "pay": np.int64, "wanted": np.int16, "training": bool, "starts_on": np.int32,
               "expires_at": np.int64}

    def upsert(self, vacancy: VacancyTerms) -> None:
        self._store(self._place(vacancy.id), vacancy, {
            "latitude": vacancy.latitude, "longitude": vacancy.longitude,
            "schedule": SCHEDULE_BIT[vacancy.schedule], "demand": DEMAND_LEVEL[vacancy.physical_demand],
            "pay": vacancy.monthly_pay_fen, "wanted": len(vacancy.skills), "training": vacancy.training_offered,
            "starts_on": vacancy.starts_on, "expires_at": vacancy.expires_at,
        }, vacancy.skills)

    def _evaluate(self, seeker: SeekerTerms, at: When):
        """(rows passing every filter, their scores, distances)."""
        n, c = self.rows, self.columns
        dx = (c["longitude"][:n] - seeker.longitude) * lon_scale(seeker.latitude)
        dy = (c["latitude"][:n] - seeker.latitude) * METRES_PER_DEGREE
        distance = np.sqrt(dx * dx + dy * dy)
        accepted = sum(SCHEDULE_BIT[name] for name in seeker.schedules)
        ok = (self.alive[:n] & (c["expires_at"][:n] > at.epoch_s) & (distance <= seeker.max_commute_m)
              & ((c["schedule"][:n] & accepted) != 0) & (c["demand"][:n] <= DEMAND_LEVEL[seeker.physical_capacity])
              & (c["pay"][:n] >= seeker.wage_floor_fen)
              & (seeker.available_from <= np.maximum(c["starts_on"][:n], at.day) + AVAILABILITY_GRACE_DAYS))
        rows = np.flatnonzero(ok)
        wanted_bits = self.skill_bits[rows] & self._bits(seeker.skills, learn=False)
        matched = np.bitwise_count(wanted_bits).sum(axis=1, dtype=np.int64)
        wanted, training = c["wanted"][rows], c["training"][rows]
        eligible = (wanted == 0) | (matched > 0) | training
        rows, matched, wanted, training = rows[eligible], matched[eligible], wanted[eligible], training[eligible]
        distance = distance[rows]
        skill_fit = np.where(wanted > 0, matched / np.maximum(wanted, 1), 1.0)
        nearness = 1.0 - distance / seeker.max_commute_m
        floor = seeker.wage_floor_fen
        pay_fit = 1.0 if floor == 0 else np.minimum(1.0, (c["pay"][rows] - floor) / floor)
        preferred = np.where(c["schedule"][rows] == SCHEDULE_BIT[seeker.schedules[0]], 1.0, 0.0)
        train = np.where(training & (matched < wanted), 1.0, 0.0)
        score = (SKILLS_POINTS * skill_fit + NEARNESS_POINTS * nearness + PAY_POINTS * pay_fit
                 + PREFERRED_POINTS * preferred + TRAINING_POINTS * train)
        return rows, score, distance

    def rank(self, seeker: SeekerTerms, at: When, limit: int) -> list[Match]:
        """The best `limit` open vacancies for this seeker, best first."""
        rows, score, distance = self._evaluate(seeker, at)
        found = []
        for i in self._best(rows, score, limit):
            vacancy = self.terms[rows[i]]
            found.append(_match(seeker, vacancy, float(score[i]), float(distance[i]), matched_skills(seeker, vacancy)))
        return sorted(found, key=for_seeker_order)[:limit]

    def passing(self, seeker: SeekerTerms, at: When) -> set[str]:
        """Ids of every vacancy that passes this seeker's hard filters."""
        rows, _, _ = self._evaluate(seeker, at)
        return {self.terms[row].id for row in rows}


class SeekerIndex(_Rows):
    """A community's searching seekers as arrays: a vacancy's shortlist from all of them at once."""

    COLUMNS = {"latitude": np.float64, "longitude": np.float64, "scale": np.float64, "commute": np.int64,
               "schedules": np.int8, "preferred": np.int8, "capacity": np.int8, "floor": np.int64,
               "available_from": np.int32}

    def upsert(self, seeker: SeekerTerms) -> None:
        self._store(self._place(seeker.id), seeker, {
            "latitude": seeker.latitude, "longitude": seeker.longitude, "scale": lon_scale(seeker.latitude),
            "commute": seeker.max_commute_m, "schedules": sum(SCHEDULE_BIT[name] for name in seeker.schedules),
            "preferred": SCHEDULE_BIT[seeker.schedules[0]], "capacity": DEMAND_LEVEL[seeker.physical_capacity],
            "floor": seeker.wage_floor_fen, "available_from": seeker.available_from,
        }, seeker.skills)

    def _evaluate(self, vacancy: VacancyTerms, at: When):
        n, c = self.rows, self.columns
        if vacancy.expires_at <= at.epoch_s:
            return np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        dx = (vacancy.longitude - c["longitude"][:n]) * c["scale"][:n]
        dy = (vacancy.latitude - c["latitude"][:n]) * METRES_PER_DEGREE
        distance = np.sqrt(dx * dx + dy * dy)
        bit = SCHEDULE_BIT[vacancy.schedule]
        ok = (self.alive[:n] & (distance <= c["commute"][:n]) & ((c["schedules"][:n] & bit) != 0)
              & (c["capacity"][:n] >= DEMAND_LEVEL[vacancy.physical_demand])
              & (c["floor"][:n] <= vacancy.monthly_pay_fen)
              & (c["available_from"][:n] <= max(vacancy.starts_on, at.day) + AVAILABILITY_GRACE_DAYS))
        rows = np.flatnonzero(ok)
        shared_bits = self.skill_bits[rows] & self._bits(vacancy.skills, learn=False)
        matched = np.bitwise_count(shared_bits).sum(axis=1, dtype=np.int64)
        wanted = len(vacancy.skills)
        if wanted and not vacancy.training_offered:
            rows, matched = rows[matched > 0], matched[matched > 0]
        distance = distance[rows]
        skill_fit = matched / wanted if wanted else np.ones(len(rows))
        nearness = 1.0 - distance / c["commute"][rows]
        floor = c["floor"][rows]
        pay_fit = np.where(floor == 0, 1.0, np.minimum(1.0, (vacancy.monthly_pay_fen - floor) / np.maximum(floor, 1)))
        preferred = np.where(c["preferred"][rows] == bit, 1.0, 0.0)
        train = np.where(vacancy.training_offered & (matched < wanted), 1.0, 0.0)
        score = (SKILLS_POINTS * skill_fit + NEARNESS_POINTS * nearness + PAY_POINTS * pay_fit
                 + PREFERRED_POINTS * preferred + TRAINING_POINTS * train)
        return rows, score, distance

    def rank(self, vacancy: VacancyTerms, at: When, limit: int) -> list[Match]:
        """The best `limit` searching seekers for this vacancy (its shortlist), best first."""
        rows, score, distance = self._evaluate(vacancy, at)
        found = []
        for i in self._best(rows, score, limit):
            seeker = self.terms[rows[i]]
            found.append(_match(seeker, vacancy, float(score[i]), float(distance[i]), matched_skills(seeker, vacancy)))
        return sorted(found, key=for_vacancy_order)[:limit]

    def passing(self, vacancy: VacancyTerms, at: When) -> set[str]:
        """Ids of every seeker for whom this vacancy passes the hard filters."""
        rows, _, _ = self._evaluate(vacancy, at)
        return {self.terms[row].id for row in rows}


# -- the reasons shown ---------------------------------------------------------------------------------

SCHEDULE_NAMES = {"full_time": ("全职", "full-time"), "part_time": ("兼职", "part-time"),
                  "flexible": ("灵活时间", "flexible hours"), "piece_work": ("计件", "piece-work")}


@dataclass(frozen=True)
class Reason:
    kind: str  # skills, distance, schedule, pay, training
    en: str
    zh: str


def pay_fit(monthly_pay_fen: int, wage_floor_fen: int) -> float:
    """How far the pay is above the floor, 0 to 1 (full at double); 1 with no floor."""
    floor = wage_floor_fen
    return 1.0 if floor == 0 else min(1.0, (monthly_pay_fen - floor) / floor)


def employer_view(match: Match) -> Match:
    """The match as the vacancy's side sees it (the shortlist): the seeker's wage floor is theirs alone.
    Every match pays at least the floor (a hard filter), so the employer learns only that the pay fits;
    the floor is blanked, and the score counts pay as fitting fully, so no score (nor two of them, from
    two vacancies at different pay) lets anyone work the floor out. The order of the shortlist stays the
    matcher's."""
    without_pay = match.score - PAY_POINTS * pay_fit(match.monthly_pay_fen, match.wage_floor_fen)
    return replace(match, wage_floor_fen=0, score=round(without_pay + PAY_POINTS, 6))


PAY_FITS = Reason("pay", "pay fits the seeker's expectations", "薪资符合求职者期望")


def explain(match: Match, employer: bool = False) -> tuple[Reason, ...]:
    """Why this is a match, in the order people read it: skills, distance, schedule, pay, training.
    employer: the reasons the vacancy's side reads (the pay fits; never how it compares with the floor)."""
    reasons = []
    have, wanted = len(match.matched_skills), match.wanted_skills
    if wanted:
        reasons.append(Reason("skills", f"{have} of {wanted} skills", f"技能 {have}/{wanted}"))
    else:
        reasons.append(Reason("skills", "no particular skills needed", "无特定技能要求"))
    km = f"{match.distance_m / 1000:.1f}"
    reasons.append(Reason("distance", f"{km} km", f"{km} 公里"))
    zh, en = SCHEDULE_NAMES[match.schedule]
    reasons.append(Reason("schedule", f"{en} matches" + (", your first choice" if match.preferred_schedule else ""),
                          f"{zh}符合" + ("（首选）" if match.preferred_schedule else "")))
    if employer:
        reasons.append(PAY_FITS)
    elif match.wage_floor_fen:
        above = (match.monthly_pay_fen - match.wage_floor_fen) * 100 // match.wage_floor_fen
        reasons.append(Reason("pay", f"pay {above}% above your floor" if above else "pay meets your floor",
                              f"月薪高于期望 {above}%" if above else "月薪达到期望"))
    else:
        yuan = match.monthly_pay_fen // 100
        reasons.append(Reason("pay", f"about {yuan} yuan a month", f"月薪约 {yuan} 元"))
    if match.training_offered:
        reasons.append(Reason("training", "training offered", "提供培训"))
    return tuple(reasons)


def summary(reasons: tuple[Reason, ...]) -> tuple[str, str]:
    """The first three reasons in one line each language: ("3 of 4 skills, 1.2 km, part-time matches", ...)."""
    return ", ".join(r.en for r in reasons[:3]), "，".join(r.zh for r in reasons[:3])


# -- stored rankings -----------------------------------------------------------------------------------

SEEKER_RANKING, VACANCY_RANKING = "seeker", "vacancy"


@dataclass(frozen=True)
class Ranking:
    """A seeker's best vacancies (kind seeker) or a vacancy's shortlist (kind vacancy), as the worker last
    computed them: at `revision` of the community's vacancies and seekers."""

    kind: str
    subject_id: str
    community_id: str
    revision: int
    ranked_at: datetime
    matches: tuple[Match, ...]
