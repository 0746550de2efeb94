"""The contract every backend fulfils."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from graph.cypher import Statement

Row = dict[str, Any]


class Backend(Protocol):
    """A graph database speaking Cypher. Rows are plain dicts of plain values."""

    name: str

    async def start(self) -> None:
        """Connect (and, for the embedded database, start it); raise StoreUnavailable."""

    async def close(self) -> None: ...

    async def run(
        self, stmt: Statement, params: Mapping[str, Any], *, timeout_ms: int | None = None
    ) -> list[Row]:
        """Run one statement in its own transaction."""

    async def run_locked(
        self,
        lock_ids: Sequence[str],
        stmt: Statement,
        params: Mapping[str, Any],
        *,
        timeout_ms: int | None = None,
    ) -> list[Row]:
        """Run a read-check-write statement holding write locks on the given node ids,
        so that concurrent callers are serialised (capacity checks)."""

    async def run_atomic(
        self,
        steps: Sequence[tuple[Statement, Mapping[str, Any]]],
        *,
        lock_ids: Sequence[str] = (),
        timeout_ms: int | None = None,
    ) -> list[list[Row]]:
        """Run several write statements as one unit, all or none even across a crash
        (Neo4j: one explicit transaction; FalkorDB: one MULTI/EXEC block); the rows of each."""

    async def migrate(self) -> list[str]:
        """Create missing indexes and constraints; return what was created."""

    async def search(self, label: str, text: str, limit: int) -> list[Row]:
        """Chinese full-text search over one label's index: rows of ``id`` and ``score``,
        best first. ``text`` is user input: the backend neutralises its query syntax."""

    async def ping(self) -> dict[str, Any]:
        """Raise StoreUnavailable when down; else a few facts for /healthz and `db status`."""

    async def wipe(self) -> None: ...
