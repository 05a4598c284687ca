"""The volunteer Nameko worker: logs hours for elder-care services volunteers completed (from eldercare's
events, once each), closes check-outs volunteers forgot when their shift ends, and answers elder-care
dispatch's question "which volunteers could go?" over internal RPC. Each method is a few lines over
domain and store.

Run: python -m linli.kit.workers services.volunteer.worker
"""
import logging
import uuid

from nameko.rpc import rpc
from nameko.timer import timer

from linli.kit.config import number
from linli.kit.errors import Aborted, AlreadyExists, FailedPrecondition
from linli.kit.handlers import event_handler  # retries and dead letters instead of lost events
from linli.kit.heartbeat import Heartbeat
from linli.kit.mongo import utcnow
from linli.kit.nameko_deps import Database
from services.volunteer import checkout, events
from services.volunteer.domain import hours, volunteers
from services.volunteer.policy import (
    CARE_KIND_LABELS, CARE_SERVICE_MAX_MINUTES, COMMUNITY_ZONE, DISPATCH_RADIUS_M)
from services.volunteer.store import INDEXES
from services.volunteer.store import activities as activity_store
from services.volunteer.store import hours as hours_store
from services.volunteer.store import volunteers as volunteer_store

log = logging.getLogger(__name__)

MAX_OFFERS = 20


class VolunteerWorker:
    name = "volunteer"
    # Touches a file every few seconds: the liveness probe of a worker, which has no port.
    heartbeat = Heartbeat()

    database = Database("volunteer", INDEXES)

    @property
    def ledger(self) -> hours_store.HoursStore:
        return hours_store.HoursStore(self.database.client, self.database.db)

    @property
    def activities(self) -> activity_store.ActivityStore:
        return activity_store.ActivityStore(self.database.client, self.database.db)

    @property
    def volunteers(self) -> volunteer_store.VolunteerStore:
        return volunteer_store.VolunteerStore(self.database.db)

    @event_handler(events.ELDERCARE, events.CARE_REQUEST_COMPLETED)
    def log_care_service(self, event):
        """A volunteer completed an elder-care request: a pending entry for the time on site."""
        service = events.care_service_in(event)
        if service is None:
            return  # staff served it
        ledger, people = self.ledger, self.volunteers
        if people.get(service.volunteer_id) is not None:
            ledger.prepare_hold(service.volunteer_id)

        def effect(session):
            volunteer = people.get(service.volunteer_id, session=session)
            if volunteer is None or volunteer.community_id != service.community_id:
                log.warning("care request %s: %s is not a volunteer of %s; no hours logged",
                            service.care_request_id, service.volunteer_id, service.community_id)
                return
            # Other completions of this volunteer's visits, handled at the same time, conflict here and
            # retry: the daily maximum and the overlap rule see every entry committed before this one.
            ledger.hold(session, service.volunteer_id)
            around = ledger.around(service.volunteer_id, service.started_at, service.ended_at, session=session)
            now = utcnow()
            try:
                entry = hours.record_care_service(
                    service, volunteer.name, around, str(uuid.uuid4()), now, COMMUNITY_ZONE,
                    CARE_KIND_LABELS.get(service.kind, service.kind), CARE_SERVICE_MAX_MINUTES)
            except FailedPrecondition as refusal:
                log.warning("care request %s: no hours logged for %s: %s", service.care_request_id,
                            service.volunteer_id, refusal.message)
                return
            ledger.record(entry, events.entry_event(hours.HOURS_ENTRY_RECORDED, entry, now), session=session)

        try:
            self.database.apply_once("volunteer.log_care_service", event, effect)
        except AlreadyExists:
            log.info("care request %s: hours already logged", service.care_request_id)

    @timer(interval=number("VOLUNTEER_CHECKOUT_CHECK_SECONDS"))
    def close_forgotten_checkouts(self):
        """Volunteers still checked in to a shift that has ended: closed at the shift's end, flagged."""
        now = utcnow()
        store, people = self.activities, self.volunteers
        for attendance in store.forgotten(now):
            try:
                checkout.close(store, people, attendance, None, now, auto=True)
            except (Aborted, AlreadyExists):
                continue  # checked out (or closed by another worker) since we read it
            log.info("attendance %s of %s closed at its shift's end (check-out forgotten)",
                     attendance.id, attendance.volunteer_id)

    @rpc
    def available_near(self, community_id: str, latitude: float | None = None, longitude: float | None = None,
                       skill: str = "", limit: int = 5) -> list[dict]:
        """For elder-care dispatch: volunteers of the community with the skill, free now by their weekly
        availability, not serving a shift, living nearest the place first (within DISPATCH_RADIUS_M),
        as plain dicts {id, name, distance_m (None when unknown), reasons}."""
        where = volunteers.GeoPoint(latitude, longitude) if latitude is not None and longitude is not None else None
        offers = volunteers.available_near(
            self.volunteers.with_skill(community_id, skill), community_id, skill, where, utcnow(), COMMUNITY_ZONE,
            self.activities.serving_now(community_id), max(0, min(int(limit), MAX_OFFERS)), DISPATCH_RADIUS_M)
        return [offer.as_dict() for offer in offers]
