"""The eldercare worker's device timer on real RabbitMQ and SecantusDB: a silent device raises one
maintenance alert (with its event in the outbox); a device that reports raises none."""
import time
from datetime import timedelta

import pytest

from linli.kit import outbox
from linli.kit.identity import Caller
from linli.kit.mongo import utcnow
from linli.kit.indexes import ensure_service_indexes
from services.eldercare.domain import residents
from services.eldercare.store.residents import ALERTS, ResidentStore
from services.eldercare.worker import EldercareWorker
from services.eldercare.store import INDEXES

OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))


@pytest.fixture
def store(mongo_client, db):
    store = ResidentStore(mongo_client, db)
    ensure_service_indexes(store.db, INDEXES)
    return store


@pytest.fixture
def worker(container_factory, rabbit_config, mongo_uri, db):
    container = container_factory(EldercareWorker, {"MONGO_URI": mongo_uri, "MONGO_DB": db.name})
    container.start()
    return container


def register_device(store, device_id: str, registered_at) -> residents.Device:
    elder = residents.register(OPERATOR, f"elder-of-{device_id}", "donghuayuan",
                               residents.ElderDetails(name="赵淑珍"), registered_at)
    store.add_elder(elder)
    return store.add_device(residents.register_device(OPERATOR, elder, device_id, "pager", 0, registered_at))


def wait_for(check, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_the_timer_raises_one_maintenance_alert_for_a_silent_device_and_none_for_a_live_one(worker, store, db):
    # Installed half an hour ago and never heard from since: two ten-minute heartbeats missed.
    silent = register_device(store, "pager-silent", utcnow() - timedelta(minutes=30))
    # Installed five minutes ago (not yet silent) and reporting since.
    live = register_device(store, "pager-live", utcnow() - timedelta(minutes=5))
    store.save_device(residents.seen(live, utcnow()))

    assert wait_for(lambda: db[ALERTS].count_documents({}) > 0)
    time.sleep(0.6)  # a few more ticks of the 0.2 s timer: still one alert for this silence
    [alert] = store.list_alerts(None, include_resolved=True, after=None, limit=10)
    assert (alert.device_id, alert.reason) == ("pager-silent", residents.SILENT)
    assert alert.elder_id == "elder-of-pager-silent"
    [event] = db[outbox.OUTBOX].find({"routing_key": residents.DEVICE_MAINTENANCE_NEEDED})
    assert event["body"]["data"]["alert"]["device_id"] == "pager-silent"
    assert event["body"]["data"]["alert"]["reason"] == "MAINTENANCE_REASON_SILENT"
    assert store.get_device(silent.id).silent_after is None
