"""Teleconsultations (services/clinic/domain/teleconsultations.py): requested → scheduled → in progress
→ completed, cancelled or no-show, with consent and an unguessable link."""
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.clinic.domain import patients
from services.clinic.domain import teleconsultations as tele

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
COMMUNITY = "donghuayuan"
CITY = "city-central-hospital"
PARTNERS = frozenset({CITY, "district-hospital"})
NURSE = Caller("nurse-zhao", frozenset({"clinician"}), frozenset({COMMUNITY}))
ELDER = Caller("elder-dq-0312", frozenset({"resident"}), frozenset({COMMUNITY}))
TOKEN = "k" * 43


def patient(consenting: bool = True) -> patients.Patient:
    p = patients.register(NURSE, "pt-1", COMMUNITY, "elder-dq-0312", patients.PatientDetails("刘桂兰"), NOW)
    if consenting:
        p, _ = patients.grant_consent(NURSE, p, "c-1", ("teleconsultation",), CITY, None, PARTNERS, NOW)
    return p


def requested(**kwargs) -> tele.Teleconsultation:
    return tele.request(NURSE, patient(), "tc-1", CITY, "心内科", "王主任", "心电图ST段改变，请专家会诊", "", TOKEN, PARTNERS,
                        NOW)


def test_a_teleconsultation_runs_from_request_to_completion():
    c = requested()
    c = tele.schedule(NURSE, c, NOW + timedelta(days=1), 30, NOW)
    assert (c.status, c.duration) == (tele.SCHEDULED, timedelta(minutes=30))
    c = tele.start(NURSE, c, NOW + timedelta(days=1))
    c = tele.complete(NURSE, c, "建议冠脉CTA，调整降压药", NOW + timedelta(days=1, minutes=25))
    assert c.status == tele.COMPLETED and c.notes[-1].text == "建议冠脉CTA，调整降压药"
    assert [t.status for t in c.history] == ["requested", "scheduled", "in_progress", "completed"]


def test_requesting_needs_the_patients_consent_to_teleconsultations_with_that_partner():
    with pytest.raises(FailedPrecondition):
        tele.request(NURSE, patient(consenting=False), "tc-1", CITY, "心内科", "", "会诊", "", TOKEN, PARTNERS, NOW)
    with pytest.raises(FailedPrecondition):
        tele.request(NURSE, patient(), "tc-1", "district-hospital", "心内科", "", "会诊", "", TOKEN, PARTNERS, NOW)


def test_the_join_token_must_be_unguessable():
    with pytest.raises(ValueError):
        tele.request(NURSE, patient(), "tc-1", CITY, "心内科", "", "会诊", "", "short", PARTNERS, NOW)


def test_illegal_moves_are_failed_preconditions():
    c = requested()
    with pytest.raises(FailedPrecondition):
        tele.start(NURSE, c, NOW)
    with pytest.raises(FailedPrecondition):
        tele.complete(NURSE, c, "x", NOW)
    cancelled = tele.cancel(ELDER, c, "身体不适，改天", NOW)
    with pytest.raises(FailedPrecondition):
        tele.schedule(NURSE, cancelled, NOW + timedelta(days=1), 0, NOW)


def test_a_no_show_is_marked_only_once_the_session_time_has_come():
    c = tele.schedule(NURSE, requested(), NOW + timedelta(hours=1), 0, NOW)
    with pytest.raises(FailedPrecondition):
        tele.mark_no_show(NURSE, c, NOW + timedelta(minutes=30))
    assert tele.mark_no_show(NURSE, c, NOW + timedelta(hours=1, minutes=5)).status == tele.NO_SHOW


def test_scheduling_is_validated_and_only_clinicians_run_sessions():
    with pytest.raises(InvalidArgument) as error:
        tele.schedule(NURSE, requested(), NOW - timedelta(minutes=1), 999, NOW)
    assert set(error.value.fields) == {"start", "duration_minutes"}
    with pytest.raises(PermissionDenied):
        tele.schedule(ELDER, requested(), NOW + timedelta(days=1), 0, NOW)


def test_only_the_patient_and_their_clinicians_see_a_session():
    other = Caller("elder-dq-0313", frozenset({"resident"}), frozenset({COMMUNITY}))
    with pytest.raises(NotFound):
        tele.check_visible(other, requested(), "tc-1")
    assert tele.check_visible(ELDER, requested(), "tc-1").id == "tc-1"
