"""Matching over HTTP on the demo county: ranked, explained, planned, accepted."""

from __future__ import annotations

from typing import Any

import httpx

from app.settings import DEMO_DIR
from domain.ids import derived_id
from graph.store import Store
from loaders import load_folder
from tests.conftest import Api, bearer

DEMO = DEMO_DIR / "hejiang"
GAS_DEMAND = derived_id("Demand", "510522001008", "青龙山还房小区168户未通天然气")
MATCH = """
query($id: ID!) { matchResources(demandId: $id, first: 5) {
  rank score unitName resourceName capacityLeft
  reasons { kind label contribution sentence } unit { name } } }
"""
PLAN = """
query($scope: String!) { allocationPlan(scope: $scope) { __typename
  ... on AllocationPlan { items { demandId resourceId quantity candidate { score unitName } }
    unmet { demandId reason sentence } stats { demands resources assigned } } } }
"""
ACCEPT = """
mutation($items: [AcceptItemInput!]!) { acceptPlan(items: $items) { __typename
  ... on AcceptPlanResult { accepted { projectId demandId } rejected { demandId code message } } } }
"""


def gql(api: Api, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else api.headers
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables}, headers=headers,
        timeout=120,
    )  # fmt: skip
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


def test_the_gas_company_meets_the_gas_demand_first(demo_api: Api) -> None:
    candidates = gql(demo_api, MATCH, id=GAS_DEMAND)["matchResources"]
    assert candidates[0]["unitName"] == "合江县天然气有限公司"
    assert candidates[0]["unit"]["name"] == "合江县天然气有限公司"
    for c in candidates:
        assert abs(sum(r["contribution"] for r in c["reasons"]) - c["score"]) < 1e-9
        assert all(r["sentence"] for r in c["reasons"])
    assert [c["rank"] for c in candidates] == list(range(1, len(candidates) + 1))


async def test_plan_then_accept_part_of_it(store: Store, api: Api) -> None:
    assert (await load_folder(store, DEMO)).ok
    plan = gql(api, PLAN, scope="510522001000")["allocationPlan"]
    assert plan["__typename"] == "AllocationPlan"
    assert plan["items"] and plan["stats"]["assigned"] == len(plan["items"])
    assert plan["stats"]["assigned"] + len(plan["unmet"]) == plan["stats"]["demands"]
    chosen = [{"demandId": i["demandId"], "resourceId": i["resourceId"]} for i in plan["items"][:2]]
    # a community admin elsewhere may accept nothing here
    outsider = gql(api, ACCEPT, bearer("COMMUNITY_ADMIN", "510522002001"), items=chosen)[
        "acceptPlan"
    ]
    assert outsider["accepted"] == [] and {r["code"] for r in outsider["rejected"]} == {"FORBIDDEN"}
    result = gql(api, ACCEPT, items=chosen)["acceptPlan"]
    assert [a["demandId"] for a in result["accepted"]] == [c["demandId"] for c in chosen]
    again = gql(api, ACCEPT, items=chosen)["acceptPlan"]
    assert again["accepted"] == [] or [a["projectId"] for a in again["accepted"]] == [
        a["projectId"] for a in result["accepted"]
    ]
