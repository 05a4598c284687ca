"""The employment Nameko worker on real RabbitMQ and SecantusDB: rankings kept current from the service's
own events (published by the outbox relay), a whole community ranked again after a bulk import, the
applications of a vacancy that ended turned down once however often its event comes, the expiry timer,
and the service's events reaching another service's handler."""
import os
import time
from dataclasses import replace
from datetime import timedelta

# The worker reads its timer interval when imported: check often, so the test waits for seconds, not minutes.
os.environ.setdefault("EMPLOYMENT_EXPIRY_CHECK_SECONDS", "0.2")

import pytest  # noqa: E402
from nameko.events import event_handler  # noqa: E402
from nameko.testing.services import entrypoint_waiter  # noqa: E402

from linli.kit import outbox  # noqa: E402
from linli.kit.identity import Caller  # noqa: E402
from linli.kit.mongo import ensure_indexes, utcnow  # noqa: E402
from linli.kit.outbox import OutboxRelay  # noqa: E402
from services.employment import events  # noqa: E402
from services.employment.domain import applications, jobs, matching, placements, seekers, skills  # noqa: E402
from services.employment.domain.common import GeoPoint  # noqa: E402
from services.employment.matcher import Matcher  # noqa: E402
from services.employment.store import INDEXES  # noqa: E402
from services.employment.store.applications import ApplicationStore  # noqa: E402
from services.employment.store.jobs import JobStore  # noqa: E402
from services.employment.store.seekers import SeekerStore  # noqa: E402
from services.employment.worker import EmploymentWorker  # noqa: E402

COMMUNITY = "donghuayuan"
COUNSELLOR = Caller("cn-wang", frozenset({"counsellor"}), frozenset({COMMUNITY}))
BOSS = Caller("boss-zhao", frozenset({"employer"}), frozenset({COMMUNITY}))
SQUARE = (41.8810, 123.9570)
KNOWN = skills.CURATED_CODES


class Stores:
    def __init__(self, client, db):
        ensure_indexes(db, INDEXES + outbox.INDEXES)
        self.db = db
        self.jobs, self.seekers, self.applications = JobStore(client, db), SeekerStore(client, db), \
            ApplicationStore(client, db)
        self.employer = jobs.register_employer(COUNSELLOR, jobs.NewEmployer(
            "emp-1", COMMUNITY, "抚顺顺城手工艺品厂", user_ids=("boss-zhao",)), utcnow())
        self.jobs.add_employer(self.employer)

    def vacancy(self, vacancy_id="v-1", metres_north=1200.0, **changes) -> jobs.Vacancy:
        """An open vacancy, saved with its vacancy.opened event."""
        fields = dict(title="手工编织", schedule="part_time", wage_fen=1800, wage_period="hour", hours_per_week=20,
                      address="社区工坊", position=GeoPoint(SQUARE[0] + metres_north / matching.METRES_PER_DEGREE,
                                                            SQUARE[1]),
                      physical_demand="light", skills=("handicraft.knitting", "sewing"), headcount=1)
        now = utcnow()
        created = jobs.create_vacancy(BOSS, self.employer, jobs.VacancyDraft(**{**fields, **changes}), vacancy_id, now,
                                      KNOWN)
        opened = jobs.opened(created, now)
        self.jobs.add_vacancies([opened], [events.vacancy_event(jobs.VACANCY_OPENED, opened, now)])
        return opened

    def seeker(self, seeker_id="res-liu", commute=5000) -> seekers.JobSeeker:
        """A searching seeker, saved with their seeker.registered event."""
        now = utcnow()
        profile = seekers.Profile("刘桂兰", 1966, "东区 5号楼", GeoPoint(*SQUARE), skills=(
            seekers.SeekerSkill("handicraft.knitting", 30),), schedules=("part_time",), max_commute_m=commute,
            physical_capacity="light")
        person = seekers.start_searching(COUNSELLOR, seekers.register(COUNSELLOR, seeker_id, COMMUNITY, profile, now,
                                                                      KNOWN), now)
        self.seekers.add(person, [events.seeker_event(seekers.SEEKER_REGISTERED, person, now)])
        return person

    def matches(self, seeker_id: str) -> list[str]:
        ranking = self.seekers.get_ranking(matching.SEEKER_RANKING, seeker_id)
        return [m.vacancy_id for m in ranking.matches] if ranking else []

    def shortlist(self, vacancy_id: str) -> list[str]:
        ranking = self.seekers.get_ranking(matching.VACANCY_RANKING, vacancy_id)
        return [m.seeker_id for m in ranking.matches] if ranking else []


@pytest.fixture
def stores(mongo_client, db):
    return Stores(mongo_client, db)


@pytest.fixture
def relay(db, amqp_uri):
    return OutboxRelay(db, amqp_uri)


@pytest.fixture
def worker(container_factory, rabbit_config, mongo_uri, db, stores):
    container = container_factory(EmploymentWorker, {"MONGO_URI": mongo_uri, "MONGO_DB": db.name,
                                                     "LINLI_EVENT_RETRY_SECONDS": "0.2"})
    container.start()
    return container


def wait_for(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_opening_a_vacancy_ranks_it_for_the_seekers_it_suits_and_gives_it_a_shortlist(worker, stores, relay):
    stores.seeker("res-liu")
    stores.seeker("res-far", commute=500)  # 1.2 km is too far for her
    with entrypoint_waiter(worker, "rank_seeker", timeout=10), entrypoint_waiter(worker, "rank_vacancy", timeout=10):
        stores.vacancy("v-1")
        relay.publish_pending()
    assert wait_for(lambda: stores.matches("res-liu") == ["v-1"] and stores.shortlist("v-1") == ["res-liu"])
    assert stores.matches("res-far") == []


def test_a_profile_change_that_puts_a_vacancy_out_of_reach_ranks_both_sides_again(worker, stores, relay):
    person = stores.seeker("res-liu")
    stores.vacancy("v-1")
    relay.publish_pending()
    assert wait_for(lambda: stores.shortlist("v-1") == ["res-liu"])
    nearer = seekers.update_profile(COUNSELLOR, person, seekers.Profile(
        "刘桂兰", 1966, "东区 5号楼", GeoPoint(*SQUARE), skills=person.skills, schedules=("part_time",),
        max_commute_m=800, physical_capacity="light"), utcnow(), KNOWN)
    with entrypoint_waiter(worker, "rank_seeker", timeout=10):
        stores.seekers.update(nearer, [events.seeker_event(seekers.SEEKER_UPDATED, nearer, utcnow())])
        relay.publish_pending()
    assert wait_for(lambda: stores.matches("res-liu") == [] and stores.shortlist("v-1") == [])


def test_a_bulk_import_ranks_every_searching_seeker_once_rather_than_once_per_vacancy(worker, stores, relay, db):
    for number in range(3):
        stores.seeker(f"res-{number}")
    relay.publish_pending()
    assert wait_for(lambda: db["rankings"].count_documents({"kind": "seeker"}) == 3)
    now = utcnow()
    rows = [jobs.ImportRow("emp-1", jobs.VacancyDraft(
        f"岗位 {i}", "part_time", 1800, "hour", 20, "社区工坊", GeoPoint(SQUARE[0] + 0.005 * i, SQUARE[1]), "light",
        skills=("handicraft.knitting",))) for i in range(5)]
    imported = jobs.import_vacancies(COUNSELLOR, COMMUNITY, rows, {"emp-1": stores.employer},
                                     [f"imp-v-{i}" for i in range(5)], "imp-1", now, KNOWN)
    announced = [events.vacancy_event(jobs.VACANCY_OPENED, v, now) for v in imported]
    announced.append(events.vacancies_imported("imp-1", COMMUNITY, [v.id for v in imported], "", now))
    with entrypoint_waiter(worker, "rank_import", timeout=10):
        stores.jobs.add_vacancies(list(imported), announced)
        relay.publish_pending()
    assert all(stores.matches(f"res-{n}") == [f"imp-v-{i}" for i in range(5)] for n in range(3))
    assert all(len(stores.shortlist(f"imp-v-{i}")) == 3 for i in range(5))


def test_a_filled_vacancy_turns_down_its_other_applications_once_however_often_its_event_comes(
        worker, stores, relay, db):
    vacancy = stores.vacancy("v-1")
    first, second = stores.seeker("res-1"), stores.seeker("res-2")
    now = utcnow()
    for number, person in enumerate((first, second)):
        application = applications.express_intention(COUNSELLOR, person, vacancy, f"app-{number}", now)
        stores.applications.add(application, events.application_event(application, now))
    relay.publish_pending()
    hired = applications.hire(COUNSELLOR, walked_to_offer(stores, stores.applications.get("app-0")), stores.employer,
                              stores.jobs.get_vacancy("v-1"), stores.seekers.get("res-1"), now)
    stores.applications.save_hire(hired, [events.vacancy_event(jobs.VACANCY_FILLED, hired.vacancy, now)])
    with entrypoint_waiter(worker, "end_applications", timeout=10):
        relay.publish_pending()
    db[outbox.OUTBOX].update_many({"routing_key": "vacancy.filled"}, {"$set": {"sent_at": None}})
    with entrypoint_waiter(worker, "end_applications", timeout=10):
        relay.publish_pending()  # the very same event again, as a relay that crashed before marking it sent would
    assert stores.applications.get("app-1").status == applications.REJECTED
    assert stores.applications.get("app-0").status == applications.HIRED
    assert db[outbox.OUTBOX].count_documents({"routing_key": "application.rejected"}) == 1


def walked_to_offer(stores, application):
    """Referred by a counsellor, offered the job: each step saved, as the api would."""
    for status in (applications.REFERRED, applications.OFFER):
        application = applications.move(COUNSELLOR, application, None, status, utcnow())
        stores.applications.update(application, [])
    return application


def test_the_timer_expires_a_vacancy_past_its_open_days_and_its_rankings_follow(worker, stores, relay, db):
    stores.seeker("res-liu")
    vacancy = stores.vacancy("v-old")
    relay.publish_pending()
    assert wait_for(lambda: stores.matches("res-liu") == ["v-old"])
    overdue = replace(vacancy, expires_at=utcnow() - timedelta(seconds=1), version=vacancy.version + 1)
    stores.jobs.update_vacancy(overdue, [])
    assert wait_for(lambda: stores.jobs.get_vacancy("v-old").status == jobs.EXPIRED)
    with entrypoint_waiter(worker, "rank_vacancy", timeout=10):
        relay.publish_pending()
    assert wait_for(lambda: stores.matches("res-liu") == [] and stores.shortlist("v-old") == [])


# -- other services hear employment's events through RabbitMQ -------------------------------------------

HEARD: list[dict] = []


class ListenerService:
    """A stand-in for another Linli service that follows employment: it records what it hears."""

    name = "employment_listener"

    @event_handler("employment", jobs.VACANCY_OPENED)
    def vacancy_opened(self, event):
        HEARD.append(event)

    @event_handler("employment", applications.event_type(applications.HIRED))
    def application_hired(self, event):
        HEARD.append(event)

    @event_handler("employment", placements.PLACEMENT_FOLLOWED_UP)
    def placement_followed_up(self, event):
        HEARD.append(event)


def test_employments_events_reach_another_services_handlers(container_factory, rabbit_config, stores, relay):
    HEARD.clear()
    listener = container_factory(ListenerService)
    listener.start()
    vacancy = stores.vacancy("v-1")
    person = stores.seeker("res-liu")
    now = utcnow()
    application = applications.express_intention(COUNSELLOR, person, vacancy, "app-1", now)
    stores.applications.add(application, events.application_event(application, now))
    hire = applications.hire(COUNSELLOR, walked_to_offer(stores, application), stores.employer, vacancy, person, now)
    stores.applications.save_hire(hire, [events.application_event(hire.application, now)])
    followed = placements.record_follow_up(COUNSELLOR, hire.placement, 3, True, "在厂里干得不错",
                                           now + timedelta(days=91))
    stores.applications.update_placement(followed, [events.placement_event(placements.PLACEMENT_FOLLOWED_UP,
                                                                            followed, now + timedelta(days=91))])
    with entrypoint_waiter(listener, "vacancy_opened", timeout=10), \
            entrypoint_waiter(listener, "application_hired", timeout=10), \
            entrypoint_waiter(listener, "placement_followed_up", timeout=10):
        relay.publish_pending()
    by_type = {event["type"]: event for event in HEARD}
    assert set(by_type) == {"vacancy.opened", "application.hired", "placement.followed_up"}
    assert all(event["source"] == "employment" and event["community_id"] == COMMUNITY for event in HEARD)
    assert by_type["vacancy.opened"]["data"]["vacancy"]["status"] == "VACANCY_STATUS_OPEN"
    assert by_type["application.hired"]["data"]["application"]["seeker_id"] == "res-liu"
    follow_up = by_type["placement.followed_up"]["data"]["placement"]["follow_ups"][0]
    assert follow_up["months"] == 3 and follow_up["still_employed"] is True


# -- the matcher's indexes catch up from the store, whichever replica saw the change ----------------------

def test_a_matcher_catches_up_with_changes_another_replica_made(stores, db):
    stores.seeker("res-liu")
    stores.vacancy("v-1")
    one, other = (Matcher(JobStore(db.client, db), SeekerStore(db.client, db)) for _ in range(2))
    assert one.seeker_changed(COMMUNITY, "res-liu").seekers == 1 and stores.matches("res-liu") == ["v-1"]
    stores.vacancy("v-2", metres_north=300)  # a nearer one, which only the other replica hears of
    other.vacancy_changed(COMMUNITY, "v-2")
    assert stores.matches("res-liu") == ["v-2", "v-1"]
    closed = jobs.close_vacancy(BOSS, stores.employer, stores.jobs.get_vacancy("v-2"), "", utcnow())
    stores.jobs.update_vacancy(closed, [])
    one.seeker_changed(COMMUNITY, "res-liu")  # the first replica never heard of v-2; it catches up all the same
    assert stores.matches("res-liu") == ["v-1"]
    assert one.index(COMMUNITY).revision == other.index(COMMUNITY).revision
