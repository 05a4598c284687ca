"""What the clinic's servicers share: who is reaching patient data (for the audit log), ids and page
tokens, and the bell that wakes partners' watches after a referral changes."""
import threading
from urllib.parse import unquote

import grpc

from linli.kit.errors import InvalidArgument
from linli.kit.identity import Caller, current_caller
from services.clinic.domain import audit
from services.clinic.domain.audit import Accessor
from services.clinic.domain.patients import id_problem

# Why the caller reads patient data, percent-encoded UTF-8 (gRPC metadata values are ASCII).
PURPOSE_KEY = "x-linli-purpose"
# The gateway marks the calls it makes on behalf of HTTP requests, so the audit log names the door.
CHANNEL_KEY = "x-linli-channel"


def accessor(context: grpc.ServicerContext, caller: Caller | None = None) -> Accessor:
    """The person calling the internal api, through which door, for which stated purpose."""
    caller = caller or current_caller()
    values = {key: value for key, value in context.invocation_metadata() or ()}
    channel = audit.HTTP if values.get(CHANNEL_KEY) == audit.HTTP else audit.GRPC
    return Accessor(caller.subject, audit.PERSON, tuple(sorted(caller.roles)), channel, stated_purpose(context))


def partner_accessor(partner_id: str, context: grpc.ServicerContext | None = None) -> Accessor:
    """A partner hospital on the partner port, with the purpose it states (none from a worker's replay)."""
    return Accessor(partner_id, audit.PARTNER, (), audit.PARTNER_CHANNEL,
                    stated_purpose(context) if context is not None else "")


def stated_purpose(context: grpc.ServicerContext) -> str:
    """x-linli-purpose, percent-decoded (bytes that are not UTF-8 become U+FFFD), then audit.stated_purpose's
    rules: control characters become spaces, at most audit.MAX_PURPOSE characters."""
    values = {key: value for key, value in context.invocation_metadata() or ()}
    return audit.stated_purpose(unquote(values.get(PURPOSE_KEY, "")))


def check_id(value: str, field: str = "id") -> str:
    problem = id_problem(value)
    if problem:
        raise InvalidArgument(f"{field} is {problem.split(':')[0]}", {field: problem})
    return value


class ChangeBell:
    """Rung after a referral change commits: wakes the partners' watches in this process at once (the
    outbox relay is woken by the commit itself). Watches in other replicas notice within their poll interval."""

    def __init__(self):
        self._condition = threading.Condition()
        self._rung = 0

    def ring(self) -> None:
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
