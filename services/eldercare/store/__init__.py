"""Eldercare's MongoDB access, one module per area; INDEXES: every index the service declares (the api and
the workers ensure them, with the kit's own, at start: linli/kit/indexes.py)."""
from services.eldercare.store import care_requests, meals, recordings, residents, staff

INDEXES = care_requests.INDEXES + residents.INDEXES + staff.INDEXES + meals.INDEXES + recordings.INDEXES
