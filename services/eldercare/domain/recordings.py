"""Call recordings (docs/calls.md, "Recording and consent"): a call is recorded only if the elder consents
to recording (a consent topic of its own), by the operator on the call; a recording is kept with its care
request until its retention period ends, then purged; every access to one is audited."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from linli.kit.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from linli.kit.identity import Caller
from services.eldercare.domain.care_requests import CALL_ANSWERED, CareRequest, _operator_of, is_staff_for

CONTENT_TYPES = ("audio/ogg", "audio/webm", "audio/wav")
# What an access was: the audit's words.
STORED, LISTED, FETCHED, PURGED = "stored", "listed", "fetched", "purged"


@dataclass(frozen=True)
class Recording:
    id: str
    care_request_id: str
    community_id: str
    call_id: str
    content_type: str
    size_bytes: int
    sha256: str
    recorded_by: str
    recorded_at: datetime
    purge_after: datetime


@dataclass(frozen=True)
class Access:
    recording_id: str
    care_request_id: str
    community_id: str
    action: str
    by: str
    at: datetime


def record(caller: Caller, request: CareRequest, call_id: str, consented: bool, content_type: str,
           size_bytes: int, sha256: str, recording_id: str, now: datetime, retention: timedelta) -> Recording:
    """A piece of the call's recording, by the operator on the call in progress, only while the elder
    consents (checked at every piece: a withdrawal stops the recording at once)."""
    if not is_staff_for(caller, request) or not caller.has_role("operator"):
        raise PermissionDenied("only the operator on the call records it")
    call = next((c for c in request.calls if c.id == call_id), None) if call_id else request.live_call
    if call is None or call.state != CALL_ANSWERED:
        raise FailedPrecondition(f"care request {request.id} has no call in progress to record")
    if _operator_of(call) != caller.subject:
        raise PermissionDenied(f"call {call.id} is {_operator_of(call)}'s")
    if not consented:
        raise FailedPrecondition(f"elder {request.elder_id} has not consented to recording: nothing is recorded")
    if content_type not in CONTENT_TYPES:
        raise InvalidArgument("unsupported recording", {"content_type": f"one of {', '.join(CONTENT_TYPES)}"})
    if size_bytes == 0:
        raise InvalidArgument("empty recording", {"audio": "the recorded audio is empty"})
    return Recording(recording_id, request.id, request.community_id, call.id, content_type, size_bytes, sha256,
                     caller.subject, now, now + retention)


def check_may_listen(caller: Caller, request: CareRequest) -> None:
    """Staff serving the request's community list and fetch its recordings (the caller already sees it)."""
    if not is_staff_for(caller, request):
        raise PermissionDenied("only staff serving this community may hear its calls' recordings")


def check_may_audit(caller: Caller, request: CareRequest) -> None:
    if not (caller.has_role("administrator") and caller.serves(request.community_id)):
        raise PermissionDenied("only an administrator of this community reads who accessed its recordings")


def access(recording: Recording, action: str, by: str, now: datetime) -> Access:
    return Access(recording.id, recording.care_request_id, recording.community_id, action, by, now)
