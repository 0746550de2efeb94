"""Reads on Neo4j 5 go out as auto-commit transactions: the same rows, the same errors
as the managed transactions writes use. Runs on the session's Neo4j server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from domain.errors import LimitExceeded, StoreError
from graph import writes
from graph.backends.neo4j import Neo4jBackend, parse_neo4j_url
from graph.cypher import Statement
from graph.queries import nodes
from graph.store import Store
from tests.conftest import BACKENDS

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(
        "neo4j" not in BACKENDS, reason="GONGJIAN_TEST_BACKENDS leaves Neo4j out (never in CI)"
    ),
]
# not registered: these exist to fail, the registry's statements are checked elsewhere
SLOW = Statement("test.slow", "UNWIND range(1, 100000000) AS i WITH i WHERE i < 0 RETURN i")
BROKEN = Statement("test.broken", "MATCH (n:County RETURN n")


@pytest.fixture
async def neo4j_backend(neo4j_uri: str) -> AsyncIterator[Neo4jBackend]:
    neo4j = Neo4jBackend(*parse_neo4j_url(neo4j_uri))
    async with Store(neo4j) as store:
        await store.wipe()
        await store.migrate()
        yield neo4j
        await store.wipe()


async def test_a_read_sees_the_write_before_it(neo4j_backend: Neo4jBackend) -> None:
    counties = [("150781000000", "满洲里市"), ("440305000000", "南山区")]  # not the demo's
    await writes.upsert(
        Store(neo4j_backend),
        "County",
        [(code, {"name": name, "code": code}) for code, name in counties],
    )
    rows = await neo4j_backend.run(
        nodes.GET["County"], {"ids": ["150781000000", "440305000000", "x"]}
    )
    assert sorted(r["id"] for r in rows) == ["150781000000", "440305000000"]
    assert all(isinstance(r["node"], dict) and r["node"]["code"] == r["id"] for r in rows)
    assert await neo4j_backend.run(nodes.GET["County"], {"ids": []}) == []


async def test_read_errors_are_translated(neo4j_backend: Neo4jBackend) -> None:
    with pytest.raises(LimitExceeded, match="查询超时"):
        await neo4j_backend.run(SLOW, {}, timeout_ms=200)
    with pytest.raises(StoreError, match=r"test\.broken"):
        await neo4j_backend.run(BROKEN, {})
