"""TeleconsultationService: remote sessions with partner hospitals. Decode, apply the domain's rules,
save with the audit records, encode."""
import random
import secrets
import time
import uuid

from linli.clinic.v1 import teleconsultations_pb2 as pb
from linli.clinic.v1 import teleconsultations_pb2_grpc as pb_grpc
from linli.kit import pagination
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import datetime_of
from services.clinic import messages
from services.clinic.api.common import accessor, check_id, partner_accessor
from services.clinic.domain.audit import Touched, records as audit_records
from linli.kit.errors import Aborted, InvalidArgument, NotFound
from linli.kit.identity import Caller
from services.clinic.domain import consultation_rooms as rooms
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
        return messages.teleconsultation_message(c, rooms.link_for(current_caller(), c, self.meeting_base_url))

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

    # -- the consultation room --------------------------------------------------------------------------

    def _pass(self, consultation_id: str, token: str):
        consultation_id = check_id(consultation_id)
        consultation = self.store.get(consultation_id)
        return consultation, rooms.read(consultation, consultation_id, token, self.clock())

    def _room_caller(self) -> Caller | None:
        caller = current_caller()
        return None if caller.subject == JOIN_LINK_SUBJECT and not caller.roles else caller

    def _room_accessor(self, context, join_pass):
        return partner_accessor(join_pass.subject) if join_pass.participant == rooms.PARTNER else accessor(context)

    def EnterTeleconsultationRoom(self, request, context):
        peer = _check_peer(request.peer)

        def attempt():
            consultation, join_pass = self._pass(request.id, request.join_token)
            now = self.clock()
            if join_pass.participant == rooms.PARTNER:  # a withdrawal of consent applies at once
                patient = self.patients.get(consultation.patient_id)
                patients.require_consent(patient, consultation.partner_id, patients.TELECONSULTATION, now)
            entered = rooms.enter(self._room_caller(), consultation, join_pass, request.device_key, peer, now)
            if entered.consultation is not consultation:
                self.store.save(entered.consultation, audit_records(
                    self._room_accessor(context, join_pass), "teleconsultation.enter_room",
                    [touched(entered.consultation)], TREATMENT, now))
            return entered

        entered = _retrying(attempt)
        return pb.EnterTeleconsultationRoomResponse(teleconsultation=self._message(entered.consultation),
                                                    participant=entered.participant, subject=entered.subject)

    def LeaveTeleconsultationRoom(self, request, context):
        peer = _check_peer(request.peer)

        def attempt():
            consultation = self.store.get(check_id(request.id))
            if consultation is None:
                raise NotFound(f"teleconsultation {request.id} not found")
            now = self.clock()
            changed = rooms.leave(consultation, peer, now)
            if changed is not None:
                self.store.save(changed, audit_records(accessor(context), "teleconsultation.leave_room",
                                                       [touched(changed)], TREATMENT, now))
            return changed or consultation

        return pb.LeaveTeleconsultationRoomResponse(teleconsultation=self._message(_retrying(attempt)))

    def CheckTeleconsultationRoomPass(self, request, context):
        consultation, join_pass = self._pass(request.id, request.join_token)
        rooms.admit(self._room_caller(), consultation, join_pass, request.device_key, self.clock())
        return pb.CheckTeleconsultationRoomPassResponse(participant=join_pass.participant, subject=join_pass.subject,
                                                        community_id=consultation.community_id)


# The gateway's subject for a caller who holds only a join link (a hospital's specialist).
JOIN_LINK_SUBJECT = "join-link"


def _retrying(attempt, attempts: int = 5):
    """Read, change and save again when someone else saved the session in between: participants enter and
    leave the room at the same moment (the start of a session, a gateway restart)."""
    for remaining in range(attempts - 1, -1, -1):
        try:
            return attempt()
        except Aborted:
            if not remaining:
                raise
            time.sleep(random.uniform(0.005, 0.05))


def _check_peer(peer: str) -> str:
    if not 8 <= len(peer) <= 64 or not peer.replace("-", "").replace("_", "").isalnum():
        raise InvalidArgument("peer is required", {"peer": "the stream's peer id: 8 to 64 of [A-Za-z0-9_-]"})
    return peer
