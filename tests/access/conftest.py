"""Places, units and principals shared by the access tests.

The hierarchy is spelled out by hand (PARENT), not derived from code
prefixes, so the tests check the prefix rule rather than restate it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from access.principal import AccessRole, Principal
from access.tokens import JwtKeys

LUZHOU = "510500000000"  # 泸州市, the city over 合江县 and 泸县
HEJIANG = "510522000000"  # 合江县
FUYANG = "510522001000"  # 符阳街道
GUIYUANLIN = "510522001006"  # 桂圆林社区
YIYUANJIE = "510522001007"  # 义园街社区 (beside 桂圆林)
LINGANG = "510522002000"  # 临港街道 (beside 符阳)
XINGLONG = "510522002002"  # 兴隆社区, under 临港
LUXIAN = "510521000000"  # 泸县, another county
LUXIAN_STREET = "510521001000"
LUXIAN_COMMUNITY = "510521001001"

PLACES = (
    HEJIANG,
    FUYANG,
    GUIYUANLIN,
    YIYUANJIE,
    LINGANG,
    XINGLONG,
    LUXIAN,
    LUXIAN_STREET,
    LUXIAN_COMMUNITY,
)
PARENT = {
    HEJIANG: LUZHOU,
    LUXIAN: LUZHOU,
    FUYANG: HEJIANG,
    LINGANG: HEJIANG,
    GUIYUANLIN: FUYANG,
    YIYUANJIE: FUYANG,
    XINGLONG: LINGANG,
    LUXIAN_STREET: LUXIAN,
    LUXIAN_COMMUNITY: LUXIAN_STREET,
}

UNIT_A = "unit_0000000000000000000a"  # 住建局, 合江县: the operator's own unit
UNIT_B = "unit_0000000000000000000b"  # 燃气公司, 合江县
UNIT_C = "unit_0000000000000000000c"  # a unit of 泸县
UNIT_COUNTY = {UNIT_A: HEJIANG, UNIT_B: HEJIANG, UNIT_C: LUXIAN}

SECRET = "s" * 16 + "-test-secret-0123456789"


def ancestors_or_self(code: str) -> set[str]:
    found = {code}
    while code in PARENT:
        code = PARENT[code]
        found.add(code)
    return found


def principals() -> dict[AccessRole, Principal]:
    """One principal per role, each scoped inside 合江县 (the city admin: 泸州市 over it)."""
    return {
        AccessRole.CITY_ADMIN: Principal("市委组织部", AccessRole.CITY_ADMIN, LUZHOU, "tok_y"),
        AccessRole.COUNTY_ADMIN: Principal("组织部", AccessRole.COUNTY_ADMIN, HEJIANG, "tok_c"),
        AccessRole.STREET_ADMIN: Principal("符阳街道", AccessRole.STREET_ADMIN, FUYANG, "tok_s"),
        AccessRole.COMMUNITY_ADMIN: Principal(
            "桂圆林社区", AccessRole.COMMUNITY_ADMIN, GUIYUANLIN, "tok_m"
        ),
        AccessRole.UNIT_OPERATOR: Principal(
            "住建局", AccessRole.UNIT_OPERATOR, UNIT_A, "tok_u", county=HEJIANG
        ),
        AccessRole.GRID_WORKER: Principal("网格员", AccessRole.GRID_WORKER, GUIYUANLIN, "tok_g"),
        AccessRole.VIEWER: Principal("只读", AccessRole.VIEWER, HEJIANG, "tok_v"),
    }


@pytest.fixture(scope="session")
def rsa_pem(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 2048-bit RSA key pair as PEM files: (private, public)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    folder = tmp_path_factory.mktemp("rsa")
    private, public = folder / "private.pem", folder / "public.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
    )
    return private, public


@pytest.fixture(scope="session")
def hs_keys() -> JwtKeys:
    return JwtKeys(secret=SECRET)
