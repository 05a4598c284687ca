"""Run the notify api: python -m services.notify.api"""
from linli.kit import metrics, telemetry
from linli.kit.config import database_name, number, setting
from linli.kit.grpc_server import GrpcApi, ServiceBinding, serve_until_signalled
from linli.kit.mongo import connect, ensure_indexes
from linli.kit.outbox import INDEXES as OUTBOX_INDEXES
from linli.kit.outbox import OutboxRelay
from linli.notify.v1 import notify_pb2, notify_pb2_grpc
from services.notify.api.notify import NotifyApi
from services.notify.channels.webpush import load_key, public_key
from services.notify.store import notify as notify_store


def servicers(client, db, application_server_key: str, clock=None) -> list[ServiceBinding]:
    clocked = {"clock": clock} if clock else {}
    return [ServiceBinding(notify_pb2.DESCRIPTOR.services_by_name["NotifyService"].full_name,
                           notify_pb2_grpc.add_NotifyServiceServicer_to_server,
                           NotifyApi(notify_store.NotifyStore(client, db), application_server_key, **clocked))]


def main() -> None:
    telemetry.setup("notify-api")
    metrics.serve("NOTIFY_API_METRICS_PORT")
    telemetry.instrument_grpc_server()
    client = connect(setting("MONGO_URI"), "notify-api")
    db = client[database_name("notify")]
    ensure_indexes(db, notify_store.INDEXES + OUTBOX_INDEXES)
    # The worker writes emergency.unreached to this database's outbox; this relay publishes it.
    relay = OutboxRelay(db, setting("AMQP_URI"), poll_seconds=number("LINLI_OUTBOX_POLL_SECONDS")).start()
    key = public_key(load_key(setting("NOTIFY_VAPID_KEY_FILE")))
    api = GrpcApi(setting("NOTIFY_API_ADDR"), servicers(client, db, key))

    def on_stop() -> None:
        relay.stop()
        client.close()
        telemetry.shutdown()

    serve_until_signalled(api, number("LINLI_GRPC_DRAIN_SECONDS"), on_stop)


if __name__ == "__main__":
    main()
