"""The numbers the employment rules run on: limits, windows, weights. Data, not code paths."""
from linli.kit.community import COMMUNITY_ZONE  # noqa: F401 (days and months are the community's)

# -- vacancies ---------------------------------------------------------------------------------------------
# How long a vacancy stays open unless its employer says otherwise, and the longest it may.
DEFAULT_OPEN_DAYS, MAX_OPEN_DAYS = 60, 180
# Vacancies one import may bring.
MAX_IMPORT = 500

# -- matching (services/employment/domain/matching.py) ------------------------------------------------------
# A seeker is available in time for a vacancy by this many days after it starts (or after today).
AVAILABILITY_GRACE_DAYS = 14
# The fit score's weights, 100 in all: share of the wanted skills, share of the commute left, pay above
# the floor, the first-choice schedule, training offered where a wanted skill is missing.
SKILLS_POINTS, NEARNESS_POINTS, PAY_POINTS, PREFERRED_POINTS, TRAINING_POINTS = 50.0, 25.0, 10.0, 10.0, 5.0
SEEKER_MATCHES = 20  # a seeker's best vacancies kept
SHORTLIST = 30  # a vacancy's best seekers kept
# The matcher (services/employment/matcher.py): rankings saved at once, and how often a long re-ranking
# lets other work run (locally every worker shares one process, and an emergency's handler should not
# wait behind more than a few milliseconds of ranking).
RANKINGS_SAVED_AT_ONCE = 100
PAUSE_EVERY = 5

# -- placements ---------------------------------------------------------------------------------------------
# Follow-ups of a placement, months after it started; each opens this many days before it is due.
FOLLOW_UP_MONTHS = (3, 6)
OPENS_DAYS_BEFORE_DUE = 7
# A hire recorded afterwards may say the person started work up to this long ago.
LATEST_REPORT_DAYS = 366
