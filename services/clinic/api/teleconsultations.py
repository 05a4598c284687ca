"""TeleconsultationService: remote sessions with partner hospitals. Decode, apply the domain's rules,
save with the audit records, encode."""
import secrets
import uuid

from linli.clinic.v1 import teleconsultations_pb2 as pb
from linli.clinic.v1 import teleconsultations_pb2_grpc as pb_grpc
from linli.kit import pagination
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import datetime_of
from services.clinic import messages
from services.clinic.api.common import accessor, check_id
from services.clinic.domain.audit import Touched, records as audit_records
from services.clinic.domain import patients
from services.clinic.domain import teleconsultations as tele
from services.clinic.domain.teleconsultations import Teleconsultation
from services.clinic.store.patients import PatientStore
from services.clinic.store.teleconsultations import TeleconsultationStore

TREATMENT = "treatment"


def touched(c: Teleconsultation) -> Touched:
    return Touched(c.community_id, c.patient_id, c.resident_id, f"teleconsultation/{c.id}")


class TeleconsultationApi(pb_grpc.TeleconsultationServiceServicer):
    def __init__(self, store: TeleconsultationStore, patient_store: PatientStore, partners: frozenset[str],
                 meeting_base_url: str, clock=utcnow):
        self.store = store
        self.patients = patient_store
        self.partners = partners
        self.meeting_base_url = meeting_base_url
        self.clock = clock

    def _message(self, c: Teleconsultation) -> pb.Teleconsultation:
        return messages.teleconsultation_message(c, self.meeting_base_url)

    def _visible(self, consultation_id: str) -> Teleconsultation:
        consultation_id = check_id(consultation_id)
        return tele.check_visible(current_caller(), self.store.get(consultation_id), consultation_id)

    def RequestTeleconsultation(self, request, context):
        caller, now = current_caller(), self.clock()
        patient_id = check_id(request.patient_id, "patient_id")
        patient = patients.check_visible(caller, self.patients.get(patient_id), patient_id)
        consultation = tele.request(caller, patient, str(uuid.uuid4()), request.partner_id, request.department,
                                    request.specialist, request.reason, request.request_id,
                                    secrets.token_urlsafe(32), self.partners, now)
        stored, created = self.store.add(consultation, audit_records(
            accessor(context), "teleconsultation.request", [touched(consultation)], TREATMENT, now))
        if not created:  # a retry: reading the first one back is a read
            self.store.audit.append(audit_records(accessor(context), "teleconsultation.read", [touched(stored)],
                                                  TREATMENT, now))
        return pb.RequestTeleconsultationResponse(teleconsultation=self._message(stored))

    def ScheduleTeleconsultation(self, request, context):
        start = datetime_of(request.start, "start") if request.HasField("start") else None
        return pb.ScheduleTeleconsultationResponse(teleconsultation=self._transition(
            context, request.id, "teleconsultation.schedule",
            lambda caller, c, now: tele.schedule(caller, c, start, request.duration_minutes, now)))

    def StartTeleconsultation(self, request, context):
        return pb.StartTeleconsultationResponse(teleconsultation=self._transition(
            context, request.id, "teleconsultation.start", tele.start))

    def CompleteTeleconsultation(self, request, context):
        return pb.CompleteTeleconsultationResponse(teleconsultation=self._transition(
            context, request.id, "teleconsultation.complete",
            lambda caller, c, now: tele.complete(caller, c, request.note, now)))

    def CancelTeleconsultation(self, request, context):
        return pb.CancelTeleconsultationResponse(teleconsultation=self._transition(
            context, request.id, "teleconsultation.cancel",
            lambda caller, c, now: tele.cancel(caller, c, request.reason, now)))

    def MarkTeleconsultationNoShow(self, request, context):
        return pb.MarkTeleconsultationNoShowResponse(teleconsultation=self._transition(
            context, request.id, "teleconsultation.no_show", tele.mark_no_show))

    def AddTeleconsultationNote(self, request, context):
        return pb.AddTeleconsultationNoteResponse(teleconsultation=self._transition(
            context, request.id, "teleconsultation.add_note",
            lambda caller, c, now: tele.add_note(caller, c, request.text, now)))

    def _transition(self, context, consultation_id: str, action: str, transition) -> pb.Teleconsultation:
        caller, now = current_caller(), self.clock()
        changed = transition(caller, self._visible(consultation_id), now)
        self.store.save(changed, audit_records(accessor(context), action, [touched(changed)], TREATMENT, now))
        return self._message(changed)

    def GetTeleconsultation(self, request, context):
        now = self.clock()
        consultation = self._visible(request.id)
        self.store.audit.append(audit_records(accessor(context), "teleconsultation.read", [touched(consultation)],
                                              TREATMENT, now))
        return pb.GetTeleconsultationResponse(teleconsultation=self._message(consultation))

    def ListTeleconsultations(self, request, context):
        caller, now = current_caller(), self.clock()
        scope = tele.list_scope(caller, request.community_id, request.patient_id)
        size = pagination.page_size(request.page_size)
        after = pagination.position(request.page_token, 2)
        page = self.store.page(scope, after, size + 1)
        shown = page[:size]
        self.store.audit.append(audit_records(accessor(context), "teleconsultation.list",
                                              [touched(c) for c in shown], TREATMENT, now))
        reply = pb.ListTeleconsultationsResponse(teleconsultations=[self._message(c) for c in shown])
        if len(page) > size:
            reply.next_page_token = pagination.encode([shown[-1].requested_at.isoformat(), shown[-1].id])
        return reply
