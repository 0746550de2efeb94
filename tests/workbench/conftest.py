"""A server of the workbench's own: the demo counties loaded into a graph no other test
reads (the browser path accepts a plan, so it writes)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from app.http import create_app
from graph.backends.embedded import EmbeddedServer
from graph.backends.falkordb import FalkorBackend
from graph.store import Store
from tests.conftest import Api, bearer, falkordb_settings
from tests.http_server import serve

ROOT = Path(__file__).resolve().parents[2]
WORKBENCH = ROOT / "workbench"
BUILT = ROOT / "app" / "static" / "workbench"


def node_tools() -> None:
    """Skip unless node and the workbench's node_modules (scripts/install --dev) are there."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not (WORKBENCH / "node_modules" / "playwright-core").is_dir():
        pytest.skip("workbench/node_modules is missing: run scripts/install --dev")


@pytest.fixture(scope="module")
async def workbench_store(falkordb_server: EmbeddedServer) -> AsyncIterator[Store]:
    from app.demo import load_demo

    backend = FalkorBackend(
        graph=f"workbench_{os.getpid()}", unix_socket=str(falkordb_server.socket_path)
    )
    async with Store(backend) as store:
        await store.migrate()
        await load_demo(store)
        yield store
        await store.wipe()


@pytest.fixture(scope="module")
def workbench_api(falkordb_server: EmbeddedServer, workbench_store: Store) -> Iterator[Api]:
    """A real uvicorn on that graph, with a county admin's token for 合江县."""
    backend = workbench_store.backend
    assert isinstance(backend, FalkorBackend)
    settings = falkordb_settings(str(falkordb_server.socket_path), backend.graph_name)
    with serve(create_app(settings)) as url:
        yield Api.at(url, bearer("COUNTY_ADMIN", "510522000000"))
