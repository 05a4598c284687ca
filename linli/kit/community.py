"""Where a community is, as every service reckons it: its time zone, points on the map, distances. Pure."""
import math
from dataclasses import dataclass

# Until communities carry their own zone, every community keeps the pilot's: days, quiet hours, cut-offs
# and the times in messages are reckoned in it (times are stored in UTC).
COMMUNITY_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float


def distance_m(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance in metres (haversine): plenty for a community a few kilometres across."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))
