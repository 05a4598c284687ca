"""Events the clinic publishes (payloads in proto/linli/clinic/v1/events.proto) and reads (eldercare's
care_request.raised, for the nurse's triage list)."""
from datetime import datetime

from linli.clinic.v1 import events_pb2, referrals_pb2
from linli.kit.events import envelope
from services.clinic import messages
from services.clinic.domain import organisations
from services.clinic.domain.referrals import (
    BACK_REFERRAL, REFERRAL_BACK_REFERRAL_RECEIVED, REFERRAL_CREATED, REFERRAL_STATUS_CHANGED, Referral)

SOURCE = "clinic"


def _info(r: Referral) -> events_pb2.ReferralEventInfo:
    return events_pb2.ReferralEventInfo(
        id=r.id, community_id=r.community_id, patient_id=r.patient_id, resident_id=r.resident_id,
        category=messages.fhir_number(referrals_pb2.ReferralCategory, r.content.category),
        priority=messages.fhir_number(referrals_pb2.ReferralPriority, r.content.priority),
        requester_id=r.requester, performer_id=r.performer, status=messages.task_status_number(r.status),
        business_status=r.business_status)


def created(referral: Referral) -> list[dict]:
    """referral.created, and for a back-referral also referral.back_referral_received (elder care's cue)."""
    at = referral.authored_on
    result = [envelope(SOURCE, REFERRAL_CREATED, referral.community_id,
                       events_pb2.ReferralCreated(referral=_info(referral)), at)]
    if referral.content.category == BACK_REFERRAL:
        f = referral.content.follow_up
        payload = events_pb2.ReferralBackReferralReceived(
            referral=_info(referral),
            follow_up=referrals_pb2.FollowUp(plan=f.plan, due_date=f.due_date, discharged_on=f.discharged_on),
            requester_name=organisations.organisation(referral.requester).name)
        result.append(envelope(SOURCE, REFERRAL_BACK_REFERRAL_RECEIVED, referral.community_id, payload, at))
    return result


def status_changed(referral: Referral, previous_status: str, changed_by: str, at: datetime) -> list[dict]:
    payload = events_pb2.ReferralStatusChanged(referral=_info(referral),
                                               previous_status=messages.task_status_number(previous_status),
                                               changed_by=changed_by)
    return [envelope(SOURCE, REFERRAL_STATUS_CHANGED, referral.community_id, payload, at)]


# -- consumed: eldercare's care_request.raised (read as plain JSON: the clinic never imports eldercare)

def raised_care_request(event: dict) -> dict:
    """The fields of an eldercare care_request.raised event the triage list needs."""
    request = event["data"]["care_request"]
    location = request.get("location") or {}
    where = " ".join(str(part) for part in (
        location.get("building", ""), location.get("unit", ""),
        f"{location['floor']}层" if location.get("floor") else "", location.get("detail", "")) if part)
    return {
        "id": request["id"], "community_id": request["community_id"], "elder_id": request["elder_id"],
        "kind": request.get("kind", "").removeprefix("CARE_KIND_").lower(),
        "description": request.get("description", ""), "location": where,
        "raised_at": datetime.fromisoformat(request["raised_at"]) if request.get("raised_at") else None,
        "scheduled_for": (datetime.fromisoformat(request["scheduled_for"]) if request.get("scheduled_for")
                          else None),
    }
