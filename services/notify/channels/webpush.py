"""Web Push to browsers and PWAs: the message is encrypted for the subscription's keys (RFC 8291,
aes128gcm), signed for the push service with our VAPID key (RFC 8292), and POSTed to the subscription's
push service URL (RFC 8030), which belongs to the browser's vendor and wakes the page's service worker.

The VAPID key pair is the platform's identity towards push services; browsers subscribe with its public
key (applicationServerKey). It lives in NOTIFY_VAPID_KEY_FILE (PEM), made on first use when absent."""
import base64
import json
import logging
import os
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from services.notify.channels import DeliveryError

log = logging.getLogger(__name__)

# Push services answer these for a subscription that is no more (RFC 8030 section 7.3: 404, 410).
GONE_STATUSES = (404, 410)
# Worth another try later: too many requests, the push service's own trouble.
RETRY_STATUSES = (408, 429, 500, 502, 503, 504)


def load_key(path: str | os.PathLike) -> Vapid:
    """The VAPID key pair in path (PEM), generated there first if there is none."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Vapid()
        key.generate_keys()
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(key.private_pem())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)  # two processes starting at once: one file, whole
        log.info("made a VAPID key pair in %s", path)
    return Vapid.from_file(str(path))


def public_key(key: Vapid) -> str:
    """The applicationServerKey browsers subscribe with: the uncompressed P-256 point, base64url."""
    raw = key.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class WebPushChannel:
    def __init__(self, key: Vapid, subject: str, timeout: float = 10, ttl_seconds: int = 24 * 3600):
        self.key = key
        self.subject = subject  # RFC 8292 "sub": how the push service reaches the operator (mailto: or https:)
        self.timeout = timeout
        self.ttl_seconds = ttl_seconds
        self.session = requests.Session()

    def send(self, push_url: str, p256dh: str, auth: str, message: dict, urgent: bool) -> None:
        subscription = {"endpoint": push_url, "keys": {"p256dh": p256dh, "auth": auth}}
        try:
            webpush(subscription, json.dumps(message, ensure_ascii=False), vapid_private_key=self.key,
                    vapid_claims={"sub": self.subject}, timeout=self.timeout, ttl=self.ttl_seconds,
                    # RFC 8030 section 5.3: an emergency may wake a sleeping phone, routine news may wait.
                    headers={"Urgency": "high" if urgent else "normal"}, requests_session=self.session)
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            reason = f"push service answered {status}" if status else f"push failed: {error.message}"
            if status in GONE_STATUSES:
                raise DeliveryError(reason, gone=True) from None
            raise DeliveryError(reason, permanent=status is not None and status not in RETRY_STATUSES) from None
        except requests.RequestException as error:
            raise DeliveryError(f"push service unreachable: {type(error).__name__}") from None
        except (ValueError, TypeError) as error:  # keys that are not a P-256 point / 16 bytes
            raise DeliveryError(f"subscription keys unusable: {error}", permanent=True) from None
