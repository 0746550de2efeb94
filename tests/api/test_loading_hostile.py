"""Hostile roster files uploaded over GraphQL (multipart) to a real API process
(``gongjian serve`` in its own process, so that its memory can be measured in /proc):
a clear error or a report, never a 500, the API keeps serving, nothing stored is lost or
changed, and the API process never holds more than 300 MB."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from app.http import create_app
from graph.store import Store
from loaders import FileLimits, load_upload
from tests.conftest import JWT_SECRET, Api, bearer, server_settings, store_url
from tests.http_server import free_port, serve
from tests.loaders.conftest import snapshot
from tests.loaders.hostile import inflates_to, xfd_1048576
from tests.loaders.hostile_strategies import hostile_file
from tests.loaders.test_safe_cells import DIVISIONS

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
CODES = {"INVALID_INPUT", "FILE_TOO_LARGE", "FILE_UNSAFE", "PARSE_ABORTED", "UNREADABLE_FILE"}
LOAD = """
mutation($file: Upload!) {
  loadRoster(file: $file, dryRun: false) {
    __typename
    ... on LoadReport { ok written rows rejectedRows errors { file row reason code } }
    ... on Error { code message }
  } }
"""
COMMUNITY = '{ division(code: "150621001001") { ... on Community { name code } } }'


class Server:
    def __init__(self, api: Api, process: subprocess.Popen[bytes]) -> None:
        self.api, self.process = api, process

    def memory(self, field: str = "VmHWM") -> int:
        """The API process's resident memory in bytes (VmHWM: its peak so far)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith(field))
        return int(line.split()[1]) * 1024


@pytest.fixture
def server(store: Store) -> Iterator[Server]:
    """``gongjian serve`` in a process of its own, on ``store``'s graph, and a county
    admin's token for 达拉特旗 (a banner, 旗)."""
    db, graph = store_url(store)
    port = free_port()
    env = {
        **os.environ,
        "GONGJIAN_DB": db,
        "GONGJIAN_GRAPH": graph,
        "GONGJIAN_JWT_SECRET": JWT_SECRET,
        "GONGJIAN_RATE_LIMIT_PER_MINUTE": "1000000",
        "GONGJIAN_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("gongjian serve did not start")
        time.sleep(0.1)
    try:
        yield Server(Api.at(url, bearer("COUNTY_ADMIN", "150621000000")), process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def upload(api: Api, name: str, content: bytes) -> dict[str, Any]:
    operations = {"query": LOAD, "variables": {"file": None}}
    response = httpx.post(
        f"{api}/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (name, content, "application/octet-stream")},
        headers=api.headers,
        timeout=120,
    )
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"]["loadRoster"])


def still_serving(api: Api) -> None:
    response = httpx.post(
        f"{api}/graphql", json={"query": COMMUNITY}, headers=api.headers, timeout=30
    )
    assert response.status_code == 200, response.text[:300]
    assert response.json()["data"]["division"] == {"name": "召北社区", "code": "150621001001"}


def checked(result: dict[str, Any], name: str) -> None:
    """A report, or an error type with a code: each file-level problem names the file."""
    if result["__typename"] != "LoadReport":
        assert result["code"] == "INVALID_INPUT" and result["message"], result
        return
    assert result["ok"] == (not result["errors"])
    for error in result["errors"]:
        assert error["reason"] and error["code"].isupper(), error
        if error["code"] in CODES:
            assert error["file"] == name and error["row"] is None


def _kept(before: dict[str, Any], after: dict[str, Any]) -> None:
    for node_id, node in before["nodes"].items():
        assert after["nodes"].get(node_id) == node, node_id
    assert set(before["links"]) <= set(after["links"])


async def test_the_findings_over_graphql(store: Store, server: Server) -> None:
    assert (await load_upload(store, "区划.csv", DIVISIONS, within="150621000000")).ok
    before = await snapshot(store)
    idle = server.memory("VmRSS")
    for name, data, code in [
        ("资源.xlsx", xfd_1048576(), "FILE_TOO_LARGE"),
        ("资源.xlsx", inflates_to(1 << 30), "FILE_TOO_LARGE"),
        ("资源.xls", inflates_to(1 << 30, declared=5_000), "UNREADABLE_FILE"),
    ]:
        result = await asyncio.to_thread(upload, server.api, name, data)
        assert (result["__typename"] == "LoadReport" and not result["written"]) or result[
            "rows"
        ] == 0
        [error] = result["errors"]
        assert (error["code"], error["file"]) == (code, name), error
        assert "(" in error["reason"]  # the English half
        await asyncio.to_thread(still_serving, server.api)
    _kept(before, await snapshot(store))
    print(f"API process: {idle / MB:.0f} MB idle, peak {server.memory() / MB:.0f} MB")
    assert server.memory() < 300 * MB, server.memory()


@pytest.mark.slow
async def test_hostile_uploads_never_take_the_api_down(store: Store, server: Server) -> None:
    api = server.api
    seeded = await asyncio.to_thread(upload, api, "区划.csv", DIVISIONS)
    assert seeded["ok"] and seeded["written"], seeded
    before = await snapshot(store)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(hostile_file)
    def send(file: tuple[str, bytes]) -> None:
        name, data = file
        checked(upload(api, name, data), name)
        still_serving(api)

    await asyncio.to_thread(send)
    assert server.process.poll() is None
    peak = server.memory()
    print(f"API process: peak RSS {peak / MB:.0f} MB, now {server.memory('VmRSS') / MB:.0f} MB")
    assert peak < 300 * MB, f"API peak RSS {peak / MB:.0f} MB"
    _kept(before, await snapshot(store))


async def test_the_limits_in_the_settings_bound_uploads(store: Store) -> None:
    settings_ = dataclasses.replace(
        server_settings(store),
        file_limits=FileLimits(max_rows=3, max_file_bytes=4_096),
    )
    rows = DIVISIONS + "达拉特旗,昭君街道,新华社区,150621002001\n".encode()
    with serve(create_app(settings_)) as url:
        api = Api.at(url, bearer("COUNTY_ADMIN", "150621000000"))
        report = await asyncio.to_thread(upload, api, "区划.csv", rows)
        [error] = report["errors"]
        assert error["code"] == "FILE_TOO_LARGE" and "上限 3 行" in error["reason"]
        big = await asyncio.to_thread(upload, api, "区划.csv", b"a,b\n" * 2_000)
        assert big["code"] == "INVALID_INPUT" and "4,096" in big["message"]
    # only the audit trail of the two attempts: no place was written
    assert {node["label"] for node in (await snapshot(store))["nodes"].values()} <= {"AuditEntry"}
