"""What every authorization matrix shares (one file per service: test_authorization_matrix*.py): the roles,
a Row per endpoint, the cells a table makes, the World the cells act in, the check of one cell, and the check
that a table covers its service's routes.

Own and foreign, per role: a personal role (resident, family, caregiver, volunteer, device) acts on its
own object and a neighbour's in the same community; every other role on its community's object and another
community's. Each service's file says what "own" means for its objects."""
import datetime as dt
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import token_for

ELSEWHERE = "xinhe"  # another community of the district
ROLES = ("resident", "family", "caregiver", "volunteer", "device", "operator", "administrator", "clinician",
         "employer", "counsellor", "coordinator")
# Whose "foreign" object is a neighbour's in their own community (the rest: another community's).
PERSONAL_ROLES = {"resident", "family", "caregiver", "volunteer", "device"}
TOMORROW = (dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=1)).isoformat()
TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


@dataclass(frozen=True)
class Row:
    """One endpoint. `target` names what {id} stands for (each service's World reads it). `own`: the status
    per role for their own object (roles not named get `others`); `foreign`: per role for someone else's
    (roles not named get `foreign_others`; None: no such cell). `body(target_id, bundle)` builds the body."""

    method: str
    path: str
    target: str
    own: dict[str, int]
    others: int
    foreign: dict[str, int] = field(default_factory=dict)
    foreign_others: int | None = 404
    body: object = None
    label: str = ""  # tells apart, in test ids, two rows of one route (a call now, a visit booked for later)

    def expected(self, role: str, which: str) -> int | None:
        if which == "own":
            return self.own.get(role, self.others)
        return self.foreign.get(role, self.foreign_others)


def every(status: int, *roles: str) -> dict[str, int]:
    return {role: status for role in roles}


def cells(table: list[Row], known_gaps: dict[tuple[str, str, str], str]) -> list:
    """One pytest param per (row, role, own|foreign). A cell in known_gaps ((method path, role, which) → why)
    is a strict xfail: it turns red the day the gap is closed, so the table is updated with the fix."""
    params = []
    for row in table:
        for role in ROLES:
            for which in ("own", "foreign"):
                if row.expected(role, which) is None:
                    continue
                label = f" ({row.label})" if row.label else ""
                name = f"{row.method} {row.path.split('?')[0]}{label}[{role}-{which}]"
                gap = known_gaps.get((f"{row.method} {row.path}", role, which))
                marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
                params.append(pytest.param(row, role, which, id=name, marks=marks))
    return params


class World:
    """The objects a service's cells act on, set up through the gateway once per session. A service's World sets
    `setup` (the headers its set-up calls go with) and its bundles: `own` (the caller's), `neighbour` (another's
    in the same community) and `elsewhere` (another community's); it finds a row's target and calls (`call`)."""

    neighbourly_roles = PERSONAL_ROLES  # whose foreign object is a neighbour's, when the object is a person's
    community_kinds = frozenset({"community"})  # a community's objects: the foreign one is another community's

    def __init__(self, gateway_url: str, issuer_dir: str):
        self.issuer_dir = issuer_dir
        self.client = httpx.Client(base_url=gateway_url, timeout=10)
        self.tag = uuid.uuid4().hex[:6]
        self._cache: dict = {}

    def close(self) -> None:
        self.client.close()

    def token(self, role: str, subject: str, communities: tuple[str, ...]) -> dict:
        key = ("token", role, subject, communities)
        if key not in self._cache:  # signing is slow; a token per person is enough
            self._cache[key] = {"Authorization": f"Bearer {token_for(self.issuer_dir, role, subject, communities)}"}
        return self._cache[key]

    def ok(self, method: str, path: str, headers=None, **kwargs) -> dict:
        response = self.client.request(method, path, headers=headers or self.setup, **kwargs)
        assert response.status_code < 300, f"setting up: {method} {path}: {response.status_code} {response.text}"
        return response.json()

    def _shared(self, key, make, fresh: bool = False):
        """A cell that expects to change the object gets its own; cells that expect a refusal share one."""
        if fresh:
            return make()
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def bundle_for(self, role: str, which: str, kind: str):
        """The bundle a cell acts on: the caller's own, or someone else's: a neighbour's for a neighbourly role
        and a person's object, another community's otherwise."""
        if which == "own":
            return self.own
        if role in self.neighbourly_roles and kind not in self.community_kinds:
            return self.neighbour
        return self.elsewhere

    def send(self, row: Row, bundle, target: str, headers: dict, **parameters: str) -> tuple[int, str]:
        """(status, text) of the row's call: {id} is target, the path's other parameters are named."""
        path = row.path.replace("{id}", target)
        for name, value in parameters.items():
            path = path.replace(f"{{{name}}}", value)
        body = row.body(target, bundle) if callable(row.body) else row.body
        if row.method == "GET" and row.path.endswith(("/stream", "/signals")):  # a stream: its status is all a cell needs
            with self.client.stream(row.method, path, headers=headers) as response:
                return response.status_code, "" if response.status_code == 200 else response.read().decode()
        response = self.client.request(row.method, path, headers=headers, json=body)
        return response.status_code, response.text


def assert_cell(world: World, row: Row, role: str, which: str) -> str:
    """Makes the cell's call and asserts the table's status; returns the answer's text."""
    status, text = world.call(row, role, which)
    expected = row.expected(role, which)
    assert status == expected, f"got {status}, expected {expected}: {text[:300]}"
    return text


def uncovered_routes(gateway_url: str, table: list[Row], prefixes: tuple[str, ...],
                     parameter_words: frozenset[str] = frozenset()) -> list[str]:
    """The gateway's routes under `prefixes` that no row of `table` calls (health checks aside)."""
    document = httpx.get(f"{gateway_url}/openapi.json", timeout=5).json()
    routes = {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item}
    wanted = {_normalise(r, parameter_words) for r in routes
              if not r.endswith("/healthz") and r.split(" ")[1].startswith(prefixes)}
    covered = {_normalise(f"{row.method} {row.path.split('?')[0]}", parameter_words) for row in table}
    return sorted(wanted - covered)


def _normalise(route: str, parameter_words: frozenset[str]) -> str:
    """Path parameters all look alike: /v1/elders/{elder_id} and /v1/elders/{id} are one route; a literal
    day, or a word in parameter_words (a topic such as "health"), in a row's path stands for its parameter."""
    method, path = route.split(" ", 1)
    parts = ["{}" if part.startswith("{") or part[:1].isdigit() or part in parameter_words else part
             for part in path.split("/")]
    return f"{method} {'/'.join(parts)}"
