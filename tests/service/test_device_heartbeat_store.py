"""A heartbeat that raises no alert is one single-document write (no transaction, docs/performance.md):
it is still saved only over the version it was read at, and one that raises an alert still saves the
device, the alert and its event together."""
from datetime import timedelta

import pytest

from linli.kit import outbox
from linli.kit.errors import Aborted
from linli.kit.identity import Caller
from linli.kit.mongo import utcnow
from linli.kit.indexes import ensure_service_indexes
from services.eldercare import events
from services.eldercare.domain import residents
from services.eldercare.store.residents import ALERTS, ResidentStore
from services.eldercare.store import INDEXES

OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))


@pytest.fixture
def store(mongo_client, db):
    store = ResidentStore(mongo_client, db)
    ensure_service_indexes(store.db, INDEXES)
    return store


def registered_device(store, device_id: str) -> residents.Device:
    now = utcnow()
    elder = residents.register(OPERATOR, f"elder-of-{device_id}", "donghuayuan", residents.ElderDetails(name="王桂兰"), now)
    store.add_elder(elder)
    return store.add_device(residents.register_device(OPERATOR, elder, device_id, "pager", 0, now))


def test_a_plain_heartbeat_is_saved_with_its_new_version(store):
    device = registered_device(store, "pager-hb-1")
    device_caller = Caller(device.id, frozenset({"device"}), frozenset({"donghuayuan"}))
    beat, alert = residents.heartbeat(device_caller, device, 80, utcnow() + timedelta(minutes=1), "alert-unused")
    assert alert is None
    store.save_device(beat)
    saved = store.get_device(device.id)
    assert saved.version == device.version + 1 and saved.battery_percent == 80


def test_a_heartbeat_over_a_stale_version_is_refused(store):
    device = registered_device(store, "pager-hb-2")
    device_caller = Caller(device.id, frozenset({"device"}), frozenset({"donghuayuan"}))
    first, _ = residents.heartbeat(device_caller, device, 90, utcnow(), "alert-unused")
    store.save_device(first)
    stale, _ = residents.heartbeat(device_caller, device, 85, utcnow(), "alert-unused")  # read before the first
    with pytest.raises(Aborted):
        store.save_device(stale)
    assert store.get_device(device.id).battery_percent == 90


def test_a_heartbeat_that_raises_an_alert_saves_it_with_its_event(store, db):
    device = registered_device(store, "pager-hb-3")
    device_caller = Caller(device.id, frozenset({"device"}), frozenset({"donghuayuan"}))
    beat, alert = residents.heartbeat(device_caller, device, 10, utcnow(), "alert-low-hb-3")
    assert alert is not None
    store.save_device(beat, alert, events.maintenance_event(residents.DEVICE_MAINTENANCE_NEEDED, alert))
    assert db[ALERTS].count_documents({"_id": "alert-low-hb-3"}) == 1
    assert db[outbox.OUTBOX].count_documents({"body.type": residents.DEVICE_MAINTENANCE_NEEDED,
                                              "body.data.alert.id": "alert-low-hb-3"}) == 1
