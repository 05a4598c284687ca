"""The only module that knows how volunteers sit in MongoDB."""
import pymongo

from linli.kit.errors import Aborted, AlreadyExists
from linli.kit.mongo import Index, is_duplicate_key
from services.volunteer.domain.volunteers import GeoPoint, Slot, Volunteer

VOLUNTEERS = "volunteers"

INDEXES = [
    Index(VOLUNTEERS, [("community_id", 1), ("_id", 1)]),
    # Dispatch: active volunteers of a community with a skill.
    Index(VOLUNTEERS, [("community_id", 1), ("skills", 1), ("active", 1)]),
]


def point_doc(point: GeoPoint | None) -> dict | None:
    return {"latitude": point.latitude, "longitude": point.longitude} if point else None


def point(doc: dict | None) -> GeoPoint | None:
    return GeoPoint(doc["latitude"], doc["longitude"]) if doc else None


def _document(volunteer: Volunteer) -> dict:
    doc = {**vars(volunteer), "skills": sorted(volunteer.skills), "home": point_doc(volunteer.home),
           "availability": [vars(slot) for slot in volunteer.availability]}
    doc["_id"] = doc.pop("id")
    return doc


def _volunteer(doc: dict) -> Volunteer:
    doc = dict(doc)
    doc["id"] = doc.pop("_id")
    doc["skills"] = frozenset(doc.get("skills", ()))
    doc["home"] = point(doc.get("home"))
    doc["availability"] = tuple(Slot(**slot) for slot in doc.get("availability", ()))
    return Volunteer(**doc)


class VolunteerStore:
    def __init__(self, db):
        self.volunteers = db[VOLUNTEERS]

    def add(self, volunteer: Volunteer) -> Volunteer:
        try:
            self.volunteers.insert_one(_document(volunteer))
        except pymongo.errors.PyMongoError as error:
            if is_duplicate_key(error):
                raise AlreadyExists(f"volunteer {volunteer.id} is already registered") from None
            raise
        return volunteer

    def get(self, volunteer_id: str, session=None) -> Volunteer | None:
        doc = self.volunteers.find_one({"_id": volunteer_id}, session=session)
        return _volunteer(doc) if doc else None

    def many(self, ids) -> dict[str, Volunteer]:
        return {doc["_id"]: _volunteer(doc) for doc in self.volunteers.find({"_id": {"$in": sorted(set(ids))}})}

    def update(self, volunteer: Volunteer) -> Volunteer:
        """Save if nobody changed the record since it was read (version check)."""
        result = self.volunteers.replace_one({"_id": volunteer.id, "version": volunteer.version - 1},
                                             _document(volunteer))
        if result.matched_count != 1:
            raise Aborted(f"volunteer {volunteer.id} was changed by someone else; read again and retry")
        return volunteer

    def in_community(self, community_id: str, after_id: str | None = None, limit: int = 0) -> list[Volunteer]:
        query: dict = {"community_id": community_id}
        if after_id:
            query["_id"] = {"$gt": after_id}
        return [_volunteer(doc) for doc in self.volunteers.find(query).sort("_id", 1).limit(limit)]

    def with_skill(self, community_id: str, skill: str) -> list[Volunteer]:
        return [_volunteer(doc) for doc in
                self.volunteers.find({"community_id": community_id, "skills": skill, "active": True})]
