"""Names and phone numbers: whole for callers whose scope covers the person, masked
for everyone else; never in the logs."""

from __future__ import annotations

import logging

import httpx
import pytest

from app.settings import DEMO_DIR
from graph.store import Store
from loaders import load_folder
from tests.conftest import Api, bearer

DEMO = DEMO_DIR / "hejiang"
FIRST_SECRETARY = """
{ division(code: "510522001006") { ... on Community { profile { firstSecretary {
    person { name phone } } } } } }
"""
CONTACT = """
{ resources(filter: {text: "架空层共享空间"}, first: 1) { nodes { contactName contactPhone } } }
"""


def ask(api: Api, query: str, token: str) -> dict:
    response = httpx.post(
        f"{api}/graphql", json={"query": query}, headers={"authorization": f"Bearer {token}"}
    )
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


def error_codes(api: Api, query: str, token: str) -> list[str]:
    response = httpx.post(
        f"{api}/graphql",
        json={"query": query},
        headers={"authorization": f"Bearer {token}"},
        timeout=60,
    )
    return [e["extensions"]["code"] for e in response.json()["errors"]]


def secretary(api: Api, token: str) -> dict:
    return dict(ask(api, FIRST_SECRETARY, token)["division"]["profile"]["firstSecretary"]["person"])


async def test_masked_outside_the_scope_whole_inside(
    store: Store, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    assert (await load_folder(store, DEMO)).ok
    caplog.set_level(logging.DEBUG)
    inside = secretary(api, bearer("COMMUNITY_ADMIN", "510522001006"))
    assert inside == {"name": "谢庆鹏", "phone": "18951091903"}
    for token in (
        bearer("VIEWER", "510522000000"),
        bearer("COMMUNITY_ADMIN", "510522001002"),
        bearer("STREET_ADMIN", "510522002000"),
    ):
        assert secretary(api, token) == {"name": "谢**", "phone": "189****1903"}
    # another county does not read the community's people at all (tenancy)
    assert error_codes(api, FIRST_SECRETARY, bearer("COUNTY_ADMIN", "220821000000")) == [
        "NOT_FOUND"
    ]
    assert secretary(api, bearer("COUNTY_ADMIN", "510522000000"))["phone"] == "18951091903"

    unit_contact = ask(api, CONTACT, bearer("VIEWER", "510522000000"))["resources"]["nodes"][0]
    assert unit_contact == {"contactName": "贺*", "contactPhone": "150****8908"}
    lead = "unit_" + "x"  # another unit's operator does not read it at all (tenancy)
    assert ask(api, CONTACT, bearer("UNIT_OPERATOR", lead))["resources"]["nodes"] == []
    for record in caplog.records:
        text = record.getMessage()
        assert "18951091903" not in text and "15098908908" not in text and "谢庆鹏" not in text


def test_anonymous_callers_reach_only_healthz(api: Api) -> None:
    assert httpx.get(f"{api}/healthz").status_code == 200
    refused = httpx.post(f"{api}/graphql", json={"query": "{ counties { name } }"})
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # /metrics: this host only (no scrape token is configured), never through a proxy
    assert httpx.get(f"{api}/metrics").status_code == 200
    forwarded = {"x-forwarded-for": "203.0.113.7"}
    assert httpx.get(f"{api}/metrics", headers=forwarded).status_code == 403
    page = httpx.get(f"{api}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_a_write_on_a_missing_object_is_refused_like_one_out_of_scope(api: Api) -> None:
    query = 'mutation { closeDemand(id: "dem_00000000000000000000", status: CLOSED) { __typename ... on Error { code message } } }'
    for token in (
        bearer("COMMUNITY_ADMIN", "510522001006"),
        bearer("COUNTY_ADMIN", "510522000000"),
    ):
        result = ask(api, query, token)["closeDemand"]
        assert result["code"] == "FORBIDDEN"
        assert "不存在于你的范围内" in result["message"]
