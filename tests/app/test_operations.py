"""Operating `gongjian serve`: a failed start stops what it started, a kill -9 and a
restart (as a supervisor does it) serve again, the data folder is its owner's only,
and the demo token is issued once per data folder."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from app.http import create_app
from app.settings import Settings
from graph.store import Store
from tests.app.serving import ROOT, Served, gongjian, pid_alive, start, wait_ready

COUNTIES = {"query": "{ counties { code } }"}


def embedded_pid(data: Path) -> int | None:
    path = data / "falkordb.pid"
    return int(path.read_text()) if path.exists() else None


def assert_stopped(data: Path, pid: int | None) -> None:
    assert pid is not None, "the embedded database never started"
    deadline = time.monotonic() + 10
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(pid), "the embedded database was left running"


def test_port_in_use_after_the_database_started_stops_the_database(tmp_path: Path) -> None:
    """uvicorn starts the app (and its database) before it binds: the bind fails."""
    data = tmp_path / "data"
    started: list[int] = []

    async def note_pid(store: Store) -> None:
        started.append(store.backend.server.pid)  # type: ignore[attr-defined]

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = create_app(Settings(db=f"embedded:{data}"), on_startup=note_pid)
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None)
        with pytest.raises(SystemExit):
            uvicorn.Server(config).run()
    assert started, "the embedded database never started"
    assert_stopped(data, started[0])


def test_a_failing_start_up_step_stops_the_database(tmp_path: Path) -> None:
    data = tmp_path / "data"
    started: list[int] = []

    async def broken_demo(store: Store) -> None:
        started.append(store.backend.server.pid)  # type: ignore[attr-defined]
        raise RuntimeError("the demo rosters are unreadable")

    app = create_app(Settings(db=f"embedded:{data}"), on_startup=broken_demo)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None)
    with pytest.raises(SystemExit):
        uvicorn.Server(config).run()
    assert started
    assert_stopped(data, started[0])


def test_serve_on_a_port_in_use_fails_at_once_and_leaves_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--demo"],
            env={**os.environ, "GONGJIAN_DB": f"embedded:{data}"},
            capture_output=True, timeout=60, cwd=ROOT, check=False,
        )  # fmt: skip
    assert done.returncode == 2, done.stderr.decode()
    assert f"127.0.0.1:{port}" in done.stderr.decode() and "in use" in done.stderr.decode()
    assert embedded_pid(data) is None  # nothing was started


def modes(data: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(data.stat().st_mode)}
    for path in data.rglob("*"):
        if not path.is_socket():
            found[str(path.relative_to(data))] = stat.S_IMODE(path.stat().st_mode)
    return found


def ask(served: Served, token: str) -> int:
    headers = {"authorization": f"Bearer {token}"}
    return httpx.post(f"{served.url}/graphql", json=COUNTIES, headers=headers).status_code


@pytest.mark.slow
def test_kill_restart_permissions_and_the_demo_token(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "falkordb.log").write_text("an old log\n")
    (data / "falkordb.log").chmod(0o644)
    env = {"GONGJIAN_DB": f"embedded:{data}", "GONGJIAN_LOG_LEVEL": "WARNING"}
    logs = tmp_path / "logs"

    # first start, under a loose umask: the folder and its files are the owner's only
    old_umask = os.umask(0)
    try:
        process, stdout, stderr, port = start(logs, "--demo", env=env)
    finally:
        os.umask(old_umask)
    served = Served(f"http://127.0.0.1:{port}", process, stdout, stderr)
    wait_ready(served)
    token = served.demo_token()
    assert token is not None and token not in served.output()  # not printed: not a terminal
    assert ask(served, token) == 200
    found = modes(data)
    assert found["."] == 0o700
    files = {name: mode for name, mode in found.items() if (data / name).is_file()}
    assert {"falkordb.log", "falkordb.pid", "gongjian.lock", "demo-token"} <= set(files)
    assert any(name.startswith("aof/") for name in files)
    assert all(mode == 0o600 for mode in files.values()), files
    assert all(mode == 0o700 for name, mode in found.items() if (data / name).is_dir())

    # kill -9 the API process (its database is orphaned), then start again as a
    # supervisor would: it serves, with the same data, and no new demo token
    database = embedded_pid(data)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    with gongjian(logs, "--demo", env=env) as again:
        assert ask(again, token) == 200
        assert again.demo_token() is None and "demo token" not in again.output().lower()
        assert database is not None and not pid_alive(database)  # the orphan was stopped
    assert (data / "demo-token").read_text().strip() == token  # from the first start

    # `gongjian token demo`: a fresh token on request; the old one is revoked
    fresh = subprocess.run(
        [sys.executable, "-m", "app.cli", "token", "demo"],
        env={**os.environ, **env}, capture_output=True, timeout=60, cwd=ROOT, check=True,
    )  # fmt: skip
    new_token = fresh.stdout.decode().split()[-1]
    assert new_token.startswith("gj_") and new_token != token
    with gongjian(logs, "--demo", env=env) as third:
        assert ask(third, new_token) == 200
        assert ask(third, token) == 401
        assert third.demo_token() is None
