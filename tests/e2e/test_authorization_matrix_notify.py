"""The authorization matrix of notifications: every endpoint × every role × the caller's own object and someone
else's, generated from the one table below (TABLE), each cell a test that asserts the status the gateway answers.

Every notify route is the caller's own: their push endpoints, their inbox, their preferences. "Own" is the
caller's endpoint or notification; "foreign" is another person's of the same community (a neighbour's, for
every role: nobody, an operator included, reads or changes another person's), which must look absent (404).
Routes that address nothing but the caller have an "own" cell only. Going on duty as the supervisor is for
operators and administrators alone.

A notification comes from an event, so the cells' own notifications are written with the notify service's
store, as tests/e2e/test_notify_flow.py shows the real path. The machinery is shared (tests/e2e/matrix.py).
"""
import base64
import uuid

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from linli.kit.mongo import connect, utcnow
from services.notify.domain import notifications as notes
from services.notify.store.notify import NotifyStore
from tests.e2e import matrix
from tests.e2e.conftest import COMMUNITY
from tests.e2e.matrix import Row, assert_cell, cells, every, uncovered_routes

SUPERVISORS = ("operator", "administrator")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def subscription(target=None, bundle=None) -> dict:
    """What a browser's PushSubscription.toJSON() gives (the push service URL is never called here)."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"kind": "web_push", "endpoint": f"https://push.example.com/wpush/{uuid.uuid4().hex}",
            "keys": {"p256dh": _b64(key), "auth": _b64(uuid.uuid4().bytes)}, "expirationTime": None}


TABLE = [
    Row("GET", "/v1/push/web-push-key", "none", {}, 200, foreign_others=None),
    Row("POST", "/v1/me/push-endpoints", "none", {}, 201, foreign_others=None, body=subscription),
    Row("POST", "/v1/me/push-endpoints", "none", {}, 201, foreign_others=None, label="device token",
        body=lambda target, bundle: {"kind": "mobile_push", "provider": "huawei", "token": uuid.uuid4().hex}),
    Row("GET", "/v1/me/push-endpoints", "none", {}, 200, foreign_others=None),
    Row("DELETE", "/v1/me/push-endpoints/{id}", "endpoint", {}, 200),
    Row("GET", "/v1/me/notifications", "none", {}, 200, foreign_others=None),
    Row("PATCH", "/v1/me/notifications/{id}", "notification", {}, 200, body={"read": True}),
    Row("GET", "/v1/me/notifications/stream", "none", {}, 200, foreign_others=None),
    Row("GET", "/v1/me/notification-preferences", "none", {}, 200, foreign_others=None),
    Row("PATCH", "/v1/me/notification-preferences", "none", {}, 200, foreign_others=None,
        body={"language": "en", "quiet_hours_start": "22:00", "quiet_hours_end": "07:00"}),
    Row("PATCH", "/v1/me/notification-preferences", "none", every(200, *SUPERVISORS), 403, foreign_others=None,
        body={"on_duty": True}, label="on duty"),
]
CELLS = cells(TABLE, {})


class World(matrix.World):
    def __init__(self, gateway_url, issuer_dir, mongo_uri, database):
        super().__init__(gateway_url, issuer_dir)
        self.mongo = connect(mongo_uri, "matrix-notify")
        self.store = NotifyStore(self.mongo, self.mongo[database])

    def close(self):
        super().close()
        self.mongo.close()

    def subject(self, role: str, which: str) -> str:
        return f"mx-{role}-{which}-{self.tag}"

    def headers_of(self, role: str, which: str) -> dict:
        return self.token(role, self.subject(role, which), (COMMUNITY,))

    def endpoint_of(self, role: str, which: str) -> str:
        self.ok("GET", "/v1/me/notification-preferences", headers=self.headers_of(role, which))  # known to notify
        return self.ok("POST", "/v1/me/push-endpoints", headers=self.headers_of(role, which), json=subscription())["id"]

    def notification_of(self, role: str, which: str) -> str:
        now, event_id = utcnow(), str(uuid.uuid4())
        note = notes.Notification(
            f"{event_id}:{self.subject(role, which)}", self.subject(role, which), COMMUNITY, event_id,
            notes.COMPLETED, "cr-mx", "elder-mx", notes.ROUTINE, "服务已完成", "老人的助餐服务已完成。", "zh", now)
        self.store.add_notifications(None, [note], 0)
        return note.id

    def call(self, row: Row, role: str, which: str) -> tuple[int, str]:
        target = ""
        if row.target == "endpoint":
            target = self.endpoint_of(role, which)
        elif row.target == "notification":
            target = self.notification_of(role, which)
        return self.send(row, None, target, self.headers_of(role, "own"))


@pytest.fixture(scope="session")
def world(stack, gateway_url, issuer_dir):
    world = World(gateway_url, issuer_dir, stack.env["MONGO_URI"], f"{stack.env['MONGO_DB_PREFIX']}notify")
    yield world
    world.close()


@pytest.mark.parametrize("row, role, which", CELLS)
def test_authorization(world, row, role, which):
    assert_cell(world, row, role, which)


def test_the_matrix_covers_every_notify_route(gateway_url):
    """A route added without a row here fails this test."""
    httpx.get(f"{gateway_url}/openapi.json", timeout=60)  # built once, on first call: seconds on a busy machine
    assert uncovered_routes(gateway_url, TABLE, NOTIFY_PREFIXES) == []


NOTIFY_PREFIXES = ("/v1/push", "/v1/me/push-endpoints", "/v1/me/notifications", "/v1/me/notification-preferences")
