"""Every index the clinic declares (its stores, the outbox, the apply-once records): created at start-up."""
from linli.kit import consumer, outbox
from services.clinic.store import audit, patients, referrals, teleconsultations, triage

INDEXES = (patients.INDEXES + teleconsultations.INDEXES + referrals.INDEXES + triage.INDEXES + audit.INDEXES
           + outbox.INDEXES + consumer.INDEXES)
