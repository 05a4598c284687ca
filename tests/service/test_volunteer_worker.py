"""The volunteer Nameko worker on real RabbitMQ and SecantusDB: hours logged from a real eldercare event
(built by eldercare's own code, published by the outbox relay), once however often it is delivered; the
timer closing forgotten check-outs; the dispatch RPC."""
import os
import time
from datetime import datetime, timedelta, timezone

# The worker reads its timer interval when imported: check often, so the test waits for seconds, not minutes.
os.environ.setdefault("VOLUNTEER_CHECKOUT_CHECK_SECONDS", "0.2")

import pytest  # noqa: E402
from nameko.standalone.rpc import ServiceRpcClient
from nameko.testing.services import entrypoint_waiter

from linli.kit import outbox
from linli.kit.identity import Caller
from linli.kit.indexes import ensure_service_indexes
from linli.kit.mongo import transaction, utcnow
from linli.kit.outbox import OutboxRelay
from services.eldercare import events as eldercare_events
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_POLICY
from services.volunteer import events
from services.volunteer.domain import activities as act
from services.volunteer.domain import hours
from services.volunteer.domain.volunteers import GeoPoint, Slot, Volunteer
from services.volunteer.store import INDEXES
from services.volunteer.store.activities import ActivityStore
from services.volunteer.store.hours import HoursStore
from services.volunteer.store.volunteers import VolunteerStore
from services.volunteer.worker import VolunteerWorker

COMMUNITY = "donghuayuan"
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY}))
ELDER_HOME = care.GeoPoint(41.88083, 123.95187)  # 东区 3号楼
ALL_WEEK = tuple(Slot(day, "00:00", "23:59") for day in range(1, 8))
WANG = Volunteer("vol-wang", COMMUNITY, "王秀兰", party_member=True, branch="第一党支部",
                 skills=frozenset({"shopping", "visiting"}), availability=ALL_WEEK, home=GeoPoint(41.8812, 123.9519))


@pytest.fixture
def stores(mongo_client, db):
    ensure_service_indexes(db, INDEXES)
    people = VolunteerStore(db)
    people.add(WANG)
    return people, ActivityStore(mongo_client, db), HoursStore(mongo_client, db)


@pytest.fixture
def worker(container_factory, rabbit_config, mongo_uri, db, stores):
    container = container_factory(VolunteerWorker, {"MONGO_URI": mongo_uri, "MONGO_DB": db.name,
                                                    "LINLI_EVENT_RETRY_SECONDS": "0.2"})
    container.start()
    return container


def completed_by_a_volunteer(volunteer_id="vol-wang") -> dict:
    """A shopping request served by a volunteer, through eldercare's own rules; its completed event."""
    start = utcnow() - timedelta(hours=1)
    request = care.raise_request(OPERATOR, care.NewCareRequest(COMMUNITY, "elder-dq-0312", "shopping", "phone",
                                                               position=ELDER_HOME), "cr-1", start, DEFAULT_POLICY)
    request = care.assign(OPERATOR, request, care.Assignee(volunteer_id, "volunteer", "王秀兰"), True, "",
                          start + timedelta(minutes=1), DEFAULT_POLICY)
    volunteer = Caller(volunteer_id, frozenset({"volunteer"}), frozenset({COMMUNITY}))
    request = care.start_travel(volunteer, request, 10, start + timedelta(minutes=2))
    request = care.arrive(volunteer, request, care.GeoPoint(41.88085, 123.95188), "", start + timedelta(minutes=10))
    completed_at = start + timedelta(minutes=50)
    request = care.complete(volunteer, request, "买了米和油", completed_at)
    return eldercare_events.care_request_event(care.CARE_REQUEST_COMPLETED, request, completed_at)


def visit_completed(care_request_id: str, arrived_at: datetime, hours_on_site: float,
                    volunteer_id="vol-wang") -> dict:
    """A companionship request served by a volunteer on site from arrived_at for hours_on_site; its completed
    event."""
    raised = arrived_at - timedelta(minutes=20)
    request = care.raise_request(OPERATOR, care.NewCareRequest(COMMUNITY, "elder-dq-0312", "recreation", "phone",
                                                               position=ELDER_HOME), care_request_id, raised,
                                 DEFAULT_POLICY)
    request = care.assign(OPERATOR, request, care.Assignee(volunteer_id, "volunteer", "王秀兰"), True, "",
                          raised + timedelta(minutes=1), DEFAULT_POLICY)
    volunteer = Caller(volunteer_id, frozenset({"volunteer"}), frozenset({COMMUNITY}))
    request = care.start_travel(volunteer, request, 10, raised + timedelta(minutes=2))
    request = care.arrive(volunteer, request, care.GeoPoint(41.88085, 123.95188), "", arrived_at)
    completed_at = arrived_at + timedelta(hours=hours_on_site)
    request = care.complete(volunteer, request, "陪老人聊天", completed_at)
    return eldercare_events.care_request_event(care.CARE_REQUEST_COMPLETED, request, completed_at)


def publish_from_eldercare(mongo_client, eldercare_db, amqp_uri, event: dict) -> None:
    """As the eldercare api does: the event in eldercare's outbox, published by the relay."""
    transaction(mongo_client, lambda session: outbox.add(eldercare_db, session, event))
    assert OutboxRelay(eldercare_db, amqp_uri).publish_pending() == 1


@pytest.fixture
def eldercare_db(mongo_client, db):
    other = mongo_client[db.name + "_eldercare"]
    yield other
    mongo_client.drop_database(other.name)


def test_a_care_request_a_volunteer_completed_logs_pending_hours_once_under_redelivery(
        worker, stores, mongo_client, db, eldercare_db, amqp_uri):
    _, _, ledger = stores
    event = completed_by_a_volunteer()
    with entrypoint_waiter(worker, "log_care_service", timeout=10):
        publish_from_eldercare(mongo_client, eldercare_db, amqp_uri, event)
    # The very same event again, as a relay that crashed before marking it sent would publish it.
    eldercare_db[outbox.OUTBOX].update_many({}, {"$set": {"sent_at": None}})
    with entrypoint_waiter(worker, "log_care_service", timeout=10):
        assert OutboxRelay(eldercare_db, amqp_uri).publish_pending() == 1

    [entry] = [hours_entry for hours_entry in ledger.page(hours.EntryScope(volunteer_id="vol-wang"), "", None, 10)]
    assert (entry.minutes, entry.status, entry.source, entry.source_id) == (40, hours.PENDING, hours.CARE_REQUEST,
                                                                            "cr-1")
    assert entry.beneficiary_id == "elder-dq-0312" and entry.beneficiary_confirmation == hours.AWAITED
    assert entry.description == "居家养老服务·助购" and entry.volunteer_name == "王秀兰"
    assert db["applied_events"].count_documents({}) == 1
    [recorded] = db[outbox.OUTBOX].find({"routing_key": "hours_entry.recorded"})
    assert recorded["body"]["data"]["entry"]["source_id"] == "cr-1"


def test_a_care_request_served_by_someone_unknown_logs_nothing(worker, stores, mongo_client, db, eldercare_db,
                                                               amqp_uri):
    with entrypoint_waiter(worker, "log_care_service", timeout=10):
        publish_from_eldercare(mongo_client, eldercare_db, amqp_uri, completed_by_a_volunteer("vol-nobody"))
    assert db["hours_entries"].count_documents({}) == 0
    assert db["applied_events"].count_documents({}) == 1  # applied: looked at, nothing to log


def test_the_timer_closes_a_forgotten_check_out_at_the_shifts_end_and_flags_it(worker, stores):
    _, activities, ledger = stores
    now = utcnow()
    activity = activities.add_activity(act.Activity("act-1", COMMUNITY, "巡楼探访", "",
                                                    act.Place("党群活动中心", GeoPoint(41.8810, 123.9570))))
    ended = now - timedelta(seconds=1)
    the_shift = activities.add_shift(act.Shift("sh-1", activity.id, COMMUNITY, "上午场", ended - timedelta(hours=2),
                                               ended, 5))
    attendance = act.sign_up(Caller("vol-wang", frozenset({"volunteer"}), frozenset({COMMUNITY})), WANG, the_shift,
                             "att-1", now - timedelta(hours=3))
    activities.sign_up(attendance, the_shift, events.signed_up_event(attendance, the_shift, activity, now))
    attendance = activities.update(act.confirm(Caller("co", frozenset({"coordinator"}), frozenset({COMMUNITY})),
                                               attendance, now - timedelta(hours=3)))
    checked_in = act.check_in(Caller("vol-wang", frozenset({"volunteer"}), frozenset({COMMUNITY})), attendance,
                              activity, GeoPoint(41.8811, 123.9570), "", ended - timedelta(hours=1, minutes=30))
    activities.update(checked_in)

    deadline = time.monotonic() + 10
    while activities.get("att-1").status == act.CHECKED_IN and time.monotonic() < deadline:
        time.sleep(0.1)
    closed = activities.get("att-1")
    assert closed.status == act.PENDING and closed.auto_closed and closed.checked_out_at == ended
    entry = ledger.get(closed.hours_entry_id)
    assert entry.minutes == 90 and act.FLAG_AUTO_CLOSED in entry.flags and entry.recorded_by == "system"


def test_the_dispatch_rpc_offers_free_volunteers_near_the_elder_with_the_skill(worker, stores, rabbit_config):
    people, _, _ = stores
    people.add(Volunteer("vol-li", COMMUNITY, "李国强", skills=frozenset({"shopping"}), availability=ALL_WEEK,
                         home=GeoPoint(41.8840, 123.9519)))
    people.add(Volunteer("vol-cook", COMMUNITY, "周淑华", skills=frozenset({"meal"}), availability=ALL_WEEK,
                         home=GeoPoint(41.8808, 123.9519)))
    with ServiceRpcClient("volunteer", timeout=5) as volunteer:
        offers = volunteer.available_near(COMMUNITY, ELDER_HOME.latitude, ELDER_HOME.longitude, "shopping", 5)
        assert [o["id"] for o in offers] == ["vol-wang", "vol-li"]
        assert offers[0]["distance_m"] < 50 and "party member (第一党支部)" in offers[0]["reasons"]
        unknown = volunteer.available_near(COMMUNITY, None, None, "shopping", 1)
        assert [(o["id"], o["distance_m"]) for o in unknown] == [("vol-li", None)]  # distance unknown, by id


def test_a_burst_of_completed_visits_for_one_volunteer_is_held_to_the_daily_maximum_and_never_overlaps(
        worker, stores, mongo_client, db, eldercare_db, amqp_uri):
    """Five 4-hour visits of one day, one of them overlapping two others, published at once (as a relay
    catching up after an outage does): the worker handles them concurrently, yet what it credits is what
    one-by-one delivery would credit: 8 hours at most, and no two live records at the same time."""
    _, _, ledger = stores
    day = datetime(2026, 5, 15, 22, 0, tzinfo=timezone.utc)  # 16 May, 06:00 in Fushun
    visits = [visit_completed(f"cr-{n}", day + timedelta(hours=at), 4) for n, at in enumerate((0, 4, 5, 8, 12))]
    transaction(mongo_client, lambda session: [outbox.add(eldercare_db, session, event) for event in visits])
    with entrypoint_waiter(worker, "log_care_service", timeout=30,
                           callback=lambda *_: db["applied_events"].count_documents({}) == len(visits)):
        assert OutboxRelay(eldercare_db, amqp_uri).publish_pending() == len(visits)

    live = [e for e in ledger.in_period(COMMUNITY, "2026-05-16", "2026-05-16") if e.live]
    assert sum(e.minutes for e in live) == hours.DAILY_MAX_MINUTES
    for entry in live:
        assert hours.overlapping([e for e in live if e.id != entry.id], entry.started_at, entry.ended_at) is None
