"""Lifecycles of vacancies, applications, seekers and placements, and who may take each step. No broker,
no database."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.employment.domain import applications, jobs, placements, seekers, skills
from services.employment.domain.common import GeoPoint

NOW = datetime(2026, 6, 26, 1, 0, tzinfo=timezone.utc)
KNOWN = skills.CURATED_CODES
COMMUNITY = "donghuayuan"
COUNSELLOR = Caller("cn-wang", frozenset({"counsellor"}), frozenset({COMMUNITY}))
ELSEWHERE = Caller("cn-li", frozenset({"counsellor"}), frozenset({"another"}))
BOSS = Caller("boss-zhao", frozenset({"employer"}), frozenset({COMMUNITY}))
OTHER_BOSS = Caller("boss-qian", frozenset({"employer"}), frozenset({COMMUNITY}))
RESIDENT = Caller("res-liu", frozenset({"resident"}), frozenset({COMMUNITY}))
NEIGHBOUR = Caller("res-sun", frozenset({"resident"}), frozenset({COMMUNITY}))


def employer(user_ids=("boss-zhao",)) -> jobs.Employer:
    return jobs.register_employer(COUNSELLOR, jobs.NewEmployer("emp-1", COMMUNITY, "抚顺顺城服装厂",
                                                               user_ids=user_ids), NOW)


def draft(**changes) -> jobs.VacancyDraft:
    fields = dict(title="缝纫工", schedule="full_time", wage_fen=320_000, wage_period="month", hours_per_week=40,
                  address="顺城区工业园", position=GeoPoint(41.89, 123.95), physical_demand="light", headcount=2,
                  skills=("sewing",))
    return jobs.VacancyDraft(**{**fields, **changes})


def open_vacancy(**changes) -> jobs.Vacancy:
    created = jobs.create_vacancy(BOSS, employer(), draft(**changes), "v-1", NOW, KNOWN)
    return jobs.open_vacancy(BOSS, employer(), created, NOW)


def seeker(status=seekers.SEARCHING, seeker_id="res-liu") -> seekers.JobSeeker:
    profile = seekers.Profile(name="刘桂兰", birth_year=1968, address="东区 5号楼", home=GeoPoint(41.88, 123.957),
                              skills=(seekers.SeekerSkill("sewing", 12),))
    person = seekers.register(COUNSELLOR, seeker_id, COMMUNITY, profile, NOW, KNOWN)
    return replace(person, status=status)


# -- vacancies -------------------------------------------------------------------------------------------

def test_a_vacancy_starts_as_a_draft_and_opens_for_its_open_days():
    created = jobs.create_vacancy(BOSS, employer(), draft(open_days=30), "v-1", NOW, KNOWN)
    assert created.status == jobs.DRAFT and created.monthly_pay_fen == 320_000
    opened = jobs.open_vacancy(BOSS, employer(), created, NOW)
    assert opened.status == jobs.OPEN and opened.expires_at == NOW + timedelta(days=30)
    assert opened.starts_on == "2026-06-26"  # the local day it opened


def test_hires_fill_a_vacancy_place_by_place():
    first = jobs.record_hire(open_vacancy(headcount=2), NOW)
    assert first.status == jobs.PARTIALLY_FILLED and jobs.event_after_hire(first) == jobs.VACANCY_PARTIALLY_FILLED
    second = jobs.record_hire(first, NOW)
    assert second.status == jobs.FILLED and second.filled_at == NOW and second.remaining == 0
    with pytest.raises(FailedPrecondition):
        jobs.record_hire(second, NOW)


def test_an_open_vacancy_expires_after_its_open_days_and_not_before():
    vacancy = open_vacancy(open_days=10)
    assert jobs.expire(vacancy, NOW + timedelta(days=9)) is None
    assert jobs.expire(vacancy, NOW + timedelta(days=10)).status == jobs.EXPIRED


def test_a_closed_or_filled_vacancy_can_no_longer_change():
    closed = jobs.close_vacancy(BOSS, employer(), open_vacancy(), "招满了", NOW)
    assert closed.status == jobs.CLOSED and closed.close_reason == "招满了"
    for over in (closed, jobs.record_hire(jobs.record_hire(open_vacancy(), NOW), NOW)):
        with pytest.raises(FailedPrecondition):
            jobs.update_vacancy(BOSS, employer(), over, draft(), KNOWN, NOW)


def test_lowering_the_headcount_to_those_hired_fills_the_vacancy_but_not_below():
    hired_two = jobs.record_hire(jobs.record_hire(open_vacancy(headcount=3), NOW), NOW)
    assert jobs.update_vacancy(BOSS, employer(), hired_two, draft(headcount=2), KNOWN, NOW).status == jobs.FILLED
    with pytest.raises(FailedPrecondition):
        jobs.update_vacancy(BOSS, employer(), hired_two, draft(headcount=1), KNOWN, NOW)


def test_someone_elses_vacancy_is_not_found_and_only_its_employer_or_a_counsellor_manages_it():
    vacancy = open_vacancy()
    with pytest.raises(PermissionDenied):  # an open vacancy is public within its community: seen, not theirs
        jobs.close_vacancy(OTHER_BOSS, employer(), vacancy, "", NOW)
    with pytest.raises(NotFound):
        jobs.close_vacancy(ELSEWHERE, employer(), vacancy, "", NOW)
    assert jobs.close_vacancy(COUNSELLOR, employer(), vacancy, "", NOW).status == jobs.CLOSED
    draft_only = jobs.create_vacancy(BOSS, employer(), draft(), "v-2", NOW, KNOWN)
    with pytest.raises(NotFound):  # a draft is its employer's business
        jobs.open_vacancy(OTHER_BOSS, employer(), draft_only, NOW)
    with pytest.raises(NotFound):
        jobs.check_visible(RESIDENT, draft_only, employer(), "v-2")  # residents see open vacancies only
    assert jobs.check_visible(RESIDENT, vacancy, employer(), "v-1") == vacancy


def test_a_vacancy_names_every_problem_at_once():
    with pytest.raises(InvalidArgument) as raised:
        jobs.validate_draft(draft(title="", wage_fen=0, schedule="nights", skills=("sewing", "time_travel"),
                                  wage_period="piece"), KNOWN)
    assert set(raised.value.fields) == {"title", "wage_fen", "schedule", "skills", "monthly_pay_fen"}


def test_an_import_takes_every_row_or_none_and_opens_them_all():
    rows = [jobs.ImportRow("emp-1", draft(title=f"岗位{i}")) for i in range(3)]
    opened = jobs.import_vacancies(COUNSELLOR, COMMUNITY, rows, {"emp-1": employer()}, ["a", "b", "c"], "imp-1", NOW,
                                   KNOWN, "fair-1")
    assert [v.status for v in opened] == [jobs.OPEN] * 3 and {v.import_id for v in opened} == {"imp-1"}
    assert {v.fair_id for v in opened} == {"fair-1"}
    with pytest.raises(InvalidArgument) as raised:
        jobs.import_vacancies(COUNSELLOR, COMMUNITY, rows + [jobs.ImportRow("emp-9", draft()),
                                                              jobs.ImportRow("emp-1", draft(headcount=0))],
                              {"emp-1": employer()}, list("abcde"), "imp-2", NOW, KNOWN)
    assert set(raised.value.fields) == {"vacancies[3].employer_id", "vacancies[4].headcount"}
    with pytest.raises(PermissionDenied):
        jobs.import_vacancies(BOSS, COMMUNITY, rows, {"emp-1": employer()}, ["a", "b", "c"], "imp-3", NOW, KNOWN)


# -- applications ----------------------------------------------------------------------------------------

def intention(by=RESIDENT) -> applications.Application:
    return applications.express_intention(by, seeker(), open_vacancy(), "app-1", NOW)


def walk(application, *steps):
    for status, by in steps:
        application = applications.move(by, application, employer(), status, NOW,
                                        interview_at=NOW + timedelta(days=2) if status == "interview" else None)
    return application


def test_an_application_walks_from_suggestion_to_offer_each_step_by_its_side():
    suggested = applications.suggest(COUNSELLOR, seeker(), open_vacancy(), employer(), "app-1", NOW)
    offered = walk(suggested, ("viewed", RESIDENT), ("intention_expressed", RESIDENT), ("referred", COUNSELLOR),
                   ("interview", BOSS), ("offer", BOSS))
    assert offered.status == "offer"
    assert offered.reached == ("suggested", "viewed", "intention_expressed", "referred", "interview", "offer")
    assert offered.interview_at == NOW + timedelta(days=2)


def test_each_step_is_taken_only_by_the_side_it_belongs_to():
    with pytest.raises(PermissionDenied):
        walk(intention(), ("referred", RESIDENT))  # counsellors refer
    with pytest.raises(PermissionDenied):
        walk(intention(), ("referred", COUNSELLOR), ("offer", RESIDENT))
    with pytest.raises(NotFound):
        walk(intention(), ("withdrawn", NEIGHBOUR))  # not theirs: as if it did not exist
    with pytest.raises(PermissionDenied):
        walk(intention(), ("rejected", RESIDENT))  # the seeker withdraws; the employer rejects


def test_steps_cannot_be_skipped_and_an_interview_needs_its_time():
    with pytest.raises(FailedPrecondition):
        walk(intention(), ("offer", BOSS))
    referred = walk(intention(), ("referred", COUNSELLOR))
    with pytest.raises(InvalidArgument):
        applications.move(BOSS, referred, employer(), "interview", NOW)
    assert walk(referred, ("offer", BOSS)).status == "offer"  # piece-work: no interview needed


@pytest.mark.parametrize("ending, by", [("rejected", BOSS), ("withdrawn", RESIDENT), ("no_show", BOSS)])
def test_an_application_can_end_at_any_step_and_then_nothing_more_happens(ending, by):
    for steps in ([], [("referred", COUNSELLOR)], [("referred", COUNSELLOR), ("interview", BOSS)]):
        ended = walk(walk(intention(), *steps), (ending, by))
        assert ended.status == ending
        with pytest.raises(FailedPrecondition):
            walk(ended, ("withdrawn", COUNSELLOR))


def test_a_hire_fills_a_place_places_the_seeker_and_starts_follow_ups_at_3_and_6_months():
    offered = walk(intention(), ("referred", COUNSELLOR), ("offer", BOSS))
    hire = applications.hire(BOSS, offered, employer(), open_vacancy(), seeker(), NOW)
    assert hire.application.status == "hired" and hire.vacancy.hired == 1
    assert hire.seeker.status == seekers.PLACED
    assert [(f.months, f.due_on) for f in hire.placement.follow_ups] == [(3, "2026-09-26"), (6, "2026-12-26")]


def test_only_an_open_vacancy_takes_applications_and_only_a_seeker_who_has_not_exited():
    closed = jobs.close_vacancy(BOSS, employer(), open_vacancy(), "", NOW)
    with pytest.raises(FailedPrecondition):
        applications.express_intention(RESIDENT, seeker(), closed, "app-1", NOW)
    with pytest.raises(FailedPrecondition):
        applications.express_intention(RESIDENT, seeker(status=seekers.EXITED), open_vacancy(), "app-1", NOW)


def test_an_employer_suggests_its_vacancy_only_to_seekers_on_its_shortlist():
    with pytest.raises(NotFound):
        applications.suggest(BOSS, seeker(), open_vacancy(), employer(), "app-1", NOW)
    invited = applications.suggest(BOSS, seeker(), open_vacancy(), employer(), "app-1", NOW, on_shortlist=True)
    assert invited.status == "suggested" and invited.created_by == "boss-zhao"
    with pytest.raises(PermissionDenied):  # the seeker themself expresses intention instead
        applications.suggest(RESIDENT, seeker(), open_vacancy(), employer(), "app-1", NOW)
    with pytest.raises(NotFound):
        applications.suggest(NEIGHBOUR, seeker(), open_vacancy(), employer(), "app-1", NOW)


def test_expressing_intention_on_a_suggestion_advances_it_but_not_an_application_under_way():
    suggested = applications.suggest(COUNSELLOR, seeker(), open_vacancy(), employer(), "app-1", NOW)
    assert applications.intention_on_existing(RESIDENT, suggested, NOW, "fair-1").fair_id == "fair-1"
    with pytest.raises(FailedPrecondition):
        applications.intention_on_existing(RESIDENT, walk(intention(), ("referred", COUNSELLOR)), NOW)


def test_a_vacancy_that_ended_turns_down_its_applications_under_way_only():
    filled = jobs.record_hire(jobs.record_hire(open_vacancy(), NOW), NOW)
    ended = applications.end_with_vacancy(intention(), filled, NOW)
    assert ended.status == "rejected" and ended.history[-1].note == "vacancy filled"
    assert applications.end_with_vacancy(walk(intention(), ("withdrawn", RESIDENT)), filled, NOW) is None


# -- seekers and placements ------------------------------------------------------------------------------

def test_a_seeker_registers_searches_is_placed_followed_up_and_exits():
    person = seekers.register(RESIDENT, "res-liu", COMMUNITY, seekers.Profile(
        "刘桂兰", 1968, "东区 5号楼", GeoPoint(41.88, 123.957)), NOW, KNOWN)
    assert person.status == seekers.REGISTERED and not person.matchable
    searching = seekers.start_searching(RESIDENT, person, NOW)
    assert searching.matchable
    placed = seekers.placed(searching, "boss-zhao", NOW)
    assert seekers.followed_up(placed, True, "cn-wang", NOW).status == seekers.FOLLOWED_UP
    assert seekers.followed_up(placed, False, "cn-wang", NOW).status == seekers.SEARCHING
    exited = seekers.exit_(RESIDENT, placed, "回老家", NOW)
    assert [step.status for step in exited.history] == ["registered", "searching", "placed", "exited"]
    with pytest.raises(FailedPrecondition):
        seekers.placed(exited, "boss-zhao", NOW)


def test_a_resident_registers_only_themself_and_sees_only_their_own_profile():
    profile = seekers.Profile("孙玉林", 1970, "西区 9号楼", GeoPoint(41.88, 123.95))
    with pytest.raises(PermissionDenied):
        seekers.register(RESIDENT, "res-sun", COMMUNITY, profile, NOW, KNOWN)
    with pytest.raises(NotFound):
        seekers.check_visible(NEIGHBOUR, seeker(), "res-liu")
    with pytest.raises(NotFound):
        seekers.check_visible(ELSEWHERE, seeker(), "res-liu")


def test_a_certified_course_adds_its_skills_once():
    person = seeker()
    taught = seekers.with_skills(person, ("sewing", "handicraft.knitting"), NOW)
    assert taught.skill_codes == {"sewing", "handicraft.knitting"}
    assert seekers.with_skills(taught, ("sewing",), NOW) is None


def placement() -> placements.Placement:
    offered = walk(intention(), ("referred", COUNSELLOR), ("offer", BOSS))
    return applications.hire(BOSS, offered, employer(), open_vacancy(), seeker(), NOW).placement


def test_follow_ups_are_recorded_in_order_from_a_week_before_they_are_due():
    started = placement()
    with pytest.raises(FailedPrecondition, match="due on 2026-09-26"):
        placements.record_follow_up(COUNSELLOR, started, 3, True, "", NOW + timedelta(days=80))
    with pytest.raises(FailedPrecondition, match="3-month follow-up first"):
        placements.record_follow_up(COUNSELLOR, started, 6, True, "", NOW + timedelta(days=200))
    three = placements.record_follow_up(COUNSELLOR, started, 3, True, "干得不错", NOW + timedelta(days=85))
    six = placements.record_follow_up(COUNSELLOR, three, 6, True, "", NOW + timedelta(days=183))
    assert [f.still_employed for f in six.follow_ups] == [True, True] and six.status == placements.ACTIVE
    with pytest.raises(FailedPrecondition):
        placements.record_follow_up(COUNSELLOR, six, 6, True, "", NOW + timedelta(days=190))


def test_a_follow_up_that_finds_the_seeker_out_of_work_ends_the_placement():
    ended = placements.record_follow_up(COUNSELLOR, placement(), 3, False, "工厂停产", NOW + timedelta(days=92))
    assert ended.status == placements.ENDED and ended.ended_on == "2026-09-26"
    with pytest.raises(FailedPrecondition):
        placements.record_follow_up(COUNSELLOR, ended, 6, True, "", NOW + timedelta(days=183))
    with pytest.raises(PermissionDenied):
        placements.record_follow_up(RESIDENT, placement(), 3, True, "", NOW + timedelta(days=92))


# -- the skill taxonomy ----------------------------------------------------------------------------------

def test_the_curated_taxonomy_counts_informal_skills_and_maps_every_skill_to_the_national_classification():
    informal = {skill.code for skill in skills.CURATED if skill.informal}
    assert {"farming.crops", "handicraft.knitting", "cooking", "caring.elderly"} <= informal
    assert all(skills.OCCUPATION_PATTERN.match(skill.occupation_code) for skill in skills.CURATED)


def test_operators_extend_the_taxonomy_with_new_codes_only():
    pottery = skills.NewSkill("handicraft.pottery", "陶艺", "pottery", "handicraft", "6-09", True)
    operator = Caller("op-1", frozenset({"operator"}), frozenset({COMMUNITY}))
    assert skills.add_skill(operator, pottery, KNOWN).added_by == "op-1"
    with pytest.raises(PermissionDenied):
        skills.add_skill(RESIDENT, pottery, KNOWN)
    with pytest.raises(Exception, match="already"):
        skills.add_skill(operator, replace(pottery, code="cooking"), KNOWN)
