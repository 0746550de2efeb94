"""Projects over HTTP: capacity taken atomically, the workflow enforced."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from graph.queries import nodes
from graph.store import Store
from tests.api import seed
from tests.conftest import Api, bearer

OFFER = """
mutation($input: OfferResourceInput!) { offerResource(input: $input) {
  __typename ... on Resource { id capacity allocated capacityLeft scope }
  ... on Error { code message field } } }
"""
FORM = """
mutation($input: FormProjectInput!) { formProject(input: $input) {
  __typename ... on Project { id status }
  ... on CapacityExceededError { code message available }
  ... on Error { code message field } } }
"""
MOVE = """
mutation($id: ID!, $to: ProjectStatus!) { moveProject(id: $id, to: $to) {
  __typename ... on Project { status }
  ... on IllegalTransitionError { code message allowed }
  ... on ForbiddenError { code message } } }
"""


async def gql(client: httpx.AsyncClient, api: Api, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post(f"{api}/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def offer(client: httpx.AsyncClient, api: Api, capacity: int, unit: str) -> str:
    data = await gql(client, api, OFFER, input={
        "unitId": unit, "name": "入户安全检查", "category": "INFRASTRUCTURE",
        "capacity": capacity, "scopeCodes": ["510522001000"], "measure": "户",
    })  # fmt: skip
    resource = data["offerResource"]
    assert resource["__typename"] == "Resource", resource
    assert (resource["allocated"], resource["scope"]) == (0, "STREET")
    return str(resource["id"])


async def test_fifty_concurrent_formations_on_capacity_five(store: Store, api: Api) -> None:
    await seed.hierarchy(store, compounds_per_community=0)
    unit = await seed.unit(store)
    async with httpx.AsyncClient(timeout=60, headers=api.headers) as client:
        resource = await offer(client, api, capacity=5, unit=unit)

        async def form(i: int) -> dict[str, Any]:
            data = await gql(client, api, FORM, input={
                "name": f"燃气入户检查第{i}批", "projectClass": "VOLUNTEERING",
                "community": "510522001008", "uses": [{"resourceId": resource, "quantity": 1}],
                "leadUnitId": unit,
            })  # fmt: skip
            return dict(data["formProject"])

        results = await asyncio.gather(*(form(i) for i in range(50)))
    kinds = [r["__typename"] for r in results]
    assert kinds.count("Project") == 5
    assert kinds.count("CapacityExceededError") == 45
    assert {r["available"] for r in results if r["__typename"] != "Project"} == {0}
    [row] = await store.run(nodes.GET["Resource"], ids=[resource])
    assert row["node"]["allocated"] == 5
    assert (await store.run(nodes.COUNT["Project"]))[0]["count"] == 5


async def test_workflow_refuses_illegal_moves_and_cancel_releases(store: Store, api: Api) -> None:
    await seed.hierarchy(store, compounds_per_community=0)
    unit = await seed.unit(store)
    async with httpx.AsyncClient(timeout=60, headers=api.headers) as client:
        resource = await offer(client, api, capacity=3, unit=unit)
        formed = await gql(client, api, FORM, input={
            "name": "青龙山还房小区通气", "projectClass": "POVERTY_RELIEF", "leadUnitId": unit,
            "community": "510522001008", "uses": [{"resourceId": resource, "quantity": 2}],
        })  # fmt: skip
        project = formed["formProject"]
        assert project["status"] == "REPORTED"
        illegal = (await gql(client, api, MOVE, id=project["id"], to="DONE"))["moveProject"]
        assert illegal["code"] == "ILLEGAL_TRANSITION"
        assert set(illegal["allowed"]) == {"DISPATCHED", "CANCELLED"}
        # the community dispatches (派单), the lead unit accepts (接单)
        moved = (await gql(client, api, MOVE, id=project["id"], to="DISPATCHED"))["moveProject"]
        assert moved["status"] == "DISPATCHED"
        refused = (await gql(client, api, MOVE, id=project["id"], to="ACCEPTED"))["moveProject"]
        assert refused["__typename"] == "ForbiddenError"
        operator = {"authorization": f"Bearer {bearer('UNIT_OPERATOR', unit)}"}
        async with httpx.AsyncClient(timeout=60, headers=operator) as unit_client:
            accepted = await gql(unit_client, api, MOVE, id=project["id"], to="ACCEPTED")
        assert accepted["moveProject"]["status"] == "ACCEPTED"
        cancelled = (await gql(client, api, MOVE, id=project["id"], to="CANCELLED"))["moveProject"]
        assert cancelled["status"] == "CANCELLED"
        too_much = await gql(client, api, FORM, input={
            "name": "超量", "projectClass": "HEALTH", "community": "510522001008",
            "uses": [{"resourceId": resource, "quantity": 4}],
        })  # fmt: skip
    assert too_much["formProject"]["code"] == "CAPACITY_EXCEEDED"
    assert too_much["formProject"]["available"] == 3
