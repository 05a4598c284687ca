"""The only module that knows how activities, shifts and attendance sit in MongoDB."""
from datetime import datetime

import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.errors import Aborted, AlreadyExists, FailedPrecondition
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.volunteer.domain import activities as act
from services.volunteer.domain import hours
from services.volunteer.store.hours import HoursStore
from services.volunteer.store.volunteers import point, point_doc

ACTIVITIES = "activities"
SHIFTS = "shifts"
ATTENDANCE = "attendance"

INDEXES = [
    Index(ACTIVITIES, [("community_id", 1), ("created_at", -1), ("_id", -1)]),
    Index(SHIFTS, [("activity_id", 1), ("starts_at", 1)]),
    # One place per volunteer per shift; a withdrawn sign-up frees it (holds_place false).
    Index(ATTENDANCE, [("shift_id", 1), ("volunteer_id", 1)],
          {"unique": True, "partialFilterExpression": {"holds_place": True}}),
    Index(ATTENDANCE, [("volunteer_id", 1), ("shift_starts_at", -1), ("_id", -1)]),
    # The timer's query (forgotten check-outs) and dispatch's (who is serving a shift right now).
    Index(ATTENDANCE, [("status", 1), ("shift_ends_at", 1)]),
    Index(ATTENDANCE, [("community_id", 1), ("status", 1)]),
]


def _activity_doc(activity: act.Activity) -> dict:
    place = activity.place
    return {"_id": activity.id, "community_id": activity.community_id, "title": activity.title,
            "description": activity.description, "created_by": activity.created_by, "created_at": activity.created_at,
            "place": {"name": place.name, "position": point_doc(place.position), "radius_m": place.radius_m}}


def _activity(doc: dict) -> act.Activity:
    place = doc["place"]
    return act.Activity(doc["_id"], doc["community_id"], doc["title"], doc["description"],
                        act.Place(place["name"], point(place["position"]), place["radius_m"]),
                        doc["created_by"], doc["created_at"])


def _shift_doc(shift: act.Shift) -> dict:
    doc = dict(vars(shift))
    doc["_id"] = doc.pop("id")
    return doc


def _shift(doc: dict) -> act.Shift:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    return act.Shift(**doc)


def _attendance_doc(attendance: act.Attendance) -> dict:
    doc = {**vars(attendance), "check_in_position": point_doc(attendance.check_in_position),
           "flags": list(attendance.flags), "history": [vars(t) for t in attendance.history],
           "holds_place": attendance.status in act.HOLDS_A_PLACE}
    doc["_id"] = doc.pop("id")
    return doc


def _attendance(doc: dict) -> act.Attendance:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    doc.pop("holds_place", None)
    doc["check_in_position"] = point(doc.get("check_in_position"))
    doc["flags"] = tuple(doc.get("flags", ()))
    doc["history"] = tuple(act.Transition(**t) for t in doc.get("history", ()))
    return act.Attendance(**doc)


class ActivityStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.activities = db[ACTIVITIES]
        self.shifts = db[SHIFTS]
        self.attendance = db[ATTENDANCE]
        self.ledger = HoursStore(client, db)

    # -- activities and shifts

    def add_activity(self, activity: act.Activity) -> act.Activity:
        self.activities.insert_one(_activity_doc(activity))
        return activity

    def activity(self, activity_id: str) -> act.Activity | None:
        doc = self.activities.find_one({"_id": activity_id})
        return _activity(doc) if doc else None

    def list_activities(self, community_id: str, after: list | None, limit: int) -> list[act.Activity]:
        query: dict = {"community_id": community_id}
        if after:
            at = datetime.fromisoformat(after[0])
            query["$or"] = [{"created_at": {"$lt": at}}, {"created_at": at, "_id": {"$lt": after[1]}}]
        cursor = self.activities.find(query).sort([("created_at", -1), ("_id", -1)]).limit(limit)
        return [_activity(doc) for doc in cursor]

    def add_shift(self, shift: act.Shift) -> act.Shift:
        self.shifts.insert_one(_shift_doc(shift))
        return shift

    def shift(self, shift_id: str) -> act.Shift | None:
        doc = self.shifts.find_one({"_id": shift_id})
        return _shift(doc) if doc else None

    def shifts_of(self, activity_id: str) -> list[act.Shift]:
        return [_shift(doc) for doc in self.shifts.find({"activity_id": activity_id}).sort("starts_at", 1)]

    # -- attendance

    def get(self, attendance_id: str) -> act.Attendance | None:
        doc = self.attendance.find_one({"_id": attendance_id})
        return _attendance(doc) if doc else None

    def sign_up(self, attendance: act.Attendance, shift: act.Shift, event: dict) -> act.Attendance:
        """Take one of the shift's places and record the sign-up and its event, together; refused when none
        is left."""

        def work(session: ClientSession) -> None:
            taken = self.shifts.update_one({"_id": shift.id, "taken": {"$lt": shift.capacity}},
                                           {"$inc": {"taken": 1}}, session=session)
            if taken.matched_count != 1:
                raise FailedPrecondition(f"shift {shift.id} is full ({shift.capacity} places)")
            self.attendance.insert_one(_attendance_doc(attendance), session=session)
            outbox.add(self.db, session, event)

        try:
            transaction(self.client, work)
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise AlreadyExists(f"volunteer {attendance.volunteer_id} is already signed up for this shift") from None
            raise
        return attendance

    def _replace(self, session: ClientSession, attendance: act.Attendance) -> None:
        result = self.attendance.replace_one({"_id": attendance.id, "version": attendance.version - 1},
                                             _attendance_doc(attendance), session=session)
        if result.matched_count != 1:
            raise Aborted(f"attendance {attendance.id} was changed by someone else; read again and retry")

    def update(self, attendance: act.Attendance, session: ClientSession | None = None,
               event: dict | None = None) -> act.Attendance:
        """Save a transition, with its event if it has one; a withdrawal gives its place back to the shift."""

        def work(session: ClientSession) -> None:
            self._replace(session, attendance)
            if attendance.status == act.WITHDRAWN:
                self.shifts.update_one({"_id": attendance.shift_id}, {"$inc": {"taken": -1}}, session=session)
            if event is not None:
                outbox.add(self.db, session, event)

        work(session) if session is not None else transaction(self.client, work)
        return attendance

    def save_check_out(self, session: ClientSession, attendance: act.Attendance, entry: hours.HoursEntry | None,
                       event: dict | None) -> act.Attendance:
        """The closed attendance, its ledger entry and the entry's event, in the caller's transaction (one
        holding the volunteer's time: services.volunteer.checkout)."""
        self._replace(session, attendance)
        if entry is not None:
            self.ledger.record(entry, event, session=session)
        return attendance

    def checked_in_elsewhere(self, volunteer_id: str, attendance_id: str, session: ClientSession | None = None
                             ) -> bool:
        return self.attendance.count_documents(
            {"volunteer_id": volunteer_id, "status": act.CHECKED_IN, "_id": {"$ne": attendance_id}}, limit=1,
            session=session) > 0

    def forgotten(self, now: datetime, limit: int = 100) -> list[act.Attendance]:
        """Checked in to a shift that has ended: the volunteer forgot to check out."""
        cursor = self.attendance.find({"status": act.CHECKED_IN, "shift_ends_at": {"$lt": now}}).limit(limit)
        return [_attendance(doc) for doc in cursor]

    def serving_now(self, community_id: str) -> frozenset[str]:
        """Volunteers checked in to a shift of the community right now."""
        docs = self.attendance.find({"community_id": community_id, "status": act.CHECKED_IN}, {"volunteer_id": 1})
        return frozenset(doc["volunteer_id"] for doc in docs)

    def of_shift(self, shift_id: str) -> list[act.Attendance]:
        return [_attendance(doc) for doc in self.attendance.find({"shift_id": shift_id}).sort("_id", 1)]

    def of_volunteer(self, volunteer_id: str, after: list | None, limit: int) -> list[act.Attendance]:
        query: dict = {"volunteer_id": volunteer_id}
        if after:
            at = datetime.fromisoformat(after[0])
            query["$or"] = [{"shift_starts_at": {"$lt": at}}, {"shift_starts_at": at, "_id": {"$lt": after[1]}}]
        cursor = self.attendance.find(query).sort([("shift_starts_at", -1), ("_id", -1)]).limit(limit)
        return [_attendance(doc) for doc in cursor]
