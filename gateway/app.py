"""The gateway's FastAPI application: REST over the service apis, the live board, health."""
import asyncio
import logging
import re
import uuid
from contextlib import asynccontextmanager

import grpc
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from grpc_health.v1 import health_pb2, health_pb2_grpc
from opentelemetry import trace
from pydantic import BaseModel
from starlette.datastructures import Headers, MutableHeaders

from gateway import (calls, care_requests, clinic, consultation_rooms, employment, meals, notify, openapi, problems,
                     residents, staff, staffing, volunteer)
from gateway.auth import Authenticator, IdentifyCaller
from gateway.board import Board, BoardEventData, BoardResetData, NotificationStreamData
from gateway.pages import board_page, consultation_page, shared_scripts, staffing_page
from gateway.board import router as board_router
from gateway.conditional import ConditionalGet
from gateway.idempotency import Idempotency, IdempotencyStore
from gateway.limits import BodyLimit, RefuseControlCharacters
from gateway.metrics import HttpMetrics, learn_routes, watch_board  # metrics (issue 15)
from gateway.problems import Problem
from gateway.rooms import SignalData, SignallingRelay
from gateway.rooms import router as rooms_router
from gateway.ratelimit import RateLimit, TokenBuckets
from gateway.shedding import LoadShedding, shedding_settings
from linli.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc
from linli.kit import grpc_client, telemetry
from linli.kit.config import number, setting

log = logging.getLogger(__name__)

ELDERCARE_SERVICE = eldercare_pb2.DESCRIPTOR.services_by_name["EldercareService"].full_name
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Headers a browser page on another origin (GATEWAY_CORS_ORIGINS) may send, and may read.
CORS_REQUEST_HEADERS = ["Accept-Language", "Authorization", "Content-Type", "Idempotency-Key", "If-None-Match",
                        "Last-Event-ID", "X-Request-Id"]
CORS_RESPONSE_HEADERS = ["ETag", "Location", "Retry-After", "X-Request-Id", "X-Trace-Id", "Idempotency-Replayed",
                         "RateLimit-Policy", "RateLimit", "Content-Language", "Allow"]


class Health(BaseModel):
    status: str


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
        request_id_token = telemetry.REQUEST_ID.set(request_id)  # every log line of this request carries it
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
            await problems.internal_error(scope, request_id)(scope, receive, send_with_ids)
        finally:
            telemetry.REQUEST_ID.reset(request_id_token)


def create_app(
    *,
    authenticator: Authenticator | None = None,
    board: Board | None = None,
    signalling: SignallingRelay | None = None,
    eldercare_addr: str | None = None,
    idempotency: IdempotencyStore | None = None,
    rate_limit: TokenBuckets | None = None,
) -> FastAPI:
    """The gateway app. Nothing connects until the lifespan starts (uvicorn, or `with TestClient(app)`)."""
    authenticator = authenticator or Authenticator.from_settings()
    board = board or Board(setting("AMQP_URI"))
    signalling = signalling or SignallingRelay(board.amqp_uri)  # the same broker as the board
    eldercare_addr = eldercare_addr or setting("ELDERCARE_API_ADDR")
    grpc_timeout = number("GATEWAY_GRPC_TIMEOUT_SECONDS")
    if idempotency is None:
        idempotency = IdempotencyStore.from_settings(grpc_timeout)
    if rate_limit is None:
        rate_limit = TokenBuckets(number("GATEWAY_RATE_LIMIT_PER_SECOND"), number("GATEWAY_RATE_LIMIT_BURST"))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # One channel per app: grpc.aio multiplexes every call over it.
        channel = grpc_client.aio_insecure_channel(eldercare_addr)
        app.state.eldercare = eldercare_pb2_grpc.EldercareServiceStub(channel)
        app.state.staff = staff.StaffServiceStub(channel)
        app.state.meals = meals.MealServiceStub(channel)
        app.state.residents = residents.ResidentServiceStub(channel)
        app.state.staffing = staffing.StaffingServiceStub(channel)
        app.state.health = health_pb2_grpc.HealthStub(channel)
        app.state.volunteer = volunteer.VolunteerStubs(setting("VOLUNTEER_API_ADDR"))
        app.state.employment = employment.EmploymentStubs(setting("EMPLOYMENT_API_ADDR"))
        app.state.notify = notify.NotifyStubs(setting("NOTIFY_API_ADDR"))
        clinic_channel = grpc_client.aio_insecure_channel(setting("CLINIC_API_ADDR"))
        app.state.clinic = clinic.ClinicStubs(clinic_channel)
        board.start(asyncio.get_running_loop())
        signalling.start(asyncio.get_running_loop())
        await asyncio.to_thread(idempotency.open)
        # The published document, built once before the first request and off the event loop (it takes
        # seconds on a busy machine); the metrics' route templates are read from it on the way.
        await asyncio.to_thread(learn_routes, app)
        try:
            yield
        finally:
            board.close_streams()
            signalling.close_streams()
            await asyncio.to_thread(board.stop)
            await asyncio.to_thread(signalling.stop)
            await channel.close(grace=1)
            await asyncio.to_thread(idempotency.close)
            await app.state.volunteer.close()
            await app.state.employment.close()
            await app.state.notify.close()
            await clinic_channel.close(grace=1)

    app = FastAPI(
        title="Linli gateway",
        version="1",
        description="REST API of the Linli community-services platform. Errors are RFC 9457 problems.",
        lifespan=lifespan,
        docs_url=None,  # openapi.install serves /docs without a CDN
        redoc_url=None,
        # FastAPI's own OpenTelemetry layer off: the gateway's process adds OpenTelemetry's ASGI middleware
        # (gateway/__main__.py), and its HTTP metrics are gateway/metrics.py's; two of each cost twice.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.authenticator = authenticator
    app.state.board = board
    app.state.signalling = signalling
    app.state.grpc_timeout = grpc_timeout
    problems.install(app)
    openapi.install(app, event_models=(BoardEventData, BoardResetData),
                    stream_items={"/signals": SignalData, "/notifications/stream": NotificationStreamData})
    # Each add_middleware wraps everything added before it, so they are added innermost first. A request
    # passes, outermost first: RequestContext (ids, crash → 500 problem) → CORS → BodyLimit (413; keeps the
    # body for the next ones; 422 for JSON nested too deep) → IdentifyCaller (checks the token once) →
    # RateLimit (429, per caller; RateLimit fields) → RefuseControlCharacters (422) → LoadShedding (503 when
    # overloaded; never a call for help: gateway/shedding.py) → Idempotency (replays) → ConditionalGet
    # (ETag, 304) → the routes. A request that needs a token and has no valid one passes the rate limit and
    # the input checks untouched, to be answered 401 by its route.
    app.add_middleware(ConditionalGet)
    app.add_middleware(Idempotency, store=idempotency, wait_seconds=grpc_timeout + 1)
    app.add_middleware(LoadShedding, **shedding_settings())
    app.add_middleware(RefuseControlCharacters)
    app.add_middleware(RateLimit, buckets=rate_limit)
    app.add_middleware(IdentifyCaller, authenticator=authenticator)
    app.add_middleware(BodyLimit, max_bytes=int(number("GATEWAY_MAX_BODY_BYTES")))
    cors_origins = [origin.strip() for origin in setting("GATEWAY_CORS_ORIGINS").split(",") if origin.strip()]
    app.state.cors_origins = cors_origins
    if cors_origins:
        # Bearer tokens, not cookies: no credentials mode, so no page can ride on a user's session.
        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_credentials=False,
                           allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                           allow_headers=CORS_REQUEST_HEADERS, expose_headers=CORS_RESPONSE_HEADERS, max_age=600)
    app.add_middleware(RequestContext)
    # Metrics (issue 15): outermost, so every answer counts, 500 problems and early refusals included.
    app.add_middleware(HttpMetrics)
    watch_board(board)
    app.include_router(care_requests.router)
    app.include_router(care_requests.me_router)
    app.include_router(staff.router)
    app.include_router(board_router)  # /v1/board/stream, /v1/me/care-requests/stream
    app.include_router(rooms_router)  # /v1/calls/ice-servers, /v1/rooms/{kind}/{id}/signals (kinds: calls.py)
    app.include_router(calls.router)  # /v1/care-requests/{id}/call...
    app.mount("/shared", shared_scripts(), name="shared")  # what the pages below share (SSE reading)
    app.mount("/board", board_page(), name="board")  # the operator's big-screen page
    app.include_router(meals.router)
    app.include_router(residents.router)
    app.include_router(volunteer.router)
    app.include_router(clinic.router)
    app.include_router(consultation_rooms.router)  # /v1/teleconsultations/{id}/room/...
    app.mount("/consultation", consultation_page(), name="consultation")  # the room's page
    app.include_router(employment.router)
    app.include_router(notify.router)
    app.include_router(staffing.router)
    app.mount("/staffing", staffing_page(), name="staffing")  # the administrators' staffing page

    @app.get("/livez", tags=["operations"], response_model=Health)
    async def livez() -> dict:
        """200 while the gateway's event loop runs. Asks no api, so a slow or failing dependency never gets
        the gateway restarted: that is readiness (/healthz), which only takes it out of the load balancer."""
        return {"status": "ok"}

    @app.get("/healthz", tags=["operations"], response_model=Health)
    async def healthz(request: Request) -> dict:
        """200 when the eldercare api is SERVING and the board is consuming; 503 problem otherwise."""
        failing = []
        if not board.connected:
            failing.append("the board's event consumer is not connected")
        if not signalling.connected:
            failing.append("the call signalling consumer is not connected")
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
