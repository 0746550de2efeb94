"""A write and its audit entry live or die together, even when the embedded database
is killed (kill -9 of its redis-server) in the middle.

Before: the write and its entry were two statements, and a crash between them kept the
write without its entry. Now the entry is folded into the write statement
(``graph.audited``) and a unit of several statements is one MULTI/EXEC block
(``Store.run_atomic``), which reaches the append-only file whole or, torn by a crash,
is dropped when the file is loaded.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

from domain.errors import StoreUnavailable
from graph import writes
from graph.audited import audited, fold
from graph.queries import access, nodes
from graph.store import Store, open_store
from tests.graph.test_embedded import kill9

COUNTY, STREET = "220821000000", "220821001000"
UPSERT_COUNTY = audited(nodes.UPSERT["County"])
_MULTI = b"*1\r\n$5\r\nMULTI\r\n"
_EXEC = b"*1\r\n$4\r\nEXEC\r\n"


def _unit(entry: str) -> list[tuple[Any, dict[str, Any]]]:
    """A county and a street written with one audit entry: two statements, one unit."""
    audit = {"action": "LOAD_ROSTER", "targetId": COUNTY, "targetLabel": "County",
             "scopeCodes": [COUNTY], "actor": "测试"}  # fmt: skip
    return [
        (
            UPSERT_COUNTY,
            {
                "rows": [{"id": COUNTY, "props": {"name": "镇赉县"}}],
                "now": 1,
                "auditId": entry,
                "audit": audit,
                "auditAt": 1,
            },
        ),
        (
            nodes.UPSERT["Street"],
            {"rows": [{"id": STREET, "props": {"name": "鹤城街道"}}], "now": 1},
        ),
    ]


async def _state(store: Store, entry: str) -> tuple[bool, bool, bool]:
    county = bool(await store.run(nodes.GET["County"], ids=[COUNTY]))
    street = bool(await store.run(nodes.GET["Street"], ids=[STREET]))
    audited_ = any(
        row["entry"]["id"] == entry
        for row in await store.run(
            access.AUDIT_ENTRIES, prefix="", after=None, targetId=None, action=None, actor=None,
            limit=100,
        )
    )  # fmt: skip
    return county, street, audited_


async def test_two_statements_torn_by_kill_9_keep_a_write_without_its_entry(
    tmp_path: Path,
) -> None:
    """The hazard, as the code had it: write, then append the entry as a second statement."""
    async with open_store(f"embedded:{tmp_path}") as store:
        await store.migrate()
        await writes.upsert(store, "County", [(COUNTY, {"name": "镇赉县"})])
        kill9(store.backend.server.pid)  # type: ignore[attr-defined]
    async with open_store(f"embedded:{tmp_path}") as store:
        county, _, entry = await _state(store, "aud_never_written")
        assert county and not entry


async def test_an_acknowledged_unit_survives_kill_9_whole(tmp_path: Path) -> None:
    async with open_store(f"embedded:{tmp_path}") as store:
        await store.migrate()
        results = await store.run_atomic(_unit("aud_1"))
        assert results[0] == [{"written": 1}] and results[1] == [{"written": 1}]
        kill9(store.backend.server.pid)  # type: ignore[attr-defined]
        # the next request restarts the server: everything is there
        assert await _state(store, "aud_1") == (True, True, True)
    async with open_store(f"embedded:{tmp_path}") as store:
        assert await _state(store, "aud_1") == (True, True, True)


async def test_a_unit_torn_anywhere_by_a_crash_leaves_neither_write_nor_entry(
    tmp_path: Path,
) -> None:
    """Kill -9, then cut the append-only file at points inside the last unit's block (a
    crash while it was being written): between its two statements, inside either, just
    before EXEC. Every load keeps what came before and nothing of the unit."""
    data = tmp_path / "data"
    async with open_store(f"embedded:{data}") as store:
        await store.migrate()
        await writes.upsert(store, "Community", [("220821001001", {"name": "庆生社区"})])
        await store.run_atomic(_unit("aud_torn"))
        kill9(store.backend.server.pid)  # type: ignore[attr-defined]
    [aof] = sorted((data / "aof").glob("*.incr.aof"))
    whole = aof.read_bytes()
    start = whole.rindex(_MULTI)
    end = whole.rindex(_EXEC) + len(_EXEC)
    second = whole.index(b"GRAPH.QUERY", whole.index(b"GRAPH.QUERY", start) + 1)
    cuts = {start + len(_MULTI), start + len(_MULTI) + 20, second - 4, second + 30, end - 3}
    pristine = tmp_path / "pristine"
    shutil.copytree(data / "aof", pristine)
    for cut in sorted(cuts):
        shutil.rmtree(data / "aof")
        shutil.copytree(pristine, data / "aof")
        aof.write_bytes(whole[:cut])
        async with open_store(f"embedded:{data}") as store:
            assert await store.run(nodes.GET["Community"], ids=["220821001001"]), cut
            assert await _state(store, "aud_torn") == (False, False, False), cut
    # and the file as the crash left it, whole: the unit is all there
    shutil.rmtree(data / "aof")
    shutil.copytree(pristine, data / "aof")
    async with open_store(f"embedded:{data}") as store:
        assert await _state(store, "aud_torn") == (True, True, True)


async def test_kill_9_in_a_stream_of_units_never_splits_one(tmp_path: Path) -> None:
    """Units written one after another while the server is killed (kill -9) under them:
    after the restart, each county exists exactly when its entry does."""
    ids = [f"c_{i}" for i in range(300)]

    def unit(node: str) -> tuple[Any, dict[str, Any]]:
        audit = {"action": "LOAD_ROSTER", "targetId": node, "scopeCodes": [COUNTY]}
        return UPSERT_COUNTY, {"rows": [{"id": node, "props": {"name": node}}], "now": 1,
                               "auditId": f"aud_{node}", "audit": audit, "auditAt": 1}  # fmt: skip

    async with open_store(f"embedded:{tmp_path}") as store:
        await store.migrate()
        server = store.backend.server  # type: ignore[attr-defined]
        failed = 0

        async def stream() -> None:
            nonlocal failed
            for node in ids:
                try:
                    await store.run_atomic([unit(node)])
                except StoreUnavailable:
                    failed += 1  # the unit in flight when the server died: unknown outcome

        task = asyncio.create_task(stream())
        killed: set[int] = set()
        while len(killed) < 3 and not task.done():
            await asyncio.sleep(0.1)
            if server.alive() and server.pid not in killed:  # restarted by the next unit
                killed.add(server.pid)
                kill9(server.pid)
        await task
        assert server.restarts >= 1
    async with open_store(f"embedded:{tmp_path}") as store:
        written = {row["id"] for row in await store.run(nodes.GET["County"], ids=ids)}
        entries = await store.run(
            access.AUDIT_ENTRIES, prefix="", after=None, targetId=None, action=None, actor=None,
            limit=1000,
        )  # fmt: skip
        audited_ = {row["entry"]["targetId"] for row in entries}
        assert written == audited_
        assert 0 < len(written) <= len(ids) and failed <= 3


async def test_a_write_that_matches_nothing_appends_no_entry(store: Store) -> None:
    """The folded entry is created by the rows that wrote: none, no entry."""
    from graph.queries import demands

    update = audited(demands.UPDATE)
    params = {"id": "dem_missing", "props": {"title": "x"}, "now": 1, "auditId": "aud_none",
              "audit": {"action": "UPDATE_DEMAND"}, "auditAt": 1}  # fmt: skip
    [rows] = await store.run_atomic([(update, params)])
    assert rows == []
    assert (await store.run(nodes.COUNT["AuditEntry"]))[0]["count"] == 0


def test_fold_returns_what_the_write_returned() -> None:
    text = fold("MATCH (n:X {id: $id}) SET n.a = 1 RETURN n.id AS id, count(n) AS n")
    assert text.endswith("RETURN _row.id AS id, _row.n AS n")
    assert "WITH n.id AS id, count(n) AS n WITH collect({id: id, n: n}) AS _rows" in text
