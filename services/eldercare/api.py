"""The eldercare gRPC api: decode the request, apply the domain's rules, save through the store,
encode the reply. Run: python -m services.eldercare.api"""
import logging
import uuid

from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.kit import pagination, telemetry
from linli.kit.config import database_name, number, setting
from linli.kit.errors import InvalidArgument
from linli.kit.grpc_server import GrpcApi, ServiceBinding, serve_until_signalled
from linli.kit.identity import current_caller
from linli.kit.mongo import connect, utcnow
from linli.kit.outbox import OutboxRelay
from services.eldercare import domain, events, messages
from services.eldercare.policy import with_emergency_sla
from services.eldercare.store import CareRequestStore

log = logging.getLogger(__name__)


def _care_request_id(value: str) -> str:
    if not domain.ID_PATTERN.match(value):
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
        care = domain.raise_request(caller, new, str(uuid.uuid4()), self.clock(), self.policy)
        saved = self.store.add(care, events.raised(care))
        self._published()
        return pb.RaiseCareRequestResponse(care_request=messages.care_request(saved))

    def GetCareRequest(self, request, context):
        care_id = _care_request_id(request.id)
        care = domain.check_visible(current_caller(), self.store.get(care_id), care_id)
        return pb.GetCareRequestResponse(care_request=messages.care_request(care))

    def ListOpenCareRequests(self, request, context):
        scope = domain.list_scope(current_caller(), request.community_id)
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
        care = domain.check_visible(caller, self.store.get(care_id), care_id)
        acknowledged = domain.acknowledge(caller, care, self.clock())
        self.store.update(acknowledged, events.acknowledged(acknowledged))
        self._published()
        return pb.AcknowledgeCareRequestResponse(care_request=messages.care_request(acknowledged))


def main() -> None:
    telemetry.setup("eldercare-api")
    telemetry.instrument_grpc_server()
    client = connect(setting("MONGO_URI"), "eldercare-api")
    db = client[database_name("eldercare")]
    store = CareRequestStore(client, db)
    store.ensure_indexes()
    relay = OutboxRelay(db, setting("AMQP_URI"), poll_seconds=number("LINLI_OUTBOX_POLL_SECONDS")).start()
    policy = with_emergency_sla(number("ELDERCARE_EMERGENCY_ACK_SLA_SECONDS"))
    api = GrpcApi(setting("ELDERCARE_API_ADDR"), [
        ServiceBinding(pb.DESCRIPTOR.services_by_name["EldercareService"].full_name,
                       pb_grpc.add_EldercareServiceServicer_to_server, EldercareApi(store, policy, relay)),
    ])

    def on_stop() -> None:
        relay.stop()  # after the drain, so events of the last calls are published first
        client.close()
        telemetry.shutdown()

    serve_until_signalled(api, number("LINLI_GRPC_DRAIN_SECONDS"), on_stop)


if __name__ == "__main__":
    main()
