"""AuditService: administrators read the audit log of patient data (newest first)."""
from linli.clinic.v1 import audit_pb2 as pb
from linli.clinic.v1 import audit_pb2_grpc as pb_grpc
from linli.kit import pagination
from linli.kit.identity import current_caller
from linli.kit.protomap import datetime_of
from services.clinic import messages
from services.clinic.domain import audit
from services.clinic.store.audit import AuditLog


class AuditApi(pb_grpc.AuditServiceServicer):
    def __init__(self, log: AuditLog):
        self.log = log

    def ListAuditRecords(self, request, context):
        communities = audit.query_scope(current_caller(), request.community_id)
        size = pagination.page_size(request.page_size)
        after = pagination.position(request.page_token, 2)
        since = datetime_of(request.since, "since") if request.HasField("since") else None
        until = datetime_of(request.until, "until") if request.HasField("until") else None
        page = self.log.query(communities, request.patient_id, request.actor, since, until, after, size + 1)
        reply = pb.ListAuditRecordsResponse(records=[messages.audit_message(r) for r in page[:size]])
        if len(page) > size:
            last = page[size - 1]
            reply.next_page_token = pagination.encode([last.at.isoformat(), last.id])
        return reply
