"""Closing an attendance: the volunteer's check-out (api) and a forgotten one closed at the shift's end
(worker's timer) read the same records and apply the same rule."""
import uuid

from services.volunteer.domain import activities as act
from services.volunteer.domain import hours
from services.volunteer.policy import COMMUNITY_ZONE
from services.volunteer.store.activities import ActivityStore
from services.volunteer.store.volunteers import VolunteerStore


def close(store: ActivityStore, volunteer_store: VolunteerStore, attendance: act.Attendance, caller, now,
          auto: bool) -> tuple[act.Attendance, hours.HoursEntry | None]:
    """Check out (or, auto, close a forgotten check-out at the shift's end): the closed attendance and its
    ledger entry, checked against the volunteer's other records. Shared by the api and the worker's timer."""
    volunteer = volunteer_store.get(attendance.volunteer_id)
    activity = store.activity(attendance.activity_id)
    ended = attendance.shift_ends_at if auto else now
    ledger = store.ledger.around(attendance.volunteer_id, attendance.checked_in_at or now, max(ended, now))
    return act.check_out(caller, attendance, volunteer, activity, ledger, str(uuid.uuid4()), now, COMMUNITY_ZONE,
                         auto=auto)
