"""The gateway's metrics (linli.kit.metrics serves them): RED for every HTTP route by its template, the
requests refused by the rate limit (429) and by load shedding (503), and the board streams open."""
import time
import weakref

from starlette.routing import Match

from linli.kit import metrics

HTTP_SERVER_DURATION = metrics.meter.create_histogram(
    "linli_http_server_duration", unit="s",
    description="HTTP requests the gateway answered, by route template, method and status code (RED). "
                "Live streams (text/event-stream) are left out: they last as long as the viewer watches.")
HTTP_REFUSED = metrics.meter.create_counter(
    "linli_http_refused", unit="1",
    description="Requests the gateway refused to protect the platform, by route template and reason: "
                "rate_limited (429, one client too fast) or shed (503, the gateway overloaded).")

_BOARDS = weakref.WeakSet()


def _streams_open():
    yield sum(board.subscriber_count for board in list(_BOARDS)), {}


metrics.observe("linli_board_streams_open", _streams_open,
                description="Live streams (the command centre's board, families' own requests) this gateway serves now.")


def watch_board(board) -> None:
    _BOARDS.add(board)


def route_of(scope) -> str:
    """The route's template (/v1/care-requests/{care_request_id}), never the raw path: one series per
    route however many ids there are. Middleware that answers before routing (429, 503, 401) finds the
    route the way the router would."""
    route = scope.get("route")
    if route is None and scope.get("app") is not None:
        for candidate in scope["app"].router.routes:
            match, _ = candidate.matches(scope)
            if match == Match.FULL:
                route = candidate
                break
    return getattr(route, "path", None) or "unmatched"


def refused(scope, reason: str) -> None:
    HTTP_REFUSED.add(1, {"route": route_of(scope), "reason": reason})


class HttpMetrics:
    """Outermost app middleware: every HTTP request's duration by route template, method and status."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        response = {"status": 500, "stream": False}

        async def send_counted(message):
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                for name, value in message.get("headers", ()):
                    if name == b"content-type" and value.startswith(b"text/event-stream"):
                        response["stream"] = True
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        finally:
            if not response["stream"]:
                HTTP_SERVER_DURATION.record(time.perf_counter() - started, {
                    "route": route_of(scope), "method": scope["method"], "status_code": str(response["status"])})
