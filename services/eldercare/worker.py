"""The eldercare Nameko worker: escalates emergencies nobody acknowledged in time, and keeps the
daily figures from the service's own events. Each method is a few lines over domain and store.

Run: python -m linli.kit.workers services.eldercare.worker
"""
import logging

from nameko import config
from nameko.events import event_handler
from nameko.timer import timer

from linli.kit.config import number, setting
from linli.kit.errors import Aborted
from linli.kit.mongo import utcnow
from linli.kit.nameko_deps import Database
from services.eldercare import events
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_COMMUNITY_ZONE, with_emergency_sla
from services.eldercare.store.care_requests import INDEXES, CareRequestStore

log = logging.getLogger(__name__)


class EldercareWorker:
    name = "eldercare"

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
            log.warning("care request %s escalated to level %d", request.id, escalated.escalation_level)

    @event_handler("eldercare", care.CARE_REQUEST_RAISED)
    def count_raised(self, event):
        self._count(event, "count_raised", {"raised": 1})

    @event_handler("eldercare", care.CARE_REQUEST_ACKNOWLEDGED)
    def count_acknowledged(self, event):
        request = events.care_request_in(event)
        seconds = (request.acknowledged_at - request.raised_at).total_seconds()
        within = 1 if care.acknowledged_within_sla(request) else 0
        self._count(event, "count_acknowledged", {"acknowledged": 1, "acknowledged_within_sla": within}, seconds)

    @event_handler("eldercare", care.CARE_REQUEST_ESCALATED)
    def count_escalated(self, event):
        self._count(event, "count_escalated", {"escalated": 1})

    def _count(self, event: dict, handler: str, increments: dict, acknowledge_seconds: float | None = None):
        request = events.care_request_in(event)
        day = care.local_day(request.raised_at, DEFAULT_COMMUNITY_ZONE)
        store = self.store
        self.database.apply_once(
            f"eldercare.{handler}", event,
            lambda session: store.count_in_figures(session, request.community_id, day, request.kind,
                                                   increments, acknowledge_seconds),
        )
