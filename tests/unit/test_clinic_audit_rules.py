"""The audit log of patient data is append-only, and says who, which patient, what, when and why."""
import ast
from datetime import datetime, timezone
from pathlib import Path

import pytest

from linli.kit.errors import InvalidArgument, PermissionDenied
from linli.kit.identity import Caller
from services.clinic.domain import audit

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
READ_OR_INSERT = {"insert_many", "insert_one", "find", "find_one", "count_documents"}


def test_only_the_audit_store_names_the_audit_collection():
    sources = list((ROOT / "services" / "clinic").rglob("*.py"))
    naming = sorted(str(p.relative_to(ROOT)) for p in sources if '"audit_log"' in p.read_text())
    assert naming == ["services/clinic/store/audit.py"]


def test_the_audit_store_only_inserts_and_reads():
    tree = ast.parse((ROOT / "services/clinic/store/audit.py").read_text())
    calls = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Attribute)
             and node.func.value.attr == "records"}
    assert calls and calls <= READ_OR_INSERT, f"the audit log must never be changed: {calls - READ_OR_INSERT}"


def test_a_record_names_who_which_patient_what_when_why_and_the_door():
    who = audit.Accessor("nurse-zhao", audit.PERSON, ("clinician",), audit.HTTP, "")
    [record] = audit.records(who, "patient.read", [audit.Touched("donghuayuan", "pt-1", "elder-1", "patient/pt-1")],
                             "treatment", NOW)
    assert (record.actor, record.patient_id, record.action, record.at, record.purpose, record.channel) == (
        "nurse-zhao", "pt-1", "patient.read", NOW, "treatment", "http")
    stated = audit.Accessor("nurse-zhao", audit.PERSON, ("clinician",), audit.GRPC, "家访前核对用药")
    assert audit.records(stated, "patient.read", [audit.Touched("c", "p", "r", "x")], "treatment", NOW)[0].purpose == (
        "家访前核对用药")


def test_a_stated_purpose_is_plain_bounded_text():
    assert audit.stated_purpose(" 随访\n核对 ") == "随访 核对"
    with pytest.raises(InvalidArgument):
        audit.stated_purpose("x" * 201)


def test_only_administrators_read_the_audit_log():
    with pytest.raises(PermissionDenied):
        audit.query_scope(Caller("nurse", frozenset({"clinician"}), frozenset({"donghuayuan"})), "")
    admin = Caller("admin-sun", frozenset({"administrator"}), frozenset({"donghuayuan"}))
    assert audit.query_scope(admin, "") == {"donghuayuan"}
    with pytest.raises(PermissionDenied):
        audit.query_scope(admin, "other")
