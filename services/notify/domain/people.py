"""A person as the notify service knows them: how to reach them (preferences, quiet hours, language),
which elders they are family of (from the elders' own contact lists), and the rules for changing that.
Pure: no I/O."""
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from linli.kit.errors import check_fields
from linli.kit.identity import Caller

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
MAX_PER_HOUR_LIMIT = 60
DEFAULT_MAX_PER_HOUR = 20
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PHONE = re.compile(r"^\+?\d{6,15}$")
PREFERENCE_PATHS = ("language", "web_push", "mobile_push", "sms", "phone", "quiet_hours", "on_duty", "max_per_hour")
SUPERVISOR_ROLES = ("operator", "administrator")


@dataclass(frozen=True)
class Preferences:
    language: str = DEFAULT_LANGUAGE
    web_push: bool = True
    mobile_push: bool = True
    # SMS carries emergencies only (it costs money and wakes people): routine messages never go by SMS.
    sms: bool = True
    phone: str = ""
    quiet_hours_start: str = ""
    quiet_hours_end: str = ""
    on_duty: bool = False
    max_per_hour: int = DEFAULT_MAX_PER_HOUR
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ElderLink:
    """An elder whose record lists this person as a contact (the elder's consent to tell them)."""
    elder_id: str
    community_id: str
    phone: str = ""
    elder_name: str = ""


@dataclass(frozen=True)
class Person:
    id: str
    # What their last call to the api said about them (the token's roles and communities).
    roles: frozenset[str] = frozenset()
    communities: frozenset[str] = frozenset()
    preferences: Preferences = field(default_factory=Preferences)
    elders: tuple[ElderLink, ...] = ()

    def serves(self, community_id: str) -> bool:
        return "*" in self.communities or community_id in self.communities

    def has_supervisor_role(self) -> bool:
        return not self.roles.isdisjoint(SUPERVISOR_ROLES)

    def sms_phone(self) -> str:
        """The person's own phone, else the one an elder's record gives for them."""
        return self.preferences.phone or next((link.phone for link in self.elders if link.phone), "")

    def link_to(self, elder_id: str) -> ElderLink | None:
        return next((link for link in self.elders if link.elder_id == elder_id), None)


def seen(person: Person | None, caller: Caller, elders: tuple[ElderLink, ...] | None) -> Person:
    """The person after a call of theirs: roles and communities as their token gives them now; the elder
    links when the gateway sent them (None: keep the ones we have)."""
    base = person or Person(caller.subject)
    return replace(base, roles=caller.roles, communities=caller.communities,
                   elders=base.elders if elders is None else tuple(elders))


def update_preferences(current: Preferences, wanted: Preferences, paths: frozenset[str], now: datetime) -> Preferences:
    """Apply the paths of wanted (all when empty) after checking every field."""
    unknown = paths - set(PREFERENCE_PATHS)
    check_fields({f"update_mask.{p}": f"not a preference; one of {', '.join(PREFERENCE_PATHS)}" for p in sorted(unknown)})
    paths = paths or frozenset(PREFERENCE_PATHS)
    problems: dict[str, str] = {}
    if "language" in paths and wanted.language not in LANGUAGES:
        problems["language"] = "zh or en"
    if "phone" in paths and wanted.phone and not PHONE.match(wanted.phone):
        problems["phone"] = "6 to 15 digits, optionally after +"
    if "quiet_hours" in paths:
        start, end = wanted.quiet_hours_start, wanted.quiet_hours_end
        if bool(start) != bool(end):
            problems["quiet_hours_start" if not start else "quiet_hours_end"] = "both ends or neither"
        for name, value in (("quiet_hours_start", start), ("quiet_hours_end", end)):
            if value and not HHMM.match(value):
                problems[name] = "HH:MM, 00:00 to 23:59"
        if start and start == end:
            problems["quiet_hours_end"] = "must differ from the start"
    if "max_per_hour" in paths and not 1 <= wanted.max_per_hour <= MAX_PER_HOUR_LIMIT:
        problems["max_per_hour"] = f"from 1 to {MAX_PER_HOUR_LIMIT}"
    check_fields(problems, "invalid preferences")
    changes = {name: getattr(wanted, name) for name in PREFERENCE_PATHS if name in paths and name != "quiet_hours"}
    if "quiet_hours" in paths:
        changes.update(quiet_hours_start=wanted.quiet_hours_start, quiet_hours_end=wanted.quiet_hours_end)
    return replace(current, **changes, updated_at=now)


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def quiet_until(preferences: Preferences, now: datetime, zone: str) -> datetime | None:
    """When the person's quiet hours end, if now falls inside them (in the community's time); else None.
    Hours that wrap midnight (22:00 to 07:00) are the usual case."""
    if not preferences.quiet_hours_start:
        return None
    local = now.astimezone(ZoneInfo(zone))
    start, end = _clock(preferences.quiet_hours_start), _clock(preferences.quiet_hours_end)
    at = local.time().replace(second=0, microsecond=0, tzinfo=None)
    inside = start <= at < end if start < end else (at >= start or at < end)
    if not inside:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends.astimezone(now.tzinfo)
