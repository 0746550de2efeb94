"""The store: the one object the rest of gongjian talks to the graph through.

``open_store(url)`` picks the backend from one setting::

    embedded:./data                 FalkorDB started by gongjian (the default)
    falkordb://[:password@]host:6379  an external FalkorDB
    falkordb+unix:///path/to.sock   an external FalkorDB on a unix socket
    neo4j://user:pass@host:7687     Neo4j 5 (also bolt://, neo4j+s://)

Every call is one round trip; ``round_trips()`` counts them for the current
request (an asyncio context) so tests and /metrics can see N+1 patterns.
"""

from __future__ import annotations

import contextvars
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from domain.errors import ConfigError
from graph.backends.base import Backend, Row
from graph.cypher import Statement
from graph.deadline import current_deadline
from graph.model import FULLTEXT_LABELS

DEFAULT_URL = "embedded:./data"
DEFAULT_GRAPH = "gongjian"

_trips: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("trips", default=None)


def count_round_trips() -> list[int]:
    """Start counting the round trips made by the current context; returns the counter cell."""
    cell = [0]
    _trips.set(cell)
    return cell


@dataclass
class StoreStats:
    """Process-wide figures for /metrics."""

    calls: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    errors: Counter[str] = field(default_factory=Counter)


class Store:
    """Runs registered statements on a backend and counts what it does."""

    def __init__(self, backend: Backend, *, timeout_ms: int | None = 30_000) -> None:
        self.backend = backend
        self.timeout_ms = timeout_ms
        self.stats = StoreStats()
        #: names of statements run since start (tests check every one was exercised)
        self.seen: set[str] = set()

    async def start(self) -> None:
        await self.backend.start()

    async def close(self) -> None:
        await self.backend.close()

    async def __aenter__(self) -> Store:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _count(self, name: str) -> None:
        cell = _trips.get()
        if cell is not None:
            cell[0] += 1
        self.stats.calls[name] += 1
        self.seen.add(name)

    async def run(self, stmt: Statement, /, **params: Any) -> list[Row]:
        """Run a statement; values always go in as parameters."""
        return await self._timed(stmt, (), params)

    async def run_locked(
        self, lock_ids: Sequence[str], stmt: Statement, /, **params: Any
    ) -> list[Row]:
        """Run a check-and-write statement serialised against writers of ``lock_ids``."""
        return await self._timed(stmt, lock_ids, params)

    async def run_atomic(
        self, steps: Sequence[tuple[Statement, Mapping[str, Any]]], *, lock_ids: Sequence[str] = ()
    ) -> list[list[Row]]:
        """Run write statements as one unit, all or none, even across a crash; the rows
        each returned. A mutation's audited write (``graph.audited``) and the statements
        that complete it go together through here."""
        for stmt, _ in steps:
            self._count(stmt.name)
        started = time.perf_counter()
        name = steps[0][0].name if steps else "atomic"
        timeout_ms = self._timeout_ms(cancellable=False)
        try:
            return await self.backend.run_atomic(steps, lock_ids=lock_ids, timeout_ms=timeout_ms)
        except Exception:
            self.stats.errors[name] += 1
            raise
        finally:
            self.stats.seconds[name] += time.perf_counter() - started

    async def _timed(
        self, stmt: Statement, lock_ids: Sequence[str], params: Mapping[str, Any]
    ) -> list[Row]:
        self._count(stmt.name)
        started = time.perf_counter()
        timeout_ms = self._timeout_ms(cancellable=not lock_ids)
        try:
            if lock_ids:
                return await self.backend.run_locked(lock_ids, stmt, params, timeout_ms=timeout_ms)
            return await self.backend.run(stmt, params, timeout_ms=timeout_ms)
        except Exception:
            self.stats.errors[stmt.name] += 1
            raise
        finally:
            self.stats.seconds[stmt.name] += time.perf_counter() - started

    def _timeout_ms(self, *, cancellable: bool) -> int | None:
        """The statement timeout, shortened to what is left of the request's deadline;
        a read's task becomes one the deadline cancels (writes run to their own end)."""
        deadline = current_deadline()
        if deadline is None:
            return self.timeout_ms
        if cancellable:
            deadline.enter()
        return deadline.timeout_ms(self.timeout_ms)

    async def search(self, label: str, text: str, limit: int = 20) -> list[Row]:
        """Chinese full-text search over a label's text properties: ``id`` and ``score``."""
        if label not in FULLTEXT_LABELS:
            raise ValueError(f"no full-text index on {label}")
        self._count(f"search.{label}")
        return await self.backend.search(label, text, limit)

    async def migrate(self) -> list[str]:
        return await self.backend.migrate()

    async def ping(self) -> dict[str, Any]:
        return await self.backend.ping()

    async def wipe(self) -> None:
        await self.backend.wipe()


def open_store(url: str = DEFAULT_URL, *, graph: str = DEFAULT_GRAPH, **options: Any) -> Store:
    """A store for a backend URL (not started: ``await store.start()`` or ``async with``)."""
    from graph.backends.falkordb import FalkorBackend  # noqa: PLC0415 - optional drivers

    if url.startswith("embedded:"):
        from graph.backends.embedded import EmbeddedServer  # noqa: PLC0415

        folder = url.removeprefix("embedded:") or "./data"
        return Store(FalkorBackend(graph=graph, server=EmbeddedServer(Path(folder))), **options)
    parts = urlsplit(url)
    if parts.scheme == "falkordb+unix":
        if not parts.path:
            raise ConfigError(f"缺少套接字路径：{url} (expected falkordb+unix:///path/to.sock)")
        return Store(FalkorBackend(graph=graph, unix_socket=parts.path), **options)
    if parts.scheme in {"falkordb", "redis"}:
        if not parts.hostname:
            raise ConfigError(f"FalkorDB 地址缺少主机名：{url} (expected falkordb://host:6379)")
        return Store(
            FalkorBackend(
                graph=parts.path.strip("/") or graph,
                host=parts.hostname,
                port=parts.port or 6379,
                password=unquote(parts.password) if parts.password else None,
            ),
            **options,
        )
    if parts.scheme.startswith(("neo4j", "bolt")):
        from graph.backends.neo4j import Neo4jBackend, parse_neo4j_url  # noqa: PLC0415

        uri, auth, database = parse_neo4j_url(url)
        return Store(Neo4jBackend(uri, auth, database), **options)
    raise ConfigError(
        f"无法识别的数据库设置 GONGJIAN_DB={url!r}：应为 embedded:目录、falkordb://主机:端口 "
        "或 neo4j://用户:密码@主机:7687 (unrecognised database URL)"
    )
