"""Run the volunteer api: python -m services.volunteer.api"""
from linli.kit import metrics, telemetry
from linli.kit.config import database_name, number, setting
from linli.kit.grpc_server import GrpcApi, ServiceBinding, serve_until_signalled
from linli.kit.mongo import connect, ensure_indexes
from linli.kit.outbox import OutboxRelay
from linli.volunteer.v1 import volunteer_pb2, volunteer_pb2_grpc
from services.volunteer.api.activities import ActivityApi
from services.volunteer.api.hours import HoursApi
from services.volunteer.api.volunteers import VolunteerApi
from services.volunteer.store import activities as activity_store
from services.volunteer.store import volunteers as volunteer_store
from services.volunteer.store.activities import ActivityStore
from services.volunteer.store.hours import HoursStore
from services.volunteer.store.volunteers import VolunteerStore


def binding(name: str, servicer) -> ServiceBinding:
    return ServiceBinding(volunteer_pb2.DESCRIPTOR.services_by_name[name].full_name,
                          getattr(volunteer_pb2_grpc, f"add_{name}Servicer_to_server"), servicer)


def servicers(client, db, relay: OutboxRelay | None, verify_url: str, clock=None) -> list[ServiceBinding]:
    """The api's three services over one database (the contract tests serve them with their own clock)."""
    clocked = {"clock": clock} if clock else {}
    volunteers, activities, ledger = VolunteerStore(db), ActivityStore(client, db), HoursStore(client, db)
    return [
        binding("VolunteerService", VolunteerApi(volunteers, **clocked)),
        binding("ActivityService", ActivityApi(activities, volunteers, relay, **clocked)),
        binding("HoursService", HoursApi(ledger, activities, volunteers, relay, verify_url, **clocked)),
    ]


def ensure_all_indexes(client, db) -> None:
    HoursStore(client, db).ensure_indexes()
    ensure_indexes(db, volunteer_store.INDEXES + activity_store.INDEXES)


def main() -> None:
    telemetry.setup("volunteer-api")
    metrics.serve("VOLUNTEER_API_METRICS_PORT")
    telemetry.instrument_grpc_server()
    client = connect(setting("MONGO_URI"), "volunteer-api")
    db = client[database_name("volunteer")]
    ensure_all_indexes(client, db)
    relay = OutboxRelay(db, setting("AMQP_URI"), poll_seconds=number("LINLI_OUTBOX_POLL_SECONDS")).start()
    api = GrpcApi(setting("VOLUNTEER_API_ADDR"), servicers(client, db, relay, setting("VOLUNTEER_CERTIFICATE_VERIFY_URL")))

    def on_stop() -> None:
        relay.stop()  # after the drain, so events of the last calls are published first
        client.close()
        telemetry.shutdown()

    serve_until_signalled(api, number("LINLI_GRPC_DRAIN_SECONDS"), on_stop)


if __name__ == "__main__":
    main()
