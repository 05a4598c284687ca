"""The volunteer service's MongoDB access, one module per area; INDEXES: every index the service declares
(the api and the worker ensure them, with the kit's own, at start: linli/kit/indexes.py)."""
from services.volunteer.store import activities, hours, volunteers

INDEXES = volunteers.INDEXES + activities.INDEXES + hours.INDEXES
