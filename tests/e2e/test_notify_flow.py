"""Notifications through the whole platform: an operator enrols an elder whose record lists their daughter;
the daughter's browser subscribes through the gateway; the elder's very first emergency (which the live
stream misses: it knows a family's elders only from their earlier requests) reaches her browser by Web Push,
and her inbox. The push service belongs to the browser's vendor, outside the platform: the test plays it on
loopback and decrypts what arrives with the subscription's keys (tests/contract/notify_stack.py)."""
import time
import uuid

import httpx
import pytest

from tests.contract.notify_stack import PushService, b64url
from tests.e2e.conftest import COMMUNITY, SseReader, token_for


@pytest.fixture(scope="module")
def push_service():
    service = PushService()
    yield service
    service.close()


def test_the_familys_very_first_emergency_reaches_their_browser_and_their_inbox(
        gateway_url, operator_headers, issuer_dir, push_service):
    elder_id = f"elder-nt-{uuid.uuid4().hex[:6]}"
    daughter = f"user-{uuid.uuid4().hex[:6]}"
    elder = {"id": elder_id, "community_id": COMMUNITY, "name": "赵桂兰", "phone": "138 0413 2001",
             "mobility": "independent", "address": {"building": "东区 5号楼", "unit": "1单元", "floor": 3, "room": "302"},
             "contacts": [{"name": "赵敏", "relation": "女儿", "phone": "13904132002", "user_id": daughter}]}
    created = httpx.post(f"{gateway_url}/v1/elders", json=elder, headers=operator_headers, timeout=5)
    assert created.status_code == 201, created.text
    family = {"Authorization": f"Bearer {token_for(issuer_dir, 'family', daughter, ())}"}

    key = httpx.get(f"{gateway_url}/v1/push/web-push-key", headers=family, timeout=5).json()["application_server_key"]
    browser = push_service.subscription()
    registered = httpx.post(f"{gateway_url}/v1/me/push-endpoints", headers=family, timeout=10, json={
        "kind": "web_push", "endpoint": browser.push_url, "expirationTime": None,
        "keys": {"p256dh": browser.p256dh, "auth": b64url(browser.auth)}})
    assert registered.status_code == 201, registered.text
    assert len(key) == 87  # 65 bytes, base64url

    raised = httpx.post(f"{gateway_url}/v1/care-requests", headers=operator_headers, timeout=10, json={
        "community_id": COMMUNITY, "elder_id": elder_id, "kind": "emergency", "channel": "device",
        "location": {"building": "东区 5号楼", "unit": "1单元", "floor": 3}})
    assert raised.status_code == 201, raised.text

    deadline = time.monotonic() + 30
    with push_service.event:
        while not push_service.to(browser) and time.monotonic() < deadline:
            push_service.event.wait(0.5)
    [pushed] = push_service.to(browser)
    message = browser.decrypt(pushed["body"])
    assert message["care_request_id"] == raised.json()["id"]
    assert message["urgency"] == "emergency" and "赵桂兰" in message["body"]

    inbox = httpx.get(f"{gateway_url}/v1/me/notifications", headers=family, timeout=5).json()
    [note] = inbox["items"]
    assert inbox["unread_count"] == 1 and note["title"] == "紧急求助"
    deadline = time.monotonic() + 10
    while not any(d["channel"] == "web_push" and d["status"] == "sent" for d in note["deliveries"]):
        assert time.monotonic() < deadline, note["deliveries"]
        time.sleep(0.2)
        note = httpx.get(f"{gateway_url}/v1/me/notifications", headers=family, timeout=5).json()["items"][0]
    read = httpx.patch(f"{gateway_url}/v1/me/notifications/{note['id']}", json={"read": True}, headers=family, timeout=5)
    assert read.status_code == 200 and read.json()["read_at"]
    assert httpx.get(f"{gateway_url}/v1/me/notifications", headers=family, timeout=5).json()["unread_count"] == 0


def test_bad_preferences_get_a_problem_naming_the_field(gateway_url, issuer_dir):
    someone = {"Authorization": f"Bearer {token_for(issuer_dir, 'resident', f'user-{uuid.uuid4().hex[:6]}')}"}
    response = httpx.patch(f"{gateway_url}/v1/me/notification-preferences", headers=someone, timeout=5,
                           json={"quiet_hours_start": "25:00", "quiet_hours_end": "07:00"})
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "quiet_hours_start" in response.text


def _family_of_a_new_elder(gateway_url, operator_headers, issuer_dir) -> tuple[str, str, dict]:
    """An elder whose record lists a daughter with a Linli account; returns (elder id, her id, her headers)."""
    elder_id, daughter = f"elder-ns-{uuid.uuid4().hex[:6]}", f"user-{uuid.uuid4().hex[:6]}"
    elder = {"id": elder_id, "community_id": COMMUNITY, "name": "钱秀英", "phone": "138 0413 2101",
             "mobility": "independent", "address": {"building": "西区 2号楼", "unit": "2单元", "floor": 1, "room": "101"},
             "contacts": [{"name": "钱丽", "relation": "女儿", "phone": "13904132102", "user_id": daughter}]}
    created = httpx.post(f"{gateway_url}/v1/elders", json=elder, headers=operator_headers, timeout=5)
    assert created.status_code == 201, created.text
    family = {"Authorization": f"Bearer {token_for(issuer_dir, 'family', daughter, ())}"}
    # Her app sets her language once: the notify service then knows whose family she is.
    chosen = httpx.patch(f"{gateway_url}/v1/me/notification-preferences", json={"language": "zh"}, headers=family,
                         timeout=10)
    assert chosen.status_code == 200, chosen.text
    return elder_id, daughter, family


def _raise_emergency(gateway_url, operator_headers, elder_id) -> str:
    raised = httpx.post(f"{gateway_url}/v1/care-requests", headers=operator_headers, timeout=10, json={
        "community_id": COMMUNITY, "elder_id": elder_id, "kind": "emergency", "channel": "device",
        "location": {"building": "西区 2号楼", "unit": "2单元", "floor": 1}})
    assert raised.status_code == 201, raised.text
    return raised.json()["id"]


def test_each_new_notification_comes_on_its_owners_live_stream_and_nobody_elses(
        gateway_url, operator_headers, issuer_dir):
    elder, _, family = _family_of_a_new_elder(gateway_url, operator_headers, issuer_dir)
    other_elder, _, other_family = _family_of_a_new_elder(gateway_url, operator_headers, issuer_dir)
    mine = SseReader(f"{gateway_url}/v1/me/notifications/stream", family)
    theirs = SseReader(f"{gateway_url}/v1/me/notifications/stream", other_family)
    try:
        assert mine.status == theirs.status == 200
        request_id = _raise_emergency(gateway_url, operator_headers, elder)
        other_request_id = _raise_emergency(gateway_url, operator_headers, other_elder)

        frame = mine.next_matching(lambda f: f.get("event") == "notification.created", timeout=30)
        note = frame["data"]["notification"]
        assert frame["id"] == note["id"] and note["care_request_id"] == request_id
        assert note["urgency"] == "emergency" and "钱秀英" in note["body"]
        inbox = httpx.get(f"{gateway_url}/v1/me/notifications", headers=family, timeout=5).json()
        assert [item["id"] for item in inbox["items"]] == [note["id"]]
        # The other family hears of their own elder only: the first frame they get is theirs.
        frame = theirs.next_matching(lambda f: f.get("event") == "notification.created", timeout=30)
        assert frame["data"]["notification"]["care_request_id"] == other_request_id
    finally:
        mine.close()
        theirs.close()


def test_a_reconnected_notification_stream_sends_what_was_made_meanwhile_first(
        gateway_url, operator_headers, issuer_dir):
    elder, _, family = _family_of_a_new_elder(gateway_url, operator_headers, issuer_dir)
    stream = SseReader(f"{gateway_url}/v1/me/notifications/stream", family)
    try:
        first_request = _raise_emergency(gateway_url, operator_headers, elder)
        seen = stream.next_matching(lambda f: f.get("event") == "notification.created", timeout=30)
    finally:
        stream.close()
    assert seen["data"]["notification"]["care_request_id"] == first_request

    missed_request = _raise_emergency(gateway_url, operator_headers, elder)  # while the family is away
    deadline = time.monotonic() + 30
    while len(httpx.get(f"{gateway_url}/v1/me/notifications", headers=family, timeout=5).json()["items"]) < 2:
        assert time.monotonic() < deadline, "the second notification was not made"
        time.sleep(0.2)

    resumed = SseReader(f"{gateway_url}/v1/me/notifications/stream", {**family, "Last-Event-ID": seen["id"]})
    try:
        frame = resumed.next_matching(lambda f: f.get("event") == "notification.created", timeout=10)
        assert frame["data"]["notification"]["care_request_id"] == missed_request
    finally:
        resumed.close()

    unknown = SseReader(f"{gateway_url}/v1/me/notifications/stream", {**family, "Last-Event-ID": "no-such-note"})
    try:
        assert unknown.next_matching(lambda f: f.get("event") == "reset", timeout=10)["data"] == \
            {"type": "reset", "reload": True}
    finally:
        unknown.close()
