"""Call recordings in MongoDB: each piece's audio in one document of its own (a piece is at most the
gateway's body limit, far below a document's 16 MB), and the audit of every access beside it. A
recording and its audit entry are written in one transaction, so no access goes unaudited."""
from datetime import datetime

from bson.binary import Binary
from pymongo import MongoClient

from linli.kit.mongo import Index, transaction
from services.eldercare.domain.recordings import PURGED, Access, Recording, access

RECORDINGS = "call_recordings"
ACCESSES = "recording_accesses"
INDEXES = [
    Index(RECORDINGS, [("care_request_id", 1), ("recorded_at", 1)]),
    Index(RECORDINGS, [("purge_after", 1)]),
    Index(ACCESSES, [("care_request_id", 1), ("at", 1)]),
]


def _recording(doc: dict) -> Recording:
    doc = {key: value for key, value in doc.items() if key != "audio"}
    return Recording(id=doc.pop("_id"), **doc)


class RecordingStore:
    def __init__(self, client: MongoClient, db):
        self.client = client
        self.recordings = db[RECORDINGS]
        self.accesses = db[ACCESSES]

    def add(self, recording: Recording, audio: bytes, audited: Access) -> Recording:
        def work(session):
            doc = {"_id": recording.id, **{k: v for k, v in vars(recording).items() if k != "id"},
                   "audio": Binary(audio)}
            self.recordings.insert_one(doc, session=session)
            self.accesses.insert_one(vars(audited), session=session)
        transaction(self.client, work)
        return recording

    def list_for(self, care_request_id: str, audit_by: str, now: datetime, action: str) -> list[Recording]:
        """The request's recordings, each access audited before they are returned."""
        found = [_recording(doc) for doc in self.recordings.find({"care_request_id": care_request_id},
                                                                   {"audio": 0}).sort("recorded_at", 1)]
        if found:
            self.accesses.insert_many([vars(access(r, action, audit_by, now)) for r in found])
        return found

    def fetch(self, recording_id: str, care_request_id: str, audit_by: str, action: str,
              now: datetime) -> tuple[Recording, bytes] | None:
        doc = self.recordings.find_one({"_id": recording_id, "care_request_id": care_request_id})
        if doc is None:
            return None
        recording = _recording(doc)
        self.accesses.insert_one(vars(access(recording, action, audit_by, now)))  # before anyone hears it
        return recording, bytes(doc["audio"])

    def accesses_of(self, care_request_id: str) -> list[Access]:
        return [Access(**{k: v for k, v in doc.items() if k != "_id"})
                for doc in self.accesses.find({"care_request_id": care_request_id}).sort("at", 1)]

    def purge(self, now: datetime) -> list[str]:
        """Delete every recording whose retention period ended; each deletion is audited (by "system")."""
        purged = []
        for doc in self.recordings.find({"purge_after": {"$lte": now}}, {"audio": 0}):
            recording = _recording(doc)

            def work(session, recording=recording):
                self.recordings.delete_one({"_id": recording.id}, session=session)
                self.accesses.insert_one(vars(access(recording, PURGED, "system", now)), session=session)
            transaction(self.client, work)
            purged.append(recording.id)
        return purged
