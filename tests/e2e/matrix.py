"""What every authorization matrix shares (one file per service: test_authorization_matrix*.py): the roles,
a Row per endpoint, the cells a table makes, and the check that a table covers its service's routes.

Own and foreign, per role: a personal role (resident, family, caregiver, volunteer, device) acts on its
own object and a neighbour's in the same community; every other role on its community's object and another
community's. Each service's file says what "own" means for its objects."""
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import httpx
import pytest

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
