"""Run the eldercare api: python -m services.eldercare.api"""
from datetime import timedelta

from linli.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc, staff_pb2, staff_pb2_grpc
from linli.eldercare.v1 import meals_pb2, meals_pb2_grpc
from linli.eldercare.v1 import residents_pb2, residents_pb2_grpc
from linli.eldercare.v1 import staffing_pb2, staffing_pb2_grpc
from linli.kit import metrics, telemetry
from linli.kit.config import database_name, number, setting
from linli.kit.grpc_server import GrpcApi, ServiceBinding, serve_until_signalled
from linli.kit.mongo import connect, ensure_indexes
from linli.kit.outbox import OutboxRelay
from services.eldercare.api.care_requests import EldercareApi
from services.eldercare.api.meals import MealApi
from services.eldercare.api.residents import ResidentApi
from services.eldercare.api.staff import StaffApi
from services.eldercare import metrics as care_metrics
from services.eldercare.api.staffing import StaffingApi
from services.eldercare.policy import with_emergency_sla
from services.eldercare.store import staff as staff_store
from services.eldercare.store import meals as meal_store
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store.recordings import RecordingStore
from services.eldercare.store.residents import ResidentStore
from services.eldercare.store.staff import StaffStore
from services.eldercare.store.staffing import StaffingStore


def binding(module, name: str, servicer) -> ServiceBinding:
    """How to serve one gRPC service of a generated *_pb2 / *_pb2_grpc pair."""
    return ServiceBinding(module.DESCRIPTOR.services_by_name[name].full_name,
                          getattr(grpc_modules[module], f"add_{name}Servicer_to_server"), servicer)


grpc_modules = {eldercare_pb2: eldercare_pb2_grpc, staff_pb2: staff_pb2_grpc, meals_pb2: meals_pb2_grpc,
                residents_pb2: residents_pb2_grpc, staffing_pb2: staffing_pb2_grpc}


def main() -> None:
    telemetry.setup("eldercare-api")
    metrics.serve("ELDERCARE_API_METRICS_PORT")
    telemetry.instrument_grpc_server()
    client = connect(setting("MONGO_URI"), "eldercare-api")
    db = client[database_name("eldercare")]
    store = CareRequestStore(client, db)
    store.ensure_indexes()
    ensure_indexes(db, staff_store.INDEXES)
    ensure_indexes(db, meal_store.INDEXES)
    staff = StaffStore(db)
    elders = ResidentStore(client, db)
    elders.ensure_indexes()
    recordings = RecordingStore(client, db)
    recordings.ensure_indexes()
    care_metrics.watch(db, number("ELDERCARE_EMERGENCY_ACK_SLA_SECONDS"))
    relay = OutboxRelay(db, setting("AMQP_URI"), poll_seconds=number("LINLI_OUTBOX_POLL_SECONDS")).start()
    policy = with_emergency_sla(number("ELDERCARE_EMERGENCY_ACK_SLA_SECONDS"))
    api = GrpcApi(setting("ELDERCARE_API_ADDR"), [
        binding(eldercare_pb2, "EldercareService",
                EldercareApi(store, staff, policy, relay, family_of=elders.family_of,
                             elder_of=elders.get_elder, terminal_of=elders.terminal_of, recordings=recordings,
                             recording_retention=timedelta(days=number("ELDERCARE_RECORDING_RETENTION_DAYS")))),
        binding(staff_pb2, "StaffService", StaffApi(staff)),
        binding(meals_pb2, "MealService",
                MealApi(meal_store.MealStore(client, db), store, policy, relay, family_of=elders.family_of,
                        elder_home=elders.home_for_visit)),
        binding(residents_pb2, "ResidentService", ResidentApi(elders, store, policy, relay)),
        binding(staffing_pb2, "StaffingService", StaffingApi(StaffingStore(db), policy)),
    ])

    def on_stop() -> None:
        relay.stop()  # after the drain, so events of the last calls are published first
        client.close()
        telemetry.shutdown()

    serve_until_signalled(api, number("LINLI_GRPC_DRAIN_SECONDS"), on_stop)


if __name__ == "__main__":
    main()
