"""Request body limits, and which requests are calls for help.

BodyLimit reads the body of every request that has one, up to GATEWAY_MAX_BODY_BYTES, before anything
else looks at it: a larger one is refused with 413 before a byte of it reaches a route. What it read is
kept in scope["state"]["body"] and replayed to the app, so the middlewares after it (rate limits,
idempotency, load shedding) can look at the body without reading the stream twice.
"""
import json
import re

from gateway.problems import Problem, problem_response

# Calls for help are never refused for being too many: a pager's press (its one button is the call for
# help, whatever kind it asks for), a care request of kind emergency, and talking with the elder: answering
# or ending a call, and the signals that set its media up (docs/calls.md).
_PRESS = re.compile(r"^/v1/devices/[^/]+/press$")
_CALL = re.compile(r"^/v1/care-requests/[^/]+/call/(answer|end)$|^/v1/rooms/care-request/[^/]+/signals$")
CARE_REQUESTS = "/v1/care-requests"


def request_body(scope) -> bytes:
    """The body BodyLimit read ("" when the request had none)."""
    return scope.get("state", {}).get("body", b"")


def is_emergency(scope) -> bool:
    """A call for help: never rate limited, never shed."""
    if scope["method"] != "POST":
        return False
    path = scope["path"]
    if _PRESS.match(path) or _CALL.match(path):
        return True
    if path.rstrip("/") != CARE_REQUESTS:
        return False
    try:
        body = json.loads(request_body(scope))
    except ValueError:
        return False
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
            return await problem_response(too_large, scope["path"])(scope, receive, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await problem_response(too_large, scope["path"])(scope, receive, send)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        scope.setdefault("state", {})["body"] = body
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as the server would say it

        await self.app(scope, replay, send)


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
