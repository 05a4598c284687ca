"""The clinic worker, and the clinic's events reaching elder care, on real RabbitMQ and SecantusDB:

- a medical or emergency call raised in elder care opens one entry on the nurse's triage list, with its
  audit record, however often the event arrives;
- a back-referral from a partner hospital reaches the eldercare worker, which books a home follow-up
  visit for the elder on the morning of the plan's due date (and that visit, a medical request, reaches
  the nurse in turn).

Each service keeps its own database; events travel only through each one's outbox relay and RabbitMQ."""
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from nameko.testing.services import entrypoint_waiter

from linli.kit import outbox
from linli.kit.identity import Caller
from linli.kit.mongo import utcnow
from linli.kit.outbox import OutboxRelay
from services.clinic import events as clinic_events
from services.clinic.domain import audit, patients, referrals
from services.clinic.store import INDEXES as CLINIC_INDEXES
from services.clinic.store.patients import PatientStore
from services.clinic.store.referrals import ReferralStore
from services.clinic.store.triage import TriageStore
from services.clinic.worker import ClinicWorker
from services.eldercare import events as eldercare_events
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import residents
from services.eldercare.policy import DEFAULT_POLICY
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store.residents import ResidentStore
from services.eldercare.worker import EldercareWorker
from linli.kit.indexes import ensure_service_indexes
from services.eldercare.store import INDEXES as ELDERCARE_INDEXES

COMMUNITY = "donghuayuan"
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY}))
NURSE = Caller("nurse-zhao", frozenset({"clinician"}), frozenset({COMMUNITY}))
CITY = "city-central-hospital"
HOSPITAL = audit.Accessor(CITY, audit.PARTNER, (), audit.PARTNER_CHANNEL)


@pytest.fixture
def eldercare_db(mongo_client):
    name = f"test_eldercare_{uuid.uuid4().hex[:8]}"
    yield mongo_client[name]
    mongo_client.drop_database(name)


@pytest.fixture
def clinic_db(mongo_client):
    name = f"test_clinic_{uuid.uuid4().hex[:8]}"
    db = mongo_client[name]
    ensure_service_indexes(db, CLINIC_INDEXES)
    yield db
    mongo_client.drop_database(name)


@pytest.fixture
def clinic_worker(container_factory, rabbit_config, mongo_uri, clinic_db):
    container = container_factory(ClinicWorker, {"MONGO_URI": mongo_uri, "MONGO_DB": clinic_db.name})
    container.start()  # reads MONGO_DB now: a second container may patch the config after this
    return container


@pytest.fixture
def eldercare_worker(container_factory, rabbit_config, mongo_uri, eldercare_db):
    container = container_factory(EldercareWorker, {"MONGO_URI": mongo_uri, "MONGO_DB": eldercare_db.name,
                                                    "ELDERCARE_EMERGENCY_ACK_SLA_SECONDS": 60})
    container.start()
    return container


def wait_for(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def elder_at_home(mongo_client, eldercare_db, elder_id: str, position: care.GeoPoint | None = None,
                  shares_location: bool = False) -> residents.Elder:
    details = residents.ElderDetails("刘桂兰", "138 0413 1001", "uses_aid",
                                     residents.Address("东区 3号楼", "2单元", 4, "402", position))
    elder = residents.register(OPERATOR, elder_id, COMMUNITY, details, utcnow())
    if shares_location:
        elder = residents.record_consent(OPERATOR, elder, residents.LOCATION, True, utcnow())
    ensure_service_indexes(eldercare_db, ELDERCARE_INDEXES)
    store = ResidentStore(mongo_client, eldercare_db)
    return store.add_elder(elder)


def raise_call(mongo_client, eldercare_db, elder_id: str, kind: str,
               scheduled_for: datetime | None = None) -> care.CareRequest:
    ensure_service_indexes(eldercare_db, ELDERCARE_INDEXES)
    store = CareRequestStore(mongo_client, eldercare_db)
    request = care.raise_request(OPERATOR, care.NewCareRequest(
        COMMUNITY, elder_id, kind, "phone", care.Location("东区 3号楼", "2单元", 4, "402"), "胸口疼，出冷汗",
        scheduled_for=scheduled_for), f"cr-{uuid.uuid4().hex[:8]}", utcnow(), DEFAULT_POLICY)
    return store.add(request, eldercare_events.raised(request))


def test_a_medical_call_in_elder_care_opens_one_audited_triage_entry_however_often_it_arrives(
        clinic_worker, mongo_client, eldercare_db, clinic_db, amqp_uri):
    request = raise_call(mongo_client, eldercare_db, "elder-dq-0312", "medical")
    relay = OutboxRelay(eldercare_db, amqp_uri)
    with entrypoint_waiter(clinic_worker, "open_triage_entry", timeout=10):
        assert relay.publish_pending() == 1
    eldercare_db[outbox.OUTBOX].update_many({}, {"$set": {"sent_at": None}})  # a relay that crashed: again
    with entrypoint_waiter(clinic_worker, "open_triage_entry", timeout=10):
        assert relay.publish_pending() == 1
    entry = TriageStore(mongo_client, clinic_db).by_care_request(request.id)
    assert (entry.kind, entry.priority, entry.resident_id, entry.status) == ("medical", 2, "elder-dq-0312", "open")
    assert entry.description == "胸口疼，出冷汗" and entry.location == "东区 3号楼 2单元 4层 402"
    assert clinic_db["triage_entries"].count_documents({}) == 1
    [record] = clinic_db["audit_log"].find({"resource": f"triage/{entry.id}"})
    assert (record["action"], record["actor"], record["channel"]) == ("triage.open", "clinic-worker", "event")


def test_only_medical_and_emergency_calls_reach_the_nurse(clinic_worker, mongo_client, eldercare_db, clinic_db,
                                                         amqp_uri):
    meal = raise_call(mongo_client, eldercare_db, "elder-dq-0313", "meal")
    emergency = raise_call(mongo_client, eldercare_db, "elder-dq-0314", "emergency")
    relay = OutboxRelay(eldercare_db, amqp_uri)
    relay.publish_pending()
    triage = TriageStore(mongo_client, clinic_db)
    assert wait_for(lambda: triage.by_care_request(emergency.id) is not None)
    assert triage.by_care_request(emergency.id).priority == 1
    time.sleep(0.5)
    assert triage.by_care_request(meal.id) is None


def test_a_medical_visit_booked_ahead_reaches_the_nurses_list_when_it_is_due_not_when_it_is_booked(
        clinic_worker, mongo_client, eldercare_db, clinic_db, amqp_uri):
    due = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    booked = raise_call(mongo_client, eldercare_db, "elder-dq-0315", "medical", scheduled_for=due)
    now_call = raise_call(mongo_client, eldercare_db, "elder-dq-0316", "medical")
    with entrypoint_waiter(clinic_worker, "open_triage_entry", timeout=10, callback=lambda *_: (
            clinic_db["triage_entries"].count_documents({}) == 2)):
        assert OutboxRelay(eldercare_db, amqp_uri).publish_pending() == 2
    triage = TriageStore(mongo_client, clinic_db)
    entry = triage.by_care_request(booked.id)
    assert entry.raised_at.replace(tzinfo=timezone.utc) == due  # the list's clock for it starts when it is due

    def listed(at: datetime, include_closed: bool = False) -> set[str]:
        return {e.care_request_id for e in triage.page(frozenset({COMMUNITY}), include_closed, None, 50, at)}

    assert listed(utcnow()) == listed(utcnow(), include_closed=True) == {now_call.id}
    assert listed(due - timedelta(seconds=1)) == {now_call.id}
    assert listed(due) == {now_call.id, booked.id}
    # Both medical: the call raised now is older on the list than the visit that has just come due.
    assert [e.care_request_id for e in triage.page(None, False, None, 50, due)] == [now_call.id, booked.id]


ZONE = ZoneInfo("Asia/Shanghai")
IN_A_WEEK = (datetime.now(ZONE).date() + timedelta(days=7)).isoformat()


def morning_of(day: str) -> datetime:
    """09:00 of a day in the community's zone, in UTC: when a visit booked for that day is wanted."""
    return datetime(*date.fromisoformat(day).timetuple()[:3], 9, tzinfo=ZONE).astimezone(timezone.utc)


def back_referral(mongo_client, clinic_db, resident_id: str, due_date: str = IN_A_WEEK) -> referrals.Referral:
    """What the partner exchange does when the hospital sends a discharged patient back: the referral
    up (so the hospital knows the patient), then the back-referral, each with its events."""
    now = utcnow()
    patient_store, referral_store = PatientStore(mongo_client, clinic_db), ReferralStore(mongo_client, clinic_db)
    patient = patients.register(NURSE, f"pt-{uuid.uuid4().hex[:8]}", COMMUNITY, resident_id,
                                patients.PatientDetails("刘桂兰"), now)
    patient, _ = patients.grant_consent(NURSE, patient, "c-1", (patients.REFERRAL,), CITY, None,
                                        frozenset({CITY}), now)
    patient_store.add(patient, [])
    up = referrals.create_outbound(NURSE, patient, f"ref-{uuid.uuid4().hex[:8]}", CITY, referrals.Content(
        "referral", "urgent", "胸闷气短两周"), "", None, frozenset({CITY}), now)
    referral_store.add(referrals.Change(referrals.CREATED, up, up.requester, now), clinic_events.created(up), [])
    back = referrals.submit_inbound(CITY, patient, patient.id, f"ref-{uuid.uuid4().hex[:8]}", "", referrals.Content(
        "back-referral", "routine", "急性冠脉综合征PCI术后出院", based_on=up.id,
        follow_up=referrals.FollowUp("术后一周上门随访：测血压心率，查看穿刺点，核对双抗用药", due_date,
                                     datetime.now(ZONE).date().isoformat())),
        "discharge-2026-0042", up, now)
    referral_store.add(referrals.Change(referrals.CREATED, back, CITY, now), clinic_events.created(back), [])
    return back


def test_a_back_referral_becomes_a_home_follow_up_visit_booked_for_the_plans_due_date_through_rabbitmq(
        eldercare_worker, clinic_worker, mongo_client, eldercare_db, clinic_db, amqp_uri):
    elder = elder_at_home(mongo_client, eldercare_db, "elder-dq-0420")
    back = back_referral(mongo_client, clinic_db, elder.id)
    with entrypoint_waiter(eldercare_worker, "schedule_follow_up_visit", timeout=10):
        OutboxRelay(clinic_db, amqp_uri).publish_pending()
    [visit] = eldercare_db["care_requests"].find({"elder_id": elder.id})
    assert (visit["kind"], visit["channel"], visit["status"]) == ("medical", "phone", "raised")
    assert visit["description"].startswith("出院随访: 术后一周上门随访") and IN_A_WEEK in visit["description"]
    # Booked, not a call to answer now: wanted the morning of the due day, its SLA clock running from then.
    assert visit["scheduled_for"] == morning_of(IN_A_WEEK)
    assert visit["acknowledge_due_at"] == morning_of(IN_A_WEEK) + DEFAULT_POLICY["medical"].acknowledge_within
    assert visit["escalate_at"] is None
    assert "抚顺市中心医院" in visit["description"]
    assert visit["location"] == {"building": "东区 3号楼", "unit": "2单元", "floor": 4, "detail": "402"}
    assert visit["request_id"] == f"back-referral:{back.id}"
    # The visit is a medical call like any other: on the board, and on the nurse's list.
    with entrypoint_waiter(clinic_worker, "open_triage_entry", timeout=10):
        OutboxRelay(eldercare_db, amqp_uri).publish_pending()
    entry = TriageStore(mongo_client, clinic_db).by_care_request(visit["_id"])
    assert entry.description.startswith("出院随访") and entry.patient_id == back.patient_id


def test_a_follow_up_visit_carries_the_home_position_of_an_elder_who_shares_their_location(
        eldercare_worker, mongo_client, eldercare_db, clinic_db, amqp_uri):
    home = care.GeoPoint(41.88083, 123.95187)
    elder = elder_at_home(mongo_client, eldercare_db, "elder-dq-0423", position=home, shares_location=True)
    back_referral(mongo_client, clinic_db, elder.id)
    with entrypoint_waiter(eldercare_worker, "schedule_follow_up_visit", timeout=10):
        OutboxRelay(clinic_db, amqp_uri).publish_pending()
    [visit] = eldercare_db["care_requests"].find({"elder_id": elder.id})
    assert (visit["position"], visit["position_source"]) == (
        {"latitude": home.latitude, "longitude": home.longitude}, care.HOME_ADDRESS)


def test_a_back_referral_without_a_due_date_is_booked_for_the_next_morning(
        eldercare_worker, mongo_client, eldercare_db, clinic_db, amqp_uri):
    elder = elder_at_home(mongo_client, eldercare_db, "elder-dq-0422")
    back_referral(mongo_client, clinic_db, elder.id, due_date="")
    with entrypoint_waiter(eldercare_worker, "schedule_follow_up_visit", timeout=10):
        sent_at = utcnow()
        OutboxRelay(clinic_db, amqp_uri).publish_pending()
    [visit] = eldercare_db["care_requests"].find({"elder_id": elder.id})
    tomorrow = (sent_at.astimezone(ZONE).date() + timedelta(days=1)).isoformat()
    assert visit["scheduled_for"] == morning_of(tomorrow)


def test_a_back_referral_is_applied_once_and_skipped_for_someone_who_is_not_an_elder(
        eldercare_worker, mongo_client, eldercare_db, clinic_db, amqp_uri):
    elder = elder_at_home(mongo_client, eldercare_db, "elder-dq-0421")
    back_referral(mongo_client, clinic_db, elder.id)
    back_referral(mongo_client, clinic_db, "resident-not-an-elder")
    relay = OutboxRelay(clinic_db, amqp_uri)
    relay.publish_pending()
    assert wait_for(lambda: eldercare_db["applied_events"].count_documents({}) >= 1)
    clinic_db[outbox.OUTBOX].update_many({}, {"$set": {"sent_at": None}})
    relay.publish_pending()  # every event again, as after a relay crash
    time.sleep(1.0)
    assert eldercare_db["care_requests"].count_documents({"elder_id": elder.id}) == 1
    assert eldercare_db["care_requests"].count_documents({"elder_id": "resident-not-an-elder"}) == 0
