"""Referrals between a community clinic and partner hospitals, both ways, with HL7 FHIR R4 semantics:
the ServiceRequest (what is asked, why, for whom, by whom of whom) and the Task that tracks it. Pure
dataclasses and functions, no I/O.

Task status (FHIR task-status), and which side may set it from where:

    status        set by      from
    requested     requester   (created so)
    received      performer   requested
    accepted      performer   requested, received
    rejected      performer   requested, received                      reason required
    in-progress   performer   accepted, on-hold
    on-hold       performer   accepted, in-progress
    failed        performer   accepted, in-progress, on-hold           reason required
    completed     performer   in-progress                              an outcome note required
    cancelled     requester   requested, received, accepted, on-hold   reason required

rejected, failed, completed and cancelled are final. The performer also sets a business status (a
sub-state such as "visit-scheduled"); a change of status clears it unless the same update sets a new
one. Setting the status a task already has, with nothing else, changes nothing (a retry is safe).
The performer attaches outcome notes from acceptance on: they close the loop.

A back-referral is a partner hospital handing a discharged patient back to the community clinic: a
referral from the hospital (requester) to the clinic (performer) with a follow-up plan.

What a partner sees of a referral (partner_view) follows the patient's consents at the moment of the
call: without consent to referrals with that partner, the patient's identity and everything the clinic
wrote are withheld (what the partner wrote itself stays visible); the summary record and recent results
travel only with consent to referrals and to those scopes too.
"""
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from linli.kit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.clinic.domain import patients
from services.clinic.domain.organisations import check_partner, clinic_of
from services.clinic.domain.patients import DocumentRef, Patient, check_day, check_id, check_text, is_clinician_for
from services.clinic.policy import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_OUTCOMES

REQUESTED, RECEIVED, ACCEPTED, REJECTED = "requested", "received", "accepted", "rejected"
IN_PROGRESS, ON_HOLD, FAILED, COMPLETED, CANCELLED = "in-progress", "on-hold", "failed", "completed", "cancelled"
TASK_STATUSES = (REQUESTED, RECEIVED, ACCEPTED, REJECTED, IN_PROGRESS, ON_HOLD, FAILED, COMPLETED, CANCELLED)
FINAL_STATUSES = (REJECTED, FAILED, COMPLETED, CANCELLED)
OPEN_STATUSES = tuple(s for s in TASK_STATUSES if s not in FINAL_STATUSES)

REQUESTER, PERFORMER = "requester", "performer"
# (side, status) -> the statuses it may be set from. Anything not listed, that side may not set.
MOVES: dict[tuple[str, str], tuple[str, ...]] = {
    (REQUESTER, CANCELLED): (REQUESTED, RECEIVED, ACCEPTED, ON_HOLD),
    (PERFORMER, RECEIVED): (REQUESTED,),
    (PERFORMER, ACCEPTED): (REQUESTED, RECEIVED),
    (PERFORMER, REJECTED): (REQUESTED, RECEIVED),
    (PERFORMER, IN_PROGRESS): (ACCEPTED, ON_HOLD),
    (PERFORMER, ON_HOLD): (ACCEPTED, IN_PROGRESS),
    (PERFORMER, FAILED): (ACCEPTED, IN_PROGRESS, ON_HOLD),
    (PERFORMER, COMPLETED): (IN_PROGRESS,),
}
STATUSES_OF = {side: tuple(s for (who, s) in MOVES if who == side) for side in (REQUESTER, PERFORMER)}
NEEDS_REASON = (REJECTED, FAILED, CANCELLED)
# When the performer may attach outcome notes.
OUTCOME_STATUSES = (ACCEPTED, IN_PROGRESS, ON_HOLD, COMPLETED, FAILED)

PRIORITIES = ("routine", "urgent", "asap", "stat")
REFERRAL, BACK_REFERRAL = "referral", "back-referral"
CATEGORIES = (REFERRAL, BACK_REFERRAL)
BUSINESS_STATUS_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
# Limits of what a requester, a performer or a partner writes (docs/partners.md lists them; a test checks).
MAX_REASON = 500
MAX_CLINICAL_SUMMARY = 4000
MAX_PRACTITIONER = 100
MAX_FOLLOW_UP_PLAN = 1000
MAX_STATUS_REASON = 500
MAX_OUTCOME_TEXT = 4000
MAX_ATTACHMENT_TITLE = 200
MAX_ATTACHMENT_CONTENT_TYPE = 100
MAX_ATTACHMENT_URL = 1000

# Parts of a referral a partner may be refused (see the module docstring).
SUBJECT, CLINICAL, SUMMARY, RESULTS = "subject", "clinical", "summary", "results"

REFERRAL_CREATED = "referral.created"
REFERRAL_STATUS_CHANGED = "referral.status_changed"
REFERRAL_BACK_REFERRAL_RECEIVED = "referral.back_referral_received"
# Kinds of change in a referral's change log (what partners watch).
CREATED, STATUS_CHANGED, OUTCOME_ATTACHED = "created", "status_changed", "outcome_attached"


@dataclass(frozen=True)
class Attachment:
    id: str
    title: str
    content_type: str
    size_bytes: int
    url: str
    created_at: datetime | None = None


@dataclass(frozen=True)
class FollowUp:
    plan: str
    due_date: str = ""  # YYYY-MM-DD
    discharged_on: str = ""  # YYYY-MM-DD


@dataclass(frozen=True)
class Content:
    """What the requester writes: the ServiceRequest."""

    category: str
    priority: str
    reason: str
    clinical_summary: str = ""
    attachments: tuple[Attachment, ...] = ()
    follow_up: FollowUp | None = None
    based_on: str = ""
    practitioner: str = ""


@dataclass(frozen=True)
class Outcome:
    id: str
    organisation_id: str
    author: str
    text: str
    attachments: tuple[Attachment, ...]
    recorded_at: datetime


@dataclass(frozen=True)
class TaskChange:
    status: str
    business_status: str
    organisation_id: str
    by: str
    at: datetime
    reason: str = ""


@dataclass(frozen=True)
class Referral:
    id: str
    community_id: str
    patient_id: str
    resident_id: str
    requester: str  # organisation ids
    performer: str
    content: Content
    authored_on: datetime
    request_id: str = ""  # the requester's idempotency key
    fingerprint: str = ""  # of what was submitted, to tell a retry from a reuse of the key
    status: str = REQUESTED
    business_status: str = ""
    status_reason: str = ""
    last_modified: datetime | None = None
    history: tuple[TaskChange, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    version: int = 1

    def side_of(self, organisation_id: str) -> str | None:
        if organisation_id == self.requester:
            return REQUESTER
        if organisation_id == self.performer:
            return PERFORMER
        return None

    def involves(self, organisation_id: str) -> bool:
        return organisation_id in (self.requester, self.performer)


@dataclass(frozen=True)
class Change:
    """One entry of the change log partners watch: the referral as it stood after the change."""

    kind: str  # CREATED, STATUS_CHANGED, OUTCOME_ATTACHED
    referral: Referral
    by_organisation: str
    at: datetime
    previous_status: str = ""


# -- validation ---------------------------------------------------------------------------------------

def _attachment_problems(problems: dict, prefix: str, attachments: tuple[Attachment, ...]) -> None:
    if len(attachments) > MAX_ATTACHMENTS:
        problems[prefix] = f"at most {MAX_ATTACHMENTS}"
    ids = [a.id for a in attachments if a.id]
    if len(ids) != len(set(ids)):
        problems[prefix] = "attachment ids must be unique"
    for i, a in enumerate(attachments):
        check_id(problems, f"{prefix}[{i}].id", a.id, required=False)
        check_text(problems, f"{prefix}[{i}].title", a.title, MAX_ATTACHMENT_TITLE, required=True)
        check_text(problems, f"{prefix}[{i}].content_type", a.content_type, MAX_ATTACHMENT_CONTENT_TYPE, required=True)
        check_text(problems, f"{prefix}[{i}].url", a.url, MAX_ATTACHMENT_URL, required=True)
        if not 0 <= a.size_bytes <= MAX_ATTACHMENT_BYTES:
            problems[f"{prefix}[{i}].size_bytes"] = f"0 to {MAX_ATTACHMENT_BYTES}"


def _numbered(attachments: tuple[Attachment, ...], prefix: str) -> tuple[Attachment, ...]:
    """Attachments without an id get one, so FHIR renderings and outcomes can point at them."""
    return tuple(a if a.id else replace(a, id=f"{prefix}{i + 1}") for i, a in enumerate(attachments))


def validate_content(content: Content, field_prefix: str = "content") -> Content:
    problems: dict[str, str] = {}
    p = field_prefix + "."
    if content.category not in CATEGORIES:
        problems[p + "category"] = f"one of {', '.join(CATEGORIES)}"
    if content.priority not in PRIORITIES:
        problems[p + "priority"] = f"one of {', '.join(PRIORITIES)}"
    check_text(problems, p + "reason", content.reason, MAX_REASON, required=True)
    check_text(problems, p + "clinical_summary", content.clinical_summary, MAX_CLINICAL_SUMMARY)
    check_text(problems, p + "practitioner", content.practitioner, MAX_PRACTITIONER)
    check_id(problems, p + "based_on", content.based_on, required=False)
    _attachment_problems(problems, p + "attachments", content.attachments)
    if content.category == BACK_REFERRAL:
        if content.follow_up is None:
            problems[p + "follow_up"] = "required for a back-referral"
        else:
            check_text(problems, p + "follow_up.plan", content.follow_up.plan, MAX_FOLLOW_UP_PLAN, required=True)
            check_day(problems, p + "follow_up.due_date", content.follow_up.due_date)
            check_day(problems, p + "follow_up.discharged_on", content.follow_up.discharged_on)
    elif content.follow_up is not None:
        problems[p + "follow_up"] = "only for a back-referral"
    check_fields(problems, "invalid referral")
    return replace(content, reason=content.reason.strip(), attachments=_numbered(content.attachments, "att-"))


def fingerprint(patient_id: str, performer: str, content: Content) -> str:
    """A digest of a submission, to tell a retry (same digest) from a reused request id."""
    def plain(value):
        if hasattr(value, "__dataclass_fields__"):
            return {k: plain(getattr(value, k)) for k in value.__dataclass_fields__}
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        if isinstance(value, datetime):
            return value.isoformat()
        return value

    body = json.dumps([patient_id, performer, plain(content)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


# -- creating ------------------------------------------------------------------------------------------

def _new(referral_id: str, patient: Patient, requester: str, performer: str, content: Content, request_id: str,
         by: str, now: datetime) -> Referral:
    return Referral(
        referral_id, patient.community_id, patient.id, patient.resident_id, requester, performer, content, now,
        request_id=request_id, fingerprint=fingerprint(patient.id, performer, content), last_modified=now,
        history=(TaskChange(REQUESTED, "", requester, by, now),))


def _check_based_on(content: Content, based_on: Referral | None, patient: Patient) -> None:
    if content.based_on and (based_on is None or based_on.patient_id != patient.id):
        raise NotFound(f"referral {content.based_on} not found")


def create_outbound(caller: Caller, patient: Patient, referral_id: str, performer: str, content: Content,
                    request_id: str, based_on: Referral | None, partners: frozenset[str], now: datetime) -> Referral:
    """A clinician refers their patient up to a partner hospital; the patient must consent to it."""
    problems: dict[str, str] = {}
    check_id(problems, "request_id", request_id, required=False)
    check_fields(problems, "invalid referral")
    content = validate_content(content)
    check_partner(performer, partners, "performer_id")
    if content.category != REFERRAL:
        raise InvalidArgument("a clinic refers patients; back-referrals come from hospitals",
                              {"content.category": REFERRAL})
    if not is_clinician_for(caller, patient.community_id):
        raise PermissionDenied("only a clinician serving the patient's community may refer them")
    _check_based_on(content, based_on, patient)
    patients.require_consent(patient, performer, patients.REFERRAL, now)
    return _new(referral_id, patient, clinic_of(patient.community_id), performer, content, request_id,
                caller.subject, now)


def submit_inbound(partner_id: str, patient: Patient | None, patient_id: str, referral_id: str, performer: str,
                   content: Content, request_id: str, based_on: Referral | None, now: datetime) -> Referral:
    """A partner hospital sends a referral (or a back-referral) to the clinic of the patient's community.

    patient: None unless the partner already shares a referral of this patient (otherwise ids would
    let a partner probe who is a patient)."""
    problems: dict[str, str] = {}
    check_id(problems, "request_id", request_id)
    check_id(problems, "patient_id", patient_id)
    check_fields(problems, "invalid referral")
    content = validate_content(content)
    if patient is None:
        raise NotFound(f"patient {patient_id} not found")
    clinic = clinic_of(patient.community_id)
    if performer and performer != clinic:
        raise InvalidArgument("the patient's own community clinic performs referrals for them",
                              {"performer_id": f"{clinic} or empty"})
    _check_based_on(content, based_on, patient)
    if based_on is not None and not based_on.involves(partner_id):
        raise NotFound(f"referral {content.based_on} not found")
    return _new(referral_id, patient, partner_id, clinic, content, request_id, partner_id, now)


def check_retry(existing: Referral, submitted: Referral) -> Referral:
    """Same request id again: the first referral when the same thing was submitted (a retry); a reuse of
    the id for something else is refused."""
    if existing.fingerprint != submitted.fingerprint:
        raise AlreadyExists(f"request id {existing.request_id} was already used for another referral")
    return existing


# -- who sees what -------------------------------------------------------------------------------------

def visible_to(caller: Caller, referral: Referral) -> bool:
    """Inside the platform: clinicians serving the community, and the patient themself."""
    return is_clinician_for(caller, referral.community_id) or (
        caller.has_role("resident") and caller.subject == referral.resident_id)


def check_visible(caller: Caller, referral: Referral | None, referral_id: str) -> Referral:
    if referral is None or not visible_to(caller, referral):
        raise NotFound(f"referral {referral_id} not found")
    return referral


def check_partner_visible(partner_id: str, referral: Referral | None, referral_id: str) -> Referral:
    """A partner sees the referrals it sent or received; any other id is NOT_FOUND."""
    if referral is None or not referral.involves(partner_id):
        raise NotFound(f"referral {referral_id} not found")
    return referral


@dataclass(frozen=True)
class Subject:
    name: str
    sex: str
    birth_date: str


@dataclass(frozen=True)
class SharedSummary:
    problems: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()
    results: tuple[DocumentRef, ...] = ()


@dataclass(frozen=True)
class ReferralView:
    referral: Referral  # with withheld parts blanked
    subject: Subject | None
    summary: SharedSummary | None
    withheld: frozenset[str] = field(default_factory=frozenset)


def internal_view(referral: Referral, patient: Patient | None) -> ReferralView:
    """For clinicians and the patient: everything (they see the patient's record anyway)."""
    d = patient.details if patient else None
    return ReferralView(referral, Subject(d.name, d.sex, d.birth_date) if d else None, None)


def partner_view(referral: Referral, patient: Patient | None, partner_id: str, now: datetime) -> ReferralView:
    """The referral as partner_id may see it now (the module docstring's rules)."""
    may = (lambda scope: patient is not None and patients.may_share(patient, partner_id, scope, now))
    withheld: set[str] = set()
    shown = referral
    subject = None
    if may(patients.REFERRAL):
        d = patient.details
        subject = Subject(d.name, d.sex, d.birth_date)
    else:
        withheld.add(SUBJECT)
        clinic_wrote = referral.requester != partner_id or any(
            o.organisation_id != partner_id for o in referral.outcomes) or any(
            t.reason and t.organisation_id != partner_id for t in referral.history)
        if clinic_wrote:
            withheld.add(CLINICAL)
        content = referral.content
        if referral.requester != partner_id:
            content = Content(content.category, content.priority, "", based_on=content.based_on)
        reason = referral.status_reason
        if reason and referral.history and referral.history[-1].organisation_id != partner_id:
            reason = ""
        shown = replace(
            referral, content=content, status_reason=reason,
            outcomes=tuple(o for o in referral.outcomes if o.organisation_id == partner_id),
            history=tuple(t if t.organisation_id == partner_id else replace(t, reason="") for t in referral.history))
    summary = None
    if may(patients.REFERRAL) and (may(patients.SUMMARY) or may(patients.RESULTS)):
        d = patient.details
        summary = SharedSummary(
            *((d.problems, d.medications, d.allergies) if may(patients.SUMMARY) else ((), (), ())),
            results=patient.results if may(patients.RESULTS) else ())
    if not (may(patients.REFERRAL) and may(patients.SUMMARY)):
        withheld.add(SUMMARY)
    if not (may(patients.REFERRAL) and may(patients.RESULTS)):
        withheld.add(RESULTS)
    return ReferralView(shown, subject, summary, frozenset(withheld))


# -- the Task ------------------------------------------------------------------------------------------

def _side(referral: Referral, organisation_id: str) -> str:
    side = referral.side_of(organisation_id)
    if side is None:
        raise PermissionDenied(f"{organisation_id} is neither the requester nor the performer of this referral")
    return side


def update_task(referral: Referral, organisation_id: str, by: str, status: str, business_status: str, reason: str,
                now: datetime) -> Referral:
    """Set the Task's status and/or business status as one side of the referral. Returns the referral
    unchanged (same version) when the update asks for exactly what already holds: a retry."""
    side = _side(referral, organisation_id)
    problems: dict[str, str] = {}
    if status and status not in TASK_STATUSES:
        problems["status"] = f"one of {', '.join(TASK_STATUSES)}"
    if business_status and not BUSINESS_STATUS_PATTERN.match(business_status):
        problems["business_status"] = "a code: lower-case letters, digits and -, e.g. visit-scheduled"
    check_text(problems, "reason", reason, MAX_STATUS_REASON)
    if not status and not business_status:
        problems["status"] = "a status or a business status (or both) to set"
    check_fields(problems, "invalid task update")
    reason = reason.strip()
    if status and (side, status) not in MOVES:
        raise PermissionDenied(f"the {side} may not set {status}: the {side}'s statuses are "
                               f"{', '.join(STATUSES_OF[side])}")
    if business_status and side != PERFORMER:
        raise PermissionDenied("only the performer sets a business status")
    if (status == referral.status and business_status in ("", referral.business_status)
            and reason in ("", referral.status_reason)):
        return referral  # nothing to change: a retry of an update that was applied
    new_status = status or referral.status
    if status and status != referral.status:
        allowed = MOVES[(side, status)]
        if referral.status not in allowed:
            raise FailedPrecondition(f"referral {referral.id} is {referral.status}: cannot become {status} "
                                     f"(only from {' or '.join(allowed)})")
        if status in NEEDS_REASON and not reason:
            raise InvalidArgument(f"a reason is required to set {status}", {"reason": "required"})
        if status == COMPLETED and not any(o.organisation_id == referral.performer for o in referral.outcomes):
            raise FailedPrecondition(f"referral {referral.id} has no outcome yet: attach one before completing")
        new_business = business_status  # a new status clears the old sub-state
    else:
        if referral.status in FINAL_STATUSES:
            raise FailedPrecondition(f"referral {referral.id} is {referral.status}: it changes no more")
        new_business = business_status or referral.business_status
    change = TaskChange(new_status, new_business, organisation_id, by, now, reason)
    return replace(referral, status=new_status, business_status=new_business,
                   status_reason=reason if new_status in NEEDS_REASON else referral.status_reason,
                   last_modified=now, history=referral.history + (change,), version=referral.version + 1)


def attach_outcome(referral: Referral, organisation_id: str, by: str, outcome_id: str, text: str,
                   attachments: tuple[Attachment, ...], now: datetime) -> Referral:
    side = _side(referral, organisation_id)
    problems: dict[str, str] = {}
    check_text(problems, "text", text, MAX_OUTCOME_TEXT, required=True)
    _attachment_problems(problems, "attachments", attachments)
    check_fields(problems, "invalid outcome")
    if side != PERFORMER:
        raise PermissionDenied("only the performer attaches outcomes; the requester reads them")
    if referral.status not in OUTCOME_STATUSES:
        raise FailedPrecondition(f"referral {referral.id} is {referral.status}: outcomes are attached from "
                                 f"acceptance on ({', '.join(OUTCOME_STATUSES)})")
    if len(referral.outcomes) >= MAX_OUTCOMES:
        raise FailedPrecondition(f"referral {referral.id} has {MAX_OUTCOMES} outcomes already")
    outcome = Outcome(outcome_id, organisation_id, by, text.strip(),
                      _numbered(attachments, f"{outcome_id}-att-"), now)
    return replace(referral, outcomes=referral.outcomes + (outcome,), last_modified=now,
                   version=referral.version + 1)


# -- lists ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReferralScope:
    communities: frozenset[str] | None = None
    resident_id: str | None = None
    patient_id: str | None = None
    organisation_id: str | None = None  # a partner: referrals it sent or received


def list_scope(caller: Caller, community_id: str, patient_id: str = "") -> ReferralScope:
    if caller.has_role("clinician"):
        if community_id:
            if not caller.serves(community_id):
                raise PermissionDenied(f"you do not serve community {community_id}")
            communities = frozenset({community_id})
        else:
            communities = None if caller.sees_all_communities else caller.communities
        return ReferralScope(communities, None, patient_id or None)
    if caller.has_role("resident"):
        return ReferralScope(None, caller.subject, patient_id or None)
    raise PermissionDenied("only clinicians, and residents for themselves, may list referrals")


def check_statuses(statuses: list[str]) -> tuple[str, ...]:
    if any(s not in TASK_STATUSES for s in statuses):
        raise InvalidArgument("unknown status", {"statuses": f"each one of {', '.join(TASK_STATUSES)}"})
    return tuple(dict.fromkeys(statuses))

