"""An emergency from the device's press to the operator's board: latency at several fixed rates, next to
the sum of the bare hops.

Linli: POST /v1/devices/{id}/press with the device's own token (gateway → ResidentService.PressDevice:
       the device, the elder, the unanswered calls, one transaction with the outbox record) → relay →
       RabbitMQ → the gateway's board consumer → the operator's SSE stream (/v1/board/stream). The clock
       runs from the press's planned start to the frame naming that device arriving on the stream.
Bare hops, each measured at the same rate and summed:
  1. POST to bench.bare_http → grpc.aio → bench.bare_grpc Press (the same pymongo reads and transaction);
  2. pika publish (the same body size) → bench.bare_http's consumer thread → its SSE stream.
Every Linli press uses a device nobody pressed in the last two minutes (a repeat would be the same call).
"""
import asyncio
import json
import threading
import time

import pika

from bench import loadgen
from bench.bare_http import EXCHANGE
from bench.common import MILLISECONDS, Bench, Row, median, percentile
from bench.platform import OPERATOR, Platform, settle


async def _sse(url: str, path: str, headers: dict[str, str], on_data, opened: asyncio.Event) -> None:
    """Read an SSE stream for ever, calling on_data(json) for every data line."""
    host, _, port = url.removeprefix("http://").partition(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: text/event-stream"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b": ") or line.startswith(b": stream open"):
                opened.set()
            if line.startswith(b"data: "):
                on_data(json.loads(line[6:]))
    finally:
        writer.close()


async def _linli(plat: Platform, rate: float, count: int) -> list[float]:
    devices = plat.take_devices(count)
    tokens = {device: plat.token(device, "device") for device in devices}
    arrived: dict[str, float] = {}

    def on_data(data: dict) -> None:
        request = data.get("care_request") or {}
        if data.get("type") == "care_request.raised" and request.get("device_id") in tokens:
            arrived.setdefault(request["device_id"], time.perf_counter())

    opened = asyncio.Event()
    operator = {"Authorization": f"Bearer {plat.token(OPERATOR.subject, 'operator')}"}
    reader = asyncio.create_task(_sse(plat.gateway_url, "/v1/board/stream", operator, on_data, opened))
    await asyncio.wait_for(opened.wait(), 10)
    conns = [loadgen.Http(plat.gateway_url) for _ in range(32)]
    free = list(range(len(conns)))
    started: dict[str, float] = {}

    async def press(i: int) -> None:
        device = devices[i]
        started[device] = time.perf_counter()
        slot = free.pop() if free else None
        conn = conns[slot] if slot is not None else loadgen.Http(plat.gateway_url)
        try:
            status, body = await conn.request("POST", f"/v1/devices/{device}/press",
                                              {"Authorization": f"Bearer {tokens[device]}"})
        finally:
            if slot is None:
                conn.close()
            else:
                free.append(slot)
        if status != 201:
            raise RuntimeError(f"press answered {status}: {body[:200]!r}")

    result = await loadgen.open_loop(press, rate, count)
    if result.errors:
        print(f"  Linli presses at {rate}/s: {result.errors} errors, e.g. {result.first_error}", flush=True)
    deadline = time.monotonic() + 30
    while len(arrived) < count - result.errors and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    reader.cancel()
    for conn in conns:
        conn.close()
    # started holds the actual start; the open loop planned it at begin + i/rate, never later.
    return [(arrived[d] - started[d]) * 1000 for d in devices if d in arrived]


async def _bare_press(plat: Platform, rate: float, count: int, devices: list[str]) -> list[float]:
    conns = [loadgen.Http(plat.bare_http_url) for _ in range(32)]
    free = list(range(len(conns)))
    token = {"Authorization": f"Bearer {plat.token(devices[0], 'device')}"}

    async def press(i: int) -> None:
        slot = free.pop()
        try:
            status, _ = await conns[slot].request("POST", f"/bare/devices/{devices[i % len(devices)]}/press"
                                                  "?reply=900&body=1500", token)
        finally:
            free.append(slot)
        if status != 201:
            raise RuntimeError(f"bare press answered {status}")

    result = await loadgen.open_loop(press, rate, count)
    for conn in conns:
        conn.close()
    return result.latencies_ms


async def _bare_fanout(plat: Platform, rate: float, count: int, body_size: int) -> list[float]:
    arrived: dict[int, float] = {}
    opened = asyncio.Event()
    reader = asyncio.create_task(_sse(plat.bare_http_url, "/bare/stream", {},
                                      lambda data: arrived.setdefault(data["k"], time.perf_counter()), opened))
    await asyncio.wait_for(opened.wait(), 10)
    sent: dict[int, float] = {}

    def publish() -> None:
        connection = pika.BlockingConnection(pika.URLParameters(plat.env["AMQP_URI"]))
        channel = connection.channel()
        channel.exchange_declare(EXCHANGE, exchange_type="topic", durable=True)
        begin = time.perf_counter()
        for k in range(count):
            wait = begin + k / rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            body = json.dumps({"k": k, "pad": "x" * max(0, body_size - 30)})
            sent[k] = time.perf_counter()
            channel.basic_publish(EXCHANGE, "care_request.raised", body.encode(),
                                  pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent))
        connection.close()

    await asyncio.to_thread(publish)
    deadline = time.monotonic() + 10
    while len(arrived) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    reader.cancel()
    return [(arrived[k] - sent[k]) * 1000 for k in sent if k in arrived]


def rows(bench: Bench) -> list[Row]:
    plat = bench.platform()
    rates = [5, 20] if bench.quick else [2, 10, 25]
    runs = min(bench.runs, 2 if bench.quick else 3)
    with plat.mongo() as client:
        from bench.platform import LINLI_DB

        record = client[LINLI_DB].outbox.find_one({"routing_key": "care_request.raised"})
        body_size = len(json.dumps(record["body"], ensure_ascii=False).encode())
    bare_devices = [f"bench-pager-{i:05d}" for i in range(20)]
    results: dict[float, dict[str, list[float]]] = {r: {k: [] for k in ("l50", "l99", "b50", "b99")} for r in rates}
    for run in range(runs):
        started = time.monotonic()
        for rate in rates:
            count = max(10 if bench.quick else 15, int(rate * bench.seconds * 1.5))
            settle(plat)
            linli = asyncio.run(_linli(plat, rate, count))
            settle(plat)
            press = asyncio.run(_bare_press(plat, rate, count, bare_devices))
            fanout = asyncio.run(_bare_fanout(plat, rate, count, body_size))
            got = results[rate]
            got["l50"].append(percentile(linli, 0.5))
            got["l99"].append(percentile(linli, 0.99))
            got["b50"].append(percentile(press, 0.5) + percentile(fanout, 0.5))
            got["b99"].append(percentile(press, 0.99) + percentile(fanout, 0.99))
            if len(linli) < count:
                print(f"  at {rate}/s only {len(linli)} of {count} presses reached the board in time", flush=True)
        print(f"  emergency run {run + 1}/{runs} ({time.monotonic() - started:.0f}s): " + "; ".join(
            f"{r}/s p50 {results[r]['l50'][-1]:.0f} ms (bare {results[r]['b50'][-1]:.0f})" for r in rates), flush=True)
    out = []
    for rate in rates:
        got = results[rate]
        out.append(Row("emergency", f"press → operator's SSE at {rate}/s, p50", MILLISECONDS, got["l50"],
                       "sum of bare hops (HTTP→gRPC same Mongo work; pika→SSE), p50", got["b50"]))
        count = max(10 if bench.quick else 15, int(rate * bench.seconds * 1.5))
        out.append(Row("emergency", f"press → operator's SSE at {rate}/s, p99", MILLISECONDS, got["l99"],
                       "sum of bare hops, p99 (sum of p99s: an upper bound)", got["b99"],
                       note=f"{count} presses a run: p99 is near their maximum" if count < 100 else ""))
    return out
