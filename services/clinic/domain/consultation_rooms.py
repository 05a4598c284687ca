"""Linli's consultation room of a teleconsultation: who may enter it, with which link, until when, how
many at once, and how the session's status follows who is in it. Pure functions, no I/O.

Join links. Every participant gets a link of their own: `<page>?teleconsultation=<id>#join=<token>`. The
token is signed (HMAC-SHA256) with the teleconsultation's own secret, kept in its record (the random
`join_token` made when it was requested), and names the teleconsultation, the participant (patient,
clinician, partner), who exactly (the patient's resident id, the clinician's subject, the partner
hospital's id) and when it expires: 30 minutes after the scheduled end. The room opens 15 minutes
before the scheduled start. A link cannot be replayed by someone else:

- the patient's and a clinician's link work only together with that person's own Linli sign-in (the
  JWT's subject must be the one the link names): a forwarded link is refused (PERMISSION_DENIED);
- the hospital's specialist has no Linli account and no client certificate in a browser: the partner
  obtains a link for them over the partner exchange (mutual TLS, IssueTeleconsultationJoinLink). Each
  such link has a nonce, and its first use binds it to the device that opened it (a random key the page
  keeps for the tab); the same link from another device is refused. The partner hands the link to its
  specialist through its own systems.

A link of another teleconsultation, or a tampered one, is NOT_FOUND; an expired one, one made before the
session was moved (each reader gets the new one), or one of a session cancelled, completed or marked
no-show, FAILED_PRECONDITION.

Status. The room records every stream that enters and leaves (attendance). When the patient and a
clinician (the community clinician or the hospital's specialist) are in at once, a scheduled session
becomes in progress. When the last one leaves an in-progress session after its scheduled end, it is
completed ("everyone left the room"); before then, the room stays open for whoever reconnects, and a
clinician completes it with the advice as before. A no-show can be marked only if the patient never came.

Size. A room holds at most MAX_IN_ROOM streams: the media is a full mesh (each browser sends to every
other), and docs/calls.md gives the measurement that sets the limit.
"""
import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.clinic.policy import CLOSES_AFTER, MAX_ATTENDANCE, MAX_IN_ROOM, OPENS_BEFORE
from services.clinic.domain.patients import is_clinician_for
from services.clinic.domain.teleconsultations import (
    COMPLETED, IN_PROGRESS, SCHEDULED, Attendance, Teleconsultation, Transition)

PATIENT, CLINICIAN, PARTNER = "patient", "clinician", "partner"
PARTICIPANTS = (PATIENT, CLINICIAN, PARTNER)
MAX_TOKEN_CHARS = 1024
ROOM = "room"  # the `by` of transitions the room makes


@dataclass(frozen=True)
class JoinPass:
    """What a join token says."""

    consultation_id: str
    participant: str
    subject: str
    expires_at: int  # unix seconds
    nonce: str = ""  # partner links only: what a device binds to


@dataclass(frozen=True)
class Entered:
    consultation: Teleconsultation
    participant: str
    subject: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode(), payload, hashlib.sha256).digest()


def window(consultation: Teleconsultation) -> tuple[datetime, datetime]:
    """When the room is open: from 15 minutes before the start to 30 minutes after the scheduled end."""
    start = consultation.scheduled_start
    return start - OPENS_BEFORE, start + consultation.duration + CLOSES_AFTER


def sign(consultation: Teleconsultation, participant: str, subject: str, nonce: str = "") -> str:
    expires_at = int(window(consultation)[1].timestamp())
    payload = json.dumps({"c": consultation.id, "p": participant, "s": subject, "e": expires_at, "n": nonce},
                         separators=(",", ":")).encode()
    return _b64(payload) + "." + _b64(_signature(consultation.join_token, payload))


def link(base_url: str, consultation: Teleconsultation, participant: str, subject: str, nonce: str = "") -> str:
    """The page's address with the token in the fragment, which browsers never send to a server."""
    token = sign(consultation, participant, subject, nonce)
    return f"{base_url}?teleconsultation={consultation.id}#join={token}"


def link_for(caller: Caller, consultation: Teleconsultation, base_url: str) -> str:
    """The reader's own link: the patient's or this clinician's; none before the session is scheduled,
    after it ended, or for anyone else."""
    if consultation.status not in (SCHEDULED, IN_PROGRESS) or consultation.scheduled_start is None:
        return ""
    if caller.has_role("resident") and caller.subject == consultation.resident_id:
        return link(base_url, consultation, PATIENT, caller.subject)
    if is_clinician_for(caller, consultation.community_id):
        return link(base_url, consultation, CLINICIAN, caller.subject)
    return ""


def partner_link(partner: str, consultation: Teleconsultation, base_url: str, nonce: str, now: datetime) -> str:
    """A link for the partner's specialist (the partner exchange): only the partner the session is with,
    only while it can still take place."""
    if consultation.partner_id != partner:
        raise NotFound(f"teleconsultation {consultation.id} not found")
    _check_open(consultation, now, refuse_early=False)
    return link(base_url, consultation, PARTNER, partner, nonce)


def read(consultation: Teleconsultation | None, consultation_id: str, token: str, now: datetime) -> JoinPass:
    """The pass a token carries, if this teleconsultation's secret signed it and it has not expired."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise InvalidArgument("a join token is required", {"join_token": "required, as in the join link"})
    unknown = NotFound(f"there is no consultation room {consultation_id} for this link")
    if consultation is None:
        raise unknown
    try:
        payload_part, signature_part = token.split(".")
        payload = _unb64(payload_part)
        if not hmac.compare_digest(_unb64(signature_part), _signature(consultation.join_token, payload)):
            raise unknown
        fields = json.loads(payload)
        join_pass = JoinPass(str(fields["c"]), str(fields["p"]), str(fields["s"]), int(fields["e"]),
                             str(fields.get("n", "")))
    except (ValueError, KeyError, TypeError):
        raise unknown from None
    if join_pass.consultation_id != consultation.id or join_pass.participant not in PARTICIPANTS:
        raise unknown
    if now.timestamp() >= join_pass.expires_at:
        expired = datetime.fromtimestamp(join_pass.expires_at, timezone.utc).isoformat()
        raise FailedPrecondition(f"this join link expired at {expired}")
    if consultation.scheduled_start is None or join_pass.expires_at != int(window(consultation)[1].timestamp()):
        raise FailedPrecondition("the session was moved since this link was made: use the new link")
    return join_pass


def _check_open(consultation: Teleconsultation, now: datetime, refuse_early: bool = True) -> None:
    if consultation.status not in (SCHEDULED, IN_PROGRESS) or consultation.scheduled_start is None:
        raise FailedPrecondition(f"teleconsultation {consultation.id} is {consultation.status}: its room is closed")
    opens, closes = window(consultation)
    if now >= closes:
        raise FailedPrecondition(f"the room of teleconsultation {consultation.id} closed at {closes.isoformat()}")
    if refuse_early and now < opens:
        raise FailedPrecondition(f"the room of teleconsultation {consultation.id} opens at {opens.isoformat()}")


def device_hash(device_key: str) -> str:
    return hashlib.sha256(device_key.encode()).hexdigest()


def admit(caller: Caller | None, consultation: Teleconsultation, join_pass: JoinPass, device_key: str,
          now: datetime) -> None:
    """May the holder of this pass, signed in as `caller` (None: no Linli sign-in), be in the room now?"""
    _check_open(consultation, now)
    if join_pass.participant == PATIENT:
        if not (caller and caller.has_role("resident") and caller.subject == join_pass.subject
                == consultation.resident_id):
            raise PermissionDenied("this join link is the patient's: sign in as the patient to use it")
    elif join_pass.participant == CLINICIAN:
        if not (caller and caller.subject == join_pass.subject and is_clinician_for(caller, consultation.community_id)):
            raise PermissionDenied("this join link was issued to another clinician: use your own")
    else:
        if join_pass.subject != consultation.partner_id:
            raise PermissionDenied("this join link is for another hospital")
        bound = dict(consultation.link_devices).get(join_pass.nonce)
        if bound is not None and (not device_key or bound != device_hash(device_key)):
            raise PermissionDenied("this join link is already in use on another device: ask your hospital for "
                                   "a link of your own")


def present(consultation: Teleconsultation) -> list[Attendance]:
    return [a for a in consultation.attendance if a.left_at is None]


def enter(caller: Caller | None, consultation: Teleconsultation, join_pass: JoinPass, device_key: str, peer: str,
          now: datetime) -> Entered:
    """Record a stream entering the room; the session is in progress once the patient and a clinician are
    in. Entering again with the same peer id changes nothing (a retried call)."""
    admit(caller, consultation, join_pass, device_key, now)
    if join_pass.participant == PARTNER and not device_key:
        raise InvalidArgument("a hospital's link needs the device key", {"device_key": "required for a partner link"})
    if any(a.peer == peer for a in present(consultation)):
        return Entered(consultation, join_pass.participant, join_pass.subject)
    if len(present(consultation)) >= MAX_IN_ROOM:
        raise FailedPrecondition(f"the room is full: at most {MAX_IN_ROOM} take part at once")
    if len(consultation.attendance) >= MAX_ATTENDANCE:
        raise FailedPrecondition(f"the room has been entered {MAX_ATTENDANCE} times: no more")
    changes: dict = {"attendance": consultation.attendance + (
        Attendance(peer, join_pass.participant, join_pass.subject, now),)}
    if join_pass.participant == PARTNER and join_pass.nonce not in dict(consultation.link_devices):
        changes["link_devices"] = consultation.link_devices + ((join_pass.nonce, device_hash(device_key)),)
    changed = replace(consultation, version=consultation.version + 1, **changes)
    who = {a.participant for a in present(changed)}
    if changed.status == SCHEDULED and PATIENT in who and who & {CLINICIAN, PARTNER}:
        changed = replace(changed, status=IN_PROGRESS,
                          history=changed.history + (Transition(IN_PROGRESS, now, ROOM, "patient and clinician in the room"),))
    return Entered(changed, join_pass.participant, join_pass.subject)


def leave(consultation: Teleconsultation, peer: str, now: datetime) -> Teleconsultation | None:
    """Record a stream leaving; None when it was not in (nothing to save). The last one out of an
    in-progress session after its scheduled end completes it."""
    if not any(a.peer == peer for a in present(consultation)):
        return None
    attendance = tuple(replace(a, left_at=now) if a.peer == peer and a.left_at is None else a
                       for a in consultation.attendance)
    changed = replace(consultation, attendance=attendance, version=consultation.version + 1)
    scheduled_end = consultation.scheduled_start + consultation.duration
    if changed.status == IN_PROGRESS and not present(changed) and now >= scheduled_end:
        changed = replace(changed, status=COMPLETED,
                          history=changed.history + (Transition(COMPLETED, now, ROOM, "everyone left the room"),))
    return changed
