"""How every service's api process starts and stops (python -m services.<name>.api calls run()).

Telemetry and metrics first; then the service's database (MONGO_URI, its indexes ensured), the outbox
relay that publishes its events, and its gRPC services on <NAME>_API_ADDR. On SIGTERM: drain the calls
in flight, then stop the relay (so the events of the last calls are published first), close the database.
"""
from dataclasses import dataclass
from typing import Callable

from linli.kit import metrics, telemetry
from linli.kit.config import database_name, number, setting
from linli.kit.grpc_server import GrpcApi, ServiceBinding, serve_until_signalled
from linli.kit.indexes import ensure_service_indexes
from linli.kit.mongo import connect
from linli.kit.outbox import OutboxRelay


def binding(pb2_module, pb2_grpc_module, name: str, servicer) -> ServiceBinding:
    """How to serve gRPC service `name` of a generated *_pb2 / *_pb2_grpc pair with this servicer."""
    return ServiceBinding(pb2_module.DESCRIPTOR.services_by_name[name].full_name,
                          getattr(pb2_grpc_module, f"add_{name}Servicer_to_server"), servicer)


def _nothing(*_) -> None:
    pass


@dataclass
class Served:
    """What a service serves, when it is more than its bindings on the internal port (the clinic's partner
    exchange: a second server, started with the api and drained alongside it)."""

    bindings: list[ServiceBinding]
    started: Callable[[GrpcApi], None] = _nothing  # once the internal api listens
    before_drain: Callable[[], None] = _nothing  # as the internal api starts draining
    after_drain: Callable[[], None] = _nothing  # once it drained, before the relay stops


def run(service: str, indexes, build: Callable[..., "list[ServiceBinding] | Served"]) -> None:
    """Serve `service`'s api until SIGTERM or SIGINT. build(client, db) makes its servicers over its database
    and returns their bindings (or a Served). Events its transactions write are published by the relay
    started here, woken as each commits (linli.kit.outbox)."""
    prefix = service.upper()
    telemetry.setup(f"{service}-api")
    metrics.serve(f"{prefix}_API_METRICS_PORT")
    telemetry.instrument_grpc_server()
    client = connect(setting("MONGO_URI"), f"{service}-api")
    db = client[database_name(service)]
    ensure_service_indexes(db, indexes)
    relay = OutboxRelay(db, setting("AMQP_URI"), poll_seconds=number("LINLI_OUTBOX_POLL_SECONDS")).start()
    served = build(client, db)
    if not isinstance(served, Served):
        served = Served(served)
    api = GrpcApi(setting(f"{prefix}_API_ADDR"), served.bindings)
    served.started(api)

    def on_stop() -> None:
        served.after_drain()
        relay.stop()  # after the drain, so events of the last calls are published first
        client.close()
        telemetry.shutdown()

    serve_until_signalled(api, number("LINLI_GRPC_DRAIN_SECONDS"), on_stop, before_drain=served.before_drain)
