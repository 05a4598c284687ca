"""REST resources over the employment gRPC api: skills, employers and vacancies (with bulk import and
shortlists), job seekers with their matches, applications, placements and follow-ups, job fairs and
their reports, training courses and enrolments, the community workshop, and the figures.

Who may do what is the api's decision (services/employment/domain); these routes check the shape of the
input and map gRPC errors to problems. Representations follow the proto messages field for field:
snake_case, enums as short lower-case names ("part_time"), money as integer fen, times as RFC 3339 UTC,
null when unset. Their response models are generated from the proto descriptors, so the OpenAPI
document and the api never drift apart.
"""
from functools import cache
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, create_model

from gateway.auth import require_caller
from gateway.care_requests import IdempotencyKey, _call_options
from gateway.models import (ID_PATTERN, LARGEST_WHOLE_NUMBER, OPTIONAL_ID_PATTERN, Day, GeoPointIn, Id, IdQuery,
                            OptionalDayQuery, PageSize, PageToken, WholeNumber, whole_number)
from linli.employment.v1 import common_pb2, fairs_pb2, jobs_pb2, seekers_pb2, training_pb2, workshop_pb2
from linli.employment.v1 import fairs_pb2_grpc, jobs_pb2_grpc, seekers_pb2_grpc, training_pb2_grpc, workshop_pb2_grpc
from linli.kit import grpc_client
from linli.kit.identity import Caller

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


async def _api(request: Request) -> EmploymentStubs:
    return request.app.state.employment


# -- proto ↔ REST, generically -------------------------------------------------------------------------

TIMESTAMP = Timestamp.DESCRIPTOR.full_name
_INTEGERS = {FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT32,
             FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64}
_FLOATS = {FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT}


def _prefix(enum_descriptor) -> str:
    return enum_descriptor.values_by_number[0].name.removesuffix("UNSPECIFIED")


def short_names(enum_descriptor) -> tuple[str, ...]:
    prefix = _prefix(enum_descriptor)
    return tuple(v.name.removeprefix(prefix).lower() for v in enum_descriptor.values if v.number)


def enum_number(enum_descriptor, name: str) -> int:
    value = enum_descriptor.values_by_name.get(_prefix(enum_descriptor) + name.upper())
    return value.number if value is not None else 0


def _value(field, value):
    if field.message_type is not None:
        return value.ToJsonString() if field.message_type.full_name == TIMESTAMP else to_rest(value)
    if field.enum_type is not None:
        named = field.enum_type.values_by_number.get(value)
        return named.name.removeprefix(_prefix(field.enum_type)).lower() if named is not None and value else None
    return value


def to_rest(message) -> dict:
    rest = {}
    for field in message.DESCRIPTOR.fields:
        value = getattr(message, field.name)
        if field.is_repeated:
            rest[field.name] = [_value(field, item) for item in value]
        elif field.message_type is not None and not message.HasField(field.name):
            rest[field.name] = None
        else:
            rest[field.name] = _value(field, value)
    return rest


def from_rest(message_type, data: dict):
    """A proto message from REST input (the pydantic model's dump): enums by short name, datetimes."""
    message = message_type()
    for name, value in data.items():
        if value is None:
            continue
        field = message.DESCRIPTOR.fields_by_name[name]
        if field.is_repeated:
            target = getattr(message, name)
            for item in value:
                if field.message_type is not None:
                    target.add().CopyFrom(from_rest(_class(field), item))
                elif field.enum_type is not None:
                    target.append(enum_number(field.enum_type, item))
                else:
                    target.append(item)
        elif field.message_type is not None:
            if field.message_type.full_name == TIMESTAMP:
                getattr(message, name).FromDatetime(value)
            else:
                getattr(message, name).CopyFrom(from_rest(_class(field), value))
        elif field.enum_type is not None:
            setattr(message, name, enum_number(field.enum_type, value))
        else:
            setattr(message, name, value)
    return message


_CLASSES = {m.DESCRIPTOR.full_name: m for module in (common_pb2, jobs_pb2, seekers_pb2, fairs_pb2, training_pb2,
                                                      workshop_pb2)
            for m in vars(module).values() if isinstance(m, type) and hasattr(m, "DESCRIPTOR")
            and hasattr(m.DESCRIPTOR, "fields")}


def _class(field):
    return _CLASSES[field.message_type.full_name]


@cache
def rest_model(descriptor) -> type[BaseModel]:
    """The REST representation of a proto message as a pydantic model, for the OpenAPI document."""
    fields = {}
    for field in descriptor.fields:
        if field.message_type is not None:
            kind = str if field.message_type.full_name == TIMESTAMP else rest_model(field.message_type)
        elif field.enum_type is not None:
            kind = Literal[short_names(field.enum_type)]
        elif field.type in _INTEGERS:
            kind = int
        elif field.type in _FLOATS:
            kind = float
        elif field.type == FieldDescriptor.TYPE_BOOL:
            kind = bool
        else:
            kind = str
        if field.is_repeated:
            fields[field.name] = (list[kind], ...)
        elif field.message_type is not None or field.enum_type is not None:
            fields[field.name] = (kind | None, ...)
        else:
            fields[field.name] = (kind, ...)
    return create_model(f"Employment{descriptor.name}", **fields)


@cache
def page_model(message_type) -> type[BaseModel]:
    return create_model(f"Employment{message_type.DESCRIPTOR.name}Page",
                        items=(list[rest_model(message_type.DESCRIPTOR)], ...), next_page_token=(str | None, ...))


def model(message_type) -> type[BaseModel]:
    return rest_model(message_type.DESCRIPTOR)


def page(items, token: str) -> dict:
    return {"items": [to_rest(item) for item in items], "next_page_token": token or None}


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


# -- skills and employers --------------------------------------------------------------------------------

class SkillList(BaseModel):
    items: list[model(jobs_pb2.Skill)]


@router.get("/v1/skills", response_model=SkillList)
async def list_skills(request: Request, caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """The skill taxonomy: curated skills (informal ones too), each with its national classification code."""
    reply = await api.jobs.ListSkills(jobs_pb2.ListSkillsRequest(), **_call_options(request, caller))
    return {"items": [to_rest(skill) for skill in reply.skills]}


@router.post("/v1/skills", status_code=201, response_model=model(jobs_pb2.Skill))
async def add_skill(body: SkillIn, request: Request, idempotency_key: IdempotencyKey = None,
                    caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Operators, counsellors and administrators extend the taxonomy."""
    reply = await api.jobs.AddSkill(from_rest(jobs_pb2.AddSkillRequest, body.model_dump()),
                                    **_call_options(request, caller))
    return to_rest(reply.skill)


@router.post("/v1/employers", status_code=201, response_model=model(jobs_pb2.Employer))
async def register_employer(body: EmployerIn, request: Request, idempotency_key: IdempotencyKey = None,
                            caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """A counsellor registers an employer and the users (role employer) who act for it."""
    reply = await api.jobs.RegisterEmployer(from_rest(jobs_pb2.RegisterEmployerRequest, body.model_dump()),
                                            **_call_options(request, caller))
    return to_rest(reply.employer)


@router.get("/v1/employers", response_model=page_model(jobs_pb2.Employer))
async def list_employers(request: Request, community_id: IdQuery = None,
                         page_size: PageSize = 50, page_token: PageToken = None,
                         caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """A community's employers; without community_id, those you act for."""
    reply = await api.jobs.ListEmployers(jobs_pb2.ListEmployersRequest(
        community_id=community_id or "", page_size=page_size, page_token=page_token or ""),
        **_call_options(request, caller))
    return page(reply.employers, reply.next_page_token)


@router.get("/v1/employers/{employer_id}", response_model=model(jobs_pb2.Employer))
async def get_employer(employer_id: Id, request: Request, caller: Caller = Depends(require_caller),
                       api=Depends(_api)) -> dict:
    reply = await api.jobs.GetEmployer(jobs_pb2.GetEmployerRequest(id=employer_id), **_call_options(request, caller))
    return to_rest(reply.employer)


# -- vacancies -------------------------------------------------------------------------------------------

VacancyOut = model(jobs_pb2.Vacancy)


@router.post("/v1/vacancies", status_code=201, response_model=VacancyOut)
async def create_vacancy(body: VacancyIn, request: Request, idempotency_key: IdempotencyKey = None,
                         caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """An employer (or a counsellor for it) writes a vacancy; it stays a draft until opened."""
    reply = await api.jobs.CreateVacancy(jobs_pb2.CreateVacancyRequest(
        employer_id=body.employer_id, draft=draft(body), fair_id=body.fair_id), **_call_options(request, caller))
    return to_rest(reply.vacancy)


class ImportOut(BaseModel):
    import_id: str
    items: list[VacancyOut]


@router.post("/v1/vacancies/import", status_code=201, response_model=ImportOut)
async def import_vacancies(body: ImportIn, request: Request, idempotency_key: IdempotencyKey = None,
                           caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Counsellors open many vacancies at once (a fair's posts): every row valid, or none is taken. The
    Idempotency-Key is also the import's id: a retry returns the first import's vacancies."""
    command = jobs_pb2.ImportVacanciesRequest(
        community_id=body.community_id, fair_id=body.fair_id, import_id=idempotency_key or "",
        vacancies=[jobs_pb2.ImportedVacancy(employer_id=row.employer_id, draft=draft(row)) for row in body.vacancies])
    reply = await api.jobs.ImportVacancies(command, **_call_options(request, caller))
    return {"import_id": reply.import_id, "items": [to_rest(v) for v in reply.vacancies]}


@router.get("/v1/vacancies", response_model=page_model(jobs_pb2.Vacancy))
async def list_vacancies(request: Request, community_id: IdQuery = None,
                         employer_id: IdQuery = None,
                         status: VacancyStatus | None = None,
                         fair_id: IdQuery = None,
                         page_size: PageSize = 50, page_token: PageToken = None,
                         caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """A community's vacancies (residents see the open ones), or an employer's."""
    reply = await api.jobs.ListVacancies(jobs_pb2.ListVacanciesRequest(
        community_id=community_id or "", employer_id=employer_id or "",
        status=enum_number(jobs_pb2.VacancyStatus.DESCRIPTOR, status) if status else 0, fair_id=fair_id or "",
        page_size=page_size, page_token=page_token or ""), **_call_options(request, caller))
    return page(reply.vacancies, reply.next_page_token)


@router.get("/v1/vacancies/{vacancy_id}", response_model=VacancyOut)
async def get_vacancy(vacancy_id: Id, request: Request, caller: Caller = Depends(require_caller),
                      api=Depends(_api)) -> dict:
    reply = await api.jobs.GetVacancy(jobs_pb2.GetVacancyRequest(id=vacancy_id), **_call_options(request, caller))
    return to_rest(reply.vacancy)


@router.put("/v1/vacancies/{vacancy_id}", response_model=VacancyOut)
async def update_vacancy(vacancy_id: Id, body: VacancyDraftIn, request: Request,
                         caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Change a draft or open vacancy; an open one is matched again."""
    reply = await api.jobs.UpdateVacancy(jobs_pb2.UpdateVacancyRequest(id=vacancy_id, draft=draft(body)),
                                         **_call_options(request, caller))
    return to_rest(reply.vacancy)


@router.post("/v1/vacancies/{vacancy_id}/open", response_model=VacancyOut)
async def open_vacancy(vacancy_id: Id, request: Request, idempotency_key: IdempotencyKey = None,
                       caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.jobs.OpenVacancy(jobs_pb2.OpenVacancyRequest(id=vacancy_id), **_call_options(request, caller))
    return to_rest(reply.vacancy)


@router.post("/v1/vacancies/{vacancy_id}/close", response_model=VacancyOut)
async def close_vacancy(vacancy_id: Id, request: Request, body: EmploymentReasonIn | None = None,
                        idempotency_key: IdempotencyKey = None, caller: Caller = Depends(require_caller),
                        api=Depends(_api)) -> dict:
    reply = await api.jobs.CloseVacancy(jobs_pb2.CloseVacancyRequest(id=vacancy_id, reason=body.reason if body else ""),
                                        **_call_options(request, caller))
    return to_rest(reply.vacancy)


class ShortlistOut(BaseModel):
    items: list[model(jobs_pb2.ShortlistEntry)]
    ranked_at: str | None
    up_to_date: bool


@router.get("/v1/vacancies/{vacancy_id}/shortlist", response_model=ShortlistOut)
async def get_shortlist(vacancy_id: Id, request: Request, caller: Caller = Depends(require_caller),
                        api=Depends(_api)) -> dict:
    """The best searching seekers for the vacancy, with why they match; for its employer and counsellors.
    up_to_date is false for the moment after a change, while the worker ranks again."""
    reply = await api.jobs.GetShortlist(jobs_pb2.GetShortlistRequest(vacancy_id=vacancy_id),
                                        **_call_options(request, caller))
    return {"items": [to_rest(entry) for entry in reply.entries], "up_to_date": reply.up_to_date,
            "ranked_at": reply.ranked_at.ToJsonString() if reply.HasField("ranked_at") else None}


@router.get("/v1/employment-figures/{community_id}", response_model=model(jobs_pb2.GetEmploymentFiguresResponse))
async def get_figures(community_id: Id, request: Request, from_month: Annotated[str, Query(pattern=MONTH)],
                      to_month: Annotated[str | None, Query(pattern=MONTH)] = None,
                      caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """The funnel, time to fill, placements per month and retention at 3 and 6 months (counsellors)."""
    reply = await api.jobs.GetEmploymentFigures(jobs_pb2.GetEmploymentFiguresRequest(
        community_id=community_id, from_month=from_month, to_month=to_month or ""), **_call_options(request, caller))
    return to_rest(reply)


# -- job seekers and matches -----------------------------------------------------------------------------

SeekerOut = model(seekers_pb2.JobSeeker)


@router.post("/v1/job-seekers", status_code=201, response_model=SeekerOut)
async def register_seeker(body: SeekerIn, request: Request, idempotency_key: IdempotencyKey = None,
                          caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """A resident registers themself (id empty), or a counsellor registers a resident by their user id."""
    reply = await api.seekers.RegisterSeeker(seekers_pb2.RegisterSeekerRequest(
        id=body.id, community_id=body.community_id, start_searching=body.start_searching,
        profile=from_rest(seekers_pb2.SeekerProfile, body.profile.model_dump())), **_call_options(request, caller))
    return to_rest(reply.seeker)


@router.get("/v1/job-seekers", response_model=page_model(seekers_pb2.JobSeeker))
async def list_seekers(request: Request, community_id: Annotated[str, Query(min_length=1, max_length=64)],
                       status: SeekerStatus | None = None, page_size: PageSize = 50, page_token: PageToken = None,
                       caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """A community's job seekers (counsellors)."""
    reply = await api.seekers.ListSeekers(seekers_pb2.ListSeekersRequest(
        community_id=community_id, status=enum_number(seekers_pb2.SeekerStatus.DESCRIPTOR, status) if status else 0,
        page_size=page_size, page_token=page_token or ""), **_call_options(request, caller))
    return page(reply.seekers, reply.next_page_token)


@router.get("/v1/job-seekers/{seeker_id}", response_model=SeekerOut)
async def get_seeker(seeker_id: Id, request: Request, caller: Caller = Depends(require_caller),
                     api=Depends(_api)) -> dict:
    reply = await api.seekers.GetSeeker(seekers_pb2.GetSeekerRequest(id=seeker_id), **_call_options(request, caller))
    return to_rest(reply.seeker)


@router.get("/v1/me/job-seeker", response_model=SeekerOut)
async def get_my_profile(request: Request, caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.seekers.GetSeeker(seekers_pb2.GetSeekerRequest(), **_call_options(request, caller))
    return to_rest(reply.seeker)


@router.put("/v1/job-seekers/{seeker_id}/profile", response_model=SeekerOut)
async def update_profile(seeker_id: Id, body: SeekerProfileIn, request: Request,
                         caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Change skills, experience, preferences or availability; the matches follow within moments."""
    reply = await api.seekers.UpdateSeekerProfile(seekers_pb2.UpdateSeekerProfileRequest(
        id=seeker_id, profile=from_rest(seekers_pb2.SeekerProfile, body.model_dump())),
        **_call_options(request, caller))
    return to_rest(reply.seeker)


@router.post("/v1/job-seekers/{seeker_id}/start-searching", response_model=SeekerOut)
async def start_searching(seeker_id: Id, request: Request, idempotency_key: IdempotencyKey = None,
                          caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.seekers.StartSearching(seekers_pb2.StartSearchingRequest(id=seeker_id),
                                             **_call_options(request, caller))
    return to_rest(reply.seeker)


@router.post("/v1/job-seekers/{seeker_id}/exit", response_model=SeekerOut)
async def exit_seeker(seeker_id: Id, request: Request, body: EmploymentReasonIn | None = None,
                      idempotency_key: IdempotencyKey = None, caller: Caller = Depends(require_caller),
                      api=Depends(_api)) -> dict:
    command = seekers_pb2.ExitSeekerRequest(id=seeker_id, reason=body.reason if body else "")
    reply = await api.seekers.ExitSeeker(command, **_call_options(request, caller))
    return to_rest(reply.seeker)


class MatchesOut(BaseModel):
    items: list[model(seekers_pb2.VacancyMatch)]
    ranked_at: str | None
    up_to_date: bool


async def _matches(request: Request, caller: Caller, api: EmploymentStubs, seeker_id: str) -> dict:
    reply = await api.seekers.GetMatches(seekers_pb2.GetMatchesRequest(seeker_id=seeker_id),
                                         **_call_options(request, caller))
    return {"items": [to_rest(match) for match in reply.matches], "up_to_date": reply.up_to_date,
            "ranked_at": reply.ranked_at.ToJsonString() if reply.HasField("ranked_at") else None}


@router.get("/v1/me/matches", response_model=MatchesOut)
async def my_matches(request: Request, caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Your best open vacancies, best first, each with why: "3 of 4 skills, 1.2 km, part-time matches".
    up_to_date is false for the moment after your profile changed, while the worker ranks again."""
    return await _matches(request, caller, api, "")


@router.get("/v1/job-seekers/{seeker_id}/matches", response_model=MatchesOut)
async def seeker_matches(seeker_id: Id, request: Request, caller: Caller = Depends(require_caller),
                         api=Depends(_api)) -> dict:
    return await _matches(request, caller, api, seeker_id)


# -- applications and placements -------------------------------------------------------------------------

ApplicationOut = model(seekers_pb2.Application)


@router.post("/v1/applications", status_code=201, response_model=ApplicationOut)
async def express_intention(body: IntentionIn, request: Request, idempotency_key: IdempotencyKey = None,
                            caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """I want this job (or, from a counsellor at a fair: this seeker wants it). Advances a suggestion."""
    reply = await api.seekers.ExpressIntention(from_rest(seekers_pb2.ExpressIntentionRequest, body.model_dump()),
                                               **_call_options(request, caller))
    return to_rest(reply.application)


@router.post("/v1/applications/suggestions", status_code=201, response_model=ApplicationOut)
async def suggest_vacancy(body: SuggestionIn, request: Request, idempotency_key: IdempotencyKey = None,
                          caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """A counsellor suggests a vacancy to a seeker; an employer invites someone from its shortlist."""
    reply = await api.seekers.SuggestVacancy(from_rest(seekers_pb2.SuggestVacancyRequest, body.model_dump()),
                                             **_call_options(request, caller))
    return to_rest(reply.application)


@router.get("/v1/applications", response_model=page_model(seekers_pb2.Application))
async def list_applications(request: Request, community_id: IdQuery = None,
                            seeker_id: IdQuery = None,
                            vacancy_id: IdQuery = None,
                            status: ApplicationStatus | None = None, page_size: PageSize = 50,
                            page_token: PageToken = None, caller: Caller = Depends(require_caller),
                            api=Depends(_api)) -> dict:
    """By vacancy (its employer, counsellors), by community (counsellors) or by seeker; none: your own."""
    reply = await api.seekers.ListApplications(seekers_pb2.ListApplicationsRequest(
        community_id=community_id or "", seeker_id=seeker_id or "", vacancy_id=vacancy_id or "",
        status=enum_number(seekers_pb2.ApplicationStatus.DESCRIPTOR, status) if status else 0,
        page_size=page_size, page_token=page_token or ""), **_call_options(request, caller))
    return page(reply.applications, reply.next_page_token)


@router.get("/v1/applications/{application_id}", response_model=ApplicationOut)
async def get_application(application_id: Id, request: Request, caller: Caller = Depends(require_caller),
                          api=Depends(_api)) -> dict:
    reply = await api.seekers.GetApplication(seekers_pb2.GetApplicationRequest(id=application_id),
                                             **_call_options(request, caller))
    return to_rest(reply.application)


class MovedOut(BaseModel):
    application: ApplicationOut
    placement: model(seekers_pb2.Placement) | None


@router.post("/v1/applications/{application_id}/status", response_model=MovedOut)
async def move_application(application_id: Id, body: ApplicationStatusIn, request: Request,
                           idempotency_key: IdempotencyKey = None, caller: Caller = Depends(require_caller),
                           api=Depends(_api)) -> dict:
    """One step: viewed (seeker), referred (counsellor), interview with interview_at, offer, hired
    (employer), or rejected, withdrawn, no_show. Hired also starts the placement: today, or on started_on
    when the hire is recorded afterwards (its follow-ups are due 3 and 6 months after that day)."""
    command = from_rest(seekers_pb2.MoveApplicationRequest, {**body.model_dump(), "id": application_id})
    reply = await api.seekers.MoveApplication(command, **_call_options(request, caller))
    return {"application": to_rest(reply.application),
            "placement": to_rest(reply.placement) if reply.HasField("placement") else None}


@router.get("/v1/placements", response_model=page_model(seekers_pb2.Placement))
async def list_placements(request: Request, community_id: IdQuery = None,
                          seeker_id: IdQuery = None,
                          follow_up_due_by: OptionalDayQuery = None,
                          page_size: PageSize = 50, page_token: PageToken = None,
                          caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """A community's placements (counsellors; follow_up_due_by: only those with a follow-up due), or a
    seeker's; none: your own."""
    reply = await api.seekers.ListPlacements(seekers_pb2.ListPlacementsRequest(
        community_id=community_id or "", seeker_id=seeker_id or "", follow_up_due_by=follow_up_due_by or "",
        page_size=page_size, page_token=page_token or ""), **_call_options(request, caller))
    return page(reply.placements, reply.next_page_token)


@router.post("/v1/placements/{placement_id}/follow-ups", response_model=model(seekers_pb2.Placement))
async def record_follow_up(placement_id: Id, body: FollowUpIn, request: Request,
                           idempotency_key: IdempotencyKey = None, caller: Caller = Depends(require_caller),
                           api=Depends(_api)) -> dict:
    """A counsellor records the follow-up at 3 or 6 months: still at work, or not."""
    reply = await api.seekers.RecordFollowUp(seekers_pb2.RecordFollowUpRequest(
        placement_id=placement_id, months=body.months, still_employed=body.still_employed, note=body.note),
        **_call_options(request, caller))
    return to_rest(reply.placement)


# -- job fairs -------------------------------------------------------------------------------------------

FairOut = model(fairs_pb2.Fair)


@router.post("/v1/job-fairs", status_code=201, response_model=FairOut)
async def plan_fair(body: FairIn, request: Request, idempotency_key: IdempotencyKey = None,
                    caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.fairs.PlanFair(from_rest(fairs_pb2.PlanFairRequest, body.model_dump()),
                                     **_call_options(request, caller))
    return to_rest(reply.fair)


@router.get("/v1/job-fairs", response_model=page_model(fairs_pb2.Fair))
async def list_fairs(request: Request, community_id: Annotated[str, Query(min_length=1, max_length=64)],
                     page_size: PageSize = 50, page_token: PageToken = None,
                     caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.fairs.ListFairs(fairs_pb2.ListFairsRequest(
        community_id=community_id, page_size=page_size, page_token=page_token or ""), **_call_options(request, caller))
    return page(reply.fairs, reply.next_page_token)


@router.get("/v1/job-fairs/{fair_id}", response_model=FairOut)
async def get_fair(fair_id: Id, request: Request, caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.fairs.GetFair(fairs_pb2.GetFairRequest(id=fair_id), **_call_options(request, caller))
    return to_rest(reply.fair)


@router.post("/v1/job-fairs/{fair_id}/companies", response_model=FairOut)
async def add_fair_company(fair_id: Id, body: FairCompanyIn, request: Request, idempotency_key: IdempotencyKey = None,
                           caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.fairs.AddFairCompany(fairs_pb2.AddFairCompanyRequest(fair_id=fair_id, **body.model_dump()),
                                           **_call_options(request, caller))
    return to_rest(reply.fair)


@router.post("/v1/job-fairs/{fair_id}/consultations", status_code=201, response_model=model(fairs_pb2.Consultation))
async def record_consultation(fair_id: Id, body: ConsultationIn, request: Request,
                              idempotency_key: IdempotencyKey = None, caller: Caller = Depends(require_caller),
                              api=Depends(_api)) -> dict:
    """A question answered at the fair: policy (subsidies, insurance, contracts), job, training, other."""
    command = from_rest(fairs_pb2.RecordConsultationRequest, {**body.model_dump(), "fair_id": fair_id})
    reply = await api.fairs.RecordConsultation(command, **_call_options(request, caller))
    return to_rest(reply.consultation)


@router.post("/v1/job-fairs/{fair_id}/leaflets", response_model=FairOut)
async def record_leaflets(fair_id: Id, body: LeafletsIn, request: Request, idempotency_key: IdempotencyKey = None,
                          caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.fairs.RecordLeaflets(fairs_pb2.RecordLeafletsRequest(fair_id=fair_id, **body.model_dump()),
                                           **_call_options(request, caller))
    return to_rest(reply.fair)


class ClosedFairOut(BaseModel):
    fair: FairOut
    report: model(fairs_pb2.FairReport)


@router.post("/v1/job-fairs/{fair_id}/close", response_model=ClosedFairOut)
async def close_fair(fair_id: Id, request: Request, idempotency_key: IdempotencyKey = None,
                     caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.fairs.CloseFair(fairs_pb2.CloseFairRequest(id=fair_id), **_call_options(request, caller))
    return {"fair": to_rest(reply.fair), "report": to_rest(reply.report)}


@router.get("/v1/job-fairs/{fair_id}/report", response_model=model(fairs_pb2.FairReport))
async def fair_report(fair_id: Id, request: Request, caller: Caller = Depends(require_caller),
                      api=Depends(_api)) -> dict:
    """Posts, companies, hiring intentions, training sign-ups, policy questions answered, leaflets."""
    reply = await api.fairs.GetFairReport(fairs_pb2.GetFairReportRequest(fair_id=fair_id),
                                          **_call_options(request, caller))
    return to_rest(reply.report)


# -- training --------------------------------------------------------------------------------------------

EnrolmentOut = model(training_pb2.Enrolment)


@router.post("/v1/courses", status_code=201, response_model=model(training_pb2.Course))
async def create_course(body: CourseIn, request: Request, idempotency_key: IdempotencyKey = None,
                        caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.training.CreateCourse(from_rest(training_pb2.CreateCourseRequest, body.model_dump()),
                                            **_call_options(request, caller))
    return to_rest(reply.course)


@router.get("/v1/courses", response_model=page_model(training_pb2.Course))
async def list_courses(request: Request, community_id: Annotated[str, Query(min_length=1, max_length=64)],
                       page_size: PageSize = 50, page_token: PageToken = None,
                       caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.training.ListCourses(training_pb2.ListCoursesRequest(
        community_id=community_id, page_size=page_size, page_token=page_token or ""), **_call_options(request, caller))
    return page(reply.courses, reply.next_page_token)


@router.post("/v1/courses/{course_id}/enrolments", status_code=201, response_model=EnrolmentOut)
async def sign_up(course_id: Id, request: Request, body: TrainingSignUpIn | None = None, idempotency_key: IdempotencyKey = None,
                  caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Sign up for a course (yourself, or a counsellor for a seeker, at a fair with its id)."""
    fields = body.model_dump() if body else {}
    reply = await api.training.SignUpForCourse(training_pb2.SignUpForCourseRequest(course_id=course_id, **fields),
                                               **_call_options(request, caller))
    return to_rest(reply.enrolment)


@router.get("/v1/courses/{course_id}/enrolments", response_model=page_model(training_pb2.Enrolment))
async def list_enrolments(course_id: Id, request: Request, page_size: PageSize = 50, page_token: PageToken = None,
                          caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.training.ListEnrolments(training_pb2.ListEnrolmentsRequest(
        course_id=course_id, page_size=page_size, page_token=page_token or ""), **_call_options(request, caller))
    return page(reply.enrolments, reply.next_page_token)


@router.get("/v1/me/enrolments", response_model=page_model(training_pb2.Enrolment))
async def my_enrolments(request: Request, page_size: PageSize = 50, page_token: PageToken = None,
                        caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Your enrolments. Like /v1/me/job-seeker and /v1/me/matches: 404 when you are not registered as a job
    seeker (enrolments are a seeker's), an empty list when you are one with none."""
    reply = await api.training.ListEnrolments(training_pb2.ListEnrolmentsRequest(
        page_size=page_size, page_token=page_token or ""), **_call_options(request, caller))
    return page(reply.enrolments, reply.next_page_token)


@router.post("/v1/enrolments/{enrolment_id}/status", response_model=EnrolmentOut)
async def move_enrolment(enrolment_id: Id, body: EnrolmentStatusIn, request: Request,
                         idempotency_key: IdempotencyKey = None, caller: Caller = Depends(require_caller),
                         api=Depends(_api)) -> dict:
    """enrolled, completed, certified (counsellors; certified adds the course's skills to the seeker), or
    dropped (the seeker too)."""
    command = from_rest(training_pb2.MoveEnrolmentRequest, {**body.model_dump(), "id": enrolment_id})
    reply = await api.training.MoveEnrolment(command, **_call_options(request, caller))
    return to_rest(reply.enrolment)


# -- the community workshop ------------------------------------------------------------------------------

OrderOut = model(workshop_pb2.WorkshopOrder)


@router.post("/v1/workshop-orders", status_code=201, response_model=OrderOut)
async def take_order(body: WorkshopOrderIn, request: Request, idempotency_key: IdempotencyKey = None,
                     caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.workshop.TakeWorkshopOrder(from_rest(workshop_pb2.TakeWorkshopOrderRequest, body.model_dump()),
                                                 **_call_options(request, caller))
    return to_rest(reply.order)


@router.get("/v1/workshop-orders", response_model=page_model(workshop_pb2.WorkshopOrder))
async def list_orders(request: Request, community_id: Annotated[str, Query(min_length=1, max_length=64)],
                      page_size: PageSize = 50, page_token: PageToken = None,
                      caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Counsellors: the community's orders. Residents: the orders they handed in pieces for there, each
    with their own payout only."""
    reply = await api.workshop.ListWorkshopOrders(workshop_pb2.ListWorkshopOrdersRequest(
        community_id=community_id, page_size=page_size, page_token=page_token or ""), **_call_options(request, caller))
    return page(reply.orders, reply.next_page_token)


@router.get("/v1/me/workshop-orders", response_model=page_model(workshop_pb2.WorkshopOrder))
async def my_workshop_orders(request: Request, page_size: PageSize = 50, page_token: PageToken = None,
                             caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """The workshop orders you handed in pieces for, each with your own payout once the order is completed
    (amount and whether it was paid); your pieces are at /v1/workshop-orders/{id}/pieces. Empty when you
    did no piece-work."""
    reply = await api.workshop.ListWorkshopOrders(workshop_pb2.ListWorkshopOrdersRequest(
        page_size=page_size, page_token=page_token or ""), **_call_options(request, caller))
    return page(reply.orders, reply.next_page_token)


@router.get("/v1/workshop-orders/{order_id}", response_model=OrderOut)
async def get_order(order_id: Id, request: Request, caller: Caller = Depends(require_caller),
                    api=Depends(_api)) -> dict:
    reply = await api.workshop.GetWorkshopOrder(workshop_pb2.GetWorkshopOrderRequest(id=order_id),
                                                **_call_options(request, caller))
    return to_rest(reply.order)


class PiecesOut(BaseModel):
    order: OrderOut
    record: model(workshop_pb2.PieceRecord)


@router.post("/v1/workshop-orders/{order_id}/pieces", status_code=201, response_model=PiecesOut)
async def record_pieces(order_id: Id, body: PiecesIn, request: Request, idempotency_key: IdempotencyKey = None,
                        caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Pieces a worker handed in, with those that failed the quality check (never paid)."""
    reply = await api.workshop.RecordPieces(workshop_pb2.RecordPiecesRequest(order_id=order_id, **body.model_dump()),
                                            **_call_options(request, caller))
    return {"order": to_rest(reply.order), "record": to_rest(reply.record)}


class PieceRecordList(BaseModel):
    items: list[model(workshop_pb2.PieceRecord)]


@router.get("/v1/workshop-orders/{order_id}/pieces", response_model=PieceRecordList)
async def list_pieces(order_id: Id, request: Request, caller: Caller = Depends(require_caller),
                      api=Depends(_api)) -> dict:
    """Counsellors: every record of the order. A resident who worked on it: their own records."""
    reply = await api.workshop.ListPieceRecords(workshop_pb2.ListPieceRecordsRequest(order_id=order_id),
                                                **_call_options(request, caller))
    return {"items": [to_rest(record) for record in reply.records]}


@router.post("/v1/workshop-orders/{order_id}/complete", response_model=OrderOut)
async def complete_order(order_id: Id, request: Request, idempotency_key: IdempotencyKey = None,
                         caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Complete the order: every worker's payout is accepted pieces × the rate, in fen."""
    reply = await api.workshop.CompleteWorkshopOrder(workshop_pb2.CompleteWorkshopOrderRequest(id=order_id),
                                                     **_call_options(request, caller))
    return to_rest(reply.order)


@router.post("/v1/workshop-orders/{order_id}/payouts/{worker_id}/paid", response_model=OrderOut)
async def mark_paid(order_id: Id, worker_id: Id, request: Request, idempotency_key: IdempotencyKey = None,
                    caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    command = workshop_pb2.MarkPayoutPaidRequest(order_id=order_id, worker_id=worker_id)
    reply = await api.workshop.MarkPayoutPaid(command, **_call_options(request, caller))
    return to_rest(reply.order)
