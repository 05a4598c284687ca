"""Linli's consultation room of a teleconsultation, against the whole platform: each participant's own
join link points at the gateway's room page; the patient, the community clinician and the hospital's
specialist (a link from the partner exchange, over mutual TLS) enter the room's signalling; entering and
leaving are recorded on the teleconsultation, whose status follows; an uninvited person, someone else's
link, a tampered one, a moved session's and a full room are refused with problem+json. (Media through the
room: tests/browser/test_consultation_room.py.)"""
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import grpc
import httpx
import pytest

from linli_dev import partner_ca, partner_sim
from linli.clinic.partner.v1 import partner_pb2, partner_pb2_grpc
from tests.e2e.arrange import bearer, ok
from tests.e2e.conftest import COMMUNITY, SseReader

CITY = "city-central-hospital"


@pytest.fixture(scope="module")
def hospital(stack):
    """The city hospital on the partner port, with a client certificate from the alliance's CA."""
    tls = Path(stack.env["CLINIC_PARTNER_TLS_DIR"])
    certs = partner_ca.issue_partner(tls.parent / "alliance-ca", CITY, Path(tempfile.mkdtemp()) / CITY)
    with grpc.secure_channel(stack.env["CLINIC_PARTNER_ADDR"], partner_sim.credentials(certs)) as channel:
        yield partner_pb2_grpc.PartnerExchangeServiceStub(channel)


@pytest.fixture(scope="module")
def nurse(issuer_dir):
    return bearer(issuer_dir, "clinician", "nurse-zhao")


def consultation(gateway_url, nurse, issuer_dir, starts_in=timedelta(minutes=5)) -> dict:
    """A patient consenting to teleconsultations with the city hospital, and a session of theirs that
    starts in a few minutes (its room opens a quarter of an hour before)."""
    resident = f"elder-{uuid.uuid4().hex[:8]}"
    patient = ok(httpx.post(f"{gateway_url}/v1/patients", headers=nurse, timeout=5, json={
        "community_id": COMMUNITY, "resident_id": resident, "name": "刘桂兰"}), 201)
    ok(httpx.post(f"{gateway_url}/v1/patients/{patient['id']}/consents", headers=nurse, timeout=5,
                  json={"scopes": ["teleconsultation"], "recipient": CITY}), 201)
    session = ok(httpx.post(f"{gateway_url}/v1/teleconsultations", headers=nurse, timeout=5, json={
        "patient_id": patient["id"], "partner_id": CITY, "department": "心内科", "specialist": "王主任",
        "reason": "血压控制不佳，请专科会诊"}), 201)
    start = datetime.now(timezone.utc) + starts_in
    ok(httpx.post(f"{gateway_url}/v1/teleconsultations/{session['id']}/schedule", headers=nurse, timeout=5,
                  json={"start": start.isoformat(), "duration_minutes": 30}))
    return {"id": session["id"], "resident": bearer(issuer_dir, "resident", resident)}


def link_of(gateway_url, headers, session_id) -> str:
    return ok(httpx.get(f"{gateway_url}/v1/teleconsultations/{session_id}", headers=headers, timeout=5))["join_url"]


def token(link: str) -> str:
    return link.split("#join=", 1)[1]


def room(gateway_url, session_id, what="signals") -> str:
    return f"{gateway_url}/v1/teleconsultations/{session_id}/room/{what}"


def with_link(headers: dict | None, link: str, device: str | None = None) -> dict:
    out = {**(headers or {}), "X-Linli-Join-Token": token(link)}
    if device:
        out["X-Linli-Join-Device"] = device
    return out


def session_of(gateway_url, nurse, session_id) -> dict:
    return ok(httpx.get(f"{gateway_url}/v1/teleconsultations/{session_id}", headers=nurse, timeout=5))


def eventually(fetch, check, timeout: float):
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if check(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def refused(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


def test_each_participant_gets_a_link_of_their_own_to_the_room_page_the_gateway_serves(
        gateway_url, nurse, issuer_dir):
    session = consultation(gateway_url, nurse, issuer_dir)
    patients_link = link_of(gateway_url, session["resident"], session["id"])
    nurses_link = link_of(gateway_url, nurse, session["id"])
    page = f"{gateway_url}/consultation/?teleconsultation={session['id']}#join="
    assert patients_link.startswith(page) and nurses_link.startswith(page) and patients_link != nurses_link
    served = httpx.get(f"{gateway_url}/consultation/", timeout=5)
    assert served.status_code == 200 and "远程会诊" in served.text
    assert "script-src 'self'" in served.headers["content-security-policy"]


def test_the_patient_and_the_clinician_in_the_room_put_the_session_in_progress_and_their_leaving_is_recorded(
        gateway_url, nurse, issuer_dir):
    session = consultation(gateway_url, nurse, issuer_dir)
    clinician = SseReader(room(gateway_url, session["id"]), with_link(nurse, link_of(gateway_url, nurse, session["id"])))
    assert clinician.status == 200
    assert clinician.next_matching(lambda f: f["event"] == "welcome")["data"]["from"]["role"] == "clinician"
    assert session_of(gateway_url, nurse, session["id"])["status"] == "scheduled"  # nobody to consult yet
    patient = SseReader(room(gateway_url, session["id"]),
                        with_link(session["resident"], link_of(gateway_url, session["resident"], session["id"])))
    try:
        assert patient.status == 200
        joined = clinician.next_matching(lambda f: f["event"] == "join")["data"]["from"]
        assert joined["role"] == "patient"
        now = session_of(gateway_url, nurse, session["id"])
        assert now["status"] == "in_progress" and now["history"][-1]["by"] == "room"
        assert sorted(a["participant"] for a in now["attendance"] if a["left_at"] is None) == ["clinician", "patient"]
    finally:
        patient.close()
        clinician.close()
    # The gateway notices a client gone at its next write to the stream (a heartbeat within 15 s).
    left = eventually(lambda: session_of(gateway_url, nurse, session["id"]),
                      lambda s: all(a["left_at"] for a in s["attendance"]), timeout=40)
    assert all(a["left_at"] for a in left["attendance"]) and len(left["attendance"]) == 2
    assert left["status"] == "in_progress"  # out before the scheduled end: they may come back


def test_the_hospitals_specialist_enters_with_a_link_from_the_partner_exchange_on_one_device_only(
        gateway_url, nurse, issuer_dir, hospital):
    session = consultation(gateway_url, nurse, issuer_dir)
    listed = hospital.ListTeleconsultations(partner_pb2.ListTeleconsultationsRequest(page_size=200), timeout=10)
    assert session["id"] in {c.id for c in listed.teleconsultations}
    issued = hospital.IssueTeleconsultationJoinLink(partner_pb2.IssueTeleconsultationJoinLinkRequest(
        teleconsultation_id=session["id"]), timeout=10)
    assert issued.join_url.startswith(f"{gateway_url}/consultation/?teleconsultation={session['id']}#join=")
    device = uuid.uuid4().hex
    ice = ok(httpx.get(room(gateway_url, session["id"], "ice-servers"), headers=with_link(None, issued.join_url, device),
                       timeout=5))
    assert ice["iceServers"][0]["username"].endswith(":" + CITY)
    specialist = SseReader(room(gateway_url, session["id"]), with_link(None, issued.join_url, device))
    try:
        assert specialist.status == 200
        welcome = specialist.next_matching(lambda f: f["event"] == "welcome")["data"]["from"]
        assert (welcome["subject"], welcome["role"]) == (CITY, "specialist")
        elsewhere = httpx.get(room(gateway_url, session["id"]), timeout=5,
                              headers=with_link(None, issued.join_url, uuid.uuid4().hex))
        assert "another device" in refused(elsewhere, 403)["detail"]
        entered = session_of(gateway_url, nurse, session["id"])["attendance"]
        assert [(a["participant"], a["subject"]) for a in entered] == [("partner", CITY)]
    finally:
        specialist.close()
    with pytest.raises(grpc.RpcError) as not_theirs:
        hospital.IssueTeleconsultationJoinLink(partner_pb2.IssueTeleconsultationJoinLinkRequest(
            teleconsultation_id="no-such-session"), timeout=10)
    assert not_theirs.value.code() == grpc.StatusCode.NOT_FOUND


def test_an_uninvited_person_and_someone_elses_tampered_or_outdated_link_are_refused(
        gateway_url, nurse, issuer_dir):
    session = consultation(gateway_url, nurse, issuer_dir)
    other = consultation(gateway_url, nurse, issuer_dir)
    patients_link = link_of(gateway_url, session["resident"], session["id"])
    nurses_link = link_of(gateway_url, nurse, session["id"])
    neighbour = bearer(issuer_dir, "resident", "elder-next-door")
    doctor = bearer(issuer_dir, "clinician", "dr-sun")
    signals = room(gateway_url, session["id"])
    hangup = {"type": "hangup"}

    for headers in (with_link(neighbour, patients_link), with_link(None, patients_link),
                    with_link(doctor, nurses_link), with_link(session["resident"], nurses_link)):
        refused(httpx.get(signals, headers=headers, timeout=5), 403)
        refused(httpx.post(signals, headers=headers, json=hangup, timeout=5), 403)
        refused(httpx.get(room(gateway_url, session["id"], "ice-servers"), headers=headers, timeout=5), 403)
    payload, signature = token(patients_link).split(".")
    for wrong in (f"{payload}.{signature[::-1]}", token(link_of(gateway_url, other["resident"], other["id"]))):
        refused(httpx.get(signals, headers={**session["resident"], "X-Linli-Join-Token": wrong}, timeout=5), 404)
    refused(httpx.get(signals, headers=session["resident"], timeout=5), 401)  # no link at all: unauthenticated

    later = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    ok(httpx.post(f"{gateway_url}/v1/teleconsultations/{session['id']}/schedule", headers=nurse, timeout=5,
                  json={"start": later, "duration_minutes": 30}))
    assert "moved" in refused(httpx.get(signals, headers=with_link(session["resident"], patients_link), timeout=5),
                              409)["detail"]
    others_link = with_link(other["resident"], link_of(gateway_url, other["resident"], other["id"]))
    ok(httpx.post(f"{gateway_url}/v1/teleconsultations/{other['id']}/cancel", headers=nurse, timeout=5,
                  json={"reason": "患者住院"}))
    assert "closed" in refused(httpx.get(room(gateway_url, other["id"]), headers=others_link, timeout=5),
                               409)["detail"]


def test_the_room_refuses_one_more_than_it_holds(gateway_url, nurse, issuer_dir):
    session = consultation(gateway_url, nurse, issuer_dir)
    headers = with_link(nurse, link_of(gateway_url, nurse, session["id"]))
    streams = [SseReader(room(gateway_url, session["id"]), headers) for _ in range(3)]
    try:
        assert [s.status for s in streams] == [200] * 3  # the patient, the clinician and the hospital
        full = httpx.get(room(gateway_url, session["id"]), headers=headers, timeout=5)
        assert "full" in refused(full, 409)["detail"]
    finally:
        for stream in streams:
            stream.close()
