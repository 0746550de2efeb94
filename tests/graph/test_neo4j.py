"""The same store contract on Neo4j 5, through ``open_store`` and a GONGJIAN_DB URL: on the
session's own Neo4j 5 Community server (tools/neo4j-server), or on the server NEO4J_URI names
(e.g. neo4j://neo4j:secret@127.0.0.1:7687 from `docker compose up neo4j`)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from graph import writes
from graph.queries import nodes, places, projects
from graph.store import Store, open_store
from tests.conftest import BACKENDS

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(
        "neo4j" not in BACKENDS, reason="GONGJIAN_TEST_BACKENDS leaves Neo4j out (never in CI)"
    ),
]


@pytest.fixture
async def neo4j_store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    uri = os.environ.get("NEO4J_URI") or request.getfixturevalue("neo4j_uri")
    async with open_store(uri) as store:
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
    facts = await store.ping()
    assert facts["backend"] == "neo4j" and facts["version"].startswith("5.26")


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

    results = await asyncio.gather(*(form(i) for i in range(50)))
    assert sum(results) == 5
    [row] = await store.run(nodes.GET["Resource"], ids=["res_1"])
    assert row["node"]["allocated"] == 5
