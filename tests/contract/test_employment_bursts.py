"""Employment's rules that depend on other records, under a burst of concurrent calls to the api process:
one application per seeker and vacancy, one enrolment per seeker and course, a course's seats, a workshop
order's quantity, a vacancy's places. Each burst is the same calls at once from their own threads, as
double taps, retries of several clients or two counsellors at once would send them; the rule must hold
exactly as it does one call at a time (the losers are refused with a status saying why)."""
from concurrent.futures import ThreadPoolExecutor

import grpc

from linli.employment.v1 import seekers_pb2, training_pb2, workshop_pb2
from tests.contract.employment_stack import (  # noqa: F401 (fixtures)
    community, employment, employment_channel, employment_db, employment_stack, people)
from tests.contract.test_employment_api import open_vacancy, profile, searching

BURST = 8


def burst(*calls) -> list:
    """Every call at once, from its own thread: each one's response, or its status code when refused."""
    def outcome(call):
        try:
            return call()
        except grpc.RpcError as error:
            return error.code()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(outcome, calls))


def answered(outcomes: list) -> int:
    return sum(not isinstance(o, grpc.StatusCode) for o in outcomes)


def seekers_of(api, md, community: str, count: int) -> list[str]:
    """Searching job seekers registered by the counsellor."""
    return [api.seekers.RegisterSeeker(seekers_pb2.RegisterSeekerRequest(
        id=f"res-{n}.{community}", community_id=community, profile=profile(name=f"居民{n}"), start_searching=True),
        metadata=md["counsellor"]).seeker.id for n in range(count)]


def test_one_seeker_wanting_one_job_in_a_burst_has_one_application(employment, community, employment_db):
    md = people(community)
    vacancy = open_vacancy(employment, md, community)
    searching(employment, md, community)
    want = seekers_pb2.ExpressIntentionRequest(vacancy_id=vacancy.id)
    outcomes = burst(*[lambda: employment.seekers.ExpressIntention(want, metadata=md["resident"])] * BURST)
    # The others are told what one call after the first is told: the application exists already.
    assert answered(outcomes) == 1 and outcomes.count(grpc.StatusCode.FAILED_PRECONDITION) == BURST - 1
    assert employment_db["applications"].count_documents({"vacancy_id": vacancy.id}) == 1


def test_one_seeker_signing_up_for_one_course_in_a_burst_has_one_enrolment(employment, community, employment_db):
    md = people(community)
    course = employment.training.CreateCourse(training_pb2.CreateCourseRequest(
        id=f"course-{community}", community_id=community, title="中式面点", provider="顺城区职业培训学校",
        starts_on="2026-07-06", hours=80, seats=20), metadata=md["counsellor"]).course
    searching(employment, md, community)
    sign_up = training_pb2.SignUpForCourseRequest(course_id=course.id)
    outcomes = burst(*[lambda: employment.training.SignUpForCourse(sign_up, metadata=md["resident"])] * BURST)
    assert answered(outcomes) == 1 and outcomes.count(grpc.StatusCode.ALREADY_EXISTS) == BURST - 1
    assert employment_db["enrolments"].count_documents({"course_id": course.id}) == 1


def test_enrolling_a_burst_of_seekers_fills_a_course_to_its_seats_and_no_further(employment, community, employment_db):
    md = people(community)
    course = employment.training.CreateCourse(training_pb2.CreateCourseRequest(
        id=f"course-{community}", community_id=community, title="养老护理员", provider="抚顺市职业技能鉴定中心",
        starts_on="2026-07-06", hours=120, seats=3), metadata=md["counsellor"]).course
    enrolments = [employment.training.SignUpForCourse(training_pb2.SignUpForCourseRequest(
        course_id=course.id, seeker_id=seeker), metadata=md["counsellor"]).enrolment.id
        for seeker in seekers_of(employment, md, community, BURST)]
    outcomes = burst(*[lambda e=e: employment.training.MoveEnrolment(training_pb2.MoveEnrolmentRequest(
        id=e, status=training_pb2.ENROLMENT_STATUS_ENROLLED), metadata=md["counsellor"]) for e in enrolments])
    enrolled = employment_db["enrolments"].count_documents({"course_id": course.id, "status": "enrolled"})
    assert enrolled <= 3 and employment_db["courses"].find_one({"_id": course.id})["seated"] == enrolled
    assert answered(outcomes) == enrolled
    # The ones refused were refused for a reason a counsellor can act on (full, or read again and retry).
    assert {o for o in outcomes if isinstance(o, grpc.StatusCode)} <= \
        {grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.ABORTED}


def test_a_burst_of_piece_records_never_takes_more_pieces_than_the_order_wants(employment, community, employment_db):
    md = people(community)
    order = employment.workshop.TakeWorkshopOrder(workshop_pb2.TakeWorkshopOrderRequest(
        id=f"wo-{community}", community_id=community, product="手工编织杯垫", client="抚顺礼品公司",
        piece_rate_fen=150, quantity=100, due_on="2026-08-31"), metadata=md["counsellor"]).order
    outcomes = burst(*[lambda n=n: employment.workshop.RecordPieces(workshop_pb2.RecordPiecesRequest(
        order_id=order.id, worker_id=f"res-{n}", worker_name=f"居民{n}", day="2026-06-25", made=30),
        metadata=md["counsellor"]) for n in range(BURST)])
    saved = employment_db["workshop_orders"].find_one({"_id": order.id})
    records = list(employment_db["piece_records"].find({"order_id": order.id}))
    assert saved["accepted"] == sum(r["made"] - r["rejected"] for r in records) <= 100
    assert answered(outcomes) == len(records)


def test_hiring_a_burst_of_seekers_for_one_place_hires_one(employment, community, employment_db):
    md = people(community)
    vacancy = open_vacancy(employment, md, community, headcount=1)
    applications = []
    for seeker in seekers_of(employment, md, community, 4):
        application = employment.seekers.ExpressIntention(seekers_pb2.ExpressIntentionRequest(
            seeker_id=seeker, vacancy_id=vacancy.id), metadata=md["counsellor"]).application
        for status in (seekers_pb2.APPLICATION_STATUS_REFERRED, seekers_pb2.APPLICATION_STATUS_OFFER):
            employment.seekers.MoveApplication(seekers_pb2.MoveApplicationRequest(id=application.id, status=status),
                                               metadata=md["counsellor"])
        applications.append(application.id)
    outcomes = burst(*[lambda a=a: employment.seekers.MoveApplication(seekers_pb2.MoveApplicationRequest(
        id=a, status=seekers_pb2.APPLICATION_STATUS_HIRED), metadata=md["boss"]) for a in applications])
    assert answered(outcomes) == 1
    assert employment_db["placements"].count_documents({"vacancy_id": vacancy.id}) == 1
    assert employment_db["vacancies"].find_one({"_id": vacancy.id})["hired"] == 1
