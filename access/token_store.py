"""Tokens as the graph keeps them: ApiToken nodes.

An API token is ``gj_`` + 43 random URL-safe characters; only its SHA-256 is
stored. Its id is derived from that hash (``tok_`` + 24 hex digits), so a
presented token is found through the unique id index and then compared in
constant time. JWTs issued here are recorded too (kind ``jwt``, id = jti, no
hash) so that ``token list`` shows them and ``token revoke`` ends them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from access.principal import AccessRole, Principal
from domain.clock import now_ms
from domain.errors import NotFound
from graph.queries import access as q
from graph.store import Store

API_PREFIX = "gj_"
API_KIND = "api"
JWT_KIND = "jwt"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_id_of(token: str) -> str:
    """The id of an API token: derived from its hash, never from the secret itself."""
    return "tok_" + token_hash(token)[:24]


def new_api_token() -> str:
    return API_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class TokenRecord:
    """A stored token, as ``token list`` shows it (the hash is never printed)."""

    id: str
    kind: str
    role: str | None
    scope: str | None
    county: str | None
    subject: str | None
    createdAt: int | None
    expiresAt: int | None
    revokedAt: int | None
    hash: str | None = field(default=None, repr=False)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TokenRecord:
        return cls(
            id=str(row["id"]),
            kind=str(row.get("kind") or ""),
            role=row.get("role"),
            scope=row.get("scope"),
            county=row.get("county"),
            subject=row.get("subject"),
            createdAt=row.get("createdAt"),
            expiresAt=row.get("expiresAt"),
            revokedAt=row.get("revokedAt"),
            hash=row.get("hash"),
        )

    def status(self, now: int) -> str:
        if self.revokedAt is not None:
            return "revoked"
        if self.expiresAt is not None and self.expiresAt <= now:
            return "expired"
        return "active"


@dataclass(frozen=True)
class IssuedApiToken:
    """The secret (shown once) and what was stored."""

    token: str
    record: TokenRecord


def _props(principal: Principal, kind: str) -> dict[str, Any]:
    assert principal.role is not None, "tokens are issued to a role"
    props: dict[str, Any] = {
        "kind": kind,
        "role": principal.role.value,
        "scope": principal.scope,
        "county": principal.county,
        "subject": principal.subject,
        "expiresAt": principal.expires_at,
    }
    return {key: value for key, value in props.items() if value is not None}


async def create_api_token(
    store: Store,
    *,
    role: AccessRole,
    scope: str,
    subject: str,
    expires_at: int | None,
    county: str | None = None,
) -> IssuedApiToken:
    """Issue an API token; raises InvalidInput when the scope does not fit the role."""
    token = new_api_token()
    token_id = token_id_of(token)
    principal = Principal(subject, role, scope, token_id, expires_at, county)
    props = _props(principal, API_KIND) | {"hash": token_hash(token)}
    [row] = await store.run(q.CREATE_TOKEN, id=token_id, props=props, now=now_ms())
    return IssuedApiToken(token, TokenRecord.from_row(row["token"]))


async def record_jwt(store: Store, principal: Principal) -> TokenRecord:
    """Record a JWT issued here under its jti (``principal.token_id``)."""
    assert principal.token_id is not None
    [row] = await store.run(
        q.CREATE_TOKEN, id=principal.token_id, props=_props(principal, JWT_KIND), now=now_ms()
    )
    return TokenRecord.from_row(row["token"])


async def get_token(store: Store, token_id: str) -> TokenRecord | None:
    rows = await store.run(q.GET_TOKEN, id=token_id)
    return TokenRecord.from_row(rows[0]["token"]) if rows else None


async def revoke_token(store: Store, token_id: str, *, external: bool = False) -> TokenRecord:
    """End a token now (revoking twice keeps the first time).

    ``external=True`` revokes the jti of a JWT issued elsewhere with our keys,
    which this store has never seen; otherwise an unknown id is NotFound.
    """
    now = now_ms()
    if external:
        rows = await store.run(
            q.REVOKE_EXTERNAL, id=token_id, kind=JWT_KIND, subject="external", now=now
        )
    else:
        rows = await store.run(q.REVOKE_TOKEN, id=token_id, now=now)
    if not rows:
        raise NotFound(
            f"没有编号为 {token_id[:64]!r} 的令牌；外部签发的 JWT 请加 --external "
            "(no such token; for a JWT issued elsewhere pass --external)",
            kind="ApiToken",
            id=token_id[:64],
        )
    return TokenRecord.from_row(rows[0]["token"])


async def list_tokens(store: Store) -> list[TokenRecord]:
    return [TokenRecord.from_row(row["token"]) for row in await store.run(q.LIST_TOKENS)]
