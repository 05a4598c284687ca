"""EldercareService: care requests. Decode the request, apply the domain's rules, save through the
store, encode the reply."""
import uuid

from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.kit import pagination
from linli.kit.errors import InvalidArgument
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.kit.outbox import OutboxRelay
from services.eldercare import events, messages
from services.eldercare.domain import care_requests as care
from services.eldercare.store.care_requests import CareRequestStore


def _care_request_id(value: str) -> str:
    if not care.ID_PATTERN.match(value):
        raise InvalidArgument("id is required", {"id": "a care request id"})
    return value


class EldercareApi(pb_grpc.EldercareServiceServicer):
    def __init__(self, store: CareRequestStore, policy, relay: OutboxRelay | None, clock=utcnow):
        self.store = store
        self.policy = policy
        self.relay = relay
        self.clock = clock

    def _published(self) -> None:
        if self.relay is not None:
            self.relay.wake()

    def RaiseCareRequest(self, request, context):
        caller = current_caller()
        new = messages.new_care_request(request)
        raised = care.raise_request(caller, new, str(uuid.uuid4()), self.clock(), self.policy)
        saved = self.store.add(raised, events.raised(raised))
        self._published()
        return pb.RaiseCareRequestResponse(care_request=messages.care_request(saved))

    def GetCareRequest(self, request, context):
        care_id = _care_request_id(request.id)
        found = care.check_visible(current_caller(), self.store.get(care_id), care_id)
        return pb.GetCareRequestResponse(care_request=messages.care_request(found))

    def ListOpenCareRequests(self, request, context):
        scope = care.list_scope(current_caller(), request.community_id)
        size = pagination.page_size(request.page_size)
        after = pagination.decode(request.page_token)
        if after is not None and len(after) != 3:
            raise InvalidArgument("page_token is not one this service issued", {"page_token": "not recognised"})
        page = self.store.list_open(scope, after, size + 1)
        reply = pb.ListOpenCareRequestsResponse(care_requests=[messages.care_request(c) for c in page[:size]])
        if len(page) > size:
            last = page[size - 1]
            reply.next_page_token = pagination.encode([last.priority, last.raised_at.isoformat(), last.id])
        return reply

    def AcknowledgeCareRequest(self, request, context):
        caller = current_caller()
        care_id = _care_request_id(request.id)
        found = care.check_visible(caller, self.store.get(care_id), care_id)
        acknowledged = care.acknowledge(caller, found, self.clock())
        self.store.update(acknowledged, events.acknowledged(acknowledged))
        self._published()
        return pb.AcknowledgeCareRequestResponse(care_request=messages.care_request(acknowledged))
