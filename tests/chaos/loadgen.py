"""Routine load for the overload test, in a process of its own (so that the load's own CPU does not delay
the calls for help the test makes): care requests of kind cleaning through the gateway.

    python -m tests.chaos.loadgen URL TOKEN closed 64 4     64 clients, each waiting for its answer, 4 s
    python -m tests.chaos.loadgen URL TOKEN open 120 6      120 arrivals a second, answered or not, 6 s

Prints one JSON line: {"statuses": {status: count}, "retry_after": [...], "seconds": [...]}.
"""
import asyncio
import collections
import json
import sys
import time

import httpx

BODY = {"community_id": "donghuayuan", "elder_id": "elder-1", "kind": "cleaning", "channel": "phone"}


async def main(url: str, token: str, mode: str, amount: float, seconds: float) -> dict:
    statuses: collections.Counter = collections.Counter()
    retry_after: set = set()
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=2000, max_keepalive_connections=500)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def one():
            started = time.monotonic()
            try:
                response = await client.post("/v1/care-requests", json=BODY, headers=headers)
                statuses[str(response.status_code)] += 1
                if response.status_code == 503:
                    retry_after.add(response.headers.get("Retry-After"))
                elif response.status_code == 201:
                    latencies.append(time.monotonic() - started)
            except httpx.HTTPError as error:
                statuses[type(error).__name__] += 1

        until = time.monotonic() + seconds
        if mode == "closed":
            async def client_loop():
                while time.monotonic() < until:
                    await one()
            await asyncio.gather(*(client_loop() for _ in range(int(amount))))
        else:
            tasks, started, sent = [], time.monotonic(), 0
            while (elapsed := time.monotonic() - started) < seconds:
                while sent < elapsed * amount:
                    tasks.append(asyncio.create_task(one()))
                    sent += 1
                await asyncio.sleep(0.005)
            await asyncio.gather(*tasks)
    return {"statuses": dict(statuses), "retry_after": sorted(map(str, retry_after)), "seconds": sorted(latencies)}


if __name__ == "__main__":
    url, token, mode, amount, seconds = sys.argv[1:6]
    print(json.dumps(asyncio.run(main(url, token, mode, float(amount), float(seconds)))))
