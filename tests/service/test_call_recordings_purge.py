"""Call recordings past their retention period are purged (the eldercare worker's purge_recordings timer
calls RecordingStore.purge), each deletion audited; a recording still within it stays. Real SecantusDB."""
from datetime import timedelta

import pytest

from linli.kit.mongo import ensure_indexes, utcnow
from services.eldercare.domain.recordings import STORED, Recording, access
from services.eldercare.store.recordings import INDEXES, RECORDINGS, RecordingStore


@pytest.fixture
def store(mongo_client, db):
    ensure_indexes(db, INDEXES)
    return RecordingStore(mongo_client, db)


def stored(store, recording_id: str, care_request_id: str, recorded_at, retention: timedelta) -> Recording:
    recording = Recording(recording_id, care_request_id, "donghuayuan", "call-1", "audio/wav", 4, "ab" * 32,
                          "op-wang", recorded_at, recorded_at + retention)
    return store.add(recording, b"RIFF", access(recording, STORED, "op-wang", recorded_at))


def test_the_purge_deletes_recordings_past_retention_and_audits_it_and_keeps_the_others(store, db):
    now = utcnow()
    old = stored(store, "rec-old", "cr-1", now - timedelta(days=31), timedelta(days=30))
    recent = stored(store, "rec-recent", "cr-1", now - timedelta(days=1), timedelta(days=30))
    assert store.fetch(old.id, "cr-1", "op-wang", "fetched", now) is not None

    assert store.purge(now) == [old.id]

    assert db[RECORDINGS].find_one({"_id": old.id}) is None  # the audio itself is gone
    assert store.fetch(old.id, "cr-1", "op-wang", "fetched", now) is None
    assert store.fetch(recent.id, "cr-1", "op-wang", "fetched", now)[1] == b"RIFF"
    audit = [(a.recording_id, a.action, a.by) for a in store.accesses_of("cr-1")]
    assert ("rec-old", "purged", "system") in audit
    assert audit.count(("rec-old", "fetched", "op-wang")) == 1
    assert store.purge(now) == []  # nothing twice


def test_a_recording_is_purged_only_once_its_retention_has_ended(store):
    now = utcnow()
    recording = stored(store, "rec-edge", "cr-2", now, timedelta(hours=1))
    assert store.purge(now + timedelta(minutes=59)) == []
    assert store.purge(now + timedelta(hours=1)) == [recording.id]
