"""The embedded FalkorDB as gongjian runs it: durable, restartable, clear when broken
(FalkorDB only: these tests start the embedded server process themselves)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from domain.errors import StoreUnavailable
from graph import writes
from graph.backends.embedded import EmbeddedServer
from graph.queries import nodes
from graph.store import open_store


def kill9(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.waitpid(pid, os.WNOHANG)
            os.kill(pid, 0)
        except (ChildProcessError, ProcessLookupError):
            return
        time.sleep(0.02)


async def test_an_acknowledged_write_survives_kill_9(tmp_path: Path) -> None:
    store = open_store(f"embedded:{tmp_path}")
    async with store:
        await store.migrate()
        await writes.upsert(store, "County", [("510522000000", {"name": "合江县"})])
        server = store.backend.server  # type: ignore[attr-defined]
        kill9(server.pid)
        # the next request finds the server gone, restarts it and goes on
        rows = await store.run(nodes.GET["County"], ids=["510522000000"])
        assert rows[0]["node"]["name"] == "合江县"
        assert server.restarts == 1
        await writes.upsert(store, "Street", [("510522001000", {"name": "符阳街道"})])
        kill9(server.pid)
    async with open_store(f"embedded:{tmp_path}") as again:
        assert (await again.run(nodes.COUNT_ALL))[0]["nodes"] == 2


async def test_an_orphaned_server_and_a_stale_socket_are_cleaned_up(tmp_path: Path) -> None:
    orphan = EmbeddedServer(tmp_path)
    orphan.start()
    pid = orphan.pid
    assert pid is not None
    # gongjian died without stopping its database: the lock goes, the server stays
    assert orphan._lock_file is not None
    orphan._lock_file.close()
    orphan._lock_file = None
    process, orphan._process = orphan._process, None
    async with open_store(f"embedded:{tmp_path}") as store:
        assert (await store.run(nodes.COUNT_ALL))[0]["nodes"] == 0
        assert store.backend.server.pid != pid  # type: ignore[attr-defined]
    assert process is not None
    process.wait(10)
    process.stderr.close()  # type: ignore[union-attr]

    (tmp_path / "falkordb.sock").write_text("stale")
    (tmp_path / "falkordb.pid").write_text("999999")
    async with open_store(f"embedded:{tmp_path}") as store:
        assert (await store.run(nodes.COUNT_ALL))[0]["nodes"] == 0


def test_a_missing_system_library_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "libgomp.so.1").write_bytes(b"not a library")
    monkeypatch.setenv("LD_LIBRARY_PATH", str(broken))
    server = EmbeddedServer(tmp_path / "data", start_timeout=10)
    with pytest.raises(StoreUnavailable) as raised:
        server.start()
    server.stop()
    assert "libgomp" in raised.value.message
    assert "apt-get install -y libgomp1" in raised.value.message


def test_a_long_data_path_still_gets_a_socket(tmp_path: Path) -> None:
    deep = tmp_path / ("很长的目录名" * 12)
    server = EmbeddedServer(deep)
    server.start()
    try:
        assert len(str(server.socket_path)) <= 100
        assert server.alive()
    finally:
        server.stop()
    assert not server.alive()
