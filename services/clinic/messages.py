"""Translation between the clinic's domain dataclasses and its proto messages (apis and events alike)."""
from datetime import datetime

from linli.clinic.v1 import audit_pb2, common_pb2, patients_pb2, referrals_pb2, teleconsultations_pb2, triage_pb2
from linli.kit.protomap import datetime_of, enum_number, known_enum_name, timestamp
from services.clinic.domain import audit, organisations, referrals
from services.clinic.domain.patients import DocumentRef, Patient, PatientDetails
from services.clinic.domain.referrals import Attachment, Content, FollowUp, ReferralView
from services.clinic.domain.teleconsultations import Teleconsultation
from services.clinic.domain.triage import TriageEntry


def fhir_code(enum_type, number: int) -> str:
    """TASK_STATUS_IN_PROGRESS -> "in-progress": FHIR codes use hyphens where proto enums use underscores."""
    return known_enum_name(enum_type, number).replace("_", "-")


def fhir_number(enum_type, code: str) -> int:
    return enum_number(enum_type, code.replace("-", "_"))


def at(holder, name: str) -> datetime | None:
    return datetime_of(getattr(holder, name), name) if holder.HasField(name) else None


# -- organisations

def organisation_message(organisation_id: str) -> common_pb2.Organisation:
    o = organisations.organisation(organisation_id)
    kind = (common_pb2.ORGANISATION_KIND_CLINIC if o.kind == organisations.CLINIC
            else common_pb2.ORGANISATION_KIND_PARTNER_HOSPITAL)
    return common_pb2.Organisation(id=o.id, name=o.name, kind=kind)


# -- patients

def details(message: patients_pb2.PatientDetails) -> PatientDetails:
    return PatientDetails(message.name, known_enum_name(patients_pb2.Sex, message.sex) if message.sex else "",
                          message.birth_date, message.phone, tuple(message.problems), tuple(message.medications),
                          tuple(message.allergies))


def document_message(doc: DocumentRef) -> common_pb2.DocumentReference:
    return common_pb2.DocumentReference(
        id=doc.id, type=enum_number(common_pb2.DocumentType, doc.type), title=doc.title, date=doc.date,
        reference=doc.reference, content_type=doc.content_type, recorded_by=doc.recorded_by,
        recorded_at=timestamp(doc.recorded_at))


def patient_message(patient: Patient, now: datetime) -> patients_pb2.Patient:
    d = patient.details
    return patients_pb2.Patient(
        id=patient.id, community_id=patient.community_id, resident_id=patient.resident_id, name=d.name,
        sex=enum_number(patients_pb2.Sex, d.sex), birth_date=d.birth_date, phone=d.phone, problems=d.problems,
        medications=d.medications, allergies=d.allergies, results=[document_message(r) for r in patient.results],
        consents=[patients_pb2.Consent(
            id=c.id, scopes=[enum_number(patients_pb2.ConsentScope, s) for s in c.scopes], recipient=c.recipient,
            granted_by=c.granted_by, granted_at=timestamp(c.granted_at), expires_at=timestamp(c.expires_at),
            withdrawn_at=timestamp(c.withdrawn_at), withdrawn_by=c.withdrawn_by, active=c.active(now))
            for c in patient.consents],
        registered_at=timestamp(patient.registered_at), registered_by=patient.registered_by,
        updated_at=timestamp(patient.updated_at), version=patient.version)


# -- teleconsultations

def teleconsultation_message(c: Teleconsultation, join_url: str) -> teleconsultations_pb2.Teleconsultation:
    status = teleconsultations_pb2.TeleconsultationStatus
    return teleconsultations_pb2.Teleconsultation(
        id=c.id, community_id=c.community_id, patient_id=c.patient_id, partner_id=c.partner_id,
        department=c.department, specialist=c.specialist, reason=c.reason, status=enum_number(status, c.status),
        scheduled_start=timestamp(c.scheduled_start), duration_minutes=int(c.duration.total_seconds() // 60),
        join_url=join_url,
        notes=[teleconsultations_pb2.TeleconsultationNote(author=n.author, at=timestamp(n.at), text=n.text)
               for n in c.notes],
        history=[teleconsultations_pb2.TeleconsultationTransition(status=enum_number(status, t.status),
                                                                  at=timestamp(t.at), by=t.by, note=t.note)
                 for t in c.history],
        requested_by=c.requested_by, requested_at=timestamp(c.requested_at), cancel_reason=c.cancel_reason,
        version=c.version,
        attendance=[teleconsultations_pb2.RoomAttendance(participant=a.participant, subject=a.subject,
                                                         joined_at=timestamp(a.joined_at), left_at=timestamp(a.left_at))
                    for a in c.attendance])


# -- referrals

def attachments(messages) -> tuple[Attachment, ...]:
    return tuple(Attachment(a.id, a.title, a.content_type, a.size_bytes, a.url, at(a, "created_at"))
                 for a in messages)


def attachment_messages(items: tuple[Attachment, ...]) -> list[common_pb2.Attachment]:
    return [common_pb2.Attachment(id=a.id, title=a.title, content_type=a.content_type, size_bytes=a.size_bytes,
                                  url=a.url, created_at=timestamp(a.created_at)) for a in items]


def content(message: referrals_pb2.ReferralContent) -> Content:
    f = message.follow_up
    return Content(
        category=fhir_code(referrals_pb2.ReferralCategory, message.category),
        priority=fhir_code(referrals_pb2.ReferralPriority, message.priority),
        reason=message.reason, clinical_summary=message.clinical_summary,
        attachments=attachments(message.attachments),
        follow_up=FollowUp(f.plan, f.due_date, f.discharged_on) if message.HasField("follow_up") else None,
        based_on=message.based_on, practitioner=message.practitioner)


def content_message(c: Content) -> referrals_pb2.ReferralContent:
    f = c.follow_up
    return referrals_pb2.ReferralContent(
        category=fhir_number(referrals_pb2.ReferralCategory, c.category),
        priority=fhir_number(referrals_pb2.ReferralPriority, c.priority), reason=c.reason,
        clinical_summary=c.clinical_summary, attachments=attachment_messages(c.attachments),
        follow_up=referrals_pb2.FollowUp(plan=f.plan, due_date=f.due_date, discharged_on=f.discharged_on) if f else None,
        based_on=c.based_on, practitioner=c.practitioner)


def task_status(number: int) -> str:
    return fhir_code(referrals_pb2.TaskStatus, number)


def task_status_number(code: str) -> int:
    return fhir_number(referrals_pb2.TaskStatus, code)


PARTS = {referrals.SUBJECT: referrals_pb2.REFERRAL_PART_SUBJECT, referrals.CLINICAL: referrals_pb2.REFERRAL_PART_CLINICAL,
         referrals.SUMMARY: referrals_pb2.REFERRAL_PART_SUMMARY, referrals.RESULTS: referrals_pb2.REFERRAL_PART_RESULTS}


def referral_message(view: ReferralView) -> referrals_pb2.Referral:
    r, s, summary = view.referral, view.subject, view.summary
    return referrals_pb2.Referral(
        id=r.id, community_id=r.community_id, patient_id=r.patient_id,
        subject=referrals_pb2.ReferralSubject(name=s.name, sex=s.sex, birth_date=s.birth_date) if s else None,
        requester=organisation_message(r.requester), performer=organisation_message(r.performer),
        content=content_message(r.content),
        task=referrals_pb2.ReferralTask(
            status=task_status_number(r.status), business_status=r.business_status, status_reason=r.status_reason,
            last_modified=timestamp(r.last_modified),
            history=[referrals_pb2.TaskTransition(status=task_status_number(t.status),
                                                  business_status=t.business_status,
                                                  organisation_id=t.organisation_id, by=t.by, at=timestamp(t.at),
                                                  reason=t.reason) for t in r.history],
            outcomes=[referrals_pb2.ReferralOutcome(id=o.id, organisation_id=o.organisation_id, author=o.author,
                                                    text=o.text, attachments=attachment_messages(o.attachments),
                                                    recorded_at=timestamp(o.recorded_at)) for o in r.outcomes]),
        shared_summary=referrals_pb2.SharedSummary(
            problems=summary.problems, medications=summary.medications, allergies=summary.allergies,
            results=[document_message(d) for d in summary.results]) if summary else None,
        request_id=r.request_id, authored_on=timestamp(r.authored_on), version=r.version,
        withheld_parts=sorted(PARTS[p] for p in view.withheld))


# -- triage

def triage_message(e: TriageEntry) -> triage_pb2.TriageEntry:
    return triage_pb2.TriageEntry(
        id=e.id, community_id=e.community_id, care_request_id=e.care_request_id, resident_id=e.resident_id,
        patient_id=e.patient_id, kind=enum_number(triage_pb2.TriageKind, e.kind), priority=e.priority,
        description=e.description, location=e.location, raised_at=timestamp(e.raised_at),
        status=enum_number(triage_pb2.TriageStatus, e.status), acknowledged_by=e.acknowledged_by,
        acknowledged_at=timestamp(e.acknowledged_at), closed_by=e.closed_by, closed_at=timestamp(e.closed_at),
        disposition=enum_number(triage_pb2.TriageDisposition, e.disposition), note=e.note, version=e.version)


# -- audit

CHANNELS = {audit.HTTP: audit_pb2.AUDIT_CHANNEL_HTTP, audit.GRPC: audit_pb2.AUDIT_CHANNEL_GRPC,
            audit.PARTNER_CHANNEL: audit_pb2.AUDIT_CHANNEL_PARTNER, audit.EVENT: audit_pb2.AUDIT_CHANNEL_EVENT}


def audit_message(record: audit.AuditRecord) -> audit_pb2.AuditRecord:
    return audit_pb2.AuditRecord(
        id=record.id, at=timestamp(record.at), actor=record.actor, actor_roles=record.actor_roles,
        community_id=record.community_id, patient_id=record.patient_id, resident_id=record.resident_id,
        action=record.action, resource=record.resource, purpose=record.purpose,
        channel=CHANNELS.get(record.channel, audit_pb2.AUDIT_CHANNEL_UNSPECIFIED))
