"""Load shedding (gateway/shedding.py) over a stand-in app that holds every request until released: past
its places and its short wait, a routine request gets 503 with Retry-After at once, while calls for help
and health checks still go through."""
import asyncio
import json
import time

import httpx

from gateway.limits import BodyLimit
from gateway.shedding import LoadShedding


class Held:
    """An ASGI app that answers 200 only once released: requests pile up inside it."""

    def __init__(self):
        self.release = asyncio.Event()
        self.inside = 0

    async def __call__(self, scope, receive, send):
        self.inside += 1
        if not (scope["path"] == "/healthz" or scope["path"].endswith("/press")
                or b'"emergency"' in scope.get("state", {}).get("body", b"")):
            await self.release.wait()
        self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})


def gateway(held: Held, places: int = 4, queue_seconds: float = 0.2):
    shedding = LoadShedding(held, max_in_flight=places, queue_seconds=queue_seconds)
    return shedding, BodyLimit(shedding, max_bytes=65536)


def routine(client):
    return client.post("/v1/care-requests", content=json.dumps({"kind": "cleaning", "community_id": "d"}))


def test_past_its_places_a_routine_request_is_shed_with_retry_after_and_emergencies_still_pass():
    asyncio.run(_test_past_its_places_a_routine_request_is_shed_with_retry_after_and_emergencies_still_pass())


async def _test_past_its_places_a_routine_request_is_shed_with_retry_after_and_emergencies_still_pass():
    held = Held()
    shedding, app = gateway(held)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
        busy = [asyncio.create_task(routine(client)) for _ in range(4)]
        while held.inside < 4:
            await asyncio.sleep(0.01)
        shed = await routine(client)
        assert shed.status_code == 503 and shed.headers["Retry-After"] == "1"
        assert shed.json()["type"].endswith("/overloaded")
        emergency = await client.post("/v1/care-requests", content=json.dumps({"kind": "emergency"}))
        press = await client.post("/v1/devices/dev-1/press", content=b"{}")
        health = await client.get("/healthz")
        assert (emergency.status_code, press.status_code, health.status_code) == (200, 200, 200)
        held.release.set()
        assert [r.status_code for r in await asyncio.gather(*busy)] == [200] * 4
    assert (shedding.in_flight, shedding.waiting, shedding.shed) == (0, 0, 1)


def test_a_request_that_finds_the_gateway_full_waits_briefly_for_a_place():
    asyncio.run(_test_a_request_that_finds_the_gateway_full_waits_briefly_for_a_place())


async def _test_a_request_that_finds_the_gateway_full_waits_briefly_for_a_place():
    held = Held()
    shedding, app = gateway(held, places=1, queue_seconds=2.0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
        first = asyncio.create_task(routine(client))
        while held.inside < 1:
            await asyncio.sleep(0.01)
        second = asyncio.create_task(routine(client))
        await asyncio.sleep(0.1)
        assert shedding.waiting == 1
        held.release.set()
        assert [(await first).status_code, (await second).status_code] == [200, 200]
    assert shedding.shed == 0


def test_no_more_wait_than_may_run_so_memory_stays_bounded():
    asyncio.run(_test_no_more_wait_than_may_run_so_memory_stays_bounded())


async def _test_no_more_wait_than_may_run_so_memory_stays_bounded():
    held = Held()
    shedding, app = gateway(held, places=2, queue_seconds=5.0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
        tasks = [asyncio.create_task(routine(client)) for _ in range(10)]
        await asyncio.sleep(0.2)
        # 2 inside, 2 waiting, and the other 6 shed at once rather than queued.
        assert (held.inside, shedding.waiting, shedding.shed) == (2, 2, 6)
        held.release.set()
        codes = sorted(r.status_code for r in await asyncio.gather(*tasks))
    assert codes == [200] * 4 + [503] * 6


def test_while_the_event_loop_runs_late_routine_requests_are_shed_and_calls_for_help_are_not():
    asyncio.run(_test_while_the_event_loop_runs_late_routine_requests_are_shed_and_calls_for_help_are_not())


async def _test_while_the_event_loop_runs_late_routine_requests_are_shed_and_calls_for_help_are_not():
    held = Held()
    held.release.set()
    shedding = LoadShedding(held, max_in_flight=4, queue_seconds=0.2, max_loop_lag=0.2)
    app = BodyLimit(shedding, max_bytes=65536)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
        assert (await routine(client)).status_code == 200  # starts the lag watcher
        await asyncio.sleep(0.01)
        time.sleep(0.5)  # the loop is stuck (out of CPU): its lag watcher fires late
        await asyncio.sleep(0.06)
        assert shedding.lag.seconds > 0.2
        assert (await routine(client)).status_code == 503
        emergency = await client.post("/v1/care-requests", content=json.dumps({"kind": "emergency"}))
        assert emergency.status_code == 200
        for _ in range(40):  # caught up: the smoothed lag falls and routine requests are served again
            await asyncio.sleep(0.05)
        assert shedding.lag.seconds < 0.2 and (await routine(client)).status_code == 200
