"""Hostile tokens and headers: never a crash, always a clean UNAUTHENTICATED or a valid caller."""

from __future__ import annotations

import base64
import json

import jwt as pyjwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access.principal import AccessRole, Principal
from access.tokens import Authenticator, JwtKeys, bearer_token, verify_jwt
from domain.errors import Unauthenticated
from graph.store import Store
from tests.access.conftest import GUIYUANLIN, HEJIANG, SECRET, UNIT_A

CYPHER = st.sampled_from(
    [
        "') MATCH (n) DETACH DELETE n //",
        "gj_' OR 1=1 RETURN t //aaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "gj_aaaaaaaaaaaaaaaaaaaaaaaa}) DETACH DELETE t //",
        "$id",
        "{id: 1}",
        "\\u0000",
        "unit_x' SET n.role = 'COUNTY_ADMIN",
    ]
)
TEXT = st.one_of(st.text(max_size=300), st.text(alphabet="abc.-_=+/gj", max_size=300), CYPHER)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
CLAIM = st.one_of(
    JSON,
    st.sampled_from(
        ["COUNTY_ADMIN", "UNIT_OPERATOR", GUIYUANLIN, HEJIANG, UNIT_A, "510522", 2**70, -1]
    ),
)
PLAIN = settings(max_examples=150, deadline=None)
DB = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _valid(principal: Principal) -> None:
    assert isinstance(principal.role, AccessRole)
    Principal(principal.subject, principal.role, principal.scope, county=principal.county)


@PLAIN
@given(st.one_of(TEXT, TEXT.map(lambda t: "Bearer " + t)))
def test_any_header_parses_or_is_refused(header: str) -> None:
    try:
        token = bearer_token(header)
    except Unauthenticated as e:
        assert e.code == "UNAUTHENTICATED"
    else:
        assert token is not None and token.isascii() and " " not in token


@PLAIN
@given(JSON, JSON, st.binary(max_size=64))
def test_forged_structures_are_refused(header: object, payload: object, signature: bytes) -> None:
    token = ".".join(
        [_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode()), _b64(signature)]
    )
    try:
        verify_jwt(token, JwtKeys(secret=SECRET))
    except Unauthenticated as e:
        assert e.code == "UNAUTHENTICATED"
    else:
        raise AssertionError("a token with a random signature was accepted")


@PLAIN
@given(
    st.dictionaries(
        st.sampled_from(["sub", "role", "scope", "county", "exp", "iat", "jti", "nbf", "aud"]),
        CLAIM,
    )
)
def test_signed_but_hostile_claims_are_refused_or_valid(claims: dict[str, object]) -> None:
    try:
        token = pyjwt.encode(claims, SECRET, algorithm="HS256")
    except (TypeError, ValueError):
        return  # not encodable as a JWT at all
    try:
        principal = verify_jwt(token, JwtKeys(secret=SECRET))
    except Unauthenticated as e:
        assert e.code == "UNAUTHENTICATED"
    else:
        _valid(principal)


@DB
@given(TEXT)
async def test_any_bearer_token_against_the_store(store: Store, token: str) -> None:
    auth = Authenticator(store, JwtKeys(secret=SECRET))
    for candidate in (token, "gj_" + token):
        try:
            principal = await auth.authenticate("Bearer " + candidate)
        except Unauthenticated as e:
            assert e.code == "UNAUTHENTICATED"
        else:
            _valid(principal)
