"""Run the notify api: python -m services.notify.api

Its relay publishes what the worker writes to this database's outbox (emergency.unreached)."""
from linli.kit import api
from linli.kit.config import setting
from linli.kit.grpc_server import ServiceBinding
from linli.notify.v1 import notify_pb2, notify_pb2_grpc
from services.notify.api.notify import NotifyApi
from services.notify.channels.webpush import load_key, public_key
from services.notify.store import INDEXES
from services.notify.store.notify import NotifyStore


def bindings(client, db, application_server_key: str | None = None, clock=None) -> list[ServiceBinding]:
    """The notify service over one database (the contract tests serve it with their own key and clock)."""
    clocked = {"clock": clock} if clock else {}
    key = application_server_key or public_key(load_key(setting("NOTIFY_VAPID_KEY_FILE")))
    return [api.binding(notify_pb2, notify_pb2_grpc, "NotifyService",
                        NotifyApi(NotifyStore(client, db), key, **clocked))]


if __name__ == "__main__":
    api.run("notify", INDEXES, bindings)
