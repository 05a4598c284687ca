"""The figures an administrator asks for, per kind and day: counts, time to acknowledge and to arrive
(p50, p90), the share acknowledged within SLA, and the average rating. Pure arithmetic over the
counters and samples the worker keeps from events."""
import math
from datetime import date, timedelta

from linli.kit.errors import check_fields

MAX_DAYS = 92


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)])


def merge(parts: list[dict]) -> list[dict]:
    """One counters dict per (day, kind) from the parts the worker spreads them over (the store keeps
    several documents per community, day and kind): numbers add up, sample lists join. Parts sorted by
    day and kind give results sorted the same way."""
    merged: dict[tuple[str, str], dict] = {}
    for part in parts:
        whole = merged.setdefault((part["day"], part["kind"]),
                                  {"community_id": part.get("community_id"), "day": part["day"], "kind": part["kind"]})
        for name, value in part.items():
            if name in ("_id", "community_id", "day", "kind"):
                continue
            if isinstance(value, list):
                whole[name] = whole.get(name, []) + value
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                whole[name] = whole.get(name, 0) + value
    return list(merged.values())


def summarize(counters: dict) -> dict:
    acknowledged = counters.get("acknowledged", 0)
    rated = counters.get("rating_count", 0)
    ack, arrive = counters.get("acknowledge_seconds", []), counters.get("arrive_seconds", [])
    return {
        "day": counters["day"], "kind": counters["kind"],
        "raised": counters.get("raised", 0), "acknowledged": acknowledged,
        "acknowledge_p50_seconds": percentile(ack, 50), "acknowledge_p90_seconds": percentile(ack, 90),
        "acknowledged_within_sla_share": counters.get("acknowledged_within_sla", 0) / acknowledged if acknowledged else 0.0,
        "arrived": counters.get("arrived", 0),
        "arrive_p50_seconds": percentile(arrive, 50), "arrive_p90_seconds": percentile(arrive, 90),
        "completed": counters.get("completed", 0), "cancelled": counters.get("cancelled", 0),
        "escalated": counters.get("escalated", 0),
        "average_rating": counters.get("rating_sum", 0) / rated if rated else 0.0,
    }


def day_range(from_day: str, to_day: str) -> tuple[str, str]:
    """Validated YYYY-MM-DD bounds, inclusive; to_day defaults to from_day."""
    problems = {}
    try:
        start = date.fromisoformat(from_day)
    except ValueError:
        problems["from_day"] = "a day as YYYY-MM-DD"
        start = None
    try:
        end = date.fromisoformat(to_day) if to_day else start
    except ValueError:
        problems["to_day"] = "a day as YYYY-MM-DD"
        end = None
    if start and end and not timedelta(0) <= end - start < timedelta(days=MAX_DAYS):
        problems["to_day"] = f"on or after from_day, at most {MAX_DAYS} days later"
    check_fields(problems, "invalid day range")
    return start.isoformat(), end.isoformat()
