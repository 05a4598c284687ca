"""Patients, their summary records and consents (services/clinic/domain/patients.py)."""
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.clinic.domain import patients

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
COMMUNITY = "donghuayuan"
PARTNERS = frozenset({"city-central-hospital", "district-hospital"})
NURSE = Caller("nurse-zhao", frozenset({"clinician"}), frozenset({COMMUNITY}))
ELDER = Caller("elder-dq-0312", frozenset({"resident"}), frozenset({COMMUNITY}))


def patient() -> patients.Patient:
    return patients.register(NURSE, "pt-1", COMMUNITY, "elder-dq-0312",
                             patients.PatientDetails("刘桂兰", "female", "1948-03-12", "138 0413 1001", ("高血压",)), NOW)


@pytest.mark.parametrize("caller", [
    Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY})),
    Caller("admin-sun", frozenset({"administrator"}), frozenset({"*"})),
    Caller("family-1", frozenset({"family"}), frozenset({COMMUNITY})),
    Caller("nurse-qian", frozenset({"clinician"}), frozenset({"other"})),
    Caller("elder-dq-0313", frozenset({"resident"}), frozenset({COMMUNITY})),
])
def test_only_the_patient_and_clinicians_serving_their_community_see_the_record(caller):
    with pytest.raises(NotFound):
        patients.check_visible(caller, patient(), "pt-1")
    assert patients.check_visible(NURSE, patient(), "pt-1").id == "pt-1"
    assert patients.check_visible(ELDER, patient(), "pt-1").id == "pt-1"


def test_only_clinicians_serving_the_community_register_and_change_records():
    details = patients.PatientDetails("刘桂兰")
    with pytest.raises(PermissionDenied):
        patients.register(ELDER, "pt-1", COMMUNITY, "elder-dq-0312", details, NOW)
    with pytest.raises(PermissionDenied):
        patients.update_summary(ELDER, patient(), details, {"problems"}, NOW)


def test_registration_is_validated_field_by_field():
    with pytest.raises(InvalidArgument) as error:
        patients.register(NURSE, "pt-1", COMMUNITY, "", patients.PatientDetails(
            "", "unknown", "12/03/1948", "call me", ("",)), NOW)
    assert set(error.value.fields) == {"resident_id", "details.name", "details.sex", "details.birth_date",
                                       "details.phone", "details.problems"}


def test_a_summary_update_changes_only_the_named_lists():
    changed = patients.update_summary(NURSE, patient(), patients.PatientDetails("", medications=("硝苯地平", "阿司匹林")),
                                      {"medications"}, NOW)
    assert changed.details.medications == ("硝苯地平", "阿司匹林") and changed.details.problems == ("高血压",)
    with pytest.raises(InvalidArgument):
        patients.update_summary(NURSE, patient(), patients.PatientDetails(""), {"name"}, NOW)


def test_results_are_kept_most_recent_first():
    p = patient()
    p, _ = patients.add_result(NURSE, p, "r-1", "ecg", "静息心电图", "2026-10-01", "ecg://station/1", "", NOW)
    p, latest = patients.add_result(NURSE, p, "r-2", "lab", "血脂", "2026-11-20", "lab://2", "", NOW)
    assert [r.id for r in p.results] == ["r-2", "r-1"] and latest.recorded_by == "nurse-zhao"
    with pytest.raises(InvalidArgument) as error:
        patients.add_result(NURSE, p, "r-3", "x-ray", "", "yesterday", "", "", NOW)
    assert set(error.value.fields) == {"type", "title", "date", "reference"}


def test_the_patient_or_a_clinician_records_consent_and_others_may_not():
    p, consent = patients.grant_consent(ELDER, patient(), "c-1", ("referral", "summary"), "city-central-hospital",
                                        None, PARTNERS, NOW)
    assert consent.granted_by == "elder-dq-0312" and consent.active(NOW)
    with pytest.raises(PermissionDenied):
        patients.grant_consent(Caller("op", frozenset({"operator"}), frozenset({COMMUNITY})), patient(), "c-1",
                               ("referral",), "*", None, PARTNERS, NOW)
    with pytest.raises(InvalidArgument) as error:
        patients.grant_consent(NURSE, patient(), "c-1", ("everything",), "rural-hospital", NOW, PARTNERS, NOW)
    assert set(error.value.fields) == {"scopes", "recipient", "expires_at"}


def test_a_consent_covers_its_scopes_its_recipient_or_every_partner_until_it_expires_or_is_withdrawn():
    p, _ = patients.grant_consent(NURSE, patient(), "c-1", ("referral",), "city-central-hospital",
                                  NOW + timedelta(days=7), PARTNERS, NOW)
    p, _ = patients.grant_consent(NURSE, p, "c-2", ("teleconsultation",), "*", None, PARTNERS, NOW)
    assert patients.may_share(p, "city-central-hospital", "referral", NOW)
    assert not patients.may_share(p, "district-hospital", "referral", NOW)
    assert not patients.may_share(p, "city-central-hospital", "summary", NOW)
    assert patients.may_share(p, "district-hospital", "teleconsultation", NOW)
    assert not patients.may_share(p, "city-central-hospital", "referral", NOW + timedelta(days=7))
    withdrawn, consent = patients.withdraw_consent(ELDER, p, "c-2", NOW + timedelta(minutes=1))
    assert consent.withdrawn_by == "elder-dq-0312"
    assert not patients.may_share(withdrawn, "district-hospital", "teleconsultation", NOW + timedelta(minutes=1))
    with pytest.raises(FailedPrecondition):
        patients.withdraw_consent(ELDER, withdrawn, "c-2", NOW)
    with pytest.raises(NotFound):
        patients.withdraw_consent(ELDER, withdrawn, "c-404", NOW)


def test_lists_are_scoped_to_the_callers_communities_or_their_own_record():
    assert patients.list_scope(NURSE, "").communities == {COMMUNITY}
    assert patients.list_scope(ELDER, "").resident_id == "elder-dq-0312"
    with pytest.raises(PermissionDenied):
        patients.list_scope(NURSE, "other")
    with pytest.raises(PermissionDenied):
        patients.list_scope(Caller("admin", frozenset({"administrator"}), frozenset({"*"})), "")
