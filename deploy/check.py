"""Checks of the deployment files that need no cluster: render every overlay, validate the objects
against the Kubernetes API schemas, and the consistency rules no schema knows (selectors match pods,
probes name real ports, every workload has a PodDisruptionBudget and a NetworkPolicy, ...).

tests/deploy runs these one by one; by hand:

    .venv-deploy/bin/python deploy/check.py              render, validate and check every overlay
    .venv-deploy/bin/python deploy/check.py schemas F... validate rendered files (what the tests call)
    .venv-deploy/bin/python deploy/check.py site DIR     a site's own overlay: all of the above, and no
                                                         placeholder left, every image by digest

Each check returns a list of problems, empty when all is well.
"""
import functools
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = sorted(path.name for path in (K8S / "overlays").iterdir() if (path / "kustomization.yaml").exists())
TOOLS = ROOT / ".venv-deploy"
TOOLS_LOCK = ROOT / "requirements-deploy.lock"

# The oldest Kubernetes release Linli supports (native gRPC probes, matchLabelKeys in topology spread
# and autoscaling/v2 are all GA or on by default there) and the newest the schemas bundled with the
# pinned kubernetes-validate describe. Both must be bundled: a missing schema is a failure.
KUBERNETES_VERSIONS = ("1.29", "1.37")

WORKLOADS = ("Deployment", "StatefulSet")
POD_OWNERS = WORKLOADS + ("Job", "CronJob")
# Linli's own image, whatever registry or tag an overlay gives it.
LINLI_IMAGE = "linli"
# Set on Linli containers besides linli.kit.config.SETTINGS: standard OpenTelemetry and helper values.
EXTRA_ENV = {"LINLI_PROCESS_NAME", "OTEL_RESOURCE_ATTRIBUTES", "POD_NAME"}


# ---------------------------------------------------------------- tools


def tool(name: str) -> Path:
    return TOOLS / "bin" / name


def tools_stamp() -> str:
    return hashlib.sha256(TOOLS_LOCK.read_bytes()).hexdigest()


def ensure_tools(python: str = sys.executable) -> None:
    """Create .venv-deploy from requirements-deploy.lock, unless it is already installed from this lock."""
    stamp = TOOLS / ".installed"
    if stamp.exists() and stamp.read_text() == tools_stamp():
        return
    if not (TOOLS / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(TOOLS)], check=True)
    install = [str(tool("python")), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    result = subprocess.run([*install, "-r", str(TOOLS_LOCK)], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"installing the deploy tools from {TOOLS_LOCK.name} failed:\n{result.stderr[-3000:]}")
    stamp.write_text(tools_stamp())


# ---------------------------------------------------------------- rendering


def render(overlay: str | Path) -> str:
    """The overlay (a name under overlays/, or a directory) as `kubectl kustomize` renders it, with the
    kubectl pinned in requirements-deploy.lock."""
    kubectl = tool("kubectl")
    if not kubectl.exists():
        raise RuntimeError(f"{kubectl} is missing: install the deploy tools (requirements-deploy.lock)")
    directory = overlay if isinstance(overlay, Path) else K8S / "overlays" / overlay
    result = subprocess.run([str(kubectl), "kustomize", str(directory)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"kubectl kustomize {overlay} failed:\n{result.stderr}")
    return result.stdout


def documents(text: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def name_of(obj: dict) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


def of_kind(objects: list[dict], *kinds: str) -> list[dict]:
    return [obj for obj in objects if obj["kind"] in kinds]


def pod_template(obj: dict) -> dict:
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]
    return obj["spec"]["template"]


def pod_spec(obj: dict) -> dict:
    return pod_template(obj)["spec"]


def pod_labels(obj: dict) -> dict:
    return pod_template(obj)["metadata"].get("labels", {})


def containers(obj: dict, init: bool = True) -> list[dict]:
    spec = pod_spec(obj)
    return list(spec.get("containers", [])) + (list(spec.get("initContainers", [])) if init else [])


def image_name(image: str) -> str:
    """registry.example.org/linli/linli:0.1.0 -> linli; mongo:8.0 -> mongo."""
    without_digest = image.split("@", 1)[0]
    last = without_digest.rsplit("/", 1)[-1]
    return last.split(":", 1)[0]


def is_linli(container: dict) -> bool:
    return image_name(container["image"]) == LINLI_IMAGE


def matches(selector: dict | None, labels: dict) -> bool:
    """A label selector (matchLabels and matchExpressions) against a set of labels."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


# ---------------------------------------------------------------- schemas (run in .venv-deploy)


def validate_schemas(paths: list[str], versions=KUBERNETES_VERSIONS) -> list[str]:
    """Every object against the strict schema of every version; an unknown kind or version fails."""
    import kubernetes_validate.utils as kv

    # The library reads the (large) definitions file on every call: read each file once.
    kv.schema_contents = functools.lru_cache(maxsize=None)(kv.schema_contents)
    bundled = {kv.major_minor(version) for version in kv.all_versions()}
    problems = [f"no schemas bundled for Kubernetes {v} (bundled: {sorted(bundled)})"
                for v in versions if v not in bundled]
    for path in paths:
        for obj in documents(Path(path).read_text()):
            for version in versions:
                if version not in bundled:
                    continue
                where = f"{Path(path).name}: {name_of(obj)} on {version}"
                try:
                    kv.validate(obj, version, strict=True)
                except kv.SchemaNotFoundError as error:
                    problems.append(f"{where}: {error.message}")
                except kv.ValidationError as error:
                    problems.append(f"{where}: {'.'.join(map(str, error.path))}: {error.message}")
    return problems


# ---------------------------------------------------------------- consistency


def service_selectors_match_pods(objects: list[dict]) -> list[str]:
    problems = []
    owners = of_kind(objects, *WORKLOADS)
    for service in of_kind(objects, "Service"):
        selector = service["spec"].get("selector")
        if not selector:
            problems.append(f"{name_of(service)} has no selector")
            continue
        selected = [obj for obj in owners if matches({"matchLabels": selector}, pod_labels(obj))]
        if not selected:
            problems.append(f"{name_of(service)} selects no pods ({selector})")
        for obj in selected:
            ports = {p.get("name") for c in containers(obj, init=False) for p in c.get("ports", [])}
            numbers = {p["containerPort"] for c in containers(obj, init=False) for p in c.get("ports", [])}
            for port in service["spec"]["ports"]:
                target = port.get("targetPort", port["port"])
                if target not in ports and target not in numbers:
                    problems.append(f"{name_of(service)} port {port['port']} targets {target!r}, "
                                    f"which {name_of(obj)} does not expose")
    return problems


def probe_ports_exist(objects: list[dict]) -> list[str]:
    problems = []
    for obj in of_kind(objects, *WORKLOADS):
        for container in containers(obj, init=False):
            names = {p.get("name") for p in container.get("ports", [])}
            numbers = {p["containerPort"] for p in container.get("ports", [])}
            for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
                probe = container.get(kind)
                if probe is None:
                    problems.append(f"{name_of(obj)} container {container['name']} has no {kind}")
                    continue
                for handler in ("httpGet", "tcpSocket", "grpc"):
                    if handler in probe and probe[handler]["port"] not in names | numbers:
                        problems.append(f"{name_of(obj)} {kind} uses port {probe[handler]['port']!r}, "
                                        f"which container {container['name']} does not expose")
    return problems


def linli_apis_use_grpc_probes(objects: list[dict]) -> list[str]:
    problems = []
    for obj in of_kind(objects, "Deployment"):
        for container in containers(obj, init=False):
            if is_linli(container) and any(p.get("name") == "grpc" for p in container.get("ports", [])):
                for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
                    if "grpc" not in container.get(kind, {}):
                        problems.append(f"{name_of(obj)} {kind} is not a native gRPC probe")
    return problems


def every_workload_has_a_disruption_budget(objects: list[dict]) -> list[str]:
    budgets = of_kind(objects, "PodDisruptionBudget")
    return [f"{name_of(obj)} has no PodDisruptionBudget" for obj in of_kind(objects, *WORKLOADS)
            if not any(matches(budget["spec"]["selector"], pod_labels(obj)) for budget in budgets)]


def deny_all_is_the_default(objects: list[dict]) -> list[str]:
    for policy in of_kind(objects, "NetworkPolicy"):
        spec = policy["spec"]
        if (spec.get("podSelector") == {} and set(spec.get("policyTypes", [])) == {"Ingress", "Egress"}
                and not spec.get("ingress") and not spec.get("egress")):
            return []
    return ["no NetworkPolicy denies all ingress and egress by default"]


def every_pod_has_its_own_network_policy(objects: list[dict]) -> list[str]:
    own = [p for p in of_kind(objects, "NetworkPolicy") if p["spec"].get("podSelector")]
    return [f"{name_of(obj)} is selected by no NetworkPolicy of its own" for obj in of_kind(objects, *POD_OWNERS)
            if not any(matches(p["spec"]["podSelector"], pod_labels(obj)) for p in own)]


def _peers_allow(peers: list[dict] | None, labels: dict) -> bool:
    """Whether a rule's from/to list admits a pod of this namespace with these labels."""
    if not peers:
        return True  # no from/to: every source or destination
    for peer in peers:
        if "podSelector" in peer and "namespaceSelector" not in peer and matches(peer["podSelector"], labels):
            return True
    return False


def _ports_allow(ports: list[dict] | None, number: int) -> bool:
    return not ports or any(p.get("port") == number for p in ports)


def _allows(policies: list[dict], direction: str, pod: dict, peer: dict, port: int) -> bool:
    """Whether the policies selecting `pod` let it talk (direction) with `peer` on `port`."""
    selecting = [p for p in policies if matches(p["spec"]["podSelector"], pod_labels(pod))
                 and direction.capitalize() in p["spec"].get("policyTypes", [])]
    key = direction.lower()
    peer_key = "from" if key == "ingress" else "to"
    return any(_peers_allow(rule.get(peer_key), pod_labels(peer)) and _ports_allow(rule.get("ports"), port)
               for policy in selecting for rule in policy["spec"].get(key) or [])


def flows_in_namespace(objects: list[dict]) -> set[tuple[str, str, int]]:
    """(from, to, port) for every pod pair and container port the NetworkPolicies allow both ways."""
    policies = of_kind(objects, "NetworkPolicy")
    pods = of_kind(objects, *POD_OWNERS)
    flows = set()
    for source in pods:
        for target in pods:
            for container in containers(target, init=False):
                for port in container.get("ports", []):
                    number = port["containerPort"]
                    if (_allows(policies, "egress", source, target, number)
                            and _allows(policies, "ingress", target, source, number)):
                        flows.add((source["metadata"]["name"], target["metadata"]["name"], number))
    return flows


def flows_across_namespaces(objects: list[dict]) -> set[tuple[str, str, str]]:
    """Rules that reach beyond the namespace: (pod, direction, peer and port as text)."""
    flows = set()
    pods = of_kind(objects, *POD_OWNERS)
    for policy in of_kind(objects, "NetworkPolicy"):
        selected = [pod["metadata"]["name"] for pod in pods if matches(policy["spec"]["podSelector"], pod_labels(pod))]
        if not policy["spec"]["podSelector"]:
            selected = ["*"]
        for direction, peer_key in (("ingress", "from"), ("egress", "to")):
            for rule in policy["spec"].get(direction) or []:
                ports = ",".join(f"{p.get('protocol', 'TCP')}/{p['port']}" for p in rule.get("ports") or []) or "any"
                peers = rule.get(peer_key)
                outside = []
                if not peers:
                    outside.append("anywhere")
                for peer in peers or []:
                    if "namespaceSelector" in peer or "ipBlock" in peer:
                        outside.append(yaml.safe_dump(peer, default_flow_style=True, width=1000).strip())
                for name in selected:
                    for where in outside:
                        flows.add((name, direction, f"{where} {ports}"))
    return flows


def containers_are_hardened(objects: list[dict]) -> list[str]:
    problems = []
    for obj in of_kind(objects, *POD_OWNERS):
        spec = pod_spec(obj)
        pod_security = spec.get("securityContext", {})
        if pod_security.get("runAsNonRoot") is not True:
            problems.append(f"{name_of(obj)}: pod does not require a non-root user")
        if pod_security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            problems.append(f"{name_of(obj)}: pod seccomp profile is not RuntimeDefault")
        for container in containers(obj):
            security = container.get("securityContext", {})
            where = f"{name_of(obj)} container {container['name']}"
            if security.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where} may escalate privileges")
            if security.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where} has a writable root filesystem")
            if security.get("capabilities", {}).get("drop") != ["ALL"]:
                problems.append(f"{where} keeps some capabilities")
            if security.get("privileged"):
                problems.append(f"{where} is privileged")
            if is_linli(container) and pod_security.get("runAsUser", 0) < 10000:
                problems.append(f"{where} runs Linli with a uid below 10000")
            resources = container.get("resources", {})
            for bound in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if resource not in resources.get(bound, {}):
                        problems.append(f"{where} has no {resource} {bound[:-1]}")
    return problems


def service_accounts_mount_no_token(objects: list[dict]) -> list[str]:
    problems = []
    accounts = {sa["metadata"]["name"]: sa for sa in of_kind(objects, "ServiceAccount")}
    for obj in of_kind(objects, *POD_OWNERS):
        spec = pod_spec(obj)
        account = spec.get("serviceAccountName")
        if account not in accounts:
            problems.append(f"{name_of(obj)} runs as service account {account!r}, which is not deployed")
        elif accounts[account].get("automountServiceAccountToken") is not False:
            problems.append(f"ServiceAccount/{account} automounts its token")
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(f"{name_of(obj)} mounts a service account token")
    return problems


def workloads_spread_across_nodes_and_zones(objects: list[dict]) -> list[str]:
    problems = []
    for obj in of_kind(objects, *WORKLOADS):
        constraints = pod_spec(obj).get("topologySpreadConstraints", [])
        keys = {c["topologyKey"] for c in constraints if matches(c["labelSelector"], pod_labels(obj))}
        wanted = {"kubernetes.io/hostname"} | ({"topology.kubernetes.io/zone"} if obj["spec"].get("replicas", 2) > 1 else set())
        if not wanted <= keys:
            problems.append(f"{name_of(obj)} is not spread over {sorted(wanted - keys)}")
    return problems


def linli_deployments_autoscale(objects: list[dict]) -> list[str]:
    problems = []
    targets = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in of_kind(objects, "HorizontalPodAutoscaler")}
    for obj in of_kind(objects, "Deployment"):
        if any(is_linli(c) for c in containers(obj)):
            if obj["metadata"]["name"] not in targets:
                problems.append(f"{name_of(obj)} has no HorizontalPodAutoscaler")
            if "replicas" in obj["spec"]:
                problems.append(f"{name_of(obj)} sets replicas, which its autoscaler owns")
    return problems


def config(objects: list[dict], name: str = "linli-config") -> dict:
    for obj in of_kind(objects, "ConfigMap"):
        if obj["metadata"]["name"].rsplit("-", 1)[0] == name:
            return obj.get("data", {})
    return {}


def drains_fit_the_grace_period(objects: list[dict]) -> list[str]:
    """A Linli Deployment behind a Service sleeps in preStop (endpoints leave first), then drains for
    its setting; both must end well before the grace period does, or Kubernetes kills the drain."""
    problems = []
    settings = config(objects)
    services = of_kind(objects, "Service")
    for obj in of_kind(objects, "Deployment"):
        served = any(matches({"matchLabels": s["spec"].get("selector", {})}, pod_labels(obj)) for s in services)
        for container in containers(obj, init=False):
            if not (is_linli(container) and served):
                continue
            where = f"{name_of(obj)} container {container['name']}"
            command = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
            if command[:1] != ["sleep"]:
                problems.append(f"{where} has no preStop pause")
                continue
            drain_setting = "GATEWAY_DRAIN_SECONDS" if container["command"][-1] == "gateway" else "LINLI_GRPC_DRAIN_SECONDS"
            needed = float(command[1]) + float(settings[drain_setting]) + 5
            grace = pod_spec(obj).get("terminationGracePeriodSeconds", 30)
            if needed > grace:
                problems.append(f"{where}: preStop {command[1]}s + {drain_setting} {settings[drain_setting]}s + 5s "
                                f"margin exceeds the {grace}s grace period")
    return problems


def clients_give_up_before_a_drain_ends(objects: list[dict]) -> list[str]:
    """The apis' clients retry a call cancelled by a stopping api (linli.kit.grpc_client). That is safe only
    because a call the api had started is cancelled when its drain runs out, by which time the gateway has
    given up on it: the gateway's deadline must be shorter than the apis' drain."""
    sys.path.insert(0, str(ROOT))
    from linli.kit.config import SETTINGS

    settings = {name: default for name, (default, _) in SETTINGS.items()} | config(objects)
    timeout = float(settings["GATEWAY_GRPC_TIMEOUT_SECONDS"])
    drain = float(settings["LINLI_GRPC_DRAIN_SECONDS"])
    if timeout < drain:
        return []
    return [f"GATEWAY_GRPC_TIMEOUT_SECONDS {timeout:g}s is not shorter than LINLI_GRPC_DRAIN_SECONDS {drain:g}s"]


def apis_are_balanced_per_call(objects: list[dict]) -> list[str]:
    """gRPC keeps a connection, so a ClusterIP Service balances connections, not calls: each gateway pod
    would send everything to one api pod. The apis' Services are headless and the gateway dials them as
    dns:/// names, which linli.kit.grpc_client spreads round-robin over every ready pod."""
    problems = []
    headless = {obj["metadata"]["name"] for obj in of_kind(objects, "Service") if obj["spec"].get("clusterIP") == "None"}
    for obj in of_kind(objects, "Deployment"):
        for container in containers(obj, init=False):
            for env in container.get("env", []):
                if not (env["name"].endswith("_API_ADDR") and container["command"][-1] == "gateway"):
                    continue
                target = env.get("value", "")
                service = target.removeprefix("dns:///").split(":")[0]
                if not target.startswith("dns:///") or service not in headless:
                    problems.append(f"{name_of(obj)} dials {env['name']}={target}, not dns:/// of a headless Service")
    return problems


def linli_settings_are_known(objects: list[dict]) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from linli.kit.config import SETTINGS

    problems = [f"ConfigMap linli-config sets {key}, which linli.kit.config does not know"
                for key in config(objects) if key not in SETTINGS]
    for obj in of_kind(objects, *WORKLOADS):
        for container in containers(obj):
            if is_linli(container):
                for env in container.get("env", []):
                    if env["name"] not in SETTINGS and env["name"] not in EXTRA_ENV:
                        problems.append(f"{name_of(obj)} sets {env['name']}, which linli.kit.config does not know")
    return problems


def database_users_are_made(objects: list[dict]) -> list[str]:
    """A process connects to MongoDB as the user its MONGO_URI's Secret names; only the replica-set set-up
    makes users (each of LINLI_SERVICES, with the password of its own Secret), so a service missing there
    cannot authenticate and restarts forever."""
    made = {}
    for job in of_kind(objects, "CronJob"):
        for container in containers(job):
            env = {e["name"]: e for e in container.get("env", [])}
            if "LINLI_SERVICES" not in env:
                continue
            for service in env["LINLI_SERVICES"].get("value", "").split():
                ref = env.get(f"{service.upper()}_MONGO_PASSWORD", {}).get("valueFrom", {}).get("secretKeyRef", {})
                made[ref.get("name")] = service
    problems = []
    for obj in of_kind(objects, *WORKLOADS):
        for container in containers(obj):
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if is_linli(container) and env["name"] == "MONGO_URI" and ref and ref["name"] not in made:
                    problems.append(f"{name_of(obj)} connects with Secret {ref['name']}, whose user the "
                                    "mongodb-replica-set set-up does not make (LINLI_SERVICES)")
    return problems


def secrets_are_referenced_never_committed(objects: list[dict]) -> list[str]:
    return [f"{name_of(obj)} is committed; reference it by name and let the operator create it"
            for obj in of_kind(objects, "Secret")]


def secret_names(objects: list[dict]) -> set[str]:
    names = set()
    for obj in of_kind(objects, *POD_OWNERS):
        for container in containers(obj):
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    names.add(ref["name"])
        for volume in pod_spec(obj).get("volumes", []):
            if "secret" in volume:
                names.add(volume["secret"]["secretName"])
    for ingress in of_kind(objects, "Ingress"):
        names.update(tls["secretName"] for tls in ingress["spec"].get("tls", []))
    return names


def images_are_pinned(objects: list[dict]) -> list[str]:
    problems = []
    for obj in of_kind(objects, *POD_OWNERS):
        for container in containers(obj):
            image = container["image"]
            tag = image.split("@", 1)[0].rsplit("/", 1)[-1].partition(":")[2]
            if "@sha256:" not in image and (not tag or tag in ("latest", "dev", "main", "stable")):
                problems.append(f"{name_of(obj)} container {container['name']} runs {image}, not a pinned release")
    return problems


def everything_is_namespaced(objects: list[dict]) -> list[str]:
    return [f"{name_of(obj)} has no namespace" for obj in objects
            if obj["kind"] != "Namespace" and not obj["metadata"].get("namespace")]


def external_services_keep_client_addresses(objects: list[dict]) -> list[str]:
    """A LoadBalancer or NodePort Service with the default `externalTrafficPolicy: Cluster` hides the
    client's address behind a node's, so a NetworkPolicy's ipBlock (the partner hospitals' ranges)
    matches nothing and refuses everyone. `Local` keeps the client's address."""
    return [f"{name_of(obj)} is {obj['spec']['type']} without externalTrafficPolicy: Local"
            for obj in of_kind(objects, "Service")
            if obj["spec"].get("type") in ("LoadBalancer", "NodePort")
            and obj["spec"].get("externalTrafficPolicy") != "Local"]


# Fields Kubernetes refuses to change on an existing object: `kubectl apply` of a render in which they
# differ from the live object's fails with "field is immutable".
IMMUTABLE = {
    "Job": (("spec", "template"), ("spec", "selector")),
    "Deployment": (("spec", "selector"),),
    "StatefulSet": (("spec", "selector"), ("spec", "serviceName"), ("spec", "volumeClaimTemplates")),
    "Service": (("spec", "clusterIP"),),
}


def _field(obj: dict, path: tuple[str, ...]):
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def applies_over(live: list[dict], new: list[dict]) -> list[str]:
    """Whether `new` can be applied over a cluster holding `live`: no object keeps its name while an
    immutable field changes."""
    before = {(obj["kind"], obj["metadata"].get("namespace"), obj["metadata"]["name"]): obj for obj in live}
    problems = []
    for obj in new:
        old = before.get((obj["kind"], obj["metadata"].get("namespace"), obj["metadata"]["name"]))
        for path in IMMUTABLE.get(obj["kind"], ()) if old else ():
            if _field(old, path) != _field(obj, path):
                problems.append(f"{name_of(obj)}: {'.'.join(path)} changed, which Kubernetes refuses to update")
    return problems


# Values an overlay must replace before it deploys anywhere: the production overlay marks each site
# setting "SITE:" and gives it a value under an example domain (RFC 2606), which `check.py site` refuses.
PLACEHOLDER = re.compile(r"(^|[./@-])example(\.(org|com|net)|$|[/:])")


def site_settings_are_set(objects: list[dict]) -> list[str]:
    """Every place a site setting lives, still holding the production overlay's placeholder."""
    problems = []
    for obj in of_kind(objects, "ConfigMap"):
        for key, value in (obj.get("data") or {}).items():
            if PLACEHOLDER.search(str(value)):
                problems.append(f"ConfigMap {obj['metadata']['name'].rsplit('-', 1)[0]}: {key}={value}")
    for ingress in of_kind(objects, "Ingress"):
        hosts = [rule.get("host", "") for rule in ingress["spec"].get("rules", [])]
        hosts += [host for tls in ingress["spec"].get("tls", []) for host in tls.get("hosts", [])]
        problems += [f"{name_of(ingress)}: host {host}" for host in sorted(set(hosts)) if PLACEHOLDER.search(host)]
    images = {c["image"] for obj in of_kind(objects, *POD_OWNERS) for c in containers(obj)}
    problems += [f"image {image}" for image in sorted(images) if PLACEHOLDER.search(image.split("@")[0])]
    return problems


def images_are_pinned_by_digest(objects: list[dict]) -> list[str]:
    """What a site deploys runs exactly the bytes it tested: every image by digest."""
    images = {c["image"] for obj in of_kind(objects, *POD_OWNERS) for c in containers(obj)}
    return [f"{image} has no @sha256: digest" for image in sorted(images) if "@sha256:" not in image]


CONSISTENCY = [
    service_selectors_match_pods, probe_ports_exist, linli_apis_use_grpc_probes,
    every_workload_has_a_disruption_budget, deny_all_is_the_default, every_pod_has_its_own_network_policy,
    containers_are_hardened, service_accounts_mount_no_token, workloads_spread_across_nodes_and_zones,
    linli_deployments_autoscale, drains_fit_the_grace_period, clients_give_up_before_a_drain_ends,
    apis_are_balanced_per_call, linli_settings_are_known, database_users_are_made,
    secrets_are_referenced_never_committed, everything_is_namespaced, external_services_keep_client_addresses,
]
# A site's own overlay (docs/operations.md) must also have replaced every placeholder and pinned digests.
SITE = [images_are_pinned, site_settings_are_set, images_are_pinned_by_digest]


def check_site(directory: Path) -> list[str]:
    """A site's overlay: rendered, valid, consistent, and with nothing left at a placeholder."""
    objects = documents(render(directory))
    out = ROOT / "var" / "deploy" / "site.yaml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump_all(objects, sort_keys=False))
    problems = validate_schemas([str(out)])
    for check in CONSISTENCY + SITE:
        problems += [f"{check.__name__}: {p}" for p in check(objects)]
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["site"] and len(argv) == 2:
        problems = check_site(Path(argv[1]).resolve())
        print("\n".join(problems) or f"{argv[1]}: rendered, valid, consistent, every site setting set")
        return 1 if problems else 0
    if argv[:1] == ["schemas"]:
        problems = validate_schemas(argv[1:])
        print("\n".join(problems) or f"{len(argv) - 1} file(s) valid on Kubernetes {', '.join(KUBERNETES_VERSIONS)}")
        return 1 if problems else 0
    problems = []
    for overlay in OVERLAYS:
        objects = documents(render(overlay))
        out = ROOT / "var" / "deploy" / f"{overlay}.yaml"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(yaml.safe_dump_all(objects, sort_keys=False))
        problems += [f"{overlay}: {p}" for p in validate_schemas([str(out)])]
        for check in CONSISTENCY + ([images_are_pinned] if overlay == "production" else []):
            problems += [f"{overlay}: {check.__name__}: {p}" for p in check(objects)]
    print("\n".join(problems) or f"overlays {', '.join(OVERLAYS)}: rendered, valid and consistent")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
