"""ReferralService (the clinic's side of referrals, for its clinicians) and the ReferralDesk both it and
the partner exchange go through: every referral change is saved with its change-log entry, its events
and its audit records in one transaction, and every read writes its audit records before the data
leaves."""
import uuid
from datetime import datetime

from linli.clinic.v1 import referrals_pb2 as pb
from linli.clinic.v1 import referrals_pb2_grpc as pb_grpc
from linli.kit import pagination
from linli.kit.errors import PermissionDenied
from linli.kit.identity import Caller, current_caller
from linli.kit.mongo import utcnow
from services.clinic import events, fhir, messages
from services.clinic.api.common import ChangeBell, accessor, check_id
from services.clinic.domain.audit import Accessor, Touched, records as audit_records
from services.clinic.domain import patients
from services.clinic.domain import referrals as ref
from services.clinic.domain.organisations import clinic_of
from services.clinic.domain.referrals import Change, Content, Referral, ReferralView
from services.clinic.store.patients import PatientStore
from services.clinic.store.referrals import ReferralStore

TREATMENT = "treatment"
PARTNER_EXCHANGE = "referral exchange"


def touched(r: Referral) -> Touched:
    return Touched(r.community_id, r.patient_id, r.resident_id, f"referral/{r.id}")


class ReferralDesk:
    """Referral operations for either side: `organisation` acts (the clinic, or a partner), `by` is the
    person or partner named in the history, `who` is what the audit log records."""

    def __init__(self, store: ReferralStore, patient_store: PatientStore, partners: frozenset[str],
                 bell: ChangeBell, clock=utcnow):
        self.store = store
        self.patients = patient_store
        self.partners = partners
        self.bell = bell
        self.clock = clock

    @staticmethod
    def purpose(who: Accessor) -> str:
        return PARTNER_EXCHANGE if who.kind == "partner" else TREATMENT

    def view(self, referral: Referral, viewer: str | None, now: datetime,
             patient: patients.Patient | None = None) -> ReferralView:
        """viewer: a partner's id (what it may see now), or None inside the platform (everything)."""
        patient = patient or self.patients.get(referral.patient_id)
        return ref.internal_view(referral, patient) if viewer is None else ref.partner_view(referral, patient, viewer,
                                                                                             now)

    def views(self, items: list[Referral], viewer: str | None, now: datetime) -> list[ReferralView]:
        found = self.patients.many({r.patient_id for r in items})
        return [self.view(r, viewer, now, found.get(r.patient_id)) for r in items]

    def read(self, who: Accessor, action: str, items: list[Referral], now: datetime) -> None:
        """The audit records of a read, written before the data is returned."""
        self.store.audit.append(audit_records(who, action, [touched(r) for r in items], self.purpose(who), now))

    def _add(self, who: Accessor, referral: Referral, action: str, now: datetime) -> tuple[Referral, bool]:
        change = Change(ref.CREATED, referral, referral.requester, now)
        audits = audit_records(who, action, [touched(referral)], self.purpose(who), now)
        stored, created = self.store.add(change, events.created(referral), audits)
        if created:
            self.bell.ring()
            return stored, True
        ref.check_retry(stored, referral)
        self.read(who, "referral.read", [stored], now)  # handing the first one back is a read
        return stored, False

    def create_outbound(self, caller: Caller, who: Accessor, patient_id: str, performer: str, content: Content,
                        request_id: str) -> Referral:
        now = self.clock()
        patient_id = check_id(patient_id, "patient_id")
        patient = patients.check_visible(caller, self.patients.get(patient_id), patient_id)
        based_on = self.store.get(content.based_on) if content.based_on else None
        if based_on is not None and not ref.visible_to(caller, based_on):
            based_on = None
        referral = ref.create_outbound(caller, patient, str(uuid.uuid4()), performer, content, request_id, based_on,
                                       self.partners, now)
        return self._add(who, referral, "referral.create", now)[0]

    def submit_inbound(self, partner_id: str, who: Accessor, request_id: str, patient_id: str, performer: str,
                       content: Content) -> tuple[Referral, bool]:
        now = self.clock()
        # A partner may address only patients it already shares a referral with: any other id, existing
        # or not, is NOT_FOUND, so ids reveal nothing.
        known = bool(patient_id) and self.store.shares_patient(partner_id, patient_id)
        patient = self.patients.get(patient_id) if known else None
        based_on = self.store.get(content.based_on) if content.based_on else None
        referral = ref.submit_inbound(partner_id, patient, patient_id, str(uuid.uuid4()), performer, content,
                                      request_id, based_on, now)
        return self._add(who, referral, "referral.submit", now)

    def update_task(self, referral: Referral, organisation: str, by: str, who: Accessor, status: str,
                    business_status: str, reason: str) -> Referral:
        now = self.clock()
        changed = ref.update_task(referral, organisation, by, status, business_status, reason, now)
        if changed.version == referral.version:  # a retry: nothing changes, but the caller reads it again
            self.read(who, "referral.read", [referral], now)
            return referral
        audits = audit_records(who, "referral.update_task", [touched(changed)], self.purpose(who), now)
        self.store.save(Change(ref.STATUS_CHANGED, changed, organisation, now, referral.status),
                        events.status_changed(changed, referral.status, organisation, now), audits)
        self.bell.ring()
        return changed

    def attach_outcome(self, referral: Referral, organisation: str, by: str, who: Accessor, text: str,
                       attachments) -> Referral:
        now = self.clock()
        changed = ref.attach_outcome(referral, organisation, by, str(uuid.uuid4()), text, attachments, now)
        audits = audit_records(who, "referral.attach_outcome", [touched(changed)], self.purpose(who), now)
        self.store.save(Change(ref.OUTCOME_ATTACHED, changed, organisation, now, referral.status), [], audits)
        self.bell.ring()
        return changed


class ReferralApi(pb_grpc.ReferralServiceServicer):
    def __init__(self, desk: ReferralDesk):
        self.desk = desk
        self.store = desk.store

    def _visible(self, referral_id: str) -> Referral:
        referral_id = check_id(referral_id)
        return ref.check_visible(current_caller(), self.store.get(referral_id), referral_id)

    def _reply(self, referral: Referral) -> pb.Referral:
        return messages.referral_message(self.desk.view(referral, None, self.desk.clock()))

    @staticmethod
    def _for_clinic(caller: Caller, referral: Referral) -> tuple[str, str]:
        """Only a clinician serving the community acts for its clinic (the patient reads, never acts)."""
        if not patients.is_clinician_for(caller, referral.community_id):
            raise PermissionDenied("only a clinician serving this community acts for its clinic")
        return clinic_of(referral.community_id), caller.subject

    def CreateReferral(self, request, context):
        caller = current_caller()
        referral = self.desk.create_outbound(caller, accessor(context, caller), request.patient_id,
                                             request.performer_id, messages.content(request.content),
                                             request.request_id)
        return pb.CreateReferralResponse(referral=self._reply(referral))

    def UpdateReferralTask(self, request, context):
        caller = current_caller()
        referral = self._visible(request.id)
        organisation, by = self._for_clinic(caller, referral)
        changed = self.desk.update_task(referral, organisation, by, accessor(context, caller),
                                        messages.task_status(request.status) if request.status else "",
                                        request.business_status, request.reason)
        return pb.UpdateReferralTaskResponse(referral=self._reply(changed))

    def AttachReferralOutcome(self, request, context):
        caller = current_caller()
        referral = self._visible(request.id)
        organisation, by = self._for_clinic(caller, referral)
        changed = self.desk.attach_outcome(referral, organisation, by, accessor(context, caller), request.text,
                                           messages.attachments(request.attachments))
        return pb.AttachReferralOutcomeResponse(referral=self._reply(changed))

    def GetReferral(self, request, context):
        referral = self._visible(request.id)
        self.desk.read(accessor(context), "referral.read", [referral], self.desk.clock())
        return pb.GetReferralResponse(referral=self._reply(referral))

    def ListReferrals(self, request, context):
        caller, now = current_caller(), self.desk.clock()
        scope = ref.list_scope(caller, request.community_id, request.patient_id)
        statuses = ref.check_statuses([messages.task_status(s) for s in request.statuses])
        size = pagination.page_size(request.page_size)
        after = pagination.position(request.page_token, 2)
        page = self.store.page(scope, statuses, after, size + 1)
        shown = page[:size]
        self.desk.read(accessor(context, caller), "referral.list", shown, now)
        reply = pb.ListReferralsResponse(referrals=[messages.referral_message(v)
                                                    for v in self.desk.views(shown, None, now)])
        if len(page) > size:
            reply.next_page_token = pagination.encode([shown[-1].last_modified.isoformat(), shown[-1].id])
        return reply

    def GetReferralFhir(self, request, context):
        referral = self._visible(request.id)
        now = self.desk.clock()
        self.desk.read(accessor(context), "referral.read_fhir", [referral], now)
        return pb.GetReferralFhirResponse(fhir_json=fhir.bundle_json(self.desk.view(referral, None, now)))

    def ListPartners(self, request, context):
        return pb.ListPartnersResponse(partners=[messages.organisation_message(p) for p in sorted(self.desk.partners)])
