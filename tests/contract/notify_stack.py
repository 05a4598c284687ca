"""Fixtures for the notify tests: a SecantusDB of their own, a local RFC 8030 push service, a local SMS
provider, and care-request events as eldercare publishes them.

The push service belongs to the browser's vendor (Mozilla's autopush, Google's FCM endpoint, ...), outside
the platform: the test plays it on loopback, and plays the browser too, holding the subscription's private
key and auth secret so that it can decrypt what arrives (RFC 8291) and check the VAPID token (RFC 8292).
The SMS provider (Alibaba Cloud) is outside the platform as well: the test plays its SendSms endpoint,
checking the signature as the provider would."""
import base64
import json
import tempfile
import threading
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import http_ece
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from linli_dev.devstack import DevStack
from linli.eldercare.v1 import eldercare_pb2
from linli.kit.events import envelope
from linli.kit.mongo import connect, ensure_indexes
from linli.kit.outbox import INDEXES as OUTBOX_INDEXES
from linli.eldercare.v1 import events_pb2
from services.notify.channels import sms as sms_channel
from services.notify.channels.mobile import MobilePush
from services.notify.channels.sms import AliyunSms
from services.notify.channels.webpush import WebPushChannel, load_key
from services.notify.delivery import Channels
from services.notify.store.notify import INDEXES, NotifyStore

COMMUNITY = "donghuayuan"
OTHER_COMMUNITY = "xinhuayuan"
# Monday 7 December 2026, 15:00 in Fushun: afternoon, outside anyone's quiet hours.
AFTERNOON = datetime(2026, 12, 7, 7, 0, tzinfo=timezone.utc)
# 02:00 in Fushun.
NIGHT = datetime(2026, 12, 7, 18, 0, tzinfo=timezone.utc)
VAPID_SUBJECT = "mailto:ops@linli.example"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Clock:
    def __init__(self, now=AFTERNOON):
        self.now = now

    def __call__(self):
        return self.now


class Browser:
    """A browser's push subscription: the keys it made (RFC 8291 section 3.2) and its push URL."""

    def __init__(self, push_url: str):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = uuid.uuid4().bytes
        self.push_url = push_url

    @property
    def p256dh(self) -> str:
        return b64url(self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                                  serialization.PublicFormat.UncompressedPoint))

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth,
                                           version="aes128gcm"))


class PushService:
    """A push service on loopback: stores every POST (headers and body) per subscription path, and
    answers 201 Created as RFC 8030 section 5 says, or the status a test sets."""

    def __init__(self):
        self.received: list[dict] = []
        self.status = 201
        self.event = threading.Condition()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with service.event:
                    service.received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                    service.event.notify_all()
                self.send_response(service.status)
                self.send_header("Location", f"{self.path}/message/{len(service.received)}")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.server.server_port}"

    def subscription(self) -> Browser:
        return Browser(f"{self.origin}/wpush/v2/{uuid.uuid4().hex}")

    def to(self, browser: Browser) -> list[dict]:
        path = browser.push_url.removeprefix(self.origin)
        return [r for r in self.received if r["path"] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SmsProvider:
    """Alibaba Cloud's SendSms on loopback: recomputes the signature from the form with the secret it
    shares with us and refuses a request whose signature, or any required parameter, is wrong."""

    REQUIRED = ("AccessKeyId", "Action", "Format", "PhoneNumbers", "RegionId", "SignName", "SignatureMethod",
                "SignatureNonce", "SignatureVersion", "TemplateCode", "TemplateParam", "Timestamp", "Version")

    def __init__(self, access_key_id: str, secret: str):
        self.access_key_id, self.secret = access_key_id, secret
        self.accepted: list[dict] = []
        self.refused: list[str] = []
        self.down = False
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                form = dict(parse_qsl(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()))
                code = provider.check(form)
                status = 503 if provider.down else 200
                answer = {"Code": "ServiceUnavailable"} if provider.down else {"Code": code, "Message": code,
                                                                                  "RequestId": str(uuid.uuid4())}
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/"

    def check(self, form: dict) -> str:
        missing = [name for name in self.REQUIRED if not form.get(name)]
        if missing or form["Action"] != "SendSms" or form["Version"] != "2017-05-25":
            self.refused.append(f"missing or wrong: {missing or form.get('Action')}")
            return "isv.INVALID_PARAMETERS"
        signature = form.pop("Signature", "")
        if signature != sms_channel.sign(form, self.secret) or form["AccessKeyId"] != self.access_key_id:
            self.refused.append("signature")
            return "SignatureDoesNotMatch"
        self.accepted.append(form)
        return "OK"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def notify_mongo():
    stack = DevStack({}, Path(tempfile.mkdtemp(prefix="linli-notify-contract-")))
    try:
        stack.start_mongo(":memory:")
        client = connect(stack.env["MONGO_URI"], "notify-contract")
        yield client
        client.close()
    finally:
        stack.stop()


@pytest.fixture
def store(notify_mongo):
    db = notify_mongo[f"notify_{uuid.uuid4().hex[:8]}"]
    ensure_indexes(db, INDEXES + OUTBOX_INDEXES)
    return NotifyStore(notify_mongo, db)


@pytest.fixture(scope="session")
def push_service():
    service = PushService()
    yield service
    service.close()


@pytest.fixture(scope="session")
def vapid_key():
    return load_key(Path(tempfile.mkdtemp(prefix="linli-vapid-")) / "private_key.pem")


@pytest.fixture
def sms_provider():
    provider = SmsProvider("LTAI-test-key", "test-secret-" + uuid.uuid4().hex)
    yield provider
    provider.close()


@pytest.fixture
def channels(vapid_key, sms_provider):
    return Channels(WebPushChannel(vapid_key, VAPID_SUBJECT, timeout=5), MobilePush([]),
                    AliyunSms(sms_provider.url, sms_provider.access_key_id, sms_provider.secret, "邻里社区",
                              "SMS_0001", timeout=5))


PAYLOADS = {"care_request.raised": events_pb2.CareRequestRaised,
            "care_request.escalated": events_pb2.CareRequestEscalated,
            "care_request.assigned": events_pb2.CareRequestAssigned,
            "care_request.en_route": events_pb2.CareRequestEnRoute,
            "care_request.on_site": events_pb2.CareRequestOnSite,
            "care_request.completed": events_pb2.CareRequestCompleted,
            "care_request.cancelled": events_pb2.CareRequestCancelled}


def care_event(event_type: str, elder_id: str, kind=eldercare_pb2.CARE_KIND_EMERGENCY, community=COMMUNITY,
               at: datetime = AFTERNOON, assignee: str = "", level: int = 0, raised_by: str | None = None,
               care_request_id: str | None = None) -> dict:
    """An eldercare care_request.* event, built from eldercare's published schema."""
    request = eldercare_pb2.CareRequest(
        id=care_request_id or f"cr-{uuid.uuid4().hex[:8]}", community_id=community, elder_id=elder_id, kind=kind,
        raised_by=raised_by if raised_by is not None else elder_id,
        location=eldercare_pb2.Location(building="3号楼", unit="2单元"), escalation_level=level,
        escalated_to=("supervisor", "family_contact", "emergency_services")[level - 1] if level else "")
    if assignee:
        request.assignment.assignee_id = assignee
        request.assignment.assignee_name = "王护工"
    details = {"level": level} if event_type == "care_request.escalated" else {}
    return envelope("eldercare", event_type, community, PAYLOADS[event_type](care_request=request, **details), at)


def vapid_claims(request: dict, key) -> dict:
    """Check the VAPID Authorization header (RFC 8292 section 2-3) and return the JWT's claims."""
    scheme, _, params = request["headers"]["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    assert parts["k"] == b64url(key.public_key.public_bytes(serialization.Encoding.X962,
                                                            serialization.PublicFormat.UncompressedPoint))
    return jwt.decode(parts["t"], public, algorithms=["ES256"], options={"verify_aud": False})


def later(clock: Clock, seconds: float) -> None:
    clock.now = clock.now + timedelta(seconds=seconds)
