"""An emergency whose push and SMS reached nobody (notify's emergency.unreached) reaches the operators'
board of its community, and never a person's own stream; envelopes are handed to the board as its
consumer thread would."""
import asyncio
import json

from gateway.board import OPENING, Board, own_requests
from linli.kit.identity import Caller

UNREACHED = {"id": "unreached-ev-9", "type": "emergency.unreached", "version": 1, "source": "notify",
             "occurred_at": "2026-12-07T18:00:01Z", "community_id": "pilot", "priority": 9,
             "data": {"care_request_id": "cr-7", "community_id": "pilot", "elder_id": "elder-7",
                      "event_type": "care_request.raised", "recipients": ["daughter-7"], "deliveries_tried": 2,
                      "at": "2026-12-07T18:00:01Z"}}


def test_operators_of_the_community_get_the_alert_without_an_id_and_the_family_stream_does_not():
    async def scenario():
        board = Board("amqp://127.0.0.1:1/", heartbeat_seconds=60)
        operators = board.stream(Caller("op-1", frozenset({"operator"}), frozenset({"pilot"})))
        elsewhere = board.stream(Caller("op-2", frozenset({"operator"}), frozenset({"east"})))
        family = board.stream(Caller("daughter-7", frozenset({"family"}), frozenset()),
                              own_requests(Caller("daughter-7", frozenset({"family"}), frozenset()),
                                           frozenset({"elder-7"})))
        for stream in (operators, elsewhere, family):
            assert await anext(stream) == OPENING
        board._fan_out(UNREACHED)
        got = await asyncio.wait_for(anext(operators), 1)
        others = [asyncio.ensure_future(anext(s)) for s in (elsewhere, family)]
        await asyncio.sleep(0.05)
        assert not any(o.done() for o in others)
        for o in others:
            o.cancel()
        return got

    frame = asyncio.run(scenario())
    assert frame.startswith("event: emergency.unreached\ndata: ")  # no id: resume stays on care-request events
    payload = json.loads(frame.split("data: ", 1)[1])
    assert payload["unreached"] == {"care_request_id": "cr-7", "community_id": "pilot", "elder_id": "elder-7",
                                    "event_type": "care_request.raised", "recipients": ["daughter-7"],
                                    "deliveries_tried": 2}
