"""The read path over real HTTP: county -> streets -> communities with codes."""

from __future__ import annotations

import httpx

from graph import writes
from graph.queries import places
from graph.store import Store
from tests.conftest import Api

QUERY = """
{ counties { name code streets { name code communities { name code street { code } } } } }
"""


async def seed(store: Store) -> None:
    await writes.upsert(
        store, "County", [("510522000000", {"name": "合江县", "code": "510522000000"})]
    )
    await writes.upsert(
        store,
        "Street",
        [
            ("510522001000", {"name": "符阳街道", "code": "510522001000"}),
            ("510522002000", {"name": "临港街道", "code": "510522002000"}),
        ],
    )
    await writes.upsert(
        store,
        "Community",
        [
            ("510522001006", {"name": "桂圆林社区", "code": "510522001006"}),
            ("510522002002", {"name": "兴隆社区", "code": "510522002002"}),
        ],
    )
    await store.run(
        places.LINK_PARENT[("Street", "County")],
        rows=[
            {"child": "510522001000", "parent": "510522000000"},
            {"child": "510522002000", "parent": "510522000000"},
        ],
    )
    await store.run(
        places.LINK_PARENT[("Community", "Street")],
        rows=[
            {"child": "510522001006", "parent": "510522001000"},
            {"child": "510522002002", "parent": "510522002000"},
        ],
    )


async def test_hierarchy_over_http(store: Store, api: Api) -> None:
    await seed(store)
    async with httpx.AsyncClient(headers=api.headers) as client:
        response = await client.post(f"{api}/graphql", json={"query": QUERY})
    assert response.status_code == 200, response.text
    [county] = response.json()["data"]["counties"]
    assert county["name"] == "合江县"
    assert [s["code"] for s in county["streets"]] == ["510522001000", "510522002000"]
    assert county["streets"][0]["communities"] == [
        {"name": "桂圆林社区", "code": "510522001006", "street": {"code": "510522001000"}}
    ]


async def test_division_by_short_code(store: Store, api: Api) -> None:
    await seed(store)
    query = '{ division(code: "510522001") { __typename ... on Street { name county { name } } } }'
    async with httpx.AsyncClient(headers=api.headers) as client:
        response = await client.get(f"{api}/graphql", params={"query": query})
    assert response.json()["data"]["division"] == {
        "__typename": "Street",
        "name": "符阳街道",
        "county": {"name": "合江县"},
    }


async def test_grids_and_compounds_know_their_community(store: Store, api: Api) -> None:
    await seed(store)
    await writes.upsert(store, "Grid", [("grd_1", {"name": "第一网格", "level": 4})])
    await writes.upsert(store, "Compound", [("cmp_1", {"name": "利城半岛"})])
    await store.run(
        places.LINK_PARENT[("Grid", "Community")],
        rows=[{"child": "grd_1", "parent": "510522001006"}],
    )
    await store.run(
        places.LINK_PARENT[("Compound", "Community")],
        rows=[{"child": "cmp_1", "parent": "510522001006"}],
    )
    query = """{ division(code: "510522001006") { ... on Community {
        grids { name level community { code } } compounds { name community { code } } } } }"""
    async with httpx.AsyncClient(headers=api.headers) as client:
        response = await client.post(f"{api}/graphql", json={"query": query})
    community = response.json()["data"]["division"]
    assert community["grids"] == [
        {"name": "第一网格", "level": 4, "community": {"code": "510522001006"}}
    ]
    assert community["compounds"] == [{"name": "利城半岛", "community": {"code": "510522001006"}}]
