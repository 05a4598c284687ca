"""Job fairs and their report, training enrolments, the workshop's piece-work and payouts, and the
service's figures. No broker, no database."""
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.employment.domain import fairs, figures, jobs, seekers, skills, training, workshop
from services.employment.domain.common import GeoPoint

NOW = datetime(2019, 6, 26, 1, 0, tzinfo=timezone.utc)  # 09:00 in Fushun, the day of the pilot's fair
COMMUNITY = "donghuayuan"
COUNSELLOR = Caller("cn-wang", frozenset({"counsellor"}), frozenset({COMMUNITY}))
RESIDENT = Caller("res-liu", frozenset({"resident"}), frozenset({COMMUNITY}))
LEAFLETS = ["就业指南与政策", "农民就业100问", "创业担保贷款政策", "社会保险补贴", "灵活就业人员社保",
            "职业技能培训目录", "劳动合同须知", "就业困难人员认定", "公益性岗位政策", "返乡创业扶持"]


def fair() -> fairs.Fair:
    return fairs.plan(COUNSELLOR, fairs.NewFair("fair-2019-06-26", COMMUNITY, "就业服务进社区", "2019-06-26",
                                                "东华园社区扇形广场"), NOW)


def employer(number: int) -> jobs.Employer:
    return jobs.register_employer(COUNSELLOR, jobs.NewEmployer(f"emp-{number:02d}", COMMUNITY, f"企业{number}"), NOW)


def test_the_pilot_fair_reports_the_figures_the_community_reported():
    pilot = fair()
    for number in range(20):
        pilot = fairs.add_company(COUNSELLOR, pilot, employer(number), f"{number + 1}号展位")
    for index, title in enumerate(LEAFLETS):
        pilot = fairs.record_leaflets(COUNSELLOR, pilot, title, 50)
    topics = ["policy"] * 100 + ["job"] * 40 + ["training"] * 12
    # 215 posts (places) in 25 vacancies: fifteen of eleven places, ten of five.
    headcounts = [11] * 15 + [5] * 10
    report = fairs.report(pilot, headcounts, intending_seekers=50, sign_ups=30, consultation_topics=topics)
    assert (report.posts, report.companies, report.hiring_intentions, report.training_sign_ups,
            report.policy_questions_answered) == (215, 20, 50, 30, 100)
    assert (report.leaflet_titles, report.leaflet_copies, report.consultations) == (10, 500, 152)


def test_leaflets_of_one_title_add_up():
    handed_out = fairs.record_leaflets(COUNSELLOR, fairs.record_leaflets(COUNSELLOR, fair(), "农民就业100问", 120),
                                       " 农民就业100问 ", 80)
    assert handed_out.leaflets == (fairs.Leaflet("农民就业100问", 200),)


def test_a_closed_fair_takes_nothing_more_and_only_its_companies_post_there():
    pilot = fairs.add_company(COUNSELLOR, fair(), employer(1), "")
    fairs.check_company(pilot, "emp-01")
    with pytest.raises(FailedPrecondition):
        fairs.check_company(pilot, "emp-02")
    with pytest.raises(AlreadyExists):
        fairs.add_company(COUNSELLOR, pilot, employer(1), "")
    closed = fairs.close(COUNSELLOR, pilot, NOW)
    for record in (lambda: fairs.record_leaflets(COUNSELLOR, closed, "x", 1),
                   lambda: fairs.record_consultation(COUNSELLOR, closed, "c-1", "policy", "", "", NOW),
                   lambda: fairs.check_company(closed, "emp-01")):
        with pytest.raises(FailedPrecondition):
            record()


def test_only_counsellors_of_the_community_run_a_fair_and_a_consultation_has_a_topic():
    with pytest.raises(PermissionDenied):
        fairs.record_consultation(RESIDENT, fair(), "c-1", "policy", "", "", NOW)
    with pytest.raises(InvalidArgument):
        fairs.record_consultation(COUNSELLOR, fair(), "c-1", "gossip", "", "", NOW)
    with pytest.raises(NotFound):
        fairs.check_visible(Caller("x", frozenset({"resident"}), frozenset({"another"})), fair(), "fair-2019-06-26")


# -- training --------------------------------------------------------------------------------------------

def course(seats=2) -> training.Course:
    return training.create_course(COUNSELLOR, training.NewCourse(
        "course-1", COMMUNITY, "中式面点", "顺城区职业培训学校", ("cooking.pastry",), "2019-07-08", 80, seats), NOW,
        skills.CURATED_CODES)


def seeker(seeker_id="res-liu") -> seekers.JobSeeker:
    return seekers.register(COUNSELLOR, seeker_id, COMMUNITY, seekers.Profile(
        "刘桂兰", 1966, "东区 5号楼", GeoPoint(41.88, 123.957)), NOW, skills.CURATED_CODES)


def test_an_enrolment_goes_from_sign_up_to_certificate_holding_a_seat():
    the_course = course()
    signed = training.sign_up(RESIDENT, the_course, seeker(), "enr-1", NOW, "fair-2019-06-26")
    enrolled, the_course = training.move(COUNSELLOR, signed, the_course, "enrolled", NOW)
    completed, the_course = training.move(COUNSELLOR, enrolled, the_course, "completed", NOW)
    certified, the_course = training.move(COUNSELLOR, completed, the_course, "certified", NOW)
    assert [step.status for step in certified.history] == ["signed_up", "enrolled", "completed", "certified"]
    assert the_course.seated == 1 and certified.fair_id == "fair-2019-06-26"


def test_seats_run_out_and_dropping_out_frees_one():
    the_course = course(seats=1)
    first, the_course = training.move(COUNSELLOR, training.sign_up(COUNSELLOR, the_course, seeker("a-1"), "e1", NOW),
                                      the_course, "enrolled", NOW)
    second = training.sign_up(COUNSELLOR, the_course, seeker("a-2"), "e2", NOW)
    with pytest.raises(FailedPrecondition, match="full"):
        training.move(COUNSELLOR, second, the_course, "enrolled", NOW)
    _, the_course = training.move(COUNSELLOR, first, the_course, "dropped", NOW)
    assert training.move(COUNSELLOR, second, the_course, "enrolled", NOW)[1].seated == 1


def test_a_seeker_may_drop_out_but_only_a_counsellor_certifies():
    signed = training.sign_up(RESIDENT, course(), seeker(), "enr-1", NOW)
    with pytest.raises(PermissionDenied):
        training.move(RESIDENT, signed, course(), "enrolled", NOW)
    assert training.move(RESIDENT, signed, course(), "dropped", NOW)[0].status == "dropped"
    with pytest.raises(FailedPrecondition):
        training.move(COUNSELLOR, signed, course(), "certified", NOW)


# -- the workshop ----------------------------------------------------------------------------------------

def order(quantity=1000, rate=150) -> workshop.Order:
    return workshop.take_order(COUNSELLOR, workshop.NewOrder("wo-1", COMMUNITY, "手工编织杯垫", "抚顺礼品公司", rate,
                                                             quantity, "2019-08-31"), NOW)


def handed_in(the_order, *pieces):
    records = []
    for number, (worker_id, name, made, rejected) in enumerate(pieces):
        the_order, record = workshop.record_pieces(COUNSELLOR, the_order, workshop.NewPieces(
            worker_id, name, "2019-06-25", made, rejected), f"pr-{number}", NOW)
        records.append(record)
    return the_order, records


def test_payouts_pay_accepted_pieces_at_the_rate_per_worker():
    the_order, records = handed_in(order(), ("res-liu", "刘桂兰", 120, 4), ("res-sun", "孙玉兰", 80, 0),
                                   ("res-liu", "刘桂兰", 60, 6), ("res-zhou", "周淑琴", 5, 5))
    assert the_order.accepted == 250
    completed = workshop.complete(COUNSELLOR, the_order, records, NOW)
    assert [(p.worker_id, p.pieces, p.amount_fen) for p in completed.payouts] == [
        ("res-liu", 170, 170 * 150), ("res-sun", 80, 80 * 150)]  # 周淑琴's five were all rejected: no line
    assert sum(p.amount_fen for p in completed.payouts) == 250 * 150


def test_no_more_pieces_are_accepted_than_the_order_wants():
    the_order, _ = handed_in(order(quantity=100), ("res-liu", "刘桂兰", 90, 0))
    with pytest.raises(FailedPrecondition, match="10 more pieces"):
        handed_in(the_order, ("res-sun", "孙玉兰", 12, 1))
    assert handed_in(the_order, ("res-sun", "孙玉兰", 12, 2))[0].accepted == 100


def test_pieces_are_checked_and_a_completed_order_takes_no_more():
    with pytest.raises(InvalidArgument):
        handed_in(order(), ("res-liu", "刘桂兰", 5, 6))
    completed = workshop.complete(COUNSELLOR, order(), [], NOW)
    with pytest.raises(FailedPrecondition):
        handed_in(completed, ("res-liu", "刘桂兰", 5, 0))


def test_each_payout_is_paid_once():
    the_order, records = handed_in(order(), ("res-liu", "刘桂兰", 10, 0))
    completed = workshop.complete(COUNSELLOR, the_order, records, NOW)
    paid = workshop.mark_paid(COUNSELLOR, completed, "res-liu", NOW + timedelta(days=1))
    assert paid.payouts[0].paid_by == "cn-wang"
    with pytest.raises(FailedPrecondition):
        workshop.mark_paid(COUNSELLOR, paid, "res-liu", NOW)
    with pytest.raises(NotFound):
        workshop.mark_paid(COUNSELLOR, paid, "res-nobody", NOW)


# -- figures ---------------------------------------------------------------------------------------------

def test_figures_count_the_funnel_time_to_fill_placements_per_month_and_retention():
    period = figures.period(COUNSELLOR, COMMUNITY, "2019-06", "2019-08")
    assert period.start == datetime(2019, 5, 31, 16, 0, tzinfo=timezone.utc)  # 1 June, 00:00 in Fushun
    opened = datetime(2019, 6, 26, tzinfo=timezone.utc)
    tallied = figures.tally(
        period, {"intention_expressed": 50, "referred": 30, "hired": 12},
        [(opened, opened + timedelta(days=d)) for d in (5, 9, 30)],
        [datetime(2019, 6, 30, 17, 0, tzinfo=timezone.utc), datetime(2019, 7, 3, tzinfo=timezone.utc)],
        [(3, True), (3, True), (3, False), (6, True)])
    assert dict(tallied.funnel)["intention_expressed"] == 50 and dict(tallied.funnel)["suggested"] == 0
    assert (tallied.vacancies_filled, tallied.median_days_to_fill, tallied.mean_days_to_fill) == (3, 9.0, 14.7)
    # 30 June 17:00 UTC is 1 July in Fushun.
    assert tallied.placements_per_month == (("2019-06", 0), ("2019-07", 2), ("2019-08", 0))
    assert [(r.months, r.followed_up, r.still_employed) for r in tallied.retention] == [(3, 3, 2), (6, 1, 1)]
    assert tallied.retention[0].rate == pytest.approx(2 / 3)


def test_figures_are_for_counsellors_and_at_most_two_years():
    with pytest.raises(PermissionDenied):
        figures.period(RESIDENT, COMMUNITY, "2019-06", "")
    with pytest.raises(InvalidArgument):
        figures.period(COUNSELLOR, COMMUNITY, "2019-06", "2021-07")


@pytest.mark.parametrize("month", ["0000-01", "0001-01", "9999-12"])
def test_a_month_outside_years_1000_to_9998_is_a_clear_refusal_not_a_crash(month):
    with pytest.raises(InvalidArgument) as refused:
        figures.period(COUNSELLOR, COMMUNITY, month, "")
    assert refused.value.fields["from_month"] == "a month as YYYY-MM"
