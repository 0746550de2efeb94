"""Bearer tokens to Principals: signed JWTs and hashed API tokens.

``Authorization: Bearer <token>`` where the token is either

- an API token ``gj_…`` issued by ``gongjian token create`` and stored hashed, or
- a JWT signed HS256 with GONGJIAN_JWT_SECRET (at least 32 characters) or RS256
  with the key pair in the PEM files GONGJIAN_JWT_PUBLIC_KEY / GONGJIAN_JWT_PRIVATE_KEY
  (the private key is only needed to issue). Claims: ``sub``, ``role``
  (an AccessRole value), ``scope``, ``exp``, ``iat``, ``jti`` and, for a unit
  operator, ``county``. ``alg: none`` and every algorithm without a configured
  key are refused.

No header means ANONYMOUS; any other failure is Unauthenticated with a
message that says what is wrong. Token lookups (API tokens, JWT revocations)
are cached for ``cache_seconds`` (default 5): a revocation made by another
process takes effect within that time, one made through the same
Authenticator (``forget``) at once.
"""

from __future__ import annotations

import hmac
import math
import os
import re
import secrets
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

from access import token_store
from access.principal import ANONYMOUS, AccessRole, Principal
from domain.clock import now_ms
from domain.errors import ConfigError, InvalidInput, Unauthenticated
from graph.store import Store

if TYPE_CHECKING:
    from app.settings import Settings

MIN_SECRET_CHARS = 32
MIN_RSA_BITS = 2048
MAX_TOKEN_CHARS = 8192
LEEWAY_SECONDS = 30
_BEARER = re.compile(r"[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9._~+/=-]+)")
_API_TOKEN = re.compile(r"gj_[A-Za-z0-9_-]{20,128}")
_CLAIM_TEXT_MAX = 200
_YEAR_9999 = 253_402_300_800
#: what hostile token text can make the JWT library raise
_MALFORMED = (jwt.PyJWTError, ValueError, TypeError, RecursionError, OverflowError)


def _unauthenticated(why: str, english: str) -> Unauthenticated:
    return Unauthenticated(f"{why} ({english})")


@dataclass(frozen=True)
class JwtKeys:
    """The keys JWTs are verified (and issued) with; none configured: no JWTs."""

    secret: str | None = None
    public_key: RSAPublicKey | None = None
    private_key: RSAPrivateKey | None = None

    def __post_init__(self) -> None:
        if self.secret is not None and len(self.secret) < MIN_SECRET_CHARS:
            raise ConfigError(
                f"GONGJIAN_JWT_SECRET 至少 {MIN_SECRET_CHARS} 个字符 "
                f"(the HS256 secret needs at least {MIN_SECRET_CHARS} characters)"
            )
        for key in (self.public_key, self.private_key):
            if key is not None and key.key_size < MIN_RSA_BITS:
                raise ConfigError(f"RSA 密钥至少 {MIN_RSA_BITS} 位 (RS256 keys need 2048 bits)")
        if self.public_key is None and self.private_key is not None:
            object.__setattr__(self, "public_key", self.private_key.public_key())

    @property
    def algorithms(self) -> tuple[str, ...]:
        return (("HS256",) if self.secret else ()) + (("RS256",) if self.public_key else ())

    @classmethod
    def from_settings(cls, settings: Settings, env: Mapping[str, str] | None = None) -> JwtKeys:
        """``settings.jwt_secret`` and the PEM files named by GONGJIAN_JWT_PUBLIC_KEY
        and GONGJIAN_JWT_PRIVATE_KEY."""
        env = os.environ if env is None else env
        public = env.get("GONGJIAN_JWT_PUBLIC_KEY") or None
        private = env.get("GONGJIAN_JWT_PRIVATE_KEY") or None
        return cls(
            secret=settings.jwt_secret,
            public_key=_load_public(public) if public else None,
            private_key=_load_private(private) if private else None,
        )


def _read_pem(path: str, name: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise ConfigError(f"无法读取 {name} 指向的文件 {path}：{e.strerror}") from e


def _load_public(path: str) -> RSAPublicKey:
    try:
        key = load_pem_public_key(_read_pem(path, "GONGJIAN_JWT_PUBLIC_KEY"))
    except ValueError as e:
        raise ConfigError(f"{path} 不是 PEM 格式的公钥 (not a PEM public key)") from e
    if not isinstance(key, RSAPublicKey):
        raise ConfigError(f"{path} 不是 RSA 公钥 (RS256 needs an RSA key)")
    return key


def _load_private(path: str) -> RSAPrivateKey:
    try:
        key = load_pem_private_key(_read_pem(path, "GONGJIAN_JWT_PRIVATE_KEY"), password=None)
    except (ValueError, TypeError) as e:
        raise ConfigError(
            f"{path} 不是无口令的 PEM 私钥 (not an unencrypted PEM private key)"
        ) from e
    if not isinstance(key, RSAPrivateKey):
        raise ConfigError(f"{path} 不是 RSA 私钥 (RS256 needs an RSA key)")
    return key


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header; None when there is no header."""
    if authorization is None:
        return None
    if len(authorization) > MAX_TOKEN_CHARS:
        raise _unauthenticated("令牌过长", "the bearer token is too long")
    m = _BEARER.fullmatch(authorization.strip())
    if m is None:
        raise _unauthenticated(
            "Authorization 头应为 'Bearer <令牌>'",
            "the Authorization header must be 'Bearer <token>'",
        )
    return m[1]


def _principal(
    subject: object,
    role: object,
    scope: object,
    county: object,
    token_id: str,
    expires_at: int | None,
) -> Principal:
    """A Principal from stored or signed claims; anything malformed is Unauthenticated."""
    if not isinstance(role, str) or role not in AccessRole.__members__:
        raise _unauthenticated("令牌中的角色无效", "the token's role is not an access role")
    for value in (subject, scope, county):
        if value is not None and (not isinstance(value, str) or len(value) > _CLAIM_TEXT_MAX):
            raise _unauthenticated("令牌中的声明格式错误", "a claim of the token is malformed")
    if not isinstance(scope, str) or not isinstance(subject, str):
        raise _unauthenticated("令牌缺少范围或主体", "the token has no scope or subject")
    try:
        return Principal(
            subject,
            AccessRole[role],
            scope,
            token_id,
            expires_at,
            county if isinstance(county, str) else None,
        )
    except InvalidInput as e:
        raise _unauthenticated(
            f"令牌的范围无效：{e.message}", "the token's scope is invalid"
        ) from e


def verify_jwt(token: str, keys: JwtKeys, *, now: float | None = None) -> Principal:
    """The Principal a JWT names, or Unauthenticated saying why not."""
    if not keys.algorithms:
        raise _unauthenticated(
            "本服务未配置 JWT 密钥，只接受 gj_ 开头的 API 令牌",
            "no JWT key is configured here; use a gj_ API token",
        )
    try:
        header = jwt.get_unverified_header(token)
    except _MALFORMED as e:
        raise _unauthenticated("令牌格式错误", "the token is neither a JWT nor a gj_ token") from e
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in keys.algorithms:
        shown = alg if isinstance(alg, str) and len(alg) <= 20 else "?"
        raise _unauthenticated(
            f"不接受签名算法 {shown}（本服务接受 {'/'.join(keys.algorithms)}）",
            f"algorithm {shown} is not accepted here",
        )
    key: str | RSAPublicKey | None = keys.secret if alg == "HS256" else keys.public_key
    assert key is not None
    try:
        claims = _decode(token, key, alg, time.time() if now is None else now)
    except jwt.ExpiredSignatureError as e:
        raise _unauthenticated("令牌已过期", "the token has expired") from e
    except jwt.InvalidSignatureError as e:
        raise _unauthenticated("令牌签名无效", "the token's signature is invalid") from e
    except jwt.MissingRequiredClaimError as e:
        raise _unauthenticated(
            f"令牌缺少声明 {e.claim}", f"the token lacks the {e.claim} claim"
        ) from e
    except jwt.ImmatureSignatureError as e:
        raise _unauthenticated("令牌尚未生效", "the token is not valid yet") from e
    except _MALFORMED as e:
        raise _unauthenticated("令牌无效", f"the token is invalid: {type(e).__name__}") from e
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 0 < len(jti) <= _CLAIM_TEXT_MAX:
        raise _unauthenticated("令牌的 jti 无效", "the token's jti is invalid")
    exp = claims["exp"]
    return _principal(
        claims["sub"],
        claims.get("role"),
        claims.get("scope"),
        claims.get("county"),
        jti,
        int(exp * 1000),
    )


def _decode(token: str, key: str | RSAPublicKey, alg: str, now: float) -> dict[str, Any]:
    """Verify the signature, then the times as of ``now`` (epoch seconds)."""
    claims: dict[str, Any] = jwt.decode(
        token,
        key,
        algorithms=[alg],
        options={"require": ["exp", "iat", "sub", "jti"], "verify_exp": False, "verify_iat": False},
    )
    exp, iat = claims["exp"], claims["iat"]
    if not all(
        isinstance(t, int | float) and math.isfinite(t) and 0 <= t < _YEAR_9999 for t in (exp, iat)
    ):
        raise jwt.DecodeError("exp and iat must be times in seconds")
    if exp + LEEWAY_SECONDS <= now:
        raise jwt.ExpiredSignatureError("expired")
    if iat - LEEWAY_SECONDS > now:
        raise jwt.ImmatureSignatureError("iat in the future")
    return claims


@dataclass(frozen=True)
class IssuedJwt:
    token: str
    principal: Principal
    algorithm: str


def issue_jwt(
    keys: JwtKeys,
    *,
    role: AccessRole,
    scope: str,
    subject: str,
    expires_at: int,
    county: str | None = None,
    algorithm: str | None = None,
    now: int | None = None,
) -> IssuedJwt:
    """Sign a JWT (RS256 when a private key is configured, else HS256).

    ``expires_at`` and ``now`` are epoch milliseconds.
    """
    issued = now_ms() if now is None else now
    algorithm = algorithm or ("RS256" if keys.private_key is not None else "HS256")
    key: str | RSAPrivateKey | None = keys.private_key if algorithm == "RS256" else keys.secret
    if algorithm not in ("HS256", "RS256") or key is None:
        raise ConfigError(
            f"没有可用于 {algorithm} 签发的密钥：HS256 需 GONGJIAN_JWT_SECRET，"
            "RS256 需 GONGJIAN_JWT_PRIVATE_KEY (no key to sign with)"
        )
    if expires_at <= issued:
        raise InvalidInput("过期时间应在将来 (the expiry must lie in the future)", field="expires")
    jti = "jwt_" + secrets.token_hex(12)
    principal = Principal(subject, role, scope, jti, expires_at - expires_at % 1000, county)
    claims: dict[str, Any] = {
        "sub": subject,
        "role": role.value,
        "scope": scope,
        "iat": issued // 1000,
        "exp": expires_at // 1000,
        "jti": jti,
    }
    if role is AccessRole.UNIT_OPERATOR:
        claims["county"] = principal.county
    return IssuedJwt(jwt.encode(claims, key, algorithm=algorithm), principal, algorithm)


class Authenticator:
    """Turns Authorization headers into Principals, with a short lookup cache.

    Build one per process (``create_app``) and share it; it is not tied to a request.
    """

    def __init__(
        self,
        store: Store,
        keys: JwtKeys,
        *,
        cache_seconds: float = 5.0,
        max_cached: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.keys = keys
        self.cache_seconds = cache_seconds
        self.max_cached = max_cached
        self._clock = clock
        self._cache: OrderedDict[str, tuple[float, token_store.TokenRecord | None]] = OrderedDict()

    async def authenticate(self, authorization: str | None) -> Principal:
        """The caller of a request: ANONYMOUS without a header, else its token's Principal."""
        token = bearer_token(authorization)
        if token is None:
            return ANONYMOUS
        if token.startswith(token_store.API_PREFIX):
            return await self._api_token(token)
        principal = verify_jwt(token, self.keys)
        assert principal.token_id is not None
        record = await self._lookup(principal.token_id)
        if record is not None and record.revokedAt is not None:
            raise _unauthenticated("令牌已被吊销", "the token has been revoked")
        return principal

    def forget(self, token_id: str) -> None:
        """Drop a cached lookup (after a revocation through this process)."""
        self._cache.pop(token_id, None)

    async def _api_token(self, token: str) -> Principal:
        if not _API_TOKEN.fullmatch(token):
            raise _unauthenticated("API 令牌格式错误", "malformed gj_ API token")
        token_id = token_store.token_id_of(token)
        record = await self._lookup(token_id)
        if (
            record is None
            or record.kind != token_store.API_KIND
            or record.hash is None
            or not hmac.compare_digest(record.hash, token_store.token_hash(token))
        ):
            raise _unauthenticated("API 令牌无效", "unknown API token")
        if record.revokedAt is not None:
            raise _unauthenticated("令牌已被吊销", "the token has been revoked")
        if record.expiresAt is not None and record.expiresAt <= now_ms():
            raise _unauthenticated("令牌已过期", "the token has expired")
        return _principal(
            record.subject, record.role, record.scope, record.county, record.id, record.expiresAt
        )

    async def _lookup(self, token_id: str) -> token_store.TokenRecord | None:
        now = self._clock()
        cached = self._cache.get(token_id)
        if cached is not None and now - cached[0] < self.cache_seconds:
            return cached[1]
        record = await token_store.get_token(self.store, token_id)
        self._cache[token_id] = (now, record)
        self._cache.move_to_end(token_id)
        while len(self._cache) > self.max_cached:
            self._cache.popitem(last=False)
        return record


_shared: weakref.WeakKeyDictionary[Store, tuple[tuple[object, ...], Authenticator]] = (
    weakref.WeakKeyDictionary()
)


async def authenticate(store: Store, settings: Settings, authorization: str | None) -> Principal:
    """The caller of a request, through one shared Authenticator per store.

    Prefer building an ``Authenticator`` once in ``create_app``; this helper
    does the same lazily (keys are loaded once per configuration).
    """
    config = (
        settings.jwt_secret,
        os.environ.get("GONGJIAN_JWT_PUBLIC_KEY"),
        os.environ.get("GONGJIAN_JWT_PRIVATE_KEY"),
    )
    entry = _shared.get(store)
    if entry is None or entry[0] != config:
        entry = (config, Authenticator(store, JwtKeys.from_settings(settings)))
        _shared[store] = entry
    return await entry[1].authenticate(authorization)
