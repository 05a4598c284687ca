"""Safe retries through the running gateway, its idempotency keys kept in MongoDB (SecantusDB here): a
replay gets the first answer, a different request with the same key is refused, keys are per caller, and
two copies of one request sent at once make one care request."""
import threading
import uuid

import httpx

from tests.e2e.arrange import bearer, elder_with_pager, ok
from tests.e2e.conftest import COMMUNITY


def _call(elder_id: str, kind: str = "shopping") -> dict:
    return {"community_id": COMMUNITY, "elder_id": elder_id, "kind": kind, "channel": "app",
            "description": "想买点米和油"}


def test_a_retry_with_the_same_key_gets_the_first_answer_and_changes_nothing(gateway_url, operator_headers, issuer_dir):
    elder_id, _ = elder_with_pager(gateway_url, operator_headers, "西区 9号楼")
    elder = {**bearer(issuer_dir, "resident", elder_id), "Idempotency-Key": f"call-{uuid.uuid4().hex}"}

    first = httpx.post(f"{gateway_url}/v1/care-requests", json=_call(elder_id), headers=elder, timeout=10)
    # The same JSON, its keys in another order: still the same request.
    retry = httpx.post(f"{gateway_url}/v1/care-requests", headers={**elder, "Content-Type": "application/json"},
                       content=b'{"description": "\\u60f3\\u4e70\\u70b9\\u7c73\\u548c\\u6cb9", "channel": "app", '
                               b'"kind": "shopping", "elder_id": "%s", "community_id": "%s"}'
                               % (elder_id.encode(), COMMUNITY.encode()), timeout=10)

    assert first.status_code == 201, first.text
    assert (retry.status_code, retry.json(), retry.headers["Location"]) == (201, first.json(), first.headers["Location"])
    assert retry.headers["Idempotency-Replayed"] == "true" and "Idempotency-Replayed" not in first.headers
    assert retry.headers["X-Request-Id"] != first.headers["X-Request-Id"]  # ids are the retry's own
    mine = ok(httpx.get(f"{gateway_url}/v1/me/care-requests", headers=elder, timeout=10))["items"]
    assert [c["id"] for c in mine] == [first.json()["id"]]


def test_the_same_key_with_a_different_request_is_refused_and_keys_belong_to_their_caller(
        gateway_url, operator_headers, issuer_dir):
    elder_id, _ = elder_with_pager(gateway_url, operator_headers, "西区 11号楼")
    key = f"call-{uuid.uuid4().hex}"
    elder = {**bearer(issuer_dir, "resident", elder_id), "Idempotency-Key": key}
    ok(httpx.post(f"{gateway_url}/v1/care-requests", json=_call(elder_id), headers=elder, timeout=10), 201)

    changed = httpx.post(f"{gateway_url}/v1/care-requests", json=_call(elder_id, "cleaning"), headers=elder, timeout=10)
    elsewhere = httpx.post(f"{gateway_url}/v1/meal-orders", headers=elder, timeout=10, json={
        "community_id": COMMUNITY, "elder_id": elder_id, "day": "2026-01-01", "mode": "dine_in"})
    # The operator, by coincidence using the same key, makes a request of their own.
    operator = httpx.post(f"{gateway_url}/v1/care-requests", json=_call(elder_id, "cleaning"),
                          headers={**operator_headers, "Idempotency-Key": key}, timeout=10)

    for refused in (changed, elsewhere):
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"] == "https://linli.example/problems/idempotency-key-reused"
    assert operator.status_code == 201 and operator.json()["kind"] == "cleaning"


def test_two_copies_sent_at_once_make_one_care_request(gateway_url, operator_headers, issuer_dir):
    elder_id, _ = elder_with_pager(gateway_url, operator_headers, "东区 3号楼")
    elder = {**bearer(issuer_dir, "resident", elder_id), "Idempotency-Key": f"call-{uuid.uuid4().hex}"}
    answers: list[httpx.Response] = []
    start = threading.Barrier(3)

    def send():
        start.wait()
        answers.append(httpx.post(f"{gateway_url}/v1/care-requests", json=_call(elder_id), headers=elder, timeout=15))

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(a.status_code for a in answers) == [201, 201, 201], [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotency-Replayed") == "true" for a in answers) == 2
    mine = ok(httpx.get(f"{gateway_url}/v1/me/care-requests", headers=elder, timeout=10))["items"]
    assert len(mine) == 1


def test_a_refused_request_is_replayed_as_refused_and_a_request_without_a_key_runs_each_time(
        gateway_url, operator_headers, issuer_dir):
    elder_id, _ = elder_with_pager(gateway_url, operator_headers, "东区 7号楼")
    neighbour = {**bearer(issuer_dir, "resident", "mx-someone-else"), "Idempotency-Key": f"k-{uuid.uuid4().hex}"}
    refusals = [httpx.post(f"{gateway_url}/v1/care-requests", json=_call(elder_id), headers=neighbour, timeout=10)
                for _ in range(2)]
    assert [r.status_code for r in refusals] == [403, 403]
    assert refusals[1].headers["Idempotency-Replayed"] == "true"

    elder = bearer(issuer_dir, "resident", elder_id)
    for kind in ("shopping", "cleaning"):
        ok(httpx.post(f"{gateway_url}/v1/care-requests", json=_call(elder_id, kind), headers=elder, timeout=10), 201)
    mine = ok(httpx.get(f"{gateway_url}/v1/me/care-requests", headers=elder, timeout=10))["items"]
    assert len(mine) == 2
