"""Where a person can be reached by push: a browser's Web Push subscription or a mobile device token.
Pure: checks what a client sends and gives the endpoint its stable id."""
import base64
import hashlib
import re
from datetime import datetime
from urllib.parse import urlparse

from linli.kit.errors import check_fields
from services.notify.domain.notifications import MOBILE_PUSH, WEB_PUSH, Endpoint

PROVIDER = re.compile(r"^[a-z0-9_-]{1,32}$")
MAX_URL = 2048
MAX_TOKEN = 4096
MAX_LABEL = 60
# Push services are HTTPS; plain HTTP only to this machine, for a developer's (or a test's) own service.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _b64url(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError):
        return None


def endpoint_id(kind: str, push_url: str, provider: str, token: str) -> str:
    key = push_url if kind == WEB_PUSH else f"{provider}:{token}"
    return hashlib.sha256(f"{kind}|{key}".encode()).hexdigest()[:32]


def register(user_id: str, wanted: Endpoint, now: datetime) -> Endpoint:
    """The endpoint to keep for user_id, after checking every field."""
    problems: dict[str, str] = {}
    if wanted.kind == WEB_PUSH:
        url = urlparse(wanted.push_url)
        secure = url.scheme == "https" or (url.scheme == "http" and url.hostname in LOOPBACK_HOSTS)
        if not wanted.push_url or len(wanted.push_url) > MAX_URL or not url.hostname or not secure:
            problems["push_url"] = "the subscription's https endpoint URL"
        key = _b64url(wanted.p256dh)
        if key is None or len(key) != 65 or key[0] != 4:
            problems["p256dh"] = "the subscription's P-256 public key: 65 bytes, base64url"
        secret = _b64url(wanted.auth)
        if secret is None or len(secret) != 16:
            problems["auth"] = "the subscription's auth secret: 16 bytes, base64url"
        kept = Endpoint("", user_id, WEB_PUSH, push_url=wanted.push_url, p256dh=wanted.p256dh, auth=wanted.auth)
    elif wanted.kind == MOBILE_PUSH:
        if not PROVIDER.match(wanted.provider):
            problems["provider"] = "the push vendor: 1 to 32 of a-z 0-9 _ -"
        if not wanted.token or len(wanted.token) > MAX_TOKEN or not wanted.token.isprintable():
            problems["token"] = f"the device token: 1 to {MAX_TOKEN} printable characters"
        kept = Endpoint("", user_id, MOBILE_PUSH, provider=wanted.provider, token=wanted.token)
    else:
        problems["kind"] = "web_push or mobile_push"
        kept = wanted
    if len(wanted.label) > MAX_LABEL or not wanted.label.isprintable():
        problems["label"] = f"up to {MAX_LABEL} printable characters"
    check_fields(problems, "invalid endpoint")
    return Endpoint(endpoint_id(kept.kind, kept.push_url, kept.provider, kept.token), user_id, kept.kind,
                    kept.push_url, kept.p256dh, kept.auth, kept.provider, kept.token, wanted.label.strip(), now)
