"""The numbers the volunteer rules run on. Data, not code paths."""
from datetime import timedelta

from linli.kit.community import COMMUNITY_ZONE  # noqa: F401 (days, certificates and check-outs)

# A volunteer may check in this long before their shift starts (to sign in at the desk), not earlier.
CHECK_IN_EARLY = timedelta(minutes=30)
# Check-in counts as "at the activity's place" within this distance of it, unless the place says otherwise.
DEFAULT_PLACE_RADIUS_M = 200.0
# No shift is longer than this: a day's festival is split into morning and afternoon shifts.
MAX_SHIFT = timedelta(hours=12)
# Whatever the records say, no volunteer is credited more than this in one local day.
DAILY_MAX_MINUTES = 8 * 60
# An elder-care service has no shift; its credited time is capped at this.
CARE_SERVICE_MAX_MINUTES = 4 * 60
# Elder-care dispatch offers volunteers living within this distance of the elder.
DISPATCH_RADIUS_M = 3000.0

# Names certificates state; a community not listed is named by its id.
COMMUNITY_NAMES = {"donghuayuan": "抚顺市顺城区东华园社区"}

# The elder-care kinds, as the services are called in the community (certificates and the ledger say these).
CARE_KIND_LABELS = {
    "meal": "助餐", "shopping": "助购", "bathing": "助浴", "cleaning": "助洁",
    "medical": "助医", "emergency": "助急", "recreation": "助乐", "mobility": "助行",
}


def community_name(community_id: str) -> str:
    return COMMUNITY_NAMES.get(community_id, community_id)
