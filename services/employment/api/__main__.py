"""Run the employment api: python -m services.employment.api"""
from linli.employment.v1 import fairs_pb2, fairs_pb2_grpc, jobs_pb2, jobs_pb2_grpc, seekers_pb2, seekers_pb2_grpc
from linli.employment.v1 import training_pb2, training_pb2_grpc, workshop_pb2, workshop_pb2_grpc
from linli.kit import api
from linli.kit.grpc_server import ServiceBinding
from linli.kit.mongo import utcnow
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


def bindings(client, db, clock=utcnow) -> list[ServiceBinding]:
    """Every employment gRPC service over one database (the contract tests serve these too, with a clock)."""
    jobs, seekers, applications = JobStore(client, db), SeekerStore(client, db), ApplicationStore(client, db)
    fairs, training, workshop = FairStore(client, db), TrainingStore(client, db), WorkshopStore(client, db)
    return [
        api.binding(jobs_pb2, jobs_pb2_grpc, "JobService", JobApi(jobs, seekers, applications, fairs, clock)),
        api.binding(seekers_pb2, seekers_pb2_grpc, "SeekerService",
                    SeekerApi(seekers, jobs, applications, fairs, clock)),
        api.binding(fairs_pb2, fairs_pb2_grpc, "FairService", FairApi(fairs, jobs, applications, training, clock)),
        api.binding(training_pb2, training_pb2_grpc, "TrainingService",
                    TrainingApi(training, seekers, jobs, fairs, clock)),
        api.binding(workshop_pb2, workshop_pb2_grpc, "WorkshopService", WorkshopApi(workshop, clock)),
    ]


if __name__ == "__main__":
    api.run("employment", INDEXES, bindings)
