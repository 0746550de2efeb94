"""Shared fixtures: one real embedded FalkorDB for the whole session, a fresh
graph for each test that asks for a store."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator

import pytest

from access.principal import AccessRole
from access.tokens import JwtKeys, issue_jwt
from app.http import create_app
from app.settings import Settings
from domain.clock import now_ms
from graph.backends.embedded import EmbeddedServer
from graph.backends.falkordb import FalkorBackend
from graph.store import Store
from tests.http_server import serve

_graphs = itertools.count()


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path_factory.mktemp("falkordb"))
    server.start()
    yield server
    server.stop()


def graph_name() -> str:
    return f"test_{os.getpid()}_{next(_graphs)}"


@pytest.fixture
async def store(falkordb_server: EmbeddedServer) -> AsyncIterator[Store]:
    """A migrated, empty graph of its own on the session's embedded server."""
    backend = FalkorBackend(graph=graph_name(), unix_socket=str(falkordb_server.socket_path))
    async with Store(backend) as store:
        await store.migrate()
        yield store
        await store.wipe()


JWT_SECRET = "test-secret-for-gongjian-tests-only-0123456789"


class Api(str):
    """A server's base URL that also carries the bearer token to call it with."""

    token: str
    headers: dict[str, str]

    @classmethod
    def at(cls, url: str, token: str) -> Api:
        api = cls(url)
        api.token = token
        api.headers = {"authorization": f"Bearer {token}"}
        return api


def bearer(
    role: str = "COUNTY_ADMIN",
    scope: str = "510522000000",
    subject: str = "测试",
    county: str | None = None,
) -> str:
    """A signed token for the test servers (they share JWT_SECRET); a unit operator's
    scope is its unit id, with the unit's county."""
    keys = JwtKeys.from_settings(Settings(jwt_secret=JWT_SECRET), env={})
    if role == "UNIT_OPERATOR" and county is None:
        county = "510522000000"
    issued = issue_jwt(
        keys, role=AccessRole(role), scope=scope, subject=subject,
        expires_at=now_ms() + 3_600_000, county=county,
    )  # fmt: skip
    return issued.token


def server_settings(socket: str, graph: str) -> Settings:
    # the rate limit has tests of its own (tests/access); here it must not get in the way
    return Settings(
        db=f"falkordb+unix://{socket}", graph=graph, jwt_secret=JWT_SECRET,
        rate_limit_per_minute=1_000_000,
    )  # fmt: skip


@pytest.fixture
def api(falkordb_server: EmbeddedServer, store: Store) -> Iterator[Api]:
    """A real HTTP server (uvicorn) on the same graph as ``store``: its base URL, with
    ``.headers`` carrying a county admin's token for 合江县."""
    backend = store.backend
    assert isinstance(backend, FalkorBackend)
    settings = server_settings(str(falkordb_server.socket_path), backend.graph_name)
    with serve(create_app(settings)) as url:
        yield Api.at(url, bearer())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With GONGJIAN_STATEMENT_COVERAGE=1 (the full suite, as CI runs it): every
    statement that can run on FalkorDB must have run on it at least once."""
    if os.environ.get("GONGJIAN_STATEMENT_COVERAGE") != "1" or exitstatus != 0:
        return
    from graph.cypher import SENT
    from graph.queries.all import load_all

    expected = {name for name, s in load_all().items() if s.dialect != "neo4j"}
    never = sorted(expected - SENT)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if never:
        if reporter is not None:
            reporter.write_line(
                f"statement coverage: {len(never)} statements never ran on FalkorDB: "
                + ", ".join(never),
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif reporter is not None:
        reporter.write_line(f"statement coverage: all {len(expected)} statements ran on FalkorDB")


@pytest.fixture(scope="session")
async def demo_store(falkordb_server: EmbeddedServer) -> AsyncIterator[Store]:
    """The demo counties loaded once through the loaders; tests must not write to it."""
    from app.demo import load_demo

    backend = FalkorBackend(
        graph=f"demo_{os.getpid()}", unix_socket=str(falkordb_server.socket_path)
    )
    async with Store(backend) as store:
        await store.migrate()
        await load_demo(store)
        yield store
        await store.wipe()


@pytest.fixture(scope="session")
def demo_api(falkordb_server: EmbeddedServer, demo_store: Store) -> Iterator[Api]:
    """A real HTTP server over the demo graph (read-only tests), with a viewer's token."""
    backend = demo_store.backend
    assert isinstance(backend, FalkorBackend)
    settings = server_settings(str(falkordb_server.socket_path), backend.graph_name)
    with serve(create_app(settings)) as url:
        yield Api.at(url, bearer("VIEWER", "510522000000"))
