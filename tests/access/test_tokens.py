"""Bearer tokens: JWTs (HS256, RS256) and hashed API tokens on the real embedded database."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from access import token_store
from access.principal import ANONYMOUS, AccessRole, Principal
from access.tokens import Authenticator, JwtKeys, authenticate, bearer_token, issue_jwt, verify_jwt
from app.settings import Settings
from domain.clock import now_ms
from domain.errors import ConfigError, NotFound, Unauthenticated
from graph.queries import access as access_queries
from graph.store import Store
from tests.access.conftest import GUIYUANLIN, HEJIANG, SECRET, UNIT_A

HOUR_MS = 3_600_000


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "李四",
        "role": "COMMUNITY_ADMIN",
        "scope": GUIYUANLIN,
        "iat": now,
        "exp": now + 3600,
        "jti": "jwt_test_1",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _unauthenticated(token: str, keys: JwtKeys, match: str) -> None:
    with pytest.raises(Unauthenticated, match=match) as refused:
        verify_jwt(token, keys)
    assert refused.value.code == "UNAUTHENTICATED"


def rs_keys(rsa_pem: tuple[Path, Path], *, private: bool = True) -> JwtKeys:
    env = {"GONGJIAN_JWT_PUBLIC_KEY": str(rsa_pem[1])}
    if private:
        env["GONGJIAN_JWT_PRIVATE_KEY"] = str(rsa_pem[0])
    return JwtKeys.from_settings(Settings(), env=env)


# --- JWT -------------------------------------------------------------------------------------


def test_hs256_round_trip(hs_keys: JwtKeys) -> None:
    issued = issue_jwt(
        hs_keys,
        role=AccessRole.COMMUNITY_ADMIN,
        scope=GUIYUANLIN,
        subject="李四",
        expires_at=now_ms() + HOUR_MS,
    )
    assert issued.algorithm == "HS256"
    principal = verify_jwt(issued.token, hs_keys)
    assert principal == issued.principal
    assert (principal.role, principal.scope, principal.county) == (
        AccessRole.COMMUNITY_ADMIN,
        GUIYUANLIN,
        HEJIANG,
    )
    assert principal.token_id and principal.token_id.startswith("jwt_")


def test_rs256_round_trip_and_verify_with_the_public_key_only(rsa_pem: tuple[Path, Path]) -> None:
    issued = issue_jwt(
        rs_keys(rsa_pem),
        role=AccessRole.UNIT_OPERATOR,
        scope=UNIT_A,
        county=HEJIANG,
        subject="住建局",
        expires_at=now_ms() + HOUR_MS,
    )
    assert issued.algorithm == "RS256"
    principal = verify_jwt(issued.token, rs_keys(rsa_pem, private=False))
    assert (principal.role, principal.scope, principal.county) == (
        AccessRole.UNIT_OPERATOR,
        UNIT_A,
        HEJIANG,
    )


def test_expired(hs_keys: JwtKeys) -> None:
    past = int(time.time()) - 7200
    token = pyjwt.encode(_claims(iat=past, exp=past + 60), SECRET, algorithm="HS256")
    _unauthenticated(token, hs_keys, "令牌已过期")


def test_expiry_within_the_leeway_is_accepted(hs_keys: JwtKeys) -> None:
    now = int(time.time())
    token = pyjwt.encode(_claims(exp=now - 5), SECRET, algorithm="HS256")
    assert verify_jwt(token, hs_keys).subject == "李四"


def test_tampered_payload(hs_keys: JwtKeys) -> None:
    token = pyjwt.encode(_claims(), SECRET, algorithm="HS256")
    header, _, signature = token.split(".")
    forged = _b64(_claims(role="COUNTY_ADMIN", scope=HEJIANG))
    _unauthenticated(f"{header}.{forged}.{signature}", hs_keys, "签名无效")


def test_wrong_secret(hs_keys: JwtKeys) -> None:
    token = pyjwt.encode(_claims(), "x" * 40, algorithm="HS256")
    _unauthenticated(token, hs_keys, "签名无效")


def test_alg_none(hs_keys: JwtKeys) -> None:
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims())}."
    _unauthenticated(token, hs_keys, "不接受签名算法 none")


def test_hs256_signed_with_the_public_key_is_refused_under_rs256(
    rsa_pem: tuple[Path, Path],
) -> None:
    """The classic key confusion: an HS256 token whose 'secret' is the public PEM."""
    header = _b64({"alg": "HS256", "typ": "JWT"})
    payload = _b64(_claims())
    mac = hmac.new(rsa_pem[1].read_bytes(), f"{header}.{payload}".encode(), hashlib.sha256)
    signature = base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()
    _unauthenticated(f"{header}.{payload}.{signature}", rs_keys(rsa_pem), "不接受签名算法 HS256")


def test_other_algorithms_are_refused(hs_keys: JwtKeys) -> None:
    token = pyjwt.encode(_claims(), SECRET * 2, algorithm="HS512")
    _unauthenticated(token, hs_keys, "不接受签名算法 HS512")


def test_no_jwt_key_configured() -> None:
    token = pyjwt.encode(_claims(), SECRET, algorithm="HS256")
    _unauthenticated(token, JwtKeys(), "未配置 JWT 密钥")


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"jti": None}, "缺少声明 jti"),
        ({"exp": None}, "缺少声明 exp"),
        ({"sub": None}, "缺少声明 sub"),
        ({"role": "ROOT"}, "角色无效"),
        ({"role": None}, "角色无效"),
        ({"scope": None}, "缺少范围"),
        ({"scope": "510522"}, "范围无效"),
        ({"scope": HEJIANG}, "范围无效"),  # a county code for a community admin
        ({"role": "UNIT_OPERATOR", "scope": UNIT_A}, "范围无效"),  # no county claim
        ({"exp": "tomorrow"}, "令牌无效"),
        ({"exp": 1e300}, "令牌无效"),
        ({"iat": int(time.time()) + 3600}, "尚未生效"),
        ({"scope": ["510522001006"]}, "声明格式错误"),
        ({"sub": "x" * 500}, "声明格式错误"),
        ({"sub": "李\x00四"}, "主体名称"),
        ({"sub": "\ud800"}, "主体名称"),
        ({"sub": "\u202eadmin"}, "主体名称"),
        ({"role": "UNIT_OPERATOR", "scope": "unit_x\x00", "county": HEJIANG}, "范围无效"),
    ],
)
def test_bad_claims(hs_keys: JwtKeys, overrides: dict[str, object], match: str) -> None:
    claims = _claims()
    for key, value in overrides.items():
        if value is None:
            claims.pop(key)
        else:
            claims[key] = value
    _unauthenticated(pyjwt.encode(claims, SECRET, algorithm="HS256"), hs_keys, match)


def test_keys_must_be_strong(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="至少 32"):
        JwtKeys(secret="short")
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(ConfigError, match="2048"):
        JwtKeys(private_key=small)
    with pytest.raises(ConfigError, match="无法读取"):
        JwtKeys.from_settings(Settings(), env={"GONGJIAN_JWT_PUBLIC_KEY": str(tmp_path / "no")})
    junk = tmp_path / "junk.pem"
    junk.write_text("not a key")
    with pytest.raises(ConfigError, match="PEM"):
        JwtKeys.from_settings(Settings(), env={"GONGJIAN_JWT_PUBLIC_KEY": str(junk)})


@pytest.mark.parametrize(
    ("header", "token"),
    [(None, None), ("Bearer abc", "abc"), ("bearer  gj_x", "gj_x"), ("BEARER a.b.c", "a.b.c")],
)
def test_bearer_header(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer a b",
        "Bearer 令牌",
        "Bearer a\x00b",
        "Bearer " + "a" * 9000,
        "Token abc",
    ],
)
def test_malformed_bearer_header(header: str) -> None:
    with pytest.raises(Unauthenticated):
        bearer_token(header)


# --- API tokens on the real database ----------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_api_token_is_stored_hashed_and_authenticates(store: Store) -> None:
    issued = await token_store.create_api_token(
        store,
        role=AccessRole.COMMUNITY_ADMIN,
        scope=GUIYUANLIN,
        subject="李四",
        expires_at=now_ms() + HOUR_MS,
    )
    assert issued.token.startswith("gj_") and len(issued.token) == 46
    [row] = await store.run(access_queries.GET_TOKEN, id=issued.record.id)
    stored = json.dumps(row["token"], ensure_ascii=False)
    assert issued.token not in stored and issued.token[3:] not in stored
    assert row["token"]["hash"] == token_store.token_hash(issued.token)
    auth = Authenticator(store, JwtKeys())
    principal = await auth.authenticate(f"Bearer {issued.token}")
    assert principal == Principal(
        "李四", AccessRole.COMMUNITY_ADMIN, GUIYUANLIN, issued.record.id, issued.record.expiresAt
    )
    assert "hash" not in repr(issued.record)
    listed = await token_store.list_tokens(store)
    assert [r.id for r in listed] == [issued.record.id] and listed[0].hash is None


async def test_no_header_is_anonymous(store: Store) -> None:
    assert await Authenticator(store, JwtKeys()).authenticate(None) is ANONYMOUS


async def test_unknown_and_malformed_api_tokens(store: Store) -> None:
    auth = Authenticator(store, JwtKeys())
    with pytest.raises(Unauthenticated, match="API 令牌无效"):
        await auth.authenticate("Bearer " + token_store.new_api_token())
    with pytest.raises(Unauthenticated, match="API 令牌格式错误"):
        await auth.authenticate("Bearer gj_short")


async def test_revoked_api_token_is_refused_within_the_cache_window(store: Store) -> None:
    issued = await token_store.create_api_token(
        store, role=AccessRole.VIEWER, scope=HEJIANG, subject="看板", expires_at=None
    )
    clock = Clock()
    auth = Authenticator(store, JwtKeys(), cache_seconds=5.0, clock=clock)
    header = f"Bearer {issued.token}"
    assert (await auth.authenticate(header)).role is AccessRole.VIEWER
    # revoked by another process (the CLI): this one learns of it within cache_seconds
    revoked = await token_store.revoke_token(store, issued.record.id)
    assert revoked.revokedAt is not None
    clock.now += 5.0
    with pytest.raises(Unauthenticated, match="已被吊销"):
        await auth.authenticate(header)
    # revoking twice keeps the first time
    again = await token_store.revoke_token(store, issued.record.id)
    assert again.revokedAt == revoked.revokedAt


async def test_forget_makes_a_revocation_immediate(store: Store) -> None:
    issued = await token_store.create_api_token(
        store, role=AccessRole.VIEWER, scope=HEJIANG, subject="看板", expires_at=None
    )
    auth = Authenticator(store, JwtKeys(), clock=Clock())
    await auth.authenticate(f"Bearer {issued.token}")
    await token_store.revoke_token(store, issued.record.id)
    auth.forget(issued.record.id)
    with pytest.raises(Unauthenticated, match="已被吊销"):
        await auth.authenticate(f"Bearer {issued.token}")


async def test_expired_api_token(store: Store) -> None:
    issued = await token_store.create_api_token(
        store, role=AccessRole.VIEWER, scope=HEJIANG, subject="看板", expires_at=now_ms() - 1
    )
    with pytest.raises(Unauthenticated, match="已过期"):
        await Authenticator(store, JwtKeys()).authenticate(f"Bearer {issued.token}")


async def test_jwt_issued_here_is_recorded_and_revocable(store: Store, hs_keys: JwtKeys) -> None:
    issued = issue_jwt(
        hs_keys,
        role=AccessRole.STREET_ADMIN,
        scope="510522001000",
        subject="符阳街道",
        expires_at=now_ms() + HOUR_MS,
    )
    record = await token_store.record_jwt(store, issued.principal)
    assert record.kind == "jwt" and record.id == issued.principal.token_id
    auth = Authenticator(store, hs_keys, clock=Clock())
    assert (await auth.authenticate(f"Bearer {issued.token}")).scope == "510522001000"
    await token_store.revoke_token(store, record.id)
    auth.forget(record.id)
    with pytest.raises(Unauthenticated, match="已被吊销"):
        await auth.authenticate(f"Bearer {issued.token}")


async def test_external_jwt_revocation(store: Store, hs_keys: JwtKeys) -> None:
    token = pyjwt.encode(_claims(jti="sso-4711"), SECRET, algorithm="HS256")
    auth = Authenticator(store, hs_keys, cache_seconds=0)
    assert (await auth.authenticate(f"Bearer {token}")).token_id == "sso-4711"
    with pytest.raises(NotFound, match="--external"):
        await token_store.revoke_token(store, "sso-4711")
    await token_store.revoke_token(store, "sso-4711", external=True)
    with pytest.raises(Unauthenticated, match="已被吊销"):
        await auth.authenticate(f"Bearer {token}")


async def test_authenticate_helper_shares_one_authenticator(store: Store) -> None:
    issued = await token_store.create_api_token(
        store, role=AccessRole.VIEWER, scope=HEJIANG, subject="看板", expires_at=None
    )
    settings = Settings(jwt_secret=SECRET)
    assert (await authenticate(store, settings, f"Bearer {issued.token}")).subject == "看板"
    assert await authenticate(store, settings, None) is ANONYMOUS
