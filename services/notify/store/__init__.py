"""Notify's MongoDB access; INDEXES: every index the service declares (the api and the worker ensure them,
with the kit's own, at start: linli/kit/indexes.py)."""
from services.notify.store import notify

INDEXES = notify.INDEXES
