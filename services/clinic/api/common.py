"""What the clinic's servicers share: who is reaching patient data (for the audit log), ids and page
tokens, and the bell that wakes partners' watches after a referral changes."""
import threading
from urllib.parse import unquote

import grpc

from linli.kit.errors import InvalidArgument
from linli.kit.identity import Caller, current_caller
from linli.kit.outbox import OutboxRelay
from services.clinic.domain import audit
from services.clinic.domain.audit import Accessor
from services.clinic.domain.patients import ID_PATTERN

# Why the caller reads patient data, percent-encoded UTF-8 (gRPC metadata values are ASCII).
PURPOSE_KEY = "x-linli-purpose"
# The gateway marks the calls it makes on behalf of HTTP requests, so the audit log names the door.
CHANNEL_KEY = "x-linli-channel"


def accessor(context: grpc.ServicerContext, caller: Caller | None = None) -> Accessor:
    """The person calling the internal api, through which door, for which stated purpose."""
    caller = caller or current_caller()
    values = {key: value for key, value in context.invocation_metadata() or ()}
    channel = audit.HTTP if values.get(CHANNEL_KEY) == audit.HTTP else audit.GRPC
    return Accessor(caller.subject, audit.PERSON, tuple(sorted(caller.roles)), channel,
                    audit.stated_purpose(unquote(values.get(PURPOSE_KEY, ""))))


def partner_accessor(partner_id: str) -> Accessor:
    return Accessor(partner_id, audit.PARTNER, (), audit.PARTNER_CHANNEL)


def check_id(value: str, field: str = "id") -> str:
    if not ID_PATTERN.match(value):
        raise InvalidArgument(f"{field} is required", {field: "1 to 64 letters, digits or . _ : -"})
    return value


class ChangeBell:
    """Rung after a referral change commits: wakes the partners' watches in this process at once and
    the outbox relay. Watches in other replicas notice within their poll interval."""

    def __init__(self, relay: OutboxRelay | None = None):
        self.relay = relay
        self._condition = threading.Condition()
        self._rung = 0

    def ring(self) -> None:
        if self.relay is not None:
            self.relay.wake()
        with self._condition:
            self._rung += 1
            self._condition.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Wait until rung since `seen` (or the timeout); returns the count to pass next time."""
        with self._condition:
            if self._rung == seen:
                self._condition.wait(timeout)
            return self._rung

    @property
    def count(self) -> int:
        with self._condition:
            return self._rung
