"""The audit log of patient data: who read or wrote which patient's data, what, when, why, and through
which door. Pure dataclasses and functions; the store only ever inserts records and queries them.

Every operation that reads or writes patient data builds its records here (one per patient touched)
and the store writes them before the data leaves the service (reads) or in the same transaction as the
change (writes), so no data moves without its record. Administrators query the log for the communities
they serve; nobody can change it.
"""
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from linli.kit.errors import InvalidArgument, PermissionDenied
from linli.kit.identity import Caller

PERSON, PARTNER, SYSTEM = "person", "partner", "system"
HTTP, GRPC, PARTNER_CHANNEL, EVENT = "http", "grpc", "partner", "event"
CHANNELS = (HTTP, GRPC, PARTNER_CHANNEL, EVENT)
MAX_PURPOSE = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Accessor:
    """Who is reaching patient data, through which door, and the purpose they stated (may be empty)."""

    actor: str
    kind: str  # PERSON, PARTNER, SYSTEM
    roles: tuple[str, ...]
    channel: str
    purpose: str = ""


@dataclass(frozen=True)
class AuditRecord:
    id: str
    at: datetime
    actor: str
    actor_kind: str
    actor_roles: tuple[str, ...]
    channel: str
    community_id: str
    patient_id: str
    resident_id: str
    action: str
    resource: str
    purpose: str


def stated_purpose(value: str) -> str:
    """A caller's stated purpose (x-linli-purpose): plain text, bounded, kept verbatim."""
    value = _CONTROL.sub(" ", value).strip()
    if len(value) > MAX_PURPOSE:
        raise InvalidArgument("purpose is too long", {"x-linli-purpose": f"at most {MAX_PURPOSE} characters"})
    return value


def record(record_id: str, who: Accessor, action: str, community_id: str, patient_id: str, resident_id: str,
           resource: str, default_purpose: str, now: datetime) -> AuditRecord:
    return AuditRecord(record_id, now, who.actor, who.kind, who.roles, who.channel, community_id, patient_id,
                       resident_id, action, resource, who.purpose or default_purpose)


def query_scope(caller: Caller, community_id: str) -> frozenset[str] | None:
    """The communities whose audit records the caller may read (None = all): administrators only."""
    if not caller.has_role("administrator"):
        raise PermissionDenied("only administrators read the audit log")
    if community_id:
        if not caller.serves(community_id):
            raise PermissionDenied(f"you do not serve community {community_id}")
        return frozenset({community_id})
    return None if caller.sees_all_communities else caller.communities


@dataclass(frozen=True)
class Touched:
    """A patient whose data an operation reads or writes, and the record it goes through."""

    community_id: str
    patient_id: str
    resident_id: str
    resource: str


def records(who: Accessor, action: str, touched: list[Touched], default_purpose: str,
            now: datetime) -> list[AuditRecord]:
    """One record per patient touched (a list of ten patients is ten records)."""
    return [record(str(uuid.uuid4()), who, action, t.community_id, t.patient_id, t.resident_id, t.resource,
                   default_purpose, now) for t in touched]
