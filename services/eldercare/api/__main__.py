"""Run the eldercare api: python -m services.eldercare.api"""
from linli.eldercare.v1 import eldercare_pb2
from linli.eldercare.v1 import eldercare_pb2_grpc
from linli.kit import telemetry
from linli.kit.config import database_name, number, setting
from linli.kit.grpc_server import GrpcApi, ServiceBinding, serve_until_signalled
from linli.kit.mongo import connect
from linli.kit.outbox import OutboxRelay
from services.eldercare.api.care_requests import EldercareApi
from services.eldercare.policy import with_emergency_sla
from services.eldercare.store.care_requests import CareRequestStore


def binding(module, name: str, servicer) -> ServiceBinding:
    """How to serve one gRPC service of a generated *_pb2 / *_pb2_grpc pair."""
    return ServiceBinding(module.DESCRIPTOR.services_by_name[name].full_name,
                          getattr(grpc_modules[module], f"add_{name}Servicer_to_server"), servicer)


grpc_modules = {eldercare_pb2: eldercare_pb2_grpc}


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
        binding(eldercare_pb2, "EldercareService", EldercareApi(store, policy, relay)),
    ])

    def on_stop() -> None:
        relay.stop()  # after the drain, so events of the last calls are published first
        client.close()
        telemetry.shutdown()

    serve_until_signalled(api, number("LINLI_GRPC_DRAIN_SECONDS"), on_stop)


if __name__ == "__main__":
    main()
