"""The employment gRPC contract, as any grpcio client sees it: `python -m services.employment.api` as its
own process over a real SecantusDB. Rankings are the worker's job; here the matcher runs in the test
process where the worker would (the worker itself is tested in tests/service)."""
import uuid
from datetime import timedelta

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from linli.employment.v1 import common_pb2 as common
from linli.employment.v1 import fairs_pb2, jobs_pb2, seekers_pb2, training_pb2, workshop_pb2
from tests.contract.employment_stack import (  # noqa: F401 (fixtures)
    community, employment, employment_channel, employment_db, employment_stack, matcher, people, resident_id,
    served_employment)

SERVICES = {"linli.employment.v1.JobService", "linli.employment.v1.SeekerService", "linli.employment.v1.FairService",
            "linli.employment.v1.TrainingService", "linli.employment.v1.WorkshopService"}
SQUARE = common.GeoPoint(latitude=41.8810, longitude=123.9570)
NEAR = common.GeoPoint(latitude=41.8920, longitude=123.9570)  # 1.2 km north of the square


def status_of(call) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code()


def draft(**changes) -> jobs_pb2.VacancyDraft:
    fields = dict(title="手工编织", skills=["handicraft.knitting", "sewing", "cooking", "cleaning"], headcount=2,
                  wage_fen=1800, wage_period=common.WAGE_PERIOD_HOUR, hours_per_week=20,
                  schedule=common.SCHEDULE_PART_TIME, address="社区工坊", position=NEAR,
                  physical_demand=common.PHYSICAL_DEMAND_LIGHT)
    return jobs_pb2.VacancyDraft(**{**fields, **changes})


def profile(**changes) -> seekers_pb2.SeekerProfile:
    fields = dict(name="刘桂兰", birth_year=1966, address="东区 5号楼", home=SQUARE,
                  skills=[seekers_pb2.SeekerSkill(code=code, years=20)
                          for code in ("handicraft.knitting", "sewing", "cooking", "farming.crops")],
                  schedules=[common.SCHEDULE_PART_TIME, common.SCHEDULE_PIECE_WORK],
                  physical_capacity=common.PHYSICAL_DEMAND_LIGHT, wage_floor_fen=150_000)
    return seekers_pb2.SeekerProfile(**{**fields, **changes})


def employer(api, md, community: str) -> jobs_pb2.Employer:
    return api.jobs.RegisterEmployer(jobs_pb2.RegisterEmployerRequest(
        id=f"emp-{uuid.uuid4().hex[:6]}", community_id=community, name="抚顺顺城手工艺品厂", user_ids=["boss-zhao"]),
        metadata=md["counsellor"]).employer


def open_vacancy(api, md, community: str, **changes) -> jobs_pb2.Vacancy:
    company = employer(api, md, community)
    created = api.jobs.CreateVacancy(jobs_pb2.CreateVacancyRequest(employer_id=company.id, draft=draft(**changes)),
                                     metadata=md["boss"]).vacancy
    return api.jobs.OpenVacancy(jobs_pb2.OpenVacancyRequest(id=created.id), metadata=md["boss"]).vacancy


def searching(api, md, community: str, **changes) -> seekers_pb2.JobSeeker:
    return api.seekers.RegisterSeeker(seekers_pb2.RegisterSeekerRequest(
        community_id=community, profile=profile(**changes), start_searching=True), metadata=md["resident"]).seeker


# -- the server ------------------------------------------------------------------------------------------

def test_the_api_reports_serving_for_each_of_its_services_and_lists_them_by_reflection(employment_channel):
    health = health_pb2_grpc.HealthStub(employment_channel)
    for name in SERVICES:
        reply = health.Check(health_pb2.HealthCheckRequest(service=name), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
    reflection = reflection_pb2_grpc.ServerReflectionStub(employment_channel)
    [answer] = reflection.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    assert SERVICES <= {service.name for service in answer.list_services_response.service}


def test_a_call_without_an_identity_is_unauthenticated(employment):
    assert status_of(lambda: employment.jobs.ListSkills(jobs_pb2.ListSkillsRequest())) == \
        grpc.StatusCode.UNAUTHENTICATED


def test_the_skill_taxonomy_lists_informal_skills_with_their_national_codes(employment, community):
    skills = employment.jobs.ListSkills(jobs_pb2.ListSkillsRequest(), metadata=people(community)["resident"]).skills
    knitting = next(skill for skill in skills if skill.code == "handicraft.knitting")
    assert knitting.informal and knitting.name_zh == "手工编织" and knitting.occupation_code == "6-09"


# -- errors ----------------------------------------------------------------------------------------------

def test_a_bad_vacancy_is_refused_with_every_bad_field_in_the_status_details(employment, community):
    md = people(community)
    company = employer(employment, md, community)
    with pytest.raises(grpc.RpcError) as raised:
        employment.jobs.CreateVacancy(jobs_pb2.CreateVacancyRequest(employer_id=company.id, draft=draft(
            title="", wage_fen=0, skills=["time_travel"])), metadata=md["boss"])
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    details = dict(raised.value.trailing_metadata())["grpc-status-details-bin"]
    bad_request = error_details_pb2.BadRequest()
    status_pb2.Status.FromString(details).details[0].Unpack(bad_request)
    assert {v.field for v in bad_request.field_violations} == {"title", "wage_fen", "skills"}


def test_someone_elses_vacancy_is_not_found(employment, community):
    md = people(community)
    company = employer(employment, md, community)
    created = employment.jobs.CreateVacancy(jobs_pb2.CreateVacancyRequest(employer_id=company.id, draft=draft()),
                                            metadata=md["boss"]).vacancy
    for who in ("other_boss", "resident", "elsewhere"):  # a draft is its employer's business
        assert status_of(lambda: employment.jobs.GetVacancy(jobs_pb2.GetVacancyRequest(id=created.id),
                                                            metadata=md[who])) == grpc.StatusCode.NOT_FOUND
    assert status_of(lambda: employment.jobs.OpenVacancy(jobs_pb2.OpenVacancyRequest(id=created.id),
                                                         metadata=md["other_boss"])) == grpc.StatusCode.NOT_FOUND
    assert status_of(lambda: employment.jobs.GetShortlist(jobs_pb2.GetShortlistRequest(vacancy_id=created.id),
                                                          metadata=md["resident"])) == grpc.StatusCode.NOT_FOUND


def test_an_open_vacancy_is_seen_but_not_changed_by_others_and_lists_are_refused_rather_than_empty(
        employment, community):
    md = people(community)
    vacancy = open_vacancy(employment, md, community)
    close = jobs_pb2.CloseVacancyRequest(id=vacancy.id)
    assert status_of(lambda: employment.jobs.CloseVacancy(close, metadata=md["other_boss"])) == \
        grpc.StatusCode.PERMISSION_DENIED  # public within the community: seen, not theirs
    assert status_of(lambda: employment.jobs.CloseVacancy(close, metadata=md["elsewhere"])) == grpc.StatusCode.NOT_FOUND
    applications = seekers_pb2.ListApplicationsRequest(vacancy_id=vacancy.id)
    assert status_of(lambda: employment.seekers.ListApplications(applications, metadata=md["other_boss"])) == \
        grpc.StatusCode.PERMISSION_DENIED
    for call, who in ((lambda m: employment.jobs.ListVacancies(jobs_pb2.ListVacanciesRequest(community_id=community),
                                                               metadata=m), "elsewhere"),
                      (lambda m: employment.seekers.ListSeekers(seekers_pb2.ListSeekersRequest(community_id=community),
                                                                metadata=m), "resident"),
                      (lambda m: employment.workshop.ListWorkshopOrders(
                          workshop_pb2.ListWorkshopOrdersRequest(community_id=community), metadata=m), "boss")):
        assert status_of(lambda: call(md[who])) == grpc.StatusCode.PERMISSION_DENIED


def test_an_illegal_transition_is_a_failed_precondition(employment, community):
    md = people(community)
    vacancy = open_vacancy(employment, md, community)
    assert status_of(lambda: employment.jobs.OpenVacancy(jobs_pb2.OpenVacancyRequest(id=vacancy.id),
                                                         metadata=md["boss"])) == grpc.StatusCode.FAILED_PRECONDITION
    searching(employment, md, community)
    application = employment.seekers.ExpressIntention(seekers_pb2.ExpressIntentionRequest(vacancy_id=vacancy.id),
                                                      metadata=md["resident"]).application
    hire_now = seekers_pb2.MoveApplicationRequest(id=application.id, status=seekers_pb2.APPLICATION_STATUS_HIRED)
    assert status_of(lambda: employment.seekers.MoveApplication(hire_now, metadata=md["boss"])) == \
        grpc.StatusCode.FAILED_PRECONDITION
    refer = seekers_pb2.MoveApplicationRequest(id=application.id, status=seekers_pb2.APPLICATION_STATUS_REFERRED)
    assert status_of(lambda: employment.seekers.MoveApplication(refer, metadata=md["resident"])) == \
        grpc.StatusCode.PERMISSION_DENIED


# -- matches and shortlists ------------------------------------------------------------------------------

def test_a_seeker_sees_their_ranked_matches_with_the_reasons_and_the_employer_its_shortlist(
        employment, community, matcher):
    md = people(community)
    vacancy = open_vacancy(employment, md, community)
    seeker = searching(employment, md, community)
    before = employment.seekers.GetMatches(seekers_pb2.GetMatchesRequest(), metadata=md["resident"])
    assert not before.up_to_date and not before.matches  # the worker has not ranked them yet

    matcher.seeker_changed(community, seeker.id)  # what the worker does on seeker.registered

    mine = employment.seekers.GetMatches(seekers_pb2.GetMatchesRequest(), metadata=md["resident"])
    assert mine.up_to_date and [m.vacancy.id for m in mine.matches] == [vacancy.id]
    assert mine.matches[0].match.summary_en == "3 of 4 skills, 1.2 km, part-time matches, your first choice"
    assert mine.matches[0].match.summary_zh == "技能 3/4，1.2 公里，兼职符合（首选）"
    shortlist = employment.jobs.GetShortlist(jobs_pb2.GetShortlistRequest(vacancy_id=vacancy.id), metadata=md["boss"])
    assert shortlist.up_to_date and [(e.seeker_name, e.match.seeker_id) for e in shortlist.entries] == \
        [("刘桂兰", resident_id(community))]
    # The seeker's floor is theirs: the employer reads that the pay fits, not how it compares with it.
    [entry] = shortlist.entries
    assert entry.match.wage_floor_fen == 0 and mine.matches[0].match.wage_floor_fen == 150_000
    assert [(r.en, r.zh) for r in entry.match.reasons if r.kind == "pay"] == \
        [("pay fits the seeker's expectations", "薪资符合求职者期望")]
    assert "floor" not in str(entry) and "期望 " not in str(entry)
    assert [r.en for r in mine.matches[0].match.reasons if r.kind == "pay"] == ["pay 4% above your floor"]
    # Someone else's matches are as good as missing.
    someone_elses = seekers_pb2.GetMatchesRequest(seeker_id=resident_id(community))
    assert status_of(lambda: employment.seekers.GetMatches(someone_elses, metadata=md["neighbour"])) == \
        grpc.StatusCode.NOT_FOUND


def test_after_a_profile_change_the_matches_say_they_are_not_up_to_date_until_ranked_again(
        employment, community, matcher):
    md = people(community)
    open_vacancy(employment, md, community)
    seeker = searching(employment, md, community)
    matcher.seeker_changed(community, seeker.id)
    employment.seekers.UpdateSeekerProfile(seekers_pb2.UpdateSeekerProfileRequest(profile=profile(max_commute_m=500)),
                                           metadata=md["resident"])
    stale = employment.seekers.GetMatches(seekers_pb2.GetMatchesRequest(), metadata=md["resident"])
    assert not stale.up_to_date
    matcher.seeker_changed(community, seeker.id)
    fresh = employment.seekers.GetMatches(seekers_pb2.GetMatchesRequest(), metadata=md["resident"])
    assert fresh.up_to_date and not fresh.matches  # 1.2 km is beyond their new 500 m


# -- the hire --------------------------------------------------------------------------------------------

def test_a_hire_fills_a_place_places_the_seeker_starts_a_placement_and_publishes_it_all(
        employment, community, employment_db):
    md = people(community)
    vacancy = open_vacancy(employment, md, community, headcount=1)
    searching(employment, md, community)
    application = employment.seekers.ExpressIntention(seekers_pb2.ExpressIntentionRequest(vacancy_id=vacancy.id),
                                                      metadata=md["resident"]).application
    for status, who in ((seekers_pb2.APPLICATION_STATUS_REFERRED, "counsellor"),
                        (seekers_pb2.APPLICATION_STATUS_OFFER, "boss")):
        employment.seekers.MoveApplication(seekers_pb2.MoveApplicationRequest(id=application.id, status=status),
                                           metadata=md[who])
    hired = employment.seekers.MoveApplication(seekers_pb2.MoveApplicationRequest(
        id=application.id, status=seekers_pb2.APPLICATION_STATUS_HIRED), metadata=md["boss"])
    assert hired.application.status == seekers_pb2.APPLICATION_STATUS_HIRED
    assert [f.months for f in hired.placement.follow_ups] == [3, 6]
    filled = employment.jobs.GetVacancy(jobs_pb2.GetVacancyRequest(id=vacancy.id), metadata=md["boss"]).vacancy
    assert filled.status == jobs_pb2.VACANCY_STATUS_FILLED and filled.hired == 1
    me = employment.seekers.GetSeeker(seekers_pb2.GetSeekerRequest(), metadata=md["resident"]).seeker
    assert me.status == seekers_pb2.SEEKER_STATUS_PLACED
    published = [doc["routing_key"] for doc in employment_db["outbox"].find({"body.community_id": community})]
    assert {"vacancy.opened", "seeker.registered", "application.intention_expressed", "application.referred",
            "application.offer", "application.hired", "vacancy.filled", "seeker.status_changed",
            "placement.started"} <= set(published)
    # The profile stays home: seeker events say who and what status, never the person's details.
    event = employment_db["outbox"].find_one({"body.community_id": community, "routing_key": "seeker.registered"})
    assert set(event["body"]["data"]) == {"seeker_id", "community_id", "status", "version"}


def test_follow_ups_are_recorded_at_3_and_6_months(served_employment, community):
    api, clock = served_employment
    md = people(community)
    vacancy = open_vacancy(api, md, community)
    searching(api, md, community)
    application = api.seekers.ExpressIntention(seekers_pb2.ExpressIntentionRequest(vacancy_id=vacancy.id),
                                               metadata=md["resident"]).application
    api.seekers.MoveApplication(seekers_pb2.MoveApplicationRequest(
        id=application.id, status=seekers_pb2.APPLICATION_STATUS_REFERRED), metadata=md["counsellor"])
    api.seekers.MoveApplication(seekers_pb2.MoveApplicationRequest(
        id=application.id, status=seekers_pb2.APPLICATION_STATUS_OFFER), metadata=md["boss"])
    placement = api.seekers.MoveApplication(seekers_pb2.MoveApplicationRequest(
        id=application.id, status=seekers_pb2.APPLICATION_STATUS_HIRED), metadata=md["counsellor"]).placement
    follow_up = seekers_pb2.RecordFollowUpRequest(placement_id=placement.id, months=3, still_employed=True)
    assert status_of(lambda: api.seekers.RecordFollowUp(follow_up, metadata=md["counsellor"])) == \
        grpc.StatusCode.FAILED_PRECONDITION  # not due for three months
    clock.now += timedelta(days=90)
    due = api.seekers.ListPlacements(seekers_pb2.ListPlacementsRequest(
        community_id=community, follow_up_due_by="2026-09-30"), metadata=md["counsellor"]).placements
    assert [p.id for p in due] == [placement.id]
    recorded = api.seekers.RecordFollowUp(follow_up, metadata=md["counsellor"]).placement
    assert recorded.follow_ups[0].still_employed and recorded.follow_ups[0].HasField("recorded_at")
    me = api.seekers.GetSeeker(seekers_pb2.GetSeekerRequest(), metadata=md["resident"]).seeker
    assert me.status == seekers_pb2.SEEKER_STATUS_FOLLOWED_UP
    figures = api.jobs.GetEmploymentFigures(jobs_pb2.GetEmploymentFiguresRequest(
        community_id=community, from_month="2026-06", to_month="2026-09"), metadata=md["counsellor"])
    assert {s.status: s.applications for s in figures.funnel}["hired"] == 1
    assert [(r.months, r.followed_up, r.still_employed) for r in figures.retention] == [(3, 1, 1), (6, 0, 0)]
    assert dict((m.month, m.placements) for m in figures.placements_per_month)["2026-06"] == 1


# -- bulk import, fairs, training, the workshop ----------------------------------------------------------

def test_an_import_takes_every_row_or_none_and_a_retry_returns_the_first_import(employment, community):
    md = people(community)
    company = employer(employment, md, community)
    rows = [jobs_pb2.ImportedVacancy(employer_id=company.id, draft=draft(title=f"岗位 {i}")) for i in range(3)]
    bad = rows + [jobs_pb2.ImportedVacancy(employer_id="emp-nobody", draft=draft())]
    assert status_of(lambda: employment.jobs.ImportVacancies(jobs_pb2.ImportVacanciesRequest(
        community_id=community, vacancies=bad, import_id=f"imp-{community}"), metadata=md["counsellor"])) == \
        grpc.StatusCode.INVALID_ARGUMENT
    first = employment.jobs.ImportVacancies(jobs_pb2.ImportVacanciesRequest(
        community_id=community, vacancies=rows, import_id=f"imp-{community}"), metadata=md["counsellor"])
    again = employment.jobs.ImportVacancies(jobs_pb2.ImportVacanciesRequest(
        community_id=community, vacancies=rows, import_id=f"imp-{community}"), metadata=md["counsellor"])
    assert len(first.vacancies) == 3 and sorted(v.id for v in again.vacancies) == sorted(v.id for v in first.vacancies)
    assert {v.status for v in first.vacancies} == {jobs_pb2.VACANCY_STATUS_OPEN}


def test_a_fair_records_what_happened_and_reports_it(employment, community):
    md = people(community)
    fair = employment.fairs.PlanFair(fairs_pb2.PlanFairRequest(
        id=f"fair-{community}", community_id=community, title="就业服务进社区", day="2026-06-26",
        venue="东华园社区扇形广场"), metadata=md["counsellor"]).fair
    companies = [employer(employment, md, community) for _ in range(2)]
    for company in companies:
        employment.fairs.AddFairCompany(fairs_pb2.AddFairCompanyRequest(fair_id=fair.id, employer_id=company.id),
                                        metadata=md["counsellor"])
    posts = employment.jobs.ImportVacancies(jobs_pb2.ImportVacanciesRequest(
        community_id=community, fair_id=fair.id, vacancies=[
            jobs_pb2.ImportedVacancy(employer_id=companies[0].id, draft=draft(headcount=8)),
            jobs_pb2.ImportedVacancy(employer_id=companies[1].id, draft=draft(headcount=4, title="包装工"))]),
        metadata=md["counsellor"]).vacancies
    searching(employment, md, community)
    for post in posts:  # one person, two intentions: one hiring intention in the report
        employment.seekers.ExpressIntention(seekers_pb2.ExpressIntentionRequest(
            seeker_id=resident_id(community), vacancy_id=post.id, fair_id=fair.id), metadata=md["counsellor"])
    course = employment.training.CreateCourse(training_pb2.CreateCourseRequest(
        id=f"course-{community}", community_id=community, title="中式面点", provider="顺城区职业培训学校",
        skills=["cooking.pastry"], starts_on="2026-07-06", hours=80, seats=20), metadata=md["counsellor"]).course
    employment.training.SignUpForCourse(training_pb2.SignUpForCourseRequest(
        course_id=course.id, seeker_id=resident_id(community), fair_id=fair.id), metadata=md["counsellor"])
    for topic in (fairs_pb2.CONSULTATION_TOPIC_POLICY, fairs_pb2.CONSULTATION_TOPIC_POLICY,
                  fairs_pb2.CONSULTATION_TOPIC_JOB):
        employment.fairs.RecordConsultation(fairs_pb2.RecordConsultationRequest(
            fair_id=fair.id, topic=topic, question="灵活就业人员怎么交社保？"), metadata=md["counsellor"])
    for title, copies in (("就业指南与政策", 30), ("农民就业100问", 25), ("就业指南与政策", 5)):
        employment.fairs.RecordLeaflets(fairs_pb2.RecordLeafletsRequest(fair_id=fair.id, title=title, copies=copies),
                                        metadata=md["counsellor"])
    closed = employment.fairs.CloseFair(fairs_pb2.CloseFairRequest(id=fair.id), metadata=md["counsellor"])
    report = closed.report
    assert (report.companies, report.vacancies, report.posts, report.hiring_intentions, report.training_sign_ups,
            report.policy_questions_answered, report.consultations, report.leaflet_titles, report.leaflet_copies) == \
        (2, 2, 12, 1, 1, 2, 3, 2, 60)
    assert employment.fairs.GetFairReport(fairs_pb2.GetFairReportRequest(fair_id=fair.id),
                                          metadata=md["resident"]).report == report
    assert status_of(lambda: employment.fairs.RecordLeaflets(fairs_pb2.RecordLeafletsRequest(
        fair_id=fair.id, title="x", copies=1), metadata=md["counsellor"])) == grpc.StatusCode.FAILED_PRECONDITION


def test_a_certified_course_adds_its_skills_to_the_seekers_profile(employment, community):
    md = people(community)
    searching(employment, md, community)
    course = employment.training.CreateCourse(training_pb2.CreateCourseRequest(
        id=f"course-{community}", community_id=community, title="养老护理员", provider="抚顺市职业技能鉴定中心",
        skills=["caring.elderly"], starts_on="2026-07-06", hours=120, seats=1), metadata=md["counsellor"]).course
    enrolment = employment.training.SignUpForCourse(training_pb2.SignUpForCourseRequest(course_id=course.id),
                                                    metadata=md["resident"]).enrolment
    for status in (training_pb2.ENROLMENT_STATUS_ENROLLED, training_pb2.ENROLMENT_STATUS_COMPLETED,
                   training_pb2.ENROLMENT_STATUS_CERTIFIED):
        enrolment = employment.training.MoveEnrolment(training_pb2.MoveEnrolmentRequest(
            id=enrolment.id, status=status), metadata=md["counsellor"]).enrolment
    me = employment.seekers.GetSeeker(seekers_pb2.GetSeekerRequest(), metadata=md["resident"]).seeker
    assert "caring.elderly" in {skill.code for skill in me.skills}


def test_the_workshop_pays_accepted_pieces_at_the_rate(employment, community):
    md = people(community)
    order = employment.workshop.TakeWorkshopOrder(workshop_pb2.TakeWorkshopOrderRequest(
        id=f"wo-{community}", community_id=community, product="手工编织杯垫", client="抚顺礼品公司",
        piece_rate_fen=150, quantity=300, due_on="2026-08-31"), metadata=md["counsellor"]).order
    for worker, name, made, rejected in (("res-liu", "刘桂兰", 120, 4), ("res-sun", "孙玉兰", 80, 0),
                                         ("res-liu", "刘桂兰", 60, 6)):
        employment.workshop.RecordPieces(workshop_pb2.RecordPiecesRequest(
            order_id=order.id, worker_id=worker, worker_name=name, day="2026-06-25", made=made, rejected=rejected),
            metadata=md["counsellor"])
    too_many = workshop_pb2.RecordPiecesRequest(order_id=order.id, worker_id="res-sun", worker_name="孙玉兰",
                                                day="2026-06-25", made=60)
    assert status_of(lambda: employment.workshop.RecordPieces(too_many, metadata=md["counsellor"])) == \
        grpc.StatusCode.FAILED_PRECONDITION  # 250 accepted of 300 wanted: 60 more is too many
    completed = employment.workshop.CompleteWorkshopOrder(workshop_pb2.CompleteWorkshopOrderRequest(id=order.id),
                                                          metadata=md["counsellor"]).order
    assert [(p.worker_id, p.pieces, p.amount_fen) for p in completed.payouts] == [("res-liu", 170, 25_500),
                                                                                  ("res-sun", 80, 12_000)]
    paid = employment.workshop.MarkPayoutPaid(workshop_pb2.MarkPayoutPaidRequest(order_id=order.id,
                                                                                 worker_id="res-sun"),
                                              metadata=md["counsellor"]).order
    assert [p.HasField("paid_at") for p in paid.payouts] == [False, True]
    assert status_of(lambda: employment.workshop.GetWorkshopOrder(workshop_pb2.GetWorkshopOrderRequest(id=order.id),
                                                                  metadata=md["resident"])) == grpc.StatusCode.NOT_FOUND


def test_a_resident_sees_the_workshop_orders_they_worked_on_with_their_own_pieces_and_pay_only(
        employment, community):
    md = people(community)
    me, neighbour = resident_id(community), f"res-sun.{community}"
    order = employment.workshop.TakeWorkshopOrder(workshop_pb2.TakeWorkshopOrderRequest(
        id=f"wo-mine-{community}", community_id=community, product="手工编织杯垫", client="抚顺礼品公司",
        piece_rate_fen=150, quantity=300, due_on="2026-08-31"), metadata=md["counsellor"]).order
    others = employment.workshop.TakeWorkshopOrder(workshop_pb2.TakeWorkshopOrderRequest(
        id=f"wo-theirs-{community}", community_id=community, product="剪纸", client="抚顺礼品公司",
        piece_rate_fen=300, quantity=100, due_on="2026-08-31"), metadata=md["counsellor"]).order
    for order_id, worker, name, made in ((order.id, me, "刘桂兰", 120), (order.id, neighbour, "孙玉兰", 80),
                                         (others.id, neighbour, "孙玉兰", 30)):
        employment.workshop.RecordPieces(workshop_pb2.RecordPiecesRequest(
            order_id=order_id, worker_id=worker, worker_name=name, day="2026-06-25", made=made, rejected=4),
            metadata=md["counsellor"])
    employment.workshop.CompleteWorkshopOrder(workshop_pb2.CompleteWorkshopOrderRequest(id=order.id),
                                              metadata=md["counsellor"])

    mine = employment.workshop.GetWorkshopOrder(workshop_pb2.GetWorkshopOrderRequest(id=order.id),
                                                metadata=md["resident"]).order
    assert [(p.worker_id, p.pieces, p.amount_fen, p.HasField("paid_at")) for p in mine.payouts] == \
        [(me, 116, 17_400, False)]  # what I am owed, not what my neighbour earned
    pieces = employment.workshop.ListPieceRecords(workshop_pb2.ListPieceRecordsRequest(order_id=order.id),
                                                  metadata=md["resident"]).records
    assert [(r.worker_id, r.made, r.rejected) for r in pieces] == [(me, 120, 4)]
    for listed in (employment.workshop.ListWorkshopOrders(workshop_pb2.ListWorkshopOrdersRequest(
                       community_id=community), metadata=md["resident"]),
                   employment.workshop.ListWorkshopOrders(workshop_pb2.ListWorkshopOrdersRequest(),
                                                          metadata=md["resident"])):
        assert [(o.id, [p.worker_id for p in o.payouts]) for o in listed.orders] == [(order.id, [me])]
    # An order I never worked on is as good as missing; the counsellor still sees everyone's.
    assert status_of(lambda: employment.workshop.GetWorkshopOrder(workshop_pb2.GetWorkshopOrderRequest(id=others.id),
                                                                  metadata=md["resident"])) == grpc.StatusCode.NOT_FOUND
    assert status_of(lambda: employment.workshop.ListPieceRecords(workshop_pb2.ListPieceRecordsRequest(
        order_id=others.id), metadata=md["resident"])) == grpc.StatusCode.NOT_FOUND
    whole = employment.workshop.GetWorkshopOrder(workshop_pb2.GetWorkshopOrderRequest(id=order.id),
                                                 metadata=md["counsellor"]).order
    assert [p.worker_id for p in whole.payouts] == [me, neighbour]
    # Seeing is not changing: recording, completing and paying stay the counsellors'.
    assert status_of(lambda: employment.workshop.MarkPayoutPaid(workshop_pb2.MarkPayoutPaidRequest(
        order_id=order.id, worker_id=me), metadata=md["resident"])) == grpc.StatusCode.NOT_FOUND


def test_own_enrolments_are_a_job_seekers_like_their_profile_and_matches(employment, community):
    md = people(community)
    for call in (lambda: employment.training.ListEnrolments(training_pb2.ListEnrolmentsRequest(), metadata=md["boss"]),
                 lambda: employment.seekers.GetSeeker(seekers_pb2.GetSeekerRequest(), metadata=md["boss"]),
                 lambda: employment.seekers.GetMatches(seekers_pb2.GetMatchesRequest(), metadata=md["boss"])):
        assert status_of(call) == grpc.StatusCode.NOT_FOUND  # no job seeker: nothing of theirs to list
    searching(employment, md, community)
    assert not employment.training.ListEnrolments(training_pb2.ListEnrolmentsRequest(),
                                                  metadata=md["resident"]).enrolments


def test_a_hire_recorded_afterwards_starts_its_placement_on_the_day_work_began(served_employment, community):
    api, clock = served_employment
    md = people(community)
    vacancy = open_vacancy(api, md, community, headcount=3)
    searching(api, md, community)
    application = api.seekers.ExpressIntention(seekers_pb2.ExpressIntentionRequest(vacancy_id=vacancy.id),
                                               metadata=md["resident"]).application
    for status in (seekers_pb2.APPLICATION_STATUS_REFERRED, seekers_pb2.APPLICATION_STATUS_OFFER):
        api.seekers.MoveApplication(seekers_pb2.MoveApplicationRequest(id=application.id, status=status),
                                    metadata=md["counsellor"])
    today = clock.now.date()  # 26 June, 09:00 in Fushun
    for started_on in ((today + timedelta(days=1)).isoformat(), (today - timedelta(days=400)).isoformat(), "26/06"):
        assert status_of(lambda: api.seekers.MoveApplication(seekers_pb2.MoveApplicationRequest(
            id=application.id, status=seekers_pb2.APPLICATION_STATUS_HIRED, started_on=started_on),
            metadata=md["counsellor"])) == grpc.StatusCode.INVALID_ARGUMENT, started_on
    placement = api.seekers.MoveApplication(seekers_pb2.MoveApplicationRequest(
        id=application.id, status=seekers_pb2.APPLICATION_STATUS_HIRED, started_on="2026-03-20"),
        metadata=md["counsellor"]).placement
    assert placement.started_on == "2026-03-20"
    assert [(f.months, f.due_on) for f in placement.follow_ups] == [(3, "2026-06-20"), (6, "2026-09-20")]
    # Due six days ago: the counsellor records it now, without waiting for the calendar.
    recorded = api.seekers.RecordFollowUp(seekers_pb2.RecordFollowUpRequest(
        placement_id=placement.id, months=3, still_employed=True), metadata=md["counsellor"]).placement
    assert recorded.follow_ups[0].HasField("recorded_at")
    figures = api.jobs.GetEmploymentFigures(jobs_pb2.GetEmploymentFiguresRequest(
        community_id=community, from_month="2026-03", to_month="2026-06"), metadata=md["counsellor"])
    assert dict((m.month, m.placements) for m in figures.placements_per_month)["2026-03"] == 1
