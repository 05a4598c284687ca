"""REST resources over the clinic's internal gRPC api: patients with their summary records and consents
(/v1/patients), teleconsultations (/v1/teleconsultations), referrals with partner hospitals
(/v1/referrals, /v1/partners), the nurse's triage list (/v1/triage) and the audit log of patient data
(/v1/audit-records, administrators).

Who may see and do what is the clinic's decision (services/clinic/domain); these routes check the shape
of the input and map gRPC errors to problems. Every call reaches the clinic marked as coming through
this HTTP door, with the purpose the caller states in `X-Linli-Purpose` (percent-encoded UTF-8, as HTTP
header values are ASCII); both land in the audit log.
Partner hospitals do not come through here: they call the clinic's partner port with mutual TLS."""
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import quote, unquote

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from google.protobuf import timestamp_pb2
from google.protobuf.descriptor import FieldDescriptor
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from gateway.common import call_options
from gateway.models import (ID_PATTERN, PARTNER_ID_PATTERN, CommunityQuery, Day, Id, IdempotencyKey, IdQuery, PageSize,
                            PageToken)
from linli.clinic.v1 import audit_pb2, audit_pb2_grpc, common_pb2, patients_pb2, patients_pb2_grpc
from linli.clinic.v1 import referrals_pb2, referrals_pb2_grpc, teleconsultations_pb2, teleconsultations_pb2_grpc
from linli.clinic.v1 import triage_pb2, triage_pb2_grpc
from linli.kit.identity import Caller
from linli.kit.protomap import enum_number, short_names, timestamp

router = APIRouter(tags=["clinic"])


class ClinicStubs:
    """The clinic api's services on one channel (grpc.aio multiplexes every call over it)."""

    def __init__(self, channel):
        self.patients = patients_pb2_grpc.PatientServiceStub(channel)
        self.teleconsultations = teleconsultations_pb2_grpc.TeleconsultationServiceStub(channel)
        self.referrals = referrals_pb2_grpc.ReferralServiceStub(channel)
        self.triage = triage_pb2_grpc.TriageServiceStub(channel)
        self.audit = audit_pb2_grpc.AuditServiceStub(channel)


async def _clinic(request: Request) -> ClinicStubs:
    return request.app.state.clinic


def _options(request: Request, caller: Caller, purpose: str | None) -> dict:
    options = call_options(request, caller)
    options["metadata"] = [*options["metadata"], ("x-linli-channel", "http")]
    if purpose:
        options["metadata"].append(("x-linli-purpose", quote(unquote(purpose), safe="")))
    return options


Purpose = Annotated[str | None, Header(alias="X-Linli-Purpose", max_length=600, description=(
    "Why you read or change patient data, percent-encoded UTF-8 (e.g. %E9%9A%8F%E8%AE%BF for 随访); kept in the "
    "audit log"))]


# -- output: proto field names, short lower-case enum names, RFC 3339 times, absent messages as null -------

def _enum_short(enum_descriptor, number: int) -> str | None:
    if number == 0:
        return None
    prefix = enum_descriptor.values_by_number[0].name.removesuffix("UNSPECIFIED")
    value = enum_descriptor.values_by_number.get(number)
    return value.name.removeprefix(prefix).lower() if value else "unknown"


def _value(field: FieldDescriptor, value):
    if field.type == FieldDescriptor.TYPE_ENUM:
        return _enum_short(field.enum_type, value)
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        if field.message_type.full_name == "google.protobuf.Timestamp":
            return value.ToJsonString()
        return to_rest(value)
    return value


def to_rest(message) -> dict:
    out = {}
    for field in message.DESCRIPTOR.fields:
        value = getattr(message, field.name)
        if field.is_repeated:
            out[field.name] = [_value(field, item) for item in value]
        elif field.type == FieldDescriptor.TYPE_MESSAGE and not message.HasField(field.name):
            out[field.name] = None
        else:
            out[field.name] = _value(field, value)
    return out


def _names(enum_type):
    return Literal[tuple(name for number, name in short_names(enum_type).items() if number)]


def _stamp(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    return timestamp(value) if value else None


Community = CommunityQuery
Items = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=30)]


def _page(items: list[dict], token: str) -> dict:
    return {"items": items, "next_page_token": token or None}


# -- patients --------------------------------------------------------------------------------------------

class PatientIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    community_id: str = Field(pattern=ID_PATTERN)
    resident_id: str = Field(pattern=ID_PATTERN, description="The resident's Linli user id")
    name: str = Field(min_length=1, max_length=50, examples=["刘桂兰"])
    sex: _names(patients_pb2.Sex) | None = None
    birth_date: Day | None = None
    phone: str = Field("", pattern=r"^(\+?[0-9][0-9 -]{2,31})?$", examples=["+86 24 5555 0100"])
    problems: Items = []
    medications: Items = []
    allergies: Items = []


class SummaryChanges(BaseModel):
    """The lists present are replaced; the others are kept."""

    model_config = ConfigDict(extra="forbid")
    problems: Items | None = None
    medications: Items | None = None
    allergies: Items | None = None


class ResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: _names(common_pb2.DocumentType)
    title: str = Field(min_length=1, max_length=100, examples=["静息心电图"])
    date: Day
    reference: str = Field(min_length=1, max_length=500, examples=["ecg://station-39/20261120-0007"])
    content_type: str = Field("", max_length=100)


class PatientConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scopes: list[_names(patients_pb2.ConsentScope)] = Field(min_length=1, max_length=4)
    recipient: str = Field(min_length=1, max_length=64, description="A partner hospital's id, or * for every partner")
    expires_at: datetime | None = None


@router.post("/v1/patients", status_code=201)
async def register_patient(body: PatientIn, request: Request, response: Response, purpose: Purpose = None,
                           caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    details = patients_pb2.PatientDetails(
        name=body.name, sex=enum_number(patients_pb2.Sex, body.sex or ""), birth_date=body.birth_date or "",
        phone=body.phone, problems=body.problems, medications=body.medications, allergies=body.allergies)
    reply = await clinic.patients.RegisterPatient(patients_pb2.RegisterPatientRequest(
        community_id=body.community_id, resident_id=body.resident_id, details=details),
        **_options(request, caller, purpose))
    response.headers["Location"] = f"/v1/patients/{quote(reply.patient.id, safe='')}"
    return to_rest(reply.patient)


@router.get("/v1/patients")
async def list_patients(request: Request, community_id: Community = None,
                        resident_id: IdQuery = None, page_size: PageSize = 50,
                        page_token: PageToken = None, purpose: Purpose = None,
                        caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    """Clinicians: the patients of the communities they serve; residents: their own record."""
    reply = await clinic.patients.ListPatients(patients_pb2.ListPatientsRequest(
        community_id=community_id or "", resident_id=resident_id or "", page_size=page_size,
        page_token=page_token or ""), **_options(request, caller, purpose))
    return _page([to_rest(p) for p in reply.patients], reply.next_page_token)


@router.get("/v1/patients/{patient_id}")
async def get_patient(patient_id: Id, request: Request, purpose: Purpose = None,
                      caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.patients.GetPatient(patients_pb2.GetPatientRequest(id=patient_id),
                                             **_options(request, caller, purpose))
    return to_rest(reply.patient)


@router.patch("/v1/patients/{patient_id}/summary")
async def update_summary(patient_id: Id, body: SummaryChanges, request: Request, purpose: Purpose = None,
                         caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    command = patients_pb2.UpdatePatientSummaryRequest(
        id=patient_id, problems=body.problems or (), medications=body.medications or (),
        allergies=body.allergies or ())
    command.update_mask.paths.extend(sorted(body.model_fields_set))
    reply = await clinic.patients.UpdatePatientSummary(command, **_options(request, caller, purpose))
    return to_rest(reply.patient)


@router.post("/v1/patients/{patient_id}/results", status_code=201)
async def add_result(patient_id: Id, body: ResultIn, request: Request, purpose: Purpose = None,
                     caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    """A recent result (an ECG, a lab report) as a reference to where the document is kept."""
    reply = await clinic.patients.AddResult(patients_pb2.AddResultRequest(
        patient_id=patient_id, type=enum_number(common_pb2.DocumentType, body.type), title=body.title,
        date=body.date, reference=body.reference, content_type=body.content_type),
        **_options(request, caller, purpose))
    return to_rest(reply.result)


@router.post("/v1/patients/{patient_id}/consents", status_code=201)
async def grant_consent(patient_id: Id, body: PatientConsentIn, request: Request, purpose: Purpose = None,
                        caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    """The patient (or a clinician recording their signed form) consents to share with a partner."""
    reply = await clinic.patients.GrantConsent(patients_pb2.GrantConsentRequest(
        patient_id=patient_id, recipient=body.recipient, expires_at=_stamp(body.expires_at),
        scopes=[enum_number(patients_pb2.ConsentScope, s) for s in body.scopes]), **_options(request, caller, purpose))
    return to_rest(reply.consent)


@router.post("/v1/patients/{patient_id}/consents/{consent_id}/withdraw")
async def withdraw_consent(patient_id: Id, consent_id: Id, request: Request, purpose: Purpose = None,
                           caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    """Stops sharing at once: the next read by any partner no longer includes what it covered."""
    reply = await clinic.patients.WithdrawConsent(patients_pb2.WithdrawConsentRequest(
        patient_id=patient_id, consent_id=consent_id), **_options(request, caller, purpose))
    return to_rest(reply.consent)


# -- teleconsultations ------------------------------------------------------------------------------------

T = teleconsultations_pb2


class TeleconsultationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patient_id: str = Field(pattern=ID_PATTERN)
    partner_id: str = Field(pattern=PARTNER_ID_PATTERN, examples=["city-central-hospital"])
    department: str = Field(min_length=1, max_length=100, examples=["心内科"])
    specialist: str = Field("", max_length=100, examples=["王主任"])
    reason: str = Field(min_length=1, max_length=500)


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: datetime
    duration_minutes: int = Field(0, ge=0, le=240, description="0 means 20")


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(min_length=1, max_length=2000)


class TextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2000)


class TeleconsultationReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


@router.post("/v1/teleconsultations", status_code=201)
async def request_teleconsultation(body: TeleconsultationIn, request: Request, response: Response,
                                   idempotency_key: IdempotencyKey = None, purpose: Purpose = None,
                                   caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.teleconsultations.RequestTeleconsultation(T.RequestTeleconsultationRequest(
        **body.model_dump(), request_id=idempotency_key or ""), **_options(request, caller, purpose))
    response.headers["Location"] = f"/v1/teleconsultations/{quote(reply.teleconsultation.id, safe='')}"
    return to_rest(reply.teleconsultation)


@router.get("/v1/teleconsultations")
async def list_teleconsultations(request: Request, community_id: Community = None,
                                 patient_id: IdQuery = None,
                                 page_size: PageSize = 50, page_token: PageToken = None, purpose: Purpose = None,
                                 caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.teleconsultations.ListTeleconsultations(T.ListTeleconsultationsRequest(
        community_id=community_id or "", patient_id=patient_id or "", page_size=page_size,
        page_token=page_token or ""), **_options(request, caller, purpose))
    return _page([to_rest(c) for c in reply.teleconsultations], reply.next_page_token)


@router.get("/v1/teleconsultations/{teleconsultation_id}")
async def get_teleconsultation(teleconsultation_id: Id, request: Request, purpose: Purpose = None,
                               caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.teleconsultations.GetTeleconsultation(T.GetTeleconsultationRequest(id=teleconsultation_id),
                                                               **_options(request, caller, purpose))
    return to_rest(reply.teleconsultation)


@router.post("/v1/teleconsultations/{teleconsultation_id}/schedule")
async def schedule_teleconsultation(teleconsultation_id: Id, body: ScheduleIn, request: Request,
                                    purpose: Purpose = None, caller: Caller = Depends(require_caller),
                                    clinic=Depends(_clinic)) -> dict:
    reply = await clinic.teleconsultations.ScheduleTeleconsultation(T.ScheduleTeleconsultationRequest(
        id=teleconsultation_id, start=_stamp(body.start), duration_minutes=body.duration_minutes),
        **_options(request, caller, purpose))
    return to_rest(reply.teleconsultation)


@router.post("/v1/teleconsultations/{teleconsultation_id}/start")
async def start_teleconsultation(teleconsultation_id: Id, request: Request, purpose: Purpose = None,
                                 caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.teleconsultations.StartTeleconsultation(T.StartTeleconsultationRequest(
        id=teleconsultation_id), **_options(request, caller, purpose))
    return to_rest(reply.teleconsultation)


@router.post("/v1/teleconsultations/{teleconsultation_id}/complete")
async def complete_teleconsultation(teleconsultation_id: Id, body: NoteIn, request: Request,
                                    purpose: Purpose = None, caller: Caller = Depends(require_caller),
                                    clinic=Depends(_clinic)) -> dict:
    reply = await clinic.teleconsultations.CompleteTeleconsultation(T.CompleteTeleconsultationRequest(
        id=teleconsultation_id, note=body.note), **_options(request, caller, purpose))
    return to_rest(reply.teleconsultation)


@router.post("/v1/teleconsultations/{teleconsultation_id}/cancel")
async def cancel_teleconsultation(teleconsultation_id: Id, body: TeleconsultationReasonIn, request: Request,
                                  purpose: Purpose = None, caller: Caller = Depends(require_caller),
                                  clinic=Depends(_clinic)) -> dict:
    reply = await clinic.teleconsultations.CancelTeleconsultation(T.CancelTeleconsultationRequest(
        id=teleconsultation_id, reason=body.reason), **_options(request, caller, purpose))
    return to_rest(reply.teleconsultation)


@router.post("/v1/teleconsultations/{teleconsultation_id}/no-show")
async def mark_no_show(teleconsultation_id: Id, request: Request, purpose: Purpose = None,
                       caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.teleconsultations.MarkTeleconsultationNoShow(T.MarkTeleconsultationNoShowRequest(
        id=teleconsultation_id), **_options(request, caller, purpose))
    return to_rest(reply.teleconsultation)


@router.post("/v1/teleconsultations/{teleconsultation_id}/notes")
async def add_note(teleconsultation_id: Id, body: TextIn, request: Request, purpose: Purpose = None,
                   caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.teleconsultations.AddTeleconsultationNote(T.AddTeleconsultationNoteRequest(
        id=teleconsultation_id, text=body.text), **_options(request, caller, purpose))
    return to_rest(reply.teleconsultation)


# -- referrals -----------------------------------------------------------------------------------------------

R = referrals_pb2
TaskStatus = _names(R.TaskStatus)


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200, examples=["静息心电图"])
    content_type: str = Field(min_length=1, max_length=100, examples=["application/pdf"])
    url: str = Field(min_length=1, max_length=1000)
    size_bytes: int = Field(0, ge=0, le=10 * 1024 ** 3)  # attachments are metadata here; 10 GiB is plenty

    def message(self) -> common_pb2.Attachment:
        return common_pb2.Attachment(**self.model_dump())


class ReferralIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patient_id: str = Field(pattern=ID_PATTERN)
    performer_id: str = Field(pattern=PARTNER_ID_PATTERN, examples=["city-central-hospital"])
    priority: _names(R.ReferralPriority) = "routine"
    reason: str = Field(min_length=1, max_length=500, examples=["胸闷气短两周，心电图ST段改变"])
    clinical_summary: str = Field("", max_length=4000)
    attachments: list[AttachmentIn] = Field([], max_length=20)
    based_on: str | None = Field(None, max_length=64)
    practitioner: str = Field("", max_length=100)


class TaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: TaskStatus | None = None
    business_status: str | None = Field(None, pattern=r"^[a-z][a-z0-9-]{0,63}$", examples=["visit-scheduled"])
    reason: str = Field("", max_length=500)


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=4000)
    attachments: list[AttachmentIn] = Field([], max_length=20)


@router.get("/v1/partners")
async def list_partners(request: Request, caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    """The partner hospitals of the medical alliance."""
    reply = await clinic.referrals.ListPartners(R.ListPartnersRequest(), **_options(request, caller, None))
    return {"items": [to_rest(p) for p in reply.partners]}


@router.post("/v1/referrals", status_code=201)
async def create_referral(body: ReferralIn, request: Request, response: Response,
                          idempotency_key: IdempotencyKey = None, purpose: Purpose = None,
                          caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    """Refer a patient up to a partner hospital (the patient must consent to referrals with it)."""
    content = R.ReferralContent(
        category=R.REFERRAL_CATEGORY_REFERRAL, priority=enum_number(R.ReferralPriority, body.priority),
        reason=body.reason, clinical_summary=body.clinical_summary, based_on=body.based_on or "",
        practitioner=body.practitioner, attachments=[a.message() for a in body.attachments])
    reply = await clinic.referrals.CreateReferral(R.CreateReferralRequest(
        patient_id=body.patient_id, performer_id=body.performer_id, content=content,
        request_id=idempotency_key or ""), **_options(request, caller, purpose))
    response.headers["Location"] = f"/v1/referrals/{quote(reply.referral.id, safe='')}"
    return to_rest(reply.referral)


@router.get("/v1/referrals")
async def list_referrals(request: Request, community_id: Community = None,
                         patient_id: IdQuery = None,
                         status: Annotated[list[TaskStatus] | None, Query()] = None, page_size: PageSize = 50,
                         page_token: PageToken = None, purpose: Purpose = None,
                         caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    """Most recently changed first; repeat `status` to ask for several."""
    reply = await clinic.referrals.ListReferrals(R.ListReferralsRequest(
        community_id=community_id or "", patient_id=patient_id or "", page_size=page_size,
        page_token=page_token or "", statuses=[enum_number(R.TaskStatus, s) for s in status or ()]),
        **_options(request, caller, purpose))
    return _page([to_rest(r) for r in reply.referrals], reply.next_page_token)


@router.get("/v1/referrals/{referral_id}")
async def get_referral(referral_id: Id, request: Request, purpose: Purpose = None,
                       caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.referrals.GetReferral(R.GetReferralRequest(id=referral_id),
                                               **_options(request, caller, purpose))
    return to_rest(reply.referral)


@router.get("/v1/referrals/{referral_id}/fhir", response_class=Response,
            responses={200: {"content": {"application/fhir+json": {}}}})
async def get_referral_fhir(referral_id: Id, request: Request, purpose: Purpose = None,
                            caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> Response:
    """The referral as a FHIR R4 Bundle of its ServiceRequest and Task."""
    reply = await clinic.referrals.GetReferralFhir(R.GetReferralFhirRequest(id=referral_id),
                                                   **_options(request, caller, purpose))
    return Response(reply.fhir_json, media_type="application/fhir+json")


@router.post("/v1/referrals/{referral_id}/task")
async def update_referral_task(referral_id: Id, body: TaskIn, request: Request, purpose: Purpose = None,
                               caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    """The clinic's side of the Task: as requester it may cancel; as performer (a referral a hospital sent,
    a back-referral) it sets every other status and a business status such as visit-scheduled."""
    reply = await clinic.referrals.UpdateReferralTask(R.UpdateReferralTaskRequest(
        id=referral_id, status=enum_number(R.TaskStatus, body.status or ""),
        business_status=body.business_status or "", reason=body.reason), **_options(request, caller, purpose))
    return to_rest(reply.referral)


@router.post("/v1/referrals/{referral_id}/outcomes", status_code=201)
async def attach_outcome(referral_id: Id, body: OutcomeIn, request: Request, purpose: Purpose = None,
                         caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.referrals.AttachReferralOutcome(R.AttachReferralOutcomeRequest(
        id=referral_id, text=body.text, attachments=[a.message() for a in body.attachments]),
        **_options(request, caller, purpose))
    return to_rest(reply.referral)


# -- triage --------------------------------------------------------------------------------------------

class CloseTriageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disposition: _names(triage_pb2.TriageDisposition)
    note: str = Field("", max_length=1000)


@router.get("/v1/triage")
async def list_triage(request: Request, community_id: Community = None, include_closed: bool = False,
                      page_size: PageSize = 50, page_token: PageToken = None, purpose: Purpose = None,
                      caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    """The nurse's list: medical and emergency calls from elder care, emergencies first, then the oldest."""
    reply = await clinic.triage.ListTriageEntries(triage_pb2.ListTriageEntriesRequest(
        community_id=community_id or "", include_closed=include_closed, page_size=page_size,
        page_token=page_token or ""), **_options(request, caller, purpose))
    return _page([to_rest(e) for e in reply.entries], reply.next_page_token)


@router.get("/v1/triage/{entry_id}")
async def get_triage_entry(entry_id: Id, request: Request, purpose: Purpose = None,
                           caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.triage.GetTriageEntry(triage_pb2.GetTriageEntryRequest(id=entry_id),
                                               **_options(request, caller, purpose))
    return to_rest(reply.entry)


@router.post("/v1/triage/{entry_id}/acknowledge")
async def acknowledge_triage_entry(entry_id: Id, request: Request, purpose: Purpose = None,
                                   caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.triage.AcknowledgeTriageEntry(triage_pb2.AcknowledgeTriageEntryRequest(id=entry_id),
                                                       **_options(request, caller, purpose))
    return to_rest(reply.entry)


@router.post("/v1/triage/{entry_id}/close")
async def close_triage_entry(entry_id: Id, body: CloseTriageIn, request: Request, purpose: Purpose = None,
                             caller: Caller = Depends(require_caller), clinic=Depends(_clinic)) -> dict:
    reply = await clinic.triage.CloseTriageEntry(triage_pb2.CloseTriageEntryRequest(
        id=entry_id, disposition=enum_number(triage_pb2.TriageDisposition, body.disposition), note=body.note),
        **_options(request, caller, purpose))
    return to_rest(reply.entry)


# -- the audit log -------------------------------------------------------------------------------------

@router.get("/v1/audit-records")
async def list_audit_records(request: Request, community_id: Community = None,
                             patient_id: IdQuery = None,
                             actor: Annotated[str | None, Query(max_length=128)] = None,
                             since: datetime | None = None, until: datetime | None = None, page_size: PageSize = 50,
                             page_token: PageToken = None, caller: Caller = Depends(require_caller),
                             clinic=Depends(_clinic)) -> dict:
    """Who read or changed which patient's data, what, when, why and through which door; newest first.
    Administrators, for the communities they serve."""
    reply = await clinic.audit.ListAuditRecords(audit_pb2.ListAuditRecordsRequest(
        community_id=community_id or "", patient_id=patient_id or "", actor=actor or "", since=_stamp(since),
        until=_stamp(until), page_size=page_size, page_token=page_token or ""), **_options(request, caller, None))
    return _page([to_rest(r) for r in reply.records], reply.next_page_token)
