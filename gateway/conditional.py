"""ETag and If-None-Match on every JSON read: a mobile client that already holds the representation gets
304 Not Modified with no body.

The ETag is a digest of the representation the caller receives, not of the record's version alone: what a
caller sees of a record depends on who they are and on consents (an elder's health data, their position),
and a version-only tag would call two different bodies the same. The record's `version` is in the body for
clients that want it. The gateway still asks the service (authorization is decided there on every read);
what is saved is the transfer, which is what costs on a mobile link.
"""
import hashlib

from starlette.datastructures import Headers, MutableHeaders

# Each caller's own: never stored by a shared cache; a client cache revalidates before use.
CACHE_CONTROL = "private, no-cache"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison, any of a list, or *."""
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


class ConditionalGet:
    """App middleware: buffers a 200 application/json answer to a GET, tags it, and answers 304 when the
    client's If-None-Match names that tag. Streams (SSE) and problems pass through untouched."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        if_none_match = Headers(scope=scope).get("if-none-match")
        start, chunks, tagging = None, [], False

        async def tag(message):
            nonlocal start, tagging
            if message["type"] == "http.response.start":
                content_type = Headers(raw=message.get("headers", [])).get("content-type", "")
                tagging = message["status"] == 200 and content_type.startswith("application/json")
                if not tagging:
                    return await send(message)
                start = message
                return
            if not tagging or message["type"] != "http.response.body":
                return await send(message)
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = etag_of(body)
            headers = MutableHeaders(scope=start)
            headers["ETag"] = etag
            headers["Cache-Control"] = CACHE_CONTROL
            if if_none_match is not None and matches(if_none_match, etag):
                del headers["content-length"]
                del headers["content-type"]
                await send({**start, "status": 304})
                return await send({"type": "http.response.body", "body": b"", "more_body": False})
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, tag)
