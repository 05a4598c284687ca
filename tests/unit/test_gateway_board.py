"""The board's fan-out of care-request events to SSE subscribers, without RabbitMQ: envelopes are handed
to it as the consumer thread would."""
import asyncio
import json

from gateway.board import HEARTBEAT, OPENING, Board, sse_frame
from linli.kit.identity import Caller


def operator(*communities: str) -> Caller:
    return Caller("op-1", frozenset({"operator"}), frozenset(communities))


def envelope(community_id: str = "pilot", event_type: str = "care_request.raised", **care_request) -> dict:
    return {
        "id": "evt-1", "type": event_type, "version": 1, "occurred_at": "2026-01-02T03:04:05.600000Z",
        "source": "eldercare", "community_id": community_id,
        "data": {"care_request": {"id": "cr-1", "community_id": community_id, "kind": "CARE_KIND_EMERGENCY",
                                  "status": "CARE_REQUEST_STATUS_RAISED", "channel": "CHANNEL_DEVICE",
                                  "version": "3", "raised_at": "2026-01-02T03:04:05.600Z", **care_request}},
    }


def test_a_frame_carries_the_event_id_type_and_the_rest_representation():
    frame = sse_frame(envelope(some_future_field="ignored"))

    head, data = frame.split("data: ")
    assert head == "id: evt-1\nevent: care_request.raised\n"
    assert frame.endswith("\n\n")
    payload = json.loads(data)
    assert payload["type"] == "care_request.raised"
    assert payload["occurred_at"] == "2026-01-02T03:04:05.600Z"
    care_request = payload["care_request"]
    assert (care_request["kind"], care_request["status"], care_request["channel"]) == ("emergency", "raised", "device")
    assert care_request["version"] == 3
    assert care_request["acknowledged_at"] is None


def test_an_envelope_that_would_forge_frames_is_refused():
    forged = envelope(event_type="care_request.raised\ndata: {}")

    try:
        sse_frame(forged)
    except ValueError:
        return
    raise AssertionError("a type with a line break was accepted")


def test_subscribers_get_only_the_communities_they_serve():
    async def scenario():
        board = Board("amqp://127.0.0.1:1/", heartbeat_seconds=60)
        pilot, elsewhere, district = board.stream(operator("pilot")), board.stream(operator("east")), board.stream(operator("*"))
        for stream in (pilot, elsewhere, district):
            assert await anext(stream) == OPENING
        board._fan_out(envelope("pilot"))
        got_pilot = await asyncio.wait_for(anext(pilot), 1)
        got_district = await asyncio.wait_for(anext(district), 1)
        elsewhere_waiting = asyncio.ensure_future(anext(elsewhere))
        await asyncio.sleep(0.05)
        assert not elsewhere_waiting.done()
        elsewhere_waiting.cancel()
        return got_pilot, got_district

    got_pilot, got_district = asyncio.run(scenario())
    assert got_pilot.startswith("id: evt-1\n") and got_district == got_pilot


def test_a_quiet_stream_sends_heartbeats():
    async def scenario():
        board = Board("amqp://127.0.0.1:1/", heartbeat_seconds=0.05)
        stream = board.stream(operator("pilot"))
        return [await anext(stream), await asyncio.wait_for(anext(stream), 1)]

    assert asyncio.run(scenario()) == [OPENING, HEARTBEAT]


def test_a_subscriber_that_falls_behind_is_cut_off_rather_than_buffered_without_bound():
    async def scenario():
        board = Board("amqp://127.0.0.1:1/", heartbeat_seconds=60)
        slow = board.stream(operator("pilot"))
        await anext(slow)
        for _ in range(101):  # one more than the subscriber's queue holds
            board._fan_out(envelope())
        remaining = [frame async for frame in slow]
        return remaining, board.subscriber_count

    remaining, subscribers = asyncio.run(scenario())
    assert remaining == []
    assert subscribers == 0


def test_closing_the_streams_ends_them():
    async def scenario():
        board = Board("amqp://127.0.0.1:1/", heartbeat_seconds=60)
        stream = board.stream(operator("pilot"))
        await anext(stream)
        board.close_streams()
        return [frame async for frame in stream]

    assert asyncio.run(scenario()) == []
