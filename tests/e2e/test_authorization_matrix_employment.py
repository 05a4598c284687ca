"""The authorization matrix of employment: every endpoint × every role × the caller's own object and someone
else's, generated from the one table below (TABLE), each cell a test that asserts the status the gateway
answers. The machinery is shared with the other services' matrices (tests/e2e/matrix.py).

Own and foreign, per role:
- resident: their own job-seeker profile, matches, applications, placements and enrolments (the seeker's
  id is their user id), and the workshop orders they handed in pieces for / a neighbour's in the same
  community;
- employer: the employer they act for, its vacancies, shortlists and applications / another employer's
  in the same community;
- family, caregiver, volunteer, device: what belongs to the resident or employer of their bundle / to the
  neighbour's (they have no employment records of their own);
- counsellor, administrator, operator, clinician, coordinator: their community's records / another
  community's.
Fairs, courses and workshop orders belong to a community: everyone's foreign one is another community's.
Endpoints that address a community (lists, figures, creating things there) take the caller's community and
another one; endpoints that address nothing (the skill taxonomy, the caller's own lists) have an "own"
cell only.

The rule behind the statuses: someone who cannot see an object gets 404 for it (ids reveal nothing); someone
who can see it (an open vacancy, a fair, a course, an employer are public within their community; a seeker
sees their own application) but may not do this gets 403; a community the caller does not serve, or a
community-wide list or action their role has no part in, is 403.

Everything is set up through the API, once per session; a cell that expects success gets an object of its
own (in the state the endpoint needs), and refusal cells share one, so cells never depend on each other's
order. The World's vacancies ask for a schedule its seekers do not accept, so nobody is on their
shortlists, but for the "shortlisted" ones, which the cells wait for the worker to rank: an employer may
invite only from its shortlists. A cell the platform gets wrong is listed in KNOWN_GAPS: a strict xfail,
which turns red the day the gap is closed.
"""
import time
import uuid
from dataclasses import dataclass

import pytest

from tests.e2e import matrix
from tests.e2e.conftest import COMMUNITY
from tests.e2e.matrix import (ELSEWHERE, PERSONAL_ROLES, TODAY, TOMORROW, Row, assert_cell, cells, every,
                              uncovered_routes)

COUNSEL = ("counsellor", "administrator")  # the community's employment counsellors, and the district's administrators
TAXONOMY = ("operator", "counsellor", "administrator")
# Whose foreign object is a neighbour's in their own community (an employer's: another employer's).
NEIGHBOURLY = PERSONAL_ROLES | {"employer"}
# What a neighbourly role may see of its neighbour's: an open vacancy and an employer are public within the
# community, so acting on them is forbidden rather than missing.
SEEN_NEXT_DOOR = every(403, *NEIGHBOURLY)
WORKER = "mx-worker"  # the workshop's piece-worker whose payout is marked paid
# A farm some 25 km out of town: the matrix's seekers live and its vacancies are there, out of reach of
# every other test's seekers and vacancies in the same community (their shortlists and matches stay theirs).
FARM = {"latitude": 42.1000, "longitude": 124.2000}
THIS_MONTH = TODAY[:7]


def _fresh(prefix: str) -> str:
    return f"mx-{prefix}-{uuid.uuid4().hex[:8]}"


def _draft() -> dict:
    # Full-time only, while the World's seekers want part-time work: nobody is ever on these shortlists.
    return {"title": "缝纫工", "skills": ["sewing"], "headcount": 3, "wage_fen": 320000, "wage_period": "month",
            "hours_per_week": 40, "schedule": "full_time", "address": "华丰服装厂", "position": FARM,
            "physical_demand": "light"}


def _profile() -> dict:
    return {"name": "刘桂兰", "birth_year": 1966, "address": "东区 5号楼", "home": FARM,
            "skills": [{"code": "sewing", "years": 20}], "schedules": ["part_time"], "max_commute_m": 100,
            "physical_capacity": "light"}


def _new_skill(target, bundle):
    return {"code": f"handicraft.mx{uuid.uuid4().hex[:8]}", "name_zh": "剪纸", "name_en": "paper cutting",
            "group": "handicraft", "occupation_code": "6-09", "informal": True}


def _new_employer(target, bundle):
    return {"id": _fresh("emp"), "community_id": target, "name": "抚顺华丰服装有限公司"}


def _new_vacancy(target, bundle):
    return {"employer_id": target, **_draft()}


def _import(target, bundle):
    return {"community_id": target, "vacancies": [{"employer_id": bundle.employer, **_draft()}]}


def _new_seeker(target, bundle):
    return {"id": _fresh("res"), "community_id": target, "profile": _profile(), "start_searching": False}


def _for_the_seeker(target, bundle):
    return {"vacancy_id": target, "seeker_id": bundle.seeker}


def _new_fair(target, bundle):
    return {"id": _fresh("fair"), "community_id": target, "title": "就业服务进社区", "day": TOMORROW,
            "venue": "东华园社区扇形广场"}


def _new_course(target, bundle):
    return {"id": _fresh("course"), "community_id": target, "title": "中式面点", "provider": "顺城区职业培训学校",
            "starts_on": TOMORROW, "hours": 80, "seats": 20}


def _new_order(target, bundle):
    return {"id": _fresh("wo"), "community_id": target, "product": "手工编织杯垫", "client": "抚顺礼品公司",
            "piece_rate_fen": 150, "quantity": 500, "due_on": TOMORROW}


def _company(target, bundle):
    return {"employer_id": bundle.employer, "booth": "1号展位"}


_PIECES = {"worker_id": WORKER, "worker_name": "孙玉兰", "day": TODAY, "made": 10, "rejected": 1}
_REASON = {"reason": "authorization matrix"}

TABLE = [
    # -- skills and employers -------------------------------------------------------------------------------
    Row("GET", "/v1/skills", "none", own={}, others=200, foreign_others=None),
    Row("POST", "/v1/skills", "none", own=every(201, *TAXONOMY), others=403, foreign_others=None, body=_new_skill),
    Row("POST", "/v1/employers", "community", own=every(201, *COUNSEL), others=403, foreign_others=403,
        body=_new_employer),
    Row("GET", "/v1/employers?community_id={id}", "community", own={}, others=200, foreign_others=403),
    Row("GET", "/v1/employers/{id}", "employer", own={}, others=200, foreign=every(200, *NEIGHBOURLY)),
    # -- vacancies ------------------------------------------------------------------------------------------
    Row("POST", "/v1/vacancies", "employer", own=every(201, "employer", *COUNSEL), others=403,
        foreign=SEEN_NEXT_DOOR, body=_new_vacancy),
    Row("POST", "/v1/vacancies/import", "community", own=every(201, *COUNSEL), others=403, foreign_others=403,
        body=_import),
    Row("GET", "/v1/vacancies?community_id={id}", "community", own={}, others=200, foreign_others=403),
    Row("GET", "/v1/vacancies?employer_id={id}", "employer", own=every(200, "employer", *COUNSEL), others=403,
        foreign=SEEN_NEXT_DOOR),
    # A draft is its employer's business (and its counsellors'); nobody else sees it.
    Row("GET", "/v1/vacancies/{id}", "vacancy@draft", own=every(200, "employer", *COUNSEL), others=404),
    Row("PUT", "/v1/vacancies/{id}", "vacancy@draft", own=every(200, "employer", *COUNSEL), others=404,
        body=lambda target, bundle: _draft()),
    Row("POST", "/v1/vacancies/{id}/open", "vacancy@draft", own=every(200, "employer", *COUNSEL), others=404),
    # An open vacancy is public within its community.
    Row("POST", "/v1/vacancies/{id}/close", "vacancy@open", own=every(200, "employer", *COUNSEL), others=403,
        foreign=SEEN_NEXT_DOOR, body=_REASON),
    Row("GET", "/v1/vacancies/{id}/shortlist", "vacancy@open", own=every(200, "employer", *COUNSEL), others=403,
        foreign=SEEN_NEXT_DOOR),
    Row("GET", f"/v1/employment-figures/{{id}}?from_month={THIS_MONTH}", "community", own=every(200, *COUNSEL),
        others=403, foreign_others=403),
    # -- job seekers and matches ----------------------------------------------------------------------------
    # Residents register themselves (the flow test); registering someone else is a counsellor's.
    Row("POST", "/v1/job-seekers", "community", own=every(201, *COUNSEL), others=403, foreign_others=403,
        body=_new_seeker),
    Row("GET", "/v1/job-seekers?community_id={id}", "community", own=every(200, *COUNSEL), others=403,
        foreign_others=403),
    Row("GET", "/v1/job-seekers/{id}", "seeker@searching", own=every(200, "resident", *COUNSEL), others=404),
    Row("GET", "/v1/me/job-seeker", "none", own=every(200, "resident"), others=404, foreign_others=None),
    Row("PUT", "/v1/job-seekers/{id}/profile", "seeker@searching", own=every(200, "resident", *COUNSEL),
        others=404, body=lambda target, bundle: _profile()),
    Row("POST", "/v1/job-seekers/{id}/start-searching", "seeker@registered", own=every(200, "resident", *COUNSEL),
        others=404),
    Row("POST", "/v1/job-seekers/{id}/exit", "seeker@searching", own=every(200, "resident", *COUNSEL),
        others=404, body=_REASON),
    Row("GET", "/v1/me/matches", "none", own=every(200, "resident"), others=404, foreign_others=None),
    Row("GET", "/v1/job-seekers/{id}/matches", "seeker@searching", own=every(200, "resident", *COUNSEL),
        others=404),
    # -- applications and placements ------------------------------------------------------------------------
    # For the bundle's seeker: a resident says they want the job, a counsellor records it for them.
    Row("POST", "/v1/applications", "vacancy@open", own=every(201, "resident", *COUNSEL), others=404,
        body=_for_the_seeker),
    # An employer invites the bundle's seeker from its shortlist; the seeker themself says they want the job
    # instead (POST /v1/applications).
    Row("POST", "/v1/applications/suggestions", "vacancy@shortlisted",
        own={**every(201, "employer", *COUNSEL), "resident": 403}, others=404, body=_for_the_seeker),
    Row("GET", "/v1/applications?seeker_id={id}", "seeker@searching", own=every(200, "resident", *COUNSEL),
        others=404),
    Row("GET", "/v1/applications?vacancy_id={id}", "vacancy@open", own=every(200, "employer", *COUNSEL),
        others=403, foreign=SEEN_NEXT_DOOR),
    Row("GET", "/v1/applications?community_id={id}", "community", own=every(200, *COUNSEL), others=403,
        foreign_others=403),
    Row("GET", "/v1/applications/{id}", "application", own=every(200, "resident", "employer", *COUNSEL),
        others=404),
    # Turning an applicant down is the employer's (or a counsellor's); the seeker may only withdraw.
    Row("POST", "/v1/applications/{id}/status", "application",
        own={**every(200, "employer", *COUNSEL), "resident": 403}, others=404, body={"status": "rejected"}),
    Row("GET", "/v1/placements?seeker_id={id}", "seeker@searching", own=every(200, "resident", *COUNSEL),
        others=404),
    Row("GET", "/v1/placements?community_id={id}", "community", own=every(200, *COUNSEL), others=403,
        foreign_others=403),
    # A counsellor is let through, and told that nothing is due yet: the placement started today.
    Row("POST", "/v1/placements/{id}/follow-ups", "placement", own={**every(409, *COUNSEL), "resident": 403},
        others=404, body={"months": 3, "still_employed": True}),
    # -- job fairs (public within their community) ----------------------------------------------------------
    Row("POST", "/v1/job-fairs", "community", own=every(201, *COUNSEL), others=403, foreign_others=403,
        body=_new_fair),
    Row("GET", "/v1/job-fairs?community_id={id}", "community", own={}, others=200, foreign_others=403),
    Row("GET", "/v1/job-fairs/{id}", "fair", own={}, others=200),
    Row("POST", "/v1/job-fairs/{id}/companies", "fair", own=every(200, *COUNSEL), others=403, body=_company),
    Row("POST", "/v1/job-fairs/{id}/consultations", "fair", own=every(201, *COUNSEL), others=403,
        body={"topic": "policy", "question": "灵活就业人员社保补贴怎么申请？"}),
    Row("POST", "/v1/job-fairs/{id}/leaflets", "fair", own=every(200, *COUNSEL), others=403,
        body={"title": "农民就业100问", "copies": 50}),
    Row("POST", "/v1/job-fairs/{id}/close", "fair", own=every(200, *COUNSEL), others=403),
    Row("GET", "/v1/job-fairs/{id}/report", "fair", own={}, others=200),
    # -- training (courses are public within their community; enrolments are the seeker's) ----------------
    Row("POST", "/v1/courses", "community", own=every(201, *COUNSEL), others=403, foreign_others=403,
        body=_new_course),
    Row("GET", "/v1/courses?community_id={id}", "community", own={}, others=200, foreign_others=403),
    Row("POST", "/v1/courses/{id}/enrolments", "course", own=every(201, "resident", *COUNSEL), others=404,
        body=lambda target, bundle: {"seeker_id": bundle.seeker}),
    Row("GET", "/v1/courses/{id}/enrolments", "course", own=every(200, *COUNSEL), others=403),
    # Enrolments are a job seeker's: like /v1/me/job-seeker and /v1/me/matches, 404 for everyone else.
    Row("GET", "/v1/me/enrolments", "none", own=every(200, "resident"), others=404, foreign_others=None),
    # Dropping out is the seeker's too.
    Row("POST", "/v1/enrolments/{id}/status", "enrolment", own=every(200, "resident", *COUNSEL), others=404,
        body={"status": "dropped"}),
    # -- the community workshop (its counsellors' business; a resident reads what they worked on) ----------
    Row("POST", "/v1/workshop-orders", "community", own=every(201, *COUNSEL), others=403, foreign_others=403,
        body=_new_order),
    # Residents: the orders they worked on there (their own payouts only).
    Row("GET", "/v1/workshop-orders?community_id={id}", "community", own=every(200, "resident", *COUNSEL),
        others=403, foreign_others=403),
    Row("GET", "/v1/me/workshop-orders", "none", own={}, others=200, foreign_others=None),
    # "piecework": an order the resident handed in pieces for; a neighbour's is as good as missing.
    Row("GET", "/v1/workshop-orders/{id}", "piecework", own=every(200, "resident", *COUNSEL), others=404),
    Row("POST", "/v1/workshop-orders/{id}/pieces", "order", own=every(201, *COUNSEL), others=404, body=_PIECES),
    Row("GET", "/v1/workshop-orders/{id}/pieces", "piecework", own=every(200, "resident", *COUNSEL), others=404),
    Row("POST", "/v1/workshop-orders/{id}/complete", "order", own=every(200, *COUNSEL), others=404),
    Row("POST", f"/v1/workshop-orders/{{id}}/payouts/{WORKER}/paid", "order@completed", own=every(200, *COUNSEL),
        others=404),
]

# (method path, role, own|foreign) → why the platform answers otherwise today, as reported to the lead.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


def _named_by_query(params: list) -> list:
    """A route with several rows (one per query, e.g. applications by seeker, by vacancy, by community)
    gets the query's parameter in its cells' names, so that every name is one cell."""
    named = []
    for param in params:
        row, role, which = param.values
        path, _, query = row.path.partition("?")
        if query and sum(r.path.partition("?")[0] == path and r.method == row.method for r in TABLE) > 1:
            name = f"{row.method} {path}?{query.split('=')[0]}[{role}-{which}]"
            param = pytest.param(*param.values, id=name, marks=param.marks)
        named.append(param)
    return named


CELLS = _named_by_query(cells(TABLE, KNOWN_GAPS))


# -- the world the cells act in ------------------------------------------------------------------------------

@dataclass
class Bundle:
    """An employer with the user who acts for it, and a searching job seeker (a resident), in a community."""

    community: str
    employer: str
    boss: str
    seeker: str


class World(matrix.World):
    neighbourly_roles = NEIGHBOURLY
    # Where each kind of object lives: a personal object (an employer's, a seeker's) has a neighbour's
    # counterpart in the same community; a community's object (fair, course, workshop order) only another
    # community's.
    community_kinds = frozenset({"community", "fair", "course", "order"})

    def __init__(self, gateway_url: str, issuer_dir: str):
        super().__init__(gateway_url, issuer_dir)
        # Sets everything up: a counsellor of both communities.
        self.setup = self.token("counsellor", f"mx-setup-{self.tag}", (COMMUNITY, ELSEWHERE))
        self.own = self._bundle(COMMUNITY, "own")
        self.neighbour = self._bundle(COMMUNITY, "neighbour")
        self.elsewhere = self._bundle(ELSEWHERE, "elsewhere")

    def _bundle(self, community: str, who: str) -> Bundle:
        tag = f"{who}-{self.tag}"
        bundle = Bundle(community, f"mx-emp-{tag}", f"mx-boss-{tag}", f"mx-res-{tag}")
        self.ok("POST", "/v1/employers", json={"id": bundle.employer, "community_id": community,
                                               "name": "抚顺华丰服装有限公司", "user_ids": [bundle.boss]})
        self.seeker(bundle, "searching", bundle.seeker)
        return bundle

    # -- objects, in the state a cell needs

    def seeker(self, bundle: Bundle, state: str, seeker_id: str = "") -> str:
        """A job seeker registered by a counsellor; their id is the resident's user id."""
        return self.ok("POST", "/v1/job-seekers", json={
            "id": seeker_id or _fresh("res"), "community_id": bundle.community, "profile": _profile(),
            "start_searching": state == "searching"})["id"]

    def vacancy(self, bundle: Bundle, state: str) -> str:
        """A vacancy of the bundle's employer: a draft, open, or shortlisted (open, part-time, and ranked by
        the worker with the bundle's seeker on its shortlist)."""
        body = _new_vacancy(bundle.employer, bundle)
        if state == "shortlisted":
            body["schedule"] = "part_time"
        vacancy = self.ok("POST", "/v1/vacancies", json=body)["id"]
        if state != "draft":
            self.ok("POST", f"/v1/vacancies/{vacancy}/open")
        deadline = time.monotonic() + 30  # generous: the worker shares two cores with everything else
        while state == "shortlisted":
            ranked = self.ok("GET", f"/v1/vacancies/{vacancy}/shortlist")["items"]
            if any(entry["match"]["seeker_id"] == bundle.seeker for entry in ranked):
                break
            assert time.monotonic() < deadline, f"setting up: {bundle.seeker} not on the shortlist of {vacancy}"
            time.sleep(0.1)
        return vacancy

    def application(self, bundle: Bundle, seeker_id: str) -> str:
        """The seeker wants one of the bundle employer's open vacancies (recorded by a counsellor)."""
        return self.ok("POST", "/v1/applications", json={"vacancy_id": self.vacancy(bundle, "open"),
                                                         "seeker_id": seeker_id})["id"]

    def placement(self, bundle: Bundle) -> tuple[str, str]:
        """(placement, seeker): a seeker of their own (a hire places them), hired by a counsellor."""
        seeker_id = self.seeker(bundle, "searching")
        application = self.application(bundle, seeker_id)
        for status in ("referred", "offer", "hired"):
            moved = self.ok("POST", f"/v1/applications/{application}/status", json={"status": status})
        return moved["placement"]["id"], seeker_id

    def enrolment(self, bundle: Bundle) -> str:
        course = self.ok("POST", "/v1/courses", json=_new_course(bundle.community, bundle))["id"]
        return self.ok("POST", f"/v1/courses/{course}/enrolments", json={"seeker_id": bundle.seeker})["id"]

    def order(self, bundle: Bundle, state: str, worker: str = "") -> str:
        """A workshop order with pieces of the matrix's worker (and of worker, a resident, if named)."""
        order = self.ok("POST", "/v1/workshop-orders", json=_new_order(bundle.community, bundle))["id"]
        self.ok("POST", f"/v1/workshop-orders/{order}/pieces", json=_PIECES)
        if worker:
            self.ok("POST", f"/v1/workshop-orders/{order}/pieces", json={**_PIECES, "worker_id": worker})
        if state == "completed":
            self.ok("POST", f"/v1/workshop-orders/{order}/complete")
        return order

    def target(self, row: Row, role: str, which: str, fresh: bool) -> tuple[Bundle, str, str]:
        """(the bundle acted on, what {id} stands for, the resident who owns it)."""
        kind, _, state = row.target.partition("@")
        bundle = self.bundle_for(role, which, kind)

        def shared(make):
            return self._shared((row.target, bundle.seeker), make, fresh)

        if kind in ("community", "none"):
            return bundle, bundle.community, bundle.seeker
        if kind == "employer":
            return bundle, bundle.employer, bundle.seeker
        if kind == "vacancy":
            return bundle, shared(lambda: self.vacancy(bundle, state)), bundle.seeker
        if kind == "seeker":
            # The bundle's seeker is left as it is; a change is made to a seeker of its own, as themselves.
            if state == "searching" and not fresh:
                return bundle, bundle.seeker, bundle.seeker
            seeker_id = shared(lambda: self.seeker(bundle, state))
            return bundle, seeker_id, seeker_id
        if kind == "application":
            return bundle, shared(lambda: self.application(bundle, bundle.seeker)), bundle.seeker
        if kind == "placement":
            placement, seeker_id = shared(lambda: self.placement(bundle))
            return bundle, placement, seeker_id
        if kind == "enrolment":
            return bundle, shared(lambda: self.enrolment(bundle)), bundle.seeker
        if kind == "fair":
            return bundle, shared(lambda: self.ok("POST", "/v1/job-fairs",
                                                  json=_new_fair(bundle.community, bundle))["id"]), bundle.seeker
        if kind == "course":
            return bundle, shared(lambda: self.ok("POST", "/v1/courses",
                                                  json=_new_course(bundle.community, bundle))["id"]), bundle.seeker
        if kind == "order":
            return bundle, shared(lambda: self.order(bundle, state or "open")), bundle.seeker
        if kind == "piecework":
            return bundle, shared(lambda: self.order(bundle, "open", worker=bundle.seeker)), bundle.seeker
        raise ValueError(row.target)

    def headers(self, role: str, resident: str) -> dict:
        """The role's token, for the caller's community: the resident and the employer's user act as
        themselves, everyone else as a member of the community."""
        subject = {"resident": resident, "employer": self.own.boss}.get(role, f"mx-{role}-{self.tag}")
        return self.token(role, subject, (COMMUNITY,))

    def call(self, row: Row, role: str, which: str) -> tuple[int, str]:
        bundle, target, owner = self.target(row, role, which, fresh=row.expected(role, which) < 300)
        # The caller is always themselves (the own bundle's people); only the object changes. A resident's
        # own object may be a seeker of its own, made for the cell: then they are that resident.
        resident = owner if which == "own" else self.own.seeker
        return self.send(row, bundle, target, self.headers(role, resident))


@pytest.fixture(scope="session")
def world(gateway_url, issuer_dir):
    world = World(gateway_url, issuer_dir)
    yield world
    world.close()


@pytest.mark.parametrize("row, role, which", CELLS)
def test_authorization(world, row, role, which):
    assert_cell(world, row, role, which)


EMPLOYMENT_PREFIXES = ("/v1/skills", "/v1/employers", "/v1/vacancies", "/v1/employment-figures", "/v1/job-seekers",
                       "/v1/me/job-seeker", "/v1/me/matches", "/v1/applications", "/v1/placements", "/v1/job-fairs",
                       "/v1/courses", "/v1/me/enrolments", "/v1/enrolments", "/v1/workshop-orders",
                       "/v1/me/workshop-orders")


def test_the_matrix_covers_every_employment_route(gateway_url):
    """A route added without a row here fails this test."""
    assert uncovered_routes(gateway_url, TABLE, EMPLOYMENT_PREFIXES, frozenset({WORKER})) == []
