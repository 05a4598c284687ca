"""Run the volunteer api: python -m services.volunteer.api"""
from linli.kit import api
from linli.kit.config import setting
from linli.kit.grpc_server import ServiceBinding
from linli.volunteer.v1 import volunteer_pb2, volunteer_pb2_grpc
from services.volunteer.api.activities import ActivityApi
from services.volunteer.api.hours import HoursApi
from services.volunteer.api.volunteers import VolunteerApi
from services.volunteer.store import INDEXES
from services.volunteer.store.activities import ActivityStore
from services.volunteer.store.hours import HoursStore
from services.volunteer.store.volunteers import VolunteerStore


def bindings(client, db, verify_url: str | None = None, clock=None) -> list[ServiceBinding]:
    """The api's three services over one database (the contract tests serve them with their own clock)."""
    clocked = {"clock": clock} if clock else {}
    verify_url = verify_url or setting("VOLUNTEER_CERTIFICATE_VERIFY_URL")
    volunteers, activities, ledger = VolunteerStore(db), ActivityStore(client, db), HoursStore(client, db)
    return [
        api.binding(volunteer_pb2, volunteer_pb2_grpc, "VolunteerService", VolunteerApi(volunteers, **clocked)),
        api.binding(volunteer_pb2, volunteer_pb2_grpc, "ActivityService",
                    ActivityApi(activities, volunteers, **clocked)),
        api.binding(volunteer_pb2, volunteer_pb2_grpc, "HoursService",
                    HoursApi(ledger, activities, volunteers, verify_url, **clocked)),
    ]


if __name__ == "__main__":
    api.run("volunteer", INDEXES, bindings)
