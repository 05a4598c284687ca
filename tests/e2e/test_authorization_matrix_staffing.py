"""The authorization matrix of the staffing planner: every endpoint × every role × the caller's own community
and another one, each cell a test that asserts the status the gateway answers.

Planning staff is the administrators' decision, for the communities they serve: an administrator of the
community gets a plan (from the labelled default profile, as the session's community has no history
before today); everyone else, and an administrator of another community, is refused (403).
The machinery is shared with the other services' tables (tests/e2e/matrix.py)."""
import pytest

from tests.e2e import matrix
from tests.e2e.conftest import COMMUNITY
from tests.e2e.matrix import ELSEWHERE, Row, assert_cell, cells, every, uncovered_routes


def _plan(target, bundle):
    # The smallest run that is still a real one: a day of a 100-elder community under one all-day shift.
    return {"community_id": target, "use_default_profile": True, "default_profile_elders": 100, "days": 1,
            "shifts": [{"name": "all-day", "starts_hour": 0, "ends_hour": 0, "operators": 1, "caregivers": 3}]}


TABLE = [
    Row("POST", "/v1/roster-plans", "community", own=every(200, "administrator"), others=403, foreign_others=403,
        body=_plan),
    Row("POST", "/v1/roster-plans/progress", "community", own=every(200, "administrator"), others=403,
        foreign_others=403, body=_plan),
]
CELLS = cells(TABLE, known_gaps={})
STAFFING_PREFIXES = ("/v1/roster-plans",)


class World(matrix.World):
    own, elsewhere = COMMUNITY, ELSEWHERE

    def call(self, row: Row, role: str, which: str) -> tuple[int, str]:
        target = COMMUNITY if which == "own" else ELSEWHERE
        # The caller serves the session's community; "foreign" is another community's plan.
        return self.send(row, None, target, self.token(role, f"mx-{role}-{self.tag}", (COMMUNITY,)))


@pytest.fixture(scope="session")
def world(stack, gateway_url, issuer_dir):
    world = World(gateway_url, issuer_dir)
    yield world
    world.close()


@pytest.mark.parametrize("row, role, which", CELLS)
def test_authorization(world, row, role, which):
    text = assert_cell(world, row, role, which)
    if row.expected(role, which) == 200:
        assert "default profile" in text


def test_the_matrix_covers_every_staffing_route(gateway_url):
    """A route added without a row here fails this test."""
    assert uncovered_routes(gateway_url, TABLE, STAFFING_PREFIXES) == []
