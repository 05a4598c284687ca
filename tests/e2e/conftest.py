"""End-to-end tier: every process of the platform running as `make run` starts it (SecantusDB, the
eldercare api with its outbox relay, the Nameko workers, the gateway), exporting traces to an OTLP
receiver in this test process."""
import json
import queue
import tempfile
import threading
from pathlib import Path

import httpx
import pytest

from gateway import dev_issuer
from linli_dev.devstack import free_port, platform
from linli.kit.config import SETTINGS, setting
from tests.e2e.otlp_receiver import OtlpReceiver

COMMUNITY = "donghuayuan"
CORS_ORIGIN = "https://app.linli.example"


@pytest.fixture(scope="session")
def otlp():
    receiver = OtlpReceiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="session")
def issuer_dir():
    return tempfile.mkdtemp(prefix="linli-e2e-issuer-")


@pytest.fixture(scope="session")
def stack(otlp, issuer_dir):
    env = {name: setting(name) for name in SETTINGS}
    gateway_port = free_port()
    env.update({
        "ELDERCARE_API_ADDR": f"127.0.0.1:{free_port()}",
        "VOLUNTEER_API_ADDR": f"127.0.0.1:{free_port()}",
        "CLINIC_API_ADDR": f"127.0.0.1:{free_port()}",
        "EMPLOYMENT_API_ADDR": f"127.0.0.1:{free_port()}",
        "NOTIFY_API_ADDR": f"127.0.0.1:{free_port()}",
        "NOTIFY_VAPID_KEY_FILE": str(Path(tempfile.mkdtemp(prefix="linli-e2e-vapid-")) / "private_key.pem"),
        "CLINIC_PARTNER_ADDR": f"127.0.0.1:{free_port()}",
        # The devices' broker and door of this session (call devices over MQTT: tests/e2e/test_mqtt_devices.py).
        "ELDERCARE_MQTT_ADDR": f"127.0.0.1:{free_port()}",
        "ELDERCARE_DEVICE_AUTH_ADDR": f"127.0.0.1:{free_port()}",
        # The clinic's partner port gets certificates from a CA of this session (tests/e2e/clinic_partner.py).
        "CLINIC_PARTNER_TLS_DIR": str(Path(tempfile.mkdtemp(prefix="linli-e2e-alliance-")) / "partner-tls"),
        "GATEWAY_PORT": str(gateway_port),
        "CLINIC_MEETING_BASE_URL": f"http://127.0.0.1:{gateway_port}/consultation/",
        "MONGO_DB_PREFIX": "e2e_",
        # Tests call much faster than people do (rate limits themselves: tests/unit/test_gateway_protection.py).
        "GATEWAY_RATE_LIMIT_PER_SECOND": "1000",
        "GATEWAY_RATE_LIMIT_BURST": "1000",
        # Nor does load shedding by event-loop lag belong in functional tests: on a busy 2-core machine the
        # loop runs late because of other processes (shedding itself: tests/unit, tests/chaos).
        "GATEWAY_SHED_LOOP_LAG_SECONDS": "0",
        # Dispatch asks the volunteer worker for candidates over Nameko RPC, a new client per call; on a
        # busy machine that can pass the 2 s default, and dispatch then offers staff alone (by design:
        # tests/contract/test_volunteer_dispatch_rpc.py). Within the gateway's 5 s deadline, more room.
        "LINLI_RPC_TIMEOUT_SECONDS": "3.5",
        "LINLI_DEV_ISSUER_DIR": issuer_dir,
        # A web app on another origin (tests/e2e/test_gateway_http.py checks its CORS preflight).
        "GATEWAY_CORS_ORIGINS": CORS_ORIGIN,
        # Browsers in the tests (tests/browser) send call media through coturn on loopback alone: with "all"
        # Chromium would offer this machine's other addresses as candidates.
        "LINLI_ICE_TRANSPORT_POLICY": "relay",
        # A terminal gone from its call's room ends the call after this (tests/e2e/test_calls_flow.py).
        "GATEWAY_TERMINAL_GONE_SECONDS": "1",
        "OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "200",
        "LINLI_TRACE_SAMPLE_RATIO": "1",  # every trace: the tests follow one request's trace end to end
    })
    log_dir = Path(tempfile.mkdtemp(prefix="linli-e2e-logs-"))
    stack = platform(env, log_dir, mongo_storage=":memory:", isolated_broker=True)
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def gateway_url(stack):
    return stack.gateway_url


def token_for(issuer_dir, role: str, subject: str | None = None, communities=(COMMUNITY,)) -> str:
    return dev_issuer.issue_token(subject or f"e2e-{role}", [role], list(communities), directory=issuer_dir)


@pytest.fixture(scope="session")
def operator_headers(issuer_dir):
    return {"Authorization": f"Bearer {token_for(issuer_dir, 'operator', 'op-wang')}"}


class SseReader:
    """Reads a Server-Sent Events stream in a thread; events() yields parsed frames as they come."""

    def __init__(self, url: str, headers: dict):
        self.frames: queue.Queue = queue.Queue()
        self.opened = threading.Event()
        self.status: int | None = None
        self._client = httpx.Client(timeout=httpx.Timeout(5, read=None))
        self._thread = threading.Thread(target=self._read, args=(url, headers), daemon=True)
        self._thread.start()
        assert self.opened.wait(10), "SSE stream did not open"

    def _read(self, url, headers):
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                self.status = response.status_code
                self.opened.set()
                frame: dict = {}
                for line in response.iter_lines():
                    if line == "":
                        if "data" in frame:
                            self.frames.put({**frame, "data": json.loads(frame["data"])})
                        frame = {}
                    elif not line.startswith(":"):
                        field, _, value = line.partition(":")
                        frame[field] = value.removeprefix(" ")
        except httpx.HTTPError:
            pass
        finally:
            self.opened.set()

    def next_matching(self, predicate, timeout: float = 10.0) -> dict:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                frame = self.frames.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if predicate(frame):
                return frame
        raise AssertionError("expected event did not arrive on the SSE stream")

    def close(self):
        self._client.close()
