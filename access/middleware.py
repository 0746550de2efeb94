"""The ASGI edge: who is calling, how often, how much, how long.

Three plain ASGI middlewares, outermost first::

    Starlette(routes=..., middleware=[
        Middleware(RequestTimeoutMiddleware, timeout_seconds=...),
        Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
        Middleware(AccessMiddleware, authenticator=..., limiter=..., public_read=...),
    ])

``AccessMiddleware`` authenticates each request once and leaves the Principal
in ``request.state.principal`` (read it with ``principal_of(request)``).
Refusals are JSON in the GraphQL error shape::

    {"errors": [{"message": "...", "extensions": {"code": "UNAUTHENTICATED"}}]}

401 UNAUTHENTICATED (with WWW-Authenticate), 413 and 429 LIMIT_EXCEEDED
(429 with Retry-After), 503 TIMEOUT when the request outlives its
deadline.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import math
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any

from access.limits import Limiter, rate_refusal
from access.principal import ANONYMOUS, Principal
from access.tokens import Authenticator
from domain.errors import GongjianError, LimitExceeded, Unauthenticated
from graph.deadline import start_deadline, timeout_refusal

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: what an anonymous caller reaches when public read is off
DEFAULT_PUBLIC_PATHS = ("/healthz",)
#: load balancers and orchestrators probe these every few seconds from one address: they
#: answer a constant or one cheap statement, and must not spend (or be refused by) the
#: anonymous rate limit that address shares with real callers
DEFAULT_UNMETERED_PATHS = ("/healthz", "/readyz")


def principal_of(request_or_scope: Any) -> Principal:
    """The caller AccessMiddleware found; ANONYMOUS when it did not run (fails closed)."""
    scope = getattr(request_or_scope, "scope", request_or_scope)
    state = scope.get("state") or {}
    found = state.get("principal") if isinstance(state, dict) else None
    return found if isinstance(found, Principal) else ANONYMOUS


def error_body(error: GongjianError, **extensions: Any) -> bytes:
    payload = {
        "errors": [{"message": error.message, "extensions": {"code": error.code, **extensions}}]
    }
    return json.dumps(payload, ensure_ascii=False).encode()


async def send_error(
    send: Send,
    status: int,
    error: GongjianError,
    headers: Collection[tuple[str, str]] = (),
    **extensions: Any,
) -> None:
    body = error_body(error, **extensions)
    raw = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *((name.encode(), value.encode()) for name, value in headers),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(scope: Scope, trusted: Collection[Network] = ()) -> str:
    """The caller's address: the peer's, or, when the peer is a trusted proxy, the
    right-most X-Forwarded-For entry that is not itself a trusted proxy.

    A forwarded address from any other peer is ignored (anyone can send the header).
    """
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    if not trusted:
        return peer

    def is_trusted(text: str) -> bool:
        found = _address(text)
        return found is not None and any(found in network for network in trusted)

    if not is_trusted(peer):
        return peer
    forwarded = _header(scope, b"x-forwarded-for")
    if not forwarded:
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            return peer  # a malformed chain: trust nothing in it
        if not is_trusted(hop):
            return str(_address(hop))
    return str(_address(hops[0])) if hops else peer


class AccessMiddleware:
    """Authenticate once per request, rate limit per token (per IP when anonymous).

    Anonymous callers reach ``public_paths`` only, unless ``public_read``
    opens the API to them (what they may do there is the policy's business).
    Failed authentications count against the caller's IP bucket; the IP is
    taken from X-Forwarded-For only when the peer is in ``trusted_proxies``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        authenticator: Authenticator,
        limiter: Limiter | None = None,
        public_read: bool = False,
        public_paths: Collection[str] = DEFAULT_PUBLIC_PATHS,
        unmetered_paths: Collection[str] = DEFAULT_UNMETERED_PATHS,
        public_request: Callable[[Scope], bool] | None = None,
        trusted_proxies: Collection[str] = (),
    ) -> None:
        self.trusted = tuple(ipaddress.ip_network(p, strict=False) for p in trusted_proxies)
        self.app = app
        self.public_request = public_request
        self.authenticator = authenticator
        self.limiter = limiter
        self.public_read = public_read
        self.public_paths = tuple(public_paths)
        self.unmetered_paths = frozenset(unmetered_paths)

    def _public(self, path: str) -> bool:
        return any(path == p or (p.endswith("/") and path.startswith(p)) for p in self.public_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        ip_key = f"ip:{client_address(scope, self.trusted)}"
        path = str(scope.get("path", ""))
        if path in self.unmetered_paths:
            scope.setdefault("state", {})["principal"] = ANONYMOUS
            await self.app(scope, receive, send)
            return
        public = self._public(path) or bool(self.public_request and self.public_request(scope))
        try:
            principal = (
                ANONYMOUS
                if public
                else await self.authenticator.authenticate(_header(scope, b"authorization"))
            )
        except Unauthenticated as e:
            if self.limiter is not None:
                await self.limiter.hit(ip_key)
            challenge = [("www-authenticate", 'Bearer error="invalid_token"')]
            await self._refuse(scope, send, 401, e, challenge)
            return
        if self.limiter is not None:
            key = f"token:{principal.token_id}" if principal.token_id else ip_key
            wait = await self.limiter.hit(key)
            if wait > 0:
                refusal = rate_refusal(self.limiter.per_minute, wait)
                retry = str(max(1, math.ceil(wait)))
                headers = [("retry-after", retry)]
                await self._refuse(scope, send, 429, refusal, headers, limit="rate")
                return
        if principal.anonymous and not public and not self.public_read:
            error = Unauthenticated(
                "需要登录：请在 Authorization 头中提供 Bearer 令牌 "
                "(this server is not public: send 'Authorization: Bearer <token>')"
            )
            await self._refuse(scope, send, 401, error, [("www-authenticate", "Bearer")])
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    async def _refuse(
        self,
        scope: Scope,
        send: Send,
        status: int,
        error: GongjianError,
        headers: list[tuple[str, str]],
        **extensions: Any,
    ) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4000 + status, "reason": error.code})
            return
        await send_error(send, status, error, headers, **extensions)


class _BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _error(self) -> LimitExceeded:
        return LimitExceeded(
            f"请求体过大：最多 {self.max_bytes} 字节 (the request body exceeds "
            f"{self.max_bytes} bytes; setting GONGJIAN_MAX_BODY_BYTES)",
            limit="body",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await send_error(send, 413, self._error(), limit="body", maximum=self.max_bytes)
            return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the app answered after catching our refusal: ours wins
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:  # whatever the app made of our refusal, the refusal stands
                raise
        if exceeded and not started:
            await send_error(send, 413, self._error(), limit="body", maximum=self.max_bytes)


class RequestTimeoutMiddleware:
    """Cancel a request that runs past ``timeout_seconds``; 503 (code TIMEOUT) if
    nothing was sent yet.

    The deadline (``graph.deadline``) reaches every statement of the request: each
    runs with at most the time left, and the request's tasks still waiting on a
    statement (DataLoader batches) are cancelled with it. The store's per-statement
    timeout (GONGJIAN_QUERY_TIMEOUT_MS) stops a single query; this stops a request
    that makes many.
    """

    def __init__(self, app: ASGIApp, *, timeout_seconds: float) -> None:
        self.app = app
        self.timeout_seconds = timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        deadline = asyncio.timeout(self.timeout_seconds)
        statements = start_deadline(self.timeout_seconds)
        try:
            async with deadline:
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            if not deadline.expired():
                raise
            statements.cancel()
            if started:
                return
            error = timeout_refusal(self.timeout_seconds)
            await send_error(send, 503, error, [("retry-after", "1")], limit="time")
        finally:
            statements.cancel()  # nothing of this request keeps the database busy
