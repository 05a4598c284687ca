"""The clinic's internal gRPC api as any grpcio client sees it (the api runs as its own process), and the
audit log: every method that reads or writes patient data, on either port, leaves a record naming who,
which patient, what, when, why and through which door."""
import time
from urllib.parse import quote
from datetime import datetime, timedelta, timezone

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from linli.clinic.partner.v1 import partner_pb2
from linli.clinic.v1 import audit_pb2, patients_pb2, referrals_pb2, teleconsultations_pb2, triage_pb2
from linli.kit.mongo import connect, transaction, utcnow
from services.clinic.domain import triage
from services.clinic.store.triage import TriageStore
from tests.contract.clinic_stack import (  # noqa: F401 (fixtures)
    ADMIN, ALL_SCOPES, CITY, COMMUNITY, NURSE, as_, city, clinic, fresh, internal, refer_up, register_patient, stubs)

PATIENT_SERVICES = ["linli.clinic.v1.PatientService", "linli.clinic.v1.TeleconsultationService",
                    "linli.clinic.v1.ReferralService", "linli.clinic.v1.TriageService",
                    "linli.clinic.partner.v1.PartnerExchangeService"]
# Methods that touch no patient's data, and so write no audit record.
NO_PATIENT_DATA = {"linli.clinic.v1.ReferralService/ListPartners",
                   # says only whether a join link admits its holder (who, and the community): no patient data
                   "linli.clinic.v1.TeleconsultationService/CheckTeleconsultationRoomPass"}


def error_of(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def test_health_and_reflection_answer_and_name_the_partner_exchange(internal):
    health = health_pb2_grpc.HealthStub(internal)
    for service in ("", "linli.clinic.v1.ReferralService", "linli.clinic.partner.v1.PartnerExchangeService"):
        assert health.Check(health_pb2.HealthCheckRequest(service=service)).status == \
               health_pb2.HealthCheckResponse.SERVING
    reflection = reflection_pb2_grpc.ServerReflectionStub(internal)
    [reply] = reflection.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    names = {s.name for s in reply.list_services_response.service}
    assert set(PATIENT_SERVICES[:4]) | {"linli.clinic.v1.AuditService"} <= names


def test_a_call_without_an_identity_is_unauthenticated(stubs):
    error = error_of(lambda: stubs.patients.GetPatient(patients_pb2.GetPatientRequest(id="x")))
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED


def test_a_patients_record_is_for_their_clinicians_and_themself_and_not_found_for_everyone_else(stubs):
    patient = register_patient(stubs)
    me = as_("resident", patient.resident_id)
    assert stubs.patients.GetPatient(patients_pb2.GetPatientRequest(id=patient.id), metadata=me).patient.name == "刘桂兰"
    for caller in (as_("operator", "op-wang"), as_("administrator", "admin-sun", "*"), as_("family", "f-1"),
                   as_("clinician", "nurse-qian", "other-community"), as_("resident", "elder-someone-else")):
        error = error_of(lambda: stubs.patients.GetPatient(patients_pb2.GetPatientRequest(id=patient.id),
                                                           metadata=caller))
        assert error.code() == grpc.StatusCode.NOT_FOUND


def test_registering_twice_and_bad_input_are_refused_with_field_violations(stubs):
    patient = register_patient(stubs)
    again = patients_pb2.RegisterPatientRequest(community_id=COMMUNITY, resident_id=patient.resident_id,
                                                details=patients_pb2.PatientDetails(name="刘桂兰"))
    assert error_of(lambda: stubs.patients.RegisterPatient(again, metadata=NURSE)).code() == \
           grpc.StatusCode.ALREADY_EXISTS
    bad = patients_pb2.RegisterPatientRequest(community_id=COMMUNITY, resident_id="",
                                              details=patients_pb2.PatientDetails(birth_date="1948/3/12"))
    error = error_of(lambda: stubs.patients.RegisterPatient(bad, metadata=NURSE))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "details.birth_date" in error.details() and "resident_id" in error.details()


def test_a_withdrawn_consent_stops_new_referrals_at_once(stubs):
    patient = register_patient(stubs, consents=[(CITY, [patients_pb2.CONSENT_SCOPE_REFERRAL])])
    refer_up(stubs, patient)
    consent = patient.consents[0]
    withdrawn = stubs.patients.WithdrawConsent(patients_pb2.WithdrawConsentRequest(
        patient_id=patient.id, consent_id=consent.id), metadata=as_("resident", patient.resident_id))
    assert not withdrawn.consent.active and withdrawn.consent.withdrawn_by == patient.resident_id
    assert error_of(lambda: refer_up(stubs, patient)).code() == grpc.StatusCode.FAILED_PRECONDITION


def test_a_teleconsultation_has_an_unguessable_join_link_and_a_lifecycle(stubs):
    patient = register_patient(stubs, consents=[(CITY, [patients_pb2.CONSENT_SCOPE_TELECONSULTATION])])
    t = teleconsultations_pb2
    ask = t.RequestTeleconsultationRequest(patient_id=patient.id, partner_id=CITY, department="心内科",
                                           specialist="王主任", reason="心电图ST段改变", request_id=fresh("tc"))
    first = stubs.teleconsultations.RequestTeleconsultation(ask, metadata=NURSE).teleconsultation
    retried = stubs.teleconsultations.RequestTeleconsultation(ask, metadata=NURSE).teleconsultation
    assert retried.id == first.id and retried.join_url == first.join_url
    other = stubs.teleconsultations.RequestTeleconsultation(
        t.RequestTeleconsultationRequest(patient_id=patient.id, partner_id=CITY, department="心内科", reason="复诊"),
        metadata=NURSE).teleconsultation
    assert first.join_url == other.join_url == ""  # no time yet, no room to join
    start = Timestamp()
    start.FromDatetime(datetime.now(timezone.utc) + timedelta(days=1))
    scheduled = stubs.teleconsultations.ScheduleTeleconsultation(
        t.ScheduleTeleconsultationRequest(id=first.id, start=start, duration_minutes=30), metadata=NURSE)
    assert scheduled.teleconsultation.status == t.TELECONSULTATION_STATUS_SCHEDULED
    # Each reader gets a link of their own to Linli's consultation room.
    patients_link = stubs.teleconsultations.GetTeleconsultation(
        t.GetTeleconsultationRequest(id=first.id), metadata=as_("resident", patient.resident_id)).teleconsultation.join_url
    assert scheduled.teleconsultation.join_url.split("#join=")[0] == patients_link.split("#join=")[0]
    assert f"/consultation/?teleconsultation={first.id}#join=" in patients_link
    assert patients_link != scheduled.teleconsultation.join_url
    early = error_of(lambda: stubs.teleconsultations.MarkTeleconsultationNoShow(
        t.MarkTeleconsultationNoShowRequest(id=first.id), metadata=NURSE))
    assert early.code() == grpc.StatusCode.FAILED_PRECONDITION
    stubs.teleconsultations.StartTeleconsultation(t.StartTeleconsultationRequest(id=first.id), metadata=NURSE)
    done = stubs.teleconsultations.CompleteTeleconsultation(
        t.CompleteTeleconsultationRequest(id=first.id, note="建议冠脉CTA"), metadata=NURSE).teleconsultation
    assert done.status == t.TELECONSULTATION_STATUS_COMPLETED and done.notes[-1].text == "建议冠脉CTA"
    mine = stubs.teleconsultations.ListTeleconsultations(t.ListTeleconsultationsRequest(),
                                                         metadata=as_("resident", patient.resident_id))
    assert {c.id for c in mine.teleconsultations} == {first.id, other.id}


def test_without_consent_no_teleconsultation_is_requested(stubs):
    patient = register_patient(stubs)
    error = error_of(lambda: stubs.teleconsultations.RequestTeleconsultation(
        teleconsultations_pb2.RequestTeleconsultationRequest(patient_id=patient.id, partner_id=CITY,
                                                             department="心内科", reason="会诊"), metadata=NURSE))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_only_administrators_query_the_audit_log(stubs):
    error = error_of(lambda: stubs.audit.ListAuditRecords(audit_pb2.ListAuditRecordsRequest(), metadata=NURSE))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


# -- every patient data path writes an audit record -------------------------------------------------------

@pytest.fixture(scope="module")
def clinic_db(clinic):
    client = connect(clinic.stack.env["MONGO_URI"], "contract-tests")
    yield client, client["contract_clinic"]
    client.close()


def triage_entry(clinic_db, patient) -> triage.TriageEntry:
    """What the worker does on a medical call (the worker is not part of this tier)."""
    client, db = clinic_db
    entry = triage.open_entry(fresh("t"), COMMUNITY, fresh("cr"), patient.resident_id, patient.id, "medical",
                              "头晕", "西区 9号楼", utcnow())
    transaction(client, lambda session: TriageStore(client, db).add(entry, [], session))
    return entry


def consenting(stubs):
    return register_patient(stubs, consents=[(CITY, ALL_SCOPES)])


def _teleconsultation(stubs, patient):
    return stubs.teleconsultations.RequestTeleconsultation(teleconsultations_pb2.RequestTeleconsultationRequest(
        patient_id=patient.id, partner_id=CITY, department="心内科", reason="会诊"), metadata=NURSE).teleconsultation


def _scheduled(stubs, patient, when=timedelta(days=1)):
    c = _teleconsultation(stubs, patient)
    start = Timestamp()
    start.FromDatetime(datetime.now(timezone.utc) + when)
    return stubs.teleconsultations.ScheduleTeleconsultation(teleconsultations_pb2.ScheduleTeleconsultationRequest(
        id=c.id, start=start), metadata=NURSE).teleconsultation


def _started(stubs, patient):
    c = _scheduled(stubs, patient)
    return stubs.teleconsultations.StartTeleconsultation(
        teleconsultations_pb2.StartTeleconsultationRequest(id=c.id), metadata=NURSE).teleconsultation


def _entered(stubs, patient):
    """The patient in the room of a session starting in five minutes (the room opens fifteen before)."""
    me = as_("resident", patient.resident_id)
    c = _scheduled(stubs, patient, timedelta(minutes=5))
    link = stubs.teleconsultations.GetTeleconsultation(teleconsultations_pb2.GetTeleconsultationRequest(id=c.id),
                                                       metadata=me).teleconsultation.join_url
    return stubs.teleconsultations.EnterTeleconsultationRoom(teleconsultations_pb2.EnterTeleconsultationRoomRequest(
        id=c.id, join_token=link.split("#join=")[1], peer="contract-peer-1"), metadata=me).teleconsultation


def _accepted_by_city(stubs, city, patient):
    r = refer_up(stubs, patient)
    city.UpdateTaskStatus(partner_pb2.UpdateTaskStatusRequest(referral_id=r.id, status=referrals_pb2.TASK_STATUS_ACCEPTED))
    return r


def _received_from_city(stubs, city, patient):
    refer_up(stubs, patient)
    return city.SubmitReferral(partner_pb2.SubmitReferralRequest(
        request_id=fresh("req"), patient_id=patient.id, content=referrals_pb2.ReferralContent(
            category=referrals_pb2.REFERRAL_CATEGORY_REFERRAL, priority=referrals_pb2.REFERRAL_PRIORITY_ROUTINE,
            reason="慢病管理"))).referral


def _watched(city, stubs, patient):
    stream = city.WatchReferrals(partner_pb2.WatchReferralsRequest(), timeout=10)
    assert next(stream).change_type == partner_pb2.CHANGE_TYPE_WATCH_STARTED
    refer_up(stubs, patient)
    assert next(stream).change_type == partner_pb2.CHANGE_TYPE_CREATED
    stream.cancel()


T, R, P = teleconsultations_pb2, referrals_pb2, partner_pb2
# method -> (the call, given the stubs, the city hospital's stub, the database and a consenting patient; the
# action it records; who it records)
CALLS = {
    "linli.clinic.v1.PatientService/RegisterPatient": (lambda s, c, db, p: register_patient(s), "patient.register",
                                                       "nurse-zhao"),
    "linli.clinic.v1.PatientService/GetPatient": (
        lambda s, c, db, p: s.patients.GetPatient(patients_pb2.GetPatientRequest(id=p.id), metadata=NURSE),
        "patient.read", "nurse-zhao"),
    "linli.clinic.v1.PatientService/ListPatients": (
        lambda s, c, db, p: s.patients.ListPatients(patients_pb2.ListPatientsRequest(resident_id=p.resident_id),
                                                    metadata=NURSE), "patient.list", "nurse-zhao"),
    "linli.clinic.v1.PatientService/UpdatePatientSummary": (
        lambda s, c, db, p: s.patients.UpdatePatientSummary(patients_pb2.UpdatePatientSummaryRequest(
            id=p.id, allergies=["青霉素", "海鲜"], update_mask={"paths": ["allergies"]}), metadata=NURSE),
        "patient.update_summary", "nurse-zhao"),
    "linli.clinic.v1.PatientService/AddResult": (
        lambda s, c, db, p: s.patients.AddResult(patients_pb2.AddResultRequest(
            patient_id=p.id, type=1, title="静息心电图", date="2026-11-20", reference="ecg://station/20261120-7"),
            metadata=NURSE), "patient.add_result", "nurse-zhao"),
    "linli.clinic.v1.PatientService/GrantConsent": (
        lambda s, c, db, p: s.patients.GrantConsent(patients_pb2.GrantConsentRequest(
            patient_id=p.id, recipient="*", scopes=[1]), metadata=as_("resident", p.resident_id)),
        "patient.grant_consent", "resident"),
    "linli.clinic.v1.PatientService/WithdrawConsent": (
        lambda s, c, db, p: s.patients.WithdrawConsent(patients_pb2.WithdrawConsentRequest(
            patient_id=p.id, consent_id=p.consents[0].id), metadata=NURSE), "patient.withdraw_consent", "nurse-zhao"),
    "linli.clinic.v1.TeleconsultationService/RequestTeleconsultation": (
        lambda s, c, db, p: _teleconsultation(s, p), "teleconsultation.request", "nurse-zhao"),
    "linli.clinic.v1.TeleconsultationService/ScheduleTeleconsultation": (
        lambda s, c, db, p: _scheduled(s, p), "teleconsultation.schedule", "nurse-zhao"),
    "linli.clinic.v1.TeleconsultationService/StartTeleconsultation": (
        lambda s, c, db, p: _started(s, p), "teleconsultation.start", "nurse-zhao"),
    "linli.clinic.v1.TeleconsultationService/CompleteTeleconsultation": (
        lambda s, c, db, p: s.teleconsultations.CompleteTeleconsultation(
            T.CompleteTeleconsultationRequest(id=_started(s, p).id, note="已会诊"), metadata=NURSE),
        "teleconsultation.complete", "nurse-zhao"),
    "linli.clinic.v1.TeleconsultationService/CancelTeleconsultation": (
        lambda s, c, db, p: s.teleconsultations.CancelTeleconsultation(
            T.CancelTeleconsultationRequest(id=_teleconsultation(s, p).id, reason="改期"),
            metadata=as_("resident", p.resident_id)), "teleconsultation.cancel", "resident"),
    "linli.clinic.v1.TeleconsultationService/MarkTeleconsultationNoShow": (
        lambda s, c, db, p: s.teleconsultations.MarkTeleconsultationNoShow(T.MarkTeleconsultationNoShowRequest(
            id=_after(_scheduled(s, p, timedelta(seconds=1)), 1.1).id), metadata=NURSE),
        "teleconsultation.no_show", "nurse-zhao"),
    "linli.clinic.v1.TeleconsultationService/AddTeleconsultationNote": (
        lambda s, c, db, p: s.teleconsultations.AddTeleconsultationNote(
            T.AddTeleconsultationNoteRequest(id=_teleconsultation(s, p).id, text="已电话通知患者"), metadata=NURSE),
        "teleconsultation.add_note", "nurse-zhao"),
    "linli.clinic.v1.TeleconsultationService/GetTeleconsultation": (
        lambda s, c, db, p: s.teleconsultations.GetTeleconsultation(
            T.GetTeleconsultationRequest(id=_teleconsultation(s, p).id), metadata=as_("resident", p.resident_id)),
        "teleconsultation.read", "resident"),
    "linli.clinic.v1.TeleconsultationService/ListTeleconsultations": (
        lambda s, c, db, p: (_teleconsultation(s, p), s.teleconsultations.ListTeleconsultations(
            T.ListTeleconsultationsRequest(patient_id=p.id), metadata=NURSE)),
        "teleconsultation.list", "nurse-zhao"),
    "linli.clinic.v1.TeleconsultationService/EnterTeleconsultationRoom": (
        lambda s, c, db, p: _entered(s, p), "teleconsultation.enter_room", "resident"),
    "linli.clinic.v1.TeleconsultationService/LeaveTeleconsultationRoom": (
        lambda s, c, db, p: s.teleconsultations.LeaveTeleconsultationRoom(T.LeaveTeleconsultationRoomRequest(
            id=_entered(s, p).id, peer="contract-peer-1"), metadata=as_("resident", p.resident_id)),
        "teleconsultation.leave_room", "resident"),
    "linli.clinic.partner.v1.PartnerExchangeService/ListTeleconsultations": (
        lambda s, c, db, p: (_scheduled(s, p, timedelta(minutes=5)),
                             c.ListTeleconsultations(P.ListTeleconsultationsRequest(page_size=200))),
        "teleconsultation.list", CITY),
    "linli.clinic.partner.v1.PartnerExchangeService/IssueTeleconsultationJoinLink": (
        lambda s, c, db, p: c.IssueTeleconsultationJoinLink(P.IssueTeleconsultationJoinLinkRequest(
            teleconsultation_id=_scheduled(s, p, timedelta(minutes=5)).id)), "teleconsultation.issue_join_link", CITY),
    "linli.clinic.v1.ReferralService/CreateReferral": (
        lambda s, c, db, p: refer_up(s, p), "referral.create", "nurse-zhao"),
    "linli.clinic.v1.ReferralService/UpdateReferralTask": (
        lambda s, c, db, p: s.referrals.UpdateReferralTask(R.UpdateReferralTaskRequest(
            id=refer_up(s, p).id, status=R.TASK_STATUS_CANCELLED, reason="患者拒绝"), metadata=NURSE),
        "referral.update_task", "nurse-zhao"),
    "linli.clinic.v1.ReferralService/AttachReferralOutcome": (
        lambda s, c, db, p: s.referrals.AttachReferralOutcome(R.AttachReferralOutcomeRequest(
            id=_accepted_by_clinic(s, c, p).id, text="已上门随访，血压130/80"), metadata=NURSE),
        "referral.attach_outcome", "nurse-zhao"),
    "linli.clinic.v1.ReferralService/GetReferral": (
        lambda s, c, db, p: s.referrals.GetReferral(R.GetReferralRequest(id=refer_up(s, p).id),
                                                    metadata=as_("resident", p.resident_id)),
        "referral.read", "resident"),
    "linli.clinic.v1.ReferralService/ListReferrals": (
        lambda s, c, db, p: (refer_up(s, p), s.referrals.ListReferrals(R.ListReferralsRequest(patient_id=p.id),
                                                                       metadata=NURSE)),
        "referral.list", "nurse-zhao"),
    "linli.clinic.v1.ReferralService/GetReferralFhir": (
        lambda s, c, db, p: s.referrals.GetReferralFhir(R.GetReferralFhirRequest(id=refer_up(s, p).id),
                                                        metadata=NURSE), "referral.read_fhir", "nurse-zhao"),
    "linli.clinic.v1.TriageService/ListTriageEntries": (
        lambda s, c, db, p: (triage_entry(db, p), s.triage.ListTriageEntries(
            triage_pb2.ListTriageEntriesRequest(page_size=200), metadata=NURSE)), "triage.list", "nurse-zhao"),
    "linli.clinic.v1.TriageService/GetTriageEntry": (
        lambda s, c, db, p: s.triage.GetTriageEntry(triage_pb2.GetTriageEntryRequest(id=triage_entry(db, p).id),
                                                    metadata=NURSE), "triage.read", "nurse-zhao"),
    "linli.clinic.v1.TriageService/AcknowledgeTriageEntry": (
        lambda s, c, db, p: s.triage.AcknowledgeTriageEntry(
            triage_pb2.AcknowledgeTriageEntryRequest(id=triage_entry(db, p).id), metadata=NURSE),
        "triage.acknowledge", "nurse-zhao"),
    "linli.clinic.v1.TriageService/CloseTriageEntry": (
        lambda s, c, db, p: s.triage.CloseTriageEntry(triage_pb2.CloseTriageEntryRequest(
            id=triage_entry(db, p).id, disposition=triage_pb2.TRIAGE_DISPOSITION_ADVICE_GIVEN), metadata=NURSE),
        "triage.close", "nurse-zhao"),
    "linli.clinic.partner.v1.PartnerExchangeService/SubmitReferral": (
        lambda s, c, db, p: _received_from_city(s, c, p), "referral.submit", CITY),
    "linli.clinic.partner.v1.PartnerExchangeService/UpdateTaskStatus": (
        lambda s, c, db, p: _accepted_by_city(s, c, p), "referral.update_task", CITY),
    "linli.clinic.partner.v1.PartnerExchangeService/AttachOutcome": (
        lambda s, c, db, p: c.AttachOutcome(P.AttachOutcomeRequest(
            referral_id=_accepted_by_city(s, c, p).id, text="已收治入院")), "referral.attach_outcome", CITY),
    "linli.clinic.partner.v1.PartnerExchangeService/GetReferral": (
        lambda s, c, db, p: c.GetReferral(P.GetReferralRequest(referral_id=refer_up(s, p).id)), "referral.read", CITY),
    "linli.clinic.partner.v1.PartnerExchangeService/ListReferrals": (
        lambda s, c, db, p: (refer_up(s, p), c.ListReferrals(P.ListReferralsRequest(
            changed_since=_ago(seconds=5), page_size=200))), "referral.list", CITY),
    "linli.clinic.partner.v1.PartnerExchangeService/WatchReferrals": (
        lambda s, c, db, p: _watched(c, s, p), "referral.watch", CITY),
    "linli.clinic.partner.v1.PartnerExchangeService/GetReferralFhir": (
        lambda s, c, db, p: c.GetReferralFhir(P.GetReferralFhirRequest(referral_id=refer_up(s, p).id)),
        "referral.read_fhir", CITY),
}


def _after(value, seconds: float):
    time.sleep(seconds)
    return value


def _ago(seconds: float) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(datetime.now(timezone.utc) - timedelta(seconds=seconds))
    return stamp


def _accepted_by_clinic(stubs, city, patient):
    r = _received_from_city(stubs, city, patient)
    return stubs.referrals.UpdateReferralTask(R.UpdateReferralTaskRequest(id=r.id, status=R.TASK_STATUS_ACCEPTED),
                                              metadata=NURSE).referral


def test_every_method_that_touches_patient_data_is_in_the_audit_table():
    from google.protobuf import descriptor_pool

    pool = descriptor_pool.Default()  # the generated modules imported above registered every service
    methods = {f"{name}/{m.name}" for name in PATIENT_SERVICES for m in pool.FindServiceByName(name).methods}
    assert methods - NO_PATIENT_DATA == set(CALLS), "each new method needs an audit test here"


@pytest.mark.parametrize("method", sorted(CALLS))
def test_each_patient_data_method_writes_an_audit_record(method, stubs, city, clinic_db):
    call, action, actor = CALLS[method]
    patient = consenting(stubs)
    result = call(stubs, city, clinic_db, patient)
    if isinstance(result, patients_pb2.Patient):  # the call made its own patient
        patient = result
    records = stubs.audit.ListAuditRecords(audit_pb2.ListAuditRecordsRequest(patient_id=patient.id, page_size=200),
                                           metadata=ADMIN).records
    newest = records[0]
    assert newest.action == action, [r.action for r in records]
    assert newest.actor == (patient.resident_id if actor == "resident" else actor)
    assert newest.patient_id == patient.id and newest.community_id == COMMUNITY and newest.purpose
    assert newest.channel == (audit_pb2.AUDIT_CHANNEL_PARTNER if actor == CITY else audit_pb2.AUDIT_CHANNEL_GRPC)
    assert abs(newest.at.ToDatetime(tzinfo=timezone.utc) - datetime.now(timezone.utc)) < timedelta(seconds=30)


def test_a_stated_purpose_and_the_gateways_door_are_recorded(stubs):
    patient = register_patient(stubs)
    via_gateway = [*NURSE, ("x-linli-purpose", quote("家访前核对用药")), ("x-linli-channel", "http")]
    stubs.patients.GetPatient(patients_pb2.GetPatientRequest(id=patient.id), metadata=via_gateway)
    newest = stubs.audit.ListAuditRecords(audit_pb2.ListAuditRecordsRequest(patient_id=patient.id),
                                          metadata=ADMIN).records[0]
    assert (newest.purpose, newest.channel) == ("家访前核对用药", audit_pb2.AUDIT_CHANNEL_HTTP)
