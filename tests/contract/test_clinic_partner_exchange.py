"""The partner exchange as a partner hospital sees it: gRPC with mutual TLS on the clinic api's partner
port (the api runs as its own process). Who gets in, what each partner sees, and the referral's life
across both organisations."""
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

from linli.clinic.partner.v1 import partner_pb2 as pb
from linli.clinic.partner.v1 import partner_pb2_grpc
from linli.clinic.v1 import patients_pb2, referrals_pb2
from linli.kit import pagination
from linli.kit.mongo import connect
from tests.contract.clinic_stack import (  # noqa: F401 (fixtures)
    ALL_SCOPES, CITY, DISTRICT, NURSE, UNLISTED, as_, city, clinic, district, fresh, internal, partner_channel,
    refer_up, register_patient, stubs)

R = referrals_pb2


def error_of(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def get(stub, referral_id: str) -> referrals_pb2.Referral:
    return stub.GetReferral(pb.GetReferralRequest(referral_id=referral_id), timeout=5).referral


def set_status(stub, referral_id: str, status: int, reason: str = "", business: str = "") -> referrals_pb2.Referral:
    return stub.UpdateTaskStatus(pb.UpdateTaskStatusRequest(referral_id=referral_id, status=status, reason=reason,
                                                            business_status=business), timeout=5).referral


def back_referral(stub, patient_id: str, based_on: str, request_id: str | None = None, plan: str = "一周后上门测血压"):
    return stub.SubmitReferral(pb.SubmitReferralRequest(
        request_id=request_id or fresh("discharge"), patient_id=patient_id, content=R.ReferralContent(
            category=R.REFERRAL_CATEGORY_BACK_REFERRAL, priority=R.REFERRAL_PRIORITY_ROUTINE,
            reason="急性冠脉综合征PCI术后出院", based_on=based_on, practitioner="心内科 王主任",
            follow_up=R.FollowUp(plan=plan, due_date="2026-12-08", discharged_on="2026-12-01"))), timeout=5)


# -- who gets in ---------------------------------------------------------------------------------------

def test_a_listed_partner_with_an_alliance_certificate_is_served(city):
    reply = city.ListReferrals(pb.ListReferralsRequest(page_size=1), timeout=5)
    assert isinstance(reply, pb.ListReferralsResponse)


def test_a_client_without_a_certificate_is_refused_by_tls(clinic):
    trust = grpc.ssl_channel_credentials(root_certificates=(clinic.certs / CITY / "ca.crt").read_bytes())
    with grpc.secure_channel(clinic.partner_address, trust) as channel:
        error = error_of(lambda: partner_pb2_grpc.PartnerExchangeServiceStub(channel).ListReferrals(
            pb.ListReferralsRequest(), timeout=5))
    assert error.code() == grpc.StatusCode.UNAVAILABLE


def test_a_certificate_from_a_rogue_ca_is_refused_by_tls_even_in_a_partners_name(clinic):
    with partner_channel(clinic, "rogue") as channel:
        error = error_of(lambda: partner_pb2_grpc.PartnerExchangeServiceStub(channel).ListReferrals(
            pb.ListReferralsRequest(), timeout=5))
    assert error.code() == grpc.StatusCode.UNAVAILABLE


def test_a_plaintext_client_is_refused(clinic):
    with grpc.insecure_channel(clinic.partner_address) as channel:
        error = error_of(lambda: partner_pb2_grpc.PartnerExchangeServiceStub(channel).ListReferrals(
            pb.ListReferralsRequest(), timeout=5))
    assert error.code() == grpc.StatusCode.UNAVAILABLE


def test_an_alliance_certificate_of_a_partner_that_is_not_listed_is_permission_denied(clinic):
    with partner_channel(clinic, UNLISTED) as channel:
        error = error_of(lambda: partner_pb2_grpc.PartnerExchangeServiceStub(channel).ListReferrals(
            pb.ListReferralsRequest(), timeout=5))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED and UNLISTED in error.details()


def test_identity_metadata_does_not_make_anyone_a_partner_or_a_clinician(clinic, city, stubs):
    """The partner is its certificate: metadata claiming otherwise changes nothing."""
    referral = refer_up(stubs, register_patient(stubs, consents=[(DISTRICT, ALL_SCOPES)]), performer=DISTRICT)
    error = error_of(lambda: city.GetReferral(pb.GetReferralRequest(referral_id=referral.id),
                                              metadata=[*as_("clinician", "nurse-zhao"), ("x-linli-subject", DISTRICT)],
                                              timeout=5))
    assert error.code() == grpc.StatusCode.NOT_FOUND


# -- isolation -----------------------------------------------------------------------------------------

def test_a_partner_sees_only_referrals_it_sent_or_received_and_every_other_id_is_not_found(stubs, city, district):
    patient = register_patient(stubs, consents=[("*", ALL_SCOPES)])
    to_city = refer_up(stubs, patient, CITY)
    assert get(city, to_city.id).id == to_city.id
    for call in (lambda: get(district, to_city.id),
                 lambda: set_status(district, to_city.id, R.TASK_STATUS_ACCEPTED),
                 lambda: district.AttachOutcome(pb.AttachOutcomeRequest(referral_id=to_city.id, text="x"), timeout=5),
                 lambda: district.GetReferralFhir(pb.GetReferralFhirRequest(referral_id=to_city.id), timeout=5),
                 lambda: get(district, "no-such-referral"),
                 # a patient it shares no referral with, and a referral it is not party to, are unknown to it
                 lambda: back_referral(district, patient.id, ""),
                 lambda: back_referral(district, "no-such-patient", ""),
                 lambda: back_referral(city, patient.id, fresh("unknown"))):
        assert error_of(call).code() == grpc.StatusCode.NOT_FOUND
    listed = district.ListReferrals(pb.ListReferralsRequest(page_size=200), timeout=5).referrals
    assert to_city.id not in {r.id for r in listed}


def test_a_watch_shows_a_partner_only_its_own_referrals(stubs, city, district):
    stream = district.WatchReferrals(pb.WatchReferralsRequest(), timeout=10)
    assert next(stream).change_type == pb.CHANGE_TYPE_WATCH_STARTED
    patient = register_patient(stubs, consents=[("*", ALL_SCOPES)])
    refer_up(stubs, patient, CITY)
    mine = refer_up(stubs, patient, DISTRICT)
    change = next(stream)
    assert (change.change_type, change.referral.id) == (pb.CHANGE_TYPE_CREATED, mine.id)
    stream.cancel()


# -- the Task across both organisations ----------------------------------------------------------------

def test_the_hospital_performs_a_referral_the_clinic_sent_and_the_outcome_closes_the_loop(stubs, city):
    patient = register_patient(stubs, consents=[(CITY, ALL_SCOPES)])
    referral = refer_up(stubs, patient)
    assert set_status(city, referral.id, R.TASK_STATUS_RECEIVED).task.status == R.TASK_STATUS_RECEIVED
    set_status(city, referral.id, R.TASK_STATUS_ACCEPTED, business="visit-scheduled")
    started = set_status(city, referral.id, R.TASK_STATUS_IN_PROGRESS, business="admitted")
    assert started.task.business_status == "admitted"
    early = error_of(lambda: set_status(city, referral.id, R.TASK_STATUS_COMPLETED))
    assert early.code() == grpc.StatusCode.FAILED_PRECONDITION and "outcome" in early.details()
    city.AttachOutcome(pb.AttachOutcomeRequest(referral_id=referral.id, text="冠脉造影：前降支狭窄70%，植入支架一枚",
                                               attachments=[{"title": "出院小结", "content_type": "application/pdf",
                                                             "url": "https://his.example/doc/88", "size_bytes": 1}]),
                       timeout=5)
    done = set_status(city, referral.id, R.TASK_STATUS_COMPLETED)
    assert done.task.status == R.TASK_STATUS_COMPLETED
    seen = stubs.referrals.GetReferral(R.GetReferralRequest(id=referral.id), metadata=NURSE).referral
    assert seen.task.outcomes[0].text.startswith("冠脉造影") and seen.task.outcomes[0].organisation_id == CITY
    assert [t.status for t in seen.task.history] == [R.TASK_STATUS_REQUESTED, R.TASK_STATUS_RECEIVED,
                                                     R.TASK_STATUS_ACCEPTED, R.TASK_STATUS_IN_PROGRESS,
                                                     R.TASK_STATUS_COMPLETED]


def test_the_performer_may_not_cancel_and_the_requester_may_not_accept(stubs, city):
    patient = register_patient(stubs, consents=[(CITY, ALL_SCOPES)])
    up = refer_up(stubs, patient)
    assert error_of(lambda: set_status(city, up.id, R.TASK_STATUS_CANCELLED, reason="x")).code() == \
           grpc.StatusCode.PERMISSION_DENIED
    down = back_referral(city, patient.id, up.id).referral
    assert error_of(lambda: set_status(city, down.id, R.TASK_STATUS_ACCEPTED)).code() == \
           grpc.StatusCode.PERMISSION_DENIED
    clinic_accepts = stubs.referrals.UpdateReferralTask(R.UpdateReferralTaskRequest(
        id=down.id, status=R.TASK_STATUS_ACCEPTED, business_status="visit-scheduled"), metadata=NURSE).referral
    assert clinic_accepts.task.business_status == "visit-scheduled"
    assert error_of(lambda: stubs.referrals.UpdateReferralTask(R.UpdateReferralTaskRequest(
        id=up.id, status=R.TASK_STATUS_ACCEPTED), metadata=NURSE)).code() == grpc.StatusCode.PERMISSION_DENIED
    assert error_of(lambda: set_status(city, down.id, R.TASK_STATUS_CANCELLED)).code() == \
           grpc.StatusCode.INVALID_ARGUMENT  # a reason is required
    stubs.referrals.UpdateReferralTask(R.UpdateReferralTaskRequest(id=down.id, status=R.TASK_STATUS_IN_PROGRESS),
                                       metadata=NURSE)
    assert error_of(lambda: set_status(city, down.id, R.TASK_STATUS_CANCELLED, reason="x")).code() == \
           grpc.StatusCode.FAILED_PRECONDITION  # in progress: no longer the requester's to cancel


def test_a_rejection_carries_its_reason_back_to_the_clinic(stubs, city):
    referral = refer_up(stubs, register_patient(stubs, consents=[(CITY, ALL_SCOPES)]))
    set_status(city, referral.id, R.TASK_STATUS_REJECTED, reason="心内科床位已满，建议转顺城区人民医院")
    seen = stubs.referrals.GetReferral(R.GetReferralRequest(id=referral.id), metadata=NURSE).referral
    assert (seen.task.status, seen.task.status_reason) == (R.TASK_STATUS_REJECTED, "心内科床位已满，建议转顺城区人民医院")


# -- idempotent submission -----------------------------------------------------------------------------

def test_submitting_again_with_the_same_request_id_returns_the_first_referral(stubs, city):
    patient = register_patient(stubs, consents=[(CITY, ALL_SCOPES)])
    up = refer_up(stubs, patient)
    request_id = fresh("discharge")
    first = back_referral(city, patient.id, up.id, request_id)
    again = back_referral(city, patient.id, up.id, request_id)
    assert first.created and not again.created and again.referral.id == first.referral.id
    mine = stubs.referrals.ListReferrals(R.ListReferralsRequest(patient_id=patient.id), metadata=NURSE).referrals
    assert len([r for r in mine if r.request_id == request_id]) == 1


def test_concurrent_retries_of_one_submission_make_one_referral(stubs, city):
    patient = register_patient(stubs, consents=[(CITY, ALL_SCOPES)])
    up = refer_up(stubs, patient)
    request_id = fresh("discharge")
    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(lambda _: back_referral(city, patient.id, up.id, request_id), range(4)))
    assert len({r.referral.id for r in replies}) == 1 and sum(r.created for r in replies) == 1


def test_reusing_a_request_id_for_other_content_is_already_exists(stubs, city):
    patient = register_patient(stubs, consents=[(CITY, ALL_SCOPES)])
    up = refer_up(stubs, patient)
    request_id = fresh("discharge")
    back_referral(city, patient.id, up.id, request_id)
    error = error_of(lambda: back_referral(city, patient.id, up.id, request_id, plan="另一个计划"))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS


# -- the watch -----------------------------------------------------------------------------------------

def read(stream, count: int) -> list[pb.WatchReferralsResponse]:
    return [next(stream) for _ in range(count)]


def test_a_watch_resumes_from_its_token_after_a_disconnect_missing_nothing_and_repeating_nothing(clinic, stubs):
    patient = register_patient(stubs, consents=[(CITY, ALL_SCOPES)])
    with partner_channel(clinic, CITY) as channel:
        watch = partner_pb2_grpc.PartnerExchangeServiceStub(channel).WatchReferrals(pb.WatchReferralsRequest(),
                                                                                    timeout=20)
        started = next(watch)
        first = refer_up(stubs, patient)
        [created] = read(watch, 1)
        assert created.referral.id == first.id and created.changed_by.id == "clinic-donghuayuan"
        token = created.resume_token
    # The partner is gone (channel closed); meanwhile the clinic keeps working.
    second = refer_up(stubs, patient, reason="复查心电图")
    stubs.referrals.UpdateReferralTask(R.UpdateReferralTaskRequest(id=first.id, status=R.TASK_STATUS_CANCELLED,
                                                                   reason="患者已好转"), metadata=NURSE)
    with partner_channel(clinic, CITY) as channel:
        city = partner_pb2_grpc.PartnerExchangeServiceStub(channel)
        resumed = city.WatchReferrals(pb.WatchReferralsRequest(resume_token=token), timeout=20)
        assert next(resumed).change_type == pb.CHANGE_TYPE_WATCH_STARTED
        changes = read(resumed, 2)
        assert [(c.change_type, c.referral.id) for c in changes] == [
            (pb.CHANGE_TYPE_CREATED, second.id), (pb.CHANGE_TYPE_STATUS_CHANGED, first.id)]
        assert changes[1].referral.task.status == R.TASK_STATUS_CANCELLED
        # Resuming from the start marker replays everything after it.
        replay = city.WatchReferrals(pb.WatchReferralsRequest(resume_token=started.resume_token), timeout=20)
        next(replay)
        assert [c.referral.id for c in read(replay, 3)] == [first.id, second.id, first.id]
        resumed.cancel()
        replay.cancel()


def test_a_resume_token_that_was_not_issued_is_invalid(city):
    stream = city.WatchReferrals(pb.WatchReferralsRequest(resume_token="not-a-token"), timeout=5)
    assert error_of(lambda: next(stream)).code() == grpc.StatusCode.INVALID_ARGUMENT


def test_changes_made_at_the_same_time_all_reach_the_watch_in_commit_order(stubs, city):
    patient = register_patient(stubs, consents=[(CITY, ALL_SCOPES)])
    stream = city.WatchReferrals(pb.WatchReferralsRequest(), timeout=30)
    next(stream)
    with ThreadPoolExecutor(6) as pool:
        made = set(r.id for r in pool.map(lambda i: refer_up(stubs, patient, reason=f"批量转诊 {i}"), range(12)))
    seen = read(stream, 12)
    assert {c.referral.id for c in seen} == made
    positions = [pagination.decode(c.resume_token)[0] for c in seen]  # opaque to partners; a number inside
    assert positions == sorted(positions) and len(set(positions)) == 12
    stream.cancel()


def test_a_watch_wakes_at_once_when_a_change_commits(stubs, city):
    patient = register_patient(stubs, consents=[(CITY, ALL_SCOPES)])
    stream = city.WatchReferrals(pb.WatchReferralsRequest(), timeout=10)
    next(stream)
    arrived = threading.Event()

    def listen():
        next(stream)
        arrived.set()

    threading.Thread(target=listen, daemon=True).start()
    refer_up(stubs, patient)
    assert arrived.wait(2)
    stream.cancel()


# -- consent ------------------------------------------------------------------------------------------

def test_withdrawing_consent_withholds_the_patient_from_the_partner_on_its_very_next_read(stubs, city):
    patient = register_patient(stubs, consents=[(CITY, ALL_SCOPES)])
    patient = stubs.patients.AddResult(patients_pb2.AddResultRequest(
        patient_id=patient.id, type=1, title="静息心电图", date="2026-11-20", reference="ecg://station/20261120-7"),
        metadata=NURSE).patient
    referral = refer_up(stubs, patient)
    shown = get(city, referral.id)
    assert shown.subject.name == "刘桂兰" and shown.content.reason and shown.shared_summary.allergies == ["青霉素"]
    assert shown.shared_summary.results[0].reference == "ecg://station/20261120-7" and not shown.withheld_parts
    stubs.patients.WithdrawConsent(patients_pb2.WithdrawConsentRequest(
        patient_id=patient.id, consent_id=patient.consents[0].id), metadata=as_("resident", patient.resident_id))
    withheld = get(city, referral.id)
    assert not withheld.HasField("subject") and not withheld.HasField("shared_summary")
    assert withheld.content.reason == "" and withheld.content.clinical_summary == ""
    assert set(withheld.withheld_parts) == {R.REFERRAL_PART_SUBJECT, R.REFERRAL_PART_CLINICAL,
                                            R.REFERRAL_PART_SUMMARY, R.REFERRAL_PART_RESULTS}
    fhir = city.GetReferralFhir(pb.GetReferralFhirRequest(referral_id=referral.id), timeout=5).fhir_json
    assert "刘桂兰" not in fhir and "青霉素" not in fhir and "胸闷" not in fhir
    # The hospital can still work the task it was sent.
    assert set_status(city, referral.id, R.TASK_STATUS_RECEIVED).task.status == R.TASK_STATUS_RECEIVED


def test_the_fhir_rendering_is_a_bundle_of_the_service_request_and_its_task(stubs, city):
    referral = refer_up(stubs, register_patient(stubs, consents=[(CITY, ALL_SCOPES)]))
    bundle = json.loads(city.GetReferralFhir(pb.GetReferralFhirRequest(referral_id=referral.id), timeout=5).fhir_json)
    request, task = (e["resource"] for e in bundle["entry"])
    assert (request["resourceType"], request["id"], request["status"], request["priority"]) == (
        "ServiceRequest", referral.id, "active", "urgent")
    assert (task["resourceType"], task["status"], task["focus"]["reference"]) == (
        "Task", "requested", f"ServiceRequest/{referral.id}")


def test_a_back_referral_is_recorded_with_its_event_for_elder_care(clinic, stubs, city):
    patient = register_patient(stubs, consents=[(CITY, ALL_SCOPES)])
    up = refer_up(stubs, patient)
    down = back_referral(city, patient.id, up.id).referral
    assert (down.requester.id, down.performer.id, down.content.category) == (
        CITY, "clinic-donghuayuan", R.REFERRAL_CATEGORY_BACK_REFERRAL)
    client = connect(clinic.stack.env["MONGO_URI"], "contract-tests")
    try:
        [event] = client["contract_clinic"]["outbox"].find({"routing_key": "referral.back_referral_received",
                                                            "body.data.referral.id": down.id})
    finally:
        client.close()
    data = event["body"]["data"]
    assert data["referral"]["resident_id"] == patient.resident_id and data["follow_up"]["due_date"] == "2026-12-08"
    assert data["requester_name"] == "抚顺市中心医院" and "clinical_summary" not in json.dumps(data)
