"""Short-lived TURN credentials, as coturn's TURN REST API expects them (use-auth-secret): the username is
`<expiry unix time>:<subject>` and the password is base64(HMAC-SHA1(shared secret, username)). coturn
recomputes the password from the username with the same secret and refuses it after the expiry, so the
gateway and coturn share nothing but the secret, and a leaked credential is worth minutes."""
import base64
import hashlib
import hmac
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class TurnCredential:
    username: str
    password: str
    expires_at: int  # unix seconds


def credential(secret: str, subject: str, ttl_seconds: int, now: float | None = None) -> TurnCredential:
    if not secret:
        raise ValueError("no TURN shared secret")
    if ":" in subject:
        raise ValueError("a TURN subject cannot contain ':'")
    expires_at = int(now if now is not None else time.time()) + int(ttl_seconds)
    username = f"{expires_at}:{subject}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return TurnCredential(username, base64.b64encode(digest).decode(), expires_at)


def urls(setting_value: str) -> list[str]:
    """The TURN/STUN URLs of a comma-separated setting."""
    return [url.strip() for url in setting_value.split(",") if url.strip()]
