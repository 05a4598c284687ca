"""An emergency from the device's press to the family's browser: latency at fixed rates.

Linli: POST /v1/devices/{id}/press (the eldercare api: one transaction with the outbox record) → relay →
       RabbitMQ → the notify worker (who hears what, the inbox and deliveries in one transaction) → its
       delivery timer (NOTIFY_DELIVERY_POLL_SECONDS) → Web Push: the payload encrypted for the family's
       subscription (RFC 8291), a VAPID token signed (RFC 8292), POSTed to the push service. The push
       service belongs to the browser's vendor: here a local HTTP server on loopback stands in, answering
       201 at once. The clock runs from the press's start to the push's arrival there.
Each family subscribes through the gateway first (POST /v1/me/push-endpoints with their own token), as a
browser would; every press uses an elder whose family nobody has pushed to yet.

Rates: the district's peak hour has 0.13 calls a second (bench/district_day.py), each 7 care events;
1/s is about eight times that, 5/s forty times.
"""
import asyncio
import base64
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from bench import loadgen
from bench.common import MILLISECONDS, Bench, Row, percentile
from bench.platform import OPERATOR, Platform, settle
from linli.eldercare.v1 import residents_pb2, residents_pb2_grpc


class PushService:
    """The browser vendor's push service, on loopback: notes when each subscription's first push came."""

    def __init__(self):
        self.arrived: dict[str, float] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                service.arrived.setdefault(self.path, time.perf_counter())
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.server.server_port}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _subscribe(plat: Platform, push: PushService, devices: list[str]) -> dict[str, str]:
    """Each device's elder's family subscribes through the gateway; returns device → push path."""
    import grpc

    paths = {}
    md = OPERATOR.to_metadata()
    with grpc.insecure_channel(plat.api_addr) as channel, httpx.Client(base_url=plat.gateway_url, timeout=10) as http:
        residents = residents_pb2_grpc.ResidentServiceStub(channel)
        for device in devices:
            elder_id = device.replace("bench-pager-", "bench-elder-")
            elder = residents.GetElder(residents_pb2.GetElderRequest(id=elder_id), metadata=md, timeout=10).elder
            family = elder.contacts[0].user_id
            key = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
            path = f"/wpush/{uuid.uuid4().hex}"
            answer = http.post("/v1/me/push-endpoints", headers={
                "Authorization": f"Bearer {plat.token(family, 'family')}"}, json={
                "kind": "web_push", "endpoint": push.origin + path,
                "keys": {"p256dh": _b64(key), "auth": _b64(uuid.uuid4().bytes)}})
            if answer.status_code != 201:
                raise RuntimeError(f"subscribing {family}: {answer.status_code} {answer.text[:200]}")
            paths[device] = path
    return paths


async def _linli(plat: Platform, push: PushService, rate: float, count: int) -> list[float]:
    devices = plat.take_devices(count)
    paths = _subscribe(plat, push, devices)
    tokens = {device: plat.token(device, "device") for device in devices}
    conns = [loadgen.Http(plat.gateway_url) for _ in range(16)]
    free = list(range(len(conns)))
    started: dict[str, float] = {}

    async def press(i: int) -> None:
        device = devices[i]
        started[device] = time.perf_counter()
        slot = free.pop()
        try:
            status, body = await conns[slot].request("POST", f"/v1/devices/{device}/press",
                                                     {"Authorization": f"Bearer {tokens[device]}"})
        finally:
            free.append(slot)
        if status != 201:
            raise RuntimeError(f"press answered {status}: {body[:200]!r}")

    result = await loadgen.open_loop(press, rate, count)
    if result.errors:
        print(f"  presses at {rate}/s: {result.errors} errors, e.g. {result.first_error}", flush=True)
    deadline = time.monotonic() + 30
    while sum(paths[d] in push.arrived for d in devices) < count - result.errors and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    for conn in conns:
        conn.close()
    return [(push.arrived[paths[d]] - started[d]) * 1000 for d in devices if paths[d] in push.arrived]


def rows(bench: Bench) -> list[Row]:
    plat = bench.platform()
    rates = [1, 5]
    runs = min(bench.runs, 2 if bench.quick else 3)
    push = PushService()
    got = {rate: {"p50": [], "p99": []} for rate in rates}
    try:
        for run in range(runs):
            for rate in rates:
                count = max(10 if bench.quick else 15, int(rate * bench.seconds * 1.5))
                settle(plat)
                latencies = asyncio.run(_linli(plat, push, rate, count))
                got[rate]["p50"].append(percentile(latencies, 0.5))
                got[rate]["p99"].append(percentile(latencies, 0.99))
                if len(latencies) < count:
                    print(f"  at {rate}/s only {len(latencies)} of {count} pushes arrived in time", flush=True)
            print(f"  notify run {run + 1}/{runs}: " + "; ".join(
                f"{r}/s p50 {got[r]['p50'][-1]:.0f} ms p99 {got[r]['p99'][-1]:.0f} ms" for r in rates), flush=True)
    finally:
        push.close()
    out = []
    for rate in rates:
        out.append(Row("notify", f"press → family's Web Push at {rate}/s, p50", MILLISECONDS, got[rate]["p50"],
                       note="the worker sends right after deciding; retries and quiet hours wait for its timer"))
        out.append(Row("notify", f"press → family's Web Push at {rate}/s, p99", MILLISECONDS, got[rate]["p99"]))
    return out


