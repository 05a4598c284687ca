"""A third person brought into a call (docs/calls.md, "A third person"): the operator on the call invites a
family contact of the elder or the community's clinician, who join the call's room with their own sign-in;
the clinician invites a hospital's specialist, who joins with the invitation's token. Only the invited get
in, before the invitation expires, and never from another community; the call records who joined and left."""
import time

import httpx

from tests.e2e.arrange import bearer, elder_with_pager, fresh, ok, press
from tests.e2e.conftest import SseReader

ELSEWHERE = "xinhe"


def post(url, headers, body=None):
    return httpx.post(url, headers=headers, json=body, timeout=10)


def answered_call(gateway_url, operator_headers, issuer_dir, family_user_id=None) -> str:
    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 5号楼", speakerphone=True,
                                    family_user_id=family_user_id)
    care_request_id = press(gateway_url, issuer_dir, device_id)["id"]
    ok(post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/answer", operator_headers))
    return care_request_id


def room(gateway_url, care_request_id):
    return f"{gateway_url}/v1/rooms/care-request/{care_request_id}/signals"


def guests(gateway_url, operator_headers, care_request_id) -> list[dict]:
    request = ok(httpx.get(f"{gateway_url}/v1/care-requests/{care_request_id}", headers=operator_headers, timeout=5))
    return request["calls"][-1]["guests"]


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def is_problem(response, status):
    return (response.status_code == status
            and response.headers["content-type"].startswith("application/problem+json"))


def test_the_operator_brings_in_a_family_contact_who_joins_and_leaves_and_the_call_records_both(
        gateway_url, operator_headers, issuer_dir):
    family = fresh("family")
    care_request_id = answered_call(gateway_url, operator_headers, issuer_dir, family_user_id=family)
    family_headers = bearer(issuer_dir, "family", family)
    # Not yet invited: the family follows the request but takes no part in its call.
    assert is_problem(httpx.get(room(gateway_url, care_request_id), headers=family_headers, timeout=5), 403)

    invited = ok(post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/invitations", operator_headers,
                      {"guest": "family", "subject": family}), 201)
    assert invited["invitation_token"] is None  # they join with their own sign-in
    assert (invited["invitation"]["kind"], invited["invitation"]["subject"], invited["invitation"]["invited_by"]) == (
        "family", family, "op-wang")
    assert invited["invitation"]["joined_at"] is None

    operator = SseReader(room(gateway_url, care_request_id), operator_headers)
    try:
        operator.next_matching(lambda f: f["event"] == "welcome")
        relative = SseReader(room(gateway_url, care_request_id), family_headers)
        assert relative.status == 200
        joined = operator.next_matching(lambda f: f["event"] == "join")["data"]["from"]
        assert (joined["subject"], joined["role"]) == (family, "family")
        [guest] = wait_for(lambda: [g for g in guests(gateway_url, operator_headers, care_request_id) if g["joined_at"]])
        assert guest["left_at"] is None
        relative.close()
        operator.next_matching(lambda f: f["event"] == "leave", timeout=30)
        [guest] = wait_for(lambda: [g for g in guests(gateway_url, operator_headers, care_request_id) if g["left_at"]])
        assert guest["left_at"] >= guest["joined_at"] >= guest["invited_at"]
    finally:
        operator.close()


def test_only_the_invited_person_gets_in(gateway_url, operator_headers, issuer_dir):
    family, other_family = fresh("family"), fresh("family")
    care_request_id = answered_call(gateway_url, operator_headers, issuer_dir, family_user_id=family)
    ok(post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/invitations", operator_headers,
            {"guest": "clinician", "subject": "dr-sun"}), 201)
    # The invited clinician gets in; another clinician of the community does not, nor the uninvited family.
    invited = SseReader(room(gateway_url, care_request_id), bearer(issuer_dir, "clinician", "dr-sun"))
    try:
        assert invited.status == 200
    finally:
        invited.close()
    assert is_problem(httpx.get(room(gateway_url, care_request_id), timeout=5,
                                headers=bearer(issuer_dir, "clinician", "dr-zhou")), 404)
    assert is_problem(httpx.get(room(gateway_url, care_request_id), timeout=5,
                                headers=bearer(issuer_dir, "family", family)), 403)
    # A family member of somebody else cannot be invited; nor can anyone but the operator on the call invite.
    stranger = post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/invitations", operator_headers,
                    {"guest": "family", "subject": other_family})
    assert stranger.status_code in (400, 422) and "contact" in stranger.json()["detail"] + str(stranger.json())
    another_operator = post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/invitations",
                            bearer(issuer_dir, "operator", "op-qian"), {"guest": "family", "subject": family})
    assert is_problem(another_operator, 403)


def test_a_person_of_another_community_can_never_join_even_when_named(gateway_url, operator_headers, issuer_dir):
    care_request_id = answered_call(gateway_url, operator_headers, issuer_dir)
    ok(post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/invitations", operator_headers,
            {"guest": "clinician", "subject": "dr-far"}), 201)
    elsewhere = bearer(issuer_dir, "clinician", "dr-far", communities=(ELSEWHERE,))
    assert is_problem(httpx.get(room(gateway_url, care_request_id), headers=elsewhere, timeout=5), 404)


def test_an_invitation_not_used_before_it_expires_is_refused(gateway_url, operator_headers, issuer_dir):
    care_request_id = answered_call(gateway_url, operator_headers, issuer_dir)
    ok(post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/invitations", operator_headers,
            {"guest": "clinician", "subject": "dr-late", "expires_in_seconds": 5}), 201)
    clinician = bearer(issuer_dir, "clinician", "dr-late")
    refused = wait_for(lambda: (lambda r: r if r.status_code == 409 else None)(
        httpx.post(room(gateway_url, care_request_id), headers=clinician, timeout=5,
                   json={"type": "mute", "muted": True})))
    assert is_problem(refused, 409) and "expired" in refused.json()["detail"]
    assert is_problem(httpx.get(room(gateway_url, care_request_id), headers=clinician, timeout=5), 409)


def test_the_clinician_in_the_call_brings_in_a_hospital_specialist_who_joins_with_the_token_alone(
        gateway_url, operator_headers, issuer_dir):
    care_request_id = answered_call(gateway_url, operator_headers, issuer_dir)
    path = f"{gateway_url}/v1/care-requests/{care_request_id}/call"
    clinician = bearer(issuer_dir, "clinician", "dr-wu")
    # The operator may not invite a specialist; nor a clinician not in the call.
    assert post(f"{path}/invitations", operator_headers, {"guest": "specialist", "subject": "hosp-dr-chen"}
                ).status_code in (403, 404)
    ok(post(f"{path}/invitations", operator_headers, {"guest": "clinician", "subject": "dr-wu"}), 201)
    assert is_problem(post(f"{path}/invitations", clinician, {"guest": "specialist", "subject": "hosp-dr-chen"}), 403)
    in_call = SseReader(room(gateway_url, care_request_id), clinician)
    try:
        in_call.next_matching(lambda f: f["event"] == "welcome")
        invited = ok(post(f"{path}/invitations", clinician, {"guest": "specialist", "subject": "hosp-dr-chen"}), 201)
        token = invited["invitation_token"]
        assert token and invited["invitation"]["invited_by"] == "dr-wu"

        assert is_problem(httpx.get(f"{path}/guest/signals", timeout=5), 401)
        assert is_problem(httpx.get(f"{path}/guest/signals", headers={"X-Linli-Invitation-Token": "x" * 43},
                                    timeout=5), 404)
        specialist = SseReader(f"{path}/guest/signals", {"X-Linli-Invitation-Token": token})
        try:
            assert specialist.status == 200
            joined = in_call.next_matching(lambda f: f["event"] == "join")["data"]["from"]
            assert joined["role"] == "specialist"
            servers = ok(httpx.get(f"{path}/guest/ice-servers", headers={"X-Linli-Invitation-Token": token}, timeout=5))
            assert servers["iceServers"][0]["username"].endswith(joined["subject"].replace(":", "_"))
        finally:
            specialist.close()
        # The token opens this call only.
        other = answered_call(gateway_url, operator_headers, issuer_dir)
        assert is_problem(httpx.get(f"{gateway_url}/v1/care-requests/{other}/call/guest/signals",
                                    headers={"X-Linli-Invitation-Token": token}, timeout=5), 404)
        kinds = wait_for(lambda: [g for g in guests(gateway_url, operator_headers, care_request_id)
                                  if g["kind"] == "specialist" and g["left_at"]])
        assert kinds[0]["subject"] == "hosp-dr-chen" and kinds[0]["joined_at"]
    finally:
        in_call.close()


def test_when_the_call_ends_its_invitations_no_longer_open_it(gateway_url, operator_headers, issuer_dir):
    care_request_id = answered_call(gateway_url, operator_headers, issuer_dir)
    ok(post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/invitations", operator_headers,
            {"guest": "clinician", "subject": "dr-gone"}), 201)
    ok(post(f"{gateway_url}/v1/care-requests/{care_request_id}/call/end", operator_headers, {"reason": "hung_up"}))
    assert is_problem(httpx.get(room(gateway_url, care_request_id), timeout=5,
                                headers=bearer(issuer_dir, "clinician", "dr-gone")), 404)
