"""The contract every backend fulfils."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from domain.errors import InvalidInput
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


def check_text(value: Any) -> None:
    """Refuse a NUL character or a lone surrogate in a string parameter, on every backend:
    FalkorDB cannot hold them and the Neo4j driver cannot encode a surrogate, so neither
    may enter the graph (a clear error instead of a failed statement).

    >>> check_text({"rows": [{"name": "桂圆林", "n": 1}], "ok": None})
    >>> check_text({"rows": [{"name": "a\\x00b"}]})
    Traceback (most recent call last):
    domain.errors.InvalidInput: 文本中含有空字符 (NUL)：请删除后重试 (text contains a NUL character)
    """
    # iterative, with the common shapes (dict, list, str, numbers) tested by exact type
    # first: a roster batch holds hundreds of thousands of values
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            _check_str(item)
        elif kind is dict:
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif item is None or kind is int or kind is float or kind is bool:
            continue
        elif isinstance(item, str):
            _check_str(item)
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _check_str(value: str) -> None:
    if "\x00" in value:
        raise InvalidInput("文本中含有空字符 (NUL)：请删除后重试 (text contains a NUL character)")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InvalidInput("文本中含有无效的 Unicode 字符 (invalid Unicode in text)") from e
