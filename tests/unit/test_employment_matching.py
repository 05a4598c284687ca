"""Matching rules: hard filters, ranking by fit, the reasons shown, age-blindness, and the numpy engine
equal to the plain specification. No broker, no database."""
import dataclasses
import random
from datetime import date, datetime, timedelta, timezone

import pytest

from linli.kit.identity import Caller
from services.employment.domain import jobs, matching, seekers, skills
from services.employment.domain.common import GeoPoint

NOW = datetime(2026, 6, 26, 1, 0, tzinfo=timezone.utc)  # 09:00 in Fushun, the day of the pilot's fair
AT = matching.when(NOW)
HOME = (41.8810, 123.9570)  # the square between the east and west zones
COUNSELLOR = Caller("cn-wang", frozenset({"counsellor"}), frozenset({"donghuayuan"}))
KNOWN = skills.CURATED_CODES


def north_of_home(metres: float) -> tuple[float, float]:
    return HOME[0] + metres / matching.METRES_PER_DEGREE, HOME[1]


def vacancy(id="v-1", metres=1200.0, schedule="part_time", demand="light", pay=300_000,
            wanted=("handicraft.knitting", "sewing", "cooking", "cleaning"), training=False,
            starts_in_days=0, expires_in_days=30) -> matching.VacancyTerms:
    latitude, longitude = north_of_home(metres)
    return matching.VacancyTerms(id, latitude, longitude, schedule, demand, pay, tuple(wanted), training,
                                 (AT.day + starts_in_days), int((NOW + timedelta(days=expires_in_days)).timestamp()))


def seeker(id="s-1", commute=5000, schedules=("part_time", "full_time"), capacity="moderate", floor=200_000,
           have=("handicraft.knitting", "sewing", "cooking", "farming.crops"), available_in_days=None):
    available = 0 if available_in_days is None else AT.day + available_in_days
    return matching.SeekerTerms(id, HOME[0], HOME[1], commute, tuple(schedules), capacity, floor,
                                frozenset(have), available)


# -- hard filters ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("why, changed_vacancy, changed_seeker", [
    ("too far", {"metres": 5200}, {}),
    ("a schedule they do not accept", {"schedule": "full_time"}, {"schedules": ("part_time",)}),
    ("harder work than they can take", {"demand": "heavy"}, {}),
    ("below their wage floor", {"pay": 199_999}, {}),
    ("none of the wanted skills and no training", {"wanted": ("driving", "security")}, {}),
    ("expired", {"expires_in_days": 0}, {}),
    ("starts more than two weeks before they are available", {}, {"available_in_days": 15}),
])
def test_a_vacancy_failing_one_hard_filter_is_no_match(why, changed_vacancy, changed_seeker):
    assert matching.match_pair(seeker(), vacancy(), AT) is not None
    assert matching.match_pair(seeker(**changed_seeker), vacancy(**changed_vacancy), AT) is None, why


def test_training_offered_makes_a_seeker_without_the_skills_eligible():
    assert matching.match_pair(seeker(have=()), vacancy(training=True), AT) is not None
    assert matching.match_pair(seeker(have=()), vacancy(wanted=()), AT) is not None


def test_a_vacancy_exactly_at_the_maximum_commute_or_the_wage_floor_still_matches():
    assert matching.match_pair(seeker(commute=5000), vacancy(metres=4999.99), AT) is not None
    assert matching.match_pair(seeker(floor=300_000), vacancy(pay=300_000), AT) is not None


def test_someone_available_within_two_weeks_matches_a_job_that_started_long_ago_and_is_still_open():
    started_long_ago = vacancy(starts_in_days=-40)
    assert matching.match_pair(seeker(available_in_days=10), started_long_ago, AT) is not None


# -- ranking and reasons ---------------------------------------------------------------------------------

def test_more_of_the_wanted_skills_ranks_higher_than_being_closer():
    index = matching.VacancyIndex()
    index.upsert(vacancy("near-one-skill", metres=300, wanted=("handicraft.knitting", "driving")))
    index.upsert(vacancy("far-both-skills", metres=3000, wanted=("handicraft.knitting", "sewing")))
    assert [m.vacancy_id for m in index.rank(seeker(), AT, 10)] == ["far-both-skills", "near-one-skill"]


def test_between_equal_fits_the_nearer_ranks_first_then_the_smaller_id():
    index = matching.VacancyIndex()
    for vacancy_id, metres in (("b", 800), ("a", 800), ("c", 400)):
        index.upsert(vacancy(vacancy_id, metres=metres))
    assert [m.vacancy_id for m in index.rank(seeker(), AT, 10)] == ["c", "a", "b"]


def test_the_reasons_read_as_the_issue_asks():
    match = matching.match_pair(seeker(), vacancy(), AT)
    en, zh = matching.summary(matching.explain(match))
    assert en == "3 of 4 skills, 1.2 km, part-time matches, your first choice"
    assert zh == "技能 3/4，1.2 公里，兼职符合（首选）"
    assert match.matched_skills == ("handicraft.knitting", "sewing", "cooking")


def test_the_reasons_also_say_how_the_pay_compares_and_whether_there_is_training():
    reasons = matching.explain(matching.match_pair(seeker(floor=200_000), vacancy(pay=300_000, training=True), AT))
    assert [r.kind for r in reasons] == ["skills", "distance", "schedule", "pay", "training"]
    assert reasons[3].en == "pay 50% above your floor" and reasons[3].zh == "月薪高于期望 50%"
    assert reasons[4].zh == "提供培训"


def test_the_employers_view_of_a_match_says_the_pay_fits_and_nothing_that_gives_the_seekers_floor_away():
    mine = matching.match_pair(seeker(floor=200_000), vacancy(pay=300_000), AT)
    theirs = matching.employer_view(mine)
    assert theirs.wage_floor_fen == 0 and theirs.monthly_pay_fen == 300_000
    pay = [r for r in matching.explain(theirs, employer=True) if r.kind == "pay"]
    assert [(r.en, r.zh) for r in pay] == [("pay fits the seeker's expectations", "薪资符合求职者期望")]
    # Seekers alike in all but their floor look alike to the employer, whatever the vacancy's pay: the
    # score carries nothing of the floor either.
    for pay_fen in (200_000, 250_000, 300_000, 900_000):
        scores = {matching.employer_view(matching.match_pair(seeker(floor=floor), vacancy(pay=pay_fen), AT)).score
                  for floor in (0, 120_000, 150_000, 200_000)}
        assert len(scores) == 1
    # The seeker still reads how the pay compares with their own floor.
    assert "pay 50% above your floor" in [r.en for r in matching.explain(mine)]


def test_the_fit_score_adds_up_its_parts():
    match = matching.match_pair(seeker(schedules=("full_time", "part_time")), vacancy(), AT)
    # skills 3/4 of 50, nearness (1 - 1200/5000) of 25, pay min(1, 100000/200000) of 10, not first choice
    assert match.score == pytest.approx(37.5 + 19.0 + 5.0)


# -- age is never a ranking feature ----------------------------------------------------------------------

def profile(birth_year: int) -> seekers.Profile:
    return seekers.Profile(
        name="刘桂兰", birth_year=birth_year, address="东区 5号楼", home=GeoPoint(*HOME),
        skills=(seekers.SeekerSkill("handicraft.knitting", 30), seekers.SeekerSkill("cooking", 40)),
        schedules=("part_time", "piece_work"), max_commute_m=4000, wage_floor_fen=150_000,
        physical_capacity="light")


def some_vacancies(count=300, seed=7) -> list[matching.VacancyTerms]:
    rng = random.Random(seed)
    return [vacancy(f"v-{i:03d}", metres=rng.uniform(0, 6000), schedule=rng.choice(matching.SCHEDULES),
                    demand=rng.choice(matching.DEMANDS), pay=rng.randrange(100_000, 500_000, 100),
                    wanted=tuple(rng.sample(sorted(KNOWN), rng.randint(0, 3))), training=rng.random() < 0.3)
            for i in range(count)]


def test_two_profiles_that_differ_only_in_age_rank_the_same():
    retired = seekers.register(COUNSELLOR, "s-born-1956", "donghuayuan", profile(1956), NOW, KNOWN)
    young = seekers.register(COUNSELLOR, "s-born-2003", "donghuayuan", profile(2003), NOW, KNOWN)
    assert retired.birth_year != young.birth_year
    index = matching.VacancyIndex()
    for terms in some_vacancies():
        index.upsert(terms)

    def ranking(person):
        return [dataclasses.replace(m, seeker_id="") for m in index.rank(seekers.terms_of(person), AT, 50)]

    assert ranking(retired) and ranking(retired) == ranking(young)
    # ... and on every vacancy's shortlist they stand side by side with the same score.
    pool = matching.SeekerIndex()
    pool.upsert(seekers.terms_of(retired))
    pool.upsert(seekers.terms_of(young))
    for terms in some_vacancies():
        shortlist = pool.rank(terms, AT, 10)
        assert len(shortlist) in (0, 2) and len({m.score for m in shortlist}) <= 1


def test_matching_never_sees_a_birth_year_or_an_age():
    assert not {"birth_year", "age", "born"} & {f.name for f in dataclasses.fields(matching.SeekerTerms)}


def test_registration_checks_the_legal_working_age_only():
    with pytest.raises(Exception, match="legal working age"):
        seekers.register(COUNSELLOR, "s-young", "donghuayuan", profile(NOW.year - 15), NOW, KNOWN)
    assert seekers.register(COUNSELLOR, "s-old", "donghuayuan", profile(1931), NOW, KNOWN).birth_year == 1931


# -- the engine equals the specification -----------------------------------------------------------------

def random_world(seed: int, vacancies: int, people: int):
    rng = random.Random(seed)
    codes = sorted(KNOWN) + [f"extra.skill_{i}" for i in range(60)]  # more than 64 codes: two words of bits
    spread = 0.08
    vacancy_terms = [matching.VacancyTerms(
        f"v-{i:05d}", HOME[0] + rng.uniform(-spread, spread), HOME[1] + rng.uniform(-spread, spread),
        rng.choice(matching.SCHEDULES), rng.choice(matching.DEMANDS), rng.randrange(100_000, 800_000, 500),
        tuple(rng.sample(codes, rng.randint(0, 5))), rng.random() < 0.3, AT.day + rng.randint(-30, 30),
        AT.epoch_s + rng.randint(-86_400, 86_400 * 30)) for i in range(vacancies)]
    seeker_terms = [matching.SeekerTerms(
        f"s-{i:04d}", HOME[0] + rng.uniform(-spread / 2, spread / 2), HOME[1] + rng.uniform(-spread / 2, spread / 2),
        rng.choice([1000, 3000, 5000, 10_000, 30_000]), tuple(rng.sample(matching.SCHEDULES, rng.randint(1, 4))),
        rng.choice(matching.DEMANDS), rng.choice([0, 150_000, 250_000, 400_000]),
        frozenset(rng.sample(codes, rng.randint(0, 6))), rng.choice([0, AT.day + rng.randint(-5, 40)]))
        for i in range(people)]
    return vacancy_terms, seeker_terms


def test_the_vectorised_engine_ranks_exactly_as_the_plain_specification():
    vacancy_terms, seeker_terms = random_world(seed=2019, vacancies=3000, people=120)
    vacancies, pool = matching.VacancyIndex(), matching.SeekerIndex()
    for terms in vacancy_terms:
        vacancies.upsert(terms)
    for terms in seeker_terms:
        pool.upsert(terms)
    for person in seeker_terms:
        assert vacancies.rank(person, AT, 20) == matching.rank_vacancies_plainly(person, vacancy_terms, AT, 20)
        every = matching.rank_vacancies_plainly(person, vacancy_terms, AT, len(vacancy_terms))
        assert vacancies.passing(person, AT) == {m.vacancy_id for m in every}
    for terms in vacancy_terms[:400]:
        assert pool.rank(terms, AT, 30) == matching.rank_seekers_plainly(terms, seeker_terms, AT, 30)


def test_the_same_pair_scores_the_same_from_either_side():
    vacancy_terms, seeker_terms = random_world(seed=5, vacancies=200, people=50)
    pool = matching.SeekerIndex()
    for terms in seeker_terms:
        pool.upsert(terms)
    vacancies = matching.VacancyIndex()
    for terms in vacancy_terms:
        vacancies.upsert(terms)
    by_pair = {(m.seeker_id, m.vacancy_id): m for person in seeker_terms for m in vacancies.rank(person, AT, 500)}
    for terms in vacancy_terms:
        for m in pool.rank(terms, AT, 100):
            assert by_pair[(m.seeker_id, m.vacancy_id)] == m


def test_an_updated_or_removed_vacancy_is_ranked_by_its_new_terms_and_rows_are_reused():
    index = matching.VacancyIndex()
    index.upsert(vacancy("a", metres=400))
    index.upsert(vacancy("b", metres=800))
    index.upsert(vacancy("a", metres=900))  # moved further away
    assert [m.vacancy_id for m in index.rank(seeker(), AT, 5)] == ["b", "a"]
    index.remove("b")
    index.upsert(vacancy("c", metres=100))
    assert [m.vacancy_id for m in index.rank(seeker(), AT, 5)] == ["c", "a"] and index.rows == 2


# -- what matching sees of records -----------------------------------------------------------------------

def test_a_vacancy_pays_a_monthly_equivalent_of_its_hourly_or_daily_wage():
    def draft(**changes):
        fields = dict(title="编织工", schedule="part_time", wage_fen=2000, wage_period="hour", hours_per_week=20,
                      address="社区工坊", position=GeoPoint(*HOME), physical_demand="light")
        return jobs.VacancyDraft(**{**fields, **changes})

    assert jobs.monthly_pay_fen(draft()) == 2000 * 20 * 52 // 12
    assert jobs.monthly_pay_fen(draft(wage_period="day", wage_fen=15000, hours_per_week=40)) == 15000 * 5 * 52 // 12
    assert jobs.monthly_pay_fen(draft(wage_period="month", wage_fen=320000)) == 320000
    assert jobs.monthly_pay_fen(draft(wage_period="piece", wage_fen=150, monthly_pay_fen=120000)) == 120000


def test_a_seeker_available_from_a_day_is_matched_from_that_day_on():
    person = seekers.register(COUNSELLOR, "s-1", "donghuayuan",
                              dataclasses.replace(profile(1970), available_from="2026-07-20"), NOW, KNOWN)
    assert seekers.terms_of(person).available_from == date(2026, 7, 20).toordinal()
