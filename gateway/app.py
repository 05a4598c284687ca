"""The gateway's FastAPI application: REST over the service apis, the live board, health."""
import asyncio
import logging
import re
import uuid
from contextlib import asynccontextmanager

import grpc
from fastapi import FastAPI, Request
from grpc_health.v1 import health_pb2, health_pb2_grpc
from opentelemetry import trace
from starlette.datastructures import Headers, MutableHeaders

from gateway import care_requests, meals, problems, residents, staff
from gateway.auth import Authenticator
from gateway.board import Board, BoardPage
from gateway.board import router as board_router
from gateway.problems import Problem
from linli.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc
from linli.kit.config import number, setting

log = logging.getLogger(__name__)

ELDERCARE_SERVICE = eldercare_pb2.DESCRIPTOR.services_by_name["EldercareService"].full_name
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestContext:
    """Outermost app middleware: every response carries X-Request-Id (and X-Trace-Id inside a trace), and
    an unhandled exception becomes a 500 problem that names the request id instead of a stack trace."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        offered = Headers(scope=scope).get("x-request-id", "")
        request_id = offered if _SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_ids(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers["X-Request-Id"] = request_id
                span = trace.get_current_span().get_span_context()
                if span.is_valid:
                    headers["X-Trace-Id"] = format(span.trace_id, "032x")
            await send(message)

        try:
            await self.app(scope, receive, send_with_ids)
        except Exception as error:
            if started:
                raise  # too late for a problem document; the server closes the connection
            log.exception("unhandled error in %s %s (request %s)", scope["method"], scope["path"], request_id)
            trace.get_current_span().record_exception(error)
            await problems.internal_error(scope["path"], request_id)(scope, receive, send_with_ids)


def create_app(
    *,
    authenticator: Authenticator | None = None,
    board: Board | None = None,
    eldercare_addr: str | None = None,
) -> FastAPI:
    """The gateway app. Nothing connects until the lifespan starts (uvicorn, or `with TestClient(app)`)."""
    authenticator = authenticator or Authenticator.from_settings()
    board = board or Board(setting("AMQP_URI"))
    eldercare_addr = eldercare_addr or setting("ELDERCARE_API_ADDR")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # One channel per app: grpc.aio multiplexes every call over it.
        channel = grpc.aio.insecure_channel(eldercare_addr)
        app.state.eldercare = eldercare_pb2_grpc.EldercareServiceStub(channel)
        app.state.staff = staff.StaffServiceStub(channel)
        app.state.meals = meals.MealServiceStub(channel)
        app.state.residents = residents.ResidentServiceStub(channel)
        app.state.health = health_pb2_grpc.HealthStub(channel)
        board.start(asyncio.get_running_loop())
        try:
            yield
        finally:
            board.close_streams()
            await asyncio.to_thread(board.stop)
            await channel.close(grace=1)

    app = FastAPI(
        title="Linli gateway",
        version="1",
        description="REST API of the Linli community-services platform. Errors are RFC 9457 problems.",
        lifespan=lifespan,
    )
    app.state.authenticator = authenticator
    app.state.board = board
    app.state.grpc_timeout = number("GATEWAY_GRPC_TIMEOUT_SECONDS")
    problems.install(app)
    app.add_middleware(RequestContext)
    app.include_router(care_requests.router)
    app.include_router(care_requests.me_router)
    app.include_router(staff.router)
    app.include_router(board_router)  # /v1/board/stream, /v1/me/care-requests/stream
    app.mount("/board", BoardPage(), name="board")  # the operator's big-screen page
    app.include_router(meals.router)
    app.include_router(residents.router)

    @app.get("/healthz", tags=["operations"])
    async def healthz(request: Request) -> dict:
        """200 when the eldercare api is SERVING and the board is consuming; 503 problem otherwise."""
        failing = []
        if not board.connected:
            failing.append("the board's event consumer is not connected")
        try:
            reply = await request.app.state.health.Check(
                health_pb2.HealthCheckRequest(service=ELDERCARE_SERVICE), timeout=request.app.state.grpc_timeout
            )
            serving = reply.status == health_pb2.HealthCheckResponse.SERVING
        except grpc.RpcError:
            serving = False
        if not serving:
            failing.append("the eldercare api is not serving")
        if failing:
            raise Problem(503, "unavailable", "Service unavailable", "; ".join(failing) + ".")
        return {"status": "ok"}

    return app
