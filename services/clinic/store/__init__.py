"""The clinic's MongoDB access, one module per area; INDEXES: every index the service declares (the api and
the worker ensure them, with the kit's own, at start: linli/kit/indexes.py)."""
from services.clinic.store import audit, patients, referrals, teleconsultations, triage

INDEXES = patients.INDEXES + teleconsultations.INDEXES + referrals.INDEXES + triage.INDEXES + audit.INDEXES
