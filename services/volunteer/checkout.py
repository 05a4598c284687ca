"""Closing an attendance: the volunteer's check-out (api) and a forgotten one closed at the shift's end
(worker's timer) read the same records and apply the same rule."""
import uuid

from services.volunteer import events
from services.volunteer.domain import activities as act
from services.volunteer.domain import hours
from services.volunteer.policy import COMMUNITY_ZONE
from services.volunteer.store.activities import ActivityStore
from services.volunteer.store.volunteers import VolunteerStore


def close(store: ActivityStore, volunteer_store: VolunteerStore, attendance: act.Attendance, caller, now,
          auto: bool) -> tuple[act.Attendance, hours.HoursEntry | None]:
    """Check out (or, auto, close a forgotten check-out at the shift's end) and save the closed attendance
    with its ledger entry, checked against the volunteer's other records. Shared by the api and the
    worker's timer. The records are read in the saving transaction, which holds the volunteer's time, so a
    credit committed meanwhile (an elder-care visit, another check-out) is seen: the transaction retries."""
    volunteer = volunteer_store.get(attendance.volunteer_id)
    activity = store.activity(attendance.activity_id)
    ended = attendance.shift_ends_at if auto else now
    entry_id = str(uuid.uuid4())

    def work(session):
        ledger = store.ledger.around(attendance.volunteer_id, attendance.checked_in_at or now, max(ended, now),
                                     session=session)
        closed, entry = act.check_out(caller, attendance, volunteer, activity, ledger, entry_id, now,
                                      COMMUNITY_ZONE, auto=auto)
        event = events.entry_event(hours.HOURS_ENTRY_RECORDED, entry, now) if entry else None
        store.save_check_out(session, closed, entry, event)
        return closed, entry

    return store.ledger.holding(attendance.volunteer_id, work)
