"""What metrics cost on the hot paths, measured in the same run: the gateway's GET /v1/care-requests/{id}
and the gRPC api's GetCareRequest on the platform's processes (metrics on, as every process runs) against a
second eldercare api and gateway started beside them with ELDERCARE_API_METRICS_PORT=0 and
GATEWAY_METRICS_PORT=0 (no meter provider: every instrument is the OpenTelemetry API's no-op). Both pairs
share SecantusDB and the broker; which goes first alternates between runs, and Prometheus does not scrape
(a scrape costs the process one /metrics render, seconds apart).

Two figures for each: requests per second, and the CPU time the serving processes spent per request
(from /proc: the gateway's and its api's for HTTP, the api's for gRPC). On a machine shared with other
work the rates swing with the neighbours' load; CPU per request much less, so it is the figure to read."""
import asyncio
import sys
import time

from bench import loadgen
import os

from bench.common import MILLISECONDS, PER_SECOND, Bench, Row
from bench.platform import OPERATOR, Platform, settle
from linli_dev.devstack import free_port, grpc_serving, http_ok, wait_until
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far."""
    total = 0
    for pid in pids:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / os.sysconf("SC_CLK_TCK")


def _pids(plat: Platform, *names: str) -> list[int]:
    return [p.popen.pid for p in plat.stack.processes if p.name in names]


def _without_metrics(plat: Platform) -> tuple[str, str]:
    """(api address, gateway URL) of an eldercare api and a gateway with metrics off; started once."""
    if getattr(plat, "no_metrics", None):
        return plat.no_metrics
    api_addr, port = f"127.0.0.1:{free_port()}", free_port()
    api = plat.stack.spawn("eldercare-api-no-metrics", [sys.executable, "-m", "services.eldercare.api"],
                           {"ELDERCARE_API_ADDR": api_addr, "ELDERCARE_API_METRICS_PORT": "0"})
    wait_until(lambda: grpc_serving(api_addr), 60, "eldercare api without metrics", api)
    gateway = plat.stack.spawn("gateway-no-metrics", [sys.executable, "-m", "gateway"],
                               {"ELDERCARE_API_ADDR": api_addr, "GATEWAY_PORT": str(port), "GATEWAY_METRICS_PORT": "0"})
    url = f"http://{plat.env['GATEWAY_HOST']}:{port}"
    wait_until(lambda: http_ok(url + "/healthz"), 60, "gateway without metrics", gateway)
    plat.no_metrics = (api_addr, url)
    return plat.no_metrics


async def _run_once(plat: Platform, bench: Bench, off_first: bool) -> dict[str, float]:
    import grpc

    api_off, gateway_off = _without_metrics(plat)
    md = OPERATOR.to_metadata()
    headers = {"Authorization": f"Bearer {plat.token(OPERATOR.subject, 'operator')}", "Accept": "application/json"}
    ids = plat.care_ids
    out = {}
    async with grpc.aio.insecure_channel(plat.api_addr) as on_channel, grpc.aio.insecure_channel(api_off) as off_channel:
        stubs = {"on": pb_grpc.EldercareServiceStub(on_channel), "off": pb_grpc.EldercareServiceStub(off_channel)}
        for side in (("off", "on") if off_first else ("on", "off")):
            stub = stubs[side]

            async def read(i: int, stub=stub) -> None:
                await stub.GetCareRequest(pb.GetCareRequestRequest(id=ids[i % len(ids)]), metadata=md, timeout=5)

            await asyncio.to_thread(settle, plat)
            pids = _pids(plat, "eldercare-api" if side == "on" else "eldercare-api-no-metrics")
            cpu = _cpu_seconds(pids)
            result = await loadgen.closed_loop(read, bench.concurrency, bench.seconds)
            cpu = _cpu_seconds(pids) - cpu
            if result.errors:
                print(f"  gRPC metrics {side}: {result.errors} errors, e.g. {result.first_error}", flush=True)
            out[f"grpc_{side}"] = result.rate
            out[f"grpc_cpu_{side}"] = cpu * 1000 / max(1, result.rate * bench.seconds)
    for side in (("off", "on") if off_first else ("on", "off")):
        conns = [loadgen.Http(gateway_off if side == "off" else plat.gateway_url) for _ in range(bench.concurrency)]

        async def get(i: int, conns=conns) -> None:
            status, body = await conns[i].request("GET", f"/v1/care-requests/{ids[i % len(ids)]}", headers)
            if status != 200:
                raise RuntimeError(f"{status} {body[:200]!r}")

        await asyncio.to_thread(settle, plat)
        pids = _pids(plat, *(("gateway", "eldercare-api") if side == "on"
                             else ("gateway-no-metrics", "eldercare-api-no-metrics")))
        cpu = _cpu_seconds(pids)
        result = await loadgen.closed_loop(get, bench.concurrency, bench.seconds)
        cpu = _cpu_seconds(pids) - cpu
        if result.errors:
            print(f"  gateway metrics {side}: {result.errors} errors, e.g. {result.first_error}", flush=True)
        out[f"http_{side}"] = result.rate
        out[f"http_cpu_{side}"] = cpu * 1000 / max(1, result.rate * bench.seconds)
        for conn in conns:
            conn.close()
    return out


def rows(bench: Bench) -> list[Row]:
    plat = bench.platform()
    runs: list[dict[str, float]] = []
    for run in range(bench.runs):
        started = time.monotonic()
        measured = asyncio.run(_run_once(plat, bench, off_first=run % 2 == 1))
        runs.append(measured)
        print(f"  metrics cost run {run + 1}/{bench.runs} ({time.monotonic() - started:.0f}s): "
              + ", ".join(f"{k} {v:.1f}" for k, v in measured.items()), flush=True)

    def values(key: str) -> list[float]:
        return [r[key] for r in runs]

    c = bench.concurrency
    return [
        Row("metrics cost", f"gateway GET /v1/care-requests/{{id}}, metrics on, {c} in flight", PER_SECOND,
            values("http_on"), "the same, metrics off (GATEWAY_ and ELDERCARE_API_METRICS_PORT=0)", values("http_off")),
        Row("metrics cost", "  CPU per request (gateway + api)", MILLISECONDS, values("http_cpu_on"),
            "the same, metrics off", values("http_cpu_off")),
        Row("metrics cost", f"gRPC GetCareRequest, metrics on, {c} in flight", PER_SECOND, values("grpc_on"),
            "the same, metrics off (ELDERCARE_API_METRICS_PORT=0)", values("grpc_off")),
        Row("metrics cost", "  CPU per call (api)", MILLISECONDS, values("grpc_cpu_on"),
            "the same, metrics off", values("grpc_cpu_off")),
    ]
