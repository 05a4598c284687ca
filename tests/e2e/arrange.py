"""What the lifecycle and board tests set up through the gateway, as the command centre would: staff on
shift, elders at home in 东华园 with a pager, and presses of it. Ids are fresh per call, so tests sharing a
platform never see each other's data as their own."""
import uuid

import httpx

from tests.e2e.conftest import COMMUNITY, token_for

# Where buildings of 东华园 stand (WGS 84), west zone to the west of the road, east zone to the east.
BUILDINGS = {
    "西区 9号楼": (41.88062, 123.94781),
    "西区 11号楼": (41.87941, 123.94842),
    "东区 3号楼": (41.88083, 123.95187),
    "东区 5号楼": (41.87982, 123.95268),
    "东区 7号楼": (41.87893, 123.95141),
}


def bearer(issuer_dir, role: str, subject: str, communities=(COMMUNITY,)) -> dict:
    return {"Authorization": f"Bearer {token_for(issuer_dir, role, subject, communities)}"}


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def staff_on_shift(gateway_url, operator_headers, issuer_dir, name: str = "李秀英",
                   skills=("emergency", "medical", "meal", "cleaning"), near: str | None = None) -> str:
    """A caregiver registered and on shift; with near, standing beside that building. Returns their id."""
    staff_id = fresh("cg")
    ok(httpx.post(f"{gateway_url}/v1/staff", headers=operator_headers, timeout=5, json={
        "id": staff_id, "community_id": COMMUNITY, "name": name, "phone": "139 0413 2001", "skills": list(skills)}), 201)
    ok(httpx.post(f"{gateway_url}/v1/staff/{staff_id}/shift/start", headers=operator_headers, timeout=5))
    if near is not None:
        latitude, longitude = BUILDINGS[near]
        ok(httpx.post(f"{gateway_url}/v1/me/position", headers=bearer(issuer_dir, "caregiver", staff_id), timeout=5,
                      json={"latitude": latitude + 0.0009, "longitude": longitude}))
    return staff_id


def elder_with_pager(gateway_url, operator_headers, building: str, name: str = "刘桂兰",
                     family_user_id: str | None = None, shares_location: bool = False,
                     device_kind: str = "pager", speakerphone: bool = False) -> tuple[str, str]:
    """An elder at home in building, with a pager (or a device_kind: video_terminal; a pager with a
    speakerphone takes voice calls); with shares_location, consenting (on a signed form the operator
    records) to every call carrying their position, not only emergencies. Returns (elder id, device id)."""
    elder_id, device_id = fresh("elder"), fresh("pager" if device_kind == "pager" else "terminal")
    latitude, longitude = BUILDINGS[building]
    contacts = [{"name": "王磊", "relation": "儿子", "phone": "139 0413 3002", "holds_key": True,
                 **({"user_id": family_user_id} if family_user_id else {})}]
    ok(httpx.post(f"{gateway_url}/v1/elders", headers=operator_headers, timeout=5, json={
        "id": elder_id, "community_id": COMMUNITY, "name": name, "phone": "138 0413 1001", "mobility": "uses_aid",
        "address": {"building": building, "unit": "2单元", "floor": 4, "room": "402",
                    "position": {"latitude": latitude, "longitude": longitude}},
        "contacts": contacts, "conditions": ["高血压"]}), 201)
    if shares_location:
        ok(httpx.put(f"{gateway_url}/v1/elders/{elder_id}/consents/location", json={"granted": True},
                     headers=operator_headers, timeout=5))
    ok(httpx.post(f"{gateway_url}/v1/devices", headers=operator_headers, timeout=5,
                  json={"id": device_id, "elder_id": elder_id, "kind": device_kind, "speakerphone": speakerphone}), 201)
    return elder_id, device_id


def press(gateway_url, issuer_dir, device_id: str, kind: str = "emergency") -> dict:
    """The elder presses the pager (the device calls with its own token). Returns the care request."""
    return ok(httpx.post(f"{gateway_url}/v1/devices/{device_id}/press", json={"kind": kind},
                         headers=bearer(issuer_dir, "device", device_id), timeout=5), 201)
