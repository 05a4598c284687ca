"""What the partner exchange tells a partner about its requests, through the real mutual-TLS port with a stock
grpcio client: numbers its protos do not define, the purpose it states for the audit log, and errors that
name the real field and the real problem."""
from urllib.parse import quote

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import error_details_pb2, status_pb2

from linli.clinic.partner.v1 import partner_pb2 as pb
from linli.clinic.v1 import audit_pb2, referrals_pb2
from linli.kit import pagination
from services.clinic.domain.audit import MAX_PURPOSE
from tests.contract.clinic_stack import (  # noqa: F401 (fixtures)
    ADMIN, ALL_SCOPES, CITY, clinic, city, fresh, internal, refer_up, register_patient, stubs)

R = referrals_pb2


def error_of(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def violations(error: grpc.RpcError) -> dict[str, str]:
    [details] = [value for key, value in error.trailing_metadata() if key == "grpc-status-details-bin"]
    bad_request = error_details_pb2.BadRequest()
    assert status_pb2.Status.FromString(details).details[0].Unpack(bad_request)
    return {v.field: v.description for v in bad_request.field_violations}


@pytest.fixture
def referral(stubs):
    return refer_up(stubs, register_patient(stubs, consents=[(CITY, ALL_SCOPES)]))


def audit_of(stubs, referral, action: str) -> list[audit_pb2.AuditRecord]:
    records = stubs.audit.ListAuditRecords(audit_pb2.ListAuditRecordsRequest(
        patient_id=referral.patient_id, actor=CITY, page_size=200), metadata=ADMIN).records
    return [r for r in records if r.action == action]


# -- enum numbers nobody defined (every other rpc: tests/contract/test_unknown_enum_values.py) -----------

def test_a_task_status_nobody_defined_is_refused_and_changes_nothing(stubs, city, referral):
    error = error_of(lambda: city.UpdateTaskStatus(pb.UpdateTaskStatusRequest(
        referral_id=referral.id, status=77, business_status="follow-up-booked"), timeout=5))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "status" in error.details()
    assert list(violations(error)) == ["status"]
    after = city.GetReferral(pb.GetReferralRequest(referral_id=referral.id), timeout=5).referral
    assert (after.version, after.task.status, after.task.business_status) == (
        referral.version, R.TASK_STATUS_REQUESTED, "")


# -- the purpose a partner states ----------------------------------------------------------------------

def test_the_purpose_a_partner_states_is_what_the_audit_log_records(stubs, city, referral):
    stated = "出院随访 follow-up: 复查心电图"
    city.GetReferral(pb.GetReferralRequest(referral_id=referral.id), timeout=5,
                     metadata=[("x-linli-purpose", quote(stated, safe=""))])
    city.GetReferralFhir(pb.GetReferralFhirRequest(referral_id=referral.id), timeout=5)
    [read] = audit_of(stubs, referral, "referral.read")
    assert (read.purpose, read.channel) == (stated, audit_pb2.AUDIT_CHANNEL_PARTNER)
    [unstated] = audit_of(stubs, referral, "referral.read_fhir")
    assert unstated.purpose == "referral exchange"  # the operation's own, when the partner states none


def test_a_stated_purpose_is_recorded_on_writes_too_with_control_characters_made_spaces(stubs, city, referral):
    city.UpdateTaskStatus(pb.UpdateTaskStatusRequest(referral_id=referral.id, status=R.TASK_STATUS_RECEIVED),
                          timeout=5, metadata=[("x-linli-purpose", quote("triage\nby\x07ward 3", safe=""))])
    [update] = audit_of(stubs, referral, "referral.update_task")
    assert update.purpose == "triage by ward 3"


def test_a_purpose_past_its_limit_is_refused_naming_the_metadata_key(stubs, city, referral):
    too_long = quote("为" * (MAX_PURPOSE + 1), safe="")
    error = error_of(lambda: city.GetReferral(pb.GetReferralRequest(referral_id=referral.id), timeout=5,
                                              metadata=[("x-linli-purpose", too_long)]))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and list(violations(error)) == ["x-linli-purpose"]
    assert audit_of(stubs, referral, "referral.read") == []  # nothing was read


# -- errors that name the real field and the real problem ----------------------------------------------

@pytest.mark.parametrize("referral_id, problem", [("", "required"), ("r" * 10_000, "too long"),
                                                  ("ref/../1", "malformed")])
def test_a_bad_referral_id_is_named_for_what_is_wrong_with_it(city, referral_id, problem):
    error = error_of(lambda: city.GetReferral(pb.GetReferralRequest(referral_id=referral_id), timeout=5))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == f"referral_id is {problem}" and violations(error)["referral_id"].startswith(problem)


def test_a_referral_id_with_a_control_character_is_named_for_it(city):
    # Every api refuses control characters in any text field before the service reads it (linli/kit/text.py).
    error = error_of(lambda: city.GetReferral(pb.GetReferralRequest(referral_id="ref-1\x01"), timeout=5))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert list(violations(error)) == ["referral_id"] and "control characters" in error.details()


def test_a_request_id_too_long_to_be_one_says_so(stubs, city):
    error = error_of(lambda: city.SubmitReferral(pb.SubmitReferralRequest(
        request_id="x" * 10_000, patient_id="p-1", content=R.ReferralContent(
            category=R.REFERRAL_CATEGORY_REFERRAL, priority=R.REFERRAL_PRIORITY_ROUTINE, reason="复查")), timeout=5))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violations(error) == {"request_id": "too long: 10000 characters, at most 64"}


def test_a_malformed_resume_token_is_named_as_the_resume_token(city):
    stream = city.WatchReferrals(pb.WatchReferralsRequest(resume_token="not a token!"), timeout=5)
    error = error_of(lambda: next(stream))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and error.details().startswith("resume_token is malformed")
    assert list(violations(error)) == ["resume_token"]


@pytest.mark.parametrize("position", [[5, 6], ["not a time", "r-1"], ["2026-12-01T00:00:00+00:00", 7]])
def test_a_page_token_that_was_not_issued_is_invalid_however_well_formed(city, position):
    error = error_of(lambda: city.ListReferrals(pb.ListReferralsRequest(page_token=pagination.encode(position)),
                                                timeout=5))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and list(violations(error)) == ["page_token"]


def test_a_text_with_control_characters_is_refused_naming_the_field_while_line_breaks_are_kept(stubs, city,
                                                                                               referral):
    error = error_of(lambda: city.UpdateTaskStatus(pb.UpdateTaskStatusRequest(
        referral_id=referral.id, status=R.TASK_STATUS_REJECTED, reason="床位已满\x00\x1b[2J"), timeout=5))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violations(error) == {"reason": "no control characters (line breaks and tab are allowed)"}
    rejected = city.UpdateTaskStatus(pb.UpdateTaskStatusRequest(
        referral_id=referral.id, status=R.TASK_STATUS_REJECTED, reason="床位已满\r\n建议转院\t(顺城区)"), timeout=5)
    assert rejected.referral.task.status_reason == "床位已满\r\n建议转院\t(顺城区)"


def test_a_time_outside_any_calendar_is_named_by_its_field(city):
    error = error_of(lambda: city.ListReferrals(pb.ListReferralsRequest(
        changed_before=Timestamp(seconds=-10**12)), timeout=5))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and list(violations(error)) == ["changed_before"]
