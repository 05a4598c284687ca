"""A care request's whole life through the gateway, as the people in it use it: the staff app (my jobs,
accept, en route, check in at the door, complete), the command centre (acknowledge, dispatch, override,
close), the resident (cancel a false alarm), the family (rate), the board's stream surviving a dropped
connection, and the day's figures."""
import datetime as dt
import queue
import time
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.arrange import BUILDINGS, bearer, elder_with_pager, fresh, ok, press, staff_on_shift
from tests.e2e.conftest import COMMUNITY, SseReader


def post(gateway_url, path: str, headers: dict, body: dict | None = None) -> httpx.Response:
    return httpx.post(f"{gateway_url}{path}", json=body, headers=headers, timeout=5)


def dispatched(gateway_url, operator_headers, issuer_dir, building="东区 3号楼", **elder) -> tuple[dict, str, dict]:
    """A pressed call, acknowledged and assigned to a caregiver standing nearby (the top suggestion).
    Returns (care request, caregiver id, caregiver's headers)."""
    caregiver = staff_on_shift(gateway_url, operator_headers, issuer_dir, near=building)
    _, device_id = elder_with_pager(gateway_url, operator_headers, building, **elder)
    raised = press(gateway_url, issuer_dir, device_id)
    ok(post(gateway_url, f"/v1/care-requests/{raised['id']}/acknowledge", operator_headers))
    assigned = ok(post(gateway_url, f"/v1/care-requests/{raised['id']}/assign", operator_headers,
                       {"assignee_id": caregiver}))
    return assigned, caregiver, bearer(issuer_dir, "caregiver", caregiver)


def test_a_caregiver_takes_a_job_from_their_list_through_check_in_to_completion(
        gateway_url, operator_headers, issuer_dir):
    building = "东区 5号楼"
    caregiver = staff_on_shift(gateway_url, operator_headers, issuer_dir, name="赵春梅", near=building)
    _, device_id = elder_with_pager(gateway_url, operator_headers, building)
    raised = press(gateway_url, issuer_dir, device_id)
    assert raised["position"] is not None  # the elder's home, for dispatch and the geofence
    path = f"/v1/care-requests/{raised['id']}"
    ok(post(gateway_url, f"{path}/acknowledge", operator_headers))

    candidates = ok(httpx.get(f"{gateway_url}{path}/candidates", headers=operator_headers, timeout=5))["items"]
    ours = next(c for c in candidates if c["assignee_id"] == caregiver)
    assert ours["name"] == "赵春梅" and ours["distance_m"] < 200 and ours["reasons"]
    ok(post(gateway_url, f"{path}/assign", operator_headers, {"assignee_id": caregiver}))

    me = bearer(issuer_dir, "caregiver", caregiver)
    jobs = ok(httpx.get(f"{gateway_url}/v1/me/care-requests", headers=me, timeout=5))["items"]
    assert [job["id"] for job in jobs] == [raised["id"]] and jobs[0]["status"] == "assigned"

    accepted = ok(post(gateway_url, f"{path}/accept", me))
    assert accepted["assignment"]["accepted_at"] is not None
    en_route = ok(post(gateway_url, f"{path}/en-route", me, {"eta_minutes": 6}))
    assert en_route["status"] == "en_route" and en_route["eta"] is not None

    latitude, longitude = BUILDINGS[building]
    on_site = ok(post(gateway_url, f"{path}/arrive", me,
                      {"position": {"latitude": latitude + 0.0003, "longitude": longitude}}))  # ~33 m away
    assert on_site["status"] == "on_site"
    assert on_site["visit"]["visitor_id"] == caregiver and on_site["visit"]["distance_m"] < 100

    completed = ok(post(gateway_url, f"{path}/complete", me, {"notes": "测了血压 135/85，已送午饭"}))
    assert completed["status"] == "completed" and completed["visit"]["checked_out_at"] is not None
    assert completed["visit"]["notes"] == "测了血压 135/85，已送午饭"

    closed = ok(post(gateway_url, f"{path}/close", operator_headers, {"disposition": "resolved", "note": "回访正常"}))
    assert closed["status"] == "closed" and closed["disposition"] == "resolved"
    assert [step["status"] for step in closed["history"]] == [
        "raised", "acknowledged", "assigned", "assigned", "en_route", "on_site", "completed", "closed"]

    open_jobs = ok(httpx.get(f"{gateway_url}/v1/me/care-requests", headers=me, timeout=5))["items"]
    all_jobs = ok(httpx.get(f"{gateway_url}/v1/me/care-requests", params={"include_finished": "true"},
                            headers=me, timeout=5))["items"]
    assert raised["id"] not in {job["id"] for job in open_jobs}
    assert raised["id"] in {job["id"] for job in all_jobs}


def test_a_check_in_far_from_the_home_is_refused_with_409_until_an_operator_overrides(
        gateway_url, operator_headers, issuer_dir):
    assigned, caregiver, me = dispatched(gateway_url, operator_headers, issuer_dir, building="西区 9号楼")
    path = f"/v1/care-requests/{assigned['id']}"
    ok(post(gateway_url, f"{path}/en-route", me, {"eta_minutes": 10}))
    latitude, longitude = BUILDINGS["西区 9号楼"]

    refused = post(gateway_url, f"{path}/arrive", me, {"position": {"latitude": latitude + 0.005, "longitude": longitude}})
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["type"].endswith("/failed-precondition") and " m from the elder's home" in problem["detail"]
    assert ok(httpx.get(f"{gateway_url}{path}", headers=me, timeout=5))["status"] == "en_route"

    overridden = ok(post(gateway_url, f"{path}/arrive", operator_headers,
                         {"override_reason": "手机定位漂移，电话确认已到门口"}))
    assert overridden["status"] == "on_site"
    assert overridden["visit"]["visitor_id"] == caregiver
    assert overridden["visit"]["override_reason"] == "手机定位漂移，电话确认已到门口"
    assert overridden["visit"]["override_by"] == "op-wang"

    # Overriding is the command centre's to do, not the caregiver's own.
    assert post(gateway_url, f"{path}/arrive", me, {"override_reason": "我说我到了"}).status_code == 403


def test_a_resident_cancels_their_own_false_alarm_and_it_leaves_the_board(gateway_url, operator_headers, issuer_dir):
    elder_id, device_id = elder_with_pager(gateway_url, operator_headers, "东区 7号楼")
    raised = press(gateway_url, issuer_dir, device_id)
    resident = bearer(issuer_dir, "resident", elder_id)
    mine = ok(httpx.get(f"{gateway_url}/v1/me/care-requests", headers=resident, timeout=5))["items"]
    assert [r["id"] for r in mine] == [raised["id"]]

    someone_else = bearer(issuer_dir, "resident", fresh("elder"))
    assert post(gateway_url, f"/v1/care-requests/{raised['id']}/cancel", someone_else, {"reason": "x"}).status_code == 404

    cancelled = ok(post(gateway_url, f"/v1/care-requests/{raised['id']}/cancel", resident, {"reason": "不小心按到了"}))
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "不小心按到了"
    assert cancelled["disposition"] is None  # a disposition is how a closed request ended; this one was called off
    board = ok(httpx.get(f"{gateway_url}/v1/care-requests", params={"community_id": COMMUNITY, "page_size": 200},
                         headers=operator_headers, timeout=5))["items"]
    assert raised["id"] not in {r["id"] for r in board}

    empty_reason = post(gateway_url, f"/v1/care-requests/{raised['id']}/cancel", resident, {"reason": ""})
    assert empty_reason.status_code == 422 and empty_reason.json()["errors"][0]["field"] == "reason"


def test_a_family_member_rates_their_elders_completed_visit_once(gateway_url, operator_headers, issuer_dir):
    son = fresh("user")
    assigned, _, me = dispatched(gateway_url, operator_headers, issuer_dir, building="西区 11号楼",
                                 family_user_id=son)
    path = f"/v1/care-requests/{assigned['id']}"
    latitude, longitude = BUILDINGS["西区 11号楼"]
    ok(post(gateway_url, f"{path}/arrive", me, {"position": {"latitude": latitude, "longitude": longitude}}))
    ok(post(gateway_url, f"{path}/complete", me, {"notes": "助浴完成"}))

    family = bearer(issuer_dir, "family", son, ())
    theirs = ok(httpx.get(f"{gateway_url}/v1/me/care-requests", headers=family, timeout=5))["items"]
    assert assigned["id"] in {r["id"] for r in theirs}
    rated = ok(post(gateway_url, f"{path}/rating", family, {"rating": 5, "comment": "服务很细心"}))
    assert rated["feedback"]["rating"] == 5 and rated["feedback"]["rated_by"] == son

    again = post(gateway_url, f"{path}/rating", family, {"rating": 1})
    assert again.status_code == 409
    assert post(gateway_url, f"{path}/rating", family, {"rating": 6}).status_code == 422


def frames_for(reader: SseReader, care_request_id: str, expected: int, seconds: float = 10) -> list[dict]:
    """The event frames about one care request (and any reset) until `expected` have come, and any that
    follow within a second after (duplicates would)."""
    frames, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(frames) == expected:
            deadline = min(deadline, time.monotonic() + 1)
        try:
            frame = reader.frames.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if frame["event"] == "reset" or frame["data"].get("care_request", {}).get("id") == care_request_id:
            frames.append(frame)
    return frames


def test_the_board_stream_resumes_after_a_dropped_connection_with_each_missed_event_exactly_once(
        gateway_url, operator_headers, issuer_dir):
    caregiver = staff_on_shift(gateway_url, operator_headers, issuer_dir)
    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 3号楼")
    stream = f"{gateway_url}/v1/board/stream"
    first = SseReader(stream, operator_headers)
    raised = press(gateway_url, issuer_dir, device_id)
    # (The board also carries the notify service's emergency.unreached alerts, which hold no care request.)
    seen = first.next_matching(lambda f: f["data"].get("care_request", {}).get("id") == raised["id"])
    first.close()  # the connection drops

    path = f"/v1/care-requests/{raised['id']}"
    ok(post(gateway_url, f"{path}/acknowledge", operator_headers))
    ok(post(gateway_url, f"{path}/assign", operator_headers, {"assignee_id": caregiver}))
    time.sleep(1.5)  # let the relay publish them while nobody listens

    resumed = SseReader(stream, {**operator_headers, "Last-Event-ID": seen["id"]})
    try:
        ok(post(gateway_url, f"{path}/escalate", operator_headers, {"reason": "老人未接电话"}))  # a live one
        frames = frames_for(resumed, raised["id"], expected=3)
    finally:
        resumed.close()
    assert [f["event"] for f in frames] == [
        "care_request.acknowledged", "care_request.assigned", "care_request.escalated"]
    assert len({f["id"] for f in frames}) == 3
    assert [f["data"]["care_request"]["version"] for f in frames] == [2, 3, 4]

    unknown = SseReader(f"{stream}?last_event_id=never-issued", operator_headers)
    try:
        assert unknown.next_matching(lambda f: True, timeout=5)["event"] == "reset"
    finally:
        unknown.close()


def test_the_figures_count_the_days_calls(gateway_url, operator_headers, issuer_dir):
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    figures_url = f"{gateway_url}/v1/figures/care"
    params = {"community_id": COMMUNITY, "from_day": today, "to_day": today}

    def recreation_row() -> dict:
        rows = ok(httpx.get(figures_url, params=params, headers=operator_headers, timeout=5))["items"]
        return next((r for r in rows if r["kind"] == "recreation"), {"raised": 0, "acknowledged": 0})

    before = recreation_row()
    _, device_id = elder_with_pager(gateway_url, operator_headers, "西区 9号楼")
    raised = press(gateway_url, issuer_dir, device_id, kind="recreation")
    ok(post(gateway_url, f"/v1/care-requests/{raised['id']}/acknowledge", operator_headers))

    deadline = time.monotonic() + 15  # the worker counts from events, a moment later
    while time.monotonic() < deadline:
        after = recreation_row()
        if (after["raised"], after["acknowledged"]) == (before["raised"] + 1, before["acknowledged"] + 1):
            break
        time.sleep(0.3)
    assert (after["raised"], after["acknowledged"]) == (before["raised"] + 1, before["acknowledged"] + 1)
    assert after["day"] == today and 0 <= after["acknowledged_within_sla_share"] <= 1
    assert after["acknowledge_p50_seconds"] >= 0

    resident = bearer(issuer_dir, "resident", fresh("elder"))
    assert httpx.get(figures_url, params=params, headers=resident, timeout=5).status_code == 403


def test_a_residents_own_stream_carries_their_calls_only_and_resumes_with_what_they_missed(
        gateway_url, operator_headers, issuer_dir):
    elder_id, device_id = elder_with_pager(gateway_url, operator_headers, "东区 7号楼")
    _, neighbours_device = elder_with_pager(gateway_url, operator_headers, "东区 7号楼", name="陈德福")
    stream = f"{gateway_url}/v1/me/care-requests/stream"
    resident = bearer(issuer_dir, "resident", elder_id)
    mine = SseReader(stream, resident)
    try:
        neighbours = press(gateway_url, issuer_dir, neighbours_device)
        own = press(gateway_url, issuer_dir, device_id, "meal")
        frame = mine.next_matching(lambda f: f["event"] == "care_request.raised")
        assert frame["data"]["care_request"]["id"] == own["id"] != neighbours["id"]
    finally:
        mine.close()

    # While disconnected: another call of theirs, and one of the neighbour's. Resuming brings theirs only.
    missed = press(gateway_url, issuer_dir, device_id, "shopping")
    press(gateway_url, issuer_dir, neighbours_device, "cleaning")
    resumed = SseReader(stream, {**resident, "Last-Event-ID": frame["id"]})
    try:
        first = resumed.next_matching(lambda f: True, timeout=5)
        assert (first["event"], first["data"]["care_request"]["id"]) == ("care_request.raised", missed["id"])
        with pytest.raises(AssertionError):  # nothing else: the neighbour's call is not theirs to see
            resumed.next_matching(lambda f: True, timeout=1)
    finally:
        resumed.close()
    assert httpx.get(stream, headers=operator_headers, timeout=5).status_code == 403  # operators use the board
