"""The only module that knows how people, endpoints, notifications and deliveries sit in MongoDB.

Deliveries are documents of their own: the worker claims a due one with a lease (a worker that dies
mid-send leaves it to be claimed again once the lease runs out), records how the send went, and schedules
the next try or dead-letters it. A notification's id is its event's id and the person's, so a redelivered
event cannot make a second one."""
from dataclasses import replace
from datetime import datetime, timedelta

import pymongo
from pymongo import ReturnDocument

from linli.kit import outbox
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.notify.domain.notifications import (
    EMERGENCY, PENDING, ROUTINE, SUPPRESSED, Delivery, Endpoint, Notification, ShiftReminder)
from services.notify.domain.people import ElderLink, Person, Preferences

PEOPLE = "people"
ENDPOINTS = "endpoints"
NOTIFICATIONS = "notifications"
DELIVERIES = "deliveries"
REMINDERS = "reminders"

INDEXES = [
    Index(PEOPLE, [("elders.elder_id", 1)]),
    Index(PEOPLE, [("preferences.on_duty", 1), ("communities", 1)]),
    Index(ENDPOINTS, [("user_id", 1), ("registered_at", -1)]),
    # The inbox, newest first; and the hourly bound's count.
    Index(NOTIFICATIONS, [("user_id", 1), ("created_at", -1), ("_id", -1)]),
    Index(NOTIFICATIONS, [("user_id", 1), ("read_at", 1), ("created_at", -1)]),
    Index(NOTIFICATIONS, [("event_id", 1)]),
    # What the worker sends next: due ones, emergencies first.
    Index(DELIVERIES, [("status", 1), ("next_attempt_at", 1)]),
    Index(DELIVERIES, [("notification_id", 1)]),
    Index(DELIVERIES, [("event_id", 1)]),
    # The volunteers' shift reminders that are due.
    Index(REMINDERS, [("status", 1), ("remind_at", 1)]),
]


def _person(doc: dict) -> Person:
    return Person(doc["_id"], frozenset(doc.get("roles", ())), frozenset(doc.get("communities", ())),
                  Preferences(**doc.get("preferences", {})), tuple(ElderLink(**link) for link in doc.get("elders", ())))


def _person_doc(person: Person) -> dict:
    return {"_id": person.id, "roles": sorted(person.roles), "communities": sorted(person.communities),
            "preferences": vars(person.preferences), "elders": [vars(link) for link in person.elders]}


def _endpoint(doc: dict) -> Endpoint:
    doc = dict(doc)
    return Endpoint(id=doc.pop("_id"), **doc)


def _delivery(doc: dict) -> Delivery:
    return Delivery(doc["channel"], doc["target"], doc["status"], doc.get("attempts", 0), doc.get("next_attempt_at"),
                    doc.get("last_error", ""), doc.get("updated_at"))


def _notification(doc: dict, deliveries: list[dict] = ()) -> Notification:
    fields = {k: v for k, v in doc.items() if k not in ("_id", "pushed")}
    return Notification(id=doc["_id"], **fields, deliveries=tuple(_delivery(d) for d in deliveries))


class NotifyStore:
    def __init__(self, client, db):
        self.client = client
        self.db = db
        self.people = db[PEOPLE]
        self.endpoints = db[ENDPOINTS]
        self.notifications = db[NOTIFICATIONS]
        self.deliveries = db[DELIVERIES]

    # -- people -------------------------------------------------------------------------------------

    def person(self, user_id: str, session=None) -> Person | None:
        doc = self.people.find_one({"_id": user_id}, session=session)
        return _person(doc) if doc else None

    def save_person(self, person: Person) -> Person:
        self.people.replace_one({"_id": person.id}, _person_doc(person), upsert=True)
        return person

    def family_of(self, elder_id: str) -> list[Person]:
        return [_person(doc) for doc in self.people.find({"elders.elder_id": elder_id})]

    def supervisors_on_duty(self, community_id: str) -> list[Person]:
        query = {"preferences.on_duty": True, "communities": {"$in": [community_id, "*"]}}
        return [_person(doc) for doc in self.people.find(query)]

    # -- endpoints ----------------------------------------------------------------------------------

    def save_endpoint(self, endpoint: Endpoint) -> Endpoint:
        """Add or refresh an endpoint; a subscription another person had registered (a shared device,
        someone else logged in) moves to this person."""
        doc = {k: v for k, v in vars(endpoint).items() if k != "id"}
        self.endpoints.replace_one({"_id": endpoint.id}, doc, upsert=True)
        return endpoint

    def endpoint(self, endpoint_id: str) -> Endpoint | None:
        doc = self.endpoints.find_one({"_id": endpoint_id})
        return _endpoint(doc) if doc else None

    def endpoints_of(self, user_id: str) -> list[Endpoint]:
        return [_endpoint(doc) for doc in self.endpoints.find({"user_id": user_id}).sort("registered_at", -1)]

    def remove_endpoint(self, endpoint_id: str, user_id: str | None = None) -> bool:
        query = {"_id": endpoint_id, **({"user_id": user_id} if user_id else {})}
        return self.endpoints.delete_one(query).deleted_count == 1

    # -- notifications ------------------------------------------------------------------------------

    def routine_pushed_since(self, user_id: str, since: datetime) -> int:
        return self.notifications.count_documents(
            {"user_id": user_id, "urgency": ROUTINE, "pushed": True, "created_at": {"$gte": since}})

    def add_notifications(self, session, notifications: list[Notification], priority: int) -> None:
        """The inbox entries and their deliveries, inside the caller's transaction (with apply_once)."""
        for note in notifications:
            doc = {k: v for k, v in vars(note).items() if k not in ("id", "deliveries")}
            doc["pushed"] = any(d.status != SUPPRESSED for d in note.deliveries)
            self.notifications.insert_one({"_id": note.id, **doc}, session=session)
            for delivery in note.deliveries:
                self.deliveries.insert_one(
                    {"_id": f"{note.id}:{delivery.channel}:{delivery.target}", "notification_id": note.id,
                     "event_id": note.event_id, "user_id": note.user_id, "urgency": note.urgency,
                     "priority": 1 if note.urgency == EMERGENCY else 0, "title": note.title, "body": note.body,
                     "care_request_id": note.care_request_id, "lease_until": None, **vars(delivery)},
                    session=session)

    # -- shift reminders: scheduled at sign-up, dropped at withdrawal, sent once when due

    def schedule_reminder(self, session, reminder: ShiftReminder) -> None:
        self.db[REMINDERS].replace_one({"_id": reminder.attendance_id},
                                       {**vars(reminder), "status": "scheduled"}, upsert=True, session=session)

    def drop_reminder(self, session, attendance_id: str) -> None:
        self.db[REMINDERS].update_one({"_id": attendance_id, "status": "scheduled"}, {"$set": {"status": "withdrawn"}},
                                      session=session)

    def due_reminders(self, now: datetime, limit: int = 100) -> list[ShiftReminder]:
        docs = self.db[REMINDERS].find({"status": "scheduled", "remind_at": {"$lte": now}}).sort("remind_at", 1)
        return [ShiftReminder(**{k: v for k, v in doc.items() if k not in ("_id", "status")}) for doc in docs.limit(limit)]

    def mark_reminded(self, session, attendance_id: str) -> bool:
        """Whether this call marked it (False: another worker did, or it was withdrawn meanwhile)."""
        result = self.db[REMINDERS].update_one({"_id": attendance_id, "status": "scheduled"},
                                               {"$set": {"status": "sent"}}, session=session)
        return result.modified_count == 1

    def add_events(self, session, events: list[dict]) -> None:
        """Events for the outbox, inside the caller's transaction (the relay publishes them after commit)."""
        for event in events:
            outbox.add(self.db, session, event)

    def page(self, user_id: str, after: tuple[datetime, str] | None, limit: int, unread_only: bool) -> list[Notification]:
        query: dict = {"user_id": user_id}
        if unread_only:
            query["read_at"] = None
        if after:
            query["$or"] = [{"created_at": {"$lt": after[0]}}, {"created_at": after[0], "_id": {"$lt": after[1]}}]
        docs = list(self.notifications.find(query).sort([("created_at", -1), ("_id", -1)]).limit(limit))
        deliveries: dict[str, list[dict]] = {}
        for doc in self.deliveries.find({"notification_id": {"$in": [d["_id"] for d in docs]}}).sort("_id", 1):
            deliveries.setdefault(doc["notification_id"], []).append(doc)
        return [_notification(doc, deliveries.get(doc["_id"], [])) for doc in docs]

    def unread_count(self, user_id: str) -> int:
        return self.notifications.count_documents({"user_id": user_id, "read_at": None})

    def notification(self, notification_id: str) -> Notification | None:
        doc = self.notifications.find_one({"_id": notification_id})
        if doc is None:
            return None
        return _notification(doc, list(self.deliveries.find({"notification_id": notification_id}).sort("_id", 1)))

    def mark(self, note: Notification, read_at: datetime | None) -> Notification:
        self.notifications.update_one({"_id": note.id}, {"$set": {"read_at": read_at}})
        return replace(note, read_at=read_at)

    def for_event(self, event_id: str) -> list[Notification]:
        deliveries: dict[str, list[dict]] = {}
        for doc in self.deliveries.find({"event_id": event_id}):
            deliveries.setdefault(doc["notification_id"], []).append(doc)
        return [_notification(doc, deliveries.get(doc["_id"], [])) for doc in self.notifications.find({"event_id": event_id})]

    # -- deliveries ---------------------------------------------------------------------------------

    def claim_due(self, now: datetime, lease: timedelta) -> dict | None:
        """The most urgent due delivery, leased to the caller; None when nothing is due."""
        return self.deliveries.find_one_and_update(
            {"status": PENDING, "next_attempt_at": {"$lte": now},
             "$or": [{"lease_until": None}, {"lease_until": {"$lt": now}}]},
            {"$set": {"lease_until": now + lease}},
            sort=[("priority", -1), ("next_attempt_at", 1)], return_document=ReturnDocument.AFTER)

    def record(self, delivery_id: str, status: str, attempts: int, next_attempt_at: datetime | None,
               error: str, now: datetime) -> None:
        self.deliveries.update_one(
            {"_id": delivery_id},
            {"$set": {"status": status, "attempts": attempts, "next_attempt_at": next_attempt_at,
                      "last_error": error, "updated_at": now, "lease_until": None}})

    def dead_letters(self, limit: int = 100) -> list[dict]:
        return list(self.deliveries.find({"status": "dead"}).sort("updated_at", -1).limit(limit))

    def pending_count(self) -> int:
        return self.deliveries.count_documents({"status": PENDING})

    def publish_once(self, event: dict) -> bool:
        """Put an event in the outbox unless it is already there (its id says which fact it reports)."""
        def work(session):
            outbox.add(self.db, session, event)

        try:
            transaction(self.client, work)
            return True
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                return False
            raise

