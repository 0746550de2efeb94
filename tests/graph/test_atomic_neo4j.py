"""``Store.run_atomic`` on Neo4j 5: one explicit transaction, so a unit whose later
statement fails leaves nothing, and capacity checks stay exact under concurrency with
the audit entry folded in. Runs on the session's Neo4j server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from domain.errors import Conflict
from graph import writes
from graph.audited import audited
from graph.queries import nodes, projects
from graph.store import Store, open_store
from tests.conftest import BACKENDS

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(
        "neo4j" not in BACKENDS, reason="GONGJIAN_TEST_BACKENDS leaves Neo4j out (never in CI)"
    ),
]
FORM = audited(projects.FORM)


@pytest.fixture
async def neo4j_store(neo4j_uri: str) -> AsyncIterator[Store]:
    async with open_store(neo4j_uri) as store:
        await store.wipe()
        await store.migrate()
        yield store
        await store.wipe()


def _form(i: int) -> tuple[object, dict[str, object]]:
    return FORM, {
        "id": f"prj_{i}", "communityId": "510522001006", "props": {"name": f"p{i}"}, "now": 0,
        "uses": [{"resourceId": "res_1", "quantity": 1}], "auditId": f"aud_{i}",
        "audit": {"action": "FORM_PROJECT"}, "auditAt": 0,
    }  # fmt: skip


async def test_audited_formations_under_concurrency(neo4j_store: Store) -> None:
    store = neo4j_store
    await writes.upsert(store, "Community", [("510522001006", {"code": "510522001006"})])
    await writes.upsert(store, "Resource", [("res_1", {"capacity": 5, "allocated": 0,
                                                       "status": "AVAILABLE"})])  # fmt: skip

    async def form(i: int) -> bool:
        [rows] = await store.run_atomic([_form(i)], lock_ids=["res_1"])  # type: ignore[list-item]
        return bool(rows)

    assert sum(await asyncio.gather(*(form(i) for i in range(20)))) == 5
    assert (await store.run(nodes.COUNT["AuditEntry"]))[0]["count"] == 5


async def test_a_failing_statement_rolls_the_whole_unit_back(neo4j_store: Store) -> None:
    store = neo4j_store
    await writes.upsert(store, "Community", [("510522001006", {"code": "510522001006"})])
    await writes.upsert(store, "Resource", [("res_1", {"capacity": 5, "allocated": 0,
                                                       "status": "AVAILABLE"})])  # fmt: skip
    await store.run_atomic([_form(1)])  # type: ignore[list-item]
    with pytest.raises(Conflict):  # the same project id again: the unique constraint
        await store.run_atomic([_form(2), _form(1)])  # type: ignore[list-item]
    assert (await store.run(nodes.COUNT["Project"]))[0]["count"] == 1
    assert (await store.run(nodes.COUNT["AuditEntry"]))[0]["count"] == 1


async def test_an_audited_upsert_writes_its_node_and_its_entry_together(
    neo4j_store: Store,
) -> None:
    # a banner (准格尔旗), not the demo's county: the node and its entry, or neither
    county = "150622000000"
    upsert = audited(nodes.UPSERT["County"])
    audit = {"action": "LOAD_ROSTER", "targetId": county, "targetLabel": "County",
             "scopeCodes": [county], "actor": "测试"}  # fmt: skip
    params = {"rows": [{"id": county, "props": {"name": "准格尔旗"}}], "now": 1,
              "auditId": "aud_banner", "audit": audit, "auditAt": 1}  # fmt: skip
    [rows] = await neo4j_store.run_atomic([(upsert, params)])
    assert rows
    [node] = await neo4j_store.run(nodes.GET["County"], ids=[county])
    assert node["node"]["name"] == "准格尔旗"
    assert (await neo4j_store.run(nodes.COUNT["AuditEntry"]))[0]["count"] == 1
    with pytest.raises(Conflict):  # the same entry id again: nothing of the second unit stays
        await neo4j_store.run_atomic([(upsert, {**params, "rows": [
            {"id": "150621000000", "props": {"name": "达拉特旗"}}]})])  # fmt: skip
    assert not await neo4j_store.run(nodes.GET["County"], ids=["150621000000"])
    assert (await neo4j_store.run(nodes.COUNT["AuditEntry"]))[0]["count"] == 1
