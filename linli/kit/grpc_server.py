"""The grpcio server every service api runs: identity from metadata, domain errors mapped to status
codes (with google.rpc details for bad input), health checking, reflection, graceful drain on SIGTERM.

Never run this inside an eventlet-patched process: grpcio's server hangs there.
"""
import contextlib
import logging
import signal
import threading
import time
import uuid
from concurrent import futures
from dataclasses import dataclass
from typing import Callable

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from linli.kit import identity, metrics, telemetry, text
from linli.kit.config import number
from linli.kit.errors import InvalidArgument, LinliError, check_fields
from linli.kit.protomap import unknown_enum_values

log = logging.getLogger(__name__)

# Calls anyone may make without an identity: probes and tooling.
PUBLIC_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")
DETAILS_KEY = "grpc-status-details-bin"
# Calls an api holds at once (running and waiting) per worker thread; more are refused at once.
MAX_QUEUED_PER_THREAD = 4


@dataclass(frozen=True)
class ServiceBinding:
    """One gRPC service to serve: its full name (for health and reflection), how to add it, its servicer."""

    full_name: str
    add_to_server: Callable
    servicer: object


# Budgets for what an error puts in the trailers: a client refuses trailers past 8 KiB (RESOURCE_EXHAUSTED,
# and the caller never learns what was wrong), and a request with a hundred bad fields must still be told.
MAX_MESSAGE_BYTES = 1024  # grpc-message, as sent: percent-encoded
MAX_VIOLATIONS_BYTES = 2048  # the BadRequest, before base64


def _encoded_length(text: str) -> int:
    return sum(1 if 0x20 <= byte < 0x7F and byte != 0x25 else 3 for byte in text.encode())


def _bounded(message: str) -> str:
    """The message, cut (with an ellipsis) to fit MAX_MESSAGE_BYTES once percent-encoded."""
    if _encoded_length(message) <= MAX_MESSAGE_BYTES:
        return message
    while _encoded_length(message) > MAX_MESSAGE_BYTES - 9:
        message = message[:len(message) * 9 // 10]
    return message + "…"


def _violations(fields: dict[str, str]) -> list:
    """As many field violations as fit MAX_VIOLATIONS_BYTES, in order; a last one says how many more."""
    violations, size = [], 0
    for index, (field, why) in enumerate(fields.items()):
        violation = error_details_pb2.BadRequest.FieldViolation(field=field[:200], description=why[:300])
        size += violation.ByteSize() + 4
        if size > MAX_VIOLATIONS_BYTES:
            violations.append(error_details_pb2.BadRequest.FieldViolation(
                field="", description=f"and {len(fields) - index} more field(s) not shown"))
            break
        violations.append(violation)
    return violations


def _abort(context: grpc.ServicerContext, error: LinliError):
    code = getattr(grpc.StatusCode, error.code)
    message = _bounded(error.message)
    if isinstance(error, InvalidArgument) and error.fields:
        bad_request = error_details_pb2.BadRequest(field_violations=_violations(error.fields))
        detail = any_pb2.Any()
        detail.Pack(bad_request)
        status = status_pb2.Status(code=code.value[0], message=message, details=[detail])
        context.set_trailing_metadata(((DETAILS_KEY, status.SerializeToString()),))
    context.abort(code, message)


def _aborted_already(context) -> bool:
    code = context.code()
    return code is not None and code != grpc.StatusCode.OK


def identity_from_metadata(context: grpc.ServicerContext) -> identity.Caller:
    """The caller the gateway forwarded in metadata: how the internal apis learn who calls."""
    return identity.from_metadata(context.invocation_metadata())


@contextlib.contextmanager
def _guarded(method: str, context: grpc.ServicerContext, identify, partner_calls: bool = False):
    """Around every call: set the caller, map domain errors, never leak a stack trace, count it."""
    started = time.perf_counter()
    with _counted(method, context, started, partner_calls) as counted:
        try:
            caller = identify(context)
        except LinliError as error:
            _abort(context, error)
        counted["partner"] = caller.subject
        with _serving(method, context, caller):
            yield


@contextlib.contextmanager
def _counted(method: str, context: grpc.ServicerContext, started: float, partner_calls: bool):
    """The call's status code and duration into linli.kit.metrics (and, on the partner port, which
    partner called: by its certificate's name, or `unlisted` for one refused)."""
    counted = {"partner": "unlisted", "code": "OK"}
    try:
        yield counted
    except Exception:
        counted["code"] = "INTERNAL"
        raise
    finally:
        code = context.code() if hasattr(context, "code") else None
        name = code.name if isinstance(code, grpc.StatusCode) else counted["code"]
        metrics.grpc_call_handled(method, name, time.perf_counter() - started)
        if partner_calls:
            metrics.PARTNER_CALLS.add(1, {"partner": counted["partner"], "grpc_method": method.rpartition("/")[2],
                                          "grpc_code": name})


@contextlib.contextmanager
def _serving(method: str, context: grpc.ServicerContext, caller):
    token = identity.use_caller(caller)
    # The gateway's request id, so this api's log lines name the HTTP request they serve.
    request_id = telemetry.REQUEST_ID.set(dict(context.invocation_metadata() or ()).get("x-request-id"))
    try:
        yield
    except LinliError as error:
        _abort(context, error)
    except Exception:
        if _aborted_already(context):
            raise
        reference = uuid.uuid4().hex[:12]
        log.exception("unhandled error in %s (reference %s)", method, reference)
        context.abort(grpc.StatusCode.INTERNAL, f"internal error; reference {reference}")
    finally:
        identity.reset_caller(token)
        telemetry.REQUEST_ID.reset(request_id)


def _decode(deserializer, raw: bytes):
    """The request, parsed inside the guard: bytes that are not the method's message (malformed, or a field
    of the wrong type) are the caller's fault, INVALID_ARGUMENT, where grpcio itself would answer INTERNAL.
    So is an enum number the proto does not define, refused here once for every api (naming each field)
    before anything is looked up: the services would otherwise read it as unspecified and ignore it."""
    if deserializer is None:
        return raw
    try:
        request = deserializer(raw)
    except Exception:  # google.protobuf.message.DecodeError, and what a wrong wire type raises
        raise InvalidArgument("malformed request: the bytes are not this method's request message") from None
    check_fields(unknown_enum_values(request), "unknown enum value")
    # Once for every method of every api: no text field carries a control character (linli/kit/text.py).
    fields = text.fields_with_control_characters(request)
    if fields:
        raise InvalidArgument(f"{', '.join(fields)}: {text.RULE}", {field: text.RULE for field in fields})
    return request


def _guard_unary(method: str, behaviour, identify, deserializer=None, partner_calls=False):
    def handle(request, context):
        with _guarded(method, context, identify, partner_calls):
            return behaviour(_decode(deserializer, request), context)

    return handle


def _guard_stream(method: str, behaviour, identify, deserializer=None, partner_calls=False):
    def handle(request, context):
        with _guarded(method, context, identify, partner_calls):
            yield from behaviour(_decode(deserializer, request), context)

    return handle


class _GuardInterceptor(grpc.ServerInterceptor):
    def __init__(self, identify, partner_calls: bool = False):
        self.identify = identify
        self.partner_calls = partner_calls

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(PUBLIC_PREFIXES):
            return handler
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                _guard_unary(method, handler.unary_unary, self.identify, handler.request_deserializer,
                             self.partner_calls),
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                _guard_stream(method, handler.unary_stream, self.identify, handler.request_deserializer,
                              self.partner_calls),
                response_serializer=handler.response_serializer,
            )
        return handler


class GrpcApi:
    """A started grpcio server with health and reflection; stop() drains it.

    By default it listens in plaintext and takes the caller from metadata (the gateway's forwarding);
    a server for callers outside the platform passes TLS credentials and its own identify(context)
    (the clinic's partner port: mutual TLS, the partner named by its client certificate)."""

    def __init__(self, address: str, bindings: list[ServiceBinding], max_workers: int = 16,
                 credentials: grpc.ServerCredentials | None = None,
                 identify: Callable[[grpc.ServicerContext], identity.Caller] = identity_from_metadata,
                 max_connection_age: float | None = None, partner_calls: bool = False):
        options = [("grpc.max_receive_message_length", 4 * 1024 * 1024)]
        # A client keeps its connection, and so its replica, for good: asking it to reconnect now and then
        # (with grpc_client's round_robin over the name's addresses) spreads calls over replicas as they
        # come and go. grpcio adds ±10 % jitter, so clients do not all reconnect at once.
        age = number("LINLI_GRPC_MAX_CONNECTION_AGE_SECONDS") if max_connection_age is None else max_connection_age
        if age > 0:
            options += [("grpc.max_connection_age_ms", int(age * 1000)),
                        ("grpc.max_connection_age_grace_ms", int(number("LINLI_GRPC_DRAIN_SECONDS") * 1000))]
        self.server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="grpc"),
            interceptors=[_GuardInterceptor(identify, partner_calls)],
            options=options,
            # Past this many calls in hand, a new one is refused at once (RESOURCE_EXHAUSTED) instead of
            # queueing without bound: under overload the queue grew past every caller's deadline and almost
            # nothing was answered in time (docs/performance.md, the district day over gRPC).
            maximum_concurrent_rpcs=max_workers * MAX_QUEUED_PER_THREAD,
        )
        self.health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        for binding in bindings:
            binding.add_to_server(binding.servicer, self.server)
        names = [binding.full_name for binding in bindings]
        reflection.enable_server_reflection([*names, health.SERVICE_NAME, reflection.SERVICE_NAME], self.server)
        if credentials is None:
            self.port = self.server.add_insecure_port(address)
        else:
            self.port = self.server.add_secure_port(address, credentials)
        if self.port == 0:
            raise SystemExit(f"cannot listen on {address}")
        self.server.start()
        for name in ["", *names]:
            self.health.set(name, health_pb2.HealthCheckResponse.SERVING)

    def stop(self, grace_seconds: float) -> None:
        """Report NOT_SERVING so load balancers stop sending, then let in-flight calls finish."""
        self.health.enter_graceful_shutdown()
        self.server.stop(grace_seconds).wait()


def serve_until_signalled(api: GrpcApi, grace_seconds: float, on_stop: Callable[[], None] = lambda: None,
                          before_drain: Callable[[], None] = lambda: None) -> None:
    """Serve until SIGTERM or SIGINT; then before_drain() (e.g. start draining a second server), drain
    this one, and on_stop()."""
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    log.info("serving gRPC on port %d", api.port)
    stopping.wait()
    log.info("draining for up to %.0fs", grace_seconds)
    before_drain()
    api.stop(grace_seconds)
    on_stop()
    log.info("stopped")
