"""Calls for help raised from the app, as a mobile client sends them: they go to the elder's registered
home (or the elder's own phone's fix) so the caregiver checks in at the door without an override; a call
for an elder nobody registered is refused; and a family member watching live sees their elder's very
first call, and never another elder's."""
import httpx
import pytest

from tests.e2e.arrange import BUILDINGS, bearer, elder_with_pager, fresh, ok, staff_on_shift
from tests.e2e.conftest import COMMUNITY, SseReader


def raise_call(gateway_url, headers, elder_id, **body) -> httpx.Response:
    return httpx.post(f"{gateway_url}/v1/care-requests", headers=headers, timeout=10,
                      json={"community_id": COMMUNITY, "elder_id": elder_id, "kind": "emergency", "channel": "app",
                            **body})


def test_an_app_emergency_goes_to_the_elders_home_and_the_caregiver_checks_in_at_the_door(
        gateway_url, operator_headers, issuer_dir):
    building = "东区 5号楼"
    elder_id, _ = elder_with_pager(gateway_url, operator_headers, building)
    raised = ok(raise_call(gateway_url, bearer(issuer_dir, "resident", elder_id), elder_id), 201)
    latitude, longitude = BUILDINGS[building]
    assert raised["position"] == {"latitude": latitude, "longitude": longitude}
    assert (raised["position_source"], raised["position_accuracy_m"]) == ("home_address", None)
    assert (raised["location"]["building"], raised["location"]["floor"]) == (building, 4)

    caregiver = staff_on_shift(gateway_url, operator_headers, issuer_dir, near=building)
    path = f"/v1/care-requests/{raised['id']}"
    ok(httpx.post(f"{gateway_url}{path}/assign", json={"assignee_id": caregiver}, headers=operator_headers, timeout=5))
    me = bearer(issuer_dir, "caregiver", caregiver)
    ok(httpx.post(f"{gateway_url}{path}/en-route", json={"eta_minutes": 5}, headers=me, timeout=5))
    # 11 m from the door, as in the report: checked in, no operator needed.
    arrived = ok(httpx.post(f"{gateway_url}{path}/arrive", headers=me, timeout=5,
                            json={"position": {"latitude": latitude + 0.0001, "longitude": longitude}}))
    assert arrived["status"] == "on_site" and arrived["visit"]["override_reason"] is None


def test_the_elders_phone_fix_is_kept_with_its_accuracy_and_needs_it(gateway_url, operator_headers, issuer_dir):
    elder_id, _ = elder_with_pager(gateway_url, operator_headers, "西区 9号楼")
    elder = bearer(issuer_dir, "resident", elder_id)
    fix = {"latitude": 41.88100, "longitude": 123.94800}
    raised = ok(raise_call(gateway_url, elder, elder_id, position=fix, position_accuracy_m=18.5), 201)
    assert (raised["position"], raised["position_source"], raised["position_accuracy_m"]) == (fix, "phone_gps", 18.5)
    refused = raise_call(gateway_url, elder, elder_id, position=fix)
    assert refused.status_code in (400, 422) and "position_accuracy_m" in refused.text


def test_a_call_for_an_elder_nobody_registered_is_404_for_staff_and_the_resident_alike(
        gateway_url, operator_headers, issuer_dir):
    ghost = fresh("elder")
    for headers in (operator_headers, bearer(issuer_dir, "resident", ghost)):
        refused = raise_call(gateway_url, headers, ghost)
        assert refused.status_code == 404, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
    # A resident raising for someone else is refused whether or not that someone exists.
    neighbour, _ = elder_with_pager(gateway_url, operator_headers, "东区 7号楼")
    resident = bearer(issuer_dir, "resident", fresh("elder"))
    assert raise_call(gateway_url, resident, neighbour).status_code == 403
    assert raise_call(gateway_url, resident, fresh("elder")).status_code == 403


def test_a_family_member_watching_before_any_call_sees_their_elders_first_emergency_and_no_one_elses(
        gateway_url, operator_headers, issuer_dir):
    family_id = fresh("family")
    elder_id, _ = elder_with_pager(gateway_url, operator_headers, "东区 3号楼", family_user_id=family_id)
    neighbour, _ = elder_with_pager(gateway_url, operator_headers, "东区 3号楼", name="陈德福")
    family = bearer(issuer_dir, "family", family_id)
    assert ok(httpx.get(f"{gateway_url}/v1/me/care-requests", params={"include_finished": "true"}, headers=family,
                        timeout=5))["items"] == []  # no request exists when the stream opens
    stream = SseReader(f"{gateway_url}/v1/me/care-requests/stream", family)
    try:
        assert stream.status == 200
        ok(raise_call(gateway_url, operator_headers, neighbour, channel="phone"), 201)
        first = ok(raise_call(gateway_url, bearer(issuer_dir, "resident", elder_id), elder_id), 201)
        frame = stream.next_matching(lambda f: f["event"] == "care_request.raised", timeout=15)
        assert frame["data"]["care_request"]["id"] == first["id"]
        with pytest.raises(AssertionError):  # the neighbour's call is not theirs to see
            stream.next_matching(lambda f: f["data"]["care_request"]["elder_id"] != elder_id, timeout=2)
    finally:
        stream.close()
