"""The `gongjian` command as a user types it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def gongjian(*args: str, data: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GONGJIAN_DB": f"embedded:{data}"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], env=env, input=stdin,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_db_migrate_is_idempotent_and_status_reports(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = gongjian("db", "migrate", data=data)
    assert first.returncode == 0, first.stderr
    assert "unique Demand.id" in first.stdout and "fulltext Demand" in first.stdout
    again = gongjian("db", "migrate", data=data)
    assert again.returncode == 0 and "无需变更" in again.stdout
    status = gongjian("db", "status", data=data)
    assert status.returncode == 0, status.stderr
    facts = json.loads(status.stdout)
    assert facts["backend"] == "falkordb-embedded" and facts["nodes"] == {}
    assert facts["relationships"] == 0


def test_db_wipe_asks_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    refused = gongjian("db", "wipe", data=data, stdin="no\n")
    assert refused.returncode == 1 and "未删除" in refused.stdout
    done = gongjian("db", "wipe", data=data, stdin="yes\n")
    assert done.returncode == 0 and "已清空" in done.stdout


def test_a_bad_database_url_says_what_to_write(tmp_path: Path) -> None:
    env = {**os.environ, "GONGJIAN_DB": "mysql://x"}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "status"], env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "[CONFIG_INVALID]" in done.stderr and "neo4j://" in done.stderr


def test_the_folder_lock_keeps_a_second_process_out(tmp_path: Path) -> None:
    from graph.backends.embedded import EmbeddedServer

    data = tmp_path / "data"
    server = EmbeddedServer(data)
    server.start()
    try:
        second = gongjian("db", "status", data=data)
    finally:
        server.stop()
    assert second.returncode == 2
    assert "STORE_UNAVAILABLE" in second.stderr and "正被另一个 gongjian 进程" in second.stderr
