"""A development CA for the medical alliance, and the certificates it issues: a client certificate for a
partner hospital, and the server certificate of the clinic's partner port. For local runs and tests
only; a real alliance runs its own CA and hands the clinic a Secret (docs/operations.md).

    linli partner-cert --partner city-central-hospital     var/partners/city-central-hospital/{client.key,client.crt,ca.crt}
    linli partner-cert --server                            var/partner-tls/{server.key,server.crt,ca.crt}

The CA key lives in var/alliance-ca/ (git-ignored, like everything under var/); keys are written
readable by their owner only.
"""
import argparse
import datetime as dt
import ipaddress
import os
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CA_DIR = ROOT / "var" / "alliance-ca"
DEFAULT_PARTNERS_DIR = ROOT / "var" / "partners"
CA_KEY, CA_CERT = "ca.key", "ca.crt"
SERVER_HOSTS = ("localhost", "127.0.0.1", "clinic-api")


def _write(path: Path, data: bytes, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)  # atomic: a server re-reading the files never sees half of one


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def create_ca(ca_dir: Path, name: str = "Linli alliance development CA", days: int = 3650) -> x509.Certificate:
    """A new CA in ca_dir (replacing any there)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Linli medical alliance (development)"),
                         x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = _now()
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    _write(ca_dir / CA_KEY, _key_pem(key), private=True)
    _write(ca_dir / CA_CERT, _cert_pem(cert))
    return cert


def ensure_ca(ca_dir: Path) -> None:
    if not (ca_dir / CA_KEY).exists() or not (ca_dir / CA_CERT).exists():
        create_ca(ca_dir)


def _load_ca(ca_dir: Path):
    key = serialization.load_pem_private_key((ca_dir / CA_KEY).read_bytes(), password=None)
    cert = x509.load_pem_x509_certificate((ca_dir / CA_CERT).read_bytes())
    return key, cert


def issue(ca_dir: Path, common_name: str, server: bool, hosts: tuple[str, ...] = (),
          days: int = 365) -> tuple[bytes, bytes]:
    """A key and a certificate for common_name, signed by the CA in ca_dir: (key PEM, certificate PEM)."""
    ca_key, ca_cert = _load_ca(ca_dir)
    key = ec.generate_private_key(ec.SECP256R1())
    names = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    now = _now()
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name),
                                        x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
               .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH if server
                                                     else ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    return _key_pem(key), _cert_pem(cert)


def issue_partner(ca_dir: Path, partner_id: str, out_dir: Path) -> Path:
    """A partner hospital's client certificate: out_dir/{client.key, client.crt, ca.crt}."""
    ensure_ca(ca_dir)
    key, cert = issue(ca_dir, partner_id, server=False)
    _write(out_dir / "client.key", key, private=True)
    _write(out_dir / "client.crt", cert)
    _write(out_dir / "ca.crt", (ca_dir / CA_CERT).read_bytes())
    return out_dir


def issue_server(ca_dir: Path, out_dir: Path, hosts: tuple[str, ...] = SERVER_HOSTS,
                 trusted_ca_dirs: tuple[Path, ...] = ()) -> Path:
    """The partner port's material: out_dir/{server.key, server.crt, ca.crt}. ca.crt trusts this CA and
    any in trusted_ca_dirs (a bundle of old and new CA while partners move during a rotation)."""
    ensure_ca(ca_dir)
    key, cert = issue(ca_dir, "clinic-partner-port", server=True, hosts=hosts)
    bundle = b"".join((d / CA_CERT).read_bytes() for d in (ca_dir, *trusted_ca_dirs))
    # The CA bundle first, the key before its certificate: a server re-reading mid-rotation sees a
    # mismatched pair at worst, refuses it and keeps the pair it has until the certificate lands.
    _write(out_dir / "ca.crt", bundle)
    _write(out_dir / "server.key", key, private=True)
    _write(out_dir / "server.crt", cert)
    return out_dir


def ensure_server(tls_dir: Path, ca_dir: Path = DEFAULT_CA_DIR) -> None:
    """Development material for the partner port, made once (what `linli run` needs)."""
    if not all((tls_dir / name).exists() for name in ("server.key", "server.crt", "ca.crt")):
        issue_server(ca_dir, tls_dir)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linli partner-cert",
                                     description="Issue certificates from the alliance's development CA.")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--partner", help="a partner hospital's id: its client certificate's common name")
    which.add_argument("--server", action="store_true", help="the clinic's partner-port certificate")
    parser.add_argument("--ca-dir", type=Path, default=DEFAULT_CA_DIR, help="the development CA (made if missing)")
    parser.add_argument("--out", type=Path, help="where to write (default var/partners/<partner> or "
                                                 "CLINIC_PARTNER_TLS_DIR)")
    parser.add_argument("--host", action="append", help="a name or IP the server is reached at (repeatable)")
    args = parser.parse_args(argv)
    if args.server:
        from linli.kit.config import setting

        out = args.out or ROOT / setting("CLINIC_PARTNER_TLS_DIR")
        issue_server(args.ca_dir, out, tuple(args.host or SERVER_HOSTS))
        print(f"partner-port certificate in {out} (server.key, server.crt, ca.crt); a running clinic api "
              "picks it up at its next handshake")
    else:
        out = args.out or DEFAULT_PARTNERS_DIR / args.partner
        issue_partner(args.ca_dir, args.partner, out)
        print(f"client certificate of {args.partner} in {out} (client.key, client.crt, ca.crt); the partner must "
              "also be listed in CLINIC_PARTNERS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
