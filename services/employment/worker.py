"""The employment Nameko worker: keeps the stored rankings (seekers' matches, vacancies' shortlists)
current as vacancies and seekers change, ranks a whole community again after a bulk import, turns down
the applications of vacancies that ended, and expires vacancies past their open days. Each method is a
few lines over the matcher, the domain and the store.

Run: python -m linli.kit.workers services.employment.worker
"""
import logging

import eventlet
from nameko.timer import timer

from linli.kit.config import number
from linli.kit.errors import Aborted
from linli.kit.handlers import event_handler  # retries, dead letters
from linli.kit.heartbeat import Heartbeat
from linli.kit.mongo import utcnow
from linli.kit.nameko_deps import Database
from services.employment import events
from services.employment.domain import applications, jobs, seekers
from services.employment.matcher import Matcher
from services.employment.store import INDEXES
from services.employment.store.applications import ApplicationStore
from services.employment.store.jobs import JobStore
from services.employment.store.seekers import SeekerStore

log = logging.getLogger(__name__)
SOURCE = "employment"

# One matcher per database per process: its numpy indexes are the worker's memory of each community,
# shared by every handler (they catch up from the store before each use, so sharing is safe).
_matchers: dict[tuple[int, str], Matcher] = {}


class EmploymentWorker:
    name = "employment"
    heartbeat = Heartbeat()
    database = Database("employment", INDEXES)

    @property
    def matcher(self) -> Matcher:
        client, db = self.database.client, self.database.db
        key = (id(client), db.name)
        if key not in _matchers:
            # Every few rankings of a long re-ranking, let other handlers and the heartbeat run.
            _matchers[key] = Matcher(JobStore(client, db), SeekerStore(client, db), pause=lambda: eventlet.sleep(0))
        return _matchers[key]

    # -- rankings: re-ranked from the store's current state, so a redelivered event only re-ranks again

    @event_handler(SOURCE, jobs.VACANCY_OPENED)
    @event_handler(SOURCE, jobs.VACANCY_UPDATED)
    @event_handler(SOURCE, jobs.VACANCY_PARTIALLY_FILLED)
    @event_handler(SOURCE, jobs.VACANCY_FILLED)
    @event_handler(SOURCE, jobs.VACANCY_EXPIRED)
    @event_handler(SOURCE, jobs.VACANCY_CLOSED)
    def rank_vacancy(self, event):
        if events.import_id_in(event) and event["type"] == jobs.VACANCY_OPENED:
            return  # opened by a bulk import: rank_import ranks the whole community once instead
        done = self.matcher.vacancy_changed(event["community_id"], events.vacancy_id_in(event))
        log.info("%s %s: ranked %d seekers and %d shortlists, %d changed", event["type"],
                 events.vacancy_id_in(event), done.seekers, done.vacancies, done.written)

    @event_handler(SOURCE, jobs.VACANCIES_IMPORTED)
    def rank_import(self, event):
        vacancy_ids = list(event["data"].get("vacancy_ids", []))
        done = self.matcher.rerank(event["community_id"], vacancy_ids)
        log.info("import %s: %d vacancies; ranked %d seekers and %d shortlists again, %d changed",
                 event["data"]["import_id"], len(vacancy_ids), done.seekers, done.vacancies, done.written)

    @event_handler(SOURCE, seekers.SEEKER_REGISTERED)
    @event_handler(SOURCE, seekers.SEEKER_UPDATED)
    @event_handler(SOURCE, seekers.SEEKER_STATUS_CHANGED)
    def rank_seeker(self, event):
        seeker_id = event["data"]["seeker_id"]
        done = self.matcher.seeker_changed(event["community_id"], seeker_id)
        log.info("%s %s: ranked %d seekers and %d shortlists, %d changed", event["type"], seeker_id,
                 done.seekers, done.vacancies, done.written)

    # -- a vacancy that ended turns down its applications still under way

    @event_handler(SOURCE, jobs.VACANCY_FILLED)
    @event_handler(SOURCE, jobs.VACANCY_EXPIRED)
    @event_handler(SOURCE, jobs.VACANCY_CLOSED)
    def end_applications(self, event):
        store = ApplicationStore(self.database.client, self.database.db)
        vacancy = JobStore(self.database.client, self.database.db).get_vacancy(events.vacancy_id_in(event))
        now = utcnow()

        def effect(session):
            for application in store.active_for_vacancy(vacancy.id):
                ended = applications.end_with_vacancy(application, vacancy, now)
                if ended is not None:
                    store.update(ended, [events.application_event(ended, now)], session=session)

        if vacancy is not None:
            self.database.apply_once("employment.end_applications", event, effect)

    # -- vacancies past their open days

    @timer(interval=number("EMPLOYMENT_EXPIRY_CHECK_SECONDS"))
    def expire_vacancies(self):
        now = utcnow()
        store = JobStore(self.database.client, self.database.db)
        for vacancy in store.due_to_expire(now):
            expired = jobs.expire(vacancy, now)
            if expired is None:
                continue
            try:
                store.update_vacancy(expired, [events.vacancy_event(jobs.VACANCY_EXPIRED, expired, now)])
            except Aborted:
                continue  # changed (filled, closed) since we read it
            log.info("vacancy %s expired after %d days open", vacancy.id, vacancy.open_days)
