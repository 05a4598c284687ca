"""How urgent each kind of call is: priority, how soon it must be acknowledged, and whether an
unanswered call climbs the escalation ladder. Data, not code paths."""
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class KindPolicy:
    priority: int  # 1 is the most urgent
    acknowledge_within: timedelta
    escalates: bool  # climb the ladder when nobody acknowledges in time


# Monitoring-centre practice: emergencies answered within 60 s; routine help within the quarter hour.
DEFAULT_POLICY: dict[str, KindPolicy] = {
    "emergency": KindPolicy(1, timedelta(seconds=60), True),
    "medical": KindPolicy(2, timedelta(minutes=3), False),
    "mobility": KindPolicy(3, timedelta(minutes=10), False),
    "meal": KindPolicy(4, timedelta(minutes=15), False),
    "bathing": KindPolicy(4, timedelta(minutes=15), False),
    "shopping": KindPolicy(5, timedelta(minutes=15), False),
    "cleaning": KindPolicy(5, timedelta(minutes=15), False),
    "recreation": KindPolicy(6, timedelta(minutes=15), False),
}

# The ladder an unanswered emergency climbs, one rung per missed SLA window.
ESCALATION_LADDER = ("supervisor", "family_contact", "emergency_services")


def with_emergency_sla(seconds: float, policy: dict[str, KindPolicy] = DEFAULT_POLICY) -> dict[str, KindPolicy]:
    """The policy with the emergency acknowledgement SLA set from configuration."""
    emergency = policy["emergency"]
    return {**policy, "emergency": KindPolicy(emergency.priority, timedelta(seconds=seconds), emergency.escalates)}

# The pilot community and, until communities carry their own, every community, keeps Beijing time.
DEFAULT_COMMUNITY_ZONE = "Asia/Shanghai"
