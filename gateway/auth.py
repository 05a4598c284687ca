"""Bearer-token authentication: an RS256 JWT from the OIDC issuer (LINLI_JWKS_URL) or, when none is
configured, from the development issuer. The token becomes a Caller that the gateway forwards to the
service apis in gRPC metadata.

Refusals say only "invalid token": telling a caller which check failed helps an attacker more than them.
"""
import asyncio
import logging
from pathlib import Path

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway import dev_issuer
from gateway.problems import Problem
from linli.kit.config import setting
from linli.kit.identity import ROLES, Caller

log = logging.getLogger(__name__)

# Pinned: never "none", and never HS256, which would let the public key be used as an HMAC secret.
ALGORITHMS = ["RS256"]
REQUIRED_CLAIMS = ["exp", "iss", "aud", "sub"]
# Tolerated clock difference between the issuer and us.
LEEWAY_SECONDS = 30


class InvalidToken(Exception):
    pass


class AuthUnavailable(Exception):
    """The issuer's key set cannot be fetched: our problem, not the caller's."""


def _metadata_safe(value) -> bool:
    # Identity travels in ASCII gRPC metadata as comma-separated lists.
    return isinstance(value, str) and 0 < len(value) <= 255 and value.isascii() and value.isprintable() \
        and "," not in value and " " not in value


class Authenticator:
    def __init__(self, issuer: str, audience: str, jwks_url: str = "", dev_issuer_dir: str | Path | None = None):
        self.issuer = issuer
        self.audience = audience
        if jwks_url:
            # Caches keys, and refetches the set when a token names a kid it hasn't seen (key rotation).
            self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5)
            self._dev_key = None
        else:
            self._jwks = None
            self._dev_key = dev_issuer.ensure_key(dev_issuer_dir).public_key()

    @classmethod
    def from_settings(cls) -> "Authenticator":
        return cls(setting("LINLI_JWT_ISSUER"), setting("LINLI_JWT_AUDIENCE"), setting("LINLI_JWKS_URL"))

    def _key(self, token: str):
        if self._jwks is None:
            return self._dev_key
        try:
            return self._jwks.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as error:
            raise AuthUnavailable(str(error)) from error

    def caller(self, token: str) -> Caller:
        """The Caller a valid token stands for; InvalidToken otherwise. Blocks on a JWKS fetch."""
        try:
            claims = jwt.decode(
                token,
                self._key(token),
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except (jwt.PyJWTError, ValueError) as error:
            raise InvalidToken(str(error)) from error
        subject, roles, communities = claims["sub"], claims.get("roles"), claims.get("communities", [])
        if not _metadata_safe(subject):
            raise InvalidToken("bad sub")
        if not isinstance(roles, list) or not roles or not all(role in ROLES for role in roles):
            raise InvalidToken("missing or unknown roles")
        if not isinstance(communities, list) or not all(_metadata_safe(c) for c in communities):
            raise InvalidToken("bad communities")
        return Caller(subject, frozenset(roles), frozenset(communities))


_bearer = HTTPBearer(auto_error=False, description="RS256 JWT from the Linli issuer")
_REALM = 'Bearer realm="linli"'


def bearer_token(scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return (token.strip() or None) if scheme.lower() == "bearer" else None
    return None


def authenticated_caller(scope) -> Caller | None:
    """The caller IdentifyCaller found for this request, if its token is valid."""
    outcome = scope.get("state", {}).get("auth")
    return outcome if isinstance(outcome, Caller) else None


def api_routes(app) -> list:
    """The app's own routes (its APIRoutes, from every included router), found once per app."""
    routes = getattr(app.state, "api_routes", None)
    if routes is None:
        routes, pending = [], list(app.router.routes)
        while pending:
            route = pending.pop(0)
            included = getattr(route, "original_router", None)  # how FastAPI keeps an included router
            if included is not None:
                pending += included.routes
            elif getattr(route, "methods", None) and hasattr(route, "path_regex"):
                routes.append(route)
        app.state.api_routes = routes
    return routes


def needs_caller(scope) -> bool:
    """Whether the route this request goes to requires a bearer token (depends on require_caller), so a
    request without a valid one is answered 401 at once, whatever else is wrong with it."""
    app = scope.get("app")
    if app is None:
        return False
    for route in api_routes(app):
        if scope["method"] in route.methods and route.path_regex.match(scope["path"]):
            return _route_needs_caller(route)
    return False


_NEEDS_CALLER: dict[int, bool] = {}


def _route_needs_caller(route) -> bool:
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return False
    if id(route) not in _NEEDS_CALLER:
        pending, found = [dependant], False
        while pending and not found:
            current = pending.pop()
            found = current.call is require_caller
            pending += current.dependencies
        _NEEDS_CALLER[id(route)] = found
    return _NEEDS_CALLER[id(route)]


def refused_before_anything_else(scope) -> bool:
    """A request the route will refuse 401: it needs a caller and carries no valid token. The middlewares
    that would refuse it for another reason (rate limits, input checks) let it through to that 401."""
    return authenticated_caller(scope) is None and needs_caller(scope)


class IdentifyCaller:
    """App middleware: checks the bearer token once, early, because rate limits and idempotency keys are
    per caller; require_caller answers from the same outcome. It refuses nothing itself."""

    def __init__(self, app, authenticator: "Authenticator"):
        self.app = app
        self.authenticator = authenticator

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            token = bearer_token(scope)
            if token is not None:
                try:
                    # In a thread: a JWKS fetch must never block the loop.
                    outcome = await asyncio.to_thread(self.authenticator.caller, token)
                except (InvalidToken, AuthUnavailable) as error:
                    outcome = error
                scope.setdefault("state", {})["auth"] = outcome
        await self.app(scope, receive, send)


def require_caller(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Caller:
    """FastAPI dependency: the authenticated Caller, or a 401 problem.

    A plain def on purpose: FastAPI runs it in a worker thread, so a JWKS fetch never blocks the loop."""
    if credentials is None:
        # RFC 6750 §3.1: no error code when the request carried no credentials at all.
        raise Problem(401, "unauthenticated", "Unauthenticated", "A bearer token is required.",
                      headers={"WWW-Authenticate": _REALM})
    try:
        outcome = request.scope.get("state", {}).get("auth")
        if isinstance(outcome, Exception):
            raise outcome
        if isinstance(outcome, Caller):
            return outcome
        return request.app.state.authenticator.caller(credentials.credentials)
    except InvalidToken as error:
        log.info("refused bearer token: %s", error)
        raise Problem(401, "invalid-token", "Invalid token", "The bearer token is not valid.",
                      headers={"WWW-Authenticate": f'{_REALM}, error="invalid_token"'}) from None
    except AuthUnavailable as error:
        log.warning("cannot fetch the issuer's keys: %s", error)
        raise Problem(503, "unavailable", "Service unavailable", "Cannot verify tokens right now.",
                      headers={"Retry-After": "5"}) from None


def require_role(caller: Caller, *roles: str) -> None:
    if not caller.has_role(*roles):
        raise Problem(403, "forbidden", "Forbidden", "Your role does not allow this.")
