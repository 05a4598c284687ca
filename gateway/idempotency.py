"""Safe retries: a POST with an Idempotency-Key is answered once; a retry with the same key and the same
request gets the first answer again (status, headers and body, marked Idempotency-Replayed: true).

- Keys belong to the caller (the token's subject): two callers never share one.
- The same key with a different request (method, path, query or JSON body) is refused: 422 problem
  `idempotency-key-reused`.
- A retry that arrives while the first is still being answered waits for it (up to wait_seconds), then
  gets 409 problem `idempotency-key-in-flight` with Retry-After.
- Answers below 500 are kept for 24 hours; after a 5xx (or a crash) the key is free again, so the
  client's retry runs the request anew.

Records live in MongoDB (database `<MONGO_DB_PREFIX>gateway`, collection `idempotency_keys`, a TTL index
on created_at) so that every gateway replica sees them. pymongo is synchronous: each call runs in a worker
thread. Lookups are by _id only (no compound index, so SecantusDB's range-on-compound-index quirk cannot
bite). If the store cannot be reached the request is refused (503) rather than risk doing it twice —
except a call for help, which goes through (the eldercare api also folds repeated requests together).
"""
import asyncio
import datetime as dt
import hashlib
import json
import logging
import re
import uuid

import pymongo
from bson.binary import Binary
from pymongo.errors import PyMongoError

from gateway.auth import authenticated_caller
from gateway.limits import is_emergency, request_body
from gateway.problems import Problem, problem_response
from linli.kit.config import database_name, setting
from linli.kit.mongo import Index, ensure_indexes, is_duplicate_key, utcnow

log = logging.getLogger(__name__)

COLLECTION = "idempotency_keys"
RETENTION = dt.timedelta(hours=24)
INDEXES = [Index(COLLECTION, [("created_at", 1)], {"expireAfterSeconds": int(RETENTION.total_seconds())})]
KEY_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Not kept with an answer: they describe the connection or this very response, not the answer.
_NOT_STORED = {b"date", b"server", b"x-request-id", b"x-trace-id", b"connection", b"transfer-encoding"}


class StoreUnavailable(Exception):
    pass


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    """What makes two requests "the same": JSON bodies compare by content, not by key order or spacing."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except (ValueError, RecursionError):  # not JSON, or nested too deep to parse: compare the bytes
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


class IdempotencyStore:
    """(subject, key) → the request's fingerprint and, once answered, the answer."""

    def __init__(self, mongo_uri: str, database: str, stale_after: dt.timedelta = dt.timedelta(seconds=30)):
        self.mongo_uri = mongo_uri
        self.database = database
        # A claim this old belongs to a gateway that died mid-request: the request's deadline is long past.
        self.stale_after = stale_after
        self._client: pymongo.MongoClient | None = None

    @classmethod
    def from_settings(cls, grpc_timeout_seconds: float) -> "IdempotencyStore":
        return cls(setting("MONGO_URI"), database_name("gateway"),
                   dt.timedelta(seconds=max(30.0, 3 * grpc_timeout_seconds)))

    def open(self) -> None:
        # Short timeouts: a request waits on this, and an outage must turn into a quick 503.
        self._client = pymongo.MongoClient(self.mongo_uri, appname="gateway", tz_aware=True,
                                           serverSelectionTimeoutMS=2000, connectTimeoutMS=2000,
                                           socketTimeoutMS=5000)
        try:
            ensure_indexes(self._client[self.database], INDEXES)
        except PyMongoError as error:  # not fatal: reads need no store, and the next start creates it
            log.warning("cannot create the idempotency index now: %s", error)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def _keys(self):
        if self._client is None:
            raise StoreUnavailable("the idempotency store is not open")
        return self._client[self.database][COLLECTION]

    @staticmethod
    def _id(subject: str, key: str) -> str:
        return f"{key} {subject}"  # neither contains a space

    def claim(self, subject: str, key: str, print_: str) -> tuple[str | None, dict | None]:
        """(our claim id, None) when the key is ours to answer; (None, the record) when it was used already."""
        for _ in range(3):
            now = utcnow()
            claim = uuid.uuid4().hex
            record = {"_id": self._id(subject, key), "subject": subject, "key": key, "fingerprint": print_,
                      "state": "in_flight", "claim": claim, "created_at": now}
            try:
                self._keys.insert_one(record)
                return claim, None
            except PyMongoError as error:
                if not is_duplicate_key(error):
                    raise
            existing = self._keys.find_one({"_id": record["_id"]})
            if existing is None:
                continue  # expired or released in between: try again
            expired = existing["created_at"] <= now - RETENTION
            abandoned = existing["state"] == "in_flight" and existing["created_at"] <= now - self.stale_after
            if not (expired or abandoned):
                return None, existing
            # Take it over only if nobody else did meanwhile (compare-and-set on the claim).
            if self._keys.replace_one({"_id": record["_id"], "claim": existing["claim"]}, record).matched_count:
                return claim, None
        raise StoreUnavailable("could not claim the idempotency key")

    def find(self, subject: str, key: str) -> dict | None:
        return self._keys.find_one({"_id": self._id(subject, key)})

    def finish(self, subject: str, key: str, claim: str, status: int, headers: list, body: bytes) -> None:
        self._keys.update_one({"_id": self._id(subject, key), "claim": claim}, {"$set": {
            "state": "done", "status": status, "headers": [[Binary(n), Binary(v)] for n, v in headers],
            "body": Binary(body), "finished_at": utcnow()}})

    def release(self, subject: str, key: str, claim: str) -> None:
        self._keys.delete_one({"_id": self._id(subject, key), "claim": claim})


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


async def _replay(record: dict, send) -> None:
    headers = [(bytes(n), bytes(v)) for n, v in record["headers"]] + [(b"idempotency-replayed", b"true")]
    await send({"type": "http.response.start", "status": record["status"], "headers": headers})
    await send({"type": "http.response.body", "body": bytes(record["body"]), "more_body": False})


class Idempotency:
    """App middleware; after IdentifyCaller (keys are per caller) and BodyLimit (it fingerprints the body)."""

    def __init__(self, app, store: IdempotencyStore, wait_seconds: float = 6.0, poll_seconds: float = 0.1):
        self.app = app
        self.store = store
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds

    async def __call__(self, scope, receive, send):
        key = _header(scope, b"idempotency-key") if scope["type"] == "http" and scope["method"] == "POST" else None
        caller = authenticated_caller(scope) if key is not None else None
        if caller is None:  # no key, or no valid token (the route answers 401)
            return await self.app(scope, receive, send)
        path = scope["path"]
        if not KEY_PATTERN.fullmatch(key):
            problem = Problem(422, "validation-failed", "Invalid request", "The request has invalid fields.",
                              errors=[{"field": "Idempotency-Key", "message": "1-64 characters A-Z a-z 0-9 . _ : -"}])
            return await problem_response(problem, scope)(scope, receive, send)
        print_ = fingerprint(scope["method"], path, scope.get("query_string", b""), request_body(scope))
        try:
            claim, record = await asyncio.to_thread(self.store.claim, caller.subject, key, print_)
            if record is not None and record["fingerprint"] == print_ and record["state"] == "in_flight":
                record = await self._wait_for_answer(caller.subject, key, record)
                if record is None:  # the first attempt failed and let the key go: this one may run
                    claim, record = await asyncio.to_thread(self.store.claim, caller.subject, key, print_)
        except (PyMongoError, StoreUnavailable) as error:
            if is_emergency(scope):
                log.warning("idempotency store unavailable (%s): a call for help goes through unguarded", error)
                return await self.app(scope, receive, send)
            log.warning("idempotency store unavailable: %s", error)
            problem = Problem(503, "unavailable", "Service unavailable",
                              "Cannot guarantee this request runs once right now; retry with the same key.",
                              headers={"Retry-After": "1"})
            return await problem_response(problem, scope)(scope, receive, send)
        if record is not None:
            if record["fingerprint"] != print_:
                problem = Problem(422, "idempotency-key-reused", "Idempotency key reused",
                                  "This Idempotency-Key was used with a different request; use a new key.")
                return await problem_response(problem, scope)(scope, receive, send)
            if record["state"] == "done":
                return await _replay(record, send)
            problem = Problem(409, "idempotency-key-in-flight", "Request in progress",
                              "A request with this Idempotency-Key is still being answered; retry shortly.",
                              headers={"Retry-After": "1"})
            return await problem_response(problem, scope)(scope, receive, send)
        await self._answer_once(scope, receive, send, caller.subject, key, claim)

    async def _wait_for_answer(self, subject: str, key: str, record: dict) -> dict | None:
        waited = 0.0
        while record is not None and record["state"] == "in_flight" and waited < self.wait_seconds:
            await asyncio.sleep(self.poll_seconds)
            waited += self.poll_seconds
            record = await asyncio.to_thread(self.store.find, subject, key)
        return record

    async def _answer_once(self, scope, receive, send, subject: str, key: str, claim: str) -> None:
        status, headers, chunks = 500, [], []

        async def keep(message):
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(n, v) for n, v in message.get("headers", ()) if n.lower() not in _NOT_STORED]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, keep)
        except BaseException:
            await asyncio.shield(asyncio.to_thread(self._release_quietly, subject, key, claim))
            raise
        try:
            if status < 500:
                await asyncio.to_thread(self.store.finish, subject, key, claim, status, headers, b"".join(chunks))
            else:
                await asyncio.to_thread(self.store.release, subject, key, claim)
        except PyMongoError as error:
            # The answer went out; a retry will find the key still claimed until it goes stale.
            log.warning("could not record the answer to idempotency key %s: %s", key, error)

    def _release_quietly(self, subject: str, key: str, claim: str) -> None:
        try:
            self.store.release(subject, key, claim)
        except (PyMongoError, StoreUnavailable) as error:
            log.warning("could not release idempotency key %s: %s", key, error)
