"""The authorization matrix of volunteers: every endpoint × every role × the caller's own object and someone
else's, generated from the one table below (TABLE), each cell a test that asserts the status the gateway answers.

Own and foreign, per role:
- volunteer: their own record, attendance, hours and certificate / a neighbour volunteer's, same community;
- resident: a service to them in the hours ledger (they are its beneficiary) / one to a neighbour;
- family, caregiver, device: nothing of theirs here; the same objects as the resident's;
- coordinator, administrator and everyone else: their community's objects / another community's.
Activities and shifts belong to a community, not a person: for every role the foreign one is another
community's. Endpoints that address a community (lists, figures, registering volunteers, creating
activities) take the caller's community and another one. Endpoints that address nothing (the caller's own
lists) have an "own" cell only.

Everything is set up through the API once per session, except hours entries: a real one takes real hours
served, so entries (pending ones awaiting the resident's confirmation, verified ones) are written with the
volunteer service's own store, as tests/e2e/test_volunteer_flow.py does. A cell that expects to change its
object's state gets an object of its own (in the state the endpoint needs), so cells never depend on each
other's order; the others share one per kind, state and owner. A fresh attendance or hours entry belongs to a
volunteer of its own too: a volunteer is checked in to one shift at a time, and credited at most 8 hours a day.

The machinery is shared with the other services' tables (tests/e2e/matrix.py).
"""
import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

import pymongo
import pytest

from linli.kit.mongo import utcnow
from services.volunteer import events
from services.volunteer.domain import hours
from services.volunteer.domain.volunteers import local_day
from services.volunteer.store.hours import HoursStore
from tests.e2e import matrix
from tests.e2e.conftest import COMMUNITY
from tests.e2e.matrix import ELSEWHERE, TODAY, Row, assert_cell, cells, every, uncovered_routes

COORDINATORS = ("coordinator", "administrator")
SQUARE = {"latitude": 41.8810, "longitude": 123.9570}  # 中心广场, where the activities take place


def _new_volunteer(target, bundle):
    return {"id": f"mx-vol-{uuid.uuid4().hex[:8]}", "community_id": bundle.community, "name": "王秀兰",
            "skills": ["shopping"]}


def _new_activity(target, bundle, title: str = "邻居节"):
    return {"community_id": bundle.community, "title": title, "place": {"name": "中心广场", "position": SQUARE}}


def _new_shift(target, bundle):
    starts = datetime.now(timezone.utc) + timedelta(days=1)
    return {"title": "上午场", "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=3)).isoformat(),
            "capacity": 20}


def _sign_up(target, bundle):
    return {"volunteer_id": bundle.volunteer}


def _certificate(target, bundle):
    return {"volunteer_id": bundle.volunteer, "from_day": bundle.hours_day, "to_day": bundle.hours_day}


def _bulk_verify(target, bundle):
    return {"ids": [target], "note": "电话回访确认"}


_AT_THE_PLACE = {"position": {"latitude": SQUARE["latitude"] + 0.0002, "longitude": SQUARE["longitude"]}}
_OVERRIDE = {"override_reason": "手机没电，现场签到表为证"}
_NOTE = {"note": "电话回访确认"}
_PERIOD = f"community_id={{id}}&from_day={TODAY}&to_day={TODAY}"
BULK_VERIFY = "/v1/volunteer-hours/verify"

TABLE = [
    # -- volunteers ---------------------------------------------------------------------------------------
    Row("POST", "/v1/volunteers", "community", own=every(201, *COORDINATORS), others=403, foreign_others=403,
        body=_new_volunteer),
    Row("GET", "/v1/volunteers?community_id={id}", "community", own=every(200, *COORDINATORS), others=403,
        foreign_others=403),
    Row("GET", "/v1/volunteers/{id}", "volunteer", own=every(200, *COORDINATORS, "volunteer"), others=404),
    Row("PATCH", "/v1/volunteers/{id}", "volunteer", own=every(200, *COORDINATORS, "volunteer"), others=404,
        body={"phone": "139 0413 5566"}),
    # -- activities and shifts: anyone of the community sees them; coordinators make them ---------------
    Row("POST", "/v1/activities", "community", own=every(201, *COORDINATORS), others=403, foreign_others=403,
        body=_new_activity),
    Row("GET", "/v1/activities?community_id={id}", "community", own={}, others=200, foreign_others=403),
    Row("GET", "/v1/activities/{id}", "activity", own={}, others=200),
    Row("POST", "/v1/activities/{id}/shifts", "activity", own=every(201, *COORDINATORS), others=403, body=_new_shift),
    Row("GET", "/v1/activities/{id}/shifts", "activity", own={}, others=200),
    # -- attendance ---------------------------------------------------------------------------------------
    # Signing up names the volunteer: the volunteer themself, or one a coordinator serves.
    Row("POST", "/v1/shifts/{id}/attendance", "signup", own=every(201, *COORDINATORS, "volunteer"), others=404,
        body=_sign_up),
    Row("GET", "/v1/shifts/{id}/attendance", "shift", own=every(200, *COORDINATORS), others=403),
    Row("GET", "/v1/me/attendance", "none", own=every(200, "volunteer"), others=403, foreign_others=None),
    Row("GET", "/v1/attendance/{id}", "attendance@signed_up", own=every(200, *COORDINATORS, "volunteer"),
        others=404),
    Row("POST", "/v1/attendance/{id}/confirm", "attendance@signed_up",
        own={**every(200, *COORDINATORS), "volunteer": 403}, others=404),
    Row("POST", "/v1/attendance/{id}/withdraw", "attendance@signed_up", own=every(200, *COORDINATORS, "volunteer"),
        others=404, body={"reason": "家里有事"}),
    # The volunteer checks in at the place; a coordinator checks them in only by an override, with a reason.
    Row("POST", "/v1/attendance/{id}/check-in", "attendance@confirmed",
        own={"volunteer": 200, **every(403, *COORDINATORS)}, others=404, body=_AT_THE_PLACE),
    Row("POST", "/v1/attendance/{id}/check-in", "attendance@confirmed",
        own={**every(200, *COORDINATORS), "volunteer": 403}, others=404, body=_OVERRIDE),
    Row("POST", "/v1/attendance/{id}/check-out", "attendance@checked_in", own=every(200, *COORDINATORS, "volunteer"),
        others=404),
    # -- the hours ledger ---------------------------------------------------------------------------------
    Row("GET", "/v1/volunteer-hours", "none", own=every(200, "volunteer"), others=403, foreign_others=None),
    Row("GET", "/v1/volunteer-hours?community_id={id}", "community", own=every(200, *COORDINATORS), others=403,
        foreign_others=403),
    Row("GET", "/v1/volunteer-hours?awaiting_my_confirmation=true", "none", own=every(200, "resident"), others=403,
        foreign_others=None),
    # Only coordinators verify; each entry has its own outcome, so another community's entry is "not found"
    # inside a 200 (the test checks the outcome too).
    Row("POST", BULK_VERIFY, "entry@pending", own=every(200, *COORDINATORS), others=403,
        foreign=every(200, *COORDINATORS), foreign_others=403, body=_bulk_verify),
    Row("GET", "/v1/volunteer-hours/{id}", "entry@pending", own=every(200, *COORDINATORS, "volunteer", "resident"),
        others=404),
    Row("POST", "/v1/volunteer-hours/{id}/verify", "entry@pending",
        own={**every(200, *COORDINATORS), **every(403, "volunteer", "resident")}, others=404, body=_NOTE),
    Row("POST", "/v1/volunteer-hours/{id}/reject", "entry@pending",
        own={**every(200, *COORDINATORS), **every(403, "volunteer", "resident")}, others=404,
        body={"reason": "当天未到岗"}),
    Row("POST", "/v1/volunteer-hours/{id}/confirmation", "entry@pending",
        own={"resident": 200, **every(403, *COORDINATORS, "volunteer")}, others=404, body={"confirmed": True}),
    Row("POST", "/v1/volunteer-hours/{id}/reversal", "entry@verified",
        own={**every(201, *COORDINATORS), **every(403, "volunteer", "resident")}, others=404,
        body={"reason": "时长登记有误"}),
    # -- certificates and figures -------------------------------------------------------------------------
    Row("POST", "/v1/certificates", "volunteer", own=every(201, *COORDINATORS, "volunteer"), others=404,
        body=_certificate),
    Row("GET", "/v1/certificates/{id}", "certificate", own={}, others=200, foreign_others=200),  # public, by code
    Row("GET", "/v1/certificates/{id}/pdf", "certificate", own=every(200, *COORDINATORS, "volunteer"), others=404),
    Row("GET", f"/v1/volunteer-leaderboard?{_PERIOD}", "community", own=every(200, *COORDINATORS, "volunteer"),
        others=403, foreign_others=403),
    Row("GET", f"/v1/exports/volunteer-hours?{_PERIOD}", "community", own=every(200, *COORDINATORS), others=403,
        foreign_others=403),
]

# (method path, role, own|foreign) → why the platform answers otherwise today, as reported to the lead.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


CELLS = cells(TABLE, KNOWN_GAPS)


# -- the world the cells act in ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bundle:
    """A volunteer and a resident they serve, in a community with an activity and its open shift; the
    day of the volunteer's verified hours."""

    community: str
    volunteer: str
    resident: str
    activity: str
    shift: str
    hours_day: str


class World(matrix.World):
    community_kinds = frozenset({"community", "activity", "shift"})  # activities and shifts are the community's

    def __init__(self, gateway_url: str, issuer_dir: str, mongo_uri: str, volunteer_db: str):
        super().__init__(gateway_url, issuer_dir)
        self.mongo = pymongo.MongoClient(mongo_uri, tz_aware=True)
        self.ledger = HoursStore(self.mongo, self.mongo[volunteer_db])
        self.setup = self.token("coordinator", "mx-co", (COMMUNITY, ELSEWHERE))
        self.own = self._bundle(COMMUNITY, "own")
        self.neighbour = self._bundle(COMMUNITY, "neighbour", self.own)
        self.elsewhere = self._bundle(ELSEWHERE, "elsewhere")

    def close(self) -> None:
        super().close()
        self.mongo.close()

    def _bundle(self, community: str, who: str, sharing: Bundle | None = None) -> Bundle:
        """sharing: a bundle of the same community whose activity and shift this one uses."""
        tag = f"{who}-{self.tag}"
        bundle = Bundle(community, self.volunteer(community, f"mx-vol-{tag}"), f"mx-res-{tag}", "", "", "")
        if sharing is None:
            activity = self.ok("POST", "/v1/activities", json=_new_activity(None, bundle, f"邻居节 {tag}"))["id"]
            bundle = replace(bundle, activity=activity, shift=self.shift(activity))
        else:
            bundle = replace(bundle, activity=sharing.activity, shift=sharing.shift)
        day = self.entry(bundle, hours.VERIFIED, beneficiary=False).day  # hours a certificate can state
        return replace(bundle, hours_day=day)

    def volunteer(self, community: str, volunteer_id: str | None = None) -> str:
        volunteer_id = volunteer_id or f"mx-vol-{uuid.uuid4().hex[:8]}"
        self.ok("POST", "/v1/volunteers", json={"id": volunteer_id, "community_id": community, "name": "王秀兰",
                                                "party_member": True, "branch": "第一党支部", "skills": ["shopping"]})
        return volunteer_id

    def shift(self, activity: str) -> str:
        """A shift that started a few minutes ago, open for check-in for three hours."""
        starts = datetime.now(timezone.utc) - timedelta(minutes=10)
        return self.ok("POST", f"/v1/activities/{activity}/shifts", json={
            "title": "全天", "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=3)).isoformat(),
            "capacity": 1000})["id"]

    def attendance(self, bundle: Bundle, state: str, shift: str) -> str:
        """The bundle's volunteer signed up for the shift, walked to `state` by a coordinator."""
        attendance = self.ok("POST", f"/v1/shifts/{shift}/attendance", json={"volunteer_id": bundle.volunteer})["id"]
        for step, reached, body in (("confirm", "confirmed", None), ("check-in", "checked_in", _OVERRIDE)):
            if state == "signed_up":
                break
            self.ok("POST", f"/v1/attendance/{attendance}/{step}", json=body)
            if state == reached:
                break
        return attendance

    def entry(self, bundle: Bundle, status: str, beneficiary: bool = True) -> hours.HoursEntry:
        """An hour of service to the bundle's resident earlier today (pending their confirmation unless
        verified), written through the volunteer service's store: real hours would take real time."""
        now = utcnow()
        started = now - timedelta(minutes=90)
        decided = {"decided_at": now, "decided_by": "mx-co"} if status == hours.VERIFIED else {}
        if beneficiary:
            decided.update(beneficiary_id=bundle.resident, beneficiary_confirmation=hours.AWAITED)
        entry = hours.HoursEntry(
            str(uuid.uuid4()), bundle.community, bundle.volunteer, "王秀兰", hours.CREDIT, 60, started,
            started + timedelta(minutes=60), local_day(started, "Asia/Shanghai"), hours.CARE_REQUEST,
            str(uuid.uuid4()), "居家养老服务·助购", now, "system", status=status, **decided)
        self.ledger.record(entry, events.entry_event(hours.HOURS_ENTRY_RECORDED, entry, now))
        return entry

    def headers(self, role: str, bundle: Bundle) -> dict:
        """The role's token: the bundle's people act as themselves, everyone else as a community member."""
        subject = {"volunteer": bundle.volunteer, "resident": bundle.resident}.get(role, f"mx-{role}-{self.tag}")
        return self.token(role, subject, (bundle.community,))

    def target(self, row: Row, role: str, which: str, fresh: bool) -> tuple[Bundle, str]:
        """(the bundle acted on, what {id} stands for). A fresh object of a volunteer's belongs to a fresh
        volunteer of the bundle's community, who acts in the volunteer's place."""
        kind, _, state = row.target.partition("@")
        bundle = self.bundle_for(role, which, kind)
        if kind == "community":
            return bundle, bundle.community
        if kind in ("volunteer", "none"):
            return bundle, bundle.volunteer
        if kind == "activity":
            return bundle, bundle.activity
        if kind == "shift":
            return bundle, bundle.shift
        if kind == "signup":
            if fresh:
                bundle = replace(bundle, volunteer=self.volunteer(bundle.community))
            return bundle, bundle.shift
        if kind == "attendance":
            if fresh:
                bundle = replace(bundle, volunteer=self.volunteer(bundle.community))
                return bundle, self.attendance(bundle, state, bundle.shift)
            # One attendance per volunteer and shift: each shared state gets a shift of its own.
            return bundle, self._shared((kind, state, bundle.volunteer), lambda: self.attendance(
                bundle, state, self._shared(("shift", state, bundle.community), lambda: self.shift(bundle.activity))))
        if kind == "entry":
            if fresh:
                bundle = replace(bundle, volunteer=self.volunteer(bundle.community))
                return bundle, self.entry(bundle, state).id
            return bundle, self._shared((kind, state, bundle.volunteer), lambda: self.entry(bundle, state).id)
        if kind == "certificate":
            return bundle, self._shared((kind, bundle.volunteer), lambda: self.ok(
                "POST", "/v1/certificates", json=_certificate(None, bundle))["code"])
        raise ValueError(row.target)

    def call(self, row: Row, role: str, which: str) -> tuple[int, str]:
        # A cell that expects to change its object gets one of its own; the others share.
        bundle, target = self.target(row, role, which, fresh=row.expected(role, which) < 300 and row.method != "GET")
        acting = bundle if which == "own" else self.own  # the caller is always themselves
        return self.send(row, bundle, target, self.headers(role, acting))


@pytest.fixture(scope="session")
def world(stack, gateway_url, issuer_dir):
    world = World(gateway_url, issuer_dir, stack.env["MONGO_URI"], f"{stack.env['MONGO_DB_PREFIX']}volunteer")
    yield world
    world.close()


@pytest.mark.parametrize("row, role, which", CELLS)
def test_authorization(world, row, role, which):
    text = assert_cell(world, row, role, which)
    if row.path == BULK_VERIFY and row.expected(role, which) == 200:
        [outcome] = json.loads(text)["items"]
        assert outcome["verified"] == (which == "own"), outcome


def test_the_matrix_covers_every_volunteer_route(gateway_url):
    """A route added without a row here fails this test."""
    assert uncovered_routes(gateway_url, TABLE, VOLUNTEER_PREFIXES) == []


VOLUNTEER_PREFIXES = ("/v1/volunteers", "/v1/activities", "/v1/shifts", "/v1/me/attendance", "/v1/attendance",
                      "/v1/volunteer-hours", "/v1/certificates", "/v1/volunteer-leaderboard",
                      "/v1/exports/volunteer-hours")
