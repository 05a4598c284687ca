"""The clinic api as its own process for the contract tier (both ports: the internal api and the partner
exchange with mutual TLS), with helpers to call it as clinicians, residents and partner hospitals.
Test modules import the fixtures they use from here; certificates come from a CA made for the session.

Partner certificates: "city-central-hospital" and "district-hospital" are listed partners;
"rural-hospital" holds a certificate of the alliance CA but is not listed; "rogue" is a certificate
from another CA that calls itself city-central-hospital."""
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest

from linli_dev import partner_ca
from linli.clinic.partner.v1 import partner_pb2_grpc
from linli.clinic.v1 import patients_pb2 as ppb
from linli.clinic.v1 import audit_pb2_grpc, patients_pb2_grpc, referrals_pb2_grpc, teleconsultations_pb2_grpc
from linli.clinic.v1 import referrals_pb2 as rpb
from linli.clinic.v1 import triage_pb2_grpc
from linli_dev.devstack import DevStack, free_port
from linli.kit.config import setting
from linli.kit.identity import Caller

COMMUNITY = "donghuayuan"
CITY, DISTRICT, UNLISTED = "city-central-hospital", "district-hospital", "rural-hospital"
PARTNERS = f"{CITY},{DISTRICT}"


@dataclass
class ClinicStack:
    stack: DevStack
    api: str
    partner_address: str
    certs: Path  # <name>/{client.key, client.crt, ca.crt}

    def partner_credentials(self, name: str, trust: str | None = None) -> grpc.ChannelCredentials:
        folder = self.certs / name
        root = (self.certs / (trust or name) / "ca.crt").read_bytes()
        return grpc.ssl_channel_credentials(root_certificates=root, private_key=(folder / "client.key").read_bytes(),
                                            certificate_chain=(folder / "client.crt").read_bytes())


@pytest.fixture(scope="session")
def clinic():
    base = Path(tempfile.mkdtemp(prefix="linli-clinic-contract-"))
    ca, rogue_ca, certs = base / "alliance-ca", base / "rogue-ca", base / "partners"
    partner_ca.issue_server(ca, base / "tls")
    for name in (CITY, DISTRICT, UNLISTED):
        partner_ca.issue_partner(ca, name, certs / name)
    # Another CA's certificate in a listed partner's name: TLS must refuse it.
    partner_ca.issue_partner(rogue_ca, CITY, certs / "rogue")
    (certs / "rogue" / "ca.crt").write_bytes((ca / "ca.crt").read_bytes())  # it knows whom to trust
    env = {"CLINIC_API_ADDR": f"127.0.0.1:{free_port()}", "CLINIC_PARTNER_ADDR": f"127.0.0.1:{free_port()}",
           "CLINIC_PARTNER_TLS_DIR": str(base / "tls"), "CLINIC_PARTNERS": PARTNERS,
           "AMQP_URI": setting("AMQP_URI"), "MONGO_DB_PREFIX": "contract_"}
    stack = DevStack(env, base / "logs")
    try:
        stack.isolate_broker()
        stack.start_mongo(":memory:")
        stack.start_api("clinic")
        yield ClinicStack(stack, env["CLINIC_API_ADDR"], env["CLINIC_PARTNER_ADDR"], certs)
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def internal(clinic):
    with grpc.insecure_channel(clinic.api) as channel:
        yield channel


def partner_channel(clinic: ClinicStack, name: str) -> grpc.Channel:
    return grpc.secure_channel(clinic.partner_address, clinic.partner_credentials(name))


@pytest.fixture(scope="session")
def city(clinic):
    with partner_channel(clinic, CITY) as channel:
        yield partner_pb2_grpc.PartnerExchangeServiceStub(channel)


@pytest.fixture(scope="session")
def district(clinic):
    with partner_channel(clinic, DISTRICT) as channel:
        yield partner_pb2_grpc.PartnerExchangeServiceStub(channel)


class Clinic:
    """Stubs of the internal api and who calls them."""

    def __init__(self, channel):
        self.patients = patients_pb2_grpc.PatientServiceStub(channel)
        self.teleconsultations = teleconsultations_pb2_grpc.TeleconsultationServiceStub(channel)
        self.referrals = referrals_pb2_grpc.ReferralServiceStub(channel)
        self.triage = triage_pb2_grpc.TriageServiceStub(channel)
        self.audit = audit_pb2_grpc.AuditServiceStub(channel)


@pytest.fixture(scope="session")
def stubs(internal):
    return Clinic(internal)


def as_(role: str, subject: str, *communities: str) -> list[tuple[str, str]]:
    return Caller(subject, frozenset({role}), frozenset(communities or (COMMUNITY,))).to_metadata()


NURSE = as_("clinician", "nurse-zhao")
ADMIN = as_("administrator", "admin-sun")


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def register_patient(stubs: Clinic, name: str = "刘桂兰", community: str = COMMUNITY, consents=()) -> ppb.Patient:
    """A patient (resident id fresh per call); consents: (recipient, scopes) granted on a signed form."""
    resident = fresh("elder")
    patient = stubs.patients.RegisterPatient(ppb.RegisterPatientRequest(
        community_id=community, resident_id=resident, details=ppb.PatientDetails(
            name=name, sex=ppb.SEX_FEMALE, birth_date="1948-03-12", phone="138 0413 1001",
            problems=["高血压"], medications=["硝苯地平"], allergies=["青霉素"])),
        metadata=as_("clinician", "nurse-zhao", community)).patient
    for recipient, scopes in consents:
        patient = stubs.patients.GrantConsent(ppb.GrantConsentRequest(
            patient_id=patient.id, recipient=recipient, scopes=scopes),
            metadata=as_("clinician", "nurse-zhao", community)).patient
    return patient


ALL_SCOPES = [ppb.CONSENT_SCOPE_REFERRAL, ppb.CONSENT_SCOPE_TELECONSULTATION, ppb.CONSENT_SCOPE_SUMMARY,
              ppb.CONSENT_SCOPE_RESULTS]


def refer_up(stubs: Clinic, patient: ppb.Patient, performer: str = CITY, reason: str = "胸闷气短两周，心电图ST段改变",
             request_id: str = "") -> rpb.Referral:
    return stubs.referrals.CreateReferral(rpb.CreateReferralRequest(
        patient_id=patient.id, performer_id=performer, request_id=request_id,
        content=rpb.ReferralContent(category=rpb.REFERRAL_CATEGORY_REFERRAL, priority=rpb.REFERRAL_PRIORITY_URGENT,
                                    reason=reason, clinical_summary="高血压十年，近两周活动后胸闷。",
                                    practitioner="赵医生")),
        metadata=NURSE).referral
