"""Shared fixtures: one real embedded FalkorDB and real Neo4j 5 servers for the whole
session, a fresh graph for each test that asks for a store.

Every fixture that touches the graph (``store``, ``api``, ``demo_store``, ``demo_api``) is
parametrised by backend, so each such test runs on FalkorDB and on Neo4j.
``GONGJIAN_TEST_BACKENDS=falkordb`` runs FalkorDB alone locally; CI (``CI=true``) runs both.
Tests of the embedded server process itself (tests/graph/test_embedded.py, tests/app) take
no ``store`` and run once, on FalkorDB.
"""

from __future__ import annotations

import contextlib
import dataclasses
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
from graph.store import Store, open_store
from tests.http_server import serve
from tests.neo4j_server import Neo4jServers

_graphs = itertools.count()
ALL_BACKENDS = ("falkordb", "neo4j")


def _backends() -> tuple[str, ...]:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        return ALL_BACKENDS
    wanted = os.environ.get("GONGJIAN_TEST_BACKENDS", ",".join(ALL_BACKENDS))
    chosen = tuple(b for b in ALL_BACKENDS if b in {w.strip() for w in wanted.split(",")})
    if not chosen:
        raise pytest.UsageError(f"GONGJIAN_TEST_BACKENDS={wanted!r}: name falkordb and/or neo4j")
    return chosen


BACKENDS = _backends()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend a graph test runs on: ``falkordb`` or ``neo4j``."""
    return str(request.param)


@pytest.fixture(scope="session")
def neo4j_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServers]:
    """Neo4j servers by role: ``work`` (wiped for each test), ``demo`` (the demo graph,
    read-only), ``other`` (a second per-test graph). Started once, on first use."""
    servers = Neo4jServers(tmp_path_factory.mktemp("neo4j"))
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def neo4j_uri(neo4j_servers: Neo4jServers) -> str:
    """The per-test Neo4j server as a ``GONGJIAN_DB`` URL (``neo4j://neo4j:test@127.0.0.1:PORT``)."""
    neo4j_servers.start("work", "demo")  # the demo server boots meanwhile
    return neo4j_servers.url("work")


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path_factory.mktemp("falkordb"))
    server.start()
    yield server
    server.stop()


def graph_name() -> str:
    return f"test_{os.getpid()}_{next(_graphs)}"


#: id(store) -> (GONGJIAN_DB, GONGJIAN_GRAPH) of the stores the fixtures opened
_URLS: dict[int, tuple[str, str]] = {}


def open_test_store(backend: str, db: str, graph: str = "gongjian") -> Store:
    """A store on a test server, remembered so that ``store_url`` can reach it again."""
    if backend == "falkordb":
        opened = Store(FalkorBackend(graph=graph, unix_socket=db))
        _URLS[id(opened)] = (f"falkordb+unix://{db}", graph)
    else:
        opened = open_store(db)
        _URLS[id(opened)] = (db, graph)
    return opened


def store_url(store: Store) -> tuple[str, str]:
    """``(GONGJIAN_DB, GONGJIAN_GRAPH)`` that reach the same graph as ``store``."""
    return _URLS[id(store)]


@contextlib.asynccontextmanager
async def fresh_store(
    backend: str, request: pytest.FixtureRequest, neo4j_role: str
) -> AsyncIterator[Store]:
    """A migrated, empty graph: a new graph on the session's FalkorDB, or the Neo4j
    server of ``neo4j_role`` wiped (Community has one database per server)."""
    if backend == "falkordb":
        server: EmbeddedServer = request.getfixturevalue("falkordb_server")
        opened = open_test_store(backend, str(server.socket_path), graph_name())
    else:
        servers: Neo4jServers = request.getfixturevalue("neo4j_servers")
        url = request.getfixturevalue("neo4j_uri") if neo4j_role == "work" else None
        opened = open_test_store(backend, url or servers.url(neo4j_role))
    async with opened as store:
        if backend == "neo4j":
            await store.wipe()
        await store.migrate()
        yield store
        await store.wipe()


@pytest.fixture
async def store(backend: str, request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    """A migrated, empty graph of its own, on each backend."""
    async with fresh_store(backend, request, "work") as store:
        yield store


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


def server_settings(store: Store) -> Settings:
    """Settings of an API server on the same graph as ``store``."""
    db, graph = store_url(store)
    # the rate limit has tests of its own (tests/access); here it must not get in the way
    return Settings(
        db=db, graph=graph, jwt_secret=JWT_SECRET, rate_limit_per_minute=1_000_000,
    )  # fmt: skip


def demo_settings(store: Store) -> Settings:
    """Settings of a server on the read-only demo graph: no notice worker (its overdue
    sweep would write OVERDUE notices into the demo, differently on each backend)."""
    return dataclasses.replace(server_settings(store), notice_worker=False)


def falkordb_settings(socket: str, graph: str) -> Settings:
    """Settings of an API server on one graph of an embedded FalkorDB server (tests of
    the embedded server itself, which have no ``store``)."""
    return Settings(
        db=f"falkordb+unix://{socket}", graph=graph, jwt_secret=JWT_SECRET,
        rate_limit_per_minute=1_000_000,
    )  # fmt: skip


@pytest.fixture
def api(store: Store) -> Iterator[Api]:
    """A real HTTP server (uvicorn) on the same graph as ``store``: its base URL, with
    ``.headers`` carrying a county admin's token for 合江县."""
    with serve(create_app(server_settings(store))) as url:
        yield Api.at(url, bearer())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With GONGJIAN_STATEMENT_COVERAGE=1 (the full suite, as CI runs it): every
    statement that can run on a backend must have run on it at least once, per backend."""
    if os.environ.get("GONGJIAN_STATEMENT_COVERAGE") != "1" or exitstatus != 0:
        return
    from graph.cypher import SENT
    from graph.queries.all import load_all

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    for backend in BACKENDS:
        other = "neo4j" if backend == "falkordb" else "falkordb"
        expected = {name for name, s in load_all().items() if s.dialect != other}
        never = sorted(expected - SENT[backend])
        if never:
            if reporter is not None:
                reporter.write_line(
                    f"statement coverage: {len(never)} statements never ran on {backend}: "
                    + ", ".join(never),
                    red=True,
                )
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        elif reporter is not None:
            reporter.write_line(
                f"statement coverage: all {len(expected)} statements ran on {backend}"
            )


class DemoStores:
    """The demo counties, loaded once per backend on first use and kept to the end (a
    session fixture parametrised by backend would be torn down at each switch)."""

    def __init__(self, falkordb: EmbeddedServer, neo4j: Neo4jServers) -> None:
        self._falkordb, self._neo4j = falkordb, neo4j
        self._stores: dict[str, Store] = {}
        self._apis: dict[str, contextlib.ExitStack] = {}
        self.urls: dict[str, Api] = {}

    async def get(self, backend: str) -> Store:
        from app.demo import load_demo

        if backend not in self._stores:
            if backend == "falkordb":
                socket = str(self._falkordb.socket_path)
                opened = open_test_store(backend, socket, f"demo_{os.getpid()}")
            else:
                opened = open_test_store(backend, self._neo4j.url("demo"))
            store = await opened.__aenter__()
            await store.wipe()
            await store.migrate()
            await load_demo(store)
            self._stores[backend] = store
        return self._stores[backend]

    def api(self, backend: str, store: Store) -> Api:
        if backend not in self.urls:
            stack = contextlib.ExitStack()
            url = stack.enter_context(serve(create_app(demo_settings(store))))
            self._apis[backend] = stack
            self.urls[backend] = Api.at(url, bearer("VIEWER", "510522000000"))
        return self.urls[backend]

    async def close(self) -> None:
        for stack in self._apis.values():
            stack.close()
        for store in self._stores.values():
            await store.wipe()
            await store.close()


@pytest.fixture(scope="session")
async def demo_stores(
    falkordb_server: EmbeddedServer, neo4j_servers: Neo4jServers
) -> AsyncIterator[DemoStores]:
    stores = DemoStores(falkordb_server, neo4j_servers)
    yield stores
    await stores.close()


@pytest.fixture
async def demo_store(backend: str, demo_stores: DemoStores) -> Store:
    """The demo counties loaded once through the loaders; tests must not write to it."""
    return await demo_stores.get(backend)


@pytest.fixture
def demo_api(backend: str, demo_stores: DemoStores, demo_store: Store) -> Api:
    """A real HTTP server over the demo graph (read-only tests), with a viewer's token."""
    return demo_stores.api(backend, demo_store)
