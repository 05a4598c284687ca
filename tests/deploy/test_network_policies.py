"""The NetworkPolicies allow exactly the flows of the architecture (docs/deploy.md, "Network flows")."""
from deploy import check

# Inside the namespace: (from, to, port). The same in every overlay, plus the overlay's extras.
FLOWS = {
    ("gateway", "eldercare-api", 50051),  # REST -> gRPC
    ("gateway", "rabbitmq", 5672),  # the board's live event feed
    ("gateway", "mongodb", 27017),  # idempotency keys, shared by the replicas
    ("gateway", "otel-collector", 4318),
    ("eldercare-api", "mongodb", 27017),
    ("eldercare-api", "rabbitmq", 5672),  # the outbox relay publishes events
    ("eldercare-api", "otel-collector", 4318),
    ("eldercare-worker", "mongodb", 27017),
    ("eldercare-worker", "rabbitmq", 5672),  # events, timers' RPC, internal RPC
    ("eldercare-worker", "otel-collector", 4318),
    ("gateway", "volunteer-api", 50051),
    ("volunteer-api", "mongodb", 27017),
    ("volunteer-api", "rabbitmq", 5672),  # its outbox relay (events its worker writes too)
    ("volunteer-api", "otel-collector", 4318),
    ("volunteer-worker", "mongodb", 27017),
    ("volunteer-worker", "rabbitmq", 5672),  # eldercare's events; the dispatch RPC eldercare-api calls
    ("volunteer-worker", "otel-collector", 4318),
    ("gateway", "clinic-api", 50051),
    ("clinic-api", "mongodb", 27017),
    ("clinic-api", "rabbitmq", 5672),  # its outbox relay
    ("clinic-api", "otel-collector", 4318),
    ("clinic-worker", "mongodb", 27017),
    ("clinic-worker", "rabbitmq", 5672),  # eldercare's care_request.raised, for the nurse's triage list
    ("clinic-worker", "otel-collector", 4318),
    ("gateway", "employment-api", 50051),
    ("employment-api", "mongodb", 27017),
    ("employment-api", "rabbitmq", 5672),  # its outbox relay (the worker's events too)
    ("employment-api", "otel-collector", 4318),
    ("employment-worker", "mongodb", 27017),
    ("employment-worker", "rabbitmq", 5672),  # its own events, to keep rankings current
    ("employment-worker", "otel-collector", 4318),
    ("gateway", "notify-api", 50051),
    ("notify-api", "mongodb", 27017),
    ("notify-api", "rabbitmq", 5672),  # its outbox relay: the worker's emergency.unreached
    ("notify-api", "otel-collector", 4318),
    ("notify-worker", "mongodb", 27017),
    ("notify-worker", "rabbitmq", 5672),  # eldercare's and volunteer's events
    ("notify-worker", "otel-collector", 4318),
    ("rabbitmq", "eldercare-devices", 8090),  # the HTTP auth backend asks who a device is
    ("eldercare-devices", "mongodb", 27017),
    ("eldercare-devices", "rabbitmq", 5672),  # presses, heartbeats, the downlink
    ("eldercare-devices", "eldercare-api", 50051),  # PressDevice
    ("eldercare-devices", "otel-collector", 4318),
    ("mongodb", "mongodb", 27017),  # replication
    ("mongodb-replica-set", "mongodb", 27017),  # the CronJob that forms the set
    ("mongodb-backup", "mongodb", 27017),  # the daily mongodump
    ("rabbitmq", "rabbitmq", 4369),  # clustering: epmd
    ("rabbitmq", "rabbitmq", 25672),  # clustering: distribution
}
EXTRA_FLOWS = {
    "dev": {("otel-collector", "jaeger", 4317)},
    "production": set(),
}

# Beyond the namespace: the cluster DNS, the Ingress controller, Prometheus, the identity provider's
# JWKS, the tracing backend, and the push services and SMS provider (outside the cluster, so by port only).
DNS = ("{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, "
       "podSelector: {matchLabels: {k8s-app: kube-dns}}} UDP/53,TCP/53")
OUTSIDE = {
    ("*", "egress", DNS),
    ("gateway", "ingress", "{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}} TCP/8080"),
    ("gateway", "egress", "anywhere TCP/443"),
    # Web Push to the browser vendors' push services (each subscription names its own) and the SMS provider.
    ("notify-worker", "egress", "anywhere TCP/443"),
    ("rabbitmq", "ingress", "{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}} TCP/15692"),
    ("otel-collector", "egress", "anywhere TCP/4317"),
    ("clinic-api", "ingress", "{ipBlock: {cidr: 0.0.0.0/0}} TCP/50062"),  # partner hospitals (mutual TLS)
    ("otel-collector", "egress", "{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}} TCP/9090"),
    ("mongodb", "ingress", "{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}} TCP/9216"),
    ("rabbitmq", "ingress", "{ipBlock: {cidr: 0.0.0.0/0}} TCP/8883"),  # call devices, MQTT over TLS
    # TURN for calls: clients anywhere (3478 and the relay ports); relayed media to public addresses only.
    ("coturn", "ingress", "{ipBlock: {cidr: 0.0.0.0/0}} UDP/3478,TCP/3478,UDP/49160"),
    ("coturn", "egress", "{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, "
                         "169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16]}} UDP/1024"),
} | {  # Prometheus scraping every Linli process's metrics port
    (name, "ingress", "{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}} TCP/9464")
    for name in ("gateway", "eldercare-api", "eldercare-worker", "eldercare-devices", "volunteer-api", "volunteer-worker", "clinic-api",
                 "clinic-worker", "employment-api", "employment-worker", "notify-api", "notify-worker")
}


def test_network_policies_allow_exactly_the_flows_of_the_architecture_inside_the_namespace(overlay):
    name, objects = overlay
    allowed = check.flows_in_namespace(objects)
    expected = FLOWS | EXTRA_FLOWS[name]
    assert allowed == expected, f"allowed but not expected: {sorted(allowed - expected)}; " \
                                f"expected but not allowed: {sorted(expected - allowed)}"


def test_network_policies_open_only_the_expected_paths_out_of_the_namespace(overlay):
    name, objects = overlay
    assert check.flows_across_namespaces(objects) == OUTSIDE


def test_a_workload_without_a_policy_of_its_own_is_reported(rendered):
    _, objects = rendered["dev"]
    stray = {"kind": "Deployment", "metadata": {"name": "stray"},
             "spec": {"template": {"metadata": {"labels": {"app.kubernetes.io/name": "stray"}}, "spec": {}}}}
    assert check.every_pod_has_its_own_network_policy(objects + [stray]) == [
        "Deployment/stray is selected by no NetworkPolicy of its own"]
