"""A phone number inside free text cannot be probed through OR or NOT: a text atom with
digits matches only where the caller reads personal data, and negated it is true
everywhere else, so a composed filter tells an outsider nothing."""

from __future__ import annotations

from typing import Any

import httpx

from app.settings import DEMO_DIR
from graph.store import Store
from loaders import load_folder
from tests.conftest import Api, bearer

PHONE = "13912345678"
REPORT = """mutation($input: ReportDemandInput!) {
  reportDemand(input: $input) { __typename ... on Error { code message } ... on Node { id } } }"""
LIST = "query($filter: DemandFilter) { demands(filter: $filter, first: 100) { nodes { id } } }"


def post(api: Api, token: str, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables}, timeout=30,
        headers={"authorization": f"Bearer {token}"},
    )  # fmt: skip
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


def ids(api: Api, token: str, filter: dict[str, Any]) -> set[str]:
    return {n["id"] for n in post(api, token, LIST, filter=filter)["demands"]["nodes"]}


async def test_digits_in_or_and_not_match_only_inside_the_personal_scope(
    store: Store, api: Api
) -> None:
    assert (await load_folder(store, DEMO_DIR / "hejiang")).ok
    inside = bearer("COMMUNITY_ADMIN", "510522001006")
    reported = post(api, inside, REPORT, input={
        "community": "510522001006", "title": "楼道灯坏了",
        "description": f"联系 王秘密 {PHONE}", "category": "INFRASTRUCTURE",
    })["reportDemand"]  # fmt: skip
    assert reported["__typename"] == "Demand", reported
    demand = reported["id"]
    probe = {"OR": [{"text": PHONE}, {"text": "没有这个词"}]}
    negated = {"NOT": {"text": PHONE}}
    assert demand in ids(api, inside, probe)
    assert demand not in ids(api, inside, negated)
    beside = bearer("COMMUNITY_ADMIN", "510522001002")  # the same county, another community
    everything = ids(api, beside, {})
    assert demand in everything  # the demand itself is a public fact of the county
    assert ids(api, beside, probe) == set()
    assert ids(api, beside, {"AND": [{"text": PHONE}]}) == set()
    assert ids(api, beside, negated) == everything
    assert ids(api, beside, {"NOT": {"NOT": {"text": PHONE}}}) == set()
    # names: a text atom over a person's name matches only where the caller reads it
    people = "query($f: PeopleFilter) { people(filter: $f, first: 100) { totalCount } }"

    def count(token: str, f: dict[str, Any]) -> int:
        return int(post(api, token, people, f=f)["people"]["totalCount"])

    name = {"OR": [{"text": "谢庆鹏"}]}
    assert count(inside, name) >= 1
    assert count(beside, name) == 0
    assert count(beside, {"NOT": {"text": "谢庆鹏"}}) == count(beside, {})
