"""What the staffing planner reads from MongoDB: a community's recorded calls and its elders' homes
(read-only: the care requests and elders belong to their own stores)."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.eldercare.domain.care_requests import COMPLETED, EN_ROUTE, ON_SITE, GeoPoint
from services.eldercare.domain.staffing import HistoryRecord

CARE_REQUESTS = "care_requests"
ELDERS = "elders"
# The planner draws call locations from this many homes: enough to spread calls over the community.
MAX_HOMES = 5000


def _last(history: list[dict], status: str) -> datetime | None:
    return next((t["at"] for t in reversed(history) if t["status"] == status), None)


class StaffingStore:
    def __init__(self, db):
        self.requests = db[CARE_REQUESTS]
        self.elders = db[ELDERS]

    def history(self, community_id: str, first_day: date, last_day: date, zone: str) -> list[HistoryRecord]:
        """Calls raised in the community between two local days (inclusive); visits booked ahead are not
        calls that arrive, and are left out."""
        local = ZoneInfo(zone)
        start = datetime.combine(first_day, time(0), local)
        end = datetime.combine(last_day + timedelta(days=1), time(0), local)
        cursor = self.requests.find(
            {"community_id": community_id, "raised_at": {"$gte": start, "$lt": end}, "scheduled_for": None},
            {"kind": 1, "raised_at": 1, "acknowledged_at": 1, "assignment.assigned_at": 1, "history": 1, "position": 1})
        records = []
        for doc in cursor:
            history = doc.get("history") or []
            position = doc.get("position")
            assigned = (doc.get("assignment") or {}).get("assigned_at")
            records.append(HistoryRecord(
                doc["kind"], doc["raised_at"], doc.get("acknowledged_at"), assigned,
                _last(history, EN_ROUTE), _last(history, ON_SITE), _last(history, COMPLETED),
                GeoPoint(position["latitude"], position["longitude"]) if position else None))
        return records

    def homes(self, community_id: str) -> tuple[GeoPoint, ...]:
        cursor = self.elders.find({"community_id": community_id, "details.address.position": {"$ne": None}},
                                  {"details.address.position": 1}).limit(MAX_HOMES)
        return tuple(GeoPoint(d["details"]["address"]["position"]["latitude"],
                              d["details"]["address"]["position"]["longitude"]) for d in cursor)

