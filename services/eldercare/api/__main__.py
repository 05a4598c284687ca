"""Run the eldercare api: python -m services.eldercare.api"""
from datetime import timedelta

from linli.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc, meals_pb2, meals_pb2_grpc
from linli.eldercare.v1 import residents_pb2, residents_pb2_grpc, staff_pb2, staff_pb2_grpc
from linli.eldercare.v1 import staffing_pb2, staffing_pb2_grpc
from linli.kit import api
from linli.kit.config import number
from linli.kit.grpc_server import ServiceBinding
from services.eldercare import metrics as care_metrics
from services.eldercare.api.care_requests import EldercareApi
from services.eldercare.api.meals import MealApi
from services.eldercare.api.residents import ResidentApi
from services.eldercare.api.staff import StaffApi
from services.eldercare.api.staffing import StaffingApi
from services.eldercare.policy import with_emergency_sla
from services.eldercare.store import INDEXES
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store.meals import MealStore
from services.eldercare.store.recordings import RecordingStore
from services.eldercare.store.residents import ResidentStore
from services.eldercare.store.staff import StaffStore
from services.eldercare.store.staffing import StaffingStore


def bindings(client, db) -> list[ServiceBinding]:
    """Every eldercare gRPC service over one database (run once, as the api starts)."""
    store, staff, elders = CareRequestStore(client, db), StaffStore(db), ResidentStore(client, db)
    store.backfill_waiting_since()  # requests saved before the live list's sort key existed
    sla = number("ELDERCARE_EMERGENCY_ACK_SLA_SECONDS")
    care_metrics.watch(db, sla)
    policy = with_emergency_sla(sla)
    return [
        api.binding(eldercare_pb2, eldercare_pb2_grpc, "EldercareService",
                    EldercareApi(store, staff, policy, family_of=elders.family_of,
                                 elder_of=elders.get_elder, terminal_of=elders.terminal_of,
                                 recordings=RecordingStore(client, db),
                                 recording_retention=timedelta(days=number("ELDERCARE_RECORDING_RETENTION_DAYS")))),
        api.binding(staff_pb2, staff_pb2_grpc, "StaffService", StaffApi(staff)),
        api.binding(meals_pb2, meals_pb2_grpc, "MealService",
                    MealApi(MealStore(client, db), store, policy, family_of=elders.family_of,
                            elder_home=elders.home_for_visit)),
        api.binding(residents_pb2, residents_pb2_grpc, "ResidentService", ResidentApi(elders, store, policy)),
        api.binding(staffing_pb2, staffing_pb2_grpc, "StaffingService", StaffingApi(StaffingStore(db), policy)),
    ]


if __name__ == "__main__":
    api.run("eldercare", INDEXES, bindings)
