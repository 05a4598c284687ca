"""The gateway's metrics (linli.kit.metrics serves them): RED for every HTTP route by its template, the
requests refused by the rate limit (429) and by load shedding (503), and the board streams open."""
import re
import time
import weakref

from starlette.routing import Mount, Route

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


def learn_routes(app) -> None:
    """Build the route matcher (at start-up, off the event loop: the app's OpenAPI document is made on the
    way, which takes long enough to make the loop late and shed requests)."""
    app.state.route_matcher = _matcher(app)


def route_of(scope) -> str:
    """The route's template (/v1/care-requests/{care_request_id}), never the raw path: one series per
    route however many ids there are. Taken from the app's own OpenAPI paths (and its mounts), so it is
    the same for requests middleware answers before routing (429, 503, 401) as for the rest."""
    app = scope.get("app")
    matcher = getattr(app.state, "route_matcher", None) if app is not None else None
    if matcher is None:  # before start-up finished
        return getattr(scope.get("route"), "path", None) or "unmatched"
    compiled, templates = matcher
    match = compiled.match(scope["path"])
    return templates[match.lastgroup] if match else "unmatched"


def _matcher(app) -> tuple[re.Pattern, dict[str, str]]:
    """One regular expression over every route template, literal segments before parameters (as the
    routes are declared: /v1/devices/maintenance-alerts before /v1/devices/{device_id})."""
    paths = set(app.openapi().get("paths", {}))
    paths |= {route.path for route in app.routes if isinstance(route, Route)}  # /openapi.json, /docs
    templates = sorted(paths, key=lambda path: (path.count("{"), path))
    patterns, names = [], {}
    for number, template in enumerate(templates):
        pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part)
                          for part in re.split(r"(\{[^}]+\})", template))
        patterns.append(f"(?P<r{number}>{pattern})")
        names[f"r{number}"] = template
    for number, route in enumerate(app.routes):
        if isinstance(route, Mount):  # the board's page and its files
            patterns.append(f"(?P<m{number}>{re.escape(route.path)}(?:/.*)?)")
            names[f"m{number}"] = route.path
    return re.compile("^(?:" + "|".join(patterns) + ")$"), names


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
