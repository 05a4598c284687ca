"""Errors the domain raises; the gRPC bootstrap maps each to its status code, the gateway to HTTP.

They carry a message fit for the caller (no internals) and, for bad input, which fields were wrong.
"""


class LinliError(Exception):
    code = "INTERNAL"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidArgument(LinliError):
    code = "INVALID_ARGUMENT"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class NotFound(LinliError):
    code = "NOT_FOUND"


class AlreadyExists(LinliError):
    code = "ALREADY_EXISTS"


class FailedPrecondition(LinliError):
    """The request is valid but the resource's state does not allow it (an illegal transition)."""

    code = "FAILED_PRECONDITION"


class Aborted(LinliError):
    """A concurrent change won; the caller may retry."""

    code = "ABORTED"


class PermissionDenied(LinliError):
    code = "PERMISSION_DENIED"


class Unauthenticated(LinliError):
    code = "UNAUTHENTICATED"


def check_fields(problems: dict[str, str], message: str = "invalid request") -> None:
    """Raise one InvalidArgument naming every bad field, so a client can fix them all at once."""
    if problems:
        detail = "; ".join(f"{field}: {why}" for field, why in problems.items())
        raise InvalidArgument(f"{message}: {detail}", problems)
