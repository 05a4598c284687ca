"""Per-client rate limits: a token bucket per caller (the token's subject; the client's address when the
request carries no valid token), refilled at GATEWAY_RATE_LIMIT_PER_SECOND up to GATEWAY_RATE_LIMIT_BURST.
An empty bucket answers 429 with Retry-After.

Every response to a rate-limited request says where the client stands, in the IETF fields of
draft-ietf-httpapi-ratelimit-headers (structured fields): `RateLimit-Policy: "per-client";q=60;w=6` (the
bucket holds q requests and refills completely in w seconds) and `RateLimit: "per-client";r=41;t=2` (r
requests left now, t seconds until the bucket is full again).

A request the route will refuse 401 (no valid token where one is required) is not counted: it is answered
401 whatever the bucket holds, so a client learns its token is bad rather than that it is too fast.

Never limited: calls for help (a device press, a care request of kind emergency: gateway/limits.py) —
refusing one would be worse than any overload it adds, and each is authenticated and attributable —,
the health checks (/healthz, /livez), the board page and the API docs.

The buckets live in this process's memory. With N gateway replicas behind a load balancer a client gets
between 1 and N times the limit, depending on how its requests are spread; for a hard cluster-wide cap,
limit at the Ingress too. The client's address is the one uvicorn sees: behind a proxy, let uvicorn trust
its X-Forwarded-For (FORWARDED_ALLOW_IPS), or every anonymous client shares the proxy's bucket.
"""
import math
import time

from starlette.datastructures import MutableHeaders

from gateway.auth import authenticated_caller, refused_before_anything_else
from gateway.limits import is_emergency
from gateway import metrics
from gateway.problems import Problem, problem_response

EXEMPT_PREFIXES = ("/healthz", "/livez", "/board", "/shared", "/docs")
POLICY = "per-client"


class TokenBuckets:
    """Token buckets by key. Not thread-safe: used from the event loop only."""

    def __init__(self, per_second: float, burst: float, clock=time.monotonic):
        if per_second <= 0 or burst < 1:
            raise ValueError("the rate must be positive and the burst at least 1")
        self.per_second = per_second
        self.burst = burst
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when counted)
        self._next_sweep = clock()

    def take(self, key: str) -> float:
        """Take a token: 0 when there was one, else the seconds until there will be."""
        now = self.clock()
        self._sweep(now)
        tokens, then = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.per_second)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / self.per_second

    def standing(self, key: str) -> tuple[int, int]:
        """(whole requests left, seconds until the bucket is full again) as of the last take."""
        tokens, _ = self._buckets.get(key, (self.burst, self.clock()))
        return math.floor(tokens), math.ceil((self.burst - tokens) / self.per_second)

    def policy(self) -> str:
        """The RateLimit-Policy field: quota, and the seconds an empty bucket takes to fill."""
        return f'"{POLICY}";q={math.floor(self.burst)};w={max(1, math.ceil(self.burst / self.per_second))}'

    def _sweep(self, now: float) -> None:
        # A bucket left alone long enough to be full again is the same as no bucket: forget it, so memory
        # follows the clients active lately, not every client ever seen.
        if now < self._next_sweep:
            return
        refill = self.burst / self.per_second
        self._buckets = {key: (tokens, then) for key, (tokens, then) in self._buckets.items() if now - then < refill}
        self._next_sweep = now + max(refill, 1.0)

    def __len__(self) -> int:
        return len(self._buckets)


def client_key(scope) -> str:
    caller = authenticated_caller(scope)
    if caller is not None:
        return "subject:" + caller.subject
    client = scope.get("client")
    return "address:" + (client[0] if client else "unknown")


class RateLimit:
    """App middleware; after IdentifyCaller (it needs the caller) and BodyLimit (emergencies are told by
    their body)."""

    def __init__(self, app, buckets: TokenBuckets):
        self.app = app
        self.buckets = buckets

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] == "OPTIONS" or scope["path"].startswith(EXEMPT_PREFIXES) \
                or is_emergency(scope) or refused_before_anything_else(scope):
            return await self.app(scope, receive, send)
        key = client_key(scope)
        wait = self.buckets.take(key)
        left, full_in = self.buckets.standing(key)
        fields = {"RateLimit-Policy": self.buckets.policy(), "RateLimit": f'"{POLICY}";r={left};t={full_in}'}
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            metrics.refused(scope, "rate_limited")
            problem = Problem(429, "too-many-requests", "Too many requests",
                              f"Slow down: try again in {retry_after} s.",
                              headers={"Retry-After": str(retry_after), **fields})
            return await problem_response(problem, scope)(scope, receive, send)

        async def send_with_fields(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in fields.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_fields)
