"""Certificate problems on the partner port (the clinic api as its own process, mutual TLS over a real socket):
what the partner is told, and what the clinic's log says about the certificate it refused and why
(docs/partners.md, "When a certificate is refused")."""
import datetime as dt
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from linli_dev import partner_ca
from linli.clinic.partner.v1 import partner_pb2 as pb
from linli.clinic.partner.v1 import partner_pb2_grpc
from linli_dev.devstack import wait_until
from services.clinic.api.partner import REVOKED_SERIALS
from tests.contract.clinic_stack import CITY, UNLISTED, clinic, partner_channel  # noqa: F401 (fixtures)


def api_log(clinic) -> str:  # noqa: F811 (fixture)
    return (clinic.stack.log_dir / "clinic-api.log").read_text(errors="replace")


def list_referrals(clinic, credentials: grpc.ChannelCredentials) -> grpc.RpcError | None:  # noqa: F811
    with grpc.secure_channel(clinic.partner_address, credentials) as channel:
        try:
            partner_pb2_grpc.PartnerExchangeServiceStub(channel).ListReferrals(pb.ListReferralsRequest(), timeout=5)
        except grpc.RpcError as error:
            return error
    return None


def alliance_ca(clinic) -> Path:  # noqa: F811 (fixture)
    return Path(clinic.stack.env["CLINIC_PARTNER_TLS_DIR"]).parent / "alliance-ca"


def certificate(clinic, not_before: dt.datetime, not_after: dt.datetime):  # noqa: F811 (fixture)
    """A client certificate of the alliance CA for city-central-hospital, valid only between the two times."""
    ca_key, ca_cert = partner_ca._load_ca(alliance_ca(clinic))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CITY)]))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return grpc.ssl_channel_credentials(root_certificates=partner_ca._cert_pem(ca_cert),
                                        private_key=partner_ca._key_pem(key),
                                        certificate_chain=partner_ca._cert_pem(cert))


def serial_of(folder: Path) -> int:
    return x509.load_pem_x509_certificate((folder / "client.crt").read_bytes()).serial_number


def test_a_partner_that_is_not_listed_is_told_not_to_retry_and_the_log_names_its_certificate(clinic):
    error = list_referrals(clinic, clinic.partner_credentials(UNLISTED))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED and "do not retry" in error.details()
    serial = serial_of(clinic.certs / UNLISTED)
    wait_until(lambda: f"serial {serial:x}" in api_log(clinic), 10, "the refusal in the api's log")
    [line] = [line for line in api_log(clinic).splitlines() if f"serial {serial:x}" in line]
    assert f"subject CN={UNLISTED}" in line and "issuer CN=Linli alliance development CA" in line
    assert "not a listed partner" in line


def test_a_revoked_certificate_is_refused_on_its_first_call_while_the_partners_new_one_works(clinic, tmp_path):
    partner_ca.issue_partner(alliance_ca(clinic), CITY, tmp_path / "old")
    revoked = Path(clinic.stack.env["CLINIC_PARTNER_TLS_DIR"]) / REVOKED_SERIALS
    old = grpc.ssl_channel_credentials(root_certificates=(tmp_path / "old" / "ca.crt").read_bytes(),
                                       private_key=(tmp_path / "old" / "client.key").read_bytes(),
                                       certificate_chain=(tmp_path / "old" / "client.crt").read_bytes())
    assert list_referrals(clinic, old) is None
    serial = serial_of(tmp_path / "old")
    revoked.write_text(f"# city-central-hospital's laptop was stolen\n{serial:X}\n")
    try:
        error = list_referrals(clinic, old)
        assert error.code() == grpc.StatusCode.UNAUTHENTICATED and "revoked" in error.details()
        assert "do not retry" in error.details()
        assert list_referrals(clinic, clinic.partner_credentials(CITY)) is None
        wait_until(lambda: f"serial {serial:x}" in api_log(clinic), 10, "the refusal in the api's log")
        assert "is revoked" in api_log(clinic)
    finally:
        revoked.unlink()
    assert list_referrals(clinic, old) is None  # the list is re-read when it changes


@pytest.mark.parametrize("days_from, days_to, reason", [(-30, -1, "certificate has expired"),
                                                        (1, 30, "certificate is not yet valid")])
def test_a_certificate_out_of_its_validity_is_refused_in_the_handshake_and_the_log_says_why(clinic, days_from,
                                                                                            days_to, reason):
    """grpcio refuses these before any call (the partner sees UNAVAILABLE); its own log line gives the reason,
    which docs/partners.md tells operators to look for."""
    now = dt.datetime.now(dt.timezone.utc)
    error = list_referrals(clinic, certificate(clinic, now + dt.timedelta(days=days_from),
                                               now + dt.timedelta(days=days_to)))
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    wait_until(lambda: f"CERTIFICATE_VERIFY_FAILED: {reason}" in api_log(clinic), 10, "the handshake in the log")


def test_a_partners_certificate_near_its_end_is_served_and_warned_about_once_in_the_log(clinic):
    now = dt.datetime.now(dt.timezone.utc)
    soon = certificate(clinic, now - dt.timedelta(days=300), now + dt.timedelta(days=10, hours=1))
    assert list_referrals(clinic, soon) is None and list_referrals(clinic, soon) is None
    warning = f"the certificate of partner {CITY} expires in 10 day(s)"
    wait_until(lambda: warning in api_log(clinic), 10, "the expiry warning in the api's log")
    assert api_log(clinic).count(warning) == 1
