"""Referral rules (services/clinic/domain/referrals.py): the FHIR Task's statuses for both sides, what a
partner sees under the patient's consents, and submissions."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.clinic.domain import patients
from services.clinic.domain import referrals as ref
from services.clinic.domain.referrals import (
    ACCEPTED, CANCELLED, COMPLETED, FAILED, IN_PROGRESS, ON_HOLD, PERFORMER, RECEIVED, REJECTED, REQUESTED,
    REQUESTER, TASK_STATUSES)

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
COMMUNITY = "donghuayuan"
CLINIC = "clinic-donghuayuan"
CITY, DISTRICT = "city-central-hospital", "district-hospital"
PARTNERS = frozenset({CITY, DISTRICT})
NURSE = Caller("nurse-zhao", frozenset({"clinician"}), frozenset({COMMUNITY}))
CONTENT = ref.Content("referral", "urgent", "胸闷气短两周", "高血压十年")


def patient(*consents: tuple[str, tuple[str, ...]]) -> patients.Patient:
    p = patients.register(NURSE, "pt-1", COMMUNITY, "elder-dq-0312",
                          patients.PatientDetails("刘桂兰", "female", "1948-03-12", problems=("高血压",),
                                                  medications=("硝苯地平",), allergies=("青霉素",)), NOW)
    for i, (recipient, scopes) in enumerate(consents):
        p, _ = patients.grant_consent(NURSE, p, f"c-{i}", scopes, recipient, None, PARTNERS, NOW)
    return p


def referral_up(status: str = REQUESTED, **changes) -> ref.Referral:
    r = ref.create_outbound(NURSE, patient((CITY, (patients.REFERRAL,))), "ref-1", CITY, CONTENT, "", None, PARTNERS, NOW)
    return replace(r, status=status, **changes)


ORG = {REQUESTER: CLINIC, PERFORMER: CITY}


def move(referral, side, status, reason="", business=""):
    return ref.update_task(referral, ORG[side], "someone", status, business, reason, NOW + timedelta(minutes=1))


# -- the Task: which side may set which status, from where -----------------------------------------------

CASES = [(side, current, target) for side in (REQUESTER, PERFORMER) for current in TASK_STATUSES
         for target in TASK_STATUSES if target != current]


@pytest.mark.parametrize("side,current,target", CASES)
def test_each_side_sets_only_its_own_statuses_and_only_from_where_the_table_allows(side, current, target):
    referral = referral_up(current, outcomes=(ref.Outcome("o-1", CITY, CITY, "PCI术后好转", (), NOW),))
    allowed = ref.MOVES.get((side, target))
    if allowed is None:
        with pytest.raises(PermissionDenied):
            move(referral, side, target, reason="理由")
    elif current not in allowed:
        with pytest.raises(FailedPrecondition):
            move(referral, side, target, reason="理由")
    else:
        moved = move(referral, side, target, reason="理由")
        assert moved.status == target and moved.version == referral.version + 1
        assert moved.history[-1].organisation_id == ORG[side] and moved.history[-1].status == target


def test_the_requester_may_set_only_cancelled_and_the_performer_everything_else():
    assert ref.STATUSES_OF[REQUESTER] == (CANCELLED,)
    assert set(ref.STATUSES_OF[PERFORMER]) == {RECEIVED, ACCEPTED, REJECTED, IN_PROGRESS, ON_HOLD, FAILED, COMPLETED}


def test_final_statuses_change_no_more():
    for final in ref.FINAL_STATUSES:
        referral = referral_up(final)
        assert all((side, target) not in ref.MOVES or final not in ref.MOVES[(side, target)]
                   for side in (REQUESTER, PERFORMER) for target in TASK_STATUSES)
        with pytest.raises(FailedPrecondition):
            move(referral, PERFORMER, "", business="visit-scheduled")


@pytest.mark.parametrize("side,status,start", [(PERFORMER, REJECTED, REQUESTED), (PERFORMER, FAILED, IN_PROGRESS),
                                               (REQUESTER, CANCELLED, ACCEPTED)])
def test_rejecting_failing_and_cancelling_need_a_reason(side, status, start):
    with pytest.raises(InvalidArgument) as error:
        move(referral_up(start), side, status)
    assert "reason" in error.value.fields
    moved = move(referral_up(start), side, status, reason="床位已满，建议转区医院")
    assert moved.status_reason == "床位已满，建议转区医院"


def test_completing_needs_an_outcome_from_the_performer():
    with pytest.raises(FailedPrecondition, match="outcome"):
        move(referral_up(IN_PROGRESS), PERFORMER, COMPLETED)
    with_outcome = ref.attach_outcome(referral_up(IN_PROGRESS), CITY, CITY, "o-1", "冠脉造影：前降支狭窄70%，已植入支架", (),
                                      NOW)
    assert move(with_outcome, PERFORMER, COMPLETED).status == COMPLETED


def test_only_the_performer_attaches_outcomes_and_only_from_acceptance_on():
    with pytest.raises(PermissionDenied):
        ref.attach_outcome(referral_up(IN_PROGRESS), CLINIC, "nurse-zhao", "o-1", "结果", (), NOW)
    with pytest.raises(FailedPrecondition):
        ref.attach_outcome(referral_up(REQUESTED), CITY, CITY, "o-1", "结果", (), NOW)
    with pytest.raises(InvalidArgument):
        ref.attach_outcome(referral_up(ACCEPTED), CITY, CITY, "o-1", "  ", (), NOW)
    attachment = ref.Attachment("", "出院小结.pdf", "application/pdf", 120_000, "https://his.example/doc/1")
    done = ref.attach_outcome(referral_up(ACCEPTED), CITY, CITY, "o-1", "已收治", (attachment,), NOW)
    assert done.outcomes[0].attachments[0].id == "o-1-att-1"


def test_only_the_performer_sets_a_business_status_and_a_new_status_clears_it():
    with pytest.raises(PermissionDenied):
        move(referral_up(ACCEPTED), REQUESTER, "", business="visit-scheduled")
    scheduled = move(referral_up(ACCEPTED), PERFORMER, "", business="visit-scheduled")
    assert (scheduled.status, scheduled.business_status) == (ACCEPTED, "visit-scheduled")
    started = move(scheduled, PERFORMER, IN_PROGRESS)
    assert started.business_status == ""
    admitted = move(scheduled, PERFORMER, IN_PROGRESS, business="admitted")
    assert admitted.business_status == "admitted"
    with pytest.raises(InvalidArgument):
        move(scheduled, PERFORMER, "", business="Visit Scheduled!")


def test_setting_what_already_holds_changes_nothing_so_a_retry_is_safe():
    accepted = move(referral_up(), PERFORMER, ACCEPTED)
    assert move(accepted, PERFORMER, ACCEPTED) is accepted
    cancelled = move(referral_up(), REQUESTER, CANCELLED, reason="患者拒绝转诊")
    assert move(cancelled, REQUESTER, CANCELLED, reason="患者拒绝转诊") is cancelled


def test_an_organisation_that_is_neither_side_may_not_touch_the_task():
    with pytest.raises(PermissionDenied):
        ref.update_task(referral_up(), DISTRICT, DISTRICT, ACCEPTED, "", "", NOW)


# -- creating ------------------------------------------------------------------------------------------

def test_a_clinician_refers_up_only_with_the_patients_consent_to_referrals_with_that_hospital():
    with pytest.raises(FailedPrecondition, match="consented"):
        ref.create_outbound(NURSE, patient(), "ref-1", CITY, CONTENT, "", None, PARTNERS, NOW)
    with pytest.raises(FailedPrecondition):
        ref.create_outbound(NURSE, patient((DISTRICT, (patients.REFERRAL,))), "ref-1", CITY, CONTENT, "", None,
                            PARTNERS, NOW)
    r = ref.create_outbound(NURSE, patient(("*", (patients.REFERRAL,))), "ref-1", CITY, CONTENT, "r-1", None,
                            PARTNERS, NOW)
    assert (r.requester, r.performer, r.status, r.community_id) == (CLINIC, CITY, REQUESTED, COMMUNITY)


def test_only_clinicians_serving_the_community_refer_and_only_to_listed_partners():
    someone = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY}))
    elsewhere = Caller("nurse-qian", frozenset({"clinician"}), frozenset({"other"}))
    consenting = patient(("*", (patients.REFERRAL,)))
    for caller in (someone, elsewhere):
        with pytest.raises(PermissionDenied):
            ref.create_outbound(caller, consenting, "ref-1", CITY, CONTENT, "", None, PARTNERS, NOW)
    with pytest.raises(InvalidArgument) as error:
        ref.create_outbound(NURSE, consenting, "ref-1", "rural-hospital", CONTENT, "", None, PARTNERS, NOW)
    assert "performer_id" in error.value.fields


def test_a_referral_is_validated_field_by_field():
    bad = ref.Content("referral", "whenever", "", "x" * 5000, follow_up=ref.FollowUp("随访"),
                      attachments=(ref.Attachment("", "", "", -1, ""),))
    with pytest.raises(InvalidArgument) as error:
        ref.validate_content(bad)
    assert {"content.priority", "content.reason", "content.clinical_summary", "content.follow_up",
            "content.attachments[0].title", "content.attachments[0].url",
            "content.attachments[0].size_bytes"} <= set(error.value.fields)


def test_a_back_referral_comes_from_a_hospital_with_a_follow_up_plan():
    up = referral_up()
    back = ref.Content("back-referral", "routine", "PCI术后出院", based_on=up.id)
    with pytest.raises(InvalidArgument) as error:
        ref.submit_inbound(CITY, patient(), "pt-1", "ref-2", "", back, "d-1", up, NOW)
    assert "content.follow_up" in error.value.fields
    plan = replace(back, follow_up=ref.FollowUp("一周后上门测血压", "2026-12-08", "2026-12-01"))
    r = ref.submit_inbound(CITY, patient(), "pt-1", "ref-2", "", plan, "d-1", up, NOW)
    assert (r.requester, r.performer, r.content.category) == (CITY, CLINIC, "back-referral")
    with pytest.raises(InvalidArgument):
        ref.create_outbound(NURSE, patient(("*", (patients.REFERRAL,))), "ref-3", CITY, plan, "", None, PARTNERS, NOW)


def test_a_partner_addresses_only_patients_it_shares_a_referral_with():
    with pytest.raises(NotFound):
        ref.submit_inbound(DISTRICT, None, "pt-1", "ref-2", "", CONTENT, "d-1", None, NOW)
    up = referral_up()  # with the city hospital
    with pytest.raises(NotFound):  # based on a referral the district hospital is not party to
        ref.submit_inbound(DISTRICT, patient(), "pt-1", "ref-2", "", replace(CONTENT, based_on=up.id), "d-1", up, NOW)
    with pytest.raises(InvalidArgument):
        ref.submit_inbound(CITY, patient(), "pt-1", "ref-2", "clinic-elsewhere", CONTENT, "d-1", None, NOW)


def test_a_request_id_back_with_the_same_content_is_a_retry_and_with_other_content_is_refused():
    first = ref.submit_inbound(CITY, patient(), "pt-1", "ref-2", "", CONTENT, "d-1", None, NOW)
    again = ref.submit_inbound(CITY, patient(), "pt-1", "ref-3", "", CONTENT, "d-1", None, NOW + timedelta(seconds=5))
    assert ref.check_retry(first, again) is first
    other = ref.submit_inbound(CITY, patient(), "pt-1", "ref-4", "", replace(CONTENT, reason="另一件事"), "d-1", None, NOW)
    with pytest.raises(AlreadyExists):
        ref.check_retry(first, other)


# -- what a partner sees -------------------------------------------------------------------------------

def test_with_consent_a_partner_sees_the_patient_and_the_summary_record_it_was_given():
    p = patient((CITY, (patients.REFERRAL, patients.SUMMARY)))
    view = ref.partner_view(referral_up(), p, CITY, NOW)
    assert view.subject.name == "刘桂兰" and view.referral.content.reason == CONTENT.reason
    assert view.summary.problems == ("高血压",) and view.summary.results == ()
    assert view.withheld == {ref.RESULTS}


def test_without_consent_the_patient_and_everything_the_clinic_wrote_are_withheld():
    p = patient()
    r = move(referral_up(REQUESTED), REQUESTER, CANCELLED, reason="患者已去外地")
    view = ref.partner_view(r, p, CITY, NOW)
    assert view.subject is None and view.summary is None
    assert view.referral.content.reason == "" and view.referral.content.clinical_summary == ""
    assert view.referral.status == CANCELLED and view.referral.status_reason == ""
    assert all(t.reason == "" for t in view.referral.history)
    assert view.withheld == {ref.SUBJECT, ref.CLINICAL, ref.SUMMARY, ref.RESULTS}


def test_what_a_partner_wrote_itself_stays_visible_to_it_without_consent():
    mine = ref.submit_inbound(CITY, patient(), "pt-1", "ref-2", "", CONTENT, "d-1", None, NOW)
    view = ref.partner_view(mine, patient(), CITY, NOW)
    assert view.referral.content.reason == CONTENT.reason and ref.CLINICAL not in view.withheld
    assert view.subject is None


def test_a_withdrawn_or_expired_consent_stops_sharing_at_that_moment():
    p = patient((CITY, (patients.REFERRAL,)))
    assert ref.partner_view(referral_up(), p, CITY, NOW).subject is not None
    withdrawn, _ = patients.withdraw_consent(NURSE, p, "c-0", NOW + timedelta(seconds=1))
    assert ref.partner_view(referral_up(), withdrawn, CITY, NOW + timedelta(seconds=1)).subject is None
    expiring, _ = patients.grant_consent(NURSE, patient(), "c-9", (patients.REFERRAL,), CITY,
                                         NOW + timedelta(days=30), PARTNERS, NOW)
    assert ref.partner_view(referral_up(), expiring, CITY, NOW + timedelta(days=29)).subject is not None
    assert ref.partner_view(referral_up(), expiring, CITY, NOW + timedelta(days=30)).subject is None


def test_partners_see_only_referrals_they_sent_or_received():
    with pytest.raises(NotFound):
        ref.check_partner_visible(DISTRICT, referral_up(), "ref-1")
    assert ref.check_partner_visible(CITY, referral_up(), "ref-1").id == "ref-1"
