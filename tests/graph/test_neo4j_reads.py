"""Reads on Neo4j 5 go out as auto-commit transactions: the same rows, the same errors
as the managed transactions writes use. Runs when NEO4J_URI is set."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from domain.errors import LimitExceeded, StoreError
from graph import writes
from graph.backends.neo4j import Neo4jBackend, parse_neo4j_url
from graph.cypher import Statement
from graph.queries import nodes
from graph.store import Store

URI = os.environ.get("NEO4J_URI")
pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(URI is None, reason="NEO4J_URI is not set: no Neo4j 5 server to test"),
]
# not registered: these exist to fail, the registry's statements are checked elsewhere
SLOW = Statement("test.slow", "UNWIND range(1, 100000000) AS i WITH i WHERE i < 0 RETURN i")
BROKEN = Statement("test.broken", "MATCH (n:County RETURN n")


@pytest.fixture
async def backend() -> AsyncIterator[Neo4jBackend]:
    assert URI is not None
    neo4j = Neo4jBackend(*parse_neo4j_url(URI))
    async with Store(neo4j) as store:
        await store.wipe()
        await store.migrate()
        yield neo4j
        await store.wipe()


async def test_a_read_sees_the_write_before_it(backend: Neo4jBackend) -> None:
    counties = [("150781000000", "满洲里市"), ("440305000000", "南山区")]  # not the demo's
    await writes.upsert(
        Store(backend), "County", [(code, {"name": name, "code": code}) for code, name in counties]
    )
    rows = await backend.run(nodes.GET["County"], {"ids": ["150781000000", "440305000000", "x"]})
    assert sorted(r["id"] for r in rows) == ["150781000000", "440305000000"]
    assert all(isinstance(r["node"], dict) and r["node"]["code"] == r["id"] for r in rows)
    assert await backend.run(nodes.GET["County"], {"ids": []}) == []


async def test_read_errors_are_translated(backend: Neo4jBackend) -> None:
    with pytest.raises(LimitExceeded, match="查询超时"):
        await backend.run(SLOW, {}, timeout_ms=200)
    with pytest.raises(StoreError, match=r"test\.broken"):
        await backend.run(BROKEN, {})
