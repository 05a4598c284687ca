"""What more than one door of eldercare does, written once: the gRPC api and the Nameko worker both call
these, so a rule changed here holds for a call raised on the board and for one booked by an event alike.
Each use case orchestrates the pure domain and the store; it does no I/O of its own."""
import uuid
from datetime import datetime
from typing import Callable

from pymongo.client_session import ClientSession

from linli.kit.identity import Caller
from services.eldercare import events
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import residents
from services.eldercare.domain.care_requests import CareRequest, NewCareRequest
from services.eldercare.domain.residents import Elder
from services.eldercare.store.care_requests import CareRequestStore


def raise_care_request(caller: Caller, new: NewCareRequest, *, store: CareRequestStore,
                       elder_of: Callable[[str], Elder | None], policy, now: datetime,
                       family_of: frozenset[str] = frozenset(), session: ClientSession | None = None) -> CareRequest:
    """Raise a call for an elder registered in its community, with its care_request.raised event: at the
    elder's door when it names no place, with their home's position when they share it (or in an emergency).
    PermissionDenied before anything is looked up, then NotFound for an elder not registered there. With a
    session, the insert joins the caller's transaction (a worker's apply-once)."""
    # Who may raise first, so an id the caller has no link to says nothing about whether it exists.
    care.check_may_raise(caller, new, family_of)
    elder = residents.check_registered(elder_of(new.elder_id), new.elder_id, new.community_id)
    raised = care.raise_request(caller, residents.placed(new, elder), str(uuid.uuid4()), now, policy, family_of)
    return store.add(raised, events.raised(raised), session=session)


def follow_up_visit(back_referral: dict, now: datetime, zone: str) -> tuple[Caller, NewCareRequest]:
    """The home visit a partner hospital's back-referral asks for (the clinic's
    referral.back_referral_received data, read as plain JSON: eldercare never imports the clinic), raised
    in the clinic's name: a medical call booked for the morning of the plan's due date (the next morning
    without one), so it waits among the upcoming visits and its SLA clock starts then. One per referral:
    its request id is the referral's."""
    referral, plan = back_referral["referral"], back_referral.get("follow_up") or {}
    community_id = referral["community_id"]
    due = f"（{plan['due_date']}前）" if plan.get("due_date") else ""
    hospital = back_referral.get("requester_name") or referral.get("requester_id", "")
    description = f"出院随访: {plan.get('plan', '')}{due} —— {hospital}"[:care.MAX_DESCRIPTION]
    clinic = Caller("clinic", frozenset({"operator"}), frozenset({community_id}))
    return clinic, NewCareRequest(community_id, referral["resident_id"], "medical", "phone", description=description,
                                  request_id=f"back-referral:{referral['id']}"[:64],
                                  scheduled_for=care.follow_up_visit_time(plan.get("due_date", ""), now, zone))
