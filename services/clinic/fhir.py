"""A referral as HL7 FHIR R4 JSON, for partners that speak FHIR: a Bundle (type "collection") holding
the ServiceRequest and the Task that tracks it. Built from the same view a caller gets over gRPC, so
what is withheld there is absent here too.

Codes: ServiceRequest.category uses SNOMED CT 3457005 "Patient referral" (and 306206005 "Referral to
service" for a back-referral's follow-up); priority and Task.status are FHIR's own value sets; the
business status and the withheld parts use Linli's code systems below.
"""
import json
from datetime import datetime

from services.clinic.domain import organisations
from services.clinic.domain.referrals import (
    ACCEPTED, BACK_REFERRAL, CANCELLED, COMPLETED, FAILED, IN_PROGRESS, ON_HOLD, RECEIVED, REJECTED, REQUESTED,
    ReferralView)

LINLI = "https://linli.example/fhir"
BUSINESS_STATUS_SYSTEM = f"{LINLI}/CodeSystem/referral-business-status"
WITHHELD_SYSTEM = f"{LINLI}/CodeSystem/withheld-part"
REQUEST_ID_SYSTEM = f"{LINLI}/NamingSystem/requester-request-id"
SNOMED = "http://snomed.info/sct"
CATEGORY = {"referral": ("3457005", "Patient referral"), BACK_REFERRAL: ("306206005", "Referral to service")}
DOCUMENT_LOINC = {"ecg": ("11524-6", "EKG study"), "lab": ("11502-2", "Laboratory report"),
                  "imaging": ("18748-4", "Diagnostic imaging study"),
                  "discharge_summary": ("18842-5", "Discharge summary"),
                  "referral_letter": ("57133-1", "Referral note"), "other": ("34109-9", "Note")}

# ServiceRequest.status follows the Task: still wanted (active), done (completed), or given up (revoked).
REQUEST_STATUS = {REQUESTED: "active", RECEIVED: "active", ACCEPTED: "active", IN_PROGRESS: "active",
                  ON_HOLD: "on-hold", COMPLETED: "completed", REJECTED: "revoked", FAILED: "revoked",
                  CANCELLED: "revoked"}


def _instant(value: datetime | None) -> str | None:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z") if value else None


def _organisation(organisation_id: str) -> dict:
    return {"reference": f"Organization/{organisation_id}", "display": organisations.organisation(organisation_id).name}


def _attachment(a) -> dict:
    attachment = {"contentType": a.content_type, "url": a.url, "title": a.title, "size": a.size_bytes}
    if a.created_at:
        attachment["creation"] = _instant(a.created_at)
    return attachment


def _drop_empty(value):
    """FHIR forbids empty strings, arrays and objects: leave such elements out."""
    if isinstance(value, dict):
        cleaned = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (_drop_empty(v) for v in value) if v not in (None, "", [], {})]
    return value


def service_request(view: ReferralView) -> dict:
    r, c = view.referral, view.referral.content
    code, display = CATEGORY[c.category]
    contained = [{"resourceType": "DocumentReference", "id": a.id, "status": "current",
                  "content": [{"attachment": _attachment(a)}]} for a in c.attachments]
    subject = {"reference": f"Patient/{r.patient_id}"}
    if view.subject is not None:
        subject["display"] = view.subject.name
    notes = [{"text": c.clinical_summary}]
    if c.follow_up is not None:
        f = c.follow_up
        notes.append({"text": "Follow-up plan: " + f.plan
                      + (f" (due {f.due_date})" if f.due_date else "")
                      + (f"; discharged {f.discharged_on}" if f.discharged_on else "")})
    if view.summary is not None:
        s = view.summary
        for label, items in (("Problems", s.problems), ("Medications", s.medications), ("Allergies", s.allergies)):
            if items:
                notes.append({"text": f"{label}: " + "; ".join(items)})
        for doc in s.results:
            loinc, name = DOCUMENT_LOINC.get(doc.type, DOCUMENT_LOINC["other"])
            contained.append({"resourceType": "DocumentReference", "id": f"result-{doc.id}", "status": "current",
                              "type": {"coding": [{"system": "http://loinc.org", "code": loinc, "display": name}]},
                              "date": _instant(doc.recorded_at),
                              "content": [{"attachment": {"url": doc.reference, "title": doc.title,
                                                          "contentType": doc.content_type}}]})
    resource = {
        "resourceType": "ServiceRequest",
        "id": r.id,
        "meta": {"versionId": str(r.version), "lastUpdated": _instant(r.last_modified),
                 "security": [{"system": WITHHELD_SYSTEM, "code": part} for part in sorted(view.withheld)]},
        "contained": contained,
        "identifier": [{"system": f"{REQUEST_ID_SYSTEM}/{r.requester}", "value": r.request_id}] if r.request_id else [],
        "basedOn": [{"reference": f"ServiceRequest/{c.based_on}"}] if c.based_on else [],
        "status": REQUEST_STATUS[r.status],
        "intent": "order",
        "category": [{"coding": [{"system": SNOMED, "code": code, "display": display}], "text": c.category}],
        "priority": c.priority,
        "subject": subject,
        "authoredOn": _instant(r.authored_on),
        "requester": {**_organisation(r.requester), **({"display": c.practitioner} if c.practitioner else {})},
        "performer": [_organisation(r.performer)],
        "reasonCode": [{"text": c.reason}],
        "supportingInfo": [{"reference": f"#{item['id']}"} for item in contained],
        "note": notes,
    }
    return _drop_empty(resource)


def task(view: ReferralView) -> dict:
    r = view.referral
    outputs = [{"type": {"text": "outcome"}, "valueString": o.text} for o in r.outcomes]
    outputs += [{"type": {"text": "outcome attachment"}, "valueAttachment": _attachment(a)}
                for o in r.outcomes for a in o.attachments]
    resource = {
        "resourceType": "Task",
        "id": r.id,
        "meta": {"versionId": str(r.version), "lastUpdated": _instant(r.last_modified)},
        "basedOn": [{"reference": f"ServiceRequest/{r.id}"}],
        "status": r.status,
        "statusReason": {"text": r.status_reason},
        "businessStatus": {"coding": [{"system": BUSINESS_STATUS_SYSTEM, "code": r.business_status}],
                           "text": r.business_status} if r.business_status else None,
        "intent": "order",
        "priority": r.content.priority,
        "focus": {"reference": f"ServiceRequest/{r.id}"},
        "for": {"reference": f"Patient/{r.patient_id}"},
        "authoredOn": _instant(r.authored_on),
        "lastModified": _instant(r.last_modified),
        "requester": _organisation(r.requester),
        "owner": _organisation(r.performer),
        "note": [{"text": f"{t.status}" + (f" ({t.business_status})" if t.business_status else "")
                          + f" by {t.organisation_id}" + (f": {t.reason}" if t.reason else ""),
                  "time": _instant(t.at)} for t in r.history],
        "output": outputs,
    }
    return _drop_empty(resource)


def bundle(view: ReferralView) -> dict:
    r = view.referral
    return {
        "resourceType": "Bundle",
        "id": f"referral-{r.id}",
        "type": "collection",
        "timestamp": _instant(r.last_modified),
        "entry": [{"fullUrl": f"{LINLI}/ServiceRequest/{r.id}", "resource": service_request(view)},
                  {"fullUrl": f"{LINLI}/Task/{r.id}", "resource": task(view)}],
    }


def bundle_json(view: ReferralView) -> str:
    return json.dumps(bundle(view), ensure_ascii=False, separators=(",", ":"))
