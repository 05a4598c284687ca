"""Patients of a community clinic, their summary record, and their consents: pure dataclasses and
functions, no I/O.

Who sees a patient's record:

    the patient themself (role resident, subject = the patient's resident id)   all of it
    a clinician serving the patient's community                                  all of it
    anyone else (operators, administrators, family, other communities' staff)    NOT_FOUND

Administrators oversee the clinic through the audit log, not through the records themselves.

Consents say what the clinic may share with which partner hospital, until when: scopes (referral,
teleconsultation, summary, results), a recipient (a partner's organisation id, or "*" for every
partner of the alliance) and an optional expiry. A consent applies while it is neither withdrawn nor
expired, decided at the moment of each use: a withdrawal takes effect on the very next read.
"""
import datetime as dt
import re
from dataclasses import dataclass, replace
from datetime import datetime

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.clinic.domain.organisations import ANY_PARTNER

MAX_ID = 64
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
# In free text: a NUL or an escape sequence is a broken client or an attack, never what a clinician wrote.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 -]{2,31}$")
SEXES = ("female", "male")
DOCUMENT_TYPES = ("ecg", "lab", "imaging", "discharge_summary", "referral_letter", "other")
REFERRAL, TELECONSULTATION, SUMMARY, RESULTS = "referral", "teleconsultation", "summary", "results"
CONSENT_SCOPES = (REFERRAL, TELECONSULTATION, SUMMARY, RESULTS)
SUMMARY_FIELDS = ("problems", "medications", "allergies")

MAX_LIST_ITEMS = 30
# The record keeps the most recent results; older ones stay in the document store they point to.
MAX_RESULTS = 50
MAX_CONSENTS = 50


def is_clinician_for(caller: Caller, community_id: str) -> bool:
    return caller.has_role("clinician") and caller.serves(community_id)


def id_problem(value: str, required: bool = True) -> str | None:
    """What is wrong with an id, in words that name the real problem (never the value: it may be 10 KB of
    control characters), or None."""
    if not value:
        return "required: 1 to 64 letters, digits or . _ : -" if required else None
    if len(value) > MAX_ID:
        return f"too long: {len(value)} characters, at most {MAX_ID}"
    if not ID_PATTERN.match(value):
        return "malformed: only letters, digits and . _ : - (starting with a letter or digit)"
    return None


def check_id(problems: dict, name: str, value: str, required: bool = True) -> None:
    problem = id_problem(value, required)
    if problem:
        problems[name] = problem


def check_text(problems: dict, name: str, value: str, limit: int, required: bool = False) -> None:
    if required and not value.strip():
        problems[name] = "required"
    elif len(value) > limit:
        problems[name] = f"at most {limit} characters"
    elif CONTROL_CHARACTER.search(value):
        problems[name] = "no control characters other than line breaks and tab"


def check_day(problems: dict, name: str, value: str, required: bool = False) -> None:
    """A calendar day as YYYY-MM-DD."""
    if not value:
        if required:
            problems[name] = "required: YYYY-MM-DD"
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        problems[name] = "a day as YYYY-MM-DD"
    else:
        if len(value) != 10:
            problems[name] = "a day as YYYY-MM-DD"


def _check_items(problems: dict, name: str, items: tuple[str, ...]) -> None:
    if len(items) > MAX_LIST_ITEMS or any(not item.strip() or len(item) > 100 for item in items):
        problems[name] = f"at most {MAX_LIST_ITEMS} entries of 1 to 100 characters"


@dataclass(frozen=True)
class DocumentRef:
    """A recent result (an ECG, a lab report): a reference to a document kept elsewhere."""

    id: str
    type: str
    title: str
    date: str  # YYYY-MM-DD
    reference: str
    content_type: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class Consent:
    id: str
    scopes: tuple[str, ...]
    recipient: str  # a partner's organisation id, or ANY_PARTNER
    granted_by: str
    granted_at: datetime
    expires_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: str = ""

    def active(self, now: datetime) -> bool:
        return self.withdrawn_at is None and (self.expires_at is None or now < self.expires_at)

    def covers(self, recipient: str, scope: str, now: datetime) -> bool:
        return (self.active(now) and scope in self.scopes
                and (self.recipient == recipient or self.recipient == ANY_PARTNER))


@dataclass(frozen=True)
class PatientDetails:
    name: str
    sex: str = ""
    birth_date: str = ""
    phone: str = ""
    problems: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Patient:
    id: str
    community_id: str
    resident_id: str
    details: PatientDetails
    registered_at: datetime
    registered_by: str
    updated_at: datetime
    results: tuple[DocumentRef, ...] = ()  # most recent first
    consents: tuple[Consent, ...] = ()
    version: int = 1


def _detail_problems(details: PatientDetails) -> dict[str, str]:
    problems: dict[str, str] = {}
    check_text(problems, "details.name", details.name, 50, required=True)
    if details.sex and details.sex not in SEXES:
        problems["details.sex"] = "female, male, or unspecified"
    check_day(problems, "details.birth_date", details.birth_date)
    if details.phone and not PHONE_PATTERN.match(details.phone):
        problems["details.phone"] = "digits, spaces and -, optionally starting with +"
    for name in SUMMARY_FIELDS:
        _check_items(problems, f"details.{name}", getattr(details, name))
    return problems


def register(caller: Caller, patient_id: str, community_id: str, resident_id: str, details: PatientDetails,
             now: datetime) -> Patient:
    problems: dict[str, str] = {}
    check_id(problems, "community_id", community_id)
    check_id(problems, "resident_id", resident_id)
    problems.update(_detail_problems(details))
    check_fields(problems, "invalid patient")
    if not is_clinician_for(caller, community_id):
        raise PermissionDenied("only a clinician serving this community may register its patients")
    return Patient(patient_id, community_id, resident_id, details, now, caller.subject, now)


def visible_to(caller: Caller, patient: Patient) -> bool:
    return is_clinician_for(caller, patient.community_id) or (
        caller.has_role("resident") and caller.subject == patient.resident_id)


def check_visible(caller: Caller, patient: Patient | None, patient_id: str) -> Patient:
    """Someone else's patient is reported as missing, so ids reveal nothing."""
    if patient is None or not visible_to(caller, patient):
        raise NotFound(f"patient {patient_id} not found")
    return patient


def _require_clinician(caller: Caller, patient: Patient, doing: str) -> None:
    if not is_clinician_for(caller, patient.community_id):
        raise PermissionDenied(f"only a clinician serving this community may {doing}")


def update_summary(caller: Caller, patient: Patient, changes: PatientDetails, fields: set[str],
                   now: datetime) -> Patient:
    unknown = fields - set(SUMMARY_FIELDS)
    if not fields or unknown:
        raise InvalidArgument("update_mask must name fields to change",
                              {"update_mask": f"one or more of {', '.join(SUMMARY_FIELDS)}"})
    _require_clinician(caller, patient, "change a patient's record")
    problems: dict[str, str] = {}
    for name in fields:
        _check_items(problems, name, getattr(changes, name))
    check_fields(problems, "invalid summary")
    details = replace(patient.details, **{name: tuple(getattr(changes, name)) for name in fields})
    return replace(patient, details=details, updated_at=now, version=patient.version + 1)


def add_result(caller: Caller, patient: Patient, result_id: str, doc_type: str, title: str, day: str,
               reference: str, content_type: str, now: datetime) -> tuple[Patient, DocumentRef]:
    problems: dict[str, str] = {}
    if doc_type not in DOCUMENT_TYPES:
        problems["type"] = f"one of {', '.join(DOCUMENT_TYPES)}"
    check_text(problems, "title", title, 100, required=True)
    check_day(problems, "date", day, required=True)
    check_text(problems, "reference", reference, 500, required=True)
    check_text(problems, "content_type", content_type, 100)
    check_fields(problems, "invalid result")
    _require_clinician(caller, patient, "add results to a patient's record")
    result = DocumentRef(result_id, doc_type, title.strip(), day, reference.strip(), content_type or "", caller.subject,
                         now)
    ordered = sorted(patient.results + (result,), key=lambda r: (r.date, r.recorded_at), reverse=True)
    return replace(patient, results=tuple(ordered[:MAX_RESULTS]), updated_at=now,
                   version=patient.version + 1), result


# -- consents ------------------------------------------------------------------------------------------

def _may_decide(caller: Caller, patient: Patient) -> bool:
    """The patient decides; a clinician may record a decision the patient gave them (a signed form)."""
    return (caller.has_role("resident") and caller.subject == patient.resident_id) or is_clinician_for(
        caller, patient.community_id)


def grant_consent(caller: Caller, patient: Patient, consent_id: str, scopes: tuple[str, ...], recipient: str,
                  expires_at: datetime | None, partners: frozenset[str], now: datetime) -> tuple[Patient, Consent]:
    problems: dict[str, str] = {}
    if not scopes or any(scope not in CONSENT_SCOPES for scope in scopes):
        problems["scopes"] = f"one or more of {', '.join(CONSENT_SCOPES)}"
    if recipient != ANY_PARTNER and recipient not in partners:
        problems["recipient"] = f"a partner of the alliance ({', '.join(sorted(partners))}) or {ANY_PARTNER}"
    if expires_at is not None and expires_at <= now:
        problems["expires_at"] = "must be in the future"
    check_fields(problems, "invalid consent")
    if not _may_decide(caller, patient):
        raise PermissionDenied("only the patient, or a clinician recording their decision, may grant consent")
    if len(patient.consents) >= MAX_CONSENTS:
        raise FailedPrecondition(f"patient {patient.id} has {MAX_CONSENTS} consents on record; withdraw old ones")
    consent = Consent(consent_id, tuple(sorted(set(scopes), key=CONSENT_SCOPES.index)), recipient, caller.subject,
                      now, expires_at)
    return replace(patient, consents=patient.consents + (consent,), updated_at=now,
                   version=patient.version + 1), consent


def withdraw_consent(caller: Caller, patient: Patient, consent_id: str, now: datetime) -> tuple[Patient, Consent]:
    if not _may_decide(caller, patient):
        raise PermissionDenied("only the patient, or a clinician recording their decision, may withdraw consent")
    consent = next((c for c in patient.consents if c.id == consent_id), None)
    if consent is None:
        raise NotFound(f"consent {consent_id} not found")
    if consent.withdrawn_at is not None:
        raise FailedPrecondition(f"consent {consent_id} was already withdrawn")
    withdrawn = replace(consent, withdrawn_at=now, withdrawn_by=caller.subject)
    consents = tuple(withdrawn if c.id == consent_id else c for c in patient.consents)
    return replace(patient, consents=consents, updated_at=now, version=patient.version + 1), withdrawn


def may_share(patient: Patient, recipient: str, scope: str, now: datetime) -> bool:
    """Whether the patient's consents, as they stand now, let the clinic share `scope` with `recipient`."""
    return any(consent.covers(recipient, scope, now) for consent in patient.consents)


def require_consent(patient: Patient, recipient: str, scope: str, now: datetime) -> None:
    if not may_share(patient, recipient, scope, now):
        raise FailedPrecondition(f"patient {patient.id} has not consented to share {scope} with {recipient}")


@dataclass(frozen=True)
class PatientScope:
    """Which patients a caller may list: communities (None = all), or only one resident's."""

    communities: frozenset[str] | None = None
    resident_id: str | None = None


def list_scope(caller: Caller, community_id: str, resident_id: str = "") -> PatientScope:
    if caller.has_role("clinician"):
        if community_id:
            if not caller.serves(community_id):
                raise PermissionDenied(f"you do not serve community {community_id}")
            communities = frozenset({community_id})
        else:
            communities = None if caller.sees_all_communities else caller.communities
        return PatientScope(communities, resident_id or None)
    if caller.has_role("resident"):
        if resident_id and resident_id != caller.subject:
            return PatientScope(frozenset(), None)  # nobody else's record: an empty page
        return PatientScope(None, caller.subject)
    raise PermissionDenied("only clinicians, and residents for themselves, may list patients")
