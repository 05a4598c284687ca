"""python -m gateway: serve the gateway on GATEWAY_HOST:GATEWAY_PORT until SIGTERM."""
import asyncio

import uvicorn
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.grpc import GrpcAioInstrumentorClient, filters
from opentelemetry.metrics import NoOpMeterProvider

from gateway.app import create_app
from gateway.board import Board
from gateway.metrics import route_of
from linli.kit import metrics, telemetry
from linli.kit.config import number, setting


class _Server(uvicorn.Server):
    """uvicorn's server, plus: board streams end at once on SIGTERM, and spans are flushed on the way out."""

    def __init__(self, config: uvicorn.Config, board: Board):
        super().__init__(config)
        self.board = board
        self.loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets=None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().startup(sockets)

    def handle_exit(self, sig, frame) -> None:
        # Board streams never end by themselves: close them, or they hold the drain open to its limit.
        if not self.should_exit and self.loop is not None:
            self.loop.call_soon_threadsafe(self.board.close_streams)
        super().handle_exit(sig, frame)

    async def shutdown(self, sockets=None) -> None:
        await super().shutdown(sockets)
        # Now, not after run(): uvicorn re-raises the SIGTERM it caught, which ends the process.
        telemetry.shutdown()


def span_details(scope) -> tuple[str, dict[str, str]]:
    """The request span's name and route attribute, as OpenTelemetry's semantic conventions have them."""
    route, method = route_of(scope), scope.get("method")  # a WebSocket has no method
    if route == "unmatched":
        return method or "HTTP", {}
    return (f"{method} {route}" if method else route), {"http.route": route}


def main() -> None:
    telemetry.setup("gateway")
    metrics.serve("GATEWAY_METRICS_PORT")
    # Before any channel exists: the instrumentation wraps channels as they are created.
    GrpcAioInstrumentorClient(filter_=filters.negate(filters.health_check())).instrument()
    app = create_app()
    # One span per request, outermost, named by the route's template. OpenTelemetry's ASGI middleware alone,
    # not FastAPIInstrumentor, which wraps it in two more exception layers (RequestContext already turns a
    # crash into a problem) and names the span by trying every route in turn: route_of is one regular
    # expression, the one the metrics use. No child span per ASGI message sent or received (two or three
    # per request, saying nothing the request's span does not), and none of the instrumentation's own
    # HTTP metrics: gateway/metrics.py counts every request once, and nothing reads the copies. Health
    # probes would otherwise fill the trace store.
    app.add_middleware(OpenTelemetryMiddleware, excluded_urls="/healthz", default_span_details=span_details,
                       exclude_spans=["receive", "send"], meter_provider=NoOpMeterProvider())
    config = uvicorn.Config(
        app,
        host=setting("GATEWAY_HOST"),
        port=int(number("GATEWAY_PORT")),
        log_config=None,  # keep the JSON log lines telemetry.setup installed
        timeout_graceful_shutdown=number("GATEWAY_DRAIN_SECONDS"),
    )
    _Server(config, app.state.board).run()


if __name__ == "__main__":
    main()
