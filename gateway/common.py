"""What every route module uses, in one place: the caller and the gRPC call options made on their behalf,
the page and idempotency parameters, and the mapping of gRPC errors to problems. Route modules import these
from here, not from one another."""
from fastapi import Request

from gateway.auth import require_caller
from gateway.models import IdempotencyKey, PageSize, PageToken
from gateway.problems import Problem, from_rpc_error
from linli.kit.identity import Caller

__all__ = ["Caller", "IdempotencyKey", "PageSize", "PageToken", "Problem", "call_options", "from_rpc_error",
           "page", "require_caller"]


def call_options(request: Request, caller: Caller) -> dict:
    """Identity, request id and deadline for a gRPC call made on behalf of this HTTP request."""
    return {
        "metadata": [*caller.to_metadata(), ("x-request-id", request.state.request_id)],
        "timeout": request.app.state.grpc_timeout,
    }


def page(items: list, next_page_token: str) -> dict:
    """A page of a list: its items and the token of the next page (null on the last)."""
    return {"items": items, "next_page_token": next_page_token or None}


def link_token(token: str | None, header: str, scheme: str) -> str:
    """A link's or an invitation's token, the credential of a room that also admits people without a Linli
    account. A request without it is unauthenticated (401, before anything else about it is checked), as
    one without a bearer token is on every other route."""
    if token is None:
        raise Problem(401, "unauthenticated", "Unauthenticated", f"The token of your link is required ({header}).",
                      headers={"WWW-Authenticate": f'{scheme} realm="linli"'})
    return token
