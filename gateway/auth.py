"""Bearer-token authentication: an RS256 JWT from the OIDC issuer (LINLI_JWKS_URL) or, when none is
configured, from the development issuer. The token becomes a Caller that the gateway forwards to the
service apis in gRPC metadata.

Refusals say only "invalid token": telling a caller which check failed helps an attacker more than them.

A token verified once is remembered (VerifiedTokens) until it expires, at most KEY_SET_SECONDS: a client
sends the same token with every request, and checking its RS256 signature and claims again each time
was most of what identifying a caller cost.
"""
import asyncio
import logging
import threading
import time
from collections import OrderedDict
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
# How long the issuer's key set is trusted before it is fetched again (PyJWKClient's lifespan), and so the
# longest a verified token is remembered: a key the issuer withdraws stops being honoured as soon as it
# would without the memory.
KEY_SET_SECONDS = 300


class InvalidToken(Exception):
    pass


class AuthUnavailable(Exception):
    """The issuer's key set cannot be fetched: our problem, not the caller's."""


def _metadata_safe(value) -> bool:
    # Identity travels in ASCII gRPC metadata as comma-separated lists.
    return isinstance(value, str) and 0 < len(value) <= 255 and value.isascii() and value.isprintable() \
        and "," not in value and " " not in value


class VerifiedTokens:
    """Tokens that passed every check → the Caller each stands for, each until its `exp` and at most
    `max_age` seconds; the least recently used go first when `size` are held.

    Safe because the key is the whole token, signature included: another token (re-signed, other claims,
    another key) is never found here and is checked in full; a token found here is one that passed the
    same checks, whose outcome can only change with time (expiry: the entry goes at `exp`, so after that
    the full check, leeway included, decides as before) or with the issuer's keys (bounded by `max_age`,
    the key set's own lifespan). Refusals are never remembered. Thread-safe."""

    def __init__(self, size: int = 4096, max_age: float = KEY_SET_SECONDS, clock=time.time):
        self.size = size
        self.max_age = max_age
        self.clock = clock
        self._entries: OrderedDict[str, tuple[Caller, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> Caller | None:
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                return None
            caller, until = entry
            if self.clock() >= until:
                del self._entries[token]
                return None
            self._entries.move_to_end(token)
            return caller

    def put(self, token: str, caller: Caller, expires_at: float) -> None:
        until = min(expires_at, self.clock() + self.max_age)
        with self._lock:
            self._entries[token] = (caller, until)
            self._entries.move_to_end(token)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class Authenticator:
    def __init__(self, issuer: str, audience: str, jwks_url: str = "", dev_issuer_dir: str | Path | None = None,
                 verified: VerifiedTokens | None = None, leeway: float = LEEWAY_SECONDS):
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.verified = verified if verified is not None else VerifiedTokens()
        if jwks_url:
            # Caches keys, and refetches the set when a token names a kid it hasn't seen (key rotation).
            self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=KEY_SET_SECONDS, timeout=5)
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
        """The Caller a valid token stands for; InvalidToken otherwise. May block on a JWKS fetch."""
        known = self.verified.get(token)
        if known is not None:
            return known
        caller, expires_at = self._verify(token)
        self.verified.put(token, caller, expires_at)
        return caller

    async def identify(self, token: str) -> Caller:
        """caller() without blocking the event loop: a remembered token is answered at once; a new one is
        checked on the loop with the development issuer's key (CPU only), in a thread when the issuer's key
        set may have to be fetched."""
        known = self.verified.get(token)
        if known is not None:
            return known
        if self._jwks is None:
            return self.caller(token)
        return await asyncio.to_thread(self.caller, token)

    def _verify(self, token: str) -> tuple[Caller, float]:
        """Every check on the token: its Caller and when it expires (epoch seconds)."""
        try:
            claims = jwt.decode(
                token,
                self._key(token),
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
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
        return Caller(subject, frozenset(roles), frozenset(communities)), float(claims["exp"])


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
                    outcome = await self.authenticator.identify(token)
                except (InvalidToken, AuthUnavailable) as error:
                    outcome = error
                scope.setdefault("state", {})["auth"] = outcome
        await self.app(scope, receive, send)


async def require_caller(request: Request,
                         credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Caller:
    """FastAPI dependency: the authenticated Caller, or a 401 problem. Async: the token was checked by
    IdentifyCaller already (or is checked here without blocking the loop), so no thread hop per request."""
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
        return await request.app.state.authenticator.identify(credentials.credentials)
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
