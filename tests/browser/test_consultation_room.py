"""Linli's consultation room with real media: the patient and the community clinician in two Chromium
contexts (fake camera and microphone: the microphone plays a 440 Hz tone) and the hospital's specialist in
aiortc (a link from the partner exchange; it speaks 880 Hz) enter one room and hear each other. The
browsers use relay-only ICE through the platform's coturn, which relays on loopback alone; aiortc gathers
its loopback address alone: no packet leaves 127.0.0.1."""
import tempfile
import time
import uuid
import wave
from datetime import datetime, timedelta, timezone
from pathlib import Path

import grpc
import httpx
import numpy
import pytest
from playwright.sync_api import expect

from linli_dev import partner_ca, partner_sim
from linli.clinic.partner.v1 import partner_pb2, partner_pb2_grpc
from linli_dev.testrun import ensure_chromium
from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.room_peer import RoomPeer, energy_at
from tests.e2e.arrange import bearer, ok
from tests.e2e.conftest import COMMUNITY, token_for

CITY = "city-central-hospital"
BROWSER_TONE, HOSPITAL_TONE = 440.0, 880.0

# Each remote peer's inbound audio and the ICE pair in use, from getStats(), per RTCPeerConnection.
STATS = """async () => {
  const out = [];
  for (const [peer, {pc, role}] of window.linliRoom.peers) {
    const row = {peer, role, packets: 0, energy: 0, localType: null, remoteAddress: null};
    const stats = await pc.getStats();
    stats.forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "audio") { row.packets += s.packetsReceived; row.energy += s.totalAudioEnergy || 0; }
      if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") {
        row.localType = stats.get(s.localCandidateId)?.candidateType;
        row.remoteAddress = stats.get(s.remoteCandidateId)?.address;
      }
    });
    out.push(row);
  }
  return out;
}"""


def tone_file(hertz: float) -> str:
    path = Path(tempfile.mkdtemp(prefix="linli-tone-")) / "tone.wav"
    t = numpy.arange(48_000 * 4) / 48_000
    samples = (numpy.sin(2 * numpy.pi * hertz * t) * 12_000).astype(numpy.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48_000)
        out.writeframes(samples.tobytes())
    return str(path)


@pytest.fixture(scope="module")
def media_browser(playwright_session):
    """Chromium with fake devices (the microphone plays a tone), no permission prompts, and loopback
    allowed in peer connections (the pages use relay-only ICE through coturn on 127.0.0.1)."""
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
            f"--use-file-for-fake-audio-capture={tone_file(BROWSER_TONE)}"]
    browser = playwright_session.chromium.launch(executable_path=ensure_chromium(), headless=True, args=args)
    yield browser
    browser.close()


def scheduled_session(gateway_url, issuer_dir, nurse) -> tuple[str, str]:
    resident = f"elder-{uuid.uuid4().hex[:8]}"
    patient = ok(httpx.post(f"{gateway_url}/v1/patients", headers=nurse, timeout=5, json={
        "community_id": COMMUNITY, "resident_id": resident, "name": "刘桂兰"}), 201)
    ok(httpx.post(f"{gateway_url}/v1/patients/{patient['id']}/consents", headers=nurse, timeout=5,
                  json={"scopes": ["teleconsultation"], "recipient": CITY}), 201)
    session = ok(httpx.post(f"{gateway_url}/v1/teleconsultations", headers=nurse, timeout=5, json={
        "patient_id": patient["id"], "partner_id": CITY, "department": "心内科", "reason": "血压控制不佳"}), 201)
    start = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat()
    ok(httpx.post(f"{gateway_url}/v1/teleconsultations/{session['id']}/schedule", headers=nurse, timeout=5,
                  json={"start": start, "duration_minutes": 30}))
    return session["id"], resident


def enter(browser, join_url: str, token: str):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(f"sessionStorage.setItem('linli.token', {token!r});")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(join_url)
    page.click("#join")
    expect(page.locator("#state")).to_have_attribute("data-state", "live")
    return page, errors


def hearing(page, expected_peers: int, timeout: float = 30.0) -> list[dict]:
    """The page's peers once each has received audio over a relayed pair (or what it had at the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = page.evaluate(STATS)
        if (len(rows) == expected_peers and all(r["packets"] > 50 and r["energy"] > 0 and r["localType"] for r in rows)) \
                or time.monotonic() > deadline:
            return rows
        time.sleep(0.5)


def test_the_patient_the_clinician_and_the_hospital_hear_each_other_in_one_room_through_coturn(
        media_browser, stack, gateway_url, issuer_dir):
    nurse = bearer(issuer_dir, "clinician", "nurse-zhao")
    session_id, resident = scheduled_session(gateway_url, issuer_dir, nurse)
    resident_headers = bearer(issuer_dir, "resident", resident)
    link = lambda headers: ok(httpx.get(f"{gateway_url}/v1/teleconsultations/{session_id}", headers=headers,
                                        timeout=5))["join_url"]

    patient, patient_errors = enter(media_browser, link(resident_headers), token_for(issuer_dir, "resident", resident))
    clinician, clinician_errors = enter(media_browser, link(nurse), token_for(issuer_dir, "clinician", "nurse-zhao"))
    expect(patient.locator('.tile[data-role="clinician"]')).to_be_visible()

    tls = Path(stack.env["CLINIC_PARTNER_TLS_DIR"])
    certs = partner_ca.issue_partner(tls.parent / "alliance-ca", CITY, Path(tempfile.mkdtemp()) / CITY)
    with grpc.secure_channel(stack.env["CLINIC_PARTNER_ADDR"], partner_sim.credentials(certs)) as channel:
        hospital_link = partner_pb2_grpc.PartnerExchangeServiceStub(channel).IssueTeleconsultationJoinLink(
            partner_pb2.IssueTeleconsultationJoinLinkRequest(teleconsultation_id=session_id), timeout=10).join_url
    hospital = RoomPeer(gateway_url, hospital_link, HOSPITAL_TONE).start()
    try:
        assert hospital.entered.wait(15), hospital.errors
        for page in (patient, clinician):
            rows = hearing(page, expected_peers=2)
            assert sorted(r["role"] for r in rows) in (["clinician", "specialist"], ["patient", "specialist"]), rows
            for row in rows:
                assert row["packets"] > 50 and row["energy"] > 0, rows  # audio arrives from each other one
                # Chromium may leave a remote candidate's address empty (one it learned as peer-reflexive);
                # coturn relays to loopback peers alone (linli_dev.devstack), so a relay pair is loopback either way.
                assert row["localType"] == "relay" and (row["remoteAddress"] or "127.").startswith("127."), rows
        deadline = time.monotonic() + 20
        browsers = [p for p, role in hospital.roles.items() if role in ("patient", "clinician")]
        while time.monotonic() < deadline and not (len(browsers) == 2 and all(
                energy_at(hospital.samples_from(p), BROWSER_TONE) > 0.5 for p in browsers)):
            time.sleep(0.5)
        shares = {hospital.roles[p]: round(energy_at(hospital.samples_from(p), BROWSER_TONE), 3) for p in browsers}
        assert sorted(shares) == ["clinician", "patient"] and all(s > 0.5 for s in shares.values()), shares
        status = ok(httpx.get(f"{gateway_url}/v1/teleconsultations/{session_id}", headers=nurse, timeout=5))
        assert status["status"] == "in_progress"
        assert sorted(a["participant"] for a in status["attendance"] if not a["left_at"]) == \
               ["clinician", "partner", "patient"]
    finally:
        hospital.stop()
        for page in (patient, clinician):
            page.context.close()
    assert not patient_errors and not clinician_errors and not hospital.errors
