"""The SLO and alert rules (deploy/k8s/monitoring/prometheus-rules.yaml), proven with Prometheus's own
`promtool test rules` (tests/deploy/rules/linli-rules.test.yaml): each alert fires when it should and stays
quiet when it should not. promtool comes with Debian's `prometheus` package (linli_dev.testrun installs it)."""
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from deploy import check

MONITORING = check.K8S / "monitoring"
RULES_TEST = Path(__file__).parent / "rules" / "linli-rules.test.yaml"


def promtool() -> str:
    found = shutil.which("promtool")
    if not found:
        pytest.fail("promtool is missing: `apt-get install -y prometheus` (linli test deploy installs it as root)")
    return found


def rule_groups() -> dict:
    (rule,) = [doc for doc in check.documents((MONITORING / "prometheus-rules.yaml").read_text())
               if doc["kind"] == "PrometheusRule"]
    return {"groups": rule["spec"]["groups"]}


def test_the_rules_are_valid_prometheus_rules(tmp_path):
    rules = tmp_path / "linli-rules.yaml"
    rules.write_text(yaml.safe_dump(rule_groups(), sort_keys=False))
    result = subprocess.run([promtool(), "check", "rules", str(rules)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_fires_when_it_should_and_stays_quiet_when_it_should_not(tmp_path):
    (tmp_path / "linli-rules.yaml").write_text(yaml.safe_dump(rule_groups(), sort_keys=False))
    shutil.copy(RULES_TEST, tmp_path / RULES_TEST.name)
    result = subprocess.run([promtool(), "test", "rules", RULES_TEST.name], cwd=tmp_path, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    tested = {case["alertname"] for test in yaml.safe_load(RULES_TEST.read_text())["tests"]
              for case in test.get("alert_rule_test", [])}
    alerts = {rule["alert"] for group in rule_groups()["groups"] for rule in group["rules"] if "alert" in rule}
    untested = sorted(alerts - tested)
    # The slow burns share their expressions' shape with the fast ones, tested above; each is still named.
    assert set(untested) <= {"LinliPressAcceptanceSlowBurn", "LinliOutboxAgeSlowBurn"}, untested


def test_every_alert_names_a_runbook_section_that_exists():
    operations = (check.ROOT / "docs" / "operations.md").read_text()
    anchors = {"#" + line.lstrip("#").strip().lower().replace(" ", "-").replace(",", "").replace("'", "")
               .replace(".", "").replace(":", "") for line in operations.splitlines() if line.startswith("#")}
    for group in rule_groups()["groups"]:
        for rule in group["rules"]:
            if "alert" in rule:
                runbook = rule["annotations"]["runbook"]
                assert runbook.startswith("docs/operations.md#") and runbook.split("md", 1)[1] in anchors, runbook


def test_the_operator_objects_select_what_the_manifests_expose(rendered):
    _, objects = rendered["production"]
    monitors = check.documents((MONITORING / "monitors.yaml").read_text())
    for monitor in monitors:
        endpoints = monitor["spec"].get("podMetricsEndpoints") or monitor["spec"].get("endpoints")
        if monitor["kind"] == "PodMonitor":
            pods = [obj for obj in check.of_kind(objects, *check.WORKLOADS)
                    if check.matches(monitor["spec"]["selector"], check.pod_labels(obj))]
            ports = {p.get("name") for obj in pods for c in check.containers(obj, init=False) for p in c.get("ports", [])}
        else:
            services = [obj for obj in check.of_kind(objects, "Service")
                        if check.matches(monitor["spec"]["selector"], obj["metadata"].get("labels", {}))]
            ports = {p.get("name") for s in services for p in s["spec"]["ports"]}
            pods = services
        assert pods, f"{check.name_of(monitor)} selects nothing"
        assert {e["port"] for e in endpoints} <= ports, check.name_of(monitor)
    linli = [obj for obj in check.of_kind(objects, "Deployment") if any(check.is_linli(c) for c in check.containers(obj))]
    for obj in linli:
        annotations = check.pod_template(obj)["metadata"].get("annotations", {})
        assert annotations.get("prometheus.io/scrape") == "true", check.name_of(obj)
        assert check.pod_labels(obj).get("linli.io/metrics") == "true", check.name_of(obj)
    assert {"GATEWAY_METRICS_PORT", "ELDERCARE_API_METRICS_PORT", "LINLI_WORKERS_METRICS_PORT"} <= {
        key for key, value in check.config(objects).items() if value == "9464"}
