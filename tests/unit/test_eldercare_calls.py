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
