"""Over real HTTP: ``me`` says who the token's caller is (role, scope, county, expiry, its
place or unit), never the subject (which may be a person's name); anonymous callers sign in first."""

from __future__ import annotations

from typing import Any

import httpx

from domain.ids import derived_id
from tests.conftest import Api, bearer

ME = """{ me { role roleLabel scope county expiresAt
  home { __typename id ... on Community { name } ... on County { name } ... on Unit { name } } } }"""
HEJIANG, GUIYUANLIN = "510522000000", "510522001006"
LEAD = derived_id("Unit", HEJIANG, "中共合江县委组织部")


def me(api: Api, token: str) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"}
    response = httpx.post(f"{api}/graphql", json={"query": ME}, headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"]["me"])


def test_me_names_the_role_scope_and_home_place(demo_api: Api) -> None:
    found = me(demo_api, bearer("COMMUNITY_ADMIN", GUIYUANLIN, subject="王小明"))
    assert found["role"] == "COMMUNITY_ADMIN" and found["roleLabel"] == "社区管理员"
    assert (found["scope"], found["county"]) == (GUIYUANLIN, HEJIANG)
    assert found["home"] == {"__typename": "Community", "id": GUIYUANLIN, "name": "桂圆林社区"}
    assert found["expiresAt"] and "王小明" not in str(found)


def test_a_unit_operator_is_at_home_in_its_unit(demo_api: Api) -> None:
    found = me(demo_api, bearer("UNIT_OPERATOR", LEAD))
    assert (found["role"], found["scope"], found["county"]) == ("UNIT_OPERATOR", LEAD, HEJIANG)
    assert found["home"]["__typename"] == "Unit" and found["home"]["id"] == LEAD


def test_a_city_admin_has_no_county_and_another_countys_home_is_not_read(demo_api: Api) -> None:
    city = me(demo_api, bearer("CITY_ADMIN", "510500000000"))
    assert (city["role"], city["scope"], city["county"]) == ("CITY_ADMIN", "510500000000", None)
    # a county admin of 镇赉县 reads its own county
    zhenlai = me(demo_api, bearer("COUNTY_ADMIN", "220821000000"))
    assert zhenlai["home"] == {"__typename": "County", "id": "220821000000", "name": "镇赉县"}


def test_an_anonymous_caller_is_asked_to_sign_in(demo_api: Api) -> None:
    response = httpx.post(f"{demo_api}/graphql", json={"query": ME}, timeout=60)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
