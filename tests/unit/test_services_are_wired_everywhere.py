"""Every service is wired everywhere a service must be, and nothing is wired for a service that is not one.

The services are named once, in linli_dev/registry.py; the development stack derives its apis, workers,
queues and metrics ports from that list. The places that cannot derive it (settings, the compose file, the
Kubernetes base, the gateway's stubs, the contract tier's stacks, the architecture notes) are read here and
compared with it, so a service wired in one place and not another fails this test, naming the place.
docs/adding-a-service.md walks through each place."""
import re
from pathlib import Path

import pytest
import yaml

from linli.kit.config import SETTINGS
from linli_dev import devstack, registry

ROOT = Path(__file__).resolve().parents[2]
# The contract tier's stack for a service: <name>_stack.py, but eldercare's is the tier's own conftest.
CONTRACT_STACKS = {"eldercare": "conftest.py"}


def load_yaml(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def deployment(path: Path) -> dict | None:
    if not path.exists():
        return None
    return next((doc for doc in load_yaml(path) if doc.get("kind") == "Deployment"), None)


def container_command(doc: dict | None) -> list[str]:
    return doc["spec"]["template"]["spec"]["containers"][0].get("command", []) if doc else []


def component(doc: dict | None) -> str | None:
    return doc["spec"]["template"]["metadata"]["labels"].get("app.kubernetes.io/component") if doc else None


def gateway_source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "gateway").glob("*.py")))


def wiring_gaps(name: str) -> list[str]:
    """Every place the service `name` should be wired and is not."""
    service = registry.Service(name)
    gaps = []

    def need(ok: bool, place: str):
        if not ok:
            gaps.append(place)

    folder = ROOT / "services" / name
    need((folder / "__init__.py").exists(), f"services/{name}/ (a package)")
    need((folder / "api" / "__main__.py").exists() or (folder / "api.py").exists(),
         f"{service.api_module} (runnable with python -m)")
    need((folder / "worker.py").exists(), f"{service.worker_module}")
    need(any((ROOT / "proto" / "linli" / name / "v1").glob("*.proto")), f"proto/linli/{name}/v1/*.proto")
    need(any((ROOT / "linli" / name / "v1").glob("*_pb2_grpc.py")), f"linli/{name}/v1/ (make proto)")
    need(service.address_setting in SETTINGS, f"linli/kit/config.py SETTINGS[{service.address_setting}]")
    need(service.metrics_port_setting in SETTINGS, f"linli/kit/config.py SETTINGS[{service.metrics_port_setting}]")
    need(devstack.METRICS_PORTS.get(service.api_process) == service.metrics_port_setting
         and devstack.APIS.get(name) == service.address_setting, "linli_dev/registry.py SERVICES (the devstack)")
    need(re.search(rf"""setting\(["']{service.address_setting}["']\)""", gateway_source()) is not None,
         f"gateway/ (its stubs dial setting({service.address_setting!r}))")
    stack = CONTRACT_STACKS.get(name, f"{name}_stack.py")
    need((ROOT / "tests" / "contract" / stack).exists(), f"tests/contract/{stack}")

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]
    api, worker, gateway = (compose.get(f"{name}-api", {}), compose.get(f"{name}-worker", {}),
                            compose.get("gateway", {}))
    need(service.api_module in " ".join(api.get("command", [])), f"compose.yaml {name}-api")
    need(" ".join(worker.get("command", [])) == f"python -m linli.kit.workers {service.worker_module}",
         f"compose.yaml {name}-worker")
    need(gateway.get("environment", {}).get(service.address_setting) == f"{name}-api:50051"
         and f"{name}-api" in gateway.get("depends_on", {}), f"compose.yaml gateway (environment, depends_on)")

    base = ROOT / "deploy" / "k8s" / "base"
    need(name in yaml.safe_load((base / "kustomization.yaml").read_text())["resources"],
         "deploy/k8s/base/kustomization.yaml resources")
    listed = (yaml.safe_load((base / name / "kustomization.yaml").read_text()).get("resources", [])
              if (base / name / "kustomization.yaml").exists() else [])
    need({"api.yaml", "worker.yaml"} <= set(listed), f"deploy/k8s/base/{name}/kustomization.yaml")
    api_deployment, worker_deployment = deployment(base / name / "api.yaml"), deployment(base / name / "worker.yaml")
    need(container_command(api_deployment) == ["python", "-m", service.api_module], f"deploy/k8s/base/{name}/api.yaml")
    need(container_command(worker_deployment) == ["python", "-m", "linli.kit.workers", service.worker_module],
         f"deploy/k8s/base/{name}/worker.yaml")
    # base/metrics exposes, and the PodMonitor scrapes, every Deployment by its component label.
    need(component(api_deployment) == "api" and component(worker_deployment) == "worker",
         f"deploy/k8s/base/{name}/ component labels api and worker (Prometheus scrapes by them)")
    gateway_env = deployment(base / "gateway" / "gateway.yaml")
    env = {e["name"]: e.get("value") for e in gateway_env["spec"]["template"]["spec"]["containers"][0]["env"]}
    need(env.get(service.address_setting) == f"dns:///{name}-api:50051", "deploy/k8s/base/gateway/gateway.yaml env")

    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    need(f"| `{service.api_process}` | `{service.api_module}` |" in architecture,
         "docs/architecture.md processes table")
    return gaps


def unregistered(names) -> list[str]:
    """Places that wire a service not in `names`."""
    found = []
    for folder in sorted((ROOT / "services").iterdir()):
        if (folder / "__init__.py").exists() and folder.name not in names:
            found.append(f"services/{folder.name}/")
    for setting in SETTINGS:
        match = re.fullmatch(r"([A-Z]+)_API_(ADDR|METRICS_PORT)", setting)
        if match and match[1].lower() not in names:
            found.append(f"linli/kit/config.py {setting}")
    for process in yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]:
        match = re.fullmatch(r"(.+)-(api|worker)", process)
        if match and match[1] not in names:
            found.append(f"compose.yaml {process}")
    for folder in sorted((ROOT / "deploy" / "k8s" / "base").iterdir()):
        if (folder / "api.yaml").exists() and folder.name not in names:
            found.append(f"deploy/k8s/base/{folder.name}/")
    return found


@pytest.mark.parametrize("name", registry.NAMES)
def test_a_registered_service_is_wired_everywhere(name):
    assert wiring_gaps(name) == []


def test_nothing_is_wired_for_a_service_that_is_not_registered():
    assert unregistered(registry.NAMES) == []


def test_a_service_registered_and_wired_nowhere_is_missing_from_every_place():
    gaps = wiring_gaps("pharmacy")
    for place in ("services/pharmacy/", "services.pharmacy.api", "proto/linli/pharmacy/v1",
                  "PHARMACY_API_ADDR", "PHARMACY_API_METRICS_PORT", "linli_dev/registry.py", "gateway/",
                  "tests/contract/pharmacy_stack.py", "compose.yaml pharmacy-api", "compose.yaml pharmacy-worker",
                  "compose.yaml gateway", "deploy/k8s/base/kustomization.yaml", "deploy/k8s/base/pharmacy/api.yaml",
                  "deploy/k8s/base/gateway/gateway.yaml", "docs/architecture.md"):
        assert any(place in gap for gap in gaps), place


def test_a_service_left_out_of_the_registry_is_found_where_it_is_still_wired():
    found = unregistered([name for name in registry.NAMES if name != "notify"])
    assert {"services/notify/", "linli/kit/config.py NOTIFY_API_ADDR", "compose.yaml notify-api",
            "compose.yaml notify-worker", "deploy/k8s/base/notify/"} <= set(found)


def test_the_services_addresses_and_metrics_ports_do_not_collide():
    addresses = [SETTINGS[service.address_setting][0] for service in registry.SERVICES]
    ports = [SETTINGS[setting][0] for setting in devstack.METRICS_PORTS.values()]
    assert len(set(addresses)) == len(addresses) and len(set(ports)) == len(ports)


@pytest.mark.parametrize("name", registry.NAMES)
def test_the_devstack_waits_for_every_queue_the_worker_declares(name):
    queues = devstack.WORKER_QUEUES[name]
    assert queues, f"services.{name}.worker consumes nothing"
    assert all(q.startswith("evt-") and f"--{name}." in q or q == f"rpc-{name}" for q in queues), queues
