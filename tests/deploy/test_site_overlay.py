"""What an operator deploys: the site overlay docs/operations.md shows, on top of production. It sets every
Linli container's image, leaves no site setting at a placeholder, applies over the previous deploy with
changed settings, backs up and restores with every writer stopped, and keeps partners' addresses."""
import os
import re
import subprocess

import pytest
import yaml

from deploy import check

OPERATIONS = check.ROOT / "docs" / "operations.md"


def documented_site_overlay() -> dict:
    text = OPERATIONS.read_text()
    block = text[text.index("`site/kustomization.yaml`"):]
    return yaml.safe_load(block[block.index("```yaml") + 7:block.index("```", block.index("```yaml") + 7)])


def write_site(directory, kustomization: dict):
    """The overlay in `directory`, its base pointed at this checkout's production overlay."""
    directory.mkdir(parents=True, exist_ok=True)
    base = os.path.relpath(check.K8S / "overlays" / "production", directory)  # kustomize wants it relative
    kustomization = {**kustomization, "resources": [base]}
    (directory / "kustomization.yaml").write_text(yaml.safe_dump(kustomization, sort_keys=False))
    return directory


@pytest.fixture(scope="module")
def site(tools, tmp_path_factory):
    directory = write_site(tmp_path_factory.mktemp("site") / "site", documented_site_overlay())
    return directory, check.documents(check.render(directory))


def repository(image: str) -> str:
    """registry.example.org/linli/linli:0.1.0@sha256:... -> registry.example.org/linli/linli"""
    name = image.split("@")[0]
    return name.rsplit(":", 1)[0] if ":" in name.rsplit("/", 1)[-1] else name


def linli_images(objects):
    return {c["image"] for obj in check.of_kind(objects, *check.POD_OWNERS) for c in check.containers(obj)
            if check.is_linli(c)}


def test_the_documented_site_overlay_sets_every_linli_containers_image(site):
    _, objects = site
    assert linli_images(objects) == {"registry.your.org/linli/linli:0.1.0"}


def test_every_image_the_site_overlay_names_is_one_production_renders(rendered):
    _, production = rendered["production"]
    rendered_names = {repository(c["image"]) for obj in check.of_kind(production, *check.POD_OWNERS)
                      for c in check.containers(obj)}
    named = {entry["name"] for entry in documented_site_overlay()["images"]}
    assert named <= rendered_names, f"these match nothing in production: {named - rendered_names}"
    upgrade = re.search(r"kustomize edit set image (\S+?)=", OPERATIONS.read_text()).group(1)
    assert upgrade in rendered_names


def test_production_refuses_to_deploy_while_a_site_setting_is_a_placeholder(rendered):
    _, production = rendered["production"]
    problems = check.site_settings_are_set(production)
    settings = {p.split(": ", 1)[1].split("=")[0] for p in problems if p.startswith("ConfigMap")}
    assert {"VOLUNTEER_CERTIFICATE_VERIFY_URL", "CLINIC_MEETING_BASE_URL", "CLINIC_PARTNERS", "LINLI_JWKS_URL",
            "LINLI_JWT_ISSUER", "TRACES_BACKEND_ENDPOINT", "NOTIFY_VAPID_SUBJECT", "NOTIFY_SMS_SIGN_NAME",
            "NOTIFY_SMS_TEMPLATE_CODE"} <= settings
    assert any(p.startswith("Ingress/gateway: host") for p in problems)
    assert any(p.startswith("image registry.example.org/linli/linli") for p in problems)
    table = OPERATIONS.read_text().split("### Site settings", 1)[1].split("\n\n", 3)[2]
    undocumented = sorted(s for s in settings if f"`{s}`" not in table)
    assert not undocumented, f"docs/operations.md's site settings table misses {undocumented}"


def test_the_documented_site_overlay_leaves_no_placeholder(site):
    _, objects = site
    assert check.site_settings_are_set(objects) == []


def test_the_site_check_refuses_tag_only_images_and_passes_once_every_image_has_a_digest(site, tools, tmp_path):
    directory, objects = site
    run = [str(tools("python")), str(check.ROOT / "deploy" / "check.py"), "site"]
    refused = subprocess.run([*run, str(directory)], capture_output=True, text=True)
    assert refused.returncode == 1
    assert all(line.startswith("images_are_pinned_by_digest:") for line in refused.stdout.splitlines()), refused.stdout

    overlay = documented_site_overlay()
    (linli,) = overlay["images"]
    third_party = {repository(c["image"]) for obj in check.of_kind(objects, *check.POD_OWNERS)
                   for c in check.containers(obj) if not check.is_linli(c)}
    # Digests made up for the test: rendering and checking never pull an image.
    overlay["images"] = [{**linli, "digest": "sha256:" + "ab" * 32}] + [
        {"name": name, "digest": "sha256:" + f"{i:02d}" * 32} for i, name in enumerate(sorted(third_party))]
    pinned = subprocess.run([*run, str(write_site(tmp_path / "site", overlay))], capture_output=True, text=True)
    assert pinned.returncode == 0, pinned.stdout + pinned.stderr


def test_a_changed_setting_applies_over_the_previous_deploy(rendered, tools, tmp_path):
    _, production = rendered["production"]
    changed = write_site(tmp_path / "changed", {
        "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
        "configMapGenerator": [{"name": "linli-config", "behavior": "merge", "literals": ["LINLI_LOG_LEVEL=DEBUG"]}]})
    after = check.documents(check.render(changed))
    assert check.config(after)["LINLI_LOG_LEVEL"] == "DEBUG"
    assert check.applies_over(production, after) == []


def test_a_set_up_job_naming_a_hashed_config_map_would_refuse_the_next_apply(rendered, tools, tmp_path):
    """The check behind the test above sees the defect it guards against: the set-up as a plain Job."""
    def as_job(objects):
        return [{**obj, "kind": "Job", "spec": obj["spec"]["jobTemplate"]["spec"]}
                if obj["kind"] == "CronJob" and obj["metadata"]["name"] == "mongodb-replica-set" else obj
                for obj in objects]
    _, production = rendered["production"]
    changed = write_site(tmp_path / "changed", {
        "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
        "configMapGenerator": [{"name": "linli-config", "behavior": "merge", "literals": ["MONGO_DB_PREFIX=site_"]}]})
    after = check.documents(check.render(changed))
    assert check.applies_over(as_job(production), as_job(after)) == [
        "Job/mongodb-replica-set: spec.template changed, which Kubernetes refuses to update"]


def test_no_pod_template_is_left_in_an_immutable_job(overlay):
    name, objects = overlay
    assert check.of_kind(objects, "Job") == []


def test_mongodb_is_backed_up_daily_with_the_oplog_to_a_volume_and_old_archives_expire(overlay):
    name, objects = overlay
    (backup,) = [obj for obj in check.of_kind(objects, "CronJob") if obj["metadata"]["name"] == "mongodb-backup"]
    (container,) = check.containers(backup)
    script = " ".join(container["command"])
    assert "mongodump" in script and "--oplog" in script and "--archive=" in script
    assert re.search(r"find /backups .*-mtime \"\+\$BACKUP_RETENTION_DAYS\" .*-delete", script)
    assert int({e["name"]: e.get("value") for e in container["env"]}["BACKUP_RETENTION_DAYS"]) > 0
    volumes = {v["name"]: v for v in check.pod_spec(backup)["volumes"]}
    claim = volumes["backups"]["persistentVolumeClaim"]["claimName"]
    assert claim in {obj["metadata"]["name"] for obj in check.of_kind(objects, "PersistentVolumeClaim")}
    assert backup["spec"]["concurrencyPolicy"] == "Forbid"


def documented_commands(pattern: str) -> list[str]:
    text = OPERATIONS.read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if re.search(pattern, line)]


def test_the_restore_runbook_stops_every_writer_and_starts_each_again(rendered):
    _, production = rendered["production"]
    writers = {obj["metadata"]["name"] for obj in check.of_kind(production, "Deployment")
               if check.pod_labels(obj).get("linli.io/mongodb-client") == "true"}
    assert {"gateway", "eldercare-api", "clinic-worker"} <= writers
    stop, start = (documented_commands(r"kubectl .*scale deployment .*--replicas=" + n) for n in ("0", "2"))
    assert len(stop) == 1 and len(start) == 1
    for line in stop + start:
        named = set(line.split("scale deployment", 1)[1].split("--replicas")[0].split())
        assert named == writers, f"{line}\n differs from the writers {sorted(writers)}"
    cronjobs = {obj["metadata"]["name"] for obj in check.of_kind(production, "CronJob")}
    for suspend in documented_commands(r"patch cronjob .*suspend"):
        assert set(suspend.split("patch cronjob", 1)[1].split("-p")[0].split()) == cronjobs


def test_the_rollout_commands_cover_every_workload(rendered):
    _, production = rendered["production"]
    commands = documented_commands(r"kubectl .*rollout status")
    selector = "-l app.kubernetes.io/part-of=linli"
    assert commands and all(selector in command for command in commands), commands
    for kind in ("deployment", "statefulset"):
        assert any(f"rollout status {kind} {selector}" in command for command in commands), kind
    for obj in check.of_kind(production, *check.WORKLOADS):
        assert obj["metadata"]["labels"].get("app.kubernetes.io/part-of") == "linli", check.name_of(obj)


def test_the_partner_load_balancer_keeps_the_partners_addresses(rendered):
    _, production = rendered["production"]
    assert check.external_services_keep_client_addresses(production) == []
    assert check.of_kind(production, "Service")
    without = [{**obj, "spec": {k: v for k, v in obj["spec"].items() if k != "externalTrafficPolicy"}}
               if obj["kind"] == "Service" else obj for obj in production]
    assert sorted(check.external_services_keep_client_addresses(without)) == [
        "Service/clinic-partner is LoadBalancer without externalTrafficPolicy: Local",
        "Service/coturn is LoadBalancer without externalTrafficPolicy: Local",
        "Service/rabbitmq-mqtt is LoadBalancer without externalTrafficPolicy: Local"]
