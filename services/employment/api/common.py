"""What every employment servicer shares: paging by id and new ids."""
import uuid

from linli.kit import pagination
from linli.kit.errors import InvalidArgument
from services.employment.domain.common import ID_RULE, valid_id


def new_id() -> str:
    return str(uuid.uuid4())


def required_id(value: str, name: str = "id") -> str:
    if not valid_id(value):
        raise InvalidArgument(f"{name} is required", {name: ID_RULE})
    return value


def page_request(page_size: int, page_token: str) -> tuple[int, str]:
    """(page size, the id to continue after) of a list request."""
    size = pagination.page_size(page_size)
    position = pagination.position(page_token, 1)
    if position is None:
        return size, ""
    if not isinstance(position[0], str):
        raise InvalidArgument("page_token is not one this service issued", {"page_token": "not recognised"})
    return size, position[0]


def page(records: list, size: int) -> tuple[list, str]:
    """The first size records, and the token for the next page when there is one (records were read with
    a limit of size + 1)."""
    if len(records) > size:
        return records[:size], pagination.encode([records[size - 1].id])
    return records, ""
