"""Hypothesis-generated hostile files through the readers and ``gongjian load``: a clear
error or a correct report, never another exception, nothing stored lost or changed."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings

from app.cli import main
from domain.errors import InvalidInput
from graph.backends.embedded import EmbeddedServer
from graph.backends.falkordb import FalkorBackend
from graph.store import Store
from loaders import load_upload
from loaders.limits import FileLimits
from loaders.read import RawSheet
from loaders.sandbox import read_isolated
from tests.conftest import graph_name
from tests.loaders.conftest import snapshot
from tests.loaders.hostile_strategies import hostile_file
from tests.loaders.test_safe_cells import DIVISIONS, formulas

CODES = {"INVALID_INPUT", "FILE_TOO_LARGE", "FILE_UNSAFE", "PARSE_ABORTED"}
LIMITS = FileLimits(parse_timeout_seconds=20)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(hostile_file)
def test_a_hostile_file_reads_or_is_refused_clearly(file: tuple[str, bytes]) -> None:
    name, data = file
    started = time.monotonic()
    try:
        sheets = read_isolated(name, data, LIMITS)
    except InvalidInput as e:
        event(e.code)
        assert e.code in CODES
        assert name in e.message or "编码" in e.message, e.message
    else:
        event("read")
        assert all(isinstance(s, RawSheet) for s in sheets)
        for sheet in sheets:
            assert len(sheet.rows) <= LIMITS.max_rows
            assert all(len(row) <= LIMITS.max_columns for row in sheet.rows)
            assert len(sheet.own) == len(sheet.rows)
    assert time.monotonic() - started < LIMITS.parse_timeout_seconds + 5


async def _snapshot(socket: str, graph: str) -> dict[str, Any]:
    async with Store(FalkorBackend(graph=graph, unix_socket=socket)) as store:
        return await snapshot(store)


def _kept(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Nothing stored before is lost or changed (new nodes may come from a valid row)."""
    for node_id, node in before["nodes"].items():
        assert after["nodes"].get(node_id) == node
    assert set(before["links"]) <= set(after["links"])


@pytest.mark.slow
def test_gongjian_load_of_hostile_files(
    falkordb_server: EmbeddedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = graph_name()
    socket = str(falkordb_server.socket_path)
    monkeypatch.setenv("GONGJIAN_GRAPH", graph)
    db = f"falkordb+unix://{socket}"

    async def seed() -> None:
        async with Store(FalkorBackend(graph=graph, unix_socket=socket)) as store:
            await store.migrate()
            assert (await load_upload(store, "区划.csv", DIVISIONS)).ok

    asyncio.run(seed())
    before = asyncio.run(_snapshot(socket, graph))
    assert before["nodes"]
    runs = [0]

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(hostile_file)
    def load(file: tuple[str, bytes]) -> None:
        runs[0] += 1
        folder = tmp_path / str(runs[0])
        folder.mkdir()
        path = folder / file[0]
        path.write_bytes(file[1])
        reports = folder / "r.json", folder / "r.xlsx"
        code = main(["load", str(path), "--db", db, "--quiet", "--dry-run",
                     "--report-json", str(reports[0]), "--report-xlsx", str(reports[1])])  # fmt: skip
        assert code in (0, 3)
        report = json.loads(reports[0].read_text(encoding="utf-8"))
        assert (code == 0) == (not report["errors"])
        for error in report["errors"]:
            assert error["reason"] and re.fullmatch(r"[A-Z_]+", error["code"]), error
            if error["code"] in CODES | {"UNREADABLE_FILE"}:
                assert error["file"] == file[0]
        assert formulas(reports[1]) == []

    load()
    try:
        _kept(before, asyncio.run(_snapshot(socket, graph)))
    finally:
        asyncio.run(_wipe(socket, graph))


async def _wipe(socket: str, graph: str) -> None:
    async with Store(FalkorBackend(graph=graph, unix_socket=socket)) as store:
        await store.wipe()


def test_gongjian_load_takes_its_limits_from_the_environment(
    falkordb_server: EmbeddedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = graph_name()
    monkeypatch.setenv("GONGJIAN_GRAPH", graph)
    monkeypatch.setenv("GONGJIAN_FILE_MAX_ROWS", "10")
    path = tmp_path / "区划.csv"
    path.write_bytes(DIVISIONS + b"x,y,z,w\n" * 20)
    db = f"falkordb+unix://{falkordb_server.socket_path}"
    try:
        code = main(
            ["load", str(path), "--db", db, "--quiet", "--report-json", str(tmp_path / "r.json")]
        )
        assert code == 3
        [error] = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["errors"]
        assert error["code"] == "FILE_TOO_LARGE" and "上限 10 行" in error["reason"]
        monkeypatch.delenv("GONGJIAN_FILE_MAX_ROWS")
        path.write_bytes(DIVISIONS)
        assert main(["load", str(path), "--db", db, "--quiet"]) == 0
    finally:
        asyncio.run(_wipe(str(falkordb_server.socket_path), graph))
