"""The staffing planner through the gateway: an administrator plans the community's staff as JSON, CSV or
the chart, or watches the run's progress as a stream; refusals are problems; the page is served."""
import json

import httpx
import pytest

from tests.e2e.conftest import COMMUNITY, token_for

ROSTER = [{"name": "day", "starts_hour": 8, "ends_hour": 20, "operators": 1, "caregivers": 4},
          {"name": "night", "starts_hour": 20, "ends_hour": 8, "operators": 1, "caregivers": 2}]


@pytest.fixture(scope="module")
def admin(gateway_url, issuer_dir):
    headers = {"Authorization": f"Bearer {token_for(issuer_dir, 'administrator', 'admin-zhao')}"}
    with httpx.Client(base_url=gateway_url, headers=headers, timeout=120) as client:
        yield client


def plan_body(**changes) -> dict:
    return {"community_id": COMMUNITY, "shifts": ROSTER, "days": 2, "seed": 3, "use_default_profile": True,
            "default_profile_elders": 400, **changes}


def test_an_administrator_gets_the_plan_as_json_csv_and_the_chart(admin):
    plan = admin.post("/v1/roster-plans", json=plan_body())
    assert plan.status_code == 200, plan.text
    document = plan.json()
    assert document["profile_is_default"] and "default profile for 400 elders" in document["profile_source"]
    assert [f["shift"] for f in document["figures"]] == ["day", "night"]
    assert {w["kind"] for f in document["figures"] for w in f["waits"]} <= {
        "meal", "shopping", "bathing", "cleaning", "medical", "emergency", "recreation", "mobility"}
    csv = admin.post("/v1/roster-plans", params={"format": "csv"}, json=plan_body())
    assert csv.headers["content-type"].startswith("text/csv") and csv.text == document["figures_csv"]
    svg = admin.post("/v1/roster-plans", params={"format": "svg"}, json=plan_body())
    assert svg.headers["content-type"] == "image/svg+xml" and svg.text == document["chart_svg"]


def test_the_stream_shows_progress_then_the_plan(admin):
    events = []
    with admin.stream("POST", "/v1/roster-plans/progress", json=plan_body()) as response:
        assert response.status_code == 200
        for chunk in response.iter_text():
            events.append(chunk)
    text = "".join(events)
    blocks = [b for b in text.split("\n\n") if b.strip()]
    kinds = [b.split("\n")[0].removeprefix("event: ") for b in blocks]
    assert kinds == ["progress", "progress", "plan"]
    assert json.loads(blocks[0].split("data: ", 1)[1]) == {"message": "day 1 of 2", "done": 1, "total": 2}


def test_refusals_are_problems_naming_the_reason(admin):
    no_history = admin.post("/v1/roster-plans", json=plan_body(use_default_profile=False, community_id="xinhe-9"))
    assert no_history.status_code == 403  # the administrator does not serve that community
    quiet = admin.post("/v1/roster-plans", json=plan_body(use_default_profile=False))
    assert quiet.status_code == 409 and "no care-request history" in quiet.json()["detail"]
    impossible = admin.post("/v1/roster-plans", json=plan_body(shifts=[{**ROSTER[0], "operators": 0}, ROSTER[1]]))
    assert impossible.status_code == 409
    assert "day: calls come in but no operator is on shift" in impossible.json()["detail"]
    gap = admin.post("/v1/roster-plans", json=plan_body(shifts=ROSTER[:1]))
    assert gap.status_code == 400 and "uncovered hours" in gap.json()["detail"]
    malformed = admin.post("/v1/roster-plans", json=plan_body(days=0))
    assert malformed.status_code in (400, 422) and malformed.headers["content-type"] == "application/problem+json"


def test_the_administrators_page_is_served_with_its_script_and_a_strict_policy(gateway_url):
    page = httpx.get(f"{gateway_url}/staffing/", timeout=10)
    assert page.status_code == 200 and "staffing.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert httpx.get(f"{gateway_url}/staffing/staffing.js", timeout=10).status_code == 200
