"""Call recordings only with the elder's consent (docs/calls.md, "Recording and consent"): without the
consent nothing is recorded and the route refuses; with it a piece of the call is kept with the care
request, and storing, listing and fetching it are each audited. (The purge past retention: the service
tier, tests/service/test_call_recordings_purge.py.)"""
import io
import math
import struct
import wave

import httpx

from tests.e2e.arrange import bearer, elder_with_pager, ok, press


def a_second_of_tone(frequency=440, rate=8000) -> bytes:
    """A real WAV file: a second of a sine tone, 8 kHz mono 16-bit (16 kB, under the body limit)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * n / rate)))
                                 for n in range(rate)))
    return buffer.getvalue()


def answered(gateway_url, operator_headers, issuer_dir, consents: bool) -> tuple[str, str, dict]:
    elder_id, device_id = elder_with_pager(gateway_url, operator_headers, "西区 11号楼", speakerphone=True)
    if consents:
        ok(httpx.put(f"{gateway_url}/v1/elders/{elder_id}/consents/recording", headers=operator_headers,
                     json={"granted": True}, timeout=5))
    care_request_id = press(gateway_url, issuer_dir, device_id)["id"]
    request = ok(httpx.post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/answer",
                            headers=operator_headers, timeout=10))
    return elder_id, care_request_id, request["calls"][-1]


def upload(gateway_url, headers, care_request_id, audio: bytes, content_type="audio/wav"):
    return httpx.post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/recordings",
                      headers={**headers, "Content-Type": content_type}, content=audio, timeout=10)


def test_without_the_elders_consent_nothing_is_recorded_and_the_route_refuses(
        gateway_url, operator_headers, issuer_dir):
    _, care_request_id, call = answered(gateway_url, operator_headers, issuer_dir, consents=False)
    assert call["recording_allowed"] is False  # what the operator's board shows
    refused = upload(gateway_url, operator_headers, care_request_id, a_second_of_tone())
    assert refused.status_code == 409 and refused.headers["content-type"].startswith("application/problem+json")
    assert "not consented to recording" in refused.json()["detail"]
    listed = ok(httpx.get(f"{gateway_url}/v1/care-requests/{care_request_id}/call/recordings",
                          headers=operator_headers, timeout=5))
    assert listed["items"] == []


def test_with_consent_the_recording_is_kept_with_the_request_and_every_access_is_audited(
        gateway_url, operator_headers, issuer_dir):
    _, care_request_id, call = answered(gateway_url, operator_headers, issuer_dir, consents=True)
    assert call["recording_allowed"] is True
    audio = a_second_of_tone()
    stored = ok(upload(gateway_url, operator_headers, care_request_id, audio), 201)
    assert (stored["call_id"], stored["size_bytes"], stored["recorded_by"]) == (call["id"], len(audio), "op-wang")
    assert stored["purge_after"] > stored["recorded_at"]

    path = f"{gateway_url}/v1/care-requests/{care_request_id}/call/recordings"
    [listed] = ok(httpx.get(path, headers=operator_headers, timeout=5))["items"]
    assert listed["id"] == stored["id"]
    fetched = httpx.get(f"{path}/{stored['id']}", headers=operator_headers, timeout=5)
    assert fetched.status_code == 200 and fetched.content == audio
    assert fetched.headers["content-type"] == "audio/wav"

    accesses = ok(httpx.get(f"{gateway_url}/v1/care-requests/{care_request_id}/call/recording-accesses",
                            headers=bearer(issuer_dir, "administrator", "admin-zhang"), timeout=5))["items"]
    assert [(a["action"], a["by"], a["recording_id"]) for a in accesses] == [
        ("stored", "op-wang", stored["id"]), ("listed", "op-wang", stored["id"]), ("fetched", "op-wang", stored["id"])]
    # Not the operator's to read the audit; nobody of another community hears it.
    assert httpx.get(f"{gateway_url}/v1/care-requests/{care_request_id}/call/recording-accesses",
                     headers=operator_headers, timeout=5).status_code == 403
    elsewhere = bearer(issuer_dir, "operator", "op-far", communities=("xinhe",))
    assert httpx.get(f"{path}/{stored['id']}", headers=elsewhere, timeout=5).status_code == 404


def test_a_withdrawn_consent_stops_the_recording_at_once(gateway_url, operator_headers, issuer_dir):
    elder_id, care_request_id, _ = answered(gateway_url, operator_headers, issuer_dir, consents=True)
    ok(upload(gateway_url, operator_headers, care_request_id, a_second_of_tone()), 201)
    ok(httpx.put(f"{gateway_url}/v1/elders/{elder_id}/consents/recording", headers=operator_headers,
                 json={"granted": False}, timeout=5))
    assert upload(gateway_url, operator_headers, care_request_id, a_second_of_tone()).status_code == 409


def test_a_recording_that_is_not_audio_is_refused(gateway_url, operator_headers, issuer_dir):
    _, care_request_id, _ = answered(gateway_url, operator_headers, issuer_dir, consents=True)
    refused = upload(gateway_url, operator_headers, care_request_id, b"{}", content_type="application/json")
    assert refused.status_code == 400 and refused.headers["content-type"].startswith("application/problem+json")
    assert "content_type" in refused.text
