"""``gongjian token create|list|revoke`` as a user runs it: a real process on the real database."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from access.principal import AccessRole
from access.tokens import Authenticator, JwtKeys
from app.commands.token import parse_expiry
from domain.errors import InvalidInput, Unauthenticated
from graph import writes
from graph.store import Store
from tests.access.conftest import GUIYUANLIN, HEJIANG, SECRET
from tests.conftest import store_url

ROOT = Path(__file__).resolve().parents[2]


async def gongjian(store: Store, *args: str) -> tuple[int, str, str]:
    db, graph = store_url(store)
    env = {
        **os.environ,
        "GONGJIAN_DB": db,
        "GONGJIAN_GRAPH": graph,
        "GONGJIAN_JWT_SECRET": SECRET,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "token",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_create_list_revoke(store: Store) -> None:
    code, out, err = await gongjian(
        store,
        "create",
        "--role",
        "community-admin",
        "--scope",
        "510522001006",
        "--subject",
        "李四",
        "--expires",
        "30d",
    )
    assert code == 0, err
    token = out.strip()
    assert token.startswith("gj_") and "\n" not in token
    assert "只显示这一次" in err and token not in err
    auth = Authenticator(store, JwtKeys(), cache_seconds=0)
    principal = await auth.authenticate(f"Bearer {token}")
    assert (principal.role, principal.scope, principal.subject) == (
        AccessRole.COMMUNITY_ADMIN,
        GUIYUANLIN,
        "李四",
    )

    code, out, err = await gongjian(store, "list", "--json")
    assert code == 0, err
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["id"] == principal.token_id and row["status"] == "active"
    assert "hash" not in row and token not in out

    code, out, err = await gongjian(store, "revoke", row["id"])
    assert code == 0, err
    with pytest.raises(Unauthenticated, match="已被吊销"):
        await auth.authenticate(f"Bearer {token}")
    code, out, _ = await gongjian(store, "list")
    assert out.splitlines()[0].startswith("id\tkind\tstatus") and "\trevoked\t" in out


async def test_jwt_for_a_unit_operator_takes_the_county_from_the_graph(store: Store) -> None:
    await writes.upsert(
        store,
        "Unit",
        [
            (
                "unit_00000000000000000001",
                {"name": "合江县住建局", "kind": "COUNTY_DEPARTMENT", "countyId": HEJIANG},
            )
        ],
    )
    code, out, err = await gongjian(
        store,
        "create",
        "--role",
        "UNIT_OPERATOR",
        "--scope",
        "unit_00000000000000000001",
        "--expires",
        "2099-12-31",
        "--jwt",
    )
    assert code == 0, err
    assert "JWT HS256" in err
    principal = await Authenticator(store, JwtKeys(secret=SECRET)).authenticate(
        f"Bearer {out.strip()}"
    )
    assert (principal.role, principal.scope, principal.county) == (
        AccessRole.UNIT_OPERATOR,
        "unit_00000000000000000001",
        HEJIANG,
    )


@pytest.mark.parametrize("jwt", [False, True], ids=["api-token", "jwt"])
async def test_a_city_admin_token(store: Store, jwt: bool) -> None:
    """``gongjian token create --role CITY_ADMIN --scope 510500000000`` (泸州市)."""
    args = ["create", "--role", "CITY_ADMIN", "--scope", "510500000000", "--subject", "市委组织部"]
    code, out, err = await gongjian(store, *args, *(["--jwt"] if jwt else []))
    assert code == 0, err
    auth = Authenticator(store, JwtKeys(secret=SECRET) if jwt else JwtKeys(), cache_seconds=0)
    principal = await auth.authenticate(f"Bearer {out.strip()}")
    assert (principal.role, principal.scope, principal.county) == (
        AccessRole.CITY_ADMIN,
        "510500000000",
        "510500000000",
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["create", "--role", "root", "--scope", "510522"], "未知角色"),
        (["create", "--role", "street-admin", "--scope", "510522001006"], "Street"),
        (["create", "--role", "viewer", "--scope", "51x"], "区划代码"),
        (["create", "--role", "unit-operator", "--scope", "unit_nope"], "--county"),
        (["create", "--role", "viewer", "--scope", "510522", "--expires", "soon"], "过期时间"),
        (
            ["create", "--role", "viewer", "--scope", "510522", "--jwt", "--expires", "never"],
            "JWT 必须有过期时间",
        ),
        (["revoke", "tok_unknown"], "NOT_FOUND"),
        (["create", "--role", "CITY_ADMIN", "--scope", "510522000000"], "City"),
    ],
)
async def test_refusals(store: Store, args: list[str], says: str) -> None:
    code, out, err = await gongjian(store, *args)
    assert code == 2 and out == "" and says in err, err


def test_parse_expiry() -> None:
    assert parse_expiry("12h", 0) == 12 * 3_600_000
    assert parse_expiry("2w", 0) == 14 * 86_400_000
    assert parse_expiry("never", 0) is None
    # through the whole of 2026-12-31, China time
    assert parse_expiry("2026-12-31", 0) == 1_798_761_600_000 - 8 * 3_600_000  # 2027-01-01 +08:00
    with pytest.raises(InvalidInput, match="已过"):
        parse_expiry("2020-01-01", 1_800_000_000_000)


async def test_a_unit_operator_county_comes_from_the_units_link(store: Store) -> None:
    from app.commands.token import _unit_county
    from tests.api import seed

    await seed.hierarchy(store, compounds_per_community=0)
    unit = await seed.unit(store)
    assert await _unit_county(store, unit, None) == HEJIANG
