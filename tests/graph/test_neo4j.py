"""The same store contract on Neo4j 5: runs when NEO4J_URI is set
(e.g. neo4j://neo4j:secret@127.0.0.1:7687 from `docker compose up neo4j`)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from graph import writes
from graph.queries import nodes, places, projects
from graph.store import Store, open_store

URI = os.environ.get("NEO4J_URI")
pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(URI is None, reason="NEO4J_URI is not set: no Neo4j 5 server to test"),
]


@pytest.fixture
async def neo4j_store() -> AsyncIterator[Store]:
    assert URI is not None
    async with open_store(URI) as store:
        await store.wipe()
        await store.migrate()
        yield store
        await store.wipe()


async def test_upsert_links_and_fulltext(neo4j_store: Store) -> None:
    store = neo4j_store
    await writes.upsert(
        store, "County", [("510522000000", {"name": "合江县", "code": "510522000000"})]
    )
    await writes.upsert(
        store, "Street", [("510522001000", {"name": "符阳街道", "code": "510522001000"})]
    )
    await store.run(
        places.LINK_PARENT[("Street", "County")],
        rows=[{"child": "510522001000", "parent": "510522000000"}],
    )
    rows = await store.run(places.CHILDREN[("County", "Street")], ids=["510522000000"])
    assert [r["node"]["name"] for r in rows] == ["符阳街道"]
    await writes.upsert(
        store, "Demand", [("dem_1", {"title": "桂圆林社区老年食堂", "description": ""})]
    )
    assert [h["id"] for h in await store.search("Demand", "食堂")] == ["dem_1"]
    assert (await store.run(nodes.COUNT_ALL))[0]["nodes"] == 3


async def test_capacity_is_never_over_allocated_under_concurrency(neo4j_store: Store) -> None:
    store = neo4j_store
    await writes.upsert(
        store, "Community", [("510522001006", {"name": "桂圆林社区", "code": "510522001006"})]
    )
    await writes.upsert(
        store,
        "Resource",
        [("res_1", {"name": "场地", "capacity": 5, "allocated": 0, "status": "AVAILABLE"})],
    )

    async def form(i: int) -> bool:
        rows = await store.run_locked(
            ["res_1"], projects.FORM, id=f"prj_{i}", communityId="510522001006",
            uses=[{"resourceId": "res_1", "quantity": 1}], props={"name": f"p{i}"}, now=0,
        )  # fmt: skip
        return bool(rows)

    results = await asyncio.gather(*(form(i) for i in range(30)))
    assert sum(results) == 5
    [row] = await store.run(nodes.GET["Resource"], ids=["res_1"])
    assert row["node"]["allocated"] == 5
