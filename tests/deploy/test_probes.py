"""The health of each role is reachable: linli.kit.probe (Docker's HEALTHCHECK, the workers' Kubernetes
probe) and the heartbeat a worker keeps while its Nameko container runs."""
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent import futures

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from deploy import check
from linli.kit import probe

GATEWAY_COMMAND = ["python", "-m", "gateway"]


def probe_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "linli.kit.probe", *args], cwd=check.ROOT,
                          capture_output=True, text=True, timeout=30)


def test_a_worker_is_alive_while_its_nameko_container_beats_and_dead_once_it_stops(tmp_path):
    beat = tmp_path / "heartbeat"
    env = {**os.environ, "PYTHONPATH": str(check.ROOT), "LINLI_TEST_HEARTBEAT_FILE": str(beat)}
    worker = subprocess.Popen([sys.executable, "-m", "linli.kit.workers", "tests.deploy.heartbeat_worker"],
                              cwd=check.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while probe_command("heartbeat", str(beat)).returncode != 0:
            assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the worker never beat"
            time.sleep(0.2)
        first = beat.stat().st_mtime
        time.sleep(1)
        assert beat.stat().st_mtime > first, "the heartbeat is not kept up"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
    stopped_at = beat.stat().st_mtime
    time.sleep(1)
    assert beat.stat().st_mtime == stopped_at
    assert probe.heartbeat(beat, stale_after=0.5) is not None


def test_a_worker_without_a_heartbeat_file_is_not_alive(tmp_path):
    result = probe_command("heartbeat", str(tmp_path / "none"))
    assert result.returncode == 1
    assert "no heartbeat yet" in result.stderr


def test_a_stale_heartbeat_is_reported_with_its_age(tmp_path):
    beat = tmp_path / "heartbeat"
    beat.touch()
    old = time.time() - 120
    os.utime(beat, (old, old))
    assert "last heartbeat 120s ago" in probe.heartbeat(beat)


@pytest.fixture
def health_server():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield servicer, port
    server.stop(0)


def test_an_api_is_healthy_while_grpc_health_says_serving(health_server):
    servicer, port = health_server
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    assert probe_command("grpc", f"127.0.0.1:{port}").returncode == 0
    servicer.enter_graceful_shutdown()
    result = probe_command("grpc", f"127.0.0.1:{port}")
    assert result.returncode == 1 and "NOT_SERVING" in result.stderr


def test_the_probe_finds_each_role_from_the_main_process(health_server, monkeypatch, tmp_path):
    servicer, port = health_server
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    monkeypatch.setenv("ELDERCARE_API_ADDR", f"0.0.0.0:{port}")
    assert probe.main_process_check(["python", "-m", "services.eldercare.api"]) is None

    class Healthz(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Healthz)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("GATEWAY_HOST", "0.0.0.0")
        monkeypatch.setenv("GATEWAY_PORT", str(server.server_port))
        assert probe.main_process_check(["python", "-m", "gateway"]) is None
    finally:
        server.shutdown()

    monkeypatch.setattr(probe, "HEARTBEAT_FILE", tmp_path / "missing")
    problem = probe.main_process_check(["python", "-m", "linli.kit.workers", "services.eldercare.worker"])
    assert problem and "no heartbeat" in problem
    assert "no probe" in probe.main_process_check(["sh", "-c", "true"])


def test_every_worker_keeps_a_heartbeat_for_its_liveness_probe(rendered):
    from nameko.extensions import DependencyProvider  # noqa: F401 (imported before the worker modules)

    from linli.kit.heartbeat import Heartbeat

    _, objects = rendered["production"]
    for obj in check.of_kind(objects, "Deployment"):
        for container in check.containers(obj, init=False):
            command = container.get("command", [])
            if command[:3] == ["python", "-m", "linli.kit.workers"]:
                assert container["livenessProbe"]["exec"]["command"][-1] == "heartbeat"
                for module in command[3:]:
                    service = __import__(module, fromlist=["*"])
                    classes = [value for value in vars(service).values() if isinstance(value, type)
                               and getattr(value, "name", None) and value.__module__ == module]
                    assert classes and all(any(isinstance(v, Heartbeat) for v in vars(cls).values())
                                           for cls in classes), f"{module} declares no Heartbeat()"


def test_the_gateway_is_alive_by_livez_and_ready_by_healthz_both_routes_it_serves(overlay, tmp_path, monkeypatch):
    # Liveness asks no api, so a slow api takes the gateway out of the load balancer but never restarts it.
    from fastapi.routing import APIRoute

    from gateway.app import create_app
    from gateway.auth import Authenticator
    from gateway.board import Board

    monkeypatch.setenv("LINLI_DEV_ISSUER_DIR", str(tmp_path))
    app = create_app(authenticator=Authenticator.from_settings(), board=Board("amqp://127.0.0.1:1/"))
    served = {route.path for route in app.routes if isinstance(route, APIRoute) and "GET" in route.methods}
    name, objects = overlay
    gateways = [container for obj in check.of_kind(objects, "Deployment")
                for container in check.containers(obj, init=False) if container.get("command") == GATEWAY_COMMAND]
    assert gateways, f"no gateway Deployment in the {name} overlay"
    for container in gateways:
        paths = {kind: container[kind]["httpGet"]["path"]
                 for kind in ("startupProbe", "livenessProbe", "readinessProbe")}
        assert paths == {"startupProbe": "/livez", "livenessProbe": "/livez", "readinessProbe": "/healthz"}
        assert set(paths.values()) <= served
