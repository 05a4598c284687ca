"""Resuming a board stream after a dropped connection, and whose own requests a stream carries, without
RabbitMQ or the api: live envelopes are handed to the board as its consumer thread would, and the missed
events come from a stand-in for ListBoardEvents."""
import asyncio

import grpc

from gateway.board import OPENING, RESET, Board, event_from_envelope, own_requests
from linli.kit.identity import Caller

OPERATOR = Caller("op-1", frozenset({"operator"}), frozenset({"pilot"}))


def envelope(event_id: str, event_type: str = "care_request.raised", elder_id: str = "elder-1",
             assigned_to: str | None = None, **data) -> dict:
    care_request = {"id": "cr-1", "community_id": "pilot", "elder_id": elder_id, "kind": "CARE_KIND_EMERGENCY",
                    "status": "CARE_REQUEST_STATUS_RAISED", "version": "1"}
    if assigned_to:
        care_request["assignment"] = {"assignee_id": assigned_to}
    return {"id": event_id, "type": event_type, "community_id": "pilot", "occurred_at": "2026-01-02T03:04:05Z",
            "data": {"care_request": care_request, **data}}


def event_ids(frames: list[str]) -> list[str]:
    return [frame.split("\n")[0].removeprefix("id: ") for frame in frames if frame.startswith("id: ")]


async def first_frames(stream, count: int) -> list[str]:
    return [await asyncio.wait_for(anext(stream), 1) for _ in range(count)]


def test_a_resumed_stream_sends_the_missed_events_first_then_live_ones_without_duplicates():
    async def scenario():
        board = Board("amqp://127.0.0.1:1/", heartbeat_seconds=60)
        asked = []

        async def missed(after_event_id):
            asked.append(after_event_id)
            # While the api is asked, e-3 (also in its answer) and e-4 are published and reach us live.
            board._fan_out(envelope("e-3"))
            board._fan_out(envelope("e-4"))
            return [event_from_envelope(envelope("e-2")), event_from_envelope(envelope("e-3"))], True

        stream = board.stream(OPERATOR, last_event_id="e-1", missed=missed)
        frames = await first_frames(stream, 4)
        board._fan_out(envelope("e-5"))
        frames.append(await asyncio.wait_for(anext(stream), 1))
        return asked, frames

    asked, frames = asyncio.run(scenario())
    assert asked == ["e-1"]
    assert frames[0] == OPENING
    assert event_ids(frames) == ["e-2", "e-3", "e-4", "e-5"]


def test_a_stream_the_api_cannot_resume_is_told_to_reset_and_goes_on_live():
    async def incomplete(after_event_id):
        return [], False

    async def refused(after_event_id):
        raise grpc.aio.AioRpcError(grpc.StatusCode.PERMISSION_DENIED, None, None, "board only")

    async def scenario(missed, last_event_id):
        board = Board("amqp://127.0.0.1:1/", heartbeat_seconds=60)
        stream = board.stream(OPERATOR, last_event_id=last_event_id, missed=missed)
        frames = await first_frames(stream, 2)
        board._fan_out(envelope("e-9"))
        frames.append(await asyncio.wait_for(anext(stream), 1))
        return frames

    for missed, last_event_id in ((incomplete, "e-old"), (refused, "e-1"), (incomplete, "bad\nid")):
        frames = asyncio.run(scenario(missed, last_event_id))
        assert frames[:2] == [OPENING, RESET] and event_ids(frames) == ["e-9"]
        assert "id:" not in RESET  # the client keeps its last real event id


def test_own_streams_carry_the_residents_own_the_familys_elders_and_the_caregivers_jobs():
    resident = own_requests(Caller("elder-1", frozenset({"resident"}), frozenset({"pilot"})))
    family = own_requests(Caller("son-1", frozenset({"family"}), frozenset()), frozenset({"elder-1"}))
    stranger = own_requests(Caller("son-2", frozenset({"family"}), frozenset()), frozenset({"elder-2"}))
    caregiver = own_requests(Caller("cg-1", frozenset({"caregiver"}), frozenset({"pilot"})))
    mine = event_from_envelope(envelope("e-1", assigned_to="cg-1"))
    # A decline (or a timed-out assignment) no longer names the assignee; the event's data does.
    declined = event_from_envelope(envelope("e-2", "care_request.assignment_declined", assignee_id="cg-1"))
    neighbours = event_from_envelope(envelope("e-3", elder_id="elder-2"))

    assert resident(mine) and not resident(neighbours)
    assert family(mine) and not stranger(mine)
    assert caregiver(mine) and caregiver(declined) and not caregiver(neighbours)
