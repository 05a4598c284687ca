"""Gateway HTTP read vs a bare FastAPI → grpc.aio passthrough to a bare grpcio server.

Linli: GET /v1/care-requests/{id} with an operator's bearer token (JWT check, problem+json mapping,
request ids, telemetry at the default sampling ratio, the api's domain check and proto → REST mapping).
Bare:  GET /bare/care-requests/{id} on bench.bare_http with the same headers, passing through grpc.aio to
bench.bare_grpc's Read (the same find_one), answering the same number of bytes at each hop.
Traced: a second gateway beside the first, the same code with LINLI_TRACE_SAMPLE_RATIO=1 (every request's
trace recorded, in the api too, which follows the gateway's decision): the cost of tracing everything.
One keep-alive connection per caller, `concurrency` callers; the sides take turns going first.
"""
import asyncio
import os
import subprocess
import time
from pathlib import Path

from bench import loadgen
from bench.common import PER_SECOND, Bench, Row
from bench.platform import OPERATOR, Platform, settle
from linli_dev.devstack import ROOT, Process, free_port, http_ok, wait_until
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc


def spawn_gateway(plat: Platform, name: str, extra_env: dict[str, str] | None = None,
                  tree: Path = ROOT) -> str:
    """Another gateway process beside the platform's, on the same apis, issuer and broker, running the
    code in `tree` (this checkout, or an older revision's files); stopped with the platform. Its URL
    (its process: `process_of(plat, name)`)."""
    port = free_port()
    env = {**os.environ, **plat.env, "GATEWAY_PORT": str(port), "GATEWAY_METRICS_PORT": str(free_port()),
           **(extra_env or {}), "LINLI_PROCESS_NAME": name, "PYTHONPATH": str(tree),
           "PYTHONWARNINGS": "ignore::DeprecationWarning", "PYTHONUNBUFFERED": "1"}
    log_path = plat.stack.log_dir / f"{name}.log"
    with open(log_path, "ab") as log:
        popen = subprocess.Popen([str(ROOT / ".venv/bin/python"), "-m", "gateway"], cwd=tree, env=env, stdout=log,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    process = Process(name, popen, log_path)
    plat.stack.processes.append(process)
    url = f"http://{plat.env['GATEWAY_HOST']}:{port}"
    wait_until(lambda: http_ok(url + "/healthz"), 90, name, process)
    _PIDS[url] = popen.pid
    return url


_PIDS: dict[str, int] = {}  # URL → process of the gateways spawn_gateway started


def process_of(plat: Platform, name: str) -> int:
    return next(p.popen.pid for p in plat.stack.processes if p.name == name)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


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


async def _run_once(plat: Platform, bench: Bench, gateways: dict[str, str], turn: int,
                    cpu: dict | None = None) -> dict[str, float]:
    """One timed closed loop per side: "bare", and each of `gateways` (name → URL); the order rotates by
    `turn`, so drift on the machine hits every side alike over the runs. `cpu`, when given, gets each
    side's CPU milliseconds per request in its HTTP process and in the gRPC process behind it (from /proc:
    unlike rates, hardly moved by other work on the machine)."""
    headers = {"Authorization": f"Bearer {plat.token(OPERATOR.subject, 'operator')}", "Accept": "application/json"}
    reply_size, body_size = await _sizes(plat, headers)
    ids = plat.care_ids
    sides = {"bare": (plat.bare_http_url, lambda i: f"/bare/care-requests/{ids[i % len(ids)]}"
                                                     f"?reply={reply_size}&body={body_size}")}
    for name, url in gateways.items():
        sides[name] = (url, lambda i: f"/v1/care-requests/{ids[i % len(ids)]}")
    names = list(sides)
    gateway_pids = {name: _PIDS.get(url) or process_of(plat, "gateway") for name, url in gateways.items()}
    names = names[turn % len(names):] + names[:turn % len(names)]
    out = {}
    for name in names:
        url, path = sides[name]
        conns = [loadgen.Http(url) for _ in range(bench.concurrency)]

        async def call(i: int) -> None:
            status, body = await conns[i].request("GET", path(i), headers)
            if status != 200:
                raise RuntimeError(f"{status} {body[:200]!r}")

        await asyncio.to_thread(settle, plat)
        pids = (process_of(plat, "bare-http"), process_of(plat, "bare-grpc")) if name == "bare" else \
            (gateway_pids[name], process_of(plat, "eldercare-api"))
        used = [cpu_seconds(pid) for pid in pids]
        result = await loadgen.closed_loop(call, bench.concurrency, bench.seconds)
        if cpu is not None and result.latencies_ms:
            done = len(result.latencies_ms)
            cpu[name] = tuple((cpu_seconds(pid) - before) * 1000 / done for pid, before in zip(pids, used))
        if result.errors:
            print(f"  {name}: {result.errors} errors, e.g. {result.first_error}", flush=True)
        out[name] = result.rate
        for conn in conns:
            conn.close()
    return out


def measure(bench: Bench, plat: Platform, gateways: dict[str, str], label: str = "gateway",
            cpu_runs: list | None = None) -> list[dict[str, float]]:
    runs = []
    for run in range(bench.runs):
        started = time.monotonic()
        cpu = {} if cpu_runs is not None else None
        runs.append(asyncio.run(_run_once(plat, bench, gateways, turn=run, cpu=cpu)))
        if cpu_runs is not None:
            cpu_runs.append(cpu)
        print(f"  {label} run {run + 1}/{bench.runs} ({time.monotonic() - started:.0f}s, load average "
              f"{os.getloadavg()[0]:.1f}): " + ", ".join(f"{k} {v:.1f}/s" for k, v in runs[-1].items()), flush=True)
    return runs


def rows(bench: Bench) -> list[Row]:
    plat = bench.platform()
    traced = spawn_gateway(plat, "gateway-traced", {"LINLI_TRACE_SAMPLE_RATIO": "1"})
    runs = measure(bench, plat, {"linli": plat.gateway_url, "traced": traced})
    path = f"GET /v1/care-requests/{{id}}, {bench.concurrency} in flight"
    return [Row("gateway HTTP", path, PER_SECOND, [r["linli"] for r in runs],
                "bare FastAPI → grpc.aio → bare grpcio, same find_one", [r["bare"] for r in runs],
                note="storage: the read's find_one, as in the gRPC row"),
            Row("gateway HTTP", path + ", every trace recorded (LINLI_TRACE_SAMPLE_RATIO=1)", PER_SECOND,
                [r["traced"] for r in runs], "the same gateway at the default ratio (0.1)",
                [r["linli"] for r in runs], note="the cost of tracing everything: gateway and api spans, no export")]
