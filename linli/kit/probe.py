"""Health probes for every role, as one small command: Docker's HEALTHCHECK and Kubernetes' exec probes.

    python -m linli.kit.probe                     the role of this container's main process (PID 1)
    python -m linli.kit.probe heartbeat [FILE]    a worker: its heartbeat file was touched recently
    python -m linli.kit.probe grpc HOST:PORT      an api: grpc.health.v1 says SERVING
    python -m linli.kit.probe http URL            the gateway: the URL answers 200

Exit 0 when healthy, 1 (with the reason on stderr) when not. Workers have no port, so their probe is
the heartbeat file that linli.kit.heartbeat.Heartbeat touches from inside the running Nameko container.
Kubernetes probes apis and the gateway natively (grpc, httpGet); only workers need this command there.
"""
import os
import sys
import tempfile
import time
from pathlib import Path

# In the temporary directory: with a read-only root filesystem, Kubernetes mounts an emptyDir on /tmp.
HEARTBEAT_FILE = Path(tempfile.gettempdir()) / "linli-heartbeat"
HEARTBEAT_SECONDS = 5.0
# Six missed beats: a slow handler or a garbage-collection pause is not a dead worker.
STALE_AFTER_SECONDS = 30.0


def heartbeat(path: Path | None = None, stale_after: float = STALE_AFTER_SECONDS) -> str | None:
    """None when the file was touched within stale_after seconds; otherwise why not."""
    path = path or HEARTBEAT_FILE
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return f"no heartbeat yet at {path}"
    if age > stale_after:
        return f"last heartbeat {age:.0f}s ago (limit {stale_after:.0f}s) at {path}"
    return None


def grpc_serving(address: str, timeout: float = 3.0) -> str | None:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with grpc.insecure_channel(address) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=timeout)
        except grpc.RpcError as error:
            return f"gRPC health check at {address} failed: {error.code().name}"
    if reply.status != health_pb2.HealthCheckResponse.SERVING:
        return f"gRPC health at {address} is {health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)}"
    return None


def http_ok(url: str, timeout: float = 3.0) -> str | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:  # noqa: S310 (a local URL we build)
            status = reply.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        return f"{url} did not answer: {error}"
    return None if status == 200 else f"{url} answered {status}"


def _local(address: str) -> str:
    """Where to reach a server from inside its own container: a wildcard bind address means loopback."""
    host, _, port = address.rpartition(":")
    return f"127.0.0.1:{port}" if host in ("", "0.0.0.0", "[::]", "::") else address


def main_process_check(cmdline: list[str]) -> str | None:
    """Check the role that PID 1 runs: `-m services.<name>.api`, `-m linli.kit.workers ...`, `-m gateway`."""
    from linli.kit.config import setting

    module = cmdline[cmdline.index("-m") + 1] if "-m" in cmdline[:-1] else ""
    if module == "linli.kit.workers":
        return heartbeat()
    if module == "gateway":
        return http_ok(f"http://{_local(setting('GATEWAY_HOST') + ':' + setting('GATEWAY_PORT'))}/healthz")
    if module.startswith("services.") and module.endswith(".api"):
        service = module.split(".")[1]
        return grpc_serving(_local(setting(f"{service.upper()}_API_ADDR")))
    return f"no probe for the main process {' '.join(cmdline)!r}"


def main(argv: list[str]) -> int:
    if not argv:
        cmdline = Path("/proc/1/cmdline").read_bytes().decode().split("\0")
        problem = main_process_check([part for part in cmdline if part])
    elif argv[0] == "heartbeat" and len(argv) <= 2:
        problem = heartbeat(Path(argv[1]) if len(argv) == 2 else None)
    elif argv[0] == "grpc" and len(argv) == 2:
        problem = grpc_serving(argv[1])
    elif argv[0] == "http" and len(argv) == 2:
        problem = http_ok(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ.setdefault("GRPC_VERBOSITY", "NONE")  # a failed probe says why in one line, not a log dump
    sys.exit(main(sys.argv[1:]))
