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


def position(token: str, parts: int, field: str = "page_token") -> list | None:
    """The position a page token holds (None for the first page); refuses a token of another shape.
    field: the request field the token came in, which the error names."""
    after = decode(token, field)
    if after is not None and len(after) != parts:
        raise not_issued(field)
    return after


def not_issued(field: str = "page_token") -> InvalidArgument:
    return InvalidArgument(f"{field} is not one this service issued: pass back the {field} it sent, unchanged",
                           {field: "not a token this service issued"})


def next_token(page: list, size: int, key) -> str:
    """page holds up to size + 1 items (one more tells that there is a next page); key gives an item's position."""
    return encode(key(page[size - 1])) if len(page) > size else ""


def decode(token: str, field: str = "page_token") -> list | None:
    if not token:
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if isinstance(position, list):
            return position
    except ValueError:
        pass
    raise InvalidArgument(f"{field} is malformed: pass back the {field} this service sent, unchanged",
                          {field: "malformed: not a token this service issued"})
