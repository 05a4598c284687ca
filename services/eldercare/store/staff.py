"""The only module that knows how care staff sit in MongoDB."""
import pymongo

from linli.kit.errors import AlreadyExists, Aborted
from linli.kit.mongo import Index, is_duplicate_key
from services.eldercare.domain.care_requests import GeoPoint
from services.eldercare.domain.staff import StaffMember

STAFF = "staff"

INDEXES = [Index(STAFF, [("community_id", 1), ("on_shift", 1)])]


def _document(member: StaffMember) -> dict:
    doc = {**vars(member), "skills": sorted(member.skills)}
    doc["_id"] = doc.pop("id")
    doc["position"] = ({"latitude": member.position.latitude, "longitude": member.position.longitude}
                       if member.position else None)
    return doc


def _member(doc: dict) -> StaffMember:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    doc["skills"] = frozenset(doc["skills"])
    doc["position"] = GeoPoint(**doc["position"]) if doc.get("position") else None
    return StaffMember(**doc)


class StaffStore:
    def __init__(self, db):
        self.staff = db[STAFF]

    def add(self, member: StaffMember) -> StaffMember:
        try:
            self.staff.insert_one(_document(member))
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise AlreadyExists(f"staff member {member.id} is already registered") from None
            raise
        return member

    def get(self, staff_id: str) -> StaffMember | None:
        doc = self.staff.find_one({"_id": staff_id})
        return _member(doc) if doc else None

    def update(self, member: StaffMember) -> StaffMember:
        """Save if nobody changed the record since it was read (version check)."""
        result = self.staff.replace_one({"_id": member.id, "version": member.version - 1}, _document(member))
        if result.matched_count != 1:
            raise Aborted(f"staff member {member.id} was changed by someone else; read again and retry")
        return member

    def in_community(self, community_id: str, on_shift_only: bool = False) -> list[StaffMember]:
        query: dict = {"community_id": community_id}
        if on_shift_only:
            query["on_shift"] = True
        return [_member(doc) for doc in self.staff.find(query).sort("_id", 1)]
