"""A district's busiest hour, at a multiple of its rate, against the gateway: run by bench/district_day.py
(which starts the platform, seeds it, issues the tokens and computes the rates) with locust from
.venv-bench. Only the standard library and locust here: this file never runs in Linli's virtualenv.

Every user class makes its share of the district's peak-hour requests at a constant throughput; the
rates (requests per second, already multiplied) and the tokens come from the JSON file named by
LINLI_DISTRICT_CONFIG.
"""
import json
import os
import random

from locust import FastHttpUser, constant_throughput, task

CONFIG = json.load(open(os.environ["LINLI_DISTRICT_CONFIG"]))
COMMUNITY = CONFIG["community"]


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _share(items: list, users: int):
    """Deal each user its own slice, used in turn: two requests never touch one device or staff member at
    once (a real device heartbeats every ten minutes; the few hundred seeded ones stand in for 70,000)."""
    dealt = iter(range(10**9))

    def next_slice():
        index = next(dealt) % users
        mine = items[index::users] or items
        position = iter(range(10**9))
        return lambda: mine[next(position) % len(mine)]

    return next_slice


def _pace(kind: str) -> object:
    """Each of a class's users makes rate / users requests (or stories) a second. A class with no users
    (the heartbeats, when the devices speak MQTT: bench/district_day.py --mqtt) is never started."""
    users = CONFIG["users"][kind]
    return constant_throughput(CONFIG["rates"][kind] / users if users else 1)


class DeviceHeartbeats(FastHttpUser):
    """The call devices' heartbeats (every ten minutes each): most of a district's requests."""

    fixed_count = CONFIG["users"]["heartbeat"]
    wait_time = _pace("heartbeat")
    deal = _share(CONFIG["heartbeat_devices"], fixed_count)

    def on_start(self):
        self.next_device = DeviceHeartbeats.deal()

    @task
    def heartbeat(self):
        device, token = self.next_device()
        self.client.post(f"/v1/devices/{device}/heartbeat", json={"battery_percent": random.randint(30, 100)},
                         headers=_bearer(token), name="POST /v1/devices/{id}/heartbeat")


class CallStories(FastHttpUser):
    """One call from press to closing, as the command centre works it (the simulator's story)."""

    fixed_count = CONFIG["users"]["call"]
    wait_time = _pace("call")
    deal = _share(CONFIG["press_devices"], fixed_count)

    def on_start(self):
        self.next_device = CallStories.deal()

    @task
    def call(self):
        device, token = self.next_device()
        operator = _bearer(CONFIG["operator_tokens"][0])
        with self.client.post(f"/v1/devices/{device}/press", json={"kind": "emergency"}, headers=_bearer(token),
                              name="POST /v1/devices/{id}/press", catch_response=True) as pressed:
            if pressed.status_code != 201:
                pressed.failure(f"{pressed.status_code}")
                return
            request_id = pressed.json()["id"]
        base = f"/v1/care-requests/{request_id}"
        candidates = self.client.get(f"{base}/candidates", headers=operator, name="GET /v1/care-requests/{id}/candidates")
        items = candidates.json()["items"] if candidates.status_code == 200 else []
        if not items:
            self.client.post(f"{base}/close", json={"disposition": "no_access"}, headers=operator,
                             name="POST /v1/care-requests/{id}/close")
            return
        chosen = items[0]
        staff = _bearer(CONFIG["staff_tokens"][chosen["assignee_id"]])
        self.client.post(f"{base}/assign", json={"assignee_id": chosen["assignee_id"], "assignee_kind": "staff"},
                         headers=operator, name="POST /v1/care-requests/{id}/assign")
        self.client.post(f"{base}/en-route", json={"eta_minutes": 5}, headers=staff,
                         name="POST /v1/care-requests/{id}/en-route")
        self.client.post(f"{base}/arrive", json={"override_reason": "电话确认已到门口"}, headers=operator,
                         name="POST /v1/care-requests/{id}/arrive")
        self.client.post(f"{base}/complete", json={"notes": "服务完成"}, headers=staff,
                         name="POST /v1/care-requests/{id}/complete")
        self.client.post(f"{base}/close", json={"disposition": "resolved"}, headers=operator,
                         name="POST /v1/care-requests/{id}/close")


class OperatorBoards(FastHttpUser):
    """Each community's operators reload the open calls every 30 s (the live board streams the rest)."""

    fixed_count = CONFIG["users"]["board"]
    wait_time = _pace("board")

    @task
    def open_calls(self):
        self.client.get(f"/v1/care-requests?community_id={COMMUNITY}",
                        headers=_bearer(random.choice(CONFIG["operator_tokens"])), name="GET /v1/care-requests")


class StaffPositions(FastHttpUser):
    """Staff on shift report where they are every five minutes (dispatch ranks by distance)."""

    fixed_count = CONFIG["users"]["position"]
    wait_time = _pace("position")
    deal = _share(list(CONFIG["staff_tokens"].values()), fixed_count)

    def on_start(self):
        self.next_token = StaffPositions.deal()

    @task
    def position(self):
        token = self.next_token()
        self.client.post("/v1/me/position", json={"latitude": 41.881 + random.uniform(-0.002, 0.002),
                                                  "longitude": 123.957 + random.uniform(-0.003, 0.003)},
                         headers=_bearer(token), name="POST /v1/me/position")


class Families(FastHttpUser):
    """Family members look at their elder's requests."""

    fixed_count = CONFIG["users"]["family"]
    wait_time = _pace("family")

    @task
    def my_requests(self):
        self.client.get("/v1/me/care-requests", headers=_bearer(random.choice(CONFIG["family_tokens"])),
                        name="GET /v1/me/care-requests")


class Menus(FastHttpUser):
    """Elders and families look at the canteen's menu before ordering."""

    fixed_count = CONFIG["users"]["menu"]
    wait_time = _pace("menu")

    @task
    def menu(self):
        self.client.get(f"/v1/menus/{COMMUNITY}/{CONFIG['menu_day']}",
                        headers=_bearer(random.choice(CONFIG["family_tokens"])), name="GET /v1/menus/{community}/{day}")
