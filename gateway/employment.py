"""REST resources over the employment gRPC api: skills, employers and vacancies (with bulk import and
shortlists), job seekers with their matches, applications, placements and follow-ups, job fairs and
their reports, training courses and enrolments, the community workshop, and the figures.

Who may do what is the api's decision (services/employment/domain); these routes check the shape of the
input and map gRPC errors to problems. Representations follow the proto messages field for field:
snake_case, enums as short lower-case names ("part_time"), money as integer fen, times as RFC 3339 UTC,
null when unset. Their response models are generated from the proto descriptors, so the OpenAPI
document and the api never drift apart.
"""
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from gateway import common, protojson
from gateway.models import (ID_PATTERN, LARGEST_WHOLE_NUMBER, OPTIONAL_ID_PATTERN, Day, GeoPointIn, Id, IdQuery,
                            OptionalDayQuery, PageSize, PageToken, WholeNumber, whole_number)
from gateway.protojson import short_names
from gateway.routes import Param, Route, install
from linli.employment.v1 import common_pb2, fairs_pb2, jobs_pb2, seekers_pb2, training_pb2, workshop_pb2
from linli.employment.v1 import fairs_pb2_grpc, jobs_pb2_grpc, seekers_pb2_grpc, training_pb2_grpc, workshop_pb2_grpc
from linli.kit import grpc_client

router = APIRouter(tags=["employment"])


class EmploymentStubs:
    """The employment api's five services on one channel (grpc.aio multiplexes every call over it)."""

    def __init__(self, address: str):
        self.channel = grpc_client.aio_insecure_channel(address)
        self.jobs = jobs_pb2_grpc.JobServiceStub(self.channel)
        self.seekers = seekers_pb2_grpc.SeekerServiceStub(self.channel)
        self.fairs = fairs_pb2_grpc.FairServiceStub(self.channel)
        self.training = training_pb2_grpc.TrainingServiceStub(self.channel)
        self.workshop = workshop_pb2_grpc.WorkshopServiceStub(self.channel)

    async def close(self) -> None:
        await self.channel.close(grace=1)


# -- proto ↔ REST: the gateway's one converter (gateway/protojson.py) ----------------------------------

to_rest, from_rest = protojson.to_json, protojson.from_json


def model(message_type) -> type[BaseModel]:
    """The REST representation of a proto message, published as Employment<Message>."""
    return protojson.rest_model(message_type.DESCRIPTOR, "Employment")


def page_model(message_type) -> type[BaseModel]:
    return protojson.page_model(message_type.DESCRIPTOR, "Employment")


def page(items, token: str) -> dict:
    return common.page([to_rest(item) for item in items], token)


# -- input -----------------------------------------------------------------------------------------------
# The api validates again; these keep plainly bad input from reaching it, with field-level problems.

MONTH = r"^[1-9]\d{3}-(0[1-9]|1[0-2])$"  # services/employment/domain/common.py: MONTH_PATTERN
Schedule = Literal[short_names(common_pb2.Schedule.DESCRIPTOR)]
Demand = Literal[short_names(common_pb2.PhysicalDemand.DESCRIPTOR)]
WagePeriod = Literal[short_names(common_pb2.WagePeriod.DESCRIPTOR)]
VacancyStatus = Literal[short_names(jobs_pb2.VacancyStatus.DESCRIPTOR)]
SeekerStatus = Literal[short_names(seekers_pb2.SeekerStatus.DESCRIPTOR)]
ApplicationStatus = Literal[short_names(seekers_pb2.ApplicationStatus.DESCRIPTOR)]
EnrolmentStatus = Literal[short_names(training_pb2.EnrolmentStatus.DESCRIPTOR)]
Topic = Literal[short_names(fairs_pb2.ConsultationTopic.DESCRIPTOR)]
Fen = whole_number(ge=0, le=LARGEST_WHOLE_NUMBER, description="fen (1 yuan = 100 fen); a fraction is refused")
PieceRateFen = whole_number(ge=1, le=100_000, description="fen (1 yuan = 100 fen) per accepted piece")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SkillIn(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,30}(\.[a-z0-9_]{1,30}){0,2}$", examples=["handicraft.pottery"])
    name_zh: str = Field(min_length=1, max_length=40, examples=["陶艺"])
    name_en: str = Field(min_length=1, max_length=40, examples=["pottery"])
    group: Literal["agriculture", "handicraft", "food", "care", "cleaning", "construction", "manufacturing",
                   "logistics", "retail", "security", "office", "repair"] = Field(examples=["handicraft"])
    occupation_code: str = Field(pattern=r"^[1-8](-\d{2}){1,3}$", examples=["6-09"])
    informal: bool = False


class EmployerIn(Strict):
    id: str = Field(pattern=ID_PATTERN)
    community_id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, max_length=100, examples=["抚顺华丰服装有限公司"])
    contact_name: str = Field("", max_length=100)
    phone: str = Field("", max_length=100)
    address: str = Field("", max_length=100)
    user_ids: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(default_factory=list, max_length=20)


class VacancyDraftIn(Strict):
    title: str = Field(min_length=1, max_length=100, examples=["缝纫工"])
    description: str = Field("", max_length=1000)
    skills: list[str] = Field(default_factory=list, max_length=8, examples=[["sewing"]])
    headcount: WholeNumber = Field(1, ge=1, le=1000)
    wage_fen: Fen = Field(examples=[320000])
    wage_period: WagePeriod
    hours_per_week: WholeNumber = Field(ge=1, le=84, examples=[40])
    monthly_pay_fen: Fen = 0
    schedule: Schedule
    address: str = Field(min_length=1, max_length=100)
    position: GeoPointIn
    physical_demand: Demand
    training_offered: bool = False
    starts_on: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$")
    open_days: WholeNumber = Field(0, ge=0, le=180)


class VacancyIn(VacancyDraftIn):
    employer_id: str = Field(pattern=ID_PATTERN)
    fair_id: str = Field("", pattern=OPTIONAL_ID_PATTERN)


class ImportedVacancyIn(VacancyDraftIn):
    employer_id: str = Field(pattern=ID_PATTERN)


class ImportIn(Strict):
    community_id: str = Field(pattern=ID_PATTERN)
    fair_id: str = Field("", pattern=OPTIONAL_ID_PATTERN)
    vacancies: list[ImportedVacancyIn] = Field(min_length=1, max_length=500)


class EmploymentReasonIn(Strict):
    reason: str = Field("", max_length=500)


class SeekerSkillIn(Strict):
    code: str = Field(min_length=1, max_length=94)
    years: WholeNumber = Field(0, ge=0, le=80)


class SeekerProfileIn(Strict):
    name: str = Field(min_length=1, max_length=100, examples=["刘桂兰"])
    birth_year: WholeNumber = Field(ge=1900, le=2100, description="only for the legal working age check")
    address: str = Field(min_length=1, max_length=100, examples=["东区 5号楼"])
    home: GeoPointIn
    phone: str = Field("", max_length=40)
    skills: list[SeekerSkillIn] = Field(default_factory=list, max_length=20)
    experience: list[str] = Field(default_factory=list, max_length=10)
    schedules: list[Schedule] = Field(default_factory=lambda: ["full_time"], min_length=1, max_length=4)
    max_commute_m: WholeNumber = Field(0, ge=0, le=100_000)
    wage_floor_fen: Fen = 0
    physical_capacity: Demand = "moderate"
    available_from: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$")


class SeekerIn(Strict):
    id: str = Field("", pattern=OPTIONAL_ID_PATTERN, description="the resident's user id; empty: your own")
    community_id: str = Field(pattern=ID_PATTERN)
    profile: SeekerProfileIn
    start_searching: bool = True


class SuggestionIn(Strict):
    seeker_id: str = Field(pattern=ID_PATTERN)
    vacancy_id: str = Field(pattern=ID_PATTERN)
    note: str = Field("", max_length=500)


class IntentionIn(Strict):
    vacancy_id: str = Field(pattern=ID_PATTERN)
    seeker_id: str = Field("", pattern=OPTIONAL_ID_PATTERN, description="empty: your own")
    fair_id: str = Field("", pattern=OPTIONAL_ID_PATTERN)
    note: str = Field("", max_length=500)


class ApplicationStatusIn(Strict):
    status: ApplicationStatus
    note: str = Field("", max_length=500)
    interview_at: AwareDatetime | None = None
    started_on: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$",
                            description="For hired, recorded afterwards: the day the person started work "
                                        "(YYYY-MM-DD, within the last year); the follow-ups count from it. "
                                        "Empty: today.")


class FollowUpIn(Strict):
    months: Literal[3, 6]
    still_employed: bool
    note: str = Field("", max_length=500)


class FairIn(Strict):
    id: str = Field(pattern=ID_PATTERN)
    community_id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1, max_length=100, examples=["就业服务进社区"])
    day: Day
    venue: str = Field(min_length=1, max_length=100)


class FairCompanyIn(Strict):
    employer_id: str = Field(pattern=ID_PATTERN)
    booth: str = Field("", max_length=100)


class ConsultationIn(Strict):
    topic: Topic
    question: str = Field("", max_length=500)
    seeker_id: str = Field("", pattern=OPTIONAL_ID_PATTERN)


class LeafletsIn(Strict):
    title: str = Field(min_length=1, max_length=100, examples=["农民就业100问"])
    copies: WholeNumber = Field(ge=1, le=100_000)


class CourseIn(Strict):
    id: str = Field(pattern=ID_PATTERN)
    community_id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1, max_length=100)
    provider: str = Field(min_length=1, max_length=100)
    skills: list[str] = Field(default_factory=list, max_length=8)
    starts_on: Day
    hours: WholeNumber = Field(ge=1, le=2000)
    seats: WholeNumber = Field(ge=1, le=500)


class TrainingSignUpIn(Strict):
    seeker_id: str = Field("", pattern=OPTIONAL_ID_PATTERN, description="empty: your own")
    fair_id: str = Field("", pattern=OPTIONAL_ID_PATTERN)


class EnrolmentStatusIn(Strict):
    status: EnrolmentStatus
    note: str = Field("", max_length=500)


class WorkshopOrderIn(Strict):
    id: str = Field(pattern=ID_PATTERN)
    community_id: str = Field(pattern=ID_PATTERN)
    product: str = Field(min_length=1, max_length=100, examples=["手工编织杯垫"])
    client: str = Field(min_length=1, max_length=100)
    piece_rate_fen: PieceRateFen = Field(examples=[150])
    quantity: WholeNumber = Field(ge=1, le=1_000_000)
    due_on: Day


class PiecesIn(Strict):
    worker_id: str = Field(pattern=ID_PATTERN)
    worker_name: str = Field(min_length=1, max_length=100)
    day: Day
    made: WholeNumber = Field(ge=1, le=10_000)
    rejected: WholeNumber = Field(0, ge=0, le=10_000)


def draft(body: VacancyDraftIn) -> jobs_pb2.VacancyDraft:
    return from_rest(jobs_pb2.VacancyDraft, body.model_dump(include=set(VacancyDraftIn.model_fields)))


# -- the routes --------------------------------------------------------------------------------------------
# Every employment route is a pass-through (gateway/routes.py). Its description says who may call it; the
# api decides.

class SkillList(BaseModel):
    items: list[model(jobs_pb2.Skill)]


VacancyOut = model(jobs_pb2.Vacancy)


class ImportOut(BaseModel):
    import_id: str
    items: list[VacancyOut]


class ShortlistOut(BaseModel):
    items: list[model(jobs_pb2.ShortlistEntry)]
    ranked_at: str | None
    up_to_date: bool


SeekerOut = model(seekers_pb2.JobSeeker)


class MatchesOut(BaseModel):
    items: list[model(seekers_pb2.VacancyMatch)]
    ranked_at: str | None
    up_to_date: bool


ApplicationOut = model(seekers_pb2.Application)


class MovedOut(BaseModel):
    application: ApplicationOut
    placement: model(seekers_pb2.Placement) | None


FairOut = model(fairs_pb2.Fair)


class ClosedFairOut(BaseModel):
    fair: FairOut
    report: model(fairs_pb2.FairReport)


EnrolmentOut = model(training_pb2.Enrolment)
OrderOut = model(workshop_pb2.WorkshopOrder)


class PiecesOut(BaseModel):
    order: OrderOut
    record: model(workshop_pb2.PieceRecord)


class PieceRecordList(BaseModel):
    items: list[model(workshop_pb2.PieceRecord)]


def _ranked(items: str):
    """A ranking's reply (a shortlist, matches) as items, when it was ranked, and whether that is current."""
    def render(reply) -> dict:
        return {"items": [to_rest(item) for item in getattr(reply, items)], "up_to_date": reply.up_to_date,
                "ranked_at": reply.ranked_at.ToJsonString() if reply.HasField("ranked_at") else None}
    return render


def _create_vacancy(arguments: dict) -> jobs_pb2.CreateVacancyRequest:
    body = arguments["body"]
    return jobs_pb2.CreateVacancyRequest(employer_id=body.employer_id, draft=draft(body), fair_id=body.fair_id)


def _import_vacancies(arguments: dict) -> jobs_pb2.ImportVacanciesRequest:
    body = arguments["body"]  # the Idempotency-Key is the import's id
    return jobs_pb2.ImportVacanciesRequest(
        community_id=body.community_id, fair_id=body.fair_id, import_id=arguments["idempotency_key"] or "",
        vacancies=[jobs_pb2.ImportedVacancy(employer_id=row.employer_id, draft=draft(row)) for row in body.vacancies])


def _update_vacancy(arguments: dict) -> jobs_pb2.UpdateVacancyRequest:
    return jobs_pb2.UpdateVacancyRequest(id=arguments["vacancy_id"], draft=draft(arguments["body"]))


def _page_query(*params: Param) -> tuple[Param, ...]:
    return (*params, Param("page_size", PageSize, 50), Param("page_token", PageToken, None))


def _id(name: str, to: str = "id") -> tuple[Param, ...]:
    return (Param(name, Id, to=to),)


COMMUNITY = Param("community_id", IdQuery, None)
REQUIRED_COMMUNITY = Param("community_id", Annotated[str, Query(min_length=1, max_length=64)])
JOBS, SEEKERS, FAIRS, TRAINING, WORKSHOP = ("employment.jobs", "employment.seekers", "employment.fairs",
                                            "employment.training", "employment.workshop")

ROUTES = (
    # skills and employers
    Route("GET", "/v1/skills", "list_skills", JOBS, "ListSkills", jobs_pb2.ListSkillsRequest, SkillList,
          items="skills",
          doc="The skill taxonomy: curated skills (informal ones too), each with its national classification code."),
    Route("POST", "/v1/skills", "add_skill", JOBS, "AddSkill", jobs_pb2.AddSkillRequest, model(jobs_pb2.Skill),
          body=SkillIn, answer="skill", status_code=201, idempotent=True,
          doc="Operators, counsellors and administrators extend the taxonomy."),
    Route("POST", "/v1/employers", "register_employer", JOBS, "RegisterEmployer", jobs_pb2.RegisterEmployerRequest,
          model(jobs_pb2.Employer), body=EmployerIn, answer="employer", status_code=201, idempotent=True,
          doc="A counsellor registers an employer and the users (role employer) who act for it."),
    Route("GET", "/v1/employers", "list_employers", JOBS, "ListEmployers", jobs_pb2.ListEmployersRequest,
          page_model(jobs_pb2.Employer), query=_page_query(COMMUNITY), items="employers",
          doc="A community's employers; without community_id, those you act for."),
    Route("GET", "/v1/employers/{employer_id}", "get_employer", JOBS, "GetEmployer", jobs_pb2.GetEmployerRequest,
          model(jobs_pb2.Employer), path_params=_id("employer_id"), answer="employer"),
    # vacancies
    Route("POST", "/v1/vacancies", "create_vacancy", JOBS, "CreateVacancy", jobs_pb2.CreateVacancyRequest,
          VacancyOut, body=VacancyIn, build=_create_vacancy, answer="vacancy", status_code=201, idempotent=True,
          doc="An employer (or a counsellor for it) writes a vacancy; it stays a draft until opened."),
    Route("POST", "/v1/vacancies/import", "import_vacancies", JOBS, "ImportVacancies",
          jobs_pb2.ImportVacanciesRequest, ImportOut, body=ImportIn, build=_import_vacancies, status_code=201,
          idempotent=True,
          render=lambda reply: {"import_id": reply.import_id, "items": [to_rest(v) for v in reply.vacancies]},
          doc="Counsellors open many vacancies at once (a fair's posts): every row valid, or none is taken. The\n"
              "Idempotency-Key is also the import's id: a retry returns the first import's vacancies."),
    Route("GET", "/v1/vacancies", "list_vacancies", JOBS, "ListVacancies", jobs_pb2.ListVacanciesRequest,
          page_model(jobs_pb2.Vacancy),
          query=_page_query(COMMUNITY, Param("employer_id", IdQuery, None), Param("status", VacancyStatus | None, None),
                            Param("fair_id", IdQuery, None)),
          items="vacancies", doc="A community's vacancies (residents see the open ones), or an employer's."),
    Route("GET", "/v1/vacancies/{vacancy_id}", "get_vacancy", JOBS, "GetVacancy", jobs_pb2.GetVacancyRequest,
          VacancyOut, path_params=_id("vacancy_id"), answer="vacancy"),
    Route("PUT", "/v1/vacancies/{vacancy_id}", "update_vacancy", JOBS, "UpdateVacancy",
          jobs_pb2.UpdateVacancyRequest, VacancyOut, path_params=_id("vacancy_id"), body=VacancyDraftIn,
          build=_update_vacancy, answer="vacancy",
          doc="Change a draft or open vacancy; an open one is matched again."),
    Route("POST", "/v1/vacancies/{vacancy_id}/open", "open_vacancy", JOBS, "OpenVacancy",
          jobs_pb2.OpenVacancyRequest, VacancyOut, path_params=_id("vacancy_id"), answer="vacancy", idempotent=True),
    Route("POST", "/v1/vacancies/{vacancy_id}/close", "close_vacancy", JOBS, "CloseVacancy",
          jobs_pb2.CloseVacancyRequest, VacancyOut, path_params=_id("vacancy_id"), body=EmploymentReasonIn,
          body_optional=True, answer="vacancy", idempotent=True),
    Route("GET", "/v1/vacancies/{vacancy_id}/shortlist", "get_shortlist", JOBS, "GetShortlist",
          jobs_pb2.GetShortlistRequest, ShortlistOut, path_params=_id("vacancy_id", to="vacancy_id"),
          render=_ranked("entries"),
          doc="The best searching seekers for the vacancy, with why they match; for its employer and counsellors.\n"
              "up_to_date is false for the moment after a change, while the worker ranks again."),
    Route("GET", "/v1/employment-figures/{community_id}", "get_figures", JOBS, "GetEmploymentFigures",
          jobs_pb2.GetEmploymentFiguresRequest, model(jobs_pb2.GetEmploymentFiguresResponse),
          path_params=_id("community_id", to="community_id"),
          query=(Param("from_month", Annotated[str, Query(pattern=MONTH)]),
                 Param("to_month", Annotated[str | None, Query(pattern=MONTH)], None)),
          doc="The funnel, time to fill, placements per month and retention at 3 and 6 months (counsellors)."),
    # job seekers and matches
    Route("POST", "/v1/job-seekers", "register_seeker", SEEKERS, "RegisterSeeker", seekers_pb2.RegisterSeekerRequest,
          SeekerOut, body=SeekerIn, answer="seeker", status_code=201, idempotent=True,
          doc="A resident registers themself (id empty), or a counsellor registers a resident by their user id."),
    Route("GET", "/v1/job-seekers", "list_seekers", SEEKERS, "ListSeekers", seekers_pb2.ListSeekersRequest,
          page_model(seekers_pb2.JobSeeker),
          query=_page_query(REQUIRED_COMMUNITY, Param("status", SeekerStatus | None, None)), items="seekers",
          doc="A community's job seekers (counsellors)."),
    Route("GET", "/v1/job-seekers/{seeker_id}", "get_seeker", SEEKERS, "GetSeeker", seekers_pb2.GetSeekerRequest,
          SeekerOut, path_params=_id("seeker_id"), answer="seeker"),
    Route("GET", "/v1/me/job-seeker", "get_my_profile", SEEKERS, "GetSeeker", seekers_pb2.GetSeekerRequest,
          SeekerOut, answer="seeker"),
    Route("PUT", "/v1/job-seekers/{seeker_id}/profile", "update_profile", SEEKERS, "UpdateSeekerProfile",
          seekers_pb2.UpdateSeekerProfileRequest, SeekerOut, path_params=_id("seeker_id"), body=SeekerProfileIn,
          body_into="profile", answer="seeker",
          doc="Change skills, experience, preferences or availability; the matches follow within moments."),
    Route("POST", "/v1/job-seekers/{seeker_id}/start-searching", "start_searching", SEEKERS, "StartSearching",
          seekers_pb2.StartSearchingRequest, SeekerOut, path_params=_id("seeker_id"), answer="seeker",
          idempotent=True),
    Route("POST", "/v1/job-seekers/{seeker_id}/exit", "exit_seeker", SEEKERS, "ExitSeeker",
          seekers_pb2.ExitSeekerRequest, SeekerOut, path_params=_id("seeker_id"), body=EmploymentReasonIn,
          body_optional=True, answer="seeker", idempotent=True),
    Route("GET", "/v1/me/matches", "my_matches", SEEKERS, "GetMatches", seekers_pb2.GetMatchesRequest, MatchesOut,
          render=_ranked("matches"),
          doc='Your best open vacancies, best first, each with why: "3 of 4 skills, 1.2 km, part-time matches".\n'
              "up_to_date is false for the moment after your profile changed, while the worker ranks again."),
    Route("GET", "/v1/job-seekers/{seeker_id}/matches", "seeker_matches", SEEKERS, "GetMatches",
          seekers_pb2.GetMatchesRequest, MatchesOut, path_params=_id("seeker_id", to="seeker_id"),
          render=_ranked("matches")),
    # applications and placements
    Route("POST", "/v1/applications", "express_intention", SEEKERS, "ExpressIntention",
          seekers_pb2.ExpressIntentionRequest, ApplicationOut, body=IntentionIn, answer="application",
          status_code=201, idempotent=True,
          doc="I want this job (or, from a counsellor at a fair: this seeker wants it). Advances a suggestion."),
    Route("POST", "/v1/applications/suggestions", "suggest_vacancy", SEEKERS, "SuggestVacancy",
          seekers_pb2.SuggestVacancyRequest, ApplicationOut, body=SuggestionIn, answer="application",
          status_code=201, idempotent=True,
          doc="A counsellor suggests a vacancy to a seeker; an employer invites someone from its shortlist."),
    Route("GET", "/v1/applications", "list_applications", SEEKERS, "ListApplications",
          seekers_pb2.ListApplicationsRequest, page_model(seekers_pb2.Application),
          query=_page_query(COMMUNITY, Param("seeker_id", IdQuery, None), Param("vacancy_id", IdQuery, None),
                            Param("status", ApplicationStatus | None, None)),
          items="applications",
          doc="By vacancy (its employer, counsellors), by community (counsellors) or by seeker; none: your own."),
    Route("GET", "/v1/applications/{application_id}", "get_application", SEEKERS, "GetApplication",
          seekers_pb2.GetApplicationRequest, ApplicationOut, path_params=_id("application_id"), answer="application"),
    Route("POST", "/v1/applications/{application_id}/status", "move_application", SEEKERS, "MoveApplication",
          seekers_pb2.MoveApplicationRequest, MovedOut, path_params=_id("application_id"), body=ApplicationStatusIn,
          idempotent=True,
          doc="One step: viewed (seeker), referred (counsellor), interview with interview_at, offer, hired\n"
              "(employer), or rejected, withdrawn, no_show. Hired also starts the placement: today, or on started_on\n"
              "when the hire is recorded afterwards (its follow-ups are due 3 and 6 months after that day)."),
    Route("GET", "/v1/placements", "list_placements", SEEKERS, "ListPlacements", seekers_pb2.ListPlacementsRequest,
          page_model(seekers_pb2.Placement),
          query=_page_query(COMMUNITY, Param("seeker_id", IdQuery, None),
                            Param("follow_up_due_by", OptionalDayQuery, None)),
          items="placements",
          doc="A community's placements (counsellors; follow_up_due_by: only those with a follow-up due), or a\n"
              "seeker's; none: your own."),
    Route("POST", "/v1/placements/{placement_id}/follow-ups", "record_follow_up", SEEKERS, "RecordFollowUp",
          seekers_pb2.RecordFollowUpRequest, model(seekers_pb2.Placement),
          path_params=_id("placement_id", to="placement_id"), body=FollowUpIn, answer="placement", idempotent=True,
          doc="A counsellor records the follow-up at 3 or 6 months: still at work, or not."),
    # job fairs
    Route("POST", "/v1/job-fairs", "plan_fair", FAIRS, "PlanFair", fairs_pb2.PlanFairRequest, FairOut, body=FairIn,
          answer="fair", status_code=201, idempotent=True),
    Route("GET", "/v1/job-fairs", "list_fairs", FAIRS, "ListFairs", fairs_pb2.ListFairsRequest,
          page_model(fairs_pb2.Fair), query=_page_query(REQUIRED_COMMUNITY), items="fairs"),
    Route("GET", "/v1/job-fairs/{fair_id}", "get_fair", FAIRS, "GetFair", fairs_pb2.GetFairRequest, FairOut,
          path_params=_id("fair_id"), answer="fair"),
    Route("POST", "/v1/job-fairs/{fair_id}/companies", "add_fair_company", FAIRS, "AddFairCompany",
          fairs_pb2.AddFairCompanyRequest, FairOut, path_params=_id("fair_id", to="fair_id"), body=FairCompanyIn,
          answer="fair", idempotent=True),
    Route("POST", "/v1/job-fairs/{fair_id}/consultations", "record_consultation", FAIRS, "RecordConsultation",
          fairs_pb2.RecordConsultationRequest, model(fairs_pb2.Consultation),
          path_params=_id("fair_id", to="fair_id"), body=ConsultationIn, answer="consultation", status_code=201,
          idempotent=True,
          doc="A question answered at the fair: policy (subsidies, insurance, contracts), job, training, other."),
    Route("POST", "/v1/job-fairs/{fair_id}/leaflets", "record_leaflets", FAIRS, "RecordLeaflets",
          fairs_pb2.RecordLeafletsRequest, FairOut, path_params=_id("fair_id", to="fair_id"), body=LeafletsIn,
          answer="fair", idempotent=True),
    Route("POST", "/v1/job-fairs/{fair_id}/close", "close_fair", FAIRS, "CloseFair", fairs_pb2.CloseFairRequest,
          ClosedFairOut, path_params=_id("fair_id"), idempotent=True,
          render=lambda reply: {"fair": to_rest(reply.fair), "report": to_rest(reply.report)}),
    Route("GET", "/v1/job-fairs/{fair_id}/report", "fair_report", FAIRS, "GetFairReport",
          fairs_pb2.GetFairReportRequest, model(fairs_pb2.FairReport), path_params=_id("fair_id", to="fair_id"),
          answer="report",
          doc="Posts, companies, hiring intentions, training sign-ups, policy questions answered, leaflets."),
    # training
    Route("POST", "/v1/courses", "create_course", TRAINING, "CreateCourse", training_pb2.CreateCourseRequest,
          model(training_pb2.Course), body=CourseIn, answer="course", status_code=201, idempotent=True),
    Route("GET", "/v1/courses", "list_courses", TRAINING, "ListCourses", training_pb2.ListCoursesRequest,
          page_model(training_pb2.Course), query=_page_query(REQUIRED_COMMUNITY), items="courses"),
    Route("POST", "/v1/courses/{course_id}/enrolments", "sign_up", TRAINING, "SignUpForCourse",
          training_pb2.SignUpForCourseRequest, EnrolmentOut, path_params=_id("course_id", to="course_id"),
          body=TrainingSignUpIn, body_optional=True, answer="enrolment", status_code=201, idempotent=True,
          doc="Sign up for a course (yourself, or a counsellor for a seeker, at a fair with its id)."),
    Route("GET", "/v1/courses/{course_id}/enrolments", "list_enrolments", TRAINING, "ListEnrolments",
          training_pb2.ListEnrolmentsRequest, page_model(training_pb2.Enrolment),
          path_params=_id("course_id", to="course_id"), query=_page_query(), items="enrolments"),
    Route("GET", "/v1/me/enrolments", "my_enrolments", TRAINING, "ListEnrolments",
          training_pb2.ListEnrolmentsRequest, page_model(training_pb2.Enrolment), query=_page_query(),
          items="enrolments",
          doc="Your enrolments. Like /v1/me/job-seeker and /v1/me/matches: 404 when you are not registered as a job\n"
              "seeker (enrolments are a seeker's), an empty list when you are one with none."),
    Route("POST", "/v1/enrolments/{enrolment_id}/status", "move_enrolment", TRAINING, "MoveEnrolment",
          training_pb2.MoveEnrolmentRequest, EnrolmentOut, path_params=_id("enrolment_id"), body=EnrolmentStatusIn,
          answer="enrolment", idempotent=True,
          doc="enrolled, completed, certified (counsellors; certified adds the course's skills to the seeker), or\n"
              "dropped (the seeker too)."),
    # the community workshop
    Route("POST", "/v1/workshop-orders", "take_order", WORKSHOP, "TakeWorkshopOrder",
          workshop_pb2.TakeWorkshopOrderRequest, OrderOut, body=WorkshopOrderIn, answer="order", status_code=201,
          idempotent=True),
    Route("GET", "/v1/workshop-orders", "list_orders", WORKSHOP, "ListWorkshopOrders",
          workshop_pb2.ListWorkshopOrdersRequest, page_model(workshop_pb2.WorkshopOrder),
          query=_page_query(REQUIRED_COMMUNITY), items="orders",
          doc="Counsellors: the community's orders. Residents: the orders they handed in pieces for there, each\n"
              "with their own payout only."),
    Route("GET", "/v1/me/workshop-orders", "my_workshop_orders", WORKSHOP, "ListWorkshopOrders",
          workshop_pb2.ListWorkshopOrdersRequest, page_model(workshop_pb2.WorkshopOrder), query=_page_query(),
          items="orders",
          doc="The workshop orders you handed in pieces for, each with your own payout once the order is completed\n"
              "(amount and whether it was paid); your pieces are at /v1/workshop-orders/{id}/pieces. Empty when you\n"
              "did no piece-work."),
    Route("GET", "/v1/workshop-orders/{order_id}", "get_order", WORKSHOP, "GetWorkshopOrder",
          workshop_pb2.GetWorkshopOrderRequest, OrderOut, path_params=_id("order_id"), answer="order"),
    Route("POST", "/v1/workshop-orders/{order_id}/pieces", "record_pieces", WORKSHOP, "RecordPieces",
          workshop_pb2.RecordPiecesRequest, PiecesOut, path_params=_id("order_id", to="order_id"), body=PiecesIn,
          status_code=201, idempotent=True,
          doc="Pieces a worker handed in, with those that failed the quality check (never paid)."),
    Route("GET", "/v1/workshop-orders/{order_id}/pieces", "list_pieces", WORKSHOP, "ListPieceRecords",
          workshop_pb2.ListPieceRecordsRequest, PieceRecordList, path_params=_id("order_id", to="order_id"),
          render=lambda reply: {"items": [to_rest(record) for record in reply.records]},
          doc="Counsellors: every record of the order. A resident who worked on it: their own records."),
    Route("POST", "/v1/workshop-orders/{order_id}/complete", "complete_order", WORKSHOP, "CompleteWorkshopOrder",
          workshop_pb2.CompleteWorkshopOrderRequest, OrderOut, path_params=_id("order_id"), answer="order",
          idempotent=True,
          doc="Complete the order: every worker's payout is accepted pieces × the rate, in fen."),
    Route("POST", "/v1/workshop-orders/{order_id}/payouts/{worker_id}/paid", "mark_paid", WORKSHOP,
          "MarkPayoutPaid", workshop_pb2.MarkPayoutPaidRequest, OrderOut,
          path_params=(Param("order_id", Id), Param("worker_id", Id)), answer="order", idempotent=True),
)
install(router, ROUTES)
