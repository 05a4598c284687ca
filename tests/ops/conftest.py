"""Ops tier: a real Prometheus (Debian's `prometheus`, installed by `linli test ops` when missing) scrapes
every process of the locally running platform (linli_dev.devstack, as the e2e tier starts it) every second,
with its own temporary storage and the real alert rules (deploy/k8s/monitoring/prometheus-rules.yaml),
their `for:` durations and evaluation interval shortened for the test. The tests talk to Prometheus only
through its HTTP API, as Grafana and Alertmanager would.

The platform runs with a 3-second emergency SLA, one retry for failing event handlers, a low rate limit
and a gateway that sheds at two requests in flight, so every metric family moves within seconds."""
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest
import yaml

from gateway import dev_issuer
from linli_dev.devstack import ROOT, free_port, platform, wait_until
from linli.kit.config import SETTINGS, setting

COMMUNITY = "donghuayuan"
SLA_SECONDS = 3
RULES = ROOT / "deploy" / "k8s" / "monitoring" / "prometheus-rules.yaml"


def prometheus_binary() -> str:
    found = shutil.which("prometheus")
    if not found:
        pytest.fail("the ops tier needs Debian's Prometheus: `apt-get install -y prometheus` "
                    "(`linli test ops` installs it when run as root)")
    return found


def rules_for_the_test() -> dict:
    """The real rules, evaluated every second, alerts pending for 2 s instead of their production `for:`."""
    (rule,) = [doc for doc in yaml.safe_load_all(RULES.read_text()) if doc and doc["kind"] == "PrometheusRule"]
    groups = rule["spec"]["groups"]
    for group in groups:
        group["interval"] = "1s"
        for each in group["rules"]:
            if "alert" in each and each.get("for"):
                each["for"] = "2s"
    return {"groups": groups}


@pytest.fixture(scope="session")
def issuer_dir():
    return tempfile.mkdtemp(prefix="linli-ops-issuer-")


@pytest.fixture(scope="session")
def stack(issuer_dir):
    env = {name: setting(name) for name in SETTINGS}
    env.update({
        "ELDERCARE_API_ADDR": f"127.0.0.1:{free_port()}",
        "VOLUNTEER_API_ADDR": f"127.0.0.1:{free_port()}",
        "CLINIC_API_ADDR": f"127.0.0.1:{free_port()}",
        "EMPLOYMENT_API_ADDR": f"127.0.0.1:{free_port()}",
        "CLINIC_PARTNER_ADDR": f"127.0.0.1:{free_port()}",
        "CLINIC_PARTNER_TLS_DIR": str(Path(tempfile.mkdtemp(prefix="linli-ops-alliance-")) / "partner-tls"),
        "GATEWAY_PORT": str(free_port()),
        "MONGO_DB_PREFIX": "ops_",
        "LINLI_DEV_ISSUER_DIR": issuer_dir,
        "OTEL_EXPORTER_OTLP_ENDPOINT": "",
        "ELDERCARE_EMERGENCY_ACK_SLA_SECONDS": str(SLA_SECONDS),
        "ELDERCARE_ESCALATION_CHECK_SECONDS": "1",
        "LINLI_EVENT_RETRY_SECONDS": "0.2",
        # Each client: 10 at once, then 1 a second (the flood test passes it; the others stay under it).
        "GATEWAY_RATE_LIMIT_PER_SECOND": "1",
        "GATEWAY_RATE_LIMIT_BURST": "10",
        # Two routine requests at a time and no queue: concurrent requests are shed, sequential ones never.
        "GATEWAY_MAX_IN_FLIGHT": "2",
        "GATEWAY_QUEUE_SECONDS": "0",
        "GATEWAY_SHED_LOOP_LAG_SECONDS": "0",
        "LINLI_RPC_TIMEOUT_SECONDS": "3.5",
    })
    stack = platform(env, Path(tempfile.mkdtemp(prefix="linli-ops-logs-")), mongo_storage=":memory:",
                     isolated_broker=True)
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def prometheus(stack, tmp_path_factory):
    """Prometheus scraping every process each second; its HTTP API's base URL."""
    binary = prometheus_binary()
    home = tmp_path_factory.mktemp("prometheus")
    (home / "rules.yaml").write_text(yaml.safe_dump(rules_for_the_test(), sort_keys=False))
    targets = [{"targets": [url.split("//")[1].split("/")[0]], "labels": {"process": process}}
               for process, url in stack.metrics_urls().items()]
    (home / "prometheus.yaml").write_text(yaml.safe_dump({
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s", "scrape_timeout": "1s"},
        "rule_files": [str(home / "rules.yaml")],
        "scrape_configs": [{"job_name": "linli", "static_configs": targets}],
    }))
    port = free_port()
    log = open(home / "prometheus.log", "wb")
    server = subprocess.Popen([binary, f"--config.file={home / 'prometheus.yaml'}",
                               f"--storage.tsdb.path={home / 'data'}", f"--web.listen-address=127.0.0.1:{port}",
                               "--storage.tsdb.retention.time=1h"],
                              stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(f"{url}/-/ready", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(ready, 60, "Prometheus")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def token(issuer_dir, role: str, subject: str, community: str = COMMUNITY) -> dict:
    return {"Authorization": f"Bearer {dev_issuer.issue_token(subject, [role], [community], directory=issuer_dir)}"}


class PromQL:
    """Prometheus's HTTP API."""

    def __init__(self, url: str):
        self.url = url

    def query(self, expr: str) -> list[dict]:
        reply = httpx.get(f"{self.url}/api/v1/query", params={"query": expr}, timeout=5).json()
        assert reply["status"] == "success", f"{expr}: {reply}"
        return reply["data"]["result"]

    def value(self, expr: str) -> float | None:
        result = self.query(expr)
        return float(result[0]["value"][1]) if result else None

    def eventually(self, expr: str, check, timeout: float = 30.0, what: str = ""):
        """Poll until check(value) holds (value None while the query returns nothing)."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.value(expr)
            if value is not None and check(value):
                return value
            time.sleep(0.5)
        raise AssertionError(f"{what or expr}: still {value} after {timeout:.0f}s")

    def alerts(self) -> list[dict]:
        return httpx.get(f"{self.url}/api/v1/alerts", timeout=5).json()["data"]["alerts"]


@pytest.fixture(scope="session")
def promql(prometheus):
    return PromQL(prometheus)
