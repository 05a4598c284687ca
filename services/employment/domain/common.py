"""What every part of employment shares: ids, days and months in the community's zone, who serves whom.
Pure: no I/O."""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from linli.kit.community import COMMUNITY_ZONE, GeoPoint  # noqa: F401 (part of this module's vocabulary)
from linli.kit.errors import NotFound, PermissionDenied
from linli.kit.identity import Caller


ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
ID_RULE = "required: 1 to 64 letters, digits or . _ : -"
DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_NAME = 100
MAX_TEXT = 1000
MAX_NOTE = 500

# The community's employment counsellors run fairs, training and the workshop and see every seeker
# of their communities; district administrators oversee them.
COUNSELLOR_ROLES = ("counsellor", "administrator")
# Who may extend the skill taxonomy.
TAXONOMY_ROLES = ("operator", "counsellor", "administrator")


@dataclass(frozen=True)
class Transition:
    status: str
    at: datetime
    by: str
    note: str = ""


def valid_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value))


def valid_point(point: GeoPoint | None) -> bool:
    return point is not None and -90 <= point.latitude <= 90 and -180 <= point.longitude <= 180 \
        and (point.latitude, point.longitude) != (0.0, 0.0)


def parse_day(value: str) -> date | None:
    """A YYYY-MM-DD day, or None (date.fromisoformat alone also takes 20261127 and week dates)."""
    if not DAY_PATTERN.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def local_day(at: datetime, zone: str = COMMUNITY_ZONE) -> date:
    return at.astimezone(ZoneInfo(zone)).date()


def start_of_day(day: date, zone: str = COMMUNITY_ZONE) -> datetime:
    """Local midnight of day, as a UTC instant."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def add_months(day: date, months: int) -> date:
    """The same day of the month, months later; the month's last day when it is shorter (31 Jan + 1 → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def parse_month(value: str) -> date | None:
    """A YYYY-MM month as its first day, or None. Years 1000 to 9998 only, as the gateway's schema says:
    year 0 is no year at all, and the period's end (a month later, in UTC) must stay a date."""
    if not MONTH_PATTERN.match(value) or not 1000 <= int(value[:4]) <= 9998:
        return None
    return date.fromisoformat(value + "-01")


def month_of(at: datetime, zone: str = COMMUNITY_ZONE) -> str:
    return local_day(at, zone).strftime("%Y-%m")


def months_between(first: date, last: date) -> list[str]:
    """Every month from first to last (both first days of months), as YYYY-MM."""
    months, current = [], first
    while current <= last:
        months.append(current.strftime("%Y-%m"))
        current = add_months(current, 1)
    return months


def is_counsellor_for(caller: Caller, community_id: str) -> bool:
    return caller.has_role(*COUNSELLOR_ROLES) and caller.serves(community_id)


def check_counsellor(caller: Caller, community_id: str, what: str) -> None:
    if not is_counsellor_for(caller, community_id):
        raise PermissionDenied(f"only an employment counsellor or administrator serving this community may {what}")


def check_serves(caller: Caller, community_id: str) -> None:
    """A community's lists are for the people it serves; asking for another's is refused, not answered empty."""
    if not caller.serves(community_id):
        raise PermissionDenied(f"you do not serve community {community_id}")


def hidden(kind: str, record_id: str) -> NotFound:
    """Someone else's record is reported as missing, so ids reveal nothing."""
    return NotFound(f"{kind} {record_id} not found")


def epoch_seconds(at: datetime) -> int:
    return int(at.timestamp())
