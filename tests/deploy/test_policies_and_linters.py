"""Policy and lint checks over everything a deploy uses: checkov on the rendered manifests and the
Dockerfile, hadolint on the Dockerfile, yamllint on every YAML file, docker compose on compose.yaml."""
import json
import subprocess

import yaml

from deploy import check

SKIPS = yaml.safe_load((check.ROOT / "deploy" / "checkov-skips.yaml").read_text())


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=check.ROOT, capture_output=True, text=True, **kwargs)


def test_every_skipped_checkov_check_has_a_reason_and_is_documented():
    deploy_doc = (check.ROOT / "docs" / "deploy.md").read_text()
    for check_id, reason in SKIPS.items():
        assert len(reason.split()) >= 10, f"{check_id} needs a real reason"
        assert check_id in deploy_doc, f"docs/deploy.md does not list the skipped {check_id}"


def checkov(tools, files, *selection: str) -> list[dict]:
    args = [tools("checkov"), "--framework", "kubernetes", "dockerfile", "--output", "json", *selection]
    for path in files:
        args += ["--file", path]
    # --skip-download keeps checkov offline: what it would fetch are links to its guidelines.
    result = run([*args, "--skip-download"], env={"PATH": "/usr/bin:/bin", "HOME": str(check.ROOT / "var" / "deploy")})
    reports = json.loads(result.stdout)
    return reports if isinstance(reports, list) else [reports]


def failures(reports: list[dict]) -> list[str]:
    return [f"{c['check_id']} {c['resource']} ({r['check_type']}, {c['file_path']})"
            for r in reports for c in r["results"]["failed_checks"]]


def test_checkov_passes_on_every_overlay_and_the_dockerfile_with_only_the_listed_skips(rendered, tools):
    files = [path for path, _ in rendered.values()] + [check.ROOT / "Dockerfile"]
    reports = checkov(tools, files, "--skip-check", ",".join(SKIPS))
    assert not failures(reports), "\n".join(failures(reports))
    assert {r["check_type"] for r in reports} == {"kubernetes", "dockerfile"}
    assert all(r["summary"]["passed"] > 0 for r in reports)


def test_every_skipped_checkov_check_is_still_needed(rendered, tools):
    files = [path for path, _ in rendered.values()] + [check.ROOT / "Dockerfile"]
    reports = checkov(tools, files, "--check", ",".join(SKIPS))
    assert {failure.split()[0] for failure in failures(reports)} == set(SKIPS)


def test_the_dockerfile_passes_hadolint(tools):
    result = run([tools("hadolint"), "--failure-threshold", "info", "Dockerfile"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_multi_stage_and_runs_as_a_non_root_user():
    lines = [line.split() for line in (check.ROOT / "Dockerfile").read_text().splitlines() if line and line[0] != "#"]
    stages = [line for line in lines if line[0] == "FROM"]
    assert len(stages) == 2 and stages[0][-2:] == ["AS", "build"]
    assert all(":" in line[1] and "slim" in line[1] for line in stages)
    final = lines[lines.index(stages[-1]):]
    assert ["USER", "10001:10001"] in final
    assert any(line[0] == "HEALTHCHECK" for line in final)
    # Only the virtualenv crosses over from the build stage: no compilers, caches or pip in the image.
    assert [line for line in final if "--from=build" in line] == [["COPY", "--from=build", "/opt/linli", "/opt/linli"]]


def test_every_yaml_file_passes_yamllint(tools):
    result = run([tools("yamllint"), "--strict", "-c", "deploy/yamllint.yaml", "compose.yaml", "deploy"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_file_is_valid_and_runs_the_whole_platform(tools):
    result = run([tools("docker-compose"), "--file", "compose.yaml", "config", "--format", "json"])
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    assert {"mongo", "rabbitmq", "otel-collector", "jaeger", "eldercare-api", "eldercare-worker",
            "volunteer-api", "volunteer-worker", "clinic-api", "clinic-worker", "employment-api",
            "employment-worker", "notify-api", "notify-worker", "gateway"} == set(services)
    assert "--replSet" in services["mongo"]["command"]
    assert services["rabbitmq"]["image"].endswith("-management")
    for name in ("eldercare-api", "eldercare-worker", "volunteer-api", "volunteer-worker", "clinic-api",
                 "clinic-worker", "employment-api", "employment-worker", "notify-api", "notify-worker", "gateway"):
        assert services[name]["read_only"] is True and services[name]["cap_drop"] == ["ALL"], name


def test_compose_and_kubernetes_run_the_same_releases_of_mongodb_and_rabbitmq(rendered, tools):
    result = run([tools("docker-compose"), "--file", "compose.yaml", "config", "--format", "json"])
    compose_images = {service["image"] for service in json.loads(result.stdout)["services"].values()}
    _, objects = rendered["production"]
    for name in ("mongo", "rabbitmq", "otel/opentelemetry-collector"):
        k8s = {c["image"] for obj in check.of_kind(objects, *check.POD_OWNERS) for c in check.containers(obj)
               if c["image"].split(":")[0] == name}
        assert k8s and k8s <= compose_images, name
