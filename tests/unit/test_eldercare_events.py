"""Event envelopes: the shape every consumer relies on, and a lossless round trip of the payload."""
from datetime import datetime, timezone

from linli.kit.identity import Caller
from services.eldercare import events
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_POLICY

NOW = datetime(2026, 11, 27, 2, 30, 0, 123000, tzinfo=timezone.utc)
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))


def test_a_raised_event_carries_the_envelope_and_the_request_survives_the_round_trip():
    request = care.raise_request(
        OPERATOR, care.NewCareRequest("donghuayuan", "elder-1", "medical", "phone",
                                        care.Location("东区 3号楼", "2单元", 4, ""), "血压偏高"),
        "cr-1", NOW, DEFAULT_POLICY)
    event = events.raised(request)
    assert {k: event[k] for k in ("type", "version", "source", "community_id")} == {
        "type": "care_request.raised", "version": 1, "source": "eldercare", "community_id": "donghuayuan"}
    assert event["occurred_at"] == "2026-11-27T02:30:00.123000Z"
    carried = events.care_request_in(event)
    assert carried.kind == "medical" and carried.location.building == "东区 3号楼"
    assert carried.raised_at == NOW and carried.acknowledge_due_at == request.acknowledge_due_at


def test_every_event_has_a_fresh_id():
    request = care.raise_request(OPERATOR, care.NewCareRequest("donghuayuan", "e", "meal", "app"),
                                   "cr-2", NOW, DEFAULT_POLICY)
    assert events.raised(request)["id"] != events.raised(request)["id"]
