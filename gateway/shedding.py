"""Load shedding: under overload the gateway answers routine requests 503 with Retry-After at once,
instead of queueing them without bound, so that calls for help and health checks still get through fast
and the gateway's memory stays bounded.

Two signs of overload, either of which sheds a routine request (503 problem `overloaded`, Retry-After: 1):

- the apis behind the gateway are slow: at most GATEWAY_MAX_IN_FLIGHT routine requests are worked on at
  once; one more waits for a free place up to GATEWAY_QUEUE_SECONDS, and at most as many wait as may run;
- the gateway itself is out of CPU: its event loop runs late (a timer due every 50 ms fires more than
  GATEWAY_SHED_LOOP_LAG_SECONDS late, smoothed). Requests then queue before any middleware can count
  them, so the in-flight bound alone would not see it; shedding frees the loop for the calls that matter.

A per-client rate limit (ratelimit.py, 429) stops one client hogging the platform; this stops all
clients together from drowning it.

Never shed, never waiting for a place: calls for help (a device press, a care request of kind emergency:
gateway/limits.py), the health checks (/healthz, /livez), the board's live streams (long-lived by design:
a place each would starve everything else), the board page and the API docs.
"""
import asyncio

from gateway.limits import is_emergency
from gateway import metrics
from gateway.problems import Problem, problem_response
from linli.kit.config import number

EXEMPT_PREFIXES = ("/healthz", "/livez", "/board", "/shared", "/docs", "/openapi.json")
STREAMS = ("/v1/board/stream", "/v1/me/care-requests/stream")


def shedding_settings() -> dict:
    return {"max_in_flight": int(number("GATEWAY_MAX_IN_FLIGHT")), "queue_seconds": number("GATEWAY_QUEUE_SECONDS"),
            "max_loop_lag": number("GATEWAY_SHED_LOOP_LAG_SECONDS")}


class LoopLag:
    """How late the event loop runs a timer, smoothed: a measure of how far behind the gateway is."""

    INTERVAL = 0.05

    def __init__(self):
        self.seconds = 0.0
        self._task: asyncio.Task | None = None

    def watch(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._measure())

    async def _measure(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + self.INTERVAL
            await asyncio.sleep(self.INTERVAL)
            late = max(0.0, loop.time() - due)
            # Quick to rise, slower to fall: shed as soon as the loop falls behind, resume once it has caught up.
            self.seconds = late if late > self.seconds else 0.8 * self.seconds + 0.2 * late


def exempt(scope) -> bool:
    path = scope["path"]
    return (scope["method"] == "OPTIONS" or path.startswith(EXEMPT_PREFIXES) or path in STREAMS
            or is_emergency(scope))


class LoadShedding:
    """App middleware; after BodyLimit (emergencies are told by their body). Figures for an operator:
    in_flight, waiting, shed (since start)."""

    def __init__(self, app, max_in_flight: int, queue_seconds: float, max_loop_lag: float = 0.0):
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self.app = app
        self.max_in_flight = max_in_flight
        self.queue_seconds = queue_seconds
        self.max_loop_lag = max_loop_lag  # 0: not watched
        self.lag = LoopLag()
        self.places = asyncio.Semaphore(max_in_flight)
        self.in_flight = 0
        self.waiting = 0
        self.shed = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or exempt(scope):
            return await self.app(scope, receive, send)
        if self.max_loop_lag:
            self.lag.watch()
        if (self.max_loop_lag and self.lag.seconds > self.max_loop_lag) or not await self._place():
            self.shed += 1
            metrics.refused(scope, "shed")
            problem = Problem(503, "overloaded", "Overloaded",
                              "The platform is busy; calls for help still go through. Try again in a second.",
                              headers={"Retry-After": "1"})
            return await problem_response(problem, scope)(scope, receive, send)
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            self.places.release()

    async def _place(self) -> bool:
        if not self.places.locked():
            await self.places.acquire()  # free now: never blocks
            return True
        if self.waiting >= self.max_in_flight or self.queue_seconds <= 0:
            return False
        self.waiting += 1
        try:
            await asyncio.wait_for(self.places.acquire(), self.queue_seconds)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            self.waiting -= 1
