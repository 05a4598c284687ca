"""What an operator's Prometheus sees of the running platform: every process scraped, every metric family
of docs/operations.md present and moving as the platform works, the emergency alert firing under the real
rules, and every dashboard query naming metrics the processes really serve."""
import json
import re
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import grpc
import httpx
import pika
import pytest
import yaml

from linli_dev import partner_ca, partner_sim
from linli.clinic.partner.v1 import partner_pb2 as partner_pb
from linli.clinic.partner.v1 import partner_pb2_grpc
from linli_dev.devstack import ROOT, METRICS_PORTS
from linli.kit.events import exchange_name
from tests.ops.conftest import COMMUNITY, SLA_SECONDS, rules_for_the_test, token

DASHBOARDS = ROOT / "deploy" / "k8s" / "monitoring" / "dashboards"
UNATTENDED = "ops-unattended"  # a community whose emergency nobody acknowledges
TOMORROW = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)).isoformat()


def ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def elder_with_pager(url, operator, community: str = COMMUNITY) -> str:
    """An elder of the community with a pager; returns the pager's id."""
    elder_id, device_id = f"elder-{uuid.uuid4().hex[:8]}", f"pager-{uuid.uuid4().hex[:8]}"
    ok(httpx.post(f"{url}/v1/elders", headers=operator, timeout=10, json={
        "id": elder_id, "community_id": community, "name": "刘桂兰", "phone": "138 0413 1001", "mobility": "uses_aid",
        "address": {"building": "东区 3号楼", "unit": "2单元", "floor": 4, "room": "402",
                    "position": {"latitude": 41.88083, "longitude": 123.95187}},
        "contacts": [{"name": "王磊", "relation": "儿子", "phone": "139 0413 3002", "holds_key": True}]}), 201)
    ok(httpx.post(f"{url}/v1/devices", headers=operator, timeout=10,
                  json={"id": device_id, "elder_id": elder_id, "kind": "pager"}), 201)
    return device_id


def press(url, issuer_dir, device_id, community: str = COMMUNITY) -> dict:
    """The elder presses the pager (the device calls with its own token)."""
    return ok(httpx.post(f"{url}/v1/devices/{device_id}/press", json={"kind": "emergency"}, timeout=10,
                         headers=token(issuer_dir, "device", device_id, community)), 201)


class BoardViewer:
    """An operator watching the live board (an SSE stream held open in a thread)."""

    def __init__(self, url, headers):
        self.opened = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, args=(url, headers), daemon=True)
        self.thread.start()

    def _watch(self, url, headers):
        with httpx.stream("GET", f"{url}/v1/board/stream", headers=headers, timeout=None) as response:
            for _ in response.iter_lines():
                self.opened.set()
                if self.stop.is_set():
                    return


@pytest.fixture(scope="module")
def worked(stack, issuer_dir):
    """The platform at work, once, for the tests below: an emergency pressed and acknowledged, a meal
    ordered for delivery, a board open, one client flooding (429), a burst of clients at once (503), a
    partner hospital's call, and a malformed and an unprocessable event for the workers."""
    url = stack.gateway_url
    operator = token(issuer_dir, "operator", "op-wang")
    device_id = elder_with_pager(url, operator)
    pressed = press(url, issuer_dir, device_id)
    ok(httpx.post(f"{url}/v1/care-requests/{pressed['id']}/acknowledge", headers=operator, timeout=10))
    # Another community's emergency nobody acknowledges: it waits, and the worker escalates it.
    press(url, issuer_dir, elder_with_pager(url, token(issuer_dir, "operator", "op-zhao", UNATTENDED), UNATTENDED),
          UNATTENDED)
    # A call the api refuses (NOT_FOUND): an error by status.
    assert httpx.get(f"{url}/v1/care-requests/no-such-request", headers=operator, timeout=10).status_code == 404

    canteen = f"ops-meals-{uuid.uuid4().hex[:6]}"
    canteen_operator = token(issuer_dir, "operator", "op-canteen", canteen)
    ok(httpx.put(f"{url}/v1/menus/{canteen}/{TOMORROW}", headers=canteen_operator, timeout=10, json={
        "dishes": [{"name": "茄汁鱼"}], "price_fen": 1000, "order_cutoff": "09:30", "dine_in": True,
        "delivery": True, "delivery_fee_fen": 200}))
    resident = token(issuer_dir, "resident", "elder-meal-1", canteen)
    ok(httpx.post(f"{url}/v1/meal-orders", headers=resident, timeout=10, json={
        "community_id": canteen, "elder_id": "elder-meal-1", "day": TOMORROW, "mode": "delivery",
        "location": {"building": "东区 3号楼", "unit": "2单元", "floor": 4}}), 201)

    viewer = BoardViewer(url, operator)
    assert viewer.opened.wait(15), "the board stream did not open"

    flooder = token(issuer_dir, "operator", "op-flood")
    flooded = []
    while 429 not in flooded and len(flooded) < 40:
        flooded.append(httpx.get(f"{url}/v1/care-requests", headers=flooder, timeout=10).status_code)
    assert 429 in flooded

    def one(i):
        return httpx.get(f"{url}/v1/care-requests", headers=token(issuer_dir, "operator", f"op-{i}"),
                         timeout=10).status_code
    shed = []
    with ThreadPoolExecutor(16) as pool:
        for _ in range(10):
            shed = list(pool.map(one, range(32)))
            if 503 in shed:
                break
    assert 503 in shed, shed

    tls = Path(stack.env["CLINIC_PARTNER_TLS_DIR"])
    certs = partner_ca.issue_partner(tls.parent / "alliance-ca", "city-central-hospital",
                                     Path(tempfile.mkdtemp()) / "city")
    with grpc.secure_channel(stack.env["CLINIC_PARTNER_ADDR"], partner_sim.credentials(certs)) as channel:
        partner_pb2_grpc.PartnerExchangeServiceStub(channel).ListReferrals(partner_pb.ListReferralsRequest(),
                                                                           timeout=10)

    connection = pika.BlockingConnection(pika.URLParameters(stack.env["AMQP_URI"]))
    channel = connection.channel()
    properties = pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                      message_id=str(uuid.uuid4()))
    channel.basic_publish(exchange_name("eldercare"), "care_request.raised", b"{not json", properties)
    channel.basic_publish(exchange_name("eldercare"), "care_request.raised", json.dumps({"data": {}}).encode(),
                          pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                               message_id=str(uuid.uuid4())))
    connection.close()
    yield {"viewer": viewer}
    viewer.stop.set()


def test_prometheus_scrapes_every_process(promql):
    promql.eventually('count(up{job="linli"} == 1)', lambda v: v == len(METRICS_PORTS), what="processes up")
    assert {r["metric"]["process"] for r in promql.query('up{job="linli"} == 1')} == set(METRICS_PORTS)


# family -> (PromQL that must be positive once the platform has worked, or None: present is enough)
FAMILIES = {
    "RED of every HTTP route": 'sum(linli_http_server_duration_seconds_count{route="/v1/devices/{device_id}/press",status_code="201"})',
    "HTTP latency histogram": 'sum(linli_http_server_duration_seconds_bucket{route="/v1/care-requests",le="+Inf"})',
    "rate-limited requests": 'sum(linli_http_refused_total{reason="rate_limited",route="/v1/care-requests"})',
    "shed requests": 'sum(linli_http_refused_total{reason="shed"})',
    "board streams open": 'sum(linli_board_streams_open)',
    "RED of every gRPC method": 'sum(linli_grpc_server_duration_seconds_count{grpc_method="AcknowledgeCareRequest",grpc_code="OK"})',
    "gRPC errors by status": 'sum(linli_grpc_server_duration_seconds_count{grpc_code!="OK"})',
    "partner calls": 'sum(linli_partner_calls_total{partner="city-central-hospital",grpc_code="OK"})',
    "outbox backlog": 'count(linli_outbox_backlog{service="eldercare"})',
    "outbox oldest unsent age": 'count(linli_outbox_oldest_unsent_age_seconds)',
    "relay publishes": 'sum(linli_outbox_published_total{service="eldercare"})',
    "relay confirm latency": 'sum(linli_outbox_confirm_duration_seconds_count{service="eldercare"})',
    "handlers applied": 'sum(linli_events_handled_total{outcome="applied"})',
    "handlers retried": 'sum(linli_events_handled_total{outcome="retried"})',
    "handlers dead-lettered": 'sum(linli_events_handled_total{outcome="dead_lettered"})',
    "dead-letter queue depth": 'sum(linli_dead_letter_messages)',
    "emergency acknowledgement latency": f'sum(linli_emergency_acknowledge_duration_seconds_count{{community="{COMMUNITY}"}})',
    "escalations by level": f'sum(linli_escalations_total{{community="{UNATTENDED}",level="1"}})',
    "unacknowledged emergencies now": f'sum(linli_emergencies_unacknowledged{{community="{UNATTENDED}"}})',
    "undelivered meals": 'sum(linli_meals_undelivered)',
    # Silence takes two missed heartbeats of at least a minute: the gauge is there (0), not moved, here.
    "silent devices": 'count(linli_devices_silent)',
}


@pytest.mark.parametrize("family", FAMILIES)
def test_every_metric_family_is_there_and_moves(worked, promql, family):
    promql.eventually(FAMILIES[family], lambda value: value > 0, timeout=30, what=family)


def test_an_emergency_left_unacknowledged_past_the_sla_fires_the_alert_under_the_real_rules(
        stack, issuer_dir, promql, worked):
    pressed_at = time.monotonic()
    press(stack.gateway_url, issuer_dir, elder_with_pager(stack.gateway_url, token(issuer_dir, "operator", "op-li")))
    seen, deadline = [], time.monotonic() + 45
    while time.monotonic() < deadline and "firing" not in seen:
        for alert in promql.alerts():
            if alert["labels"]["alertname"] == "LinliEmergencyNotAcknowledged" \
                    and alert["labels"].get("community") == COMMUNITY and alert["state"] not in seen:
                seen.append(alert["state"])
        time.sleep(0.2)
    assert seen == ["pending", "firing"], seen
    assert time.monotonic() - pressed_at > SLA_SECONDS  # not before the SLA ran out
    assert promql.value(f'max(linli_emergency_oldest_unacknowledged_age_seconds{{community="{COMMUNITY}"}})') > SLA_SECONDS


def served_names(stack) -> set[str]:
    names = set()
    for url in stack.metrics_urls().values():
        for line in httpx.get(url, timeout=5).text.splitlines():
            if line and not line.startswith("#"):
                names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def dashboard_queries() -> list[tuple[str, str]]:
    queries = []
    for path in sorted(DASHBOARDS.glob("*.json")):
        board = json.loads(path.read_text())
        for panel in board["panels"]:
            queries += [(f"{path.name}: {panel['title']}", target["expr"]) for target in panel["targets"]]
        for variable in board["templating"]["list"]:
            if variable["type"] == "query":
                queries.append((f"{path.name}: ${variable['name']}", variable["query"]["query"]))
    return queries


def test_every_dashboard_and_rule_query_names_metrics_the_processes_serve_and_runs(stack, promql, worked):
    # Every family has been served by now (the test above waited for each).
    for family, expr in FAMILIES.items():
        promql.eventually(expr, lambda value: value > 0, timeout=30, what=family)
    served = served_names(stack)
    recorded = {rule["record"] for group in rules_for_the_test()["groups"] for rule in group["rules"] if "record" in rule}
    rule_queries = [(rule.get("alert") or rule["record"], rule["expr"])
                    for group in rules_for_the_test()["groups"] for rule in group["rules"]]
    problems = []
    for where, expr in dashboard_queries() + rule_queries:
        for name in set(re.findall(r"\blinli[a-z0-9_:]*", expr)):
            if name not in served and name not in recorded:
                problems.append(f"{where}: {name} is served by no process")
        if expr.startswith("label_values("):
            continue  # a Grafana function, not PromQL
        reply = httpx.get(f"{promql.url}/api/v1/query", params={"query": expr.replace("$community", ".*")},
                          timeout=5).json()
        if reply["status"] != "success":
            problems.append(f"{where}: Prometheus refuses {expr}: {reply.get('error')}")
    assert not problems, "\n".join(problems)
    assert len(dashboard_queries()) >= 25
