"""The care domain's metrics (served by linli.kit.metrics): how fast emergencies are acknowledged, per
community; emergencies waiting now; escalations by level; silent devices; meals not yet delivered.

The gauges are read from the eldercare database when Prometheus scrapes (watch() is called once by the
api's main), so every api replica reports the same figures: take the max per community."""
from datetime import datetime

from linli.kit import metrics
from linli.kit.mongo import utcnow
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import meals
from services.eldercare.store.care_requests import CARE_REQUESTS
from services.eldercare.store.meals import ORDERS
from services.eldercare.store.residents import DEVICES

EMERGENCY = "emergency"

EMERGENCY_ACKNOWLEDGE_DURATION = metrics.meter.create_histogram(
    "linli_emergency_acknowledge_duration", unit="s",
    description="From an emergency call being raised to someone acknowledging it, per community (the SLA).")
ESCALATIONS = metrics.meter.create_counter(
    "linli_escalations", unit="1",
    description="Emergencies escalated because nobody acknowledged them in time, by community and the level reached.")


def acknowledged(request: care.CareRequest) -> None:
    """Called once the acknowledgement committed."""
    if request.kind == EMERGENCY and request.acknowledged_at is not None:
        EMERGENCY_ACKNOWLEDGE_DURATION.record(care.seconds_since_clock_start(request, request.acknowledged_at),
                                              {"community": request.community_id})


def escalated(request: care.CareRequest) -> None:
    ESCALATIONS.add(1, {"community": request.community_id, "level": str(request.escalation_level)})


def _unacknowledged(db) -> list[dict]:
    return list(db[CARE_REQUESTS].aggregate([
        {"$match": {"status": care.RAISED, "kind": EMERGENCY}},
        {"$group": {"_id": "$community_id", "waiting": {"$sum": 1}, "oldest": {"$min": "$raised_at"}}},
    ]))


def watch(db, sla_seconds: float, now=utcnow) -> None:
    """Observe the eldercare database's gauges when Prometheus scrapes; sla_seconds is the configured
    ELDERCARE_EMERGENCY_ACK_SLA_SECONDS, exported so alert rules compare with what this site promises."""
    def waiting():
        return [(row["waiting"], {"community": row["_id"]}) for row in _unacknowledged(db)]

    def oldest_age():
        current: datetime = now()
        return [(max(0.0, (current - row["oldest"]).total_seconds()), {"community": row["_id"]})
                for row in _unacknowledged(db)]

    def silent_devices():
        # Silent: overdue (silent_after passed, not yet checked) or alerted and not heard from since
        # (silent_after cleared by the alert). Every community with devices reports, 0 included.
        current = now()
        rows = db[DEVICES].aggregate([{"$group": {"_id": "$community_id", "silent": {"$sum": {"$cond": [
            {"$or": [{"$eq": [{"$ifNull": ["$silent_after", None]}, None]}, {"$lte": ["$silent_after", current]}]},
            1, 0]}}}}])
        return [(row["silent"], {"community": row["_id"]}) for row in rows]

    def undelivered_meals():
        rows = db[ORDERS].aggregate([
            {"$match": {"mode": meals.DELIVERY}},
            {"$group": {"_id": "$community_id", "orders": {"$sum": {"$cond": [
                {"$in": ["$status", [meals.PLACED, meals.DISPATCHED]]}, 1, 0]}}}}])
        return [(row["orders"], {"community": row["_id"]}) for row in rows]

    metrics.observe("linli_emergency_acknowledge_sla", lambda: [(sla_seconds, {})], unit="s",
                    description="ELDERCARE_EMERGENCY_ACK_SLA_SECONDS: how soon an emergency must be acknowledged.")
    metrics.observe("linli_emergencies_unacknowledged", waiting,
                    description="Emergency calls raised and not yet acknowledged, per community.")
    metrics.observe("linli_emergency_oldest_unacknowledged_age", oldest_age, unit="s",
                    description="How long the oldest unacknowledged emergency of a community has waited.")
    metrics.observe("linli_devices_silent", silent_devices,
                    description="Call devices that stopped reporting and have not reported since, per community.")
    metrics.observe("linli_meals_undelivered", undelivered_meals,
                    description="Meal orders for delivery not yet delivered (placed or on the way), per community.")
