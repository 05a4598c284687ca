"""Keyset page tokens shared by the volunteer api's lists."""
from linli.kit import pagination
from linli.kit.errors import InvalidArgument


def position(token: str, parts: int) -> list | None:
    after = pagination.decode(token)
    if after is not None and len(after) != parts:
        raise InvalidArgument("page_token is not one this service issued", {"page_token": "not recognised"})
    return after


def next_token(page: list, size: int, key) -> str:
    """page holds up to size + 1 items (one more tells that there is a next page)."""
    return pagination.encode(key(page[size - 1])) if len(page) > size else ""
