"""The nurse's triage list (services/clinic/domain/triage.py)."""
from datetime import datetime, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.clinic.domain import triage

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
NURSE = Caller("nurse-zhao", frozenset({"clinician"}), frozenset({"donghuayuan"}))


def entry(kind="emergency"):
    return triage.open_entry("t-1", "donghuayuan", "cr-1", "elder-1", "", kind, "胸口疼", "东区 3号楼", NOW)


def test_only_medical_and_emergency_calls_reach_the_nurse_and_emergencies_come_first():
    assert [k for k in ("meal", "medical", "emergency", "bathing") if triage.reaches_the_nurse(k)] == [
        "medical", "emergency"]
    assert entry("emergency").priority < entry("medical").priority
    with pytest.raises(InvalidArgument):
        entry("meal")


def test_an_entry_is_acknowledged_then_closed_with_a_disposition():
    acknowledged = triage.acknowledge(NURSE, entry(), NOW)
    with pytest.raises(FailedPrecondition):
        triage.acknowledge(NURSE, acknowledged, NOW)
    with pytest.raises(InvalidArgument):
        triage.close(NURSE, acknowledged, "", "", NOW)
    closed = triage.close(NURSE, acknowledged, "home_visit", "血压180/100，已上门处理", NOW)
    assert (closed.status, closed.disposition, closed.closed_by) == ("closed", "home_visit", "nurse-zhao")
    with pytest.raises(FailedPrecondition):
        triage.close(NURSE, closed, "home_visit", "", NOW)


def test_closing_an_open_entry_acknowledges_it_too():
    closed = triage.close(NURSE, entry(), "advice_given", "", NOW)
    assert closed.acknowledged_by == "nurse-zhao"


def test_only_clinicians_serving_the_community_see_the_list():
    operator = Caller("op-wang", frozenset({"operator"}), frozenset({"donghuayuan"}))
    with pytest.raises(NotFound):
        triage.check_visible(operator, entry(), "t-1")
    with pytest.raises(PermissionDenied):
        triage.list_scope(operator, "")
