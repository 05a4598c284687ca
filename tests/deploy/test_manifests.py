"""The Kubernetes manifests: every overlay renders, every object is valid on the oldest and newest
Kubernetes Linli supports, and the rules no schema knows hold (deploy/check.py)."""
import copy
import subprocess

import yaml

from deploy import check


def problems_in(result: list[str]) -> str:
    return "\n".join(result)


def test_there_are_dev_and_production_overlays():
    assert {"dev", "production"} <= set(check.OVERLAYS)


def test_every_overlay_renders(rendered):
    for overlay, (_, objects) in rendered.items():
        kinds = {obj["kind"] for obj in objects}
        assert {"Deployment", "StatefulSet", "Service", "Ingress", "NetworkPolicy", "PodDisruptionBudget",
                "HorizontalPodAutoscaler", "ServiceAccount", "ConfigMap", "Namespace"} <= kinds, overlay


def test_every_object_is_valid_on_the_oldest_and_newest_supported_kubernetes(rendered, tools):
    paths = [str(path) for path, _ in rendered.values()]
    result = subprocess.run([str(tools("python")), str(check.ROOT / "deploy" / "check.py"), "schemas", *paths],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", ".join(check.KUBERNETES_VERSIONS) in result.stdout


def test_an_object_without_a_schema_fails_validation(tools, tmp_path):
    custom = tmp_path / "custom.yaml"
    custom.write_text(yaml.safe_dump({"apiVersion": "rabbitmq.com/v1beta1", "kind": "RabbitmqCluster",
                                      "metadata": {"name": "rabbitmq"}}))
    result = subprocess.run([str(tools("python")), str(check.ROOT / "deploy" / "check.py"), "schemas", str(custom)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Couldn't find schema for kind RabbitmqCluster" in result.stdout


def test_service_selectors_match_pod_labels_and_target_ports_exist(overlay):
    name, objects = overlay
    assert not check.service_selectors_match_pods(objects), problems_in(check.service_selectors_match_pods(objects))


def test_every_long_running_container_has_startup_readiness_and_liveness_probes_on_real_ports(overlay):
    name, objects = overlay
    assert not check.probe_ports_exist(objects), problems_in(check.probe_ports_exist(objects))


def test_service_apis_are_probed_with_native_grpc_health_checks(overlay):
    name, objects = overlay
    assert not check.linli_apis_use_grpc_probes(objects), problems_in(check.linli_apis_use_grpc_probes(objects))


def test_every_workload_has_a_pod_disruption_budget(overlay):
    name, objects = overlay
    problems = check.every_workload_has_a_disruption_budget(objects)
    assert not problems, problems_in(problems)


def test_network_traffic_is_denied_unless_a_policy_allows_it(overlay):
    name, objects = overlay
    assert not check.deny_all_is_the_default(objects)


def test_every_pod_is_covered_by_a_network_policy_of_its_own(overlay):
    name, objects = overlay
    problems = check.every_pod_has_its_own_network_policy(objects)
    assert not problems, problems_in(problems)


def test_containers_are_hardened_and_bounded(overlay):
    name, objects = overlay
    problems = check.containers_are_hardened(objects)
    assert not problems, problems_in(problems)


def test_no_pod_mounts_a_service_account_token(overlay):
    name, objects = overlay
    problems = check.service_accounts_mount_no_token(objects)
    assert not problems, problems_in(problems)


def test_workloads_spread_across_nodes_and_zones(overlay):
    name, objects = overlay
    problems = check.workloads_spread_across_nodes_and_zones(objects)
    assert not problems, problems_in(problems)


def test_linli_deployments_scale_by_autoscaler(overlay):
    name, objects = overlay
    problems = check.linli_deployments_autoscale(objects)
    assert not problems, problems_in(problems)


def test_the_pre_stop_pause_and_drain_fit_the_termination_grace_period(overlay):
    name, objects = overlay
    problems = check.drains_fit_the_grace_period(objects)
    assert not problems, problems_in(problems)


def test_the_gateway_gives_up_on_a_call_before_an_api_drain_would_cancel_it(overlay):
    name, objects = overlay
    problems = check.clients_give_up_before_a_drain_ends(objects)
    assert not problems, problems_in(problems)


def test_a_gateway_deadline_as_long_as_the_drain_is_reported(overlay):
    name, objects = overlay
    longer = [{**obj, "data": {**obj.get("data", {}), "GATEWAY_GRPC_TIMEOUT_SECONDS": "10"}}
              if obj["kind"] == "ConfigMap" else obj for obj in objects]
    assert check.clients_give_up_before_a_drain_ends(longer)


def test_the_gateway_spreads_its_calls_over_every_api_pod(overlay):
    name, objects = overlay
    problems = check.apis_are_balanced_per_call(objects)
    assert not problems, problems_in(problems)
    dialled = {env["name"] for obj in check.of_kind(objects, "Deployment") for c in check.containers(obj)
               for env in c.get("env", []) if env["name"].endswith("_API_ADDR") and c["command"][-1] == "gateway"}
    assert dialled == {"ELDERCARE_API_ADDR", "CLINIC_API_ADDR", "EMPLOYMENT_API_ADDR", "VOLUNTEER_API_ADDR",
                       "NOTIFY_API_ADDR"}


def test_an_api_behind_a_cluster_ip_is_reported(overlay):
    name, objects = overlay
    with_cluster_ip = [{**obj, "spec": {k: v for k, v in obj["spec"].items() if k != "clusterIP"}}
                       if obj["kind"] == "Service" and obj["metadata"]["name"] == "eldercare-api" else obj
                       for obj in objects]
    assert check.apis_are_balanced_per_call(with_cluster_ip) == [
        "Deployment/gateway dials ELDERCARE_API_ADDR=dns:///eldercare-api:50051, not dns:/// of a headless Service"]


def test_configuration_uses_only_settings_linli_knows(overlay):
    name, objects = overlay
    problems = check.linli_settings_are_known(objects)
    assert not problems, problems_in(problems)


def test_every_service_that_connects_to_mongodb_has_its_user_made_by_the_set_up(overlay):
    name, objects = overlay
    problems = check.database_users_are_made(objects)
    assert not problems, problems_in(problems)


def test_a_service_left_out_of_the_set_up_is_reported(overlay):
    name, objects = overlay

    def without_notify(obj):
        if (obj["kind"], obj["metadata"]["name"]) != ("CronJob", "mongodb-replica-set"):
            return obj
        obj = copy.deepcopy(obj)
        (container,) = check.containers(obj)
        for env in container["env"]:
            if env["name"] == "LINLI_SERVICES":
                env["value"] = env["value"].replace("notify ", "")
        return obj
    assert sorted(check.database_users_are_made([without_notify(obj) for obj in objects])) == [
        f"Deployment/notify-{part} connects with Secret notify-mongodb, whose user the mongodb-replica-set "
        "set-up does not make (LINLI_SERVICES)" for part in ("api", "worker")]


def test_secrets_are_referenced_by_name_and_never_committed(overlay):
    name, objects = overlay
    assert not check.secrets_are_referenced_never_committed(objects)
    assert check.secret_names(objects)


def test_every_referenced_secret_is_documented_for_operators(overlay):
    name, objects = overlay
    operations = (check.ROOT / "docs" / "operations.md").read_text()
    missing = sorted(secret for secret in check.secret_names(objects) if f"`{secret}`" not in operations)
    assert not missing, f"docs/operations.md does not say how to create: {missing}"


def test_every_object_lands_in_the_overlays_namespace(overlay):
    name, objects = overlay
    assert not check.everything_is_namespaced(objects)


def test_image_tags_are_pinned_in_production(rendered):
    _, objects = rendered["production"]
    problems = check.images_are_pinned(objects)
    assert not problems, problems_in(problems)


def test_production_trusts_an_identity_provider_not_the_development_issuer(rendered):
    _, objects = rendered["production"]
    assert check.config(objects)["LINLI_JWKS_URL"].startswith("https://")


def test_production_serves_the_gateway_over_tls(rendered):
    _, objects = rendered["production"]
    (ingress,) = check.of_kind(objects, "Ingress")
    hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
    assert hosts and hosts <= {host for tls in ingress["spec"]["tls"] for host in tls["hosts"]}


def test_stateful_members_never_share_a_node_in_production(rendered):
    _, objects = rendered["production"]
    for obj in check.of_kind(objects, "StatefulSet"):
        constraints = check.pod_spec(obj)["topologySpreadConstraints"]
        assert {"kubernetes.io/hostname": "DoNotSchedule"}.items() <= {
            c["topologyKey"]: c["whenUnsatisfiable"] for c in constraints}.items(), check.name_of(obj)


def test_rabbitmq_and_mongodb_run_three_members(overlay):
    name, objects = overlay
    replicas = {obj["metadata"]["name"]: obj["spec"]["replicas"] for obj in check.of_kind(objects, "StatefulSet")}
    assert replicas == {"rabbitmq": 3, "mongodb": 3}
