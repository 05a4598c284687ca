"""The authorization matrix of elder care: every endpoint × every role × the caller's own object and someone else's,
generated from the one table below (TABLE), each cell a test that asserts the status the gateway answers.

Own and foreign, per role:
- resident: their own records (they are the elder) / a neighbour's in the same community;
- family: their elder's (they are the elder's registered contact) / a neighbour's;
- caregiver, volunteer: a request assigned to them (a caregiver's own staff record) / one assigned to
  someone else in the same community;
- device: the elder's pager itself / the neighbour's pager;
- operator, administrator and the roles of the other services (clinician, employer, counsellor,
  coordinator): their community's records / another community's.
Endpoints that address a community (lists, figures, menus, creating staff or elders) take the caller's
community and another one, whatever the role. Endpoints that address nothing (the caller's own lists and
streams) have an "own" cell only.

Everything is set up through the API, once per session; a cell that expects success gets an object of
its own (in the state the endpoint needs), so cells never depend on each other's order. A cell the
platform gets wrong is listed in KNOWN_GAPS with the reason it was reported: a strict xfail, which turns
red the day the gap is closed, so the table is updated with the fix.

The other services' tables are in test_authorization_matrix_<service>.py, on the same machinery
(tests/e2e/matrix.py).
"""
import datetime as dt
import uuid
from dataclasses import dataclass

import httpx
import pytest

from tests.e2e import matrix
from tests.e2e.arrange import BUILDINGS
from tests.e2e.conftest import COMMUNITY
from tests.e2e.matrix import ELSEWHERE, TODAY, TOMORROW, Row, assert_cell, cells, every, uncovered_routes

HOME = BUILDINGS["东区 5号楼"]
STAFF = ("operator", "administrator")
FAMILY = ("resident", "family")
ASSIGNEES = ("caregiver", "volunteer")


def _new_request(target, bundle):
    return {"community_id": bundle.community, "elder_id": bundle.elder, "kind": "shopping", "channel": "phone"}


def _booked_visit(target, bundle):
    """A visit booked for later: operators only (residents and families raise calls for now)."""
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)
    return {**_new_request(target, bundle), "scheduled_for": when.isoformat()}


def _new_order(target, bundle):
    return {"community_id": bundle.community, "elder_id": bundle.elder, "day": TOMORROW, "mode": "dine_in"}


def _new_elder(target, bundle):
    return {"id": f"mx-elder-{uuid.uuid4().hex[:8]}", "community_id": bundle.community, "name": "赵淑华"}


def _new_device(target, bundle):
    return {"id": f"mx-pager-{uuid.uuid4().hex[:8]}", "elder_id": bundle.elder, "kind": "pager"}


def _new_staff(target, bundle):
    return {"id": f"mx-cg-{uuid.uuid4().hex[:8]}", "community_id": bundle.community, "name": "孙丽",
            "skills": ["shopping"]}


def _assign(target, bundle):
    return {"assignee_id": bundle.caregiver, "assignee_kind": "staff", "override_reason": "authorization matrix"}


_MENU = {"dishes": [{"name": "茄汁鱼"}], "price_fen": 1000, "order_cutoff": "09:30", "dine_in": True}
_REASON = {"reason": "authorization matrix"}

TABLE = [
    # -- care requests ------------------------------------------------------------------------------------
    # A call device raises calls only by pressing, as itself (POST /v1/devices/{id}/press).
    Row("POST", "/v1/care-requests", "elder",
        own=every(201, *STAFF, *FAMILY), others=403,
        foreign_others=403, body=_new_request),
    Row("POST", "/v1/care-requests", "elder",
        own={**every(201, *STAFF), **every(403, *FAMILY)}, others=403,
        foreign_others=403, body=_booked_visit, label="booked for later"),
    Row("GET", "/v1/care-requests?community_id={id}", "community",
        own={**every(200, *STAFF, "resident")}, others=403, foreign_others=403),
    Row("GET", "/v1/care-requests/upcoming?community_id={id}", "community",
        own={**every(200, *STAFF, "resident")}, others=403, foreign_others=403),
    Row("GET", "/v1/care-requests/{id}", "care_request@assigned",
        own=every(200, *STAFF, *FAMILY, *ASSIGNEES), others=404),
    Row("POST", "/v1/care-requests/{id}/acknowledge", "care_request@raised",
        own={**every(200, *STAFF), **every(403, *FAMILY)}, others=404),
    Row("GET", "/v1/care-requests/{id}/candidates", "care_request@raised",
        own={**every(200, *STAFF), **every(403, *FAMILY)}, others=404),
    Row("POST", "/v1/care-requests/{id}/assign", "care_request@raised",
        own={**every(200, *STAFF), **every(403, *FAMILY)}, others=404, body=_assign),
    Row("POST", "/v1/care-requests/{id}/escalate", "care_request@raised",
        own={**every(200, *STAFF), **every(403, *FAMILY)}, others=404, body=_REASON),
    Row("POST", "/v1/care-requests/{id}/close", "care_request@raised",
        own={**every(200, *STAFF), **every(403, *FAMILY)}, others=404, body={"disposition": "no_access"}),
    Row("POST", "/v1/care-requests/{id}/cancel", "care_request@raised",
        own=every(200, *STAFF, *FAMILY), others=404, body=_REASON),
    Row("POST", "/v1/care-requests/{id}/accept", "care_request@assigned",
        own={**every(200, *ASSIGNEES), **every(403, *STAFF, *FAMILY)}, others=404),
    Row("POST", "/v1/care-requests/{id}/decline", "care_request@assigned",
        own={**every(200, *ASSIGNEES), **every(403, *STAFF, *FAMILY)}, others=404, body=_REASON),
    Row("POST", "/v1/care-requests/{id}/en-route", "care_request@assigned",
        own={**every(200, *ASSIGNEES), **every(403, *STAFF, *FAMILY)}, others=404, body={"eta_minutes": 10}),
    Row("POST", "/v1/care-requests/{id}/arrive", "care_request@en_route",
        own={**every(200, *ASSIGNEES), **every(403, *STAFF, *FAMILY)}, others=404,
        body={"position": {"latitude": HOME[0], "longitude": HOME[1]}}),
    Row("POST", "/v1/care-requests/{id}/complete", "care_request@on_site",
        own={**every(200, *ASSIGNEES, *STAFF), **every(403, *FAMILY)}, others=404, body={"notes": "买了米和油"}),
    Row("POST", "/v1/care-requests/{id}/rating", "care_request@completed",
        own={**every(200, *FAMILY), **every(403, *STAFF, *ASSIGNEES)}, others=404, body={"rating": 5}),
    Row("GET", "/v1/me/care-requests", "none",
        own=every(200, *FAMILY, *ASSIGNEES), others=403, foreign_others=None),
    Row("GET", f"/v1/figures/care?community_id={{id}}&from_day={TODAY}", "community",
        own=every(200, *STAFF), others=403, foreign_others=403),
    Row("GET", "/v1/board/stream", "none", own=every(200, *STAFF), others=403, foreign_others=None),
    Row("GET", "/v1/me/care-requests/stream", "none",
        own=every(200, *FAMILY, *ASSIGNEES), others=403, foreign_others=None),
    # -- calls: TURN credentials and the signalling room of a care request (its terminal and operators) ----
    Row("GET", "/v1/calls/ice-servers", "none", own=every(200, *STAFF, *FAMILY, "device", "clinician"), others=403,
        foreign_others=None),
    Row("GET", "/v1/rooms/care-request/{id}/signals", "care_request@assigned",
        own={**every(200, *STAFF, "device"), **every(403, *FAMILY, *ASSIGNEES)}, others=404),
    Row("POST", "/v1/rooms/care-request/{id}/signals", "care_request@assigned",
        own={**every(202, *STAFF, "device"), **every(403, *FAMILY, *ASSIGNEES)}, others=404,
        body={"type": "hangup", "reason": "hung_up"}),
    # The bundle's pager has a speakerphone: its presses ring (care_request@assigned has a call ringing).
    Row("POST", "/v1/care-requests/{id}/call/answer", "care_request@assigned",
        own={**every(200, *STAFF), **every(403, *FAMILY, *ASSIGNEES, "device")}, others=404),
    Row("POST", "/v1/care-requests/{id}/call/end", "care_request@assigned",
        own={**every(200, *STAFF, "device"), **every(403, *FAMILY, *ASSIGNEES)}, others=404,
        body={"reason": "hung_up"}),
    Row("POST", "/v1/care-requests/{id}/call", "care_request@raised",
        own={**every(201, *STAFF), **every(403, *FAMILY)}, others=404, body={}),
    # A third person in a call: the operator on it invites (the bundle's operator answered care_request@in_call,
    # which is nobody's job yet);
    # a specialist's routes open with the invitation's token alone, never with a bearer token.
    Row("POST", "/v1/care-requests/{id}/call/invitations", "care_request@in_call",
        own={"operator": 201, **every(403, "administrator", *FAMILY)}, others=404,
        body={"guest": "clinician", "subject": "mx-dr-sun"}),
    Row("GET", "/v1/care-requests/{id}/call/guest/signals", "care_request@in_call", own={}, others=401,
        foreign_others=401),
    Row("POST", "/v1/care-requests/{id}/call/guest/signals", "care_request@in_call", own={}, others=401,
        foreign_others=401, body={"type": "hangup", "reason": "hung_up"}),
    Row("GET", "/v1/care-requests/{id}/call/guest/ice-servers", "care_request@in_call", own={}, others=401,
        foreign_others=401),
    # Recordings: the operator on the call stores (409 here: the bundle's elder has not consented to
    # recording); staff of the community list and fetch; administrators read the audit.
    Row("POST", "/v1/care-requests/{id}/call/recordings", "care_request@in_call",
        own={"operator": 409, **every(403, "administrator", *FAMILY)}, others=404, body={}),
    Row("GET", "/v1/care-requests/{id}/call/recordings", "care_request@in_call",
        own={**every(200, *STAFF), **every(403, *FAMILY)}, others=404),
    Row("GET", "/v1/care-requests/{id}/call/recordings/00000000-0000-0000-0000-000000000000",
        "care_request@in_call", own={**every(404, *STAFF), **every(403, *FAMILY)}, others=404),
    Row("GET", "/v1/care-requests/{id}/call/recording-accesses", "care_request@in_call",
        own={"administrator": 200, **every(403, "operator", *FAMILY)}, others=404),
    Row("GET", "/v1/rooms/terminal/{id}/signals", "device", own=every(200, "device"), others=404),
    Row("POST", "/v1/rooms/terminal/{id}/signals", "device", own=every(403, "device"), others=404,
        body={"type": "hangup"}),
    # -- staff --------------------------------------------------------------------------------------------
    Row("POST", "/v1/staff", "community", own=every(201, *STAFF), others=403, foreign_others=403, body=_new_staff),
    Row("GET", "/v1/staff?community_id={id}", "community", own=every(200, *STAFF), others=403, foreign_others=403),
    Row("GET", "/v1/staff/{id}", "staff", own=every(200, *STAFF, "caregiver"), others=404),
    Row("POST", "/v1/staff/{id}/shift/start", "staff", own=every(200, *STAFF, "caregiver"), others=404),
    Row("POST", "/v1/staff/{id}/shift/end", "staff", own=every(200, *STAFF, "caregiver"), others=404),
    Row("POST", "/v1/me/position", "none", own=every(200, "caregiver"), others=404, foreign_others=None,
        body={"latitude": HOME[0], "longitude": HOME[1]}),
    # -- elders and devices -------------------------------------------------------------------------------
    Row("POST", "/v1/elders", "community", own=every(201, *STAFF), others=403, foreign_others=403, body=_new_elder),
    Row("GET", "/v1/elders?community_id={id}", "community",
        own=every(200, *STAFF, *FAMILY), others=403, foreign={**every(200, *FAMILY)}, foreign_others=403),
    Row("GET", "/v1/elders/{id}", "elder", own=every(200, *STAFF, *FAMILY, "caregiver"), others=404),
    Row("PATCH", "/v1/elders/{id}", "elder", own={**every(200, *STAFF, "resident"), **every(403, "family", "caregiver")},
        others=404, body={"phone": "138 0413 2277"}),
    Row("PUT", "/v1/elders/{id}/consents/health", "elder",
        own={**every(200, *STAFF, "resident"), **every(403, "family", "caregiver")}, others=404, body={"granted": False}),
    Row("POST", "/v1/devices", "elder", own={**every(201, *STAFF), **every(403, *FAMILY, "caregiver")}, others=404,
        body=_new_device),
    Row("POST", "/v1/devices/{id}/heartbeat", "device", own=every(200, *STAFF, "device"), others=403,
        foreign_others=403, body={"battery_percent": 80}),
    Row("POST", "/v1/devices/{id}/press", "device", own=every(201, *STAFF, "device"), others=403,
        foreign_others=403, body={"kind": "cleaning"}),
    Row("POST", "/v1/devices/{id}/rotate-secret", "device", own=every(200, *STAFF), others=403, foreign_others=403),
    # A spare device of the elder's: revoking the bundle's pager would stop its presses in the other rows.
    Row("POST", "/v1/devices/{id}/revoke", "spare_device", own=every(200, *STAFF), others=403, foreign_others=403),
    Row("GET", "/v1/devices/maintenance-alerts?community_id={id}", "community", own=every(200, *STAFF), others=403,
        foreign_others=403),
    Row("POST", "/v1/devices/maintenance-alerts/{id}/resolve", "alert", own=every(200, *STAFF), others=404,
        body={"note": "换了电池"}),
    # -- meals --------------------------------------------------------------------------------------------
    Row("GET", f"/v1/menus/{{id}}/{TOMORROW}", "community", own={}, others=200, foreign_others=403),
    Row("PUT", f"/v1/menus/{{id}}/{TOMORROW}", "community", own=every(200, *STAFF), others=403, foreign_others=403,
        body=_MENU),
    Row("POST", "/v1/meal-orders", "elder", own=every(201, *STAFF, *FAMILY), others=403, foreign_others=403,
        body=_new_order),
    Row("GET", f"/v1/meal-orders?community_id={{id}}&day={TOMORROW}", "community", own=every(200, *STAFF),
        others=403, foreign_others=403),
    Row("GET", "/v1/meal-orders", "none", own=every(200, *FAMILY), others=403, foreign_others=None),
    Row("POST", "/v1/meal-orders/{id}/cancel", "meal_order", own=every(200, *STAFF, *FAMILY), others=404,
        body={"reason": "去女儿家吃"}),
    Row("POST", "/v1/meal-orders/{id}/serve", "meal_order", own={**every(200, *STAFF), **every(403, *FAMILY)},
        others=404),
    Row("GET", f"/v1/meal-figures/{{id}}?from_day={TOMORROW}", "community", own=every(200, *STAFF), others=403,
        foreign_others=403),
]

# (method path, role, own|foreign) → why the platform answers otherwise today, as reported to the lead.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


CELLS = cells(TABLE, KNOWN_GAPS)


# -- the world the cells act in ------------------------------------------------------------------------------

@dataclass
class Bundle:
    """An elder with their family member and pager, the caregiver and volunteer sent to them, in a community."""

    community: str
    elder: str
    family: str
    device: str
    caregiver: str
    volunteer: str


class World(matrix.World):
    def __init__(self, gateway_url: str, issuer_dir: str):
        super().__init__(gateway_url, issuer_dir)
        self.setup = self.token("operator", "mx-op", (COMMUNITY, ELSEWHERE))
        for community in (COMMUNITY, ELSEWHERE):
            self.ok("PUT", f"/v1/menus/{community}/{TOMORROW}", json=_MENU)
        self.own = self._bundle(COMMUNITY, "own")
        self.neighbour = self._bundle(COMMUNITY, "neighbour")
        self.elsewhere = self._bundle(ELSEWHERE, "elsewhere")

    def _bundle(self, community: str, who: str) -> Bundle:
        tag = f"{who}-{self.tag}"
        bundle = Bundle(community, f"mx-elder-{tag}", f"mx-family-{tag}", f"mx-pager-{tag}", f"mx-cg-{tag}",
                        f"mx-vol-{tag}")
        self.ok("POST", "/v1/elders", json={
            "id": bundle.elder, "community_id": community, "name": "刘桂兰", "phone": "138 0413 1001",
            "address": {"building": "东区 5号楼", "unit": "1单元", "floor": 3, "room": "301",
                        "position": {"latitude": HOME[0], "longitude": HOME[1]}},
            "contacts": [{"name": "王磊", "relation": "儿子", "phone": "139 0413 3002", "user_id": bundle.family,
                          "holds_key": True}]})
        self.ok("PUT", f"/v1/elders/{bundle.elder}/consents/location", json={"granted": True})
        self.ok("POST", "/v1/devices", json={"id": bundle.device, "elder_id": bundle.elder, "kind": "pager",
                                             "speakerphone": True})
        self.ok("POST", "/v1/staff", json={"id": bundle.caregiver, "community_id": community, "name": "李秀英",
                                           "skills": ["shopping", "cleaning", "emergency"]})
        self.ok("POST", f"/v1/staff/{bundle.caregiver}/shift/start")
        # A request assigned to the caregiver and one to the volunteer, still open: the caregiver may see the
        # elder while on a job there.
        self.care_request(bundle, "assigned", "staff")
        self.care_request(bundle, "assigned", "volunteer")
        return bundle

    def headers(self, role: str, bundle: Bundle) -> dict:
        """The role's token: the bundle's people act as themselves, everyone else as a community member."""
        subject = {"resident": bundle.elder, "family": bundle.family, "caregiver": bundle.caregiver,
                   "volunteer": bundle.volunteer, "device": bundle.device}.get(role, f"mx-{role}-{self.tag}")
        return self.token(role, subject, (bundle.community,))

    def care_request(self, bundle: Bundle, state: str, assignee_kind: str = "staff") -> str:
        """A fresh care request for the bundle's elder, walked to `state` by the people who would."""
        if state == "raised":
            return self.ok("POST", "/v1/care-requests", json={"community_id": bundle.community, "elder_id": bundle.elder,
                                                              "kind": "shopping", "channel": "phone"})["id"]
        if state == "in_call":  # pressed, and the call answered by the bundle's operator
            request = self.ok("POST", f"/v1/devices/{bundle.device}/press", json={"kind": "shopping"})
            self.ok("POST", f"/v1/care-requests/{request['id']}/call/answer", headers=self.headers("operator", bundle))
            return request["id"]
        # Pressed on the pager, so it carries the elder's home position (they consented) for the check-in.
        # Assigned at once: a press while another is still only raised would be the same call.
        request = self.ok("POST", f"/v1/devices/{bundle.device}/press", json={"kind": "shopping"})
        path = f"/v1/care-requests/{request['id']}"
        assignee = bundle.caregiver if assignee_kind == "staff" else bundle.volunteer
        self.ok("POST", f"{path}/assign", json={"assignee_id": assignee, "assignee_kind": assignee_kind,
                                                "override_reason": "authorization matrix"})
        person = self.headers("caregiver" if assignee_kind == "staff" else "volunteer", bundle)
        for step, reached, body in (("en-route", "en_route", {"eta_minutes": 10}),
                                    ("arrive", "on_site", {"position": {"latitude": HOME[0], "longitude": HOME[1]}}),
                                    ("complete", "completed", {})):
            if state == "assigned":
                break
            self.ok("POST", f"{path}/{step}", headers=person, json=body)
            if state == reached:
                break
        return request["id"]

    def target(self, row: Row, role: str, which: str, fresh: bool) -> tuple[Bundle, str]:
        """(the bundle acted on, what {id} stands for)."""
        kind, _, state = row.target.partition("@")
        bundle = self.bundle_for(role, which, kind)
        # The volunteer's own requests are those assigned to them.
        assignee_kind = "volunteer" if role == "volunteer" and which == "own" else "staff"
        if kind == "care_request":
            return bundle, self._shared((kind, bundle.elder, state, assignee_kind),
                                        lambda: self.care_request(bundle, state, assignee_kind), fresh)
        if kind == "community":
            return bundle, bundle.community
        if kind in ("elder", "none"):
            return bundle, bundle.elder
        if kind == "device":
            return bundle, bundle.device
        if kind == "spare_device":
            return bundle, self._shared((kind, bundle.elder), lambda: self.ok(
                "POST", "/v1/devices", json=_new_device(None, bundle))["id"], fresh)
        if kind == "staff":
            return bundle, bundle.caregiver
        if kind == "meal_order":
            return bundle, self._shared((kind, bundle.elder), lambda: self.ok(
                "POST", "/v1/meal-orders", json=_new_order(None, bundle))["id"], fresh)
        if kind == "alert":
            return bundle, self._shared((kind, bundle.device), lambda: self._low_battery_alert(bundle), fresh)
        raise ValueError(row.target)

    def _low_battery_alert(self, bundle: Bundle) -> str:
        self.ok("POST", f"/v1/devices/{bundle.device}/heartbeat", json={"battery_percent": 100})
        self.ok("POST", f"/v1/devices/{bundle.device}/heartbeat", json={"battery_percent": 5})
        alerts = self.ok("GET", f"/v1/devices/maintenance-alerts?community_id={bundle.community}")["items"]
        return next(a["id"] for a in alerts if a["device_id"] == bundle.device and a["resolved_at"] is None)

    def call(self, row: Row, role: str, which: str) -> tuple[int, str]:
        bundle, target = self.target(row, role, which, fresh=row.expected(role, which) < 300)
        # The caller is always themselves; only the object changes.
        return self.send(row, bundle, target, self.headers(role, self.own))


@pytest.fixture(scope="session")
def world(gateway_url, issuer_dir):
    world = World(gateway_url, issuer_dir)
    yield world
    world.close()


@pytest.mark.parametrize("row, role, which", CELLS)
def test_authorization(world, row, role, which):
    assert_cell(world, row, role, which)


def test_the_matrix_covers_every_eldercare_route(gateway_url):
    """A route added without a row here fails this test."""
    assert uncovered_routes(gateway_url, TABLE, ELDERCARE_PREFIXES, frozenset({"health", "location", "care-request", "terminal"})) == []


ELDERCARE_PREFIXES = ("/v1/care-requests", "/v1/me/care-requests", "/v1/figures", "/v1/board", "/v1/staff",
                      "/v1/me/position", "/v1/elders", "/v1/devices", "/v1/menus", "/v1/meal-orders",
                      "/v1/meal-figures", "/v1/calls", "/v1/rooms")


# -- every route of every service refuses a caller without a valid token --------------------------------------

def _operations_needing_a_token(gateway_url: str) -> list[tuple[str, str]]:
    document = httpx.get(f"{gateway_url}/openapi.json", timeout=5).json()
    return [(method.upper(), path) for path, item in document["paths"].items() for method, operation in item.items()
            if operation.get("security")]


def _unsigned_token() -> str:
    import base64
    import json
    import time

    def b64(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    claims = {"iss": "linli-dev", "aud": "linli", "sub": "mx-intruder", "exp": int(time.time()) + 600,
              "roles": ["administrator"], "communities": ["*"]}
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


def test_every_route_of_every_service_refuses_a_missing_or_unsigned_token(gateway_url):
    """Beyond the table (which covers eldercare role by role): no route of any service, clinic, employment
    and volunteer included, forgot to ask for a token, or takes an unsigned one (`alg: none`). The other
    token attacks (expired, wrong issuer or audience, HS256 with the public key) are in
    tests/unit/test_gateway_auth.py; they take the same path."""
    operations = _operations_needing_a_token(gateway_url)
    assert len(operations) > 100
    let_through = []
    with httpx.Client(base_url=gateway_url, timeout=10) as client:
        for method, path in operations:
            url = path.replace("{", "").replace("}", "")  # any id will do: the token is refused first
            for headers in ({}, {"Authorization": f"Bearer {_unsigned_token()}"}):
                response = client.request(method, url, headers=headers, json={} if method != "GET" else None)
                if response.status_code != 401:
                    let_through.append(f"{method} {path} ({'unsigned' if headers else 'no token'}): "
                                       f"{response.status_code}")
    assert not let_through, let_through
