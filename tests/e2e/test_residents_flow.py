"""Elders and call devices through the gateway: an operator enrols an elder and their pager, the family
member linked as a contact sees the elder, another resident does not, and a press raises a care request."""
import uuid

import httpx

from tests.e2e.conftest import COMMUNITY, token_for


def bearer(issuer_dir, role: str, subject: str, communities=(COMMUNITY,)) -> dict:
    return {"Authorization": f"Bearer {token_for(issuer_dir, role, subject, communities)}"}


def test_family_see_their_elder_another_resident_gets_404_and_a_press_raises_a_care_request(
        gateway_url, operator_headers, issuer_dir):
    elder_id = f"elder-xq-{uuid.uuid4().hex[:6]}"
    daughter = f"user-{uuid.uuid4().hex[:6]}"
    elder = {
        "id": elder_id, "community_id": COMMUNITY, "name": "张玉芬", "phone": "138 0413 1127",
        "mobility": "wheelchair",
        "address": {"building": "西区 11号楼", "unit": "1单元", "floor": 2, "room": "201",
                    "position": {"latitude": 41.8791, "longitude": 123.9502}},
        "contacts": [{"name": "张丽", "relation": "女儿", "phone": "139 0413 1128", "user_id": daughter}],
        "conditions": ["糖尿病"], "allergies": ["磺胺类"],
    }
    created = httpx.post(f"{gateway_url}/v1/elders", json=elder, headers=operator_headers, timeout=5)
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"/v1/elders/{elder_id}"

    family = httpx.get(f"{gateway_url}/v1/elders/{elder_id}", headers=bearer(issuer_dir, "family", daughter, ()),
                       timeout=5)
    assert family.status_code == 200, family.text
    seen = family.json()
    assert seen["name"] == "张玉芬" and seen["address"]["room"] == "201"
    assert seen["allergies"] is None and seen["address"]["position"] is None  # no consent given
    assert set(seen["withheld"]) == {"health", "position"}

    neighbour = httpx.get(f"{gateway_url}/v1/elders/{elder_id}",
                          headers=bearer(issuer_dir, "resident", "elder-xq-0902"), timeout=5)
    assert neighbour.status_code == 404
    assert neighbour.headers["content-type"].startswith("application/problem+json")

    device = {"id": f"pager-{uuid.uuid4().hex[:6]}", "elder_id": elder_id, "kind": "pager"}
    registered = httpx.post(f"{gateway_url}/v1/devices", json=device, headers=operator_headers, timeout=5)
    assert registered.status_code == 201, registered.text
    pressed = httpx.post(f"{gateway_url}/v1/devices/{device['id']}/press",
                         headers=bearer(issuer_dir, "device", device["id"]), timeout=5)
    assert pressed.status_code == 201, pressed.text
    care_request = pressed.json()
    assert (care_request["elder_id"], care_request["kind"], care_request["channel"]) == (
        elder_id, "emergency", "device")
    assert care_request["location"]["building"] == "西区 11号楼"
    assert pressed.headers["Location"] == f"/v1/care-requests/{care_request['id']}"
