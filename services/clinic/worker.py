"""The clinic's Nameko worker: turns elder care's medical and emergency calls into entries on the
nurse's triage list. Each method is a few lines over domain and store.

Run: python -m linli.kit.workers services.clinic.worker
"""
import logging
import uuid

from linli.kit.handlers import event_handler  # retries, dead letters, emergencies first
from linli.kit.heartbeat import Heartbeat
from linli.kit.mongo import utcnow
from linli.kit.nameko_deps import Database
from services.clinic import events
from services.clinic.domain import audit, triage
from services.clinic.store import INDEXES
from services.clinic.store.patients import PatientStore
from services.clinic.store.triage import TriageStore

log = logging.getLogger(__name__)

# The worker reads and writes patient data on its own account: the audit log names it.
WORKER = audit.Accessor("clinic-worker", audit.SYSTEM, (), audit.EVENT)


class ClinicWorker:
    name = "clinic"
    # Touches a file every few seconds: the liveness probe of a worker, which has no port.
    heartbeat = Heartbeat()

    database = Database("clinic", INDEXES)

    @event_handler("eldercare", "care_request.raised", urgent_first=True)
    def open_triage_entry(self, event):
        """A medical (助医) or emergency (助急) call raised in elder care goes on the nurse's list."""
        raised = events.raised_care_request(event)
        if not triage.reaches_the_nurse(raised["kind"]):
            return
        db, client = self.database.db, self.database.client
        patient = PatientStore(client, db).by_resident(raised["community_id"], raised["elder_id"])
        entry = triage.open_entry(str(uuid.uuid4()), raised["community_id"], raised["id"], raised["elder_id"],
                                  patient.id if patient else "", raised["kind"], raised["description"],
                                  raised["location"], raised["raised_at"] or utcnow(), raised["scheduled_for"])
        touched = audit.Touched(entry.community_id, entry.patient_id, entry.resident_id, f"triage/{entry.id}")
        records = audit.records(WORKER, "triage.open", [touched], "triage", utcnow())
        store = TriageStore(client, db)
        if self.database.apply_once("clinic.open_triage_entry", event,
                                    lambda session: store.add(entry, records, session)):
            log.info("care request %s (%s) is on the triage list as %s", entry.care_request_id, entry.kind, entry.id)
