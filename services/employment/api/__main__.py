"""Run the employment api: python -m services.employment.api"""
from linli.employment.v1 import fairs_pb2, fairs_pb2_grpc, jobs_pb2, jobs_pb2_grpc, seekers_pb2, seekers_pb2_grpc
from linli.employment.v1 import training_pb2, training_pb2_grpc, workshop_pb2, workshop_pb2_grpc
from linli.kit import consumer, outbox, metrics, telemetry
from linli.kit.config import database_name, number, setting
from linli.kit.grpc_server import GrpcApi, ServiceBinding, serve_until_signalled
from linli.kit.mongo import connect, ensure_indexes, utcnow
from linli.kit.outbox import OutboxRelay
from services.employment.api.common import Publisher
from services.employment.api.fairs import FairApi
from services.employment.api.jobs import JobApi
from services.employment.api.seekers import SeekerApi
from services.employment.api.training import TrainingApi
from services.employment.api.workshop import WorkshopApi
from services.employment.store import INDEXES
from services.employment.store.applications import ApplicationStore
from services.employment.store.fairs import FairStore
from services.employment.store.jobs import JobStore
from services.employment.store.seekers import SeekerStore
from services.employment.store.training import TrainingStore
from services.employment.store.workshop import WorkshopStore

GRPC_MODULES = {jobs_pb2: jobs_pb2_grpc, seekers_pb2: seekers_pb2_grpc, fairs_pb2: fairs_pb2_grpc,
                training_pb2: training_pb2_grpc, workshop_pb2: workshop_pb2_grpc}


def binding(module, name: str, servicer) -> ServiceBinding:
    """How to serve one gRPC service of a generated *_pb2 / *_pb2_grpc pair."""
    return ServiceBinding(module.DESCRIPTOR.services_by_name[name].full_name,
                          getattr(GRPC_MODULES[module], f"add_{name}Servicer_to_server"), servicer)


def bindings(client, db, relay: OutboxRelay | None, clock=utcnow) -> list[ServiceBinding]:
    """Every employment gRPC service over one database (the contract tests serve these too, with a clock)."""
    jobs, seekers, applications = JobStore(client, db), SeekerStore(client, db), ApplicationStore(client, db)
    fairs, training, workshop = FairStore(client, db), TrainingStore(client, db), WorkshopStore(client, db)
    publisher = Publisher(relay)
    return [
        binding(jobs_pb2, "JobService", JobApi(jobs, seekers, applications, fairs, publisher, clock)),
        binding(seekers_pb2, "SeekerService", SeekerApi(seekers, jobs, applications, fairs, publisher, clock)),
        binding(fairs_pb2, "FairService", FairApi(fairs, jobs, applications, training, publisher, clock)),
        binding(training_pb2, "TrainingService", TrainingApi(training, seekers, jobs, fairs, publisher, clock)),
        binding(workshop_pb2, "WorkshopService", WorkshopApi(workshop, publisher, clock)),
    ]


def main() -> None:
    telemetry.setup("employment-api")
    metrics.serve("EMPLOYMENT_API_METRICS_PORT")
    telemetry.instrument_grpc_server()
    client = connect(setting("MONGO_URI"), "employment-api")
    db = client[database_name("employment")]
    ensure_indexes(db, INDEXES + consumer.INDEXES + outbox.INDEXES)
    relay = OutboxRelay(db, setting("AMQP_URI"), poll_seconds=number("LINLI_OUTBOX_POLL_SECONDS")).start()
    api = GrpcApi(setting("EMPLOYMENT_API_ADDR"), bindings(client, db, relay))

    def on_stop() -> None:
        relay.stop()  # after the drain, so events of the last calls are published first
        client.close()
        telemetry.shutdown()

    serve_until_signalled(api, number("LINLI_GRPC_DRAIN_SECONDS"), on_stop)


if __name__ == "__main__":
    main()
