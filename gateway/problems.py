"""Every error the gateway returns is an RFC 9457 problem (application/problem+json) with a stable type URI.

Problems raised by the gateway itself, gRPC errors from the service apis, FastAPI's request validation,
unknown routes and unhandled exceptions all end up in the same shape:
{type, title, status, detail, instance[, errors: [{field, message}]]}.

Titles and details come in the caller's language (Accept-Language: English, or Simplified Chinese;
gateway/problem_text.py); the type URI never changes with it.
"""
import logging

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from google.protobuf.message import DecodeError
from google.rpc import error_details_pb2, status_pb2
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway import problem_text

log = logging.getLogger(__name__)

TYPE_BASE = "https://linli.example/problems/"
MEDIA_TYPE = "application/problem+json"
DETAILS_KEY = "grpc-status-details-bin"


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. location.floor")
    message: str


class ProblemDetails(BaseModel):
    """An RFC 9457 problem (application/problem+json). `type` is stable: branch on it, not on `title`."""

    type: str = Field(description=f"{TYPE_BASE}<slug>, e.g. {TYPE_BASE}not-found")
    title: str
    status: int
    detail: str
    instance: str = Field(description="The request path")
    errors: list[FieldProblem] | None = Field(None, description="Field by field, on 400 and 422")


class Problem(Exception):
    """Raise to answer with a problem document."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str | None = None,
        *,
        errors: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail or title)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(problem: Problem, scope) -> JSONResponse:
    """The problem as a response to the request `scope` describes: its path is the instance, its
    Accept-Language chooses the words."""
    language = problem_text.negotiate(Headers(scope=scope).get("accept-language"))
    body = {
        "type": TYPE_BASE + problem.slug,
        "title": problem_text.title(problem.slug, problem.title, language),
        "status": problem.status,
        "detail": problem_text.detail(problem.slug, problem.detail, problem.title, language),
        "instance": scope["path"],
    }
    if problem.errors is not None:
        body["errors"] = problem.errors
    headers = {**problem.headers, "Content-Language": language, "Vary": "Accept-Language"}
    return JSONResponse(body, status_code=problem.status, headers=headers, media_type=MEDIA_TYPE)


# gRPC status → (HTTP status, slug, title). The api's message is meant for callers, so 4xx carry it as detail.
GRPC_PROBLEMS: dict[grpc.StatusCode, tuple[int, str, str]] = {
    grpc.StatusCode.INVALID_ARGUMENT: (400, "invalid-argument", "Invalid argument"),
    grpc.StatusCode.OUT_OF_RANGE: (400, "out-of-range", "Out of range"),
    grpc.StatusCode.NOT_FOUND: (404, "not-found", "Not found"),
    grpc.StatusCode.ALREADY_EXISTS: (409, "already-exists", "Already exists"),
    grpc.StatusCode.FAILED_PRECONDITION: (409, "failed-precondition", "Not allowed in the current state"),
    grpc.StatusCode.ABORTED: (409, "aborted", "Changed concurrently; retry"),
    grpc.StatusCode.PERMISSION_DENIED: (403, "forbidden", "Forbidden"),
    grpc.StatusCode.UNAUTHENTICATED: (401, "unauthenticated", "Unauthenticated"),
    grpc.StatusCode.RESOURCE_EXHAUSTED: (429, "too-many-requests", "Too many requests"),
    grpc.StatusCode.DEADLINE_EXCEEDED: (504, "upstream-timeout", "A service did not answer in time"),
    grpc.StatusCode.UNAVAILABLE: (503, "unavailable", "Service unavailable"),
}
# Anything else (UNKNOWN, INTERNAL, DATA_LOSS, UNIMPLEMENTED, CANCELLED) is the upstream failing.
UPSTREAM_FAILURE = (502, "upstream-error", "A service failed")


def field_violations(trailing_metadata) -> list[dict]:
    """The google.rpc.BadRequest field violations in a gRPC error's trailers, as [{field, message}]."""
    for key, value in trailing_metadata or ():
        if key != DETAILS_KEY:
            continue
        try:
            status = status_pb2.Status.FromString(value)
        except DecodeError:
            return []
        violations = []
        for detail in status.details:
            bad_request = error_details_pb2.BadRequest()
            if detail.Unpack(bad_request):
                violations += [{"field": v.field, "message": v.description} for v in bad_request.field_violations]
        return violations
    return []


def from_rpc_error(error: grpc.RpcError) -> Problem:
    code = error.code()
    status, slug, title = GRPC_PROBLEMS.get(code, UPSTREAM_FAILURE)
    if status >= 500:
        # Server-side messages can carry internals (grpcio puts exception text in UNKNOWN): log, don't relay.
        log.warning("gRPC call failed: %s %s", code.name if code else code, error.details())
        return Problem(status, slug, title, headers={"Retry-After": "1"} if status == 503 else None)
    problem = Problem(status, slug, title, error.details() or None)
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        problem.errors = field_violations(error.trailing_metadata())
    if code == grpc.StatusCode.UNAUTHENTICATED:
        problem.headers["WWW-Authenticate"] = 'Bearer realm="linli", error="invalid_token"'
    return problem


def validation_errors(error: RequestValidationError) -> list[dict]:
    """Pydantic's errors as [{field, message}]; field is the dotted path without body/query/path/header."""
    errors = []
    for item in error.errors():
        if item.get("type") == "json_invalid":
            errors.append({"field": "body", "message": _json_error(error.body, item)})
            continue
        location = [str(part) for part in item.get("loc", ())]
        field = ".".join(location[1:]) or ".".join(location)
        errors.append({"field": field, "message": _message(item)})
    return errors


def _json_error(document, item: dict) -> str:
    """Where a body is not JSON, in words: line and column (1-based), and what the parser expected."""
    position = item["loc"][-1] if isinstance(item["loc"][-1], int) else 0
    text = document if isinstance(document, str) else ""
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    why = (item.get("ctx") or {}).get("error", "invalid JSON")
    return f"not valid JSON: {why} at line {line}, column {column}"


def _message(item: dict) -> str:
    """Pydantic's message, except where it would mislead: a value of the wrong shape is malformed."""
    if item.get("type") == "string_pattern_mismatch":
        return f"malformed: must match {(item.get('ctx') or {}).get('pattern', 'the documented pattern')}"
    return item.get("msg", "invalid")


def install(app: FastAPI) -> None:
    """Answer every raised error with a problem. (Unhandled exceptions: see app.RequestContext.)"""

    async def on_problem(request: Request, problem: Problem):
        return problem_response(problem, request.scope)

    async def on_rpc_error(request: Request, error: grpc.RpcError):
        return problem_response(from_rpc_error(error), request.scope)

    async def on_validation_error(request: Request, error: RequestValidationError):
        problem = Problem(
            422, "validation-failed", "Invalid request", "The request has invalid fields.",
            errors=validation_errors(error),
        )
        return problem_response(problem, request.scope)

    async def on_http_error(request: Request, error: StarletteHTTPException):
        slug, title = {
            404: ("not-found", "Not found"),
            405: ("method-not-allowed", "Method not allowed"),
        }.get(error.status_code, ("http-error", "HTTP error"))
        detail = error.detail if isinstance(error.detail, str) else None
        headers = dict(error.headers or {})
        if error.status_code == 405:
            # Starlette names the methods of the first route that matched the path; a path served by several
            # routes (GET and POST /v1/care-requests) allows all of theirs.
            allowed = allowed_methods(request.app, request.scope)
            headers["Allow"] = ", ".join(allowed)
            detail = f"Allowed here: {', '.join(allowed)}."
        problem = Problem(error.status_code, slug, title, detail, headers=headers)
        return problem_response(problem, request.scope)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(grpc.RpcError, on_rpc_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)


def allowed_methods(app, scope) -> list[str]:
    """Every method some route serves at the request's path (HEAD with GET; OPTIONS for CORS preflights
    when cross-origin calls are configured)."""
    from gateway.auth import api_routes  # auth raises problems: imported here, not at the top

    methods = set()
    for route in api_routes(app):
        if route.path_regex.match(scope["path"]):
            methods |= set(route.methods)
            if "GET" in route.methods:
                methods.add("HEAD")
    if getattr(app.state, "cors_origins", None):
        methods.add("OPTIONS")
    return sorted(methods)


def internal_error(scope, reference: str) -> JSONResponse:
    problem = Problem(500, "internal-error", "Internal error", f"Something went wrong; reference {reference}.")
    return problem_response(problem, scope)
