"""Request body limits, and which requests are calls for help.

BodyLimit reads the body of every request that has one, up to GATEWAY_MAX_BODY_BYTES, before anything
else looks at it: a larger one is refused with 413 before a byte of it reaches a route. What it read is
kept in scope["state"]["body"] and replayed to the app, so the middlewares after it (rate limits,
idempotency, load shedding) can look at the body without reading the stream twice.

It also refuses (422) a JSON body nested deeper than MAX_JSON_DEPTH: no request of this API needs more than
a handful of levels, and a parser walks nesting by recursion, so a small body nested thousands of levels deep
would exhaust Python's stack wherever it was parsed (here, in the rate limits' and idempotency's look at the
body, or in the route's own validation). Whatever looks at the body before validation goes through
json_body(), which never raises.
"""
import json
import re
from urllib.parse import parse_qsl

from gateway.auth import refused_before_anything_else
from gateway.problems import Problem, problem_response
from linli.kit import text

# Calls for help are never refused for being too many: a pager's press (its one button is the call for
# help, whatever kind it asks for), a care request of kind emergency, and talking with the elder: answering
# or ending a call, and the signals that set its media up (docs/calls.md).
_PRESS = re.compile(r"^/v1/devices/[^/]+/press$")
_CALL = re.compile(r"^/v1/care-requests/[^/]+/call/(answer|end)$|^/v1/rooms/care-request/[^/]+/signals$")
CARE_REQUESTS = "/v1/care-requests"
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")
_NOT_PARSED = object()


def request_body(scope) -> bytes:
    """The body BodyLimit read ("" when the request had none)."""
    return scope.get("state", {}).get("body", b"")


def too_deeply_nested(body: bytes) -> bool:
    """Whether a JSON text nests arrays and objects deeper than MAX_JSON_DEPTH, told without parsing it (so
    without recursion); brackets inside strings do not count."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return False  # cannot be deeper than it has brackets
    depth = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub(b"", body)):
        depth += 1 if bracket in (b"[", b"{") else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def json_body(scope):
    """The request's body as parsed JSON, or None when it has none or is not JSON. Never raises; parsed
    once per request."""
    state = scope.setdefault("state", {})
    if state.get("json", _NOT_PARSED) is _NOT_PARSED:
        body = request_body(scope)
        try:
            state["json"] = json.loads(body) if body and not too_deeply_nested(body) else None
        except (ValueError, RecursionError):
            state["json"] = None
    return state["json"]


def is_emergency(scope) -> bool:
    """A call for help: never rate limited, never shed."""
    if scope["method"] != "POST":
        return False
    path = scope["path"]
    if _PRESS.match(path) or _CALL.match(path):
        return True
    if path.rstrip("/") != CARE_REQUESTS:
        return False
    body = json_body(scope)
    return isinstance(body, dict) and body.get("kind") == "emergency"


class BodyLimit:
    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        too_large = Problem(413, "payload-too-large", "Payload too large",
                            f"The request body may be at most {self.max_bytes} bytes.")
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            return await problem_response(too_large, scope)(scope, receive, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await problem_response(too_large, scope)(scope, receive, send)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if _is_json(scope) and too_deeply_nested(body):
            too_deep = Problem(422, "validation-failed", "Invalid request", "The request has invalid fields.",
                               errors=[{"field": "body", "message": f"JSON nested deeper than {MAX_JSON_DEPTH} levels"}])
            return await problem_response(too_deep, scope)(scope, receive, send)
        scope.setdefault("state", {})["body"] = body
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as the server would say it

        await self.app(scope, replay, send)


def _is_json(scope) -> bool:
    """Whether the routes would read this body as JSON: they do when it says so, or says nothing."""
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media_type = value.split(b";")[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return True


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RefuseControlCharacters:
    """App middleware; after IdentifyCaller. Every text a request carries (its path, every query parameter,
    every string of a JSON body) is free of control characters except line breaks and tab, or the request is
    refused 422 naming each field: checked once here for every route, as every api checks its requests
    (linli/kit/text.py). A request the route will refuse 401 gets its 401."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or refused_before_anything_else(scope):
            return await self.app(scope, receive, send)
        fields = ["path"] if text.has_control_characters(scope["path"]) else []
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True):
            if text.has_control_characters(name) or text.has_control_characters(value):
                fields.append(name)
        fields += text.json_fields_with_control_characters(json_body(scope))
        if fields:
            problem = Problem(422, "validation-failed", "Invalid request", "The request has invalid fields.",
                              errors=[{"field": field, "message": text.RULE} for field in dict.fromkeys(fields)])
            return await problem_response(problem, scope)(scope, receive, send)
        await self.app(scope, receive, send)
