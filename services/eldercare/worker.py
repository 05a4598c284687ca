"""The eldercare Nameko worker: escalates emergencies nobody acknowledged in time, returns assignments
nobody accepted in time, and keeps the daily figures from the service's own events. Each method is a few lines over domain and store.

Run: python -m linli.kit.workers services.eldercare.worker
"""
import logging
import uuid
from datetime import datetime

from nameko import config
from nameko.timer import timer

from linli.kit.config import number, setting
from linli.kit.errors import Aborted, NotFound
from linli.kit.handlers import event_handler  # retries, dead letters, emergencies first
from linli.kit.heartbeat import Heartbeat
from linli.kit.mongo import utcnow
from linli.kit.nameko_deps import Database
from services.eldercare import events, usecases
from services.eldercare import metrics as care_metrics
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import meals, residents
from services.eldercare.policy import COMMUNITY_ZONE, with_emergency_sla
from services.eldercare.store import INDEXES
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store import residents as resident_store
from services.eldercare.store.meals import MealStore
from services.eldercare.store.recordings import RecordingStore

log = logging.getLogger(__name__)


class EldercareWorker:
    name = "eldercare"
    # Touches a file every few seconds: the liveness probe of a worker, which has no port.
    heartbeat = Heartbeat()

    database = Database("eldercare", INDEXES)

    @property
    def store(self) -> CareRequestStore:
        return CareRequestStore(self.database.client, self.database.db)

    @property
    def policy(self):
        sla = config.get("ELDERCARE_EMERGENCY_ACK_SLA_SECONDS") or setting("ELDERCARE_EMERGENCY_ACK_SLA_SECONDS")
        return with_emergency_sla(float(sla))

    @timer(interval=number("ELDERCARE_ESCALATION_CHECK_SECONDS"))
    def escalate_overdue(self):
        now = utcnow()
        store, policy = self.store, self.policy
        for request in store.due_for_escalation(now):
            escalated = care.escalate(request, now, policy)
            try:
                store.update(escalated, events.escalated(escalated))
            except Aborted:
                continue  # acknowledged (or escalated by another worker) since we read it
            care_metrics.escalated(escalated)
            log.warning("care request %s escalated to level %d", request.id, escalated.escalation_level)

    @timer(interval=number("ELDERCARE_ESCALATION_CHECK_SECONDS"))
    def reassign_unaccepted(self):
        """An assignment nobody accepted in time goes back to the queue for someone else."""
        now = utcnow()
        store = self.store
        for request in store.overdue_assignments(now):
            assignee = request.assignment.assignee_id
            returned = care.time_out_assignment(request, now)
            try:
                store.update(returned, events.assignment_declined(returned, assignee, "not accepted in time", True, now))
            except Aborted:
                continue  # accepted since we read it
            log.warning("care request %s: %s did not accept in time; back for reassignment", request.id, assignee)

    @timer(interval=number("ELDERCARE_RECORDING_PURGE_SECONDS"))
    def purge_recordings(self):
        """Call recordings past their retention period are deleted (each deletion audited)."""
        purged = RecordingStore(self.database.client, self.database.db).purge(utcnow())
        if purged:
            log.info("purged %d call recordings past retention", len(purged))

    @timer(interval=number("ELDERCARE_DEVICE_CHECK_SECONDS"))
    def find_silent_devices(self):
        """A device that missed its heartbeats needs maintenance: an alert for an operator, not a care request."""
        now = utcnow()
        store = resident_store.ResidentStore(self.database.client, self.database.db)
        for device in store.silent_devices(now):
            quiet, alert = residents.silent_alert(device, now, str(uuid.uuid4()))
            try:
                store.save_device(quiet, alert, events.maintenance_event(residents.DEVICE_MAINTENANCE_NEEDED, alert))
            except Aborted:
                continue  # it reported (or another worker raised the alert) since we read it
            log.warning("device %s of elder %s is silent: maintenance alert %s", device.id, device.elder_id, alert.id)

    # Daily figures per community, day and kind, kept from the service's own events.

    @event_handler("eldercare", care.CARE_REQUEST_RAISED, urgent_first=True)
    def count_raised(self, event):
        self._count(event, "count_raised", {"raised": 1})

    @event_handler("eldercare", care.CARE_REQUEST_ACKNOWLEDGED, urgent_first=True)
    def count_acknowledged(self, event):
        self._count_acknowledgement(event, "count_acknowledged")

    @event_handler("eldercare", care.CARE_REQUEST_ASSIGNED, urgent_first=True)
    def count_assigned(self, event):
        # Assigning a raised call acknowledges it: count the acknowledgement once, here.
        request = events.care_request_in(event)
        if request.acknowledged_at == request.assignment.assigned_at:
            self._count_acknowledgement(event, "count_assigned")

    @event_handler("eldercare", care.CARE_REQUEST_ESCALATED, urgent_first=True)
    def count_escalated(self, event):
        self._count(event, "count_escalated", {"escalated": 1})

    @event_handler("eldercare", care.CARE_REQUEST_ON_SITE, urgent_first=True)
    def count_arrived(self, event):
        request = events.care_request_in(event)
        seconds = care.seconds_since_clock_start(request, request.visit.checked_in_at)
        self._count(event, "count_arrived", {"arrived": 1}, {"arrive_seconds": seconds})

    @event_handler("eldercare", care.CARE_REQUEST_COMPLETED, urgent_first=True)
    def count_completed(self, event):
        self._count(event, "count_completed", {"completed": 1})

    @event_handler("eldercare", care.CARE_REQUEST_CANCELLED, urgent_first=True)
    def count_cancelled(self, event):
        self._count(event, "count_cancelled", {"cancelled": 1})

    @event_handler("eldercare", care.CARE_REQUEST_RATED, urgent_first=True)
    def count_rating(self, event):
        rating = events.care_request_in(event).feedback.rating
        self._count(event, "count_rating", {"rating_sum": rating, "rating_count": 1})

    # A meal delivery follows its care request: en route → dispatched, completed → delivered.

    @event_handler("eldercare", care.CARE_REQUEST_EN_ROUTE, urgent_first=True)
    def dispatch_meal_order(self, event):
        self._advance_meal_order(event, "dispatch_meal_order", meals.dispatch, meals.MEAL_ORDER_DISPATCHED)

    @event_handler("eldercare", care.CARE_REQUEST_COMPLETED, urgent_first=True)
    def deliver_meal_order(self, event):
        self._advance_meal_order(event, "deliver_meal_order", meals.deliver, meals.MEAL_ORDER_DELIVERED)

    @event_handler("eldercare", care.CARE_REQUEST_CANCELLED, urgent_first=True)
    def cancel_meal_order(self, event):
        reason = events.care_request_in(event).cancel_reason
        self._advance_meal_order(event, "cancel_meal_order",
                                 lambda order, at: meals.delivery_cancelled(order, reason, at), meals.MEAL_ORDER_CANCELLED)

    def _advance_meal_order(self, event: dict, handler: str, step, event_type: str):
        request = events.care_request_in(event)
        if request.kind != "meal":
            return
        at = datetime.fromisoformat(event["occurred_at"])
        store = MealStore(self.database.client, self.database.db)

        def effect(session):
            order = store.by_care_request(request.id, session=session)
            advanced = step(order, at) if order else None  # None: not an order's delivery, or already past
            if advanced is not None:
                store.update(advanced, events.meal_order_event(event_type, advanced, at), session=session)

        self.database.apply_once(f"eldercare.{handler}", event, effect)

    # A partner hospital handed a discharged elder back to the community clinic: a home follow-up visit,
    # raised as RaiseCareRequest raises a call (services/eldercare/usecases.py), booked ahead.
    @event_handler("clinic", "referral.back_referral_received")
    def schedule_follow_up_visit(self, event):
        now = utcnow()
        clinic, visit = usecases.follow_up_visit(event["data"], now, COMMUNITY_ZONE)
        store, policy = self.store, self.policy
        elders = resident_store.ResidentStore(self.database.client, self.database.db)
        try:
            self.database.apply_once("eldercare.schedule_follow_up_visit", event, lambda session: (
                usecases.raise_care_request(clinic, visit, store=store, elder_of=elders.get_elder, policy=policy,
                                            now=now, session=session)))
        except NotFound:
            log.info("back-referral %s: %s is no elder of %s; no home visit", event["data"]["referral"]["id"],
                     visit.elder_id, visit.community_id)

    def _count_acknowledgement(self, event: dict, handler: str):
        request = events.care_request_in(event)
        seconds = care.seconds_since_clock_start(request, request.acknowledged_at)
        within = 1 if care.acknowledged_within_sla(request) else 0
        self._count(event, handler, {"acknowledged": 1, "acknowledged_within_sla": within},
                    {"acknowledge_seconds": seconds})

    def _count(self, event: dict, handler: str, increments: dict, samples: dict | None = None):
        request = events.care_request_in(event)
        # A visit booked for later counts on the day it was wanted, with every figure of its own.
        day = care.local_day(request.clock_starts_at, COMMUNITY_ZONE)
        store = self.store
        self.database.apply_once(
            f"eldercare.{handler}", event,
            lambda session: store.count_in_figures(session, request.community_id, day, request.kind,
                                                   increments, samples),
        )
