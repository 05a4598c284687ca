"""How urgent each kind of call is, and the numbers the care-request rules run on. Data, not code paths."""
from dataclasses import dataclass, replace
from datetime import timedelta

from linli.kit import events
from linli.kit.community import COMMUNITY_ZONE  # the days, cut-offs and staffing hours of a community



@dataclass(frozen=True)
class KindPolicy:
    priority: int  # 1 is the most urgent
    acknowledge_within: timedelta
    escalates: bool  # climb the ladder when nobody acknowledges in time
    # An assignee must accept within this, or the assignment times out and the request is reassigned.
    accept_within: timedelta = timedelta(minutes=10)
    # Volunteers may be offered for it (never for urgent kinds).
    volunteers_welcome: bool = False


# Monitoring-centre practice: emergencies answered within 60 s; routine help within the quarter hour.
DEFAULT_POLICY: dict[str, KindPolicy] = {
    "emergency": KindPolicy(1, timedelta(seconds=60), True, accept_within=timedelta(minutes=2)),
    "medical": KindPolicy(2, timedelta(minutes=3), False, accept_within=timedelta(minutes=5)),
    "mobility": KindPolicy(3, timedelta(minutes=10), False, volunteers_welcome=True),
    "meal": KindPolicy(4, timedelta(minutes=15), False, volunteers_welcome=True),
    "bathing": KindPolicy(4, timedelta(minutes=15), False),
    "shopping": KindPolicy(5, timedelta(minutes=15), False, volunteers_welcome=True),
    "cleaning": KindPolicy(5, timedelta(minutes=15), False, volunteers_welcome=True),
    "recreation": KindPolicy(6, timedelta(minutes=15), False, volunteers_welcome=True),
}

# How urgent a kind's events are on the wire (linli.kit.events): emergency > medical > the rest. The
# relay publishes them first and priority-aware handler queues deliver them ahead of routine work.
EVENT_PRIORITY = {"emergency": events.EMERGENCY, "medical": events.URGENT}


def event_priority(kind: str) -> int:
    return EVENT_PRIORITY.get(kind, events.ROUTINE)


# The ladder an unanswered emergency climbs, one rung per missed SLA window.
ESCALATION_LADDER = ("supervisor", "family_contact", "emergency_services")

# Check-in counts as "at the elder's home" within this distance of it.
GEOFENCE_METRES = 100.0

# In dispatch ranking, one open job weighs as much as this many metres of extra distance.
LOAD_PENALTY_METRES = 400.0


def with_emergency_sla(seconds: float, policy: dict[str, KindPolicy] = DEFAULT_POLICY) -> dict[str, KindPolicy]:
    """The policy with the emergency acknowledgement SLA set from configuration."""
    return {**policy, "emergency": replace(policy["emergency"], acknowledge_within=timedelta(seconds=seconds))}
