"""Volunteers through the gateway, with every process running: elder-care dispatch offers a volunteer
living near the elder (eldercare api → Nameko RPC → volunteer worker), the volunteer serves the call, and
the completed request becomes pending hours in the volunteer's ledger (eldercare outbox → RabbitMQ →
volunteer worker); the elder confirms, a coordinator verifies. Then a shift of a neighbours' festival,
certificates (public verification, PDF) and the CSV export."""
import time
import uuid
from datetime import datetime, timedelta, timezone

import httpx
import pymongo

from gateway import dev_issuer
from linli.kit.mongo import utcnow
from services.volunteer.domain import hours
from services.volunteer.store.hours import HoursStore
from tests.e2e.arrange import BUILDINGS, bearer, elder_with_pager, fresh, ok, press
from tests.e2e.conftest import COMMUNITY

EVERY_DAY = [{"weekday": day, "start": "00:00", "end": "23:59"} for day in range(1, 8)]


def post(gateway_url, path: str, headers: dict, body: dict | None = None) -> httpx.Response:
    return httpx.post(f"{gateway_url}{path}", json=body, headers=headers, timeout=10)


def get(gateway_url, path: str, headers: dict | None = None, **params) -> httpx.Response:
    return httpx.get(f"{gateway_url}{path}", headers=headers or {}, params=params, timeout=10)


def volunteer_near(gateway_url, coordinator, issuer_dir, building: str, name="王秀兰", skills=("shopping",)):
    volunteer_id = fresh("vol")
    latitude, longitude = BUILDINGS[building]
    ok(post(gateway_url, "/v1/volunteers", coordinator, {
        "id": volunteer_id, "community_id": COMMUNITY, "name": name, "party_member": True, "branch": "第一党支部",
        "skills": list(skills), "availability": EVERY_DAY,
        "home": {"latitude": latitude + 0.0004, "longitude": longitude}}), 201)
    return volunteer_id, bearer(issuer_dir, "volunteer", volunteer_id)


def wait_for(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("not within time")


def test_dispatch_offers_a_volunteer_nearby_and_their_completed_visit_becomes_hours_the_elder_confirms(
        gateway_url, operator_headers, issuer_dir):
    building = "东区 7号楼"
    coordinator = bearer(issuer_dir, "coordinator", "co-zhao")
    volunteer_id, me = volunteer_near(gateway_url, coordinator, issuer_dir, building)
    elder_id, device_id = elder_with_pager(gateway_url, operator_headers, building, shares_location=True)
    raised = press(gateway_url, issuer_dir, device_id, kind="shopping")
    path = f"/v1/care-requests/{raised['id']}"
    ok(post(gateway_url, f"{path}/acknowledge", operator_headers))

    candidates = ok(get(gateway_url, f"{path}/candidates", operator_headers))["items"]
    offered = next(c for c in candidates if c["assignee_id"] == volunteer_id)
    assert offered["assignee_kind"] == "volunteer" and offered["name"] == "王秀兰" and offered["distance_m"] < 100
    assert "volunteer with the shopping skill" in offered["reasons"]
    ok(post(gateway_url, f"{path}/assign", operator_headers, {"assignee_id": volunteer_id,
                                                            "assignee_kind": "volunteer"}))
    ok(post(gateway_url, f"{path}/en-route", me, {"eta_minutes": 5}))
    latitude, longitude = BUILDINGS[building]
    ok(post(gateway_url, f"{path}/arrive", me, {"position": {"latitude": latitude + 0.0002, "longitude": longitude}}))
    ok(post(gateway_url, f"{path}/complete", me, {"notes": "代买米和油"}))

    entry = wait_for(lambda: ok(get(gateway_url, "/v1/volunteer-hours", me))["items"])[0]
    assert (entry["source"], entry["source_id"], entry["status"]) == ("care_request", raised["id"], "pending")
    assert entry["beneficiary_id"] == elder_id and entry["beneficiary_confirmation"] == "awaited"
    assert entry["description"] == "居家养老服务·助购"

    elder = bearer(issuer_dir, "resident", elder_id)
    [awaiting] = ok(get(gateway_url, "/v1/volunteer-hours", elder, awaiting_my_confirmation="true"))["items"]
    assert awaiting["id"] == entry["id"]
    confirmed = ok(post(gateway_url, f"/v1/volunteer-hours/{entry['id']}/confirmation", elder,
                        {"confirmed": True, "comment": "很及时"}))
    assert confirmed["beneficiary_confirmation"] == "confirmed"
    verified = ok(post(gateway_url, f"/v1/volunteer-hours/{entry['id']}/verify", coordinator, {}))
    assert verified["status"] == "verified" and verified["decided_by"] == "co-zhao"
    again = post(gateway_url, f"/v1/volunteer-hours/{entry['id']}/verify", coordinator, {})
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"


def test_a_volunteer_signs_up_for_a_festival_shift_and_checks_in_only_at_the_place(gateway_url, issuer_dir):
    coordinator = bearer(issuer_dir, "coordinator", "co-zhao")
    volunteer_id, me = volunteer_near(gateway_url, coordinator, issuer_dir, "西区 9号楼", skills=("organizing",))
    square = {"latitude": 41.8810, "longitude": 123.9570}
    activity = ok(post(gateway_url, "/v1/activities", coordinator, {
        "community_id": COMMUNITY, "title": "邻居节", "description": "共叙邻里亲情",
        "place": {"name": "中心广场", "position": square, "radius_m": 150}}), 201)
    starts = datetime.now(timezone.utc) + timedelta(minutes=10)
    shift = ok(post(gateway_url, f"/v1/activities/{activity['id']}/shifts", coordinator, {
        "title": "上午场", "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=3)).isoformat(),
        "capacity": 20}), 201)
    attendance = ok(post(gateway_url, f"/v1/shifts/{shift['id']}/attendance", me, {}), 201)
    assert attendance["status"] == "signed_up"
    # The shift starts within the reminder's lead (NOTIFY_SHIFT_REMINDER_MINUTES): reminded at once.
    deadline = time.monotonic() + 30
    while not (inbox := ok(get(gateway_url, "/v1/me/notifications", me))["items"]):
        assert time.monotonic() < deadline, "no shift reminder in the volunteer's inbox"
        time.sleep(0.3)
    assert inbox[0]["event_type"] == "shift.reminder" and "邻居节 · 上午场" in inbox[0]["body"]
    assert "中心广场" in inbox[0]["body"]
    ok(post(gateway_url, f"/v1/attendance/{attendance['id']}/confirm", coordinator))
    far = post(gateway_url, f"/v1/attendance/{attendance['id']}/check-in", me,
               {"position": {"latitude": 41.8900, "longitude": 123.9570}})
    assert far.status_code == 409 and "m from 中心广场" in far.json()["detail"]
    checked_in = ok(post(gateway_url, f"/v1/attendance/{attendance['id']}/check-in", me,
                         {"position": {"latitude": 41.8811, "longitude": 123.9570}}))
    assert checked_in["status"] == "checked_in"
    closed = ok(post(gateway_url, f"/v1/attendance/{attendance['id']}/check-out", me))
    assert closed["status"] == "pending" and closed["hours_entry_id"]
    mine = ok(get(gateway_url, "/v1/me/attendance", me))["items"]
    assert [a["id"] for a in mine] == [attendance["id"]]

    # The same person also coordinates (another community, or this one): their own hours are another
    # coordinator's to verify, and the answer says so (forbidden, not a state conflict without a reason).
    for communities in (("lianhua",), (COMMUNITY,)):
        both = {"Authorization": "Bearer " + dev_issuer.issue_token(
            volunteer_id, ["volunteer", "coordinator"], list(communities), directory=issuer_dir)}
        refused = post(gateway_url, f"/v1/volunteer-hours/{closed['hours_entry_id']}/verify", both, {"note": ""})
        assert refused.status_code == 403, refused.text
        assert "your own hours" in refused.json()["detail"] and COMMUNITY in refused.json()["detail"]
    verified = ok(post(gateway_url, f"/v1/volunteer-hours/{closed['hours_entry_id']}/verify", coordinator,
                       {"note": ""}))
    assert verified["status"] == "verified"


def verified_hours(stack, volunteer_id: str, name: str, minutes: int) -> None:
    """Hours served earlier today, already verified: written straight to the volunteer database (a real
    shift would take real hours)."""
    client = pymongo.MongoClient(stack.env["MONGO_URI"], tz_aware=True)
    try:
        store = HoursStore(client, client["e2e_volunteer"])
        started = utcnow() - timedelta(minutes=minutes + 5)
        from services.volunteer.domain.volunteers import local_day

        entry = hours.HoursEntry(str(uuid.uuid4()), COMMUNITY, volunteer_id, name, hours.CREDIT, minutes, started,
                                 started + timedelta(minutes=minutes), local_day(started, "Asia/Shanghai"),
                                 hours.ATTENDANCE, str(uuid.uuid4()), "巡楼探访", started, "system",
                                 status=hours.VERIFIED, decided_at=started, decided_by="co-zhao")
        store.record(entry, {"id": str(uuid.uuid4()), "type": "hours_entry.recorded", "source": "volunteer",
                             "community_id": COMMUNITY, "data": {}})
    finally:
        client.close()
    return local_day(started, "Asia/Shanghai")


def test_a_certificate_anyone_can_check_without_a_token_and_its_holder_downloads_as_pdf(
        stack, gateway_url, issuer_dir):
    coordinator = bearer(issuer_dir, "coordinator", "co-zhao")
    volunteer_id, me = volunteer_near(gateway_url, coordinator, issuer_dir, "东区 3号楼", name="刘桂芝")
    day = verified_hours(stack, volunteer_id, "刘桂芝", 150)
    certificate = ok(post(gateway_url, "/v1/certificates", me, {"from_day": day, "to_day": day}), 201)
    assert certificate["verified_minutes"] == 150 and certificate["volunteer_name"] == "刘桂芝"

    public = ok(get(gateway_url, f"/v1/certificates/{certificate['code']}"))  # no Authorization header
    assert (public["volunteer_name"], public["verified_minutes"], public["services"]) == ("刘桂芝", 150, 1)
    assert "volunteer_id" not in public
    missing = get(gateway_url, "/v1/certificates/LL-0000-0000-0000-0000")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"

    assert get(gateway_url, f"/v1/certificates/{certificate['code']}/pdf").status_code == 401
    pdf = get(gateway_url, f"/v1/certificates/{certificate['code']}/pdf", me)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and certificate["code"] in pdf.headers["content-disposition"]


def test_a_coordinator_exports_the_periods_totals_as_csv(stack, gateway_url, issuer_dir):
    coordinator = bearer(issuer_dir, "coordinator", "co-zhao")
    volunteer_id, me = volunteer_near(gateway_url, coordinator, issuer_dir, "东区 5号楼", name="陈振华")
    day = verified_hours(stack, volunteer_id, "陈振华", 90)
    export = get(gateway_url, "/v1/exports/volunteer-hours", coordinator, community_id=COMMUNITY, from_day=day,
                 to_day=day)
    assert export.status_code == 200 and export.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in export.headers["content-disposition"]
    assert f"{volunteer_id},陈振华,第一党支部,yes,1.50,90,1,0" in export.content.decode("utf-8-sig").splitlines()
    assert get(gateway_url, "/v1/exports/volunteer-hours", me, community_id=COMMUNITY, from_day=day,
               to_day=day).status_code == 403
    board = ok(get(gateway_url, "/v1/volunteer-leaderboard", me, community_id=COMMUNITY, from_day=day, to_day=day))
    assert any(row["volunteer_id"] == volunteer_id for b in board["branches"] for row in b["rows"])
