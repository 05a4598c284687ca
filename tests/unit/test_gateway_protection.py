"""The gateway's protections and contract, without a network: rate limits (429 with Retry-After, calls for
help never refused), body size limits (413), ETag and If-None-Match (304), CORS for the board's origin,
request ids in log lines, deadlines on every gRPC call, and an OpenAPI document that describes every
route. The eldercare api is a recording fake; the lifespan never runs."""
import ast
import io
import json
import logging
from pathlib import Path

import pytest
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from gateway import dev_issuer
from gateway.app import create_app
from gateway.auth import Authenticator
from gateway.board import Board
from gateway.conditional import etag_of, matches
from gateway.idempotency import fingerprint
from gateway.problems import MEDIA_TYPE
from gateway.ratelimit import TokenBuckets
from linli.eldercare.v1 import eldercare_pb2, residents_pb2
from linli.kit.telemetry import JsonFormatter

GATEWAY = Path(__file__).resolve().parents[2] / "gateway"
CARE_REQUEST = {"community_id": "pilot", "elder_id": "e-1", "kind": "meal"}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class FakeEldercare:
    """Stands in for the eldercare stubs: answers every call with a request of the given version."""

    def __init__(self):
        self.calls = 0
        self.version = 1

    def _reply(self, request_id: str):
        self.calls += 1
        return eldercare_pb2.CareRequest(id=request_id, community_id="pilot", elder_id="e-1",
                                         kind=eldercare_pb2.CARE_KIND_MEAL, version=self.version)

    async def GetCareRequest(self, request, metadata, timeout):
        return eldercare_pb2.GetCareRequestResponse(care_request=self._reply(request.id))

    async def RaiseCareRequest(self, request, metadata, timeout):
        return eldercare_pb2.RaiseCareRequestResponse(care_request=self._reply("cr-new"))

    async def PressDevice(self, request, metadata, timeout):
        return residents_pb2.PressDeviceResponse(care_request=self._reply("cr-press"))


@pytest.fixture
def issuer_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LINLI_DEV_ISSUER_DIR", str(tmp_path))
    return tmp_path


def bearer(subject: str = "op-1", role: str = "operator") -> dict:
    return {"Authorization": f"Bearer {dev_issuer.issue_token(subject, [role], ['pilot'])}"}


def gateway(issuer_dir, per_second: float = 100, burst: float = 100, clock=None) -> tuple[TestClient, FakeEldercare]:
    eldercare = FakeEldercare()
    app = create_app(authenticator=Authenticator.from_settings(), board=Board("amqp://127.0.0.1:1/"),
                     rate_limit=TokenBuckets(per_second, burst, **({"clock": clock} if clock else {})))
    app.state.eldercare = app.state.residents = eldercare  # what the lifespan would set, minus the network
    return TestClient(app), eldercare


# -- rate limits ------------------------------------------------------------------------------------------

def test_a_token_bucket_lets_a_burst_through_then_one_request_per_refill():
    clock = Clock()
    buckets = TokenBuckets(per_second=2, burst=3, clock=clock)

    assert [buckets.take("a") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert buckets.take("a") == 0
    assert buckets.take("b") == 0  # every client has a bucket of its own


def test_buckets_that_refilled_are_forgotten_so_memory_follows_active_clients():
    clock = Clock()
    buckets = TokenBuckets(per_second=1, burst=2, clock=clock)
    for client in range(100):
        buckets.take(f"client-{client}")
    clock.now += 5
    buckets.take("latest")

    assert len(buckets) == 1


def test_a_client_over_its_rate_gets_a_429_problem_with_retry_after_and_others_are_not_slowed(issuer_dir):
    clock = Clock()
    client, _ = gateway(issuer_dir, per_second=0.5, burst=2, clock=clock)
    busy = bearer("op-busy")

    statuses = [client.get("/v1/care-requests/cr-1", headers=busy).status_code for _ in range(3)]
    refused = client.get("/v1/care-requests/cr-1", headers=busy)

    assert statuses == [200, 200, 429]
    assert refused.headers["content-type"] == MEDIA_TYPE
    assert refused.json()["type"] == "https://linli.example/problems/too-many-requests"
    assert refused.headers["Retry-After"] == "2"
    assert client.get("/v1/care-requests/cr-1", headers=bearer("op-calm")).status_code == 200
    clock.now += 2
    assert client.get("/v1/care-requests/cr-1", headers=busy).status_code == 200


def test_calls_for_help_are_never_rate_limited_but_routine_requests_are(issuer_dir):
    client, eldercare = gateway(issuer_dir, per_second=0.001, burst=1)
    elder = bearer("e-1", "resident")
    assert client.post("/v1/care-requests", json=CARE_REQUEST, headers=elder).status_code == 201

    routine = client.post("/v1/care-requests", json=CARE_REQUEST, headers=elder)
    emergencies = [client.post("/v1/care-requests", json={**CARE_REQUEST, "kind": "emergency"}, headers=elder)
                   for _ in range(5)]
    presses = [client.post("/v1/devices/pager-1/press", headers=bearer("pager-1", "device")) for _ in range(5)]

    assert routine.status_code == 429
    assert [r.status_code for r in emergencies + presses] == [201] * 10


def test_without_a_valid_token_a_route_that_needs_one_answers_401_and_public_ones_are_limited_by_address(issuer_dir):
    client, _ = gateway(issuer_dir, per_second=0.001, burst=2)

    forged = [client.get("/v1/care-requests/cr-1", headers={"Authorization": "Bearer forged"}).status_code
              for _ in range(3)]
    anonymous = [client.get("/openapi.json").status_code for _ in range(3)]

    assert forged == [401, 401, 401]  # a bad token is told so, never "too many": and it takes no token
    assert anonymous == [200, 200, 429]  # the same address's bucket, untouched by the 401s
    assert client.get("/v1/care-requests/cr-1").status_code == 401
    assert client.get("/docs").status_code == 200


# -- request size ------------------------------------------------------------------------------------------

def test_a_body_over_the_limit_is_a_413_problem_and_never_reaches_the_api(issuer_dir, monkeypatch):
    monkeypatch.setenv("GATEWAY_MAX_BODY_BYTES", "1024")
    client, eldercare = gateway(issuer_dir)
    body = {**CARE_REQUEST, "description": "很" * 1000}

    declared = client.post("/v1/care-requests", json=body, headers=bearer())
    streamed = client.post("/v1/care-requests", content=iter([json.dumps(body).encode()]),
                           headers={**bearer(), "Content-Type": "application/json"})

    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["type"] == "https://linli.example/problems/payload-too-large"
    assert eldercare.calls == 0
    assert client.post("/v1/care-requests", json=CARE_REQUEST, headers=bearer()).status_code == 201


# -- conditional reads -------------------------------------------------------------------------------------

def test_a_read_carries_an_etag_and_if_none_match_with_it_is_answered_304_without_a_body(issuer_dir):
    client, eldercare = gateway(issuer_dir)
    first = client.get("/v1/care-requests/cr-1", headers=bearer())
    etag = first.headers["ETag"]

    again = client.get("/v1/care-requests/cr-1", headers={**bearer(), "If-None-Match": etag})
    eldercare.version = 2
    changed = client.get("/v1/care-requests/cr-1", headers={**bearer(), "If-None-Match": etag})

    assert first.headers["Cache-Control"] == "private, no-cache"
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.json()["version"] == 2


def test_if_none_match_compares_weakly_and_accepts_lists_and_a_star():
    etag = etag_of(b"{}")
    assert matches(f'"other", W/{etag}', etag)
    assert matches("*", etag)
    assert not matches('"other"', etag)


# -- idempotency keys ------------------------------------------------------------------------------------

def test_requests_are_the_same_for_idempotency_when_their_json_says_the_same():
    a = fingerprint("POST", "/v1/care-requests", b"", b'{"kind": "meal", "elder_id": "e-1"}')
    b = fingerprint("POST", "/v1/care-requests", b"", b'{"elder_id":"e-1","kind":"meal"}')
    other_body = fingerprint("POST", "/v1/care-requests", b"", b'{"elder_id":"e-1","kind":"bathing"}')
    other_path = fingerprint("POST", "/v1/meal-orders", b"", b'{"elder_id":"e-1","kind":"meal"}')

    assert a == b
    assert len({a, other_body, other_path}) == 3


def test_without_its_store_a_keyed_request_is_refused_503_but_a_call_for_help_goes_through(issuer_dir):
    client, eldercare = gateway(issuer_dir)  # the lifespan never ran: the store is not open
    keyed = {**bearer("e-1", "resident"), "Idempotency-Key": "k-1"}

    routine = client.post("/v1/care-requests", json=CARE_REQUEST, headers=keyed)
    emergency = client.post("/v1/care-requests", json={**CARE_REQUEST, "kind": "emergency"}, headers=keyed)

    assert routine.status_code == 503 and routine.headers["Retry-After"] == "1"
    assert emergency.status_code == 201
    assert eldercare.calls == 1


# -- CORS --------------------------------------------------------------------------------------------------

def test_only_the_configured_origins_may_call_from_a_browser(issuer_dir, monkeypatch):
    monkeypatch.setenv("GATEWAY_CORS_ORIGINS", "https://board.linli.example")
    client, _ = gateway(issuer_dir)
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type,idempotency-key"}

    allowed = client.options("/v1/care-requests", headers={"Origin": "https://board.linli.example", **preflight})
    refused = client.options("/v1/care-requests", headers={"Origin": "https://evil.example", **preflight})
    read = client.get("/v1/care-requests/cr-1", headers={"Origin": "https://board.linli.example", **bearer()})

    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://board.linli.example"
    assert "idempotency-key" in allowed.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "etag" in read.headers["Access-Control-Expose-Headers"].lower()


def test_without_configured_origins_no_cross_origin_call_is_allowed(issuer_dir):
    client, _ = gateway(issuer_dir)
    response = client.get("/v1/care-requests/cr-1", headers={"Origin": "https://evil.example", **bearer()})
    assert "Access-Control-Allow-Origin" not in response.headers


# -- request ids -------------------------------------------------------------------------------------------

def test_every_log_line_of_a_request_carries_its_request_id(issuer_dir):
    client, _ = gateway(issuer_dir)
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter())
    auth_log = logging.getLogger("gateway.auth")
    auth_log.addHandler(handler)
    level = auth_log.level
    auth_log.setLevel(logging.INFO)
    try:
        response = client.get("/v1/care-requests/cr-1", headers={"Authorization": "Bearer forged",
                                                                  "X-Request-Id": "req-42"})
    finally:
        auth_log.removeHandler(handler)
        auth_log.setLevel(level)

    logged = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert response.headers["X-Request-Id"] == "req-42"
    assert logged and all(entry["request_id"] == "req-42" for entry in logged)


# -- deadlines ---------------------------------------------------------------------------------------------

def _grpc_calls_without_deadline(source: str) -> list[int]:
    """Awaited calls of a stub method (CamelCase, as gRPC names them) with neither timeout= nor **options."""
    missing = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
            call = node.value
            if isinstance(call.func, ast.Attribute) and call.func.attr[:1].isupper():
                if not any(k.arg == "timeout" or k.arg is None for k in call.keywords):
                    missing.append(call.lineno)
    return missing


def test_every_grpc_call_the_gateway_makes_has_a_deadline():
    missing = {path.name: lines for path in sorted(GATEWAY.glob("*.py"))
               if (lines := _grpc_calls_without_deadline(path.read_text()))}
    assert not missing, f"gRPC calls without timeout= (file: lines): {missing}"


# -- the published contract --------------------------------------------------------------------------------

@pytest.fixture
def app(issuer_dir):
    return create_app(authenticator=Authenticator.from_settings(), board=Board("amqp://127.0.0.1:1/"))


@pytest.fixture
def document(app):
    response = TestClient(app).get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _api_routes(routes):
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)  # FastAPI keeps an included router whole
        if included is not None:
            yield from _api_routes(included.routes)


def _answers_other_than_json(route) -> bool:
    """A PDF, a CSV, FHIR JSON: documented by its media type in the route's responses."""
    content = {media for answer in route.responses.values() for media in answer.get("content", {})}
    return bool(content) and "application/json" not in content


def test_every_route_describes_its_answer_with_a_model(app):
    routes = list(_api_routes(app.routes))
    assert len(routes) > 100
    undescribed = [f"{sorted(route.methods)} {route.path}" for route in routes
                   if route.include_in_schema and route.response_model is None
                   and not issubclass(route.response_class, StreamingResponse) and not _answers_other_than_json(route)]
    assert not undescribed, f"give these a response_model: {undescribed}"


def test_the_contract_is_openapi_3_1_with_one_success_answer_per_operation(document):
    assert document["openapi"].startswith("3.1")
    for path, method, operation in _operations(document):
        assert len([status for status in operation["responses"] if status.startswith("2")]) == 1, f"{method} {path}"


def test_every_error_is_documented_as_a_problem_and_every_post_takes_an_idempotency_key(document):
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, method, operation in _operations(document):
        errors = {status: r for status, r in operation["responses"].items() if status[0] in "45"}
        assert {"400", "404", "422", "429", "500", "503"} <= set(errors), f"{method} {path}"
        for status, response in errors.items():
            assert response["content"] == {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
        if operation.get("security"):
            assert {"401", "403"} <= set(errors)
        if method == "post":
            assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]], path


def test_the_docs_page_loads_swagger_ui_from_the_gateway_itself(issuer_dir):
    client, _ = gateway(issuer_dir)
    page = client.get("/docs")

    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs/assets/swagger-ui.css").status_code == 200
