"""Deciding and delivering, over the store and the channels; the worker calls these from its event
handlers and its timer (and the tests call them directly).

decide(): an event in, its notifications and their deliveries out, in the transaction that records the
event as applied (a redelivered event notifies once). send_due(): every delivery that is due goes out;
a failure is tried again after the next of NOTIFY_RETRY_SECONDS, and after the last one the delivery is
a dead letter, kept with its error. An emergency whose deliveries all ended without one sent, or that
had nobody to tell, is published as emergency.unreached for the board."""
import logging
from datetime import datetime, timedelta

from linli.kit.consumer import apply_once
from linli.kit.mongo import transaction
from services.notify import events
from services.notify.channels import DeliveryError
from services.notify.domain import notifications as notes
from services.notify.domain.people import Person
from services.notify.store.notify import NotifyStore

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)


def candidates(store: NotifyStore, update: notes.CareUpdate) -> notes.Candidates:
    return notes.Candidates(
        family=tuple(store.family_of(update.elder_id)),
        raiser=store.person(update.raised_by) if update.raised_by else None,
        assignee=store.person(update.assignee_id) if update.assignee_id else None,
        supervisors=tuple(store.supervisors_on_duty(update.community_id)))


def decide(store: NotifyStore, consumer: str, event: dict, now: datetime, zone: str) -> list[notes.Notification]:
    """Notify the people an eldercare care-request event concerns; [] when it was applied before."""
    update = events.care_update_in(event)
    chosen = notes.recipients(update, candidates(store, update))
    made = []
    for recipient in chosen:
        sent_last_hour = store.routine_pushed_since(recipient.person.id, now - timedelta(hours=1))
        deliveries = notes.plan_deliveries(recipient, store.endpoints_of(recipient.person.id), sent_last_hour, now, zone)
        made.append(notes.notification_for(update, recipient, deliveries, now, zone))
    priority = 1 if notes.urgency_of(update) == notes.EMERGENCY else 0

    if not apply_once(store.client, store.db, consumer, event, lambda session: record(store, session, made, priority)):
        return []
    log.info("event %s (%s): %d people notified", event["id"], event["type"], len(made))
    if notes.urgency_of(update) == notes.EMERGENCY and not any(n.deliveries for n in made):
        report_unreached(store, event["id"], update.care_request_id, update.community_id, update.elder_id,
                         update.event_type, [n.user_id for n in made], 0, now)
    return made


def decide_certificate(store: NotifyStore, consumer: str, event: dict, now: datetime, zone: str) -> list[notes.Notification]:
    """Tell a volunteer their certificate was issued; [] when applied before or not theirs to hear."""
    certificate = events.certificate_in(event)
    person = store.person(certificate.volunteer_id) or Person(
        certificate.volunteer_id, frozenset({"volunteer"}), frozenset({certificate.community_id}))
    if not certificate.volunteer_id or not person.serves(certificate.community_id):
        return []
    recipient = notes.Recipient(person, notes.RAISER, notes.ROUTINE)
    deliveries = notes.plan_deliveries(recipient, store.endpoints_of(person.id),
                                       store.routine_pushed_since(person.id, now - timedelta(hours=1)), now, zone)
    note = notes.certificate_notification(event["id"], person, certificate.community_id, certificate.verified_minutes,
                                          certificate.from_day, certificate.to_day, certificate.code, deliveries, now)
    if not apply_once(store.client, store.db, consumer, event, lambda session: record(store, session, [note], 0)):
        return []
    return [note]


def schedule_shift_reminder(store: NotifyStore, consumer: str, event: dict, lead: timedelta, now: datetime) -> bool:
    """A volunteer signed up for a shift: remind them `lead` before it starts. False when applied before."""
    attendance_id, user_id, community_id, title, place, starts_at = events.signed_up_in(event)
    reminder = notes.shift_reminder(attendance_id, user_id, community_id, title, place, starts_at, lead, now)

    def effect(session) -> None:
        if reminder is not None:  # None: the shift has already begun
            store.schedule_reminder(session, reminder)

    return apply_once(store.client, store.db, consumer, event, effect)


def drop_shift_reminder(store: NotifyStore, consumer: str, event: dict) -> bool:
    """The volunteer withdrew: no reminder. False when applied before."""
    attendance_id = events.withdrawn_in(event)
    return apply_once(store.client, store.db, consumer, event,
                      lambda session: store.drop_reminder(session, attendance_id))


def send_shift_reminders(store: NotifyStore, now: datetime, zone: str) -> int:
    """Every reminder that is due becomes a notification, once: marking it sent and making the notification
    are one transaction, so two workers or a crash cannot make two or none. Returns how many were made."""
    made = 0
    for reminder in store.due_reminders(now):
        person = store.person(reminder.user_id) or Person(
            reminder.user_id, frozenset({"volunteer"}), frozenset({reminder.community_id}))
        note = None
        if person.serves(reminder.community_id):
            recipient = notes.Recipient(person, notes.RAISER, notes.ROUTINE)
            deliveries = notes.plan_deliveries(recipient, store.endpoints_of(person.id),
                                               store.routine_pushed_since(person.id, now - timedelta(hours=1)), now, zone)
            note = notes.shift_reminder_notification(reminder, person, deliveries, now, zone)

        def work(session, reminder=reminder, note=note) -> bool:
            if not store.mark_reminded(session, reminder.attendance_id):
                return False
            if note is not None:
                record(store, session, [note], 0)
            return True

        if transaction(store.client, work) and note is not None:
            made += 1
    return made


def record(store: NotifyStore, session, made: list[notes.Notification], priority: int) -> None:
    """Inbox entries and their deliveries, and for each a notification.created event for its owner's live
    stream, in the transaction that records the event as applied."""
    store.add_notifications(session, made, priority)
    store.add_events(session, [events.notification_created_event(note) for note in made])


def report_unreached(store: NotifyStore, event_id: str, care_request_id: str, community_id: str, elder_id: str,
                     event_type: str, recipients: list[str], tried: int, now: datetime) -> None:
    if store.publish_once(events.unreached_event(event_id, care_request_id, community_id, elder_id, event_type,
                                                 recipients, tried, now)):
        log.error("emergency %s of care request %s reached nobody (%d people, %d deliveries tried): "
                  "emergency.unreached published for the board", event_type, care_request_id, len(recipients), tried)


class Channels:
    def __init__(self, webpush, mobile, sms):
        self.webpush, self.mobile, self.sms = webpush, mobile, sms

    def send(self, store: NotifyStore, delivery: dict) -> None:
        urgent = delivery["urgency"] == notes.EMERGENCY
        message = {"id": delivery["notification_id"], "title": delivery["title"], "body": delivery["body"],
                   "care_request_id": delivery["care_request_id"], "urgency": delivery["urgency"]}
        if delivery["channel"] == notes.SMS:
            self.sms.send(delivery["target"], f"{delivery['title']}：{delivery['body']}")
            return
        endpoint = store.endpoint(delivery["target"])
        if endpoint is None or endpoint.user_id != delivery["user_id"]:
            raise DeliveryError("the endpoint was removed", gone=True)
        if delivery["channel"] == notes.WEB_PUSH:
            self.webpush.send(endpoint.push_url, endpoint.p256dh, endpoint.auth, message, urgent)
        else:
            self.mobile.send(endpoint.provider, endpoint.token, delivery["title"], delivery["body"], message, urgent)


def send_one(store: NotifyStore, channels: Channels, delivery: dict, delays: list[float], now: datetime) -> str:
    """Send a claimed delivery and record the outcome; returns its new status."""
    attempts = delivery.get("attempts", 0) + 1
    try:
        channels.send(store, delivery)
    except DeliveryError as error:
        if error.gone:
            if delivery["channel"] != notes.SMS:
                store.remove_endpoint(delivery["target"], delivery["user_id"])
            status, retry = notes.GONE, None
        else:
            retry = None if error.permanent else notes.retry_at(attempts, delays, now)
            status = notes.PENDING if retry else notes.DEAD
        store.record(delivery["_id"], status, attempts, retry, error.message, now)
        log.log(logging.WARNING if status == notes.PENDING else logging.ERROR,
                "delivery %s (%s) failed on try %d: %s; %s", delivery["_id"], delivery["channel"], attempts,
                error.message, f"next try at {retry.isoformat()}" if retry else f"now {status}")
        if status != notes.PENDING and delivery["urgency"] == notes.EMERGENCY:
            check_reached(store, delivery["event_id"], now)
        return status
    store.record(delivery["_id"], notes.SENT, attempts, None, "", now)
    return notes.SENT


def check_reached(store: NotifyStore, event_id: str, now: datetime) -> None:
    made = store.for_event(event_id)
    if made and notes.unreached(made):
        first = made[0]
        report_unreached(store, event_id, first.care_request_id, first.community_id, first.elder_id,
                         first.event_type, [n.user_id for n in made], sum(len(n.deliveries) for n in made), now)


def send_due(store: NotifyStore, channels: Channels, delays: list[float], clock, limit: int = 100,
             pool=None) -> int:
    """Send what is due now, most urgent first; returns how many were tried. pool (an eventlet GreenPool in
    the worker): sends run side by side, each waiting on its own push service or provider."""
    tried = 0
    while tried < limit:
        delivery = store.claim_due(clock(), LEASE)
        if delivery is None:
            break
        if pool is None:
            send_one(store, channels, delivery, delays, clock())
        else:
            pool.spawn_n(_send_logged, store, channels, delivery, delays, clock)
        tried += 1
    if pool is not None:
        pool.waitall()
    return tried


def _send_logged(store, channels, delivery, delays, clock) -> None:
    try:
        send_one(store, channels, delivery, delays, clock())
    except Exception:  # the store is unreachable: the lease runs out and the delivery is claimed again
        log.exception("delivery %s: outcome not recorded; it is tried again after its lease", delivery["_id"])
