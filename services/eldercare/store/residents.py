"""The only module that knows how elders, their devices and maintenance alerts sit in MongoDB."""
from datetime import datetime, timedelta
from typing import Callable

import pymongo
from pymongo.client_session import ClientSession

from linli.kit import outbox
from linli.kit.errors import Aborted, AlreadyExists
from linli.kit.identity import Caller
from linli.kit.mongo import Index, is_duplicate_key, transaction
from services.eldercare.domain import care_requests as care
from services.eldercare.domain.care_requests import GeoPoint
from services.eldercare.domain import residents
from services.eldercare.domain.residents import (
    Address, Consent, Contact, Device, Elder, ElderDetails, ElderScope, MaintenanceAlert)
from services.eldercare.store.care_requests import CareRequestStore

ELDERS = "elders"
DEVICES = "devices"
ALERTS = "maintenance_alerts"
# One small document per elder that every press for them writes in its transaction (see save_press).
PRESS_GUARDS = "press_guards"

INDEXES = [
    Index(ELDERS, [("community_id", 1), ("_id", 1)]),
    # Family members find their elders by the user id on a contact.
    Index(ELDERS, [("details.contacts.user_id", 1)]),
    Index(DEVICES, [("elder_id", 1)]),
    # The silence timer's query.
    Index(DEVICES, [("silent_after", 1)]),
    Index(ALERTS, [("community_id", 1), ("resolved_at", 1), ("raised_at", 1), ("_id", 1)]),
]


def _point_doc(point: GeoPoint | None) -> dict | None:
    return {"latitude": point.latitude, "longitude": point.longitude} if point else None


def _elder_doc(elder: Elder) -> dict:
    d = elder.details
    return {
        "_id": elder.id, "community_id": elder.community_id,
        "details": {
            "name": d.name, "phone": d.phone, "mobility": d.mobility,
            "address": {**vars(d.address), "position": _point_doc(d.address.position)},
            "contacts": [vars(c) for c in d.contacts],
            "conditions": list(d.conditions), "medications": list(d.medications), "allergies": list(d.allergies),
        },
        "registered_at": elder.registered_at, "registered_by": elder.registered_by, "updated_at": elder.updated_at,
        "consents": [vars(c) for c in elder.consents], "version": elder.version,
    }


def _elder(doc: dict) -> Elder:
    d = doc["details"]
    position = d["address"].get("position")
    details = ElderDetails(
        name=d["name"], phone=d["phone"], mobility=d["mobility"],
        address=Address(**{**d["address"], "position": GeoPoint(**position) if position else None}),
        contacts=tuple(Contact(**c) for c in d["contacts"]),
        conditions=tuple(d["conditions"]), medications=tuple(d["medications"]), allergies=tuple(d["allergies"]),
    )
    return Elder(doc["_id"], doc["community_id"], details, doc["registered_at"], doc["registered_by"],
                 doc["updated_at"], tuple(Consent(**c) for c in doc["consents"]), doc["version"])


def _device_doc(device: Device) -> dict:
    doc = {**vars(device), "heartbeat_interval": device.heartbeat_interval.total_seconds()}
    doc["_id"] = doc.pop("id")
    return doc


def _device(doc: dict) -> Device:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    doc["heartbeat_interval"] = timedelta(seconds=doc["heartbeat_interval"])
    return Device(**doc)


def _reckoned_from(update: residents.HeartbeatUpdate) -> dict:
    if update.heartbeat_interval is None:
        return {}
    return {"heartbeat_interval": update.heartbeat_interval.total_seconds()}


def _alert_doc(alert: MaintenanceAlert) -> dict:
    doc = dict(vars(alert))
    doc["_id"] = doc.pop("id")
    return doc


def _alert(doc: dict) -> MaintenanceAlert:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    return MaintenanceAlert(**doc)


class ResidentStore:
    def __init__(self, client: pymongo.MongoClient, db):
        self.client = client
        self.db = db
        self.elders = db[ELDERS]
        self.devices = db[DEVICES]
        self.alerts = db[ALERTS]


    # -- elders

    def add_elder(self, elder: Elder) -> Elder:
        try:
            self.elders.insert_one(_elder_doc(elder))
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise AlreadyExists(f"elder {elder.id} is already registered") from None
            raise
        return elder

    def get_elder(self, elder_id: str) -> Elder | None:
        doc = self.elders.find_one({"_id": elder_id})
        return _elder(doc) if doc else None

    def save_elder(self, elder: Elder) -> Elder:
        """Save a changed elder if nobody changed it since it was read (version check)."""
        result = self.elders.replace_one({"_id": elder.id, "version": elder.version - 1}, _elder_doc(elder))
        if result.matched_count != 1:
            raise Aborted(f"elder {elder.id} was changed by someone else; read it again and retry")
        return elder

    def list_elders(self, scope: ElderScope, after_id: str | None, limit: int) -> list[Elder]:
        query: dict = {}
        if scope.communities is not None:
            query["community_id"] = {"$in": sorted(scope.communities)}
        if scope.elder_id is not None:
            query["_id"] = scope.elder_id
        if scope.family_user_id is not None:
            query["details.contacts.user_id"] = scope.family_user_id
        if after_id:
            query["$and"] = [{"_id": {"$gt": after_id}}]
        return [_elder(doc) for doc in self.elders.find(query).sort("_id", 1).limit(limit)]

    def elders_of_family(self, user_id: str) -> frozenset[str]:
        """Ids of the elders who list this user as a contact."""
        return frozenset(doc["_id"] for doc in self.elders.find({"details.contacts.user_id": user_id}, {"_id": 1}))

    def home_for_visit(self, elder_id: str, kind: str):
        """Where a visit of this kind goes for a registered elder (door, and position if shared); None if
        the elder is not registered."""
        elder = self.get_elder(elder_id)
        return residents.home_for_visit(elder, kind) if elder else None

    def terminal_of(self, elder_id: str) -> tuple[str, str, str] | None:
        """The elder's terminal that can take a call, video first: (device id, its call media, the elder's
        phone on file); None when the elder has none. The call-back lookup of the care-request api."""
        devices = [_device(doc) for doc in self.devices.find({"elder_id": elder_id})]
        speaking = sorted((d for d in devices if d.call_media), key=lambda d: (d.call_media != "audio_video", d.id))
        if not speaking:
            return None
        elder = self.get_elder(elder_id)
        return speaking[0].id, speaking[0].call_media, elder.details.phone if elder else ""

    def family_of(self, caller: Caller) -> frozenset[str]:
        """The elders whose family the caller is: the family_of lookup of the care-request and meal apis.
        Only callers with the family role are looked up, so nobody else's call costs a query."""
        return self.elders_of_family(caller.subject) if caller.has_role("family") else frozenset()

    # -- devices

    def add_device(self, device: Device) -> Device:
        try:
            self.devices.insert_one(_device_doc(device))
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise AlreadyExists(f"device {device.id} is already registered") from None
            raise
        return device

    def get_device(self, device_id: str) -> Device | None:
        doc = self.devices.find_one({"_id": device_id})
        return _device(doc) if doc else None

    def save_device(self, device: Device, alert: MaintenanceAlert | None = None, event: dict | None = None) -> Device:
        """Save a changed device (version check); with the alert it raised and its event, in one transaction."""

        def work(session: ClientSession | None) -> None:
            result = self.devices.replace_one({"_id": device.id, "version": device.version - 1},
                                              _device_doc(device), session=session)
            if result.matched_count != 1:
                raise Aborted(f"device {device.id} was changed meanwhile; retry")
            if alert is not None:
                self.alerts.insert_one(_alert_doc(alert), session=session)
                outbox.add(self.db, session, event)

        if alert is None:
            # The usual heartbeat writes one document, which MongoDB writes atomically on its own: no
            # transaction. Heartbeats are most of a district's requests (docs/performance.md, docs/scaling.md).
            work(None)
        else:
            transaction(self.client, work)
        return device

    def save_press(self, device: Device, elder_id: str, care_requests: CareRequestStore,
                   decide: Callable[[list[care.CareRequest]], tuple[care.CareRequest, dict | None]]
                   ) -> tuple[care.CareRequest, bool]:
        """A press, in one transaction: read the elder's unanswered calls, let decide say whether the press
        repeats one of them ((that one, None)), changes one of them (it rings again: (it, its event)) or raises
        a new one ((it, its event)); save what changed, a new one with the press as the device's sign of life.
        Returns (the call, whether anything was saved).

        Every press for the elder first writes the elder's press guard, so presses arriving together
        conflict there: one commits, the others are retried (with_transaction) and now read its call.
        Without it each read "no unanswered call" and a burst of presses raised a call apiece. The device
        is updated without a version check: a concurrent heartbeat must never fail a call."""

        def work(session: ClientSession) -> tuple[care.CareRequest, bool]:
            self.db[PRESS_GUARDS].update_one({"_id": elder_id}, {"$inc": {"presses": 1}}, upsert=True,
                                             session=session)
            unanswered = care_requests.list_requests(care.ListScope(None, elder_ids=frozenset({elder_id})),
                                                     (care.RAISED,), None, 20, session=session)
            request, raised_event = decide(unanswered)
            if raised_event is None:
                return request, False
            if any(r.id == request.id for r in unanswered):  # a press that rings an unanswered call again
                care_requests.update(request, raised_event, session=session)
                return request, True
            self.devices.update_one(
                {"_id": device.id},
                {"$set": {"last_heartbeat_at": device.last_heartbeat_at, "silent_after": device.silent_after},
                 "$inc": {"version": 1}},
                session=session,
            )
            care_requests.add(request, raised_event, session=session)
            return request, True

        return transaction(self.client, work)

    def devices_by_id(self, device_ids: set[str]) -> dict[str, Device]:
        """The registered devices among these ids, in one query (a heartbeat batch's read)."""
        return {doc["_id"]: _device(doc) for doc in self.devices.find({"_id": {"$in": sorted(device_ids)}})}

    def heartbeat_rules_by_id(self, device_ids: set[str]) -> dict[str, residents.HeartbeatRules]:
        """What the heartbeat rules need of these devices, in one query with only those fields."""
        fields = {f: 1 for f in residents.HeartbeatRules.__dataclass_fields__ if f != "id"}
        found = {}
        for doc in self.devices.find({"_id": {"$in": sorted(device_ids)}}, fields):
            doc["id"] = doc.pop("_id")
            doc["heartbeat_interval"] = timedelta(seconds=doc["heartbeat_interval"])
            found[doc["id"]] = residents.HeartbeatRules(**doc)
        return found

    def record_heartbeats(self, updates: list[residents.HeartbeatUpdate]) -> int:
        """A batch of heartbeats in one bulk_write. $max keeps the latest sign of life whatever order
        batches land in (two writers, a redelivery); the version bump makes the silence timer's
        compare-and-set fail on a device that reported meanwhile. Revoked devices are never touched, nor
        is a device whose heartbeat interval is no longer the one its silence was reckoned from.
        Returns how many devices matched (fewer than the updates: read those devices again)."""
        if not updates:
            return 0
        return self.devices.bulk_write([
            pymongo.UpdateOne(
                {"_id": u.device_id, "revoked_at": None, **_reckoned_from(u)},
                {"$max": {"last_heartbeat_at": u.last_heartbeat_at, "silent_after": u.silent_after},
                 "$set": {"battery_percent": u.battery_percent}, "$inc": {"version": 1}})
            for u in updates], ordered=False).matched_count

    def record_low_battery(self, update: residents.HeartbeatUpdate, alert: MaintenanceAlert, event: dict) -> bool:
        """A heartbeat whose battery dropped low, with its alert and event, in one transaction. The update
        matches only while the stored battery is not yet low, so two writers (or a redelivered batch)
        raise one alert per drop. Returns whether the alert was raised."""
        raised = False

        def work(session: ClientSession) -> None:
            nonlocal raised
            result = self.devices.update_one(
                {"_id": update.device_id, "revoked_at": None,
                 "$or": [{"battery_percent": None}, {"battery_percent": {"$gt": residents.LOW_BATTERY_PERCENT}}]},
                {"$max": {"last_heartbeat_at": update.last_heartbeat_at, "silent_after": update.silent_after},
                 "$set": {"battery_percent": update.battery_percent}, "$inc": {"version": 1}},
                session=session)
            raised = result.matched_count == 1
            if raised:
                self.alerts.insert_one(_alert_doc(alert), session=session)
                outbox.add(self.db, session, event)

        transaction(self.client, work)
        if not raised:  # already low: still a sign of life
            self.record_heartbeats([update])
        return raised

    def silent_devices(self, now: datetime, limit: int = 100) -> list[Device]:
        cursor = self.devices.find({"silent_after": {"$ne": None, "$lte": now}}).sort("silent_after", 1)
        return [_device(doc) for doc in cursor.limit(limit)]

    # -- maintenance alerts

    def get_alert(self, alert_id: str) -> MaintenanceAlert | None:
        doc = self.alerts.find_one({"_id": alert_id})
        return _alert(doc) if doc else None

    def list_alerts(self, communities: frozenset[str] | None, include_resolved: bool, after: list | None,
                    limit: int) -> list[MaintenanceAlert]:
        """Oldest first; keyset-paginated by (raised_at, id)."""
        query: dict = {} if include_resolved else {"resolved_at": None}
        if communities is not None:
            query["community_id"] = {"$in": sorted(communities)}
        if after:
            raised_at, last_id = datetime.fromisoformat(after[0]), after[1]
            query["$or"] = [{"raised_at": {"$gt": raised_at}}, {"raised_at": raised_at, "_id": {"$gt": last_id}}]
        cursor = self.alerts.find(query).sort([("raised_at", 1), ("_id", 1)]).limit(limit)
        return [_alert(doc) for doc in cursor]

    def save_alert(self, alert: MaintenanceAlert, event: dict) -> MaintenanceAlert:
        def work(session: ClientSession) -> None:
            result = self.alerts.replace_one({"_id": alert.id, "version": alert.version - 1}, _alert_doc(alert),
                                             session=session)
            if result.matched_count != 1:
                raise Aborted(f"maintenance alert {alert.id} was changed meanwhile; read it again and retry")
            outbox.add(self.db, session, event)

        transaction(self.client, work)
        return alert
