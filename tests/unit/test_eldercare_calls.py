"""The rules of calls on care requests (services/eldercare/domain/care_requests.py): who answers, what
answering does to the request, how calls end, who may take part."""
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.eldercare.domain import care_requests as care
from services.eldercare.policy import DEFAULT_POLICY

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)
COMMUNITY = "donghuayuan"
TERMINAL = Caller("pager-1", frozenset({"device"}), frozenset({COMMUNITY}))
WANG = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY}))
LI = Caller("op-li", frozenset({"operator"}), frozenset({COMMUNITY}))
ELSEWHERE = Caller("op-xinhe", frozenset({"operator"}), frozenset({"xinhe"}))
FAMILY = Caller("son", frozenset({"family"}), frozenset({COMMUNITY}))


def ringing(kind="emergency"):
    raised = care.raise_request(WANG, care.NewCareRequest(COMMUNITY, "elder-1", kind, "device", device_id="pager-1"),
                                "cr-1", T0, DEFAULT_POLICY)
    return care.offer_call(raised, "call-1", "audio", "pager-1", "pager-1", T0, "138 0413 1001", new=True)


def test_answering_the_elders_call_acknowledges_the_request_at_that_moment():
    answered, event = care.answer_call(WANG, ringing(), "", T0 + timedelta(seconds=12))
    assert event == care.CARE_REQUEST_ACKNOWLEDGED
    assert (answered.status, answered.acknowledged_by, answered.acknowledged_at) == (
        care.ACKNOWLEDGED, "op-wang", T0 + timedelta(seconds=12))
    assert answered.escalate_at is None  # the SLA clock stopped
    assert (answered.calls[0].state, answered.calls[0].answered_by) == (care.CALL_ANSWERED, "op-wang")
    assert answered.version == 2


def test_a_second_operator_hears_who_answered_and_may_neither_join_nor_end_the_call():
    answered, _ = care.answer_call(WANG, ringing(), "call-1", T0)
    with pytest.raises(FailedPrecondition, match="already answered by op-wang"):
        care.answer_call(LI, answered, "call-1", T0)
    with pytest.raises(FailedPrecondition, match="op-wang"):
        care.call_role(LI, answered, answered.id)
    with pytest.raises(PermissionDenied):
        care.end_call(LI, answered, "", care.HUNG_UP, T0)
    assert care.call_role(WANG, answered, answered.id) == care.OPERATOR
    assert care.call_role(TERMINAL, answered, answered.id) == care.TERMINAL


def test_nobody_of_another_community_and_no_other_terminal_takes_part():
    request = ringing()
    for caller in (ELSEWHERE, Caller("pager-2", frozenset({"device"}), frozenset({COMMUNITY})),
                   Caller("pager-1", frozenset({"device"}), frozenset({"xinhe"}))):
        with pytest.raises(NotFound):
            care.call_role(caller, request, request.id)
    with pytest.raises(PermissionDenied):  # family follow the request but do not take its calls
        care.call_role(FAMILY, request, request.id, frozenset({"elder-1"}))


def test_hanging_up_records_when_why_who_and_how_long():
    answered, _ = care.answer_call(WANG, ringing(), "", T0 + timedelta(seconds=5))
    ended = care.end_call(TERMINAL, answered, "", care.HUNG_UP, T0 + timedelta(seconds=95))
    call = ended.calls[0]
    assert (call.state, call.end_reason, call.ended_by, call.duration_seconds) == (
        care.CALL_ENDED, care.HUNG_UP, "pager-1", 90)
    assert ended.live_call is None
    with pytest.raises(FailedPrecondition, match="has ended"):
        care.end_call(WANG, ended, "call-1", care.HUNG_UP, T0)
    with pytest.raises(InvalidArgument):
        care.end_call(WANG, answered, "", care.UNANSWERED, T0)  # the platform's reason, not a participant's


def test_escalating_a_ringing_call_ends_it_unanswered_and_leaves_an_answered_one_alone():
    request = ringing()
    due = request.acknowledge_due_at
    escalated = care.escalate(request, due, DEFAULT_POLICY)
    assert (escalated.escalation_level, escalated.calls[0].end_reason) == (1, care.UNANSWERED)
    assert escalated.calls[0].duration_seconds == 0


def test_a_call_back_rings_the_elders_terminal_once_no_call_is_live():
    request = ringing("medical")
    with pytest.raises(FailedPrecondition, match="already has a call"):
        care.ring_terminal(WANG, request, "call-2", "pager-1", "audio", "", T0)
    ended = care.end_call(WANG, request, "", care.MEDIA_FAILED, T0)
    rung = care.ring_terminal(WANG, ended, "call-2", "pager-1", "audio", "", T0 + timedelta(minutes=1))
    call = rung.live_call
    assert (call.direction, call.offered_by, call.media, call.state) == (care.TO_TERMINAL, "op-wang", "audio",
                                                                         care.CALL_RINGING)
    with pytest.raises(PermissionDenied):  # an operator does not pick up their own call to the terminal
        care.answer_call(LI, rung, "call-2", T0)
    picked_up, event = care.answer_call(TERMINAL, rung, "call-2", T0 + timedelta(minutes=1, seconds=3))
    assert event == care.CARE_REQUEST_CALL_ANSWERED and picked_up.live_call.answered_by == "pager-1"
    with pytest.raises(FailedPrecondition, match="voice calls only"):
        care.ring_terminal(WANG, ended, "call-3", "pager-1", "audio", "audio_video", T0)
    with pytest.raises(FailedPrecondition, match="no terminal"):
        care.ring_terminal(WANG, ended, "call-3", "", "", "", T0)


# -- a third person in a call, and recording ------------------------------------------------------------

CLINICIAN = Caller("dr-sun", frozenset({"clinician"}), frozenset({COMMUNITY}))
SPECIALIST_TOKEN = "ab" * 32


def in_call():
    answered, _ = care.answer_call(WANG, ringing(), "", T0)
    return answered


def test_an_invited_clinician_joins_until_the_invitation_expires_and_may_come_back_once_joined():
    invited = care.invite_to_call(WANG, in_call(), "g-1", care.GUEST_CLINICIAN, "dr-sun", 60, "", T0)
    assert care.call_role(CLINICIAN, invited, invited.id, now=T0 + timedelta(seconds=59)) == care.GUEST_CLINICIAN
    with pytest.raises(FailedPrecondition, match="expired"):
        care.call_role(CLINICIAN, invited, invited.id, now=T0 + timedelta(seconds=60))
    joined = care.record_guest_presence(CLINICIAN, invited, "g-1", True, T0 + timedelta(seconds=30))
    assert care.call_role(CLINICIAN, joined, joined.id, now=T0 + timedelta(minutes=5)) == care.GUEST_CLINICIAN
    left = care.record_guest_presence(CLINICIAN, joined, "g-1", False, T0 + timedelta(minutes=6))
    guest = left.calls[-1].guests[0]
    assert (guest.joined_at, guest.left_at) == (T0 + timedelta(seconds=30), T0 + timedelta(minutes=6))


def test_a_clinician_of_another_community_never_joins_even_when_named():
    invited = care.invite_to_call(WANG, in_call(), "g-1", care.GUEST_CLINICIAN, "dr-sun", 60, "", T0)
    far = Caller("dr-sun", frozenset({"clinician"}), frozenset({"xinhe"}))
    with pytest.raises(NotFound):
        care.call_role(far, invited, invited.id, now=T0)


def test_only_the_operator_on_the_call_invites_and_a_family_guest_must_be_the_elders_contact():
    with pytest.raises(PermissionDenied):
        care.invite_to_call(LI, in_call(), "g-1", care.GUEST_CLINICIAN, "dr-sun", 60, "", T0)
    with pytest.raises(NotFound):
        care.invite_to_call(ELSEWHERE, in_call(), "g-1", care.GUEST_CLINICIAN, "dr-sun", 60, "", T0)
    with pytest.raises(InvalidArgument, match="family contact"):
        care.invite_to_call(WANG, in_call(), "g-1", care.GUEST_FAMILY, "stranger", 60, "", T0, frozenset({"son"}))
    with pytest.raises(FailedPrecondition, match="no call in progress"):
        care.invite_to_call(WANG, ringing(), "g-1", care.GUEST_CLINICIAN, "dr-sun", 60, "", T0)


def test_the_clinician_in_the_call_brings_in_a_specialist_who_is_known_by_the_token_alone():
    invited = care.invite_to_call(WANG, in_call(), "g-1", care.GUEST_CLINICIAN, "dr-sun", 60, "", T0)
    with pytest.raises(PermissionDenied):  # invited, not yet in the call
        care.invite_to_call(CLINICIAN, invited, "g-2", care.GUEST_SPECIALIST, "hosp-chen", 60, SPECIALIST_TOKEN, T0)
    joined = care.record_guest_presence(CLINICIAN, invited, "g-1", True, T0)
    with_specialist = care.invite_to_call(CLINICIAN, joined, "g-2", care.GUEST_SPECIALIST, "hosp-chen", 60,
                                          SPECIALIST_TOKEN, T0)
    anyone = Caller("call-invitation", frozenset(), frozenset())
    assert care.call_role(anyone, with_specialist, "cr-1", now=T0, token_sha256=SPECIALIST_TOKEN) == care.GUEST_SPECIALIST
    with pytest.raises(NotFound):
        care.call_role(anyone, with_specialist, "cr-1", now=T0, token_sha256="cd" * 32)


def test_a_call_is_recorded_only_with_the_elders_consent_and_kept_for_the_retention():
    from services.eldercare.domain import recordings
    with pytest.raises(FailedPrecondition, match="not consented"):
        recordings.record(WANG, in_call(), "", False, "audio/wav", 10, "00", "r-1", T0, timedelta(days=30))
    with pytest.raises(PermissionDenied):
        recordings.record(LI, in_call(), "", True, "audio/wav", 10, "00", "r-1", T0, timedelta(days=30))
    kept = recordings.record(WANG, in_call(), "", True, "audio/wav", 10, "00", "r-1", T0, timedelta(days=30))
    assert (kept.call_id, kept.purge_after) == ("call-1", T0 + timedelta(days=30))
