"""The development JWT issuer: signs bearer tokens for local runs and tests with an RSA key it keeps in
LINLI_DEV_ISSUER_DIR. Production sets LINLI_JWKS_URL and never uses this.

    python -m gateway.dev_issuer --role operator --community pilot [--subject op-1]
"""
import argparse
import base64
import hashlib
import json
import os
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from linli.kit.config import setting
from linli.kit.identity import ROLES

KEY_FILE = "signing-key.pem"


def _directory(directory: str | Path | None) -> Path:
    return Path(directory if directory is not None else setting("LINLI_DEV_ISSUER_DIR"))


def ensure_key(directory: str | Path | None = None) -> rsa.RSAPrivateKey:
    """The issuer's private key, created (mode 0600) the first time and reused after."""
    directory = _directory(directory)
    path = directory / KEY_FILE
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Write aside, then link into place: two processes starting together end up sharing one key,
        # and nobody ever reads a half-written file.
        temporary = directory / f".{KEY_FILE}.{uuid.uuid4().hex}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def _public_jwk(key: rsa.RSAPrivateKey) -> dict:
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    # kid = RFC 7638 thumbprint, so it changes exactly when the key does.
    canonical = json.dumps({name: jwk[name] for name in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


def jwks(directory: str | Path | None = None) -> dict:
    """The public JWK set an OIDC issuer would publish."""
    return {"keys": [_public_jwk(ensure_key(directory))]}


def issue_token(
    subject: str,
    roles: list[str],
    communities: list[str],
    ttl_seconds: int = 3600 * 8,
    directory: str | Path | None = None,
) -> str:
    """A signed RS256 bearer token; communities ["*"] means every community."""
    unknown = set(roles) - ROLES
    if unknown:
        raise ValueError(f"unknown roles: {', '.join(sorted(unknown))}")
    key = ensure_key(directory)
    now = int(time.time())
    claims = {
        "iss": setting("LINLI_JWT_ISSUER"),
        "aud": setting("LINLI_JWT_AUDIENCE"),
        "sub": subject,
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
        "roles": list(roles),
        "communities": list(communities),
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": _public_jwk(key)["kid"]})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway.dev_issuer", description="Print a development token.")
    parser.add_argument("--role", action="append", required=True, choices=sorted(ROLES), help="repeatable")
    parser.add_argument("--community", action="append", default=[], help='repeatable; "*" means all')
    parser.add_argument("--subject", help="user id (default: dev-<first role>)")
    parser.add_argument("--ttl", type=int, default=3600 * 8, help="lifetime in seconds")
    args = parser.parse_args(argv)
    print(issue_token(args.subject or f"dev-{args.role[0]}", args.role, args.community, args.ttl))


if __name__ == "__main__":
    main()
