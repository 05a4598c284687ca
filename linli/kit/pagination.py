"""Opaque cursor tokens for keyset pagination: the client hands back what it was given."""
import base64
import json

from linli.kit.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def page_size(requested: int) -> int:
    if requested == 0:
        return DEFAULT_PAGE_SIZE
    if not 1 <= requested <= MAX_PAGE_SIZE:
        raise InvalidArgument(f"page_size must be between 1 and {MAX_PAGE_SIZE}",
                              {"page_size": f"between 1 and {MAX_PAGE_SIZE}"})
    return requested


def encode(position: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(token: str) -> list | None:
    if not token:
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if isinstance(position, list):
            return position
    except ValueError:
        pass
    raise InvalidArgument("page_token is not one this service issued", {"page_token": "not recognised"})
