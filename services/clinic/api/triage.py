"""TriageService: the nurse's list of medical and emergency calls from elder care."""
from linli.clinic.v1 import triage_pb2 as pb
from linli.clinic.v1 import triage_pb2_grpc as pb_grpc
from linli.kit import pagination
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import known_enum_name
from services.clinic import messages
from services.clinic.api.common import accessor, check_id
from services.clinic.domain.audit import Touched, records as audit_records
from services.clinic.domain import triage
from services.clinic.domain.triage import TriageEntry
from services.clinic.store.triage import TriageStore

TRIAGE = "triage"


def touched(e: TriageEntry) -> Touched:
    return Touched(e.community_id, e.patient_id, e.resident_id, f"triage/{e.id}")


class TriageApi(pb_grpc.TriageServiceServicer):
    def __init__(self, store: TriageStore, clock=utcnow):
        self.store = store
        self.clock = clock

    def _visible(self, entry_id: str) -> TriageEntry:
        entry_id = check_id(entry_id)
        return triage.check_visible(current_caller(), self.store.get(entry_id), entry_id)

    def ListTriageEntries(self, request, context):
        caller, now = current_caller(), self.clock()
        communities = triage.list_scope(caller, request.community_id)
        size = pagination.page_size(request.page_size)
        after = pagination.position(request.page_token, 3)
        page = self.store.page(communities, request.include_closed, after, size + 1, now)
        shown = page[:size]
        self.store.audit.append(audit_records(accessor(context, caller), "triage.list",
                                              [touched(e) for e in shown], TRIAGE, now))
        reply = pb.ListTriageEntriesResponse(entries=[messages.triage_message(e) for e in shown])
        if len(page) > size:
            last = shown[-1]
            reply.next_page_token = pagination.encode([last.priority, last.raised_at.isoformat(), last.id])
        return reply

    def GetTriageEntry(self, request, context):
        now = self.clock()
        entry = self._visible(request.id)
        self.store.audit.append(audit_records(accessor(context), "triage.read", [touched(entry)], TRIAGE, now))
        return pb.GetTriageEntryResponse(entry=messages.triage_message(entry))

    def AcknowledgeTriageEntry(self, request, context):
        caller, now = current_caller(), self.clock()
        changed = triage.acknowledge(caller, self._visible(request.id), now)
        self.store.save(changed, audit_records(accessor(context, caller), "triage.acknowledge", [touched(changed)],
                                               TRIAGE, now))
        return pb.AcknowledgeTriageEntryResponse(entry=messages.triage_message(changed))

    def CloseTriageEntry(self, request, context):
        caller, now = current_caller(), self.clock()
        disposition = known_enum_name(pb.TriageDisposition, request.disposition)
        changed = triage.close(caller, self._visible(request.id), disposition, request.note, now)
        self.store.save(changed, audit_records(accessor(context, caller), "triage.close", [touched(changed)],
                                               TRIAGE, now))
        return pb.CloseTriageEntryResponse(entry=messages.triage_message(changed))
