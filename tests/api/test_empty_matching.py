"""Over HTTP: matching in a county with no resources, or nothing at all, answers with
empty results and a reason, never an INTERNAL error."""

from __future__ import annotations

from typing import Any

import httpx

from graph.store import Store
from tests.conftest import Api, bearer
from tests.matching.builder import City

#: each side asked by the admin of the county it lies in (another county's demand or
#: resource is not read: NOT_FOUND)
QUERY = """query($demand: ID!, $resource: ID!, $empty: String!, $demands: Boolean! = true,
    $resources: Boolean! = true) {
  matchResources(demandId: $demand) @include(if: $demands) { resourceId }
  resourceMatches(demandId: $demand) @include(if: $demands) {
    candidates { resourceId } reason { code sentence } }
  demandMatches(resourceId: $resource) @include(if: $resources) {
    candidates { demandId } reason { code sentence } }
  allocationPlan(scope: $empty) { __typename ... on AllocationPlan {
    items { demandId } unmet { demandId } empty { code sentence } } }
  gaps(scope: $empty) { unmet { count } idle { resourceId } empty { code } }
}"""


def gql(api: Api, token: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{api}/graphql", json={"query": QUERY, "variables": variables},
        headers={"authorization": f"Bearer {token}"}, timeout=120,
    )  # fmt: skip
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


async def test_empty_sides_over_http(store: Store, api: Api) -> None:
    banner = City(store, county="150621000000", name="达拉特旗")
    await banner.places({"工业街道": ["召北社区"]})
    district = City(store, county="440303000000", name="罗湖区")
    await district.places({"桂园街道": ["松园社区"]})
    demand = await banner.demand("召北社区", "暖气不热", "INFRASTRUCTURE")
    unit = await district.unit("罗湖区志愿者联合会")
    resource = await district.resource(unit, "志愿者上门服务", "VOLUNTEERING")

    data = gql(api, bearer("COUNTY_ADMIN", "440303000000"), demand=demand, resource=resource,
               empty="440303000000", demands=False)  # fmt: skip
    data |= gql(api, bearer("COUNTY_ADMIN", "150621000000"),
                demand=demand, resource=resource, empty="150621000000", resources=False)  # fmt: skip
    assert data["matchResources"] == []
    assert data["resourceMatches"]["candidates"] == []
    assert data["resourceMatches"]["reason"]["code"] == "NO_RESOURCE_IN_SCOPE"
    assert data["demandMatches"] == {
        "candidates": [],
        "reason": {"code": "NO_OPEN_DEMAND", "sentence": "资源的服务范围内没有待解决的需求"},
    }
    plan = data["allocationPlan"]
    assert plan["items"] == [] and [u["demandId"] for u in plan["unmet"]] == [demand]
    assert plan["empty"]["code"] == "NO_RESOURCE_IN_SCOPE"
    assert data["gaps"]["unmet"] == [{"count": 1}] and data["gaps"]["empty"] is None

    nothing = gql(api, bearer("COUNTY_ADMIN", "440303000000"),
                  demand=demand, resource=resource, empty="440303001000", demands=False)  # fmt: skip
    assert nothing["allocationPlan"]["empty"]["code"] == "NO_OPEN_DEMAND"
    # the county-wide resource lies above the street: not idle inside it
    assert nothing["gaps"]["unmet"] == [] and nothing["gaps"]["idle"] == []
