"""Calls on care requests through the whole platform (docs/calls.md): a press on a terminal that can
speak raises the request with a ringing call that every operator of the community sees on the board;
the first operator to answer gets it and acknowledges the request; a second hears who did; hanging up
records the end and tells the terminal; a call-back rings the terminal's line; a terminal that drops
its signalling ends its call as terminal offline, and can be called back."""
import httpx

from tests.e2e.arrange import bearer, elder_with_pager, ok, press
from tests.e2e.conftest import SseReader


def post(url, headers, body=None):
    return httpx.post(url, headers=headers, json=body, timeout=10)


def test_a_pager_without_a_speakerphone_raises_the_request_without_a_call(gateway_url, operator_headers, issuer_dir):
    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 5号楼")
    assert press(gateway_url, issuer_dir, device_id)["calls"] == []


def test_a_video_terminal_offers_voice_and_video_and_every_operator_of_the_community_sees_it_ring(
        gateway_url, operator_headers, issuer_dir):
    boards = [SseReader(f"{gateway_url}/v1/board/stream", bearer(issuer_dir, "operator", subject))
              for subject in ("op-board-1", "op-board-2")]
    try:
        _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 7号楼", device_kind="video_terminal")
        raised = press(gateway_url, issuer_dir, device_id)
        [call] = raised["calls"]
        assert (call["state"], call["media"], call["direction"], call["device_id"]) == (
            "ringing", "audio_video", "from_terminal", device_id)
        assert call["callback_phone"] == "138 0413 1001"
        for board in boards:
            frame = board.next_matching(lambda f: (f["data"].get("care_request") or {}).get("id") == raised["id"])
            assert frame["event"] == "care_request.raised"
            assert frame["data"]["care_request"]["calls"][0]["state"] == "ringing"
    finally:
        for board in boards:
            board.close()


def test_the_first_operator_to_answer_gets_the_call_and_acknowledges_the_request_and_a_second_hears_who(
        gateway_url, issuer_dir):
    first, second = bearer(issuer_dir, "operator", "op-zhao"), bearer(issuer_dir, "operator", "op-qian")
    _, device_id = elder_with_pager(gateway_url, first, "西区 9号楼", speakerphone=True)
    raised = press(gateway_url, issuer_dir, device_id)
    assert raised["calls"][0]["media"] == "audio" and raised["status"] == "raised"
    path = f"{gateway_url}/v1/care-requests/{raised['id']}"

    answered = ok(post(f"{path}/call/answer", first))
    [call] = answered["calls"]
    assert (call["state"], call["answered_by"]) == ("answered", "op-zhao")
    assert (answered["status"], answered["acknowledged_by"]) == ("acknowledged", "op-zhao")
    assert answered["acknowledged_at"] == call["answered_at"]  # the SLA clock stopped when they answered

    again = post(f"{path}/call/answer", second)
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    assert "already answered by op-zhao" in again.json()["detail"]
    # Nor may the second join the call's room, or end the first one's call.
    room = httpx.get(f"{gateway_url}/v1/rooms/care-request/{raised['id']}/signals", headers=second, timeout=10)
    assert room.status_code == 409 and "op-zhao" in room.json()["detail"]
    assert post(f"{path}/call/end", second, {"reason": "hung_up"}).status_code == 403


def test_hanging_up_records_the_end_and_duration_and_tells_the_terminal(gateway_url, operator_headers, issuer_dir):
    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 3号楼", speakerphone=True)
    raised = press(gateway_url, issuer_dir, device_id)
    path = f"{gateway_url}/v1/care-requests/{raised['id']}"
    ok(post(f"{path}/call/answer", operator_headers))
    terminal = SseReader(f"{gateway_url}/v1/rooms/care-request/{raised['id']}/signals",
                         bearer(issuer_dir, "device", device_id))
    try:
        terminal.next_matching(lambda f: f["event"] == "welcome")
        ended = ok(post(f"{path}/call/end", operator_headers, {"reason": "hung_up"}))
        [call] = ended["calls"]
        assert (call["state"], call["end_reason"], call["ended_by"]) == ("ended", "hung_up", "op-wang")
        assert call["ended_at"] >= call["answered_at"] and call["duration_seconds"] >= 0
        hangup = terminal.next_matching(lambda f: f["event"] == "hangup")["data"]
        assert (hangup["reason"], hangup["call_id"], hangup["from"]["role"]) == ("hung_up", call["id"], "operator")
        assert post(f"{path}/call/end", operator_headers).status_code == 404  # no live call to end
    finally:
        terminal.close()


def test_a_dropped_call_is_marked_and_the_operator_calls_the_terminal_back_on_its_line(
        gateway_url, operator_headers, issuer_dir):
    _, device_id = elder_with_pager(gateway_url, operator_headers, "西区 11号楼", speakerphone=True)
    terminal_headers = bearer(issuer_dir, "device", device_id)
    raised = press(gateway_url, issuer_dir, device_id)
    path = f"{gateway_url}/v1/care-requests/{raised['id']}"
    ok(post(f"{path}/call/answer", operator_headers))
    dropped = ok(post(f"{path}/call/end", terminal_headers, {"reason": "dropped"}))
    assert dropped["calls"][0]["end_reason"] == "dropped" and dropped["calls"][0]["ended_by"] == device_id

    line = SseReader(f"{gateway_url}/v1/rooms/terminal/{device_id}/signals", terminal_headers)
    try:
        line.next_matching(lambda f: f["event"] == "welcome")
        rung = ok(post(f"{path}/call", operator_headers, {}), 201)
        call = rung["calls"][-1]
        assert (len(rung["calls"]), call["state"], call["direction"], call["offered_by"]) == (
            2, "ringing", "to_terminal", "op-wang")
        ring = line.next_matching(lambda f: f["event"] == "ring")["data"]
        assert (ring["care_request_id"], ring["call_id"]) == (raised["id"], call["id"])
        picked_up = ok(post(f"{path}/call/answer", terminal_headers, {"call_id": call["id"]}))
        assert picked_up["calls"][-1]["answered_by"] == device_id
    finally:
        line.close()
    # Nobody else listens on a terminal's line, nor rings it by posting there.
    for headers in (operator_headers, bearer(issuer_dir, "device", "another-pager")):
        assert httpx.get(f"{gateway_url}/v1/rooms/terminal/{device_id}/signals", headers=headers,
                         timeout=10).status_code == 404
    assert post(f"{gateway_url}/v1/rooms/terminal/{device_id}/signals", terminal_headers,
                {"type": "hangup"}).status_code == 403


def test_an_elder_without_a_terminal_that_speaks_cannot_be_called_back(gateway_url, operator_headers, issuer_dir):
    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 5号楼")
    raised = press(gateway_url, issuer_dir, device_id)
    refused = post(f"{gateway_url}/v1/care-requests/{raised['id']}/call", operator_headers, {})
    assert refused.status_code == 409 and "no terminal that can take a call" in refused.json()["detail"]


def _ended_on_board(board, care_request_id):
    def ended(frame):
        request = frame["data"].get("care_request") or {}
        calls = request.get("calls") or []
        return request.get("id") == care_request_id and calls and calls[-1]["state"] == "ended"
    return board.next_matching(ended, timeout=30)["data"]["care_request"]


def test_a_terminal_that_drops_its_signalling_while_ringing_ends_the_call_as_offline_and_can_be_called_back(
        gateway_url, operator_headers, issuer_dir):
    board = SseReader(f"{gateway_url}/v1/board/stream", operator_headers)
    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 3号楼", speakerphone=True)
    terminal_headers = bearer(issuer_dir, "device", device_id)
    try:
        raised = press(gateway_url, issuer_dir, device_id)
        room = SseReader(f"{gateway_url}/v1/rooms/care-request/{raised['id']}/signals", terminal_headers)
        room.next_matching(lambda f: f["event"] == "welcome")
        room.close()  # the terminal loses its connection while it rings
        request = _ended_on_board(board, raised["id"])
        [call] = request["calls"]
        assert (call["end_reason"], call["ended_by"], call["answered_at"]) == ("terminal_offline", device_id, None)
        assert request["status"] == "raised"  # nobody spoke with the elder: still unacknowledged, still escalates
        rung = ok(post(f"{gateway_url}/v1/care-requests/{raised['id']}/call", operator_headers, {}), 201)
        assert (rung["calls"][-1]["state"], rung["calls"][-1]["direction"]) == ("ringing", "to_terminal")
    finally:
        board.close()


def test_a_terminal_that_drops_its_signalling_in_a_call_hangs_up_the_operator_with_terminal_offline(
        gateway_url, operator_headers, issuer_dir):
    _, device_id = elder_with_pager(gateway_url, operator_headers, "西区 9号楼", speakerphone=True)
    raised = press(gateway_url, issuer_dir, device_id)
    path = f"{gateway_url}/v1/care-requests/{raised['id']}"
    ok(post(f"{path}/call/answer", operator_headers))
    operator_room = SseReader(f"{gateway_url}/v1/rooms/care-request/{raised['id']}/signals", operator_headers)
    terminal_room = SseReader(f"{gateway_url}/v1/rooms/care-request/{raised['id']}/signals",
                              bearer(issuer_dir, "device", device_id))
    try:
        terminal_room.next_matching(lambda f: f["event"] == "welcome")
        operator_room.next_matching(lambda f: f["event"] == "join" and f["data"]["from"]["role"] == "terminal")
        terminal_room.close()
        hangup = operator_room.next_matching(lambda f: f["event"] == "hangup", timeout=30)["data"]
        assert (hangup["reason"], hangup["from"]["role"], hangup["from"]["subject"]) == (
            "terminal_offline", "terminal", device_id)
        [call] = ok(httpx.get(path, headers=operator_headers, timeout=10))["calls"]
        assert (call["state"], call["end_reason"], call["id"]) == ("ended", "terminal_offline", hangup["call_id"])
        assert call["duration_seconds"] >= 0
    finally:
        operator_room.close()



def test_a_simulated_press_on_a_speaking_terminal_rings_the_board_and_waits_in_the_room_until_it_gives_up(
        stack, gateway_url, operator_headers, issuer_dir, monkeypatch):
    import random
    import threading
    import time

    from linli_dev import simulate
    from linli.eldercare.v1 import eldercare_pb2 as pb
    from linli.eldercare.v1 import residents_pb2
    from linli.kit import grpc_client

    monkeypatch.setenv("LINLI_DEV_ISSUER_DIR", issuer_dir)  # the terminal's token, from this stack's issuer
    elder_id, _ = elder_with_pager(gateway_url, operator_headers, "东区 5号楼")
    voice = "voice-" + elder_id.removeprefix("elder-")
    board = SseReader(f"{gateway_url}/v1/board/stream", operator_headers)
    tally = simulate.Tally(1)
    try:
        with grpc_client.insecure_channel(stack.env["ELDERCARE_API_ADDR"]) as channel:
            day = simulate.Day(speed=100_000, started=time.monotonic())
            story = threading.Thread(target=simulate.story, args=(
                channel, day, tally, random.Random(1), residents_pb2.RegisterElderRequest(id=elder_id),
                pb.CARE_KIND_EMERGENCY, None, simulate.Talking(gateway_url, ring_seconds=8)))
            story.start()

            def rings(frame):
                calls = (frame["data"].get("care_request") or {}).get("calls") or []
                return calls and calls[-1]["device_id"] == voice and calls[-1]["state"] == "ringing"
            raised = board.next_matching(rings, timeout=30)["data"]["care_request"]
            room = SseReader(f"{gateway_url}/v1/rooms/care-request/{raised['id']}/signals", operator_headers)
            try:  # the terminal waited in the call's room for an operator's offer, and leaves when it gives up
                room.next_matching(lambda f: f["event"] == "leave" and f["data"]["from"]["subject"] == voice,
                                   timeout=60)
            finally:
                room.close()
            story.join(timeout=90)
            assert not story.is_alive()
        request = _ended_on_board(board, raised["id"])
        assert (request["calls"][-1]["end_reason"], request["calls"][-1]["ended_by"]) == ("hung_up", voice)
        assert tally.terminals["call rang, nobody answered"] == 1
    finally:
        board.close()
