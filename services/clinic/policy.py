"""The numbers the clinic's rules run on: limits, windows, timeouts. Data, not code paths."""
from datetime import timedelta

# -- teleconsultations and their room -------------------------------------------------------------------
# A session booked without a length lasts this long; none lasts longer than the maximum.
DEFAULT_DURATION = timedelta(minutes=20)
MAX_DURATION_MINUTES = 240
# The room opens this long before the start; join links expire this long after the scheduled end.
OPENS_BEFORE = timedelta(minutes=15)
CLOSES_AFTER = timedelta(minutes=30)
MAX_IN_ROOM = 3  # measured: docs/calls.md, "How many in a room"
MAX_ATTENDANCE = 200  # entries kept per session (each reconnect adds one)

# -- referrals --------------------------------------------------------------------------------------------
MAX_ATTACHMENTS = 20  # per referral
MAX_OUTCOMES = 50  # per referral
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024  # the size a document reference may state

# -- the partner exchange ----------------------------------------------------------------------------------
# A partner's certificate this close to its end is warned about (once a day).
EXPIRY_WARNING_DAYS = 30
# Changes a watch reads from the store at once.
WATCH_BATCH = 100
