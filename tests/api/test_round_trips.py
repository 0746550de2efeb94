"""No N+1: round trips per request are bounded by the query's depth."""

from __future__ import annotations

import re

import httpx

from graph.store import Store
from tests.api import seed
from tests.conftest import Api

FOUR_LEVELS = """
{ counties { name streets { name communities { name street { name }
    compounds { name buildings { name } } } } } }
"""


def trips_sum(metrics: str) -> float:
    match = re.search(r"^gongjian_request_round_trips_sum\{\} (\S+)$", metrics, re.M)
    return float(match.group(1)) if match else 0.0


async def round_trips(api: Api, query: str) -> tuple[float, dict]:
    async with httpx.AsyncClient(headers=api.headers) as client:
        before = trips_sum((await client.get(f"{api}/metrics")).text)
        response = await client.post(f"{api}/graphql", json={"query": query})
        after = trips_sum((await client.get(f"{api}/metrics")).text)
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    return after - before, response.json()["data"]


async def test_nested_query_trips_do_not_grow_with_the_data(store: Store, api: Api) -> None:
    await seed.hierarchy(store, compounds_per_community=1, buildings=1)
    small, _ = await round_trips(api, FOUR_LEVELS)
    await seed.hierarchy(store, compounds_per_community=6, buildings=8)
    large, data = await round_trips(api, FOUR_LEVELS)
    buildings = [
        b
        for s in data["counties"][0]["streets"]
        for c in s["communities"]
        for cp in c["compounds"]
        for b in cp["buildings"]
    ]
    assert len(buildings) == 3 * 6 * 8
    assert small == large
    # one batch per level: counties, streets, communities, compounds, buildings, and the
    # communities' streets fetched again by id in the same batch as the compounds
    assert large == 6


async def test_four_levels_deep_in_at_most_five_round_trips(store: Store, api: Api) -> None:
    await seed.hierarchy(store, compounds_per_community=5, buildings=2)
    trips, data = await round_trips(
        api, "{ counties { streets { communities { compounds { name } } } } }"
    )
    assert (
        sum(len(c["compounds"]) for s in data["counties"][0]["streets"] for c in s["communities"])
        == 15
    )
    assert trips <= 5
