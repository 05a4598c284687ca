"""The clinic through every process: clinicians over the gateway's REST API, a partner hospital over the
partner port (gRPC with mutual TLS, driven by the partner simulator `linli partner-sim` uses), elder
care's worker turning the hospital's back-referral into a home follow-up visit booked for the plan's due
date, the nurse's triage
list fed from elder care's calls, and the audit log an administrator reads."""
import json
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo
from urllib.parse import quote

import grpc
import httpx
import pytest

from linli_dev import partner_ca, partner_sim
from linli.clinic.partner.v1 import partner_pb2 as pb
from linli.clinic.partner.v1 import partner_pb2_grpc
from tests.e2e.arrange import bearer, elder_with_pager, fresh, ok, press
from tests.e2e.conftest import COMMUNITY

CITY = "city-central-hospital"


@pytest.fixture(scope="module")
def hospital(stack):
    """The city hospital's client certificate, from the CA the platform's partner port trusts."""
    tls = Path(stack.env["CLINIC_PARTNER_TLS_DIR"])
    certs = partner_ca.issue_partner(tls.parent / "alliance-ca", CITY, Path(tempfile.mkdtemp()) / CITY)
    with grpc.secure_channel(stack.env["CLINIC_PARTNER_ADDR"], partner_sim.credentials(certs)) as channel:
        stub = partner_pb2_grpc.PartnerExchangeServiceStub(channel)
        yield partner_sim.PartnerHospital(stub, CITY, pace=0, say=lambda line: None)


@pytest.fixture(scope="module")
def nurse(issuer_dir):
    return bearer(issuer_dir, "clinician", "nurse-zhao")


def eventually(fetch, check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if check(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def patient_for(gateway_url, nurse, resident_id: str, consent_to: str | None = CITY) -> dict:
    patient = ok(httpx.post(f"{gateway_url}/v1/patients", headers=nurse, timeout=5, json={
        "community_id": COMMUNITY, "resident_id": resident_id, "name": "刘桂兰", "sex": "female",
        "birth_date": "1948-03-12", "problems": ["高血压", "冠心病"], "medications": ["硝苯地平"],
        "allergies": ["青霉素"]}), 201)
    if consent_to:
        ok(httpx.post(f"{gateway_url}/v1/patients/{patient['id']}/consents", headers=nurse, timeout=5, json={
            "scopes": ["referral", "summary"], "recipient": consent_to}), 201)
    return patient


def test_a_referral_goes_up_to_the_hospital_and_the_elder_comes_home_to_a_follow_up_visit(
        gateway_url, operator_headers, nurse, hospital, issuer_dir):
    elder_id, _ = elder_with_pager(gateway_url, operator_headers, "东区 5号楼")
    patient = patient_for(gateway_url, nurse, elder_id)
    referral = ok(httpx.post(f"{gateway_url}/v1/referrals", headers={**nurse, "X-Linli-Purpose": quote("转诊心内科")},
                             timeout=5, json={"patient_id": patient["id"], "performer_id": CITY, "priority": "urgent",
                                              "reason": "胸闷气短两周，心电图ST段改变",
                                              "clinical_summary": "高血压十年，近两周活动后胸闷。"}), 201)
    assert referral["task"]["status"] == "requested" and referral["performer"]["name"] == "抚顺市中心医院"

    # The hospital sees what the patient consented to, and works the referral over mTLS.
    shown = hospital.stub.GetReferral(pb.GetReferralRequest(referral_id=referral["id"]), timeout=5).referral
    assert shown.subject.name == "刘桂兰" and list(shown.shared_summary.allergies) == ["青霉素"]
    back = hospital.perform(shown)

    done = ok(httpx.get(f"{gateway_url}/v1/referrals/{referral['id']}", headers=nurse, timeout=5))
    assert done["task"]["status"] == "completed" and done["task"]["outcomes"][0]["text"].startswith("门诊复查")
    fhir = httpx.get(f"{gateway_url}/v1/referrals/{referral['id']}/fhir", headers=nurse, timeout=5)
    assert fhir.headers["content-type"].startswith("application/fhir+json")
    assert [e["resource"]["resourceType"] for e in fhir.json()["entry"]] == ["ServiceRequest", "Task"]

    # The back-referral reached elder care, which booked a home follow-up visit for the elder on the morning
    # of the plan's due date: among the upcoming visits, not the live calls, its clock not yet running.
    def follow_ups(path="/v1/care-requests/upcoming"):
        items = ok(httpx.get(f"{gateway_url}{path}", headers=operator_headers, timeout=5,
                             params={"page_size": 200}))["items"]
        return [c for c in items if c["elder_id"] == elder_id and c["description"].startswith("出院随访")]

    [visit] = eventually(follow_ups, bool)
    assert visit["kind"] == "medical" and "抚顺市中心医院" in visit["description"]
    due_date = back.content.follow_up.due_date
    zone = ZoneInfo("Asia/Shanghai")
    scheduled_for = datetime.fromisoformat(visit["scheduled_for"].replace("Z", "+00:00"))
    assert scheduled_for.astimezone(zone).date().isoformat() == due_date
    assert scheduled_for == datetime(*date.fromisoformat(due_date).timetuple()[:3], 9, tzinfo=zone)
    acknowledge_due_at = datetime.fromisoformat(visit["acknowledge_due_at"].replace("Z", "+00:00"))
    assert acknowledge_due_at == scheduled_for + timedelta(minutes=3)
    # Its SLA runs from that morning (days away), so nothing is overdue or escalated meanwhile.
    assert acknowledge_due_at > datetime.now(timezone.utc) + timedelta(days=5)
    assert follow_ups("/v1/care-requests") == []
    again = ok(httpx.get(f"{gateway_url}/v1/care-requests/{visit['id']}", headers=operator_headers, timeout=5))
    assert (again["status"], again["escalation_level"], again["escalated_at"]) == ("raised", 0, None)
    # ... a medical call, which reaches the nurse's triage list on that morning, not days before
    # (tests/service/test_clinic_worker.py follows it there).
    entries = ok(httpx.get(f"{gateway_url}/v1/triage", headers=nurse, timeout=5,
                           params={"page_size": 200, "include_closed": "true"}))["items"]
    assert not any(e["care_request_id"] == visit["id"] for e in entries)

    # The clinic, performer of the back-referral, schedules the visit.
    scheduled = ok(httpx.post(f"{gateway_url}/v1/referrals/{back.id}/task", headers=nurse, timeout=5,
                              json={"status": "accepted", "business_status": "visit-scheduled"}))
    assert scheduled["task"]["business_status"] == "visit-scheduled"

    # Every access is in the audit log: the clinician through HTTP with her purpose, the hospital as partner.
    admin = bearer(issuer_dir, "administrator", "admin-sun")
    records = ok(httpx.get(f"{gateway_url}/v1/audit-records", headers=admin, timeout=5,
                           params={"patient_id": patient["id"], "page_size": 200}))["items"]
    doors = {(r["actor"], r["channel"], r["action"]) for r in records}
    assert ("nurse-zhao", "http", "referral.create") in doors
    assert (CITY, "partner", "referral.update_task") in doors and (CITY, "partner", "referral.submit") in doors
    assert any(r["purpose"] == "转诊心内科" for r in records)


def test_the_nurse_sees_an_elders_medical_call_and_closes_it(gateway_url, operator_headers, nurse, issuer_dir):
    elder_id, device_id = elder_with_pager(gateway_url, operator_headers, "西区 9号楼")
    call = press(gateway_url, issuer_dir, device_id, kind="medical")
    entries = eventually(lambda: ok(httpx.get(f"{gateway_url}/v1/triage", headers=nurse, timeout=5,
                                              params={"page_size": 200}))["items"],
                         lambda items: any(e["care_request_id"] == call["id"] for e in items))
    [entry] = [e for e in entries if e["care_request_id"] == call["id"]]
    assert (entry["kind"], entry["resident_id"], entry["status"]) == ("medical", elder_id, "open")
    ok(httpx.post(f"{gateway_url}/v1/triage/{entry['id']}/acknowledge", headers=nurse, timeout=5))
    closed = ok(httpx.post(f"{gateway_url}/v1/triage/{entry['id']}/close", headers=nurse, timeout=5,
                           json={"disposition": "home_visit", "note": "血压165/95，已上门处理"}))
    assert (closed["status"], closed["disposition"]) == ("closed", "home_visit")
    # The command centre never sees the clinic's records.
    assert httpx.get(f"{gateway_url}/v1/triage", headers=operator_headers, timeout=5).status_code == 403


def test_health_data_stay_with_the_patient_and_their_clinicians(gateway_url, operator_headers, nurse, issuer_dir):
    resident = fresh("resident")
    patient = patient_for(gateway_url, nurse, resident, consent_to=None)
    me = bearer(issuer_dir, "resident", resident)
    assert ok(httpx.get(f"{gateway_url}/v1/patients/{patient['id']}", headers=me, timeout=5))["allergies"] == ["青霉素"]
    for headers in (operator_headers, bearer(issuer_dir, "family", "family-1"),
                    bearer(issuer_dir, "administrator", "admin-sun")):
        response = httpx.get(f"{gateway_url}/v1/patients/{patient['id']}", headers=headers, timeout=5)
        assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
    refused = httpx.post(f"{gateway_url}/v1/referrals", headers=nurse, timeout=5, json={
        "patient_id": patient["id"], "performer_id": CITY, "reason": "复查"})
    assert refused.status_code == 409 and "consent" in json.dumps(refused.json())


def test_the_partner_simulator_command_works_the_referrals_waiting_for_its_hospital(stack, gateway_url, nurse):
    """`linli partner-sim --once`, as a partner's developer would run it against a running Linli."""
    tls = Path(stack.env["CLINIC_PARTNER_TLS_DIR"])
    certs = partner_ca.issue_partner(tls.parent / "alliance-ca", "district-hospital",
                                     Path(tempfile.mkdtemp()) / "district-hospital")
    patient = patient_for(gateway_url, nurse, fresh("resident"), consent_to="district-hospital")
    referral = ok(httpx.post(f"{gateway_url}/v1/referrals", headers=nurse, timeout=5, json={
        "patient_id": patient["id"], "performer_id": "district-hospital", "reason": "血糖控制差，调整方案"}), 201)
    run = subprocess.run([sys.executable, "-m", "linli_dev.cli", "partner-sim", "--partner", "district-hospital", "--once",
                          "--pace", "0", "--address", stack.env["CLINIC_PARTNER_ADDR"], "--certs", str(certs)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "district-hospital: 1 referral(s) performed" in run.stdout
    done = ok(httpx.get(f"{gateway_url}/v1/referrals/{referral['id']}", headers=nurse, timeout=5))
    assert done["task"]["status"] == "completed"
    back = ok(httpx.get(f"{gateway_url}/v1/referrals", headers=nurse, timeout=5,
                        params={"patient_id": patient["id"]}))["items"]
    assert any(r["content"]["category"] == "back_referral" and r["content"]["based_on"] == referral["id"] for r in back)
