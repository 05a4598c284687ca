"""Gateway HTTP read vs a bare FastAPI → grpc.aio passthrough to a bare grpcio server.

Linli: GET /v1/care-requests/{id} with an operator's bearer token (JWT check, problem+json mapping,
request ids, telemetry, the api's domain check and proto → REST mapping).
Bare:  GET /bare/care-requests/{id} on bench.bare_http with the same headers, passing through grpc.aio to
bench.bare_grpc's Read (the same find_one), answering the same number of bytes at each hop.
One keep-alive connection per caller, `concurrency` callers.
"""
import asyncio
import time

from bench import loadgen
from bench.common import PER_SECOND, Bench, Row
from bench.platform import OPERATOR, Platform, settle
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc


async def _sizes(plat: Platform, headers: dict) -> tuple[int, int]:
    """Bytes of Linli's gRPC reply and HTTP body for one care request."""
    import grpc

    async with grpc.aio.insecure_channel(plat.api_addr) as channel:
        reply = await pb_grpc.EldercareServiceStub(channel).GetCareRequest(
            pb.GetCareRequestRequest(id=plat.care_ids[0]), metadata=OPERATOR.to_metadata(), timeout=5)
    http = loadgen.Http(plat.gateway_url)
    status, body = await http.request("GET", f"/v1/care-requests/{plat.care_ids[0]}", headers)
    http.close()
    if status != 200:
        raise RuntimeError(f"gateway answered {status}: {body[:300]!r}")
    return reply.ByteSize(), len(body)


async def _run_once(plat: Platform, bench: Bench, bare_first: bool) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {plat.token(OPERATOR.subject, 'operator')}", "Accept": "application/json"}
    reply_size, body_size = await _sizes(plat, headers)
    ids = plat.care_ids
    linli_conns = [loadgen.Http(plat.gateway_url) for _ in range(bench.concurrency)]
    bare_conns = [loadgen.Http(plat.bare_http_url) for _ in range(bench.concurrency)]

    async def linli(i: int) -> None:
        status, body = await linli_conns[i].request("GET", f"/v1/care-requests/{ids[i % len(ids)]}", headers)
        if status != 200:
            raise RuntimeError(f"{status} {body[:200]!r}")

    async def bare(i: int) -> None:
        path = f"/bare/care-requests/{ids[i % len(ids)]}?reply={reply_size}&body={body_size}"
        status, body = await bare_conns[i].request("GET", path, headers)
        if status != 200:
            raise RuntimeError(f"{status} {body[:200]!r}")

    out = {}
    order = [("bare", bare), ("linli", linli)] if bare_first else [("linli", linli), ("bare", bare)]
    for side, call in order:
        await asyncio.to_thread(settle, plat)
        result = await loadgen.closed_loop(call, bench.concurrency, bench.seconds)
        if result.errors:
            print(f"  {side}: {result.errors} errors, e.g. {result.first_error}", flush=True)
        out[side] = result.rate
    for conn in linli_conns + bare_conns:
        conn.close()
    return out


def rows(bench: Bench) -> list[Row]:
    plat = bench.platform()
    runs = []
    for run in range(bench.runs):
        started = time.monotonic()
        runs.append(asyncio.run(_run_once(plat, bench, bare_first=run % 2 == 1)))
        print(f"  gateway run {run + 1}/{bench.runs} ({time.monotonic() - started:.0f}s): "
              + ", ".join(f"{k} {v:.1f}/s" for k, v in runs[-1].items()), flush=True)
    return [Row("gateway HTTP", f"GET /v1/care-requests/{{id}}, {bench.concurrency} in flight", PER_SECOND,
                [r["linli"] for r in runs], "bare FastAPI → grpc.aio → bare grpcio, same find_one",
                [r["bare"] for r in runs], note="storage: the read's find_one, as in the gRPC row")]
