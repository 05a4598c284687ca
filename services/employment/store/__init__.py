"""Employment's MongoDB access, one module per area; INDEXES: every index the service declares (the api and
the worker ensure them, with the kit's own, at start: linli/kit/indexes.py)."""
from services.employment.store import applications, fairs, jobs, seekers, training, workshop

INDEXES = (jobs.INDEXES + seekers.INDEXES + applications.INDEXES + fairs.INDEXES + training.INDEXES
           + workshop.INDEXES)
