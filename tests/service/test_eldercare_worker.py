"""The eldercare Nameko worker on real RabbitMQ and SecantusDB: events applied once, escalation timer."""
import dataclasses
import time
from datetime import timedelta

import pytest
from nameko.testing.services import entrypoint_waiter

from linli.kit import outbox
from linli.kit.identity import Caller
from linli.kit.mongo import utcnow
from linli.kit.outbox import OutboxRelay
from linli.kit.indexes import ensure_service_indexes
from services.eldercare import events
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_POLICY, with_emergency_sla
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.worker import EldercareWorker
from services.eldercare.store import INDEXES

OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))
SLA_SECONDS = 1


@pytest.fixture
def store(mongo_client, db):
    store = CareRequestStore(mongo_client, db)
    ensure_service_indexes(store.db, INDEXES)
    return store


@pytest.fixture
def worker(container_factory, rabbit_config, mongo_uri, db):
    container = container_factory(EldercareWorker, {
        "MONGO_URI": mongo_uri, "MONGO_DB": db.name, "ELDERCARE_EMERGENCY_ACK_SLA_SECONDS": SLA_SECONDS})
    container.start()
    return container


def raise_request(store, kind="emergency"):
    request = care.raise_request(OPERATOR, care.NewCareRequest("donghuayuan", "elder-1", kind, "device"),
                                   f"cr-{kind}-{time.monotonic_ns()}", utcnow(), with_emergency_sla(SLA_SECONDS))
    store.add(request, events.raised(request))
    return request


def wait_for(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_redelivered_event_is_applied_once(worker, store, db, amqp_uri):
    request = raise_request(store, kind="meal")
    relay = OutboxRelay(db, amqp_uri)
    with entrypoint_waiter(worker, "count_raised", timeout=10):
        assert relay.publish_pending() == 1
    # Publish the very same event again, as a relay that crashed before marking it sent would.
    db[outbox.OUTBOX].update_many({}, {"$set": {"sent_at": None}})
    with entrypoint_waiter(worker, "count_raised", timeout=10):
        assert relay.publish_pending() == 1
    day = care.local_day(request.raised_at, "Asia/Shanghai")
    [figures] = store.figures("donghuayuan", day)
    assert figures["raised"] == 1
    assert db["applied_events"].count_documents({}) == 1


def test_the_timer_escalates_an_emergency_nobody_acknowledged_within_its_sla(worker, store, db):
    request = raise_request(store)
    assert wait_for(lambda: store.get(request.id).escalation_level >= 1, timeout=SLA_SECONDS + 5)
    escalated = store.get(request.id)
    assert escalated.status == care.RAISED and escalated.escalated_at >= request.acknowledge_due_at
    [event] = db[outbox.OUTBOX].find({"routing_key": "care_request.escalated"}).limit(1)
    assert event["body"]["data"]["level"] == 1
    assert event["body"]["data"]["care_request"]["id"] == request.id


def test_the_timer_leaves_an_acknowledged_emergency_alone(worker, store, db):
    request = raise_request(store)
    acknowledged = care.acknowledge(OPERATOR, request, utcnow())
    store.update(acknowledged, events.acknowledged(acknowledged))
    routine = raise_request(store, kind="cleaning")
    time.sleep(SLA_SECONDS + 1.0)  # well past the SLA, with the timer running every 0.2 s
    assert store.get(request.id).escalation_level == 0
    assert store.get(routine.id).escalation_level == 0
    assert db[outbox.OUTBOX].count_documents({"routing_key": "care_request.escalated"}) == 0


def test_an_assignment_nobody_accepts_in_time_goes_back_for_reassignment(worker, store, db):
    request = raise_request(store, kind="bathing")
    hurried = {**with_emergency_sla(SLA_SECONDS),
               "bathing": dataclasses.replace(DEFAULT_POLICY["bathing"], accept_within=timedelta(seconds=1))}
    assigned = care.assign(OPERATOR, request, care.Assignee("cg-li", "staff", "李护工"), True, "", utcnow(), hurried)
    store.update(assigned, events.care_request_event(care.CARE_REQUEST_ASSIGNED, assigned, utcnow()))
    assert wait_for(lambda: store.get(request.id).status == care.ACKNOWLEDGED, timeout=5)
    returned = store.get(request.id)
    assert returned.assignment is None and "did not accept in time" in returned.history[-1].note
    [declined] = db[outbox.OUTBOX].find({"routing_key": "care_request.assignment_declined"})
    assert declined["body"]["data"]["timed_out"] is True and declined["body"]["data"]["assignee_id"] == "cg-li"


def test_the_days_figures_follow_a_request_through_its_life(worker, store, db, amqp_uri):
    caregiver = Caller("cg-li", frozenset({"caregiver"}), frozenset({"donghuayuan"}))
    elder = Caller("elder-1", frozenset({"resident"}), frozenset({"donghuayuan"}))
    request = raise_request(store, kind="medical")  # not one the escalation timer would touch meanwhile
    steps = [
        (care.CARE_REQUEST_ASSIGNED, lambda r, now: care.assign(OPERATOR, r, care.Assignee("cg-li", "staff", "李"),
                                                                True, "", now, DEFAULT_POLICY)),
        (care.CARE_REQUEST_EN_ROUTE, lambda r, now: care.start_travel(caregiver, r, 5, now)),
        (care.CARE_REQUEST_ON_SITE, lambda r, now: care.arrive(OPERATOR, r, None, "电话确认", now)),
        (care.CARE_REQUEST_COMPLETED, lambda r, now: care.complete(caregiver, r, "", now)),
        (care.CARE_REQUEST_RATED, lambda r, now: care.rate(elder, r, 4, "", now)),
    ]
    for event_type, step in steps:
        now = utcnow()
        request = step(request, now)
        store.update(request, events.care_request_event(event_type, request, now))
    OutboxRelay(db, amqp_uri).publish_pending()
    day = care.local_day(request.raised_at, "Asia/Shanghai")

    def counted():
        rows = store.figures("donghuayuan", day)
        return rows and rows[0].get("completed") == 1 and rows[0].get("rating_count") == 1 and rows[0].get("arrived")

    assert wait_for(counted, timeout=10)
    [row] = store.figures("donghuayuan", day)
    assert (row["raised"], row["acknowledged"], row["arrived"], row["completed"], row["rating_sum"]) == (1, 1, 1, 1, 4)
    assert len(row["acknowledge_seconds"]) == 1 and len(row["arrive_seconds"]) == 1


def book_visit(store, when, policy, kind="medical"):
    new = care.NewCareRequest("donghuayuan", "elder-1", kind, "phone", scheduled_for=when)
    request = care.raise_request(OPERATOR, new, f"cr-booked-{time.monotonic_ns()}", utcnow(), policy)
    store.add(request, events.raised(request))
    return request


def test_the_timer_leaves_a_booked_visit_alone_until_its_time_then_climbs_the_ladder(worker, store, db):
    # A kind that escalates, with a one-second SLA: the booked visit would have climbed long before its
    # time if its clock ran from booking.
    escalating = {**with_emergency_sla(SLA_SECONDS), "medical": dataclasses.replace(
        DEFAULT_POLICY["medical"], escalates=True, acknowledge_within=timedelta(seconds=SLA_SECONDS))}
    request = book_visit(store, utcnow() + timedelta(seconds=4), escalating)
    time.sleep(2.5)  # past booking + SLA, with the timer running every 0.2 s
    assert store.get(request.id).escalation_level == 0
    assert wait_for(lambda: store.get(request.id).escalation_level >= 1, timeout=15)
    escalated = store.get(request.id)
    assert escalated.escalated_at >= request.scheduled_for + timedelta(seconds=SLA_SECONDS)


def test_a_booked_visits_figures_count_on_its_day_and_from_its_time(worker, store, db, amqp_uri):
    when = utcnow() + timedelta(days=1)
    request = book_visit(store, when, DEFAULT_POLICY)
    acknowledged = care.acknowledge(OPERATOR, request, utcnow())  # ahead of its time: within SLA, no wait
    store.update(acknowledged, events.acknowledged(acknowledged))
    OutboxRelay(db, amqp_uri).publish_pending()
    day = care.local_day(when, "Asia/Shanghai")

    def counted():
        rows = store.figures("donghuayuan", day)
        return rows and rows[0].get("raised") == 1 and rows[0].get("acknowledged") == 1

    assert wait_for(counted, timeout=10)
    [row] = store.figures("donghuayuan", day)
    assert (row["acknowledged_within_sla"], row["acknowledge_seconds"]) == (1, [0.0])
    assert store.figures("donghuayuan", care.local_day(request.raised_at, "Asia/Shanghai")) == []


def test_an_unanswered_call_escalates_as_an_unacknowledged_request_does_and_ends_unanswered(worker, store, db):
    raised = care.raise_request(OPERATOR, care.NewCareRequest("donghuayuan", "elder-1", "emergency", "device",
                                                              device_id="pager-1"),
                                f"cr-call-{time.monotonic_ns()}", utcnow(), with_emergency_sla(SLA_SECONDS))
    ringing = care.offer_call(raised, "call-1", "audio", "pager-1", "pager-1", utcnow(), new=True)
    store.add(ringing, events.raised(ringing))
    assert wait_for(lambda: store.get(ringing.id).escalation_level >= 1, timeout=SLA_SECONDS + 5)
    escalated = store.get(ringing.id)
    assert escalated.status == care.RAISED
    [call] = escalated.calls
    assert (call.state, call.end_reason, call.ended_by, call.duration_seconds) == (
        care.CALL_ENDED, care.UNANSWERED, "system", 0)
    [event] = db[outbox.OUTBOX].find({"routing_key": "care_request.escalated"}).limit(1)
    assert event["body"]["data"]["care_request"]["calls"][0]["end_reason"] == "CALL_END_REASON_UNANSWERED"
