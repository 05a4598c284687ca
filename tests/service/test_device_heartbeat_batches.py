"""Heartbeats of MQTT devices written in batches (services/eldercare/devices.py): one bulk_write per batch
that never moves a device back in time, whatever order batches land in or how often one is written, and
one low-battery alert per drop even when two writers see it."""
import threading
from datetime import timedelta

import pytest

from linli.kit.identity import Caller
from linli.kit.mongo import utcnow
from linli.kit.indexes import ensure_service_indexes
from services.eldercare import events
from services.eldercare.devices import HeartbeatWorker
from services.eldercare.domain import residents
from services.eldercare.store import INDEXES
from services.eldercare.store.residents import ALERTS, DEVICES, ResidentStore

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
    return store.add_device(residents.register_device(OPERATOR, elder, device_id, "pager", 0, now, "s" * 43))


def batch(store, *reports: residents.HeartbeatReport):
    outcome = residents.heartbeat_batch(store.devices_by_id({r.device_id for r in reports}), list(reports),
                                        lambda: f"alert-{reports[0].device_id}-{reports[0].at.timestamp()}")
    store.record_heartbeats(outcome.updates)
    raised = [store.record_low_battery(update, alert, events.maintenance_event(residents.DEVICE_MAINTENANCE_NEEDED,
                                                                              alert))
              for update, alert in outcome.alerts]
    return outcome, raised


def test_a_batch_is_written_and_an_older_batch_landing_later_moves_no_device_back(store):
    a, b = registered_device(store, "pager-batch-a"), registered_device(store, "pager-batch-b")
    later = utcnow() + timedelta(minutes=5)
    batch(store, residents.HeartbeatReport(a.id, 80, later), residents.HeartbeatReport(b.id, 70, later))
    batch(store, residents.HeartbeatReport(a.id, 90, later - timedelta(minutes=3)))  # redelivered, or a slow writer
    saved_a, saved_b = store.get_device(a.id), store.get_device(b.id)
    assert saved_a.last_heartbeat_at == later.replace(microsecond=later.microsecond // 1000 * 1000)
    assert saved_a.silent_after > later and saved_b.battery_percent == 70
    assert saved_a.version == a.version + 2  # each write bumps it: the silence timer's compare-and-set sees it


def test_a_battery_drop_raises_one_alert_even_when_two_writers_see_it(store, db):
    device = registered_device(store, "pager-batch-low")
    now = utcnow()
    first, raised = batch(store, residents.HeartbeatReport(device.id, 15, now))
    # A second writer read the device before the first wrote: it too sees a drop.
    update, alert = first.alerts[0]
    again = store.record_low_battery(update, residents.MaintenanceAlert(**{**vars(alert), "id": "alert-twice"}),
                                     events.maintenance_event(residents.DEVICE_MAINTENANCE_NEEDED, alert))
    assert raised == [True] and again is False
    assert db[ALERTS].count_documents({"device_id": device.id}) == 1
    assert store.get_device(device.id).battery_percent == 15


def test_a_revoked_device_is_not_brought_back_by_a_late_heartbeat(store):
    device = registered_device(store, "pager-batch-revoked")
    store.save_device(residents.revoke(OPERATOR, device, utcnow()))
    store.record_heartbeats([residents.HeartbeatUpdate(device.id, utcnow(), utcnow() + timedelta(minutes=20), 50)])
    saved = store.get_device(device.id)
    assert saved.silent_after is None and saved.last_heartbeat_at is None


# -- the devices' door keeps what the rules read of each device (DeviceRulesCache) -------------------------

def writer(store, cache_seconds: float = 300) -> HeartbeatWorker:
    """The heartbeat writer of eldercare-devices, not consuming: its batches are handed to it here."""
    return HeartbeatWorker(threading.Event(), "amqp://unused", store, 500, 1, cache_seconds)


def alerts_of(db, device_id: str) -> int:
    return db[ALERTS].count_documents({"device_id": device_id})


def test_a_kept_device_is_not_read_again_until_its_entry_expires(store):
    device = registered_device(store, "pager-kept")
    door = writer(store, cache_seconds=30)
    clock = [1000.0]
    door.devices.clock = lambda: clock[0]
    door.save([residents.HeartbeatReport(device.id, 80, utcnow())])
    door.save([residents.HeartbeatReport(device.id, 79, utcnow())])
    assert door.devices.reads == 1
    clock[0] += 30
    door.save([residents.HeartbeatReport(device.id, 78, utcnow())])
    assert door.devices.reads == 2 and store.get_device(device.id).battery_percent == 78


def test_a_device_revoked_while_kept_has_its_heartbeats_refused_and_not_written(store):
    device = registered_device(store, "pager-kept-revoked")
    door = writer(store)
    first = utcnow()
    door.save([residents.HeartbeatReport(device.id, 80, first)])
    store.save_device(residents.revoke(OPERATOR, store.get_device(device.id), utcnow()))
    late = residents.HeartbeatReport(device.id, 70, utcnow() + timedelta(seconds=1))
    refused = door.save([late])
    assert refused == [(late, f"device {device.id} is revoked")]
    saved = store.get_device(device.id)
    assert saved.battery_percent == 80 and saved.last_heartbeat_at == first.replace(
        microsecond=first.microsecond // 1000 * 1000)
    assert door.save([late]) == [(late, f"device {device.id} is revoked")]  # refused from what it keeps now


def test_a_recharge_then_a_drop_raises_a_second_alert_while_the_device_is_kept(store, db):
    device = registered_device(store, "pager-kept-recharged")
    door = writer(store)
    now = utcnow()
    door.save([residents.HeartbeatReport(device.id, 15, now)])
    door.save([residents.HeartbeatReport(device.id, 12, now + timedelta(seconds=1))])  # still low: no new alert
    door.save([residents.HeartbeatReport(device.id, 95, now + timedelta(seconds=2))])  # recharged
    door.save([residents.HeartbeatReport(device.id, 18, now + timedelta(seconds=3))])  # dropped again
    assert alerts_of(db, device.id) == 2 and store.get_device(device.id).battery_percent == 18


def test_a_recharge_another_writer_saw_does_not_hide_the_next_drop(store, db):
    device = registered_device(store, "pager-kept-two-writers")
    one, other = writer(store), writer(store)
    now = utcnow()
    one.save([residents.HeartbeatReport(device.id, 15, now)])
    other.save([residents.HeartbeatReport(device.id, 95, now + timedelta(seconds=1))])  # recharged, told the other
    one.save([residents.HeartbeatReport(device.id, 15, now + timedelta(seconds=2))])  # `one` last saw it low
    assert alerts_of(db, device.id) == 2


def test_a_device_given_another_interval_while_kept_has_its_silence_reckoned_from_the_new_one(store, db):
    device = registered_device(store, "pager-kept-interval")
    door = writer(store)
    door.save([residents.HeartbeatReport(device.id, 80, utcnow())])
    new_interval = device.heartbeat_interval * 3  # no api changes it yet: written as a later one would
    db[DEVICES].update_one({"_id": device.id}, {"$set": {"heartbeat_interval": new_interval.total_seconds()}})
    at = utcnow() + timedelta(seconds=1)
    door.save([residents.HeartbeatReport(device.id, 79, at)])
    saved = store.get_device(device.id)
    assert saved.battery_percent == 79
    assert saved.silent_after == saved.last_heartbeat_at + residents.MISSED_HEARTBEATS * new_interval
