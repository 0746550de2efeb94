"""--strict writes nothing when a row is bad; --dry-run checks and writes nothing."""

from __future__ import annotations

from graph.queries import nodes
from graph.store import Store
from loaders import load_paths
from tests.loaders.conftest import ROSTERS


async def _count(store: Store) -> int:
    count: int = (await store.run(nodes.COUNT_ALL))[0]["nodes"]
    return count


async def test_strict_writes_nothing_when_a_row_is_bad(store: Store) -> None:
    report = await load_paths(store, [ROSTERS], strict=True)
    assert (report.exitCode, report.written, report.strict) == (3, False, True)
    assert report.rejectedRows == 6
    assert await _count(store) == 0
    assert [(k.kind, k.valid, k.created) for k in report.kinds][:2] == [
        ("divisions", 3, 0), ("units", 3, 0),
    ]  # fmt: skip


async def test_strict_writes_everything_when_every_row_is_good(store: Store) -> None:
    report = await load_paths(store, [ROSTERS / "divisions.csv"], strict=True)
    assert (report.exitCode, report.written) == (0, True)
    assert report.kind("divisions").created == 3
    assert await _count(store) == 6


async def test_dry_run_checks_every_row_and_writes_nothing(store: Store) -> None:
    report = await load_paths(store, [ROSTERS], dry_run=True)
    assert (report.exitCode, report.written, report.dryRun) == (3, False, True)
    assert await _count(store) == 0
    # references between files of the load are checked without the graph
    assert [(k.kind, k.rows, k.valid, k.rejected) for k in report.kinds] == [
        ("divisions", 3, 3, 0), ("units", 4, 3, 1), ("resources", 5, 3, 2), ("roles", 5, 4, 1),
        ("buildings", 3, 2, 1), ("members", 3, 3, 0), ("demands", 5, 5, 0), ("projects", 3, 2, 1),
    ]  # fmt: skip
    assert len(report.errors) == 9


async def test_a_clean_dry_run_exits_zero(store: Store) -> None:
    report = await load_paths(store, [ROSTERS / "divisions.csv"], dry_run=True)
    assert (report.exitCode, report.written) == (0, False)
    assert await _count(store) == 0
