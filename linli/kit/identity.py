"""Who is calling. The gateway authenticates the person and forwards their identity in gRPC metadata;
service apis read it back here and refuse calls that carry none."""
import contextvars
from dataclasses import dataclass

from linli.kit.errors import Unauthenticated

SUBJECT_KEY = "x-linli-subject"
ROLES_KEY = "x-linli-roles"
COMMUNITIES_KEY = "x-linli-communities"
ALL_COMMUNITIES = "*"

ROLES = frozenset(
    {
        "resident", "family", "caregiver", "operator", "clinician", "employer",
        "counsellor", "volunteer", "coordinator", "administrator", "device",
    }
)


@dataclass(frozen=True)
class Caller:
    subject: str
    roles: frozenset[str]
    # Communities this caller serves or lives in; "*" (district administrators) means all.
    communities: frozenset[str]

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    def serves(self, community_id: str) -> bool:
        return ALL_COMMUNITIES in self.communities or community_id in self.communities

    @property
    def sees_all_communities(self) -> bool:
        return ALL_COMMUNITIES in self.communities

    def to_metadata(self) -> list[tuple[str, str]]:
        return [
            (SUBJECT_KEY, self.subject),
            (ROLES_KEY, ",".join(sorted(self.roles))),
            (COMMUNITIES_KEY, ",".join(sorted(self.communities))),
        ]


def from_metadata(metadata) -> Caller:
    values = {key: value for key, value in metadata or ()}
    subject = values.get(SUBJECT_KEY, "").strip()
    if not subject:
        raise Unauthenticated(f"missing caller identity: metadata {SUBJECT_KEY} is required")
    roles = frozenset(r for r in values.get(ROLES_KEY, "").split(",") if r)
    unknown = roles - ROLES
    if unknown:
        raise Unauthenticated(f"unknown roles in {ROLES_KEY}: {', '.join(sorted(unknown))}")
    communities = frozenset(c for c in values.get(COMMUNITIES_KEY, "").split(",") if c)
    return Caller(subject, roles, communities)


_current: contextvars.ContextVar[Caller] = contextvars.ContextVar("linli_caller")


def current_caller() -> Caller:
    """The caller of the gRPC call being handled (set by the server bootstrap)."""
    return _current.get()


def use_caller(caller: Caller):
    return _current.set(caller)


def reset_caller(token) -> None:
    _current.reset(token)
