"""The HTTP details outside clients build on, against the running platform (gateway, apis, broker, store):
a hostile body on the calls-for-help route, 405 with a complete Allow, a CORS preflight from the configured
origin, the RateLimit fields, problems in Chinese, malformed JSON and ids in words, control characters
refused by the gateway and by an api reached directly over gRPC."""
import re

import grpc
import httpx
import pytest

from linli.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc
from linli.kit.identity import Caller
from tests.e2e.conftest import COMMUNITY, CORS_ORIGIN, token_for

PROBLEMS = "https://linli.example/problems/"


@pytest.fixture(scope="module")
def http(gateway_url):
    with httpx.Client(base_url=gateway_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def operator(issuer_dir):
    return {"Authorization": f"Bearer {token_for(issuer_dir, 'operator', 'op-http')}"}


def test_a_10_kb_body_nested_5000_deep_on_the_calls_for_help_route_is_a_422_problem(http, operator):
    body = b'{"kind": "emergency", "community_id": "' + COMMUNITY.encode() + b'", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"

    for headers in (operator, {**operator, "Idempotency-Key": "deep-1"}):
        response = http.post("/v1/care-requests", content=body, headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == PROBLEMS + "validation-failed"


def test_405_names_every_method_of_the_path_and_a_configured_origin_gets_its_preflight(http, operator):
    not_allowed = http.delete("/v1/care-requests", headers=operator)
    preflight = http.options("/v1/care-requests", headers={
        "Origin": CORS_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key, accept-language"})
    stranger = http.options("/v1/care-requests", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"})

    assert not_allowed.status_code == 405
    assert not_allowed.headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == CORS_ORIGIN
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in stranger.headers


def test_a_rate_limited_answer_says_where_the_client_stands_and_a_bad_token_is_401(http, operator):
    answer = http.get("/v1/care-requests", headers=operator)
    forged = http.get("/v1/care-requests", headers={"Authorization": "Bearer forged"})

    assert answer.status_code == 200
    assert answer.headers["RateLimit-Policy"] == '"per-client";q=1000;w=1'  # the e2e stack's limits
    standing = re.fullmatch(r'"per-client";r=(\d+);t=(\d+)', answer.headers["RateLimit"])
    assert standing and int(standing[1]) < 1000  # this request took one (the bucket refills at 1000/s)
    assert forged.status_code == 401 and "RateLimit" not in forged.headers


def test_problems_come_in_chinese_when_asked_with_the_same_type(http, operator):
    english = http.get("/v1/care-requests/no-such-request", headers=operator)
    chinese = http.get("/v1/care-requests/no-such-request", headers={**operator, "Accept-Language": "zh-CN"})

    assert english.status_code == chinese.status_code == 404
    assert english.json()["type"] == chinese.json()["type"] == PROBLEMS + "not-found"
    assert chinese.json()["title"] == "未找到"
    assert chinese.json()["detail"].startswith("没有这个资源")
    assert chinese.headers["Content-Language"] == "zh-CN"


def test_malformed_json_and_a_malformed_id_are_named_in_words(http, operator):
    broken = http.post("/v1/care-requests", content=b'{\n"kind": }',
                       headers={**operator, "Content-Type": "application/json"})
    where = http.get("/v1/care-requests/$where", headers=operator)

    assert broken.status_code == 422
    assert broken.json()["errors"] == [{"field": "body", "message": "not valid JSON: Expecting value at line 2, column 9"}]
    assert where.status_code == 422
    assert where.json()["errors"][0]["field"] == "care_request_id"
    assert where.json()["errors"][0]["message"].startswith("malformed")


def test_a_nul_in_a_description_is_refused_by_the_gateway_and_by_the_api_reached_directly(http, operator, stack):
    refused = http.post("/v1/care-requests", headers=operator, json={
        "community_id": COMMUNITY, "elder_id": "e2e-elder-nul", "kind": "meal", "description": "soup\x00please"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "description", "message": "no control characters (line breaks and tab are allowed)"}]

    caller = Caller("op-http", frozenset({"operator"}), frozenset({COMMUNITY}))
    with grpc.insecure_channel(stack.env["ELDERCARE_API_ADDR"]) as channel:
        with pytest.raises(grpc.RpcError) as raised:
            eldercare_pb2_grpc.EldercareServiceStub(channel).RaiseCareRequest(
                eldercare_pb2.RaiseCareRequestRequest(community_id=COMMUNITY, elder_id="e2e-elder-nul",
                                                      kind=eldercare_pb2.CARE_KIND_MEAL, description="soup\x00please"),
                metadata=caller.to_metadata(), timeout=10)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "description" in raised.value.details()
