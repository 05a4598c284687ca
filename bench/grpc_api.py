"""gRPC api read and write vs a bare grpcio servicer making the same pymongo calls.

Read:  EldercareService.GetCareRequest (operator)   vs bench.Bare/Read  (the same find_one by _id)
Write: EldercareService.RaiseCareRequest (operator) vs bench.Bare/Raise (the same transaction: insert the
       request and its outbox record)
Same request metadata, same reply size. Storage: the same pymongo calls made directly, one at a time.
Linli's write also sets off what follows a commit (the relay publishes, the worker counts the call, the
gateway's board hears it): that is part of its cost, so it is left in and the platform settles between
measurements.
"""
import asyncio
import time

import grpc

from bench import loadgen
from bench.bare_grpc import BareStore
from bench.common import PER_SECOND, Bench, Row, median, timed_loop
from bench.platform import BARE_DB, COMMUNITY, LINLI_DB, OPERATOR, Platform, settle
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc

RAISE = dict(community_id=COMMUNITY, elder_id="bench-elder-00001", kind=pb.CARE_KIND_MEAL, channel=pb.CHANNEL_PHONE,
             description="午饭送餐，四菜一汤", location=pb.Location(building="东区 1号楼", unit="2单元", floor=3, detail="302"))


def storage_ms(plat: Platform, seconds: float) -> tuple[float, float]:
    """Median time of the read's and the write's pymongo calls alone, made from this process."""
    store = BareStore(plat.env["MONGO_URI"], BARE_DB)
    linli = store.client[LINLI_DB]
    care_id = plat.care_ids[0]
    _, reads = timed_loop(seconds, lambda: linli.care_requests.find_one({"_id": care_id}))
    _, writes = timed_loop(seconds, store.raise_request)
    store.client.close()
    return median(reads), median(writes)


async def _run_once(plat: Platform, bench: Bench, bare_first: bool) -> dict[str, float]:
    md = OPERATOR.to_metadata()
    ids = plat.care_ids
    async with grpc.aio.insecure_channel(plat.api_addr) as linli_channel, \
            grpc.aio.insecure_channel(plat.bare_grpc_addr) as bare_channel:
        stub = pb_grpc.EldercareServiceStub(linli_channel)
        bare_read = bare_channel.unary_unary("/bench.Bare/Read")
        bare_raise = bare_channel.unary_unary("/bench.Bare/Raise")
        sample = await stub.GetCareRequest(pb.GetCareRequestRequest(id=ids[0]), metadata=md, timeout=5)
        read_size = sample.ByteSize()
        raised = await stub.RaiseCareRequest(pb.RaiseCareRequestRequest(**RAISE), metadata=md, timeout=5)
        raise_size = raised.ByteSize()

        async def linli_read(i: int) -> None:
            await stub.GetCareRequest(pb.GetCareRequestRequest(id=ids[i % len(ids)]), metadata=md, timeout=5)

        async def bare_read_call(i: int) -> None:
            await bare_read(f"{read_size}:{ids[i % len(ids)]}".encode(), metadata=md, timeout=5)

        async def linli_write(i: int) -> None:
            await stub.RaiseCareRequest(pb.RaiseCareRequestRequest(**RAISE), metadata=md, timeout=5)

        async def bare_write(i: int) -> None:
            await bare_raise(f"{raise_size}:".encode(), metadata=md, timeout=5)

        out = {}
        pairs = [("read", linli_read, bare_read_call), ("write", linli_write, bare_write)]
        for name, linli_call, bare_call in pairs:
            order = [("bare", bare_call), ("linli", linli_call)] if bare_first else [("linli", linli_call), ("bare", bare_call)]
            for side, call in order:
                await asyncio.to_thread(settle, plat)
                result = await loadgen.closed_loop(call, bench.concurrency, bench.seconds)
                if result.errors:
                    print(f"  {side} {name}: {result.errors} errors, e.g. {result.first_error}", flush=True)
                out[f"{side}_{name}"] = result.rate
    return out


def rows(bench: Bench) -> list[Row]:
    plat = bench.platform()
    runs: list[dict[str, float]] = []
    for run in range(bench.runs):
        started = time.monotonic()
        measured = asyncio.run(_run_once(plat, bench, bare_first=run % 2 == 1))
        measured["storage_read"], measured["storage_write"] = storage_ms(plat, min(1.0, bench.seconds / 2))
        runs.append(measured)
        print(f"  gRPC api run {run + 1}/{bench.runs} ({time.monotonic() - started:.0f}s): "
              + ", ".join(f"{k} {v:.1f}" for k, v in measured.items()), flush=True)

    def values(key: str) -> list[float]:
        return [r[key] for r in runs]

    c = bench.concurrency
    return [
        Row("gRPC api", f"GetCareRequest, {c} in flight", PER_SECOND, values("linli_read"),
            "bare grpcio, same find_one", values("bare_read"), values("storage_read")),
        Row("gRPC api", f"RaiseCareRequest, {c} in flight", PER_SECOND, values("linli_write"),
            "bare grpcio, same transaction", values("bare_write"), values("storage_write"),
            note="Linli's rate includes the relay, worker and board work each raise sets off"),
    ]
