"""Bearer-token validation at the gateway: no RabbitMQ, no api (the app's lifespan never starts)."""
import base64
import hashlib
import hmac
import json
import stat
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from gateway import dev_issuer
from gateway.app import create_app
from gateway.auth import Authenticator, InvalidToken, VerifiedTokens
from gateway.board import Board
from linli.eldercare.v1 import eldercare_pb2
from linli.kit.identity import Caller

ISSUER, AUDIENCE = "linli-dev", "linli"


@pytest.fixture
def issuer_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LINLI_DEV_ISSUER_DIR", str(tmp_path))
    monkeypatch.setenv("LINLI_JWT_ISSUER", ISSUER)
    monkeypatch.setenv("LINLI_JWT_AUDIENCE", AUDIENCE)
    return tmp_path


@pytest.fixture
def authenticator(issuer_dir):
    return Authenticator(ISSUER, AUDIENCE, dev_issuer_dir=issuer_dir)


class RecordingEldercare:
    """Stands in for the gRPC stub: remembers what the gateway sent."""

    def __init__(self):
        self.calls = []

    async def GetCareRequest(self, request, metadata, timeout):
        self.calls.append((request, dict(metadata), timeout))
        return eldercare_pb2.GetCareRequestResponse(care_request=eldercare_pb2.CareRequest(id=request.id))


@pytest.fixture
def eldercare():
    return RecordingEldercare()


@pytest.fixture
def client(authenticator, eldercare):
    app = create_app(authenticator=authenticator, board=Board("amqp://127.0.0.1:1/"))
    app.state.eldercare = eldercare  # what the lifespan would set, minus the network
    return TestClient(app)


def _claims(**changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": ISSUER, "aud": AUDIENCE, "sub": "op-1", "iat": now, "nbf": now, "exp": now + 600,
        "roles": ["operator"], "communities": ["pilot"],
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _signed_by_dev_key(claims: dict) -> str:
    return jwt.encode(claims, dev_issuer.ensure_key(), algorithm="RS256")


def _unsigned(claims: dict) -> str:
    return f"{_b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims).encode())}."


def _hs256_with_public_key(claims: dict) -> str:
    # The classic key-confusion attack: HMAC keyed with the (public) RSA key the server verifies with.
    public_pem = dev_issuer.ensure_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _signed_by_another_key(claims: dict) -> str:
    return jwt.encode(claims, rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS256")


BAD_TOKENS = {
    "expired": lambda: _signed_by_dev_key(_claims(exp=int(time.time()) - 3600)),
    "wrong issuer": lambda: _signed_by_dev_key(_claims(iss="someone-else")),
    "wrong audience": lambda: _signed_by_dev_key(_claims(aud="another-app")),
    "alg none": lambda: _unsigned(_claims()),
    "hs256 signed with the public key": lambda: _hs256_with_public_key(_claims()),
    "unknown role": lambda: _signed_by_dev_key(_claims(roles=["operator", "superuser"])),
    "no roles": lambda: _signed_by_dev_key(_claims(roles=None)),
    "missing sub": lambda: _signed_by_dev_key(_claims(sub=None)),
    "missing exp": lambda: _signed_by_dev_key(_claims(exp=None)),
    "signed by another key": lambda: _signed_by_another_key(_claims()),
    "not a jwt": lambda: "not-a-token",
}


def test_a_valid_token_is_accepted_and_its_identity_forwarded_to_the_api(client, eldercare, issuer_dir):
    token = dev_issuer.issue_token("op-1", ["operator"], ["pilot", "east"])

    response = client.get("/v1/care-requests/cr-1", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200, response.text
    assert response.json()["id"] == "cr-1"
    request, metadata, timeout = eldercare.calls[0]
    assert metadata["x-linli-subject"] == "op-1"
    assert metadata["x-linli-roles"] == "operator"
    assert metadata["x-linli-communities"] == "east,pilot"
    assert metadata["x-request-id"] == response.headers["X-Request-Id"]
    assert timeout > 0


def test_the_authenticator_turns_a_valid_token_into_a_caller(authenticator):
    caller = authenticator.caller(dev_issuer.issue_token("admin-1", ["administrator"], ["*"]))

    assert caller.subject == "admin-1"
    assert caller.roles == {"administrator"}
    assert caller.serves("any-community")


@pytest.mark.parametrize("kind", BAD_TOKENS, ids=[name.replace(" ", "_") for name in BAD_TOKENS])
def test_a_bad_token_is_refused_with_a_401_problem_that_does_not_say_why(client, eldercare, kind):
    response = client.get("/v1/care-requests/cr-1", headers={"Authorization": f"Bearer {BAD_TOKENS[kind]()}"})

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    problem = response.json()
    assert problem["type"] == "https://linli.example/problems/invalid-token"
    assert problem["status"] == 401
    assert problem["detail"] == "The bearer token is not valid."
    assert eldercare.calls == []


def test_a_request_without_a_token_is_refused_with_a_bearer_challenge(client, eldercare):
    response = client.post("/v1/care-requests", json={"community_id": "pilot"})

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert eldercare.calls == []


def test_the_authenticator_refuses_a_token_signed_by_another_key(authenticator):
    with pytest.raises(InvalidToken):
        authenticator.caller(_signed_by_another_key(_claims()))


def test_the_board_stream_is_forbidden_to_residents(client, issuer_dir):
    token = dev_issuer.issue_token("r-1", ["resident"], ["pilot"])

    response = client.get("/v1/board/stream", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 403
    assert response.json()["type"] == "https://linli.example/problems/forbidden"


def test_the_dev_issuer_keeps_one_private_key_readable_only_by_its_owner(issuer_dir):
    first = dev_issuer.ensure_key(issuer_dir)
    second = dev_issuer.ensure_key(issuer_dir)

    assert first.private_numbers() == second.private_numbers()
    assert stat.S_IMODE((issuer_dir / dev_issuer.KEY_FILE).stat().st_mode) == 0o600


def test_the_dev_issuer_publishes_the_key_its_tokens_name(issuer_dir):
    token = dev_issuer.issue_token("op-1", ["operator"], ["pilot"])
    (key,) = dev_issuer.jwks()["keys"]

    assert jwt.get_unverified_header(token)["kid"] == key["kid"]
    assert "d" not in key  # public half only
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["RS256"], audience=AUDIENCE, issuer=ISSUER)
    assert claims["roles"] == ["operator"] and claims["communities"] == ["pilot"]


def test_the_dev_issuer_refuses_unknown_roles(issuer_dir):
    with pytest.raises(ValueError):
        dev_issuer.issue_token("x", ["superuser"], ["pilot"])


# -- tokens verified once are remembered, never beyond what a full check would accept -------------------------

class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_a_remembered_token_is_answered_without_checking_it_again(issuer_dir):
    authenticator = Authenticator(ISSUER, AUDIENCE, dev_issuer_dir=issuer_dir)
    token = _signed_by_dev_key(_claims())

    first = authenticator.caller(token)

    assert len(authenticator.verified) == 1
    assert authenticator.verified.get(token) is first
    assert authenticator.caller(token) is first  # the very object remembered: no second decode made it


def test_a_token_that_expires_after_it_was_remembered_is_refused(issuer_dir):
    authenticator = Authenticator(ISSUER, AUDIENCE, dev_issuer_dir=issuer_dir, leeway=0)
    expires = int(time.time()) + 3  # room for signing and checking it on a busy machine
    token = _signed_by_dev_key(_claims(exp=expires))
    assert authenticator.caller(token).subject == "op-1"

    while time.time() < expires:  # the token's own expiry, seconds away
        time.sleep(0.05)

    with pytest.raises(InvalidToken):
        authenticator.caller(token)
    assert authenticator.verified.get(token) is None


def test_a_token_with_the_same_claims_signed_by_another_key_is_refused_after_the_real_one_was_remembered(issuer_dir):
    authenticator = Authenticator(ISSUER, AUDIENCE, dev_issuer_dir=issuer_dir)
    claims = _claims()
    authenticator.caller(_signed_by_dev_key(claims))

    with pytest.raises(InvalidToken):
        authenticator.caller(_signed_by_another_key(claims))
    with pytest.raises(InvalidToken):
        authenticator.caller(_hs256_with_public_key(claims))


def test_a_token_whose_signature_was_altered_is_refused_after_the_real_one_was_remembered(issuer_dir):
    authenticator = Authenticator(ISSUER, AUDIENCE, dev_issuer_dir=issuer_dir)
    token = _signed_by_dev_key(_claims())
    authenticator.caller(token)
    head, payload, signature = token.split(".")
    altered = f"{head}.{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"

    with pytest.raises(InvalidToken):
        authenticator.caller(altered)


def test_a_token_signed_by_a_withdrawn_key_is_refused_once_the_key_set_would_have_been_fetched_again(tmp_path):
    clock = Clock()
    verified = VerifiedTokens(max_age=300, clock=clock)
    before = Authenticator(ISSUER, AUDIENCE, dev_issuer_dir=tmp_path / "old", verified=verified)
    token = jwt.encode(_claims(), dev_issuer.ensure_key(tmp_path / "old"), algorithm="RS256")
    before.caller(token)
    # The issuer replaces its key; the same process's memory of the token stays at most the key set's lifespan.
    after = Authenticator(ISSUER, AUDIENCE, dev_issuer_dir=tmp_path / "new", verified=verified)
    assert after.caller(token).subject == "op-1"

    clock.now += 300

    with pytest.raises(InvalidToken):
        after.caller(token)


def test_the_memory_of_verified_tokens_holds_the_most_recently_used_up_to_its_size():
    clock = Clock()
    verified = VerifiedTokens(size=2, clock=clock)
    callers = {name: Caller(name, frozenset({"operator"}), frozenset({"pilot"})) for name in "abc"}
    verified.put("a", callers["a"], clock.now + 600)
    verified.put("b", callers["b"], clock.now + 600)
    verified.get("a")  # a is now the more recently used
    verified.put("c", callers["c"], clock.now + 600)

    assert verified.get("a") is callers["a"]
    assert verified.get("b") is None
    assert verified.get("c") is callers["c"]


def test_a_refused_token_is_not_remembered(authenticator):
    with pytest.raises(InvalidToken):
        authenticator.caller(_signed_by_dev_key(_claims(aud="another-app")))

    assert len(authenticator.verified) == 0


def test_the_api_sees_the_same_caller_on_every_request_with_a_remembered_token(client, eldercare, issuer_dir):
    token = dev_issuer.issue_token("op-1", ["operator"], ["pilot"])

    for _ in range(3):
        assert client.get("/v1/care-requests/cr-1", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    assert [metadata["x-linli-subject"] for _, metadata, _ in eldercare.calls] == ["op-1"] * 3
