"""TURN REST credentials (linli/kit/turn.py) and the signalling relay's checks of what participants send
(gateway/rooms.py). That coturn accepts the credentials is in tests/e2e/test_call_signalling.py."""
import base64
import hashlib
import hmac

import pytest

from gateway.rooms import IceCandidate, SignalIn, check_signal, sdp_problems
from gateway.problems import Problem
from linli.kit import turn
from tests.e2e.test_call_signalling import CANDIDATE, OFFER


def test_a_turn_credential_is_the_expiry_and_subject_signed_with_the_shared_secret():
    credential = turn.credential("s3cret", "pager-1", 600, now=1_700_000_000)
    assert credential.username == "1700000600:pager-1"
    expected = base64.b64encode(hmac.new(b"s3cret", b"1700000600:pager-1", hashlib.sha1).digest()).decode()
    assert credential.password == expected and credential.expires_at == 1_700_000_600


def test_no_turn_credential_without_a_secret_or_with_a_colon_in_the_subject():
    with pytest.raises(ValueError):
        turn.credential("", "pager-1", 600)
    with pytest.raises(ValueError):
        turn.credential("s3cret", "a:b", 600)


def test_a_webrtc_offer_passes_and_broken_ones_say_what_is_wrong():
    assert sdp_problems(OFFER) == []
    assert sdp_problems("v=1\r\n") == ["must start with v=0"]
    assert "has no media (m=) line" in sdp_problems("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n")
    assert sdp_problems(OFFER.replace("a=mid:0", "this is not sdp"))[0].startswith("line ")
    assert sdp_problems("v=0\r\n" + "a=x\r\n" * 20000) == ["longer than 65536 bytes"]


def test_a_candidate_line_is_checked_and_an_empty_one_ends_the_candidates():
    check_signal(SignalIn(type="candidate", candidate=IceCandidate(**CANDIDATE)))
    check_signal(SignalIn(type="candidate", candidate=IceCandidate(candidate="", sdpMid="0")))
    with pytest.raises(Problem) as refused:
        check_signal(SignalIn(type="candidate", candidate=IceCandidate(candidate="candidate:x 1 udp 1 evil\n 9 typ host",
                                                                       sdpMid="0")))
    assert refused.value.status == 422 and refused.value.errors[0]["field"] == "candidate.candidate"


def test_talking_with_the_elder_counts_as_a_call_for_help_and_is_never_limited_or_shed():
    from gateway.limits import is_emergency

    def post(path):
        return {"method": "POST", "path": path, "state": {"body": b"{}"}}

    for path in ("/v1/care-requests/cr-1/call/answer", "/v1/care-requests/cr-1/call/end",
                 "/v1/rooms/care-request/cr-1/signals"):
        assert is_emergency(post(path)), path
    for path in ("/v1/care-requests/cr-1/call", "/v1/rooms/terminal/pager-1/signals", "/v1/rooms/clinic/x/signals"):
        assert not is_emergency(post(path)), path
