"""The notify Nameko worker: hears eldercare's care-request events and volunteer's certificates and shift
sign-ups (once each), decides who is told what, reminds volunteers of their shifts, and sends the push and
SMS deliveries that are due, retrying with backoff.

Run: python -m linli.kit.workers services.notify.worker
"""
import logging

from eventlet.greenpool import GreenPool
from nameko.timer import timer

from linli.kit.config import number
from linli.kit.handlers import event_handler  # retries and dead letters instead of lost events
from linli.kit.heartbeat import Heartbeat
from linli.kit.mongo import utcnow
from linli.kit.nameko_deps import Database
from services.notify import delivery, policy
from services.notify.domain import notifications as notes
from services.notify.events import ELDERCARE, VOLUNTEER
from services.notify.store import INDEXES
from services.notify.store import notify as notify_store

log = logging.getLogger(__name__)

CONSUMER = "notify.care_request"
# Read as the worker starts, so a wrong setting stops it at once, saying why.
SHIFT_REMINDER_LEAD = policy.shift_reminder_lead()


class NotifyWorker:
    name = "notify"
    heartbeat = Heartbeat()
    database = Database("notify", INDEXES)
    channels = None  # made on first use: the VAPID key file is read once per process

    @property
    def store(self) -> notify_store.NotifyStore:
        return notify_store.NotifyStore(self.database.client, self.database.db)

    def _decide(self, event):
        store = self.store
        made = delivery.decide(store, CONSUMER, event, utcnow(), policy.COMMUNITY_ZONE)
        due = sum(1 for note in made for d in note.deliveries if d.status == notes.PENDING and d.next_attempt_at
                  and d.next_attempt_at <= utcnow())
        if due:
            # Send at once rather than at the timer's next tick: a family should not wait half a second more.
            # What this leaves (a failure to record, a crash) the timer picks up after the lease.
            delivery.send_due(store, self._channels(), policy.retry_delays(), utcnow, limit=due, pool=GreenPool(8))

    @staticmethod
    def _channels():
        if NotifyWorker.channels is None:
            NotifyWorker.channels = policy.channels()
        return NotifyWorker.channels

    # Emergencies first (urgent_first): a family hears of a fall ahead of a backlog of meal updates.
    @event_handler(ELDERCARE, notes.RAISED, urgent_first=True)
    def care_request_raised(self, event):
        self._decide(event)

    @event_handler(ELDERCARE, notes.ESCALATED, urgent_first=True)
    def care_request_escalated(self, event):
        self._decide(event)

    @event_handler(ELDERCARE, notes.ASSIGNED, urgent_first=True)
    def care_request_assigned(self, event):
        self._decide(event)

    @event_handler(ELDERCARE, notes.EN_ROUTE, urgent_first=True)
    def care_request_en_route(self, event):
        self._decide(event)

    @event_handler(ELDERCARE, notes.ON_SITE, urgent_first=True)
    def care_request_on_site(self, event):
        self._decide(event)

    @event_handler(ELDERCARE, notes.COMPLETED, urgent_first=True)
    def care_request_completed(self, event):
        self._decide(event)

    @event_handler(ELDERCARE, notes.CANCELLED, urgent_first=True)
    def care_request_cancelled(self, event):
        self._decide(event)

    @event_handler(VOLUNTEER, notes.CERTIFICATE_ISSUED)
    def certificate_issued(self, event):
        delivery.decide_certificate(self.store, "notify.certificate", event, utcnow(), policy.COMMUNITY_ZONE)

    @event_handler(VOLUNTEER, notes.ATTENDANCE_SIGNED_UP)
    def attendance_signed_up(self, event):
        delivery.schedule_shift_reminder(self.store, "notify.shift_reminder", event, SHIFT_REMINDER_LEAD, utcnow())

    @event_handler(VOLUNTEER, notes.ATTENDANCE_WITHDRAWN)
    def attendance_withdrawn(self, event):
        delivery.drop_shift_reminder(self.store, "notify.shift_reminder", event)

    # Reminders come hours ahead: looked for every few seconds, not at every delivery poll.
    @timer(interval=policy.SHIFT_REMINDER_CHECK_SECONDS)
    def send_shift_reminders(self):
        delivery.send_shift_reminders(self.store, utcnow(), policy.COMMUNITY_ZONE)

    @timer(interval=number("NOTIFY_DELIVERY_POLL_SECONDS"))
    def send_due(self):
        delivery.send_due(self.store, self._channels(), policy.retry_delays(), utcnow, pool=GreenPool(8))
