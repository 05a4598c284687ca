"""A care request through the whole platform: HTTP → gRPC → MongoDB + outbox → RabbitMQ → the board's
live stream and the Nameko worker, with one connected trace."""
import time

import httpx
import pytest

from tests.e2e.arrange import elder_with_pager
from tests.e2e.conftest import COMMUNITY, SseReader, token_for


@pytest.fixture(scope="module")
def elder_id(gateway_url, operator_headers):
    return elder_with_pager(gateway_url, operator_headers, "东区 3号楼")[0]


def post_emergency(gateway_url, headers, elder_id, **extra):
    body = {"community_id": COMMUNITY, "elder_id": elder_id, "kind": "emergency", "channel": "device",
            "location": {"building": "东区 3号楼", "unit": "2单元", "floor": 4}, **extra}
    response = httpx.post(f"{gateway_url}/v1/care-requests", json=body, headers=headers, timeout=10)
    assert response.status_code == 201, response.text
    return response


def test_the_gateway_reports_healthy_when_everything_is_up(gateway_url):
    response = httpx.get(f"{gateway_url}/healthz", timeout=5)
    assert response.status_code == 200


def test_a_posted_care_request_shows_on_the_board_then_its_acknowledgement_too(gateway_url, operator_headers,
                                                                              elder_id):
    board = SseReader(f"{gateway_url}/v1/board/stream", operator_headers)
    try:
        assert board.status == 200
        created = post_emergency(gateway_url, operator_headers, elder_id).json()
        raised = board.next_matching(lambda f: f["event"] == "care_request.raised"
                                     and f["data"]["care_request"]["id"] == created["id"])
        assert raised["data"]["care_request"]["status"] == "raised"
        assert raised["id"]  # the event id, for resuming

        got = httpx.get(f"{gateway_url}/v1/care-requests/{created['id']}", headers=operator_headers, timeout=5)
        assert got.status_code == 200 and got.json()["kind"] == "emergency"

        ack = httpx.post(f"{gateway_url}/v1/care-requests/{created['id']}/acknowledge", headers=operator_headers,
                         timeout=5)
        assert ack.status_code == 200, ack.text
        assert ack.json()["status"] == "acknowledged" and ack.json()["acknowledged_by"] == "op-wang"
        acknowledged = board.next_matching(lambda f: f["event"] == "care_request.acknowledged"
                                           and f["data"]["care_request"]["id"] == created["id"])
        assert acknowledged["data"]["care_request"]["acknowledged_by"] == "op-wang"
    finally:
        board.close()


def test_the_board_shows_only_communities_the_operator_serves(gateway_url, operator_headers, issuer_dir, elder_id):
    elsewhere = {"Authorization": f"Bearer {token_for(issuer_dir, 'operator', 'op-far', ['another'])}"}
    board = SseReader(f"{gateway_url}/v1/board/stream", elsewhere)
    try:
        created = post_emergency(gateway_url, operator_headers, elder_id).json()
        with pytest.raises(AssertionError):
            board.next_matching(lambda f: f["data"].get("care_request", {}).get("id") == created["id"], timeout=3)
    finally:
        board.close()


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-jwt", "Basic b3A6cHc="])
def test_a_request_without_a_valid_token_gets_401(gateway_url, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    for method, path in (("POST", "/v1/care-requests"), ("GET", "/v1/care-requests/x"), ("GET", "/v1/board/stream")):
        response = httpx.request(method, f"{gateway_url}{path}", headers=headers, json={}, timeout=5)
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "Traceback" not in response.text


def test_bad_input_gets_a_specific_problem_and_creates_nothing(gateway_url, operator_headers):
    before = httpx.get(f"{gateway_url}/v1/care-requests", params={"community_id": COMMUNITY, "page_size": 200},
                       headers=operator_headers, timeout=5).json()["items"]
    response = httpx.post(f"{gateway_url}/v1/care-requests", headers=operator_headers, timeout=5,
                          json={"community_id": COMMUNITY, "elder_id": "elder-1", "kind": "teleport"})
    assert response.status_code in (400, 422)
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any("kind" in error["field"] for error in problem["errors"])
    after = httpx.get(f"{gateway_url}/v1/care-requests", params={"community_id": COMMUNITY, "page_size": 200},
                      headers=operator_headers, timeout=5).json()["items"]
    assert len(after) == len(before)


def test_one_care_request_makes_one_connected_trace_from_http_to_the_worker(gateway_url, operator_headers, otlp,
                                                                           elder_id):
    response = post_emergency(gateway_url, operator_headers, elder_id)
    trace_id = response.headers["x-trace-id"]
    # Processes export on their own schedules: wait for the worker's span and for every parent to arrive.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        spans = otlp.trace(trace_id)
        ids = {span.span_id for span in spans}
        if (any(s.service == "workers" and s.name == "eldercare.count_raised" for s in spans)
                and all(not s.parent_id or s.parent_id in ids for s in spans)):
            break
        time.sleep(0.2)
    spans = otlp.trace(trace_id)
    services = {span.service for span in spans}
    assert {"gateway", "eldercare-api", "workers"} <= services, sorted((s.service, s.name) for s in spans)
    ids = {span.span_id for span in spans}
    roots = [span for span in spans if not span.parent_id]
    orphans = [span for span in spans if span.parent_id and span.parent_id not in ids]
    assert len(roots) == 1 and roots[0].service == "gateway", roots
    assert not orphans, orphans
    names = {(span.service, span.name) for span in spans}
    assert ("workers", "eldercare.count_raised") in names
    assert any(service == "eldercare-api" and "publish" in name for service, name in names)
