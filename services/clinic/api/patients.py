"""PatientService: patients, their summary records and consents. Decode, apply the domain's rules, save
through the store with the audit records of what was read or written, encode."""
import uuid

from linli.clinic.v1 import patients_pb2 as pb
from linli.clinic.v1 import patients_pb2_grpc as pb_grpc
from linli.clinic.v1 import common_pb2
from linli.kit import pagination
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import datetime_of, known_enum_name
from services.clinic import messages
from services.clinic.api.common import accessor, check_id
from services.clinic.domain.audit import Touched, records as audit_records
from services.clinic.domain import patients
from services.clinic.domain.patients import Patient
from services.clinic.store.patients import PatientStore

# Why a clinician reads or writes a record, when the caller states nothing else (x-linli-purpose).
TREATMENT = "treatment"


def touched(patient: Patient) -> Touched:
    return Touched(patient.community_id, patient.id, patient.resident_id, f"patient/{patient.id}")


class PatientApi(pb_grpc.PatientServiceServicer):
    def __init__(self, store: PatientStore, partners: frozenset[str], clock=utcnow):
        self.store = store
        self.partners = partners
        self.clock = clock

    def _visible(self, patient_id: str, field: str = "id") -> Patient:
        patient_id = check_id(patient_id, field)
        return patients.check_visible(current_caller(), self.store.get(patient_id), patient_id)

    def _read(self, context, action: str, found: list[Patient], now) -> None:
        """A read writes its audit records before any data leaves the service."""
        self.store.audit.append(audit_records(accessor(context), action, [touched(p) for p in found], TREATMENT, now))

    def _save(self, context, action: str, changed: Patient, now) -> Patient:
        return self.store.save(changed, audit_records(accessor(context), action, [touched(changed)], TREATMENT, now))

    def RegisterPatient(self, request, context):
        caller, now = current_caller(), self.clock()
        patient = patients.register(caller, str(uuid.uuid4()), request.community_id, request.resident_id,
                                    messages.details(request.details), now)
        self.store.add(patient, audit_records(accessor(context), "patient.register", [touched(patient)], TREATMENT,
                                              now))
        return pb.RegisterPatientResponse(patient=messages.patient_message(patient, now))

    def GetPatient(self, request, context):
        now = self.clock()
        patient = self._visible(request.id)
        self._read(context, "patient.read", [patient], now)
        return pb.GetPatientResponse(patient=messages.patient_message(patient, now))

    def ListPatients(self, request, context):
        caller, now = current_caller(), self.clock()
        scope = patients.list_scope(caller, request.community_id, request.resident_id)
        size = pagination.page_size(request.page_size)
        after = pagination.position(request.page_token, 1)
        page = self.store.page(scope, after[0] if after else None, size + 1)
        shown = page[:size]
        self._read(context, "patient.list", shown, now)
        reply = pb.ListPatientsResponse(patients=[messages.patient_message(p, now) for p in shown])
        if len(page) > size:
            reply.next_page_token = pagination.encode([shown[-1].id])
        return reply

    def UpdatePatientSummary(self, request, context):
        caller, now = current_caller(), self.clock()
        patient = self._visible(request.id)
        changes = patients.PatientDetails("", problems=tuple(request.problems),
                                          medications=tuple(request.medications), allergies=tuple(request.allergies))
        changed = patients.update_summary(caller, patient, changes, set(request.update_mask.paths), now)
        self._save(context, "patient.update_summary", changed, now)
        return pb.UpdatePatientSummaryResponse(patient=messages.patient_message(changed, now))

    def AddResult(self, request, context):
        caller, now = current_caller(), self.clock()
        patient = self._visible(request.patient_id, "patient_id")
        doc_type = known_enum_name(common_pb2.DocumentType, request.type)
        changed, result = patients.add_result(caller, patient, str(uuid.uuid4()), doc_type, request.title,
                                              request.date, request.reference, request.content_type, now)
        self._save(context, "patient.add_result", changed, now)
        return pb.AddResultResponse(patient=messages.patient_message(changed, now),
                                    result=messages.document_message(result))

    def GrantConsent(self, request, context):
        caller, now = current_caller(), self.clock()
        patient = self._visible(request.patient_id, "patient_id")
        scopes = tuple(known_enum_name(pb.ConsentScope, s) for s in request.scopes)
        expires = datetime_of(request.expires_at, "expires_at") if request.HasField("expires_at") else None
        changed, consent = patients.grant_consent(caller, patient, str(uuid.uuid4()), scopes, request.recipient,
                                                  expires, self.partners, now)
        self._save(context, "patient.grant_consent", changed, now)
        return pb.GrantConsentResponse(patient=messages.patient_message(changed, now),
                                       consent=_consent(changed, consent.id, now))

    def WithdrawConsent(self, request, context):
        caller, now = current_caller(), self.clock()
        patient = self._visible(request.patient_id, "patient_id")
        changed, consent = patients.withdraw_consent(caller, patient, check_id(request.consent_id, "consent_id"), now)
        self._save(context, "patient.withdraw_consent", changed, now)
        return pb.WithdrawConsentResponse(patient=messages.patient_message(changed, now),
                                          consent=_consent(changed, consent.id, now))


def _consent(patient: Patient, consent_id: str, now) -> pb.Consent:
    message = messages.patient_message(patient, now)
    return next(c for c in message.consents if c.id == consent_id)
