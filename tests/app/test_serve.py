"""`gongjian serve --demo` as a user runs it: a real process, a real data folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.http_server import free_port

HIERARCHY = """
{ counties { name code streets { name code communities { name code } } } }
"""


@contextmanager
def gongjian_serve(data: Path, *extra: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "GONGJIAN_DB": f"embedded:{data}",
        "GONGJIAN_LOG_LEVEL": "WARNING",
        # reads open to anonymous callers: this test is about the process, not access
        "GONGJIAN_PUBLIC_READ": "1",
    }
    log = (data.parent / "serve.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), *extra],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                output = (data.parent / "serve.log").read_text(errors="replace")
                raise AssertionError(f"gongjian serve exited: {output[-3000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("gongjian serve did not become healthy")
            time.sleep(0.2)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
        finally:
            log.close()


def graphql(url: str, query: str) -> dict:
    response = httpx.post(f"{url}/graphql", json={"query": query}, timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def restarts(url: str) -> int:
    metrics = httpx.get(f"{url}/metrics", timeout=10).text  # from this host: allowed
    [line] = [x for x in metrics.splitlines() if x.startswith("gongjian_embedded_restarts_total ")]
    return int(line.split()[1])


@pytest.mark.slow
def test_demo_serves_hejiang_and_survives_restart_and_kill(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with gongjian_serve(data, "--demo") as url:
        counties = graphql(url, HIERARCHY)["counties"]
        hejiang = next(c for c in counties if c["name"] == "合江县")
        assert hejiang["code"] == "510522000000"
        assert [s["name"] for s in hejiang["streets"]] == ["符阳街道", "临港街道"]
        communities = [c for s in hejiang["streets"] for c in s["communities"]]
        assert len(communities) == 13
        assert all(len(c["code"]) == 12 and c["code"].startswith("510522") for c in communities)
        assert {"code": "510522001006", "name": "桂圆林社区"} in communities
        assert len(counties) >= 2, "a second county makes multi-county queries mean something"
        before = graphql(url, "{ statistics { nodes } }")

        # kill -9 the embedded database under the running server
        pid = int((data / "falkordb.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        after_kill = graphql(url, HIERARCHY)["counties"]
        assert after_kill == counties
        assert restarts(url) == 1

    # a clean stop and start keeps every node; --demo again loads nothing twice
    with gongjian_serve(data, "--demo") as url:
        assert graphql(url, HIERARCHY)["counties"] == counties
        assert graphql(url, "{ statistics { nodes } }") == before
