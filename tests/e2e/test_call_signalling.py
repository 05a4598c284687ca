"""Call signalling through the gateway (gateway/rooms.py) and the TURN credentials it issues, against the
whole platform with a real coturn: a terminal and an operator meet in a care request's room and exchange
an offer, an answer and candidates; coturn relays for the credential the gateway issued and refuses a
forged one; malformed offers and candidates are refused; nobody of another community gets in."""
import asyncio
import time
from urllib.parse import urlparse

import httpx
import pytest

from tests.e2e.arrange import bearer, elder_with_pager, ok, press
from tests.e2e.conftest import SseReader

# A plausible WebRTC offer (what Chromium sends, trimmed): the relay checks shape, not codecs.
OFFER = "\r\n".join([
    "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:EsAw", "a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1",
    "a=fingerprint:sha-256 D1:2C:BE:AD:C4:F6:64:5C:25:16:11:9C:AF:E7:0F:73:79:36:4E:9C:1E:15:54:39:0C:06:8B:ED:96:86:00:39",
    "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtpmap:111 opus/48000/2", ""])
CANDIDATE = {"candidate": "candidate:842163049 1 udp 1677729535 127.0.0.1 50123 typ relay raddr 127.0.0.1 rport 40000",
             "sdpMid": "0", "sdpMLineIndex": 0}


@pytest.fixture(scope="module")
def call(gateway_url, operator_headers, issuer_dir):
    elder_id, device_id = elder_with_pager(gateway_url, operator_headers, "东区 3号楼")
    care_request = press(gateway_url, issuer_dir, device_id)
    return care_request["id"], device_id


def signals(gateway_url, care_request_id):
    return f"{gateway_url}/v1/rooms/care-request/{care_request_id}/signals"


def test_the_terminal_and_an_operator_exchange_offer_answer_and_candidates_through_the_room(
        gateway_url, operator_headers, issuer_dir, call):
    care_request_id, device_id = call
    terminal_headers = bearer(issuer_dir, "device", device_id)
    terminal = SseReader(signals(gateway_url, care_request_id), terminal_headers)
    operator = SseReader(signals(gateway_url, care_request_id), operator_headers)
    try:
        assert terminal.status == operator.status == 200
        terminal_peer = terminal.next_matching(lambda f: f["event"] == "welcome")["data"]["from"]["peer"]
        operator_peer = operator.next_matching(lambda f: f["event"] == "welcome")["data"]["from"]["peer"]
        joined = terminal.next_matching(lambda f: f["event"] == "join" and f["data"]["from"]["peer"] == operator_peer)
        assert joined["data"]["from"]["role"] == "operator"

        ok(httpx.post(signals(gateway_url, care_request_id), headers=terminal_headers, timeout=5,
                      json={"type": "offer", "sdp": OFFER, "peer": terminal_peer, "to": operator_peer}), 202)
        offer = operator.next_matching(lambda f: f["event"] == "offer")["data"]
        assert offer["sdp"] == OFFER and offer["from"] == {"subject": device_id, "role": "terminal",
                                                            "peer": terminal_peer}
        ok(httpx.post(signals(gateway_url, care_request_id), headers=operator_headers, timeout=5,
                      json={"type": "answer", "sdp": OFFER, "peer": operator_peer, "to": terminal_peer}), 202)
        assert terminal.next_matching(lambda f: f["event"] == "answer")["data"]["from"]["role"] == "operator"
        ok(httpx.post(signals(gateway_url, care_request_id), headers=operator_headers, timeout=5,
                      json={"type": "candidate", "candidate": CANDIDATE, "peer": operator_peer}), 202)
        assert terminal.next_matching(lambda f: f["event"] == "candidate")["data"]["candidate"] == CANDIDATE
        ok(httpx.post(signals(gateway_url, care_request_id), headers=terminal_headers, timeout=5,
                      json={"type": "hangup", "reason": "hung_up", "peer": terminal_peer}), 202)
        assert operator.next_matching(lambda f: f["event"] == "hangup")["data"]["reason"] == "hung_up"
    finally:
        terminal.close()
        operator.close()


@pytest.mark.parametrize("signal, field", [
    ({"type": "offer", "sdp": "hello"}, "sdp"),
    ({"type": "offer", "sdp": OFFER.replace("a=fingerprint", "a=fingerpaint")}, "sdp"),
    ({"type": "answer"}, "sdp"),
    ({"type": "candidate", "candidate": {"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ bogus", "sdpMid": "0"}},
     "candidate.candidate"),
    ({"type": "candidate", "candidate": {"candidate": CANDIDATE["candidate"]}}, "candidate.sdpMid"),
])
def test_a_malformed_offer_or_candidate_is_refused_with_a_problem_naming_the_field(
        gateway_url, operator_headers, call, signal, field):
    response = httpx.post(signals(gateway_url, call[0]), headers=operator_headers, json=signal, timeout=5)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [error["field"] for error in response.json()["errors"]]


def test_nobody_of_another_community_nor_another_terminal_joins_the_room(gateway_url, issuer_dir, call):
    care_request_id, _ = call
    for headers in (bearer(issuer_dir, "operator", "op-elsewhere", ("another-community",)),
                    bearer(issuer_dir, "device", "pager-of-someone-else"),
                    bearer(issuer_dir, "resident", "someone")):
        for response in (httpx.get(signals(gateway_url, care_request_id), headers=headers, timeout=5),
                         httpx.post(signals(gateway_url, care_request_id), headers=headers, timeout=5,
                                    json={"type": "hangup"})):
            assert response.status_code == 404, response.text


def test_coturn_relays_for_the_credential_the_gateway_issues_and_refuses_a_forged_one(gateway_url, issuer_dir, call):
    from aioice import stun
    from aioice.turn import create_turn_endpoint

    reply = ok(httpx.get(f"{gateway_url}/v1/calls/ice-servers", headers=bearer(issuer_dir, "device", call[1]),
                         timeout=5))
    server = reply["iceServers"][0]
    expiry, subject = server["username"].split(":", 1)
    assert subject == call[1] and 0 < int(expiry) - time.time() <= 600
    url = urlparse(next(u for u in server["urls"] if "transport=udp" in u).replace("turn:", "turn://"))
    address = (url.hostname, url.port)

    async def allocate(password, peers=()):
        transport, _ = await create_turn_endpoint(asyncio.DatagramProtocol, address, server["username"], password)
        relayed = transport.get_extra_info("sockname")
        refused = []
        for channel, peer in enumerate(peers, start=0x4000):
            try:  # binds a channel (a permission) only: nothing is sent to the peer
                await transport._TurnTransport__inner_protocol.channel_bind(channel, peer)
            except stun.TransactionFailed:
                refused.append(peer[0])
        transport.close()
        return relayed, refused

    # coturn relays on loopback alone, for loopback peers alone: a documentation address (TEST-NET-1) is
    # refused as every non-loopback peer is.
    relayed, refused = asyncio.run(allocate(server["credential"], [("127.0.0.1", 9), ("192.0.2.1", 9)]))
    assert relayed[0] == "127.0.0.1" and refused == ["192.0.2.1"]
    with pytest.raises(stun.TransactionFailed):
        asyncio.run(allocate("forged" + server["credential"]))
