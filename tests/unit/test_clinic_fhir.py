"""The FHIR R4 rendering of a referral (services/clinic/fhir.py): a Bundle holding a ServiceRequest and
its Task, with FHIR's codes, no empty elements, and nothing a partner may not see."""
import json
from datetime import datetime, timezone

from linli.kit.identity import Caller
from services.clinic import fhir
from services.clinic.domain import patients
from services.clinic.domain import referrals as ref

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
CITY = "city-central-hospital"
NURSE = Caller("nurse-zhao", frozenset({"clinician"}), frozenset({"donghuayuan"}))
PARTNERS = frozenset({CITY})
TASK_STATUSES = {"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress",
                 "on-hold", "failed", "completed", "entered-in-error"}
REQUEST_STATUSES = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}


def consenting_patient(*scopes):
    p = patients.register(NURSE, "pt-1", "donghuayuan", "elder-dq-0312",
                          patients.PatientDetails("刘桂兰", "female", "1948-03-12", problems=("高血压",)), NOW)
    p, _ = patients.add_result(NURSE, p, "r-1", "ecg", "静息心电图", "2026-11-20", "ecg://station/1", "application/pdf",
                               NOW)
    return patients.grant_consent(NURSE, p, "c-1", scopes or ("referral",), CITY, None, PARTNERS, NOW)[0]


def referral(p):
    content = ref.Content("referral", "urgent", "胸闷气短两周", "高血压十年", attachments=(
        ref.Attachment("", "心电图", "application/pdf", 51_200, "https://clinic.example/ecg/1"),))
    r = ref.create_outbound(NURSE, p, "ref-1", CITY, content, "req-1", None, PARTNERS, NOW)
    r = ref.update_task(r, CITY, CITY, "accepted", "visit-scheduled", "", NOW)
    return r


def empties(value, path="$"):
    if value in ("", [], {}, None):
        yield path
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from empties(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from empties(v, f"{path}[{i}]")


def test_a_referral_renders_as_a_bundle_of_a_service_request_and_its_task():
    p = consenting_patient("referral", "summary", "results")
    bundle = json.loads(fhir.bundle_json(ref.partner_view(referral(p), p, CITY, NOW)))
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    request, task = (entry["resource"] for entry in bundle["entry"])
    assert request["resourceType"] == "ServiceRequest" and task["resourceType"] == "Task"
    assert request["status"] in REQUEST_STATUSES and request["intent"] == "order" and request["priority"] == "urgent"
    assert request["subject"] == {"reference": "Patient/pt-1", "display": "刘桂兰"}
    assert request["requester"]["reference"] == "Organization/clinic-donghuayuan"
    assert request["performer"] == [{"reference": f"Organization/{CITY}", "display": "抚顺市中心医院"}]
    assert request["identifier"][0]["value"] == "req-1"
    assert {c["resourceType"] for c in request["contained"]} == {"DocumentReference"}
    assert [s["reference"] for s in request["supportingInfo"]] == ["#att-1", "#result-r-1"]
    assert any("高血压" in n["text"] for n in request["note"])
    assert task["status"] in TASK_STATUSES and task["status"] == "accepted" and task["intent"] == "order"
    assert task["focus"] == {"reference": "ServiceRequest/ref-1"} and task["for"] == {"reference": "Patient/pt-1"}
    assert task["businessStatus"]["coding"][0] == {"system": fhir.BUSINESS_STATUS_SYSTEM, "code": "visit-scheduled"}
    assert task["owner"]["reference"] == f"Organization/{CITY}"
    assert not list(empties(bundle)), "FHIR forbids empty elements"


def test_the_rendering_leaves_out_what_the_partner_may_not_see():
    p = consenting_patient("referral", "summary")
    sent = referral(p)  # with consent; then the patient withdraws it
    p = patients.withdraw_consent(NURSE, p, "c-1", NOW)[0]
    text = fhir.bundle_json(ref.partner_view(sent, p, CITY, NOW))
    assert "刘桂兰" not in text and "胸闷" not in text and "高血压" not in text and "ecg://" not in text
    request = json.loads(text)["entry"][0]["resource"]
    assert {s["code"] for s in request["meta"]["security"]} == {"subject", "clinical", "summary", "results"}
    assert request["subject"] == {"reference": "Patient/pt-1"}
