"""The authorization matrix of the clinic: every endpoint × every role × the caller's own object and someone
else's, generated from the one table below (TABLE), each cell a test that asserts the status the gateway answers.

Own and foreign, per role:
- resident: their own patient record and what hangs on it (teleconsultations, referrals) / a neighbour's;
- family, caregiver, volunteer, device: the same objects as the resident's (health data are the patient's:
  none of them sees any);
- clinician, and every other role: their community's patient, registered with its clinic and consenting to
  share with the alliance's hospitals / another community's. (What a patient without consent may not have,
  a referral or a teleconsultation, is refused as a state, not a role: tests/e2e/test_clinic_flow.py.)
The nurse's triage list is the community's, not a person's: for every role the foreign entry is another
community's. Endpoints that address a community (lists, registering patients, the audit log) take the
caller's community and another one. Endpoints that address nothing have an "own" cell only.

Everything is set up through the API once per session: patients over REST, triage entries by elder care's
medical calls (the clinic's worker opens them), back-referrals by a partner hospital over the partner port
(mutual TLS). A cell that expects to change its object's state gets an object of its own (in the state the
endpoint needs), so cells never depend on each other's order; the others share one per kind and owner.

The machinery is shared with the other services' tables (tests/e2e/matrix.py).
"""
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import grpc
import pytest

from linli_dev import partner_ca, partner_sim
from linli.clinic.partner.v1 import partner_pb2, partner_pb2_grpc
from linli.clinic.v1 import referrals_pb2
from tests.e2e import matrix
from tests.e2e.conftest import COMMUNITY
from tests.e2e.matrix import ELSEWHERE, TODAY, Row, assert_cell, cells, every, uncovered_routes

CITY = "city-central-hospital"
PATIENT = ("clinician", "resident")  # who sees a patient's record: their clinicians and the patient


def _new_patient(target, bundle):
    return {"community_id": bundle.community, "resident_id": f"mx-res-{uuid.uuid4().hex[:8]}", "name": "刘桂兰"}


def _new_teleconsultation(target, bundle):
    return {"patient_id": target, "partner_id": CITY, "department": "心内科", "reason": "血压控制不佳，请专科会诊"}


def _new_referral(target, bundle):
    return {"patient_id": target, "performer_id": CITY, "reason": "胸闷气短两周，心电图ST段改变"}


def _tomorrow(target, bundle):
    return {"start": (datetime.now(timezone.utc) + timedelta(days=1)).isoformat(), "duration_minutes": 30}


_RESULT = {"type": "ecg", "title": "静息心电图", "date": TODAY, "reference": "ecg://station-39/mx-0001"}
_CONSENT = {"scopes": ["summary"], "recipient": CITY}
_EVERYTHING = {"scopes": ["referral", "teleconsultation", "summary", "results"], "recipient": "*"}
_NOTE = {"text": "患者诉头晕两天"}

TABLE = [
    # -- patients -----------------------------------------------------------------------------------------
    Row("POST", "/v1/patients", "community", own=every(201, "clinician"), others=403, foreign_others=403,
        body=_new_patient),
    # A resident lists their own record, whichever community they name.
    Row("GET", "/v1/patients?community_id={id}", "community", own=every(200, *PATIENT), others=403,
        foreign=every(200, "resident"), foreign_others=403),
    Row("GET", "/v1/patients/{id}", "patient", own=every(200, *PATIENT), others=404),
    Row("PATCH", "/v1/patients/{id}/summary", "patient", own={"clinician": 200, "resident": 403}, others=404,
        body={"allergies": ["青霉素"]}),
    Row("POST", "/v1/patients/{id}/results", "patient", own={"clinician": 201, "resident": 403}, others=404,
        body=_RESULT),
    # The patient decides; a clinician records a decision the patient gave them on a signed form.
    Row("POST", "/v1/patients/{id}/consents", "patient", own=every(201, *PATIENT), others=404, body=_CONSENT),
    Row("POST", "/v1/patients/{id}/consents/{consent}/withdraw", "consent", own=every(200, *PATIENT), others=404),
    # -- teleconsultations --------------------------------------------------------------------------------
    Row("POST", "/v1/teleconsultations", "patient", own={"clinician": 201, "resident": 403}, others=404,
        body=_new_teleconsultation),
    Row("GET", "/v1/teleconsultations?community_id={id}", "community", own=every(200, *PATIENT), others=403,
        foreign=every(200, "resident"), foreign_others=403),
    Row("GET", "/v1/teleconsultations/{id}", "teleconsultation@requested", own=every(200, *PATIENT), others=404),
    Row("POST", "/v1/teleconsultations/{id}/schedule", "teleconsultation@requested",
        own={"clinician": 200, "resident": 403}, others=404, body=_tomorrow),
    Row("POST", "/v1/teleconsultations/{id}/start", "teleconsultation@scheduled",
        own={"clinician": 200, "resident": 403}, others=404),
    Row("POST", "/v1/teleconsultations/{id}/complete", "teleconsultation@in_progress",
        own={"clinician": 200, "resident": 403}, others=404, body={"note": "调整降压方案，两周后复诊"}),
    Row("POST", "/v1/teleconsultations/{id}/cancel", "teleconsultation@requested", own=every(200, *PATIENT),
        others=404, body={"reason": "患者已住院"}),
    Row("POST", "/v1/teleconsultations/{id}/no-show", "teleconsultation@due",
        own={"clinician": 200, "resident": 403}, others=404),
    Row("POST", "/v1/teleconsultations/{id}/notes", "teleconsultation@requested",
        own={"clinician": 200, "resident": 403}, others=404, body=_NOTE),
    # -- the consultation room: each caller presents their own join link if they have one (the patient, a
    # clinician of the community), else the patient's: someone else's link is refused to anyone (403).
    Row("GET", "/v1/teleconsultations/{id}/room/signals", "teleconsultation@open", own=every(200, *PATIENT),
        others=403, foreign_others=403),
    Row("POST", "/v1/teleconsultations/{id}/room/signals", "teleconsultation@open", own=every(202, *PATIENT),
        others=403, foreign_others=403, body={"type": "hangup", "reason": "hung_up"}),
    Row("GET", "/v1/teleconsultations/{id}/room/ice-servers", "teleconsultation@open", own=every(200, *PATIENT),
        others=403, foreign_others=403),
    # -- referrals ----------------------------------------------------------------------------------------
    Row("GET", "/v1/partners", "none", own={}, others=200, foreign_others=None),  # the alliance's hospitals
    Row("POST", "/v1/referrals", "patient", own={"clinician": 201, "resident": 403}, others=404, body=_new_referral),
    Row("GET", "/v1/referrals?community_id={id}", "community", own=every(200, *PATIENT), others=403,
        foreign=every(200, "resident"), foreign_others=403),
    Row("GET", "/v1/referrals/{id}", "referral@requested", own=every(200, *PATIENT), others=404),
    Row("GET", "/v1/referrals/{id}/fhir", "referral@requested", own=every(200, *PATIENT), others=404),
    # The clinic, as requester, cancels; the patient reads and never acts for the clinic.
    Row("POST", "/v1/referrals/{id}/task", "referral@requested", own={"clinician": 200, "resident": 403},
        others=404, body={"status": "cancelled", "reason": "患者要求暂缓"}),
    # The clinic, as performer of a hospital's back-referral, attaches what it did.
    Row("POST", "/v1/referrals/{id}/outcomes", "referral@back", own={"clinician": 201, "resident": 403},
        others=404, body={"text": "已上门随访：血压135/85，穿刺点愈合良好"}),
    # -- the nurse's triage list --------------------------------------------------------------------------
    Row("GET", "/v1/triage?community_id={id}", "community", own=every(200, "clinician"), others=403,
        foreign_others=403),
    Row("GET", "/v1/triage/{id}", "triage", own=every(200, "clinician"), others=404),
    Row("POST", "/v1/triage/{id}/acknowledge", "triage", own=every(200, "clinician"), others=404),
    Row("POST", "/v1/triage/{id}/close", "triage", own=every(200, "clinician"), others=404,
        body={"disposition": "advice_given", "note": "电话指导服药"}),
    # -- the audit log: administrators, not the records themselves ---------------------------------------
    Row("GET", "/v1/audit-records?community_id={id}", "community", own=every(200, "administrator"), others=403,
        foreign_others=403),
]

# (method path, role, own|foreign) → why the platform answers otherwise today, as reported to the lead.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


CELLS = cells(TABLE, KNOWN_GAPS)


# -- the world the cells act in ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bundle:
    """A resident who is a patient of their community's clinic, consenting to share everything with the
    alliance's hospitals."""

    community: str
    resident: str
    patient: str


class World(matrix.World):
    community_kinds = frozenset({"community", "triage"})  # the nurse's triage list is the community's

    def __init__(self, gateway_url: str, issuer_dir: str, partner_address: str, partner_tls: Path):
        super().__init__(gateway_url, issuer_dir)
        self.setup = self.token("clinician", "mx-doc", (COMMUNITY, ELSEWHERE))
        self.operator = self.token("operator", "mx-op", (COMMUNITY, ELSEWHERE))
        self.partner_address, self.partner_tls = partner_address, partner_tls
        self._partner_channel = None
        self.own = self._bundle(COMMUNITY, "own")
        self.neighbour = self._bundle(COMMUNITY, "neighbour")
        self.elsewhere = self._bundle(ELSEWHERE, "elsewhere")

    def close(self) -> None:
        super().close()
        if self._partner_channel is not None:
            self._partner_channel.close()

    def _bundle(self, community: str, who: str) -> Bundle:
        resident = f"mx-res-{who}-{self.tag}"
        patient = self.ok("POST", "/v1/patients", json={"community_id": community, "resident_id": resident,
                                                        "name": "刘桂兰", "allergies": ["青霉素"]})["id"]
        self.ok("POST", f"/v1/patients/{patient}/consents", json=_EVERYTHING)
        return Bundle(community, resident, patient)

    def headers(self, role: str, bundle: Bundle) -> dict:
        """The role's token: the resident acts as the bundle's patient, everyone else as a community member."""
        subject = bundle.resident if role == "resident" else f"mx-{role}-{self.tag}"
        return self.token(role, subject, (bundle.community,))

    # -- objects in the states the endpoints need

    def teleconsultation(self, bundle: Bundle, state: str, fresh: bool) -> str:
        path = "/v1/teleconsultations/" + self.ok("POST", "/v1/teleconsultations",
                                                  json=_new_teleconsultation(bundle.patient, bundle))["id"]
        if state == "due":  # scheduled to begin in a moment; by the time of the call nobody has come
            start = datetime.now(timezone.utc) + timedelta(seconds=2.5)
            self.ok("POST", f"{path}/schedule", json={"start": start.isoformat()})
            if fresh:
                time.sleep(max(0.0, (start - datetime.now(timezone.utc)).total_seconds()) + 0.2)
        if state == "open":  # starting in five minutes: its room opened ten minutes ago
            start = datetime.now(timezone.utc) + timedelta(minutes=5)
            self.ok("POST", f"{path}/schedule", json={"start": start.isoformat()})
        if state in ("scheduled", "in_progress"):
            self.ok("POST", f"{path}/schedule", json=_tomorrow(None, bundle))
        if state == "in_progress":
            self.ok("POST", f"{path}/start")
        return path.rsplit("/", 1)[1]

    def referral(self, bundle: Bundle, state: str) -> str:
        if state == "requested":
            return self.ok("POST", "/v1/referrals", json=_new_referral(bundle.patient, bundle))["id"]
        # The hospital may send back only a patient it shares a referral of: the bundle's referral to it.
        self._shared(("referral", "requested", bundle.patient), lambda: self.referral(bundle, "requested"))
        back = self.partner().SubmitReferral(partner_pb2.SubmitReferralRequest(
            request_id=f"mx-back-{uuid.uuid4().hex[:8]}", patient_id=bundle.patient,
            content=referrals_pb2.ReferralContent(
                category=referrals_pb2.REFERRAL_CATEGORY_BACK_REFERRAL,
                priority=referrals_pb2.REFERRAL_PRIORITY_ROUTINE, reason="冠心病PCI术后出院，转回社区随访",
                follow_up=referrals_pb2.FollowUp(plan="出院后一周内上门随访"))), timeout=10).referral
        self.ok("POST", f"/v1/referrals/{back.id}/task", json={"status": "accepted"})
        return back.id

    def partner(self) -> partner_pb2_grpc.PartnerExchangeServiceStub:
        """The city hospital on the partner port, with a client certificate from the alliance's CA."""
        if self._partner_channel is None:
            certs = partner_ca.issue_partner(self.partner_tls.parent / "alliance-ca", CITY,
                                             Path(tempfile.mkdtemp(prefix="linli-mx-")) / CITY)
            self._partner_channel = grpc.secure_channel(self.partner_address, partner_sim.credentials(certs))
        return partner_pb2_grpc.PartnerExchangeServiceStub(self._partner_channel)

    def triage_entry(self, community: str) -> str:
        """An elder's medical call to elder care, on the nurse's list once the clinic's worker has read it."""
        elder, pager = f"mx-elder-{uuid.uuid4().hex[:8]}", f"mx-pager-{uuid.uuid4().hex[:8]}"
        self.ok("POST", "/v1/elders", headers=self.operator, json={"id": elder, "community_id": community,
                                                                   "name": "赵淑华"})
        self.ok("POST", "/v1/devices", headers=self.operator, json={"id": pager, "elder_id": elder, "kind": "pager"})
        call = self.ok("POST", f"/v1/devices/{pager}/press", headers=self.operator, json={"kind": "medical"})["id"]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            token = None
            while True:
                page = self.ok("GET", "/v1/triage", params={"community_id": community, "page_size": 200,
                                                            **({"page_token": token} if token else {})})
                found = next((e["id"] for e in page["items"] if e["care_request_id"] == call), None)
                token = page["next_page_token"]
                if found or not token:
                    break
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"setting up: care request {call} never reached the triage list")

    def target(self, row: Row, role: str, which: str, fresh: bool) -> tuple[Bundle, dict[str, str]]:
        """(the bundle acted on, what {id} and the path's other parameters stand for)."""
        kind, _, state = row.target.partition("@")
        bundle = self.bundle_for(role, which, kind)
        if kind == "community":
            return bundle, {"id": bundle.community}
        if kind == "none":
            return bundle, {"id": ""}
        if kind == "patient":
            return bundle, {"id": bundle.patient}
        if kind == "consent":
            def grant():
                return self.ok("POST", f"/v1/patients/{bundle.patient}/consents", json=_CONSENT)["id"]
            return bundle, {"id": bundle.patient, "consent": self._shared((kind, bundle.patient), grant, fresh)}
        if kind == "teleconsultation":
            return bundle, {"id": self._shared((kind, state, bundle.patient), lambda: self.teleconsultation(
                bundle, state, fresh), fresh)}
        if kind == "referral":
            return bundle, {"id": self._shared((kind, state, bundle.patient), lambda: self.referral(bundle, state),
                                               fresh)}
        if kind == "triage":
            return bundle, {"id": self._shared((kind, bundle.community), lambda: self.triage_entry(bundle.community),
                                               fresh)}
        raise ValueError(row.target)

    def call(self, row: Row, role: str, which: str) -> tuple[int, str]:
        bundle, ids = self.target(row, role, which, fresh=row.expected(role, which) < 300 and row.method != "GET")
        target = ids.pop("id")
        # The caller is always themselves; only the object changes.
        headers = self.headers(role, self.own)
        if "/room/" in row.path:
            headers = {**headers, "X-Linli-Join-Token": self.join_token(role, bundle, target)}
        return self.send(row, bundle, target, headers, **ids)

    def join_token(self, role: str, bundle: Bundle, consultation_id: str) -> str:
        """The caller's own join link to the session's room, or, having none, its patient's."""
        mine = self.client.get(f"/v1/teleconsultations/{consultation_id}", headers=self.headers(role, self.own))
        link = mine.json()["join_url"] if mine.status_code == 200 else ""
        if not link:
            patient = self.token("resident", bundle.resident, (bundle.community,))
            link = self.ok("GET", f"/v1/teleconsultations/{consultation_id}", headers=patient)["join_url"]
        return link.split("#join=", 1)[1]


@pytest.fixture(scope="session")
def world(stack, gateway_url, issuer_dir):
    world = World(gateway_url, issuer_dir, stack.env["CLINIC_PARTNER_ADDR"], Path(stack.env["CLINIC_PARTNER_TLS_DIR"]))
    yield world
    world.close()


@pytest.mark.parametrize("row, role, which", CELLS)
def test_authorization(world, row, role, which):
    assert_cell(world, row, role, which)


def test_the_matrix_covers_every_clinic_route(gateway_url):
    """A route added without a row here fails this test."""
    assert uncovered_routes(gateway_url, TABLE, CLINIC_PREFIXES) == []


CLINIC_PREFIXES = ("/v1/patients", "/v1/teleconsultations", "/v1/partners", "/v1/referrals", "/v1/triage",
                   "/v1/audit-records")
