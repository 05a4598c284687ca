"""The canteen through the whole platform: an operator sets tomorrow's menu over HTTP, a resident orders
to eat in and to have one delivered (which raises a meal care request), retries safely, cancels, and
the canteen reads its figures."""
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import token_for

# Tomorrow in the community's zone: its 09:30 cutoff is always ahead, so no test waits on the clock.
TOMORROW = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)).isoformat()
PILOT_MENU = {
    "dishes": [{"name": "茄汁鱼"}, {"name": "酱鸡脖"}, {"name": "油焖尖椒"}, {"name": "熘豆腐", "note": "少盐"}],
    "price_fen": 1000, "order_cutoff": "09:30", "dine_in": True, "delivery": True, "delivery_fee_fen": 200,
}


@pytest.fixture(scope="module")
def community():
    return f"e2e-meals-{uuid.uuid4().hex[:8]}"  # its own community, so its figures are this test's alone


@pytest.fixture(scope="module")
def headers(issuer_dir, community):
    def bearer(role, subject):
        return {"Authorization": f"Bearer {token_for(issuer_dir, role, subject, [community])}"}

    return {"operator": bearer("operator", "op-canteen"), "resident": bearer("resident", "elder-meal-1"),
            "neighbour": bearer("resident", "elder-meal-2")}


def order(gateway_url, community, headers, key=None, **fields):
    body = {"community_id": community, "elder_id": "elder-meal-1", "day": TOMORROW, "mode": "dine_in", **fields}
    extra = {"Idempotency-Key": key} if key else {}
    return httpx.post(f"{gateway_url}/v1/meal-orders", json=body, headers={**headers, **extra}, timeout=10)


def test_a_day_of_the_canteen_through_the_gateway(gateway_url, community, headers):
    menu_url = f"{gateway_url}/v1/menus/{community}/{TOMORROW}"
    refused = httpx.put(menu_url, json=PILOT_MENU, headers=headers["resident"], timeout=10)
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("application/problem+json")
    assert httpx.get(menu_url, headers=headers["resident"], timeout=10).status_code == 404

    menu = httpx.put(menu_url, json=PILOT_MENU, headers=headers["operator"], timeout=10)
    assert menu.status_code == 200, menu.text
    read = httpx.get(menu_url, headers=headers["resident"], timeout=10).json()
    assert [dish["name"] for dish in read["dishes"]] == ["茄汁鱼", "酱鸡脖", "油焖尖椒", "熘豆腐"]
    assert read["price_fen"] == 1000 and read["order_cutoff"] == "09:30"

    key = f"app-{uuid.uuid4().hex[:12]}"
    eat_in = order(gateway_url, community, headers["resident"], key=key, quantity=2)
    assert eat_in.status_code == 201, eat_in.text
    assert eat_in.json()["total_fen"] == 2000 and eat_in.json()["care_request_id"] is None
    retried = order(gateway_url, community, headers["resident"], key=key, quantity=2)
    assert retried.json()["id"] == eat_in.json()["id"]

    home = order(gateway_url, community, headers["resident"], mode="delivery", note="放门口",
                 location={"building": "东区 3号楼", "unit": "2单元", "floor": 4})
    assert home.status_code == 201, home.text
    delivery = home.json()
    assert delivery["total_fen"] == 1200 and delivery["status"] == "placed"
    courier_job = httpx.get(f"{gateway_url}/v1/care-requests/{delivery['care_request_id']}",
                            headers=headers["operator"], timeout=10).json()
    assert courier_job["kind"] == "meal" and courier_job["description"].startswith("送餐: 茄汁鱼")

    mine = httpx.get(f"{gateway_url}/v1/meal-orders", headers=headers["resident"], timeout=10).json()["items"]
    assert {o["id"] for o in mine} == {eat_in.json()["id"], delivery["id"]}
    day = httpx.get(f"{gateway_url}/v1/meal-orders", params={"community_id": community, "day": TOMORROW},
                    headers=headers["operator"], timeout=10).json()["items"]
    assert len(day) == 2

    cancel_url = f"{gateway_url}/v1/meal-orders/{delivery['id']}/cancel"
    assert httpx.post(cancel_url, json={}, headers=headers["neighbour"], timeout=10).status_code == 404
    cancelled = httpx.post(cancel_url, json={"reason": "女儿接我去她家"}, headers=headers["resident"], timeout=10)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    courier_job = httpx.get(f"{gateway_url}/v1/care-requests/{delivery['care_request_id']}",
                            headers=headers["operator"], timeout=10).json()
    assert courier_job["status"] == "cancelled"

    figures = httpx.get(f"{gateway_url}/v1/meal-figures/{community}", params={"from_day": TOMORROW},
                        headers=headers["operator"], timeout=10)
    assert figures.status_code == 200, figures.text
    assert figures.json()["items"] == [
        {"day": TOMORROW, "mode": "delivery", "orders": 0, "meals": 0, "cancelled": 1, "revenue_fen": 0},
        {"day": TOMORROW, "mode": "dine_in", "orders": 1, "meals": 2, "cancelled": 0, "revenue_fen": 2000},
    ]


@pytest.mark.parametrize("change, field", [
    ({"price_fen": 10.5}, "price_fen"),  # money is integer fen, never a float
    ({"price_fen": "1000"}, "price_fen"),
    ({"order_cutoff": "9:30"}, "order_cutoff"),
    ({"dishes": []}, "dishes"),
    ({"spicy": True}, "spicy"),
])
def test_a_bad_menu_gets_a_problem_naming_the_field(gateway_url, community, headers, change, field):
    response = httpx.put(f"{gateway_url}/v1/menus/{community}/{TOMORROW}", json={**PILOT_MENU, **change},
                         headers=headers["operator"], timeout=10)
    assert response.status_code == 422
    assert any(field in error["field"] for error in response.json()["errors"])


def test_four_meals_in_one_order_are_refused(gateway_url, community, headers):
    response = order(gateway_url, community, headers["resident"], quantity=4)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["quantity"]
