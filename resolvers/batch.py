"""Per-request DataLoaders: one round trip per (statement, batch of keys).

Any registered statement shaped ``... WHERE x.id IN $ids RETURN x.id AS key,
<node map> AS node`` becomes a loader; a request asking for the streets of 10
counties sends one statement, not ten.

Every object a loader hands out passes the request's ``Reader``: outside the caller's
read scope it is None (a lookup) or left out (a relation), as if missing; its free
text is masked outside the caller's personal scope. Single lookups, ``node(id)`` and
every nested relation read through here, so they obey one scope.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from graph.cypher import Statement
from graph.store import Store
from resolvers.reader import Reader

M = TypeVar("M")


class Loaders:
    """The request's DataLoaders, created on first use and kept for the request."""

    def __init__(self, store: Store, reader: Reader) -> None:
        self.store = store
        self.reader = reader
        self._loaders: dict[tuple[str, str], DataLoader[str, Any]] = {}

    def many(
        self, stmt: Statement, build: Callable[[dict[str, Any]], M], *, key: str = "key"
    ) -> DataLoader[str, list[M]]:
        """key -> every node the statement returns for it (children, related)."""
        cache_key = ("many", stmt.name)
        if cache_key not in self._loaders:

            async def load(keys: Sequence[str]) -> list[list[M]]:
                grouped: dict[str, list[M]] = defaultdict(list)
                rows = await self.store.run(stmt, ids=list(keys))
                admitted = await self.reader.admit_all([build(row) for row in rows])
                for row, value in zip(rows, admitted, strict=True):
                    if value is not None:
                        grouped[row[key]].append(value)
                return [grouped.get(k, []) for k in keys]

            self._loaders[cache_key] = DataLoader(load_fn=load)
        return self._loaders[cache_key]

    def pages(
        self,
        stmt: Statement,
        build: Callable[[dict[str, Any]], M],
        params: dict[str, Any],
        skip: int,
        limit: int,
    ) -> DataLoader[str, tuple[list[M], bool, int]]:
        """key -> (a page of its rows, whether more follow, its total) of a statement of
        ``graph.queries.where.pages_of``, one per (statement, parameters, window): the
        same nested connection under every parent of a level is one round trip (``$now``,
        the clock read by each parent's resolver, is left out of the key: the batch
        runs at the first one's)."""
        same = {k: v for k, v in params.items() if k != "now"}
        frozen = json.dumps(same, sort_keys=True, default=str)
        cache_key = ("pages", f"{stmt.name}|{frozen}|{skip}|{limit}")
        if cache_key not in self._loaders:

            async def load(keys: Sequence[str]) -> list[tuple[list[M], bool, int]]:
                found: dict[str, tuple[list[M], bool, int]] = {}
                rows = await self.store.run(stmt, ids=list(keys), **params, skip=skip, limit=limit)
                for row in rows:
                    items = await self.reader.admit_all([build({"node": n}) for n in row["nodes"]])
                    admitted = [item for item in items[: limit - 1] if item is not None]
                    found[row["key"]] = (admitted, len(row["nodes"]) >= limit, row["total"])
                return [found.get(k, ([], False, 0)) for k in keys]

            self._loaders[cache_key] = DataLoader(load_fn=load)
        return self._loaders[cache_key]

    def one(
        self,
        stmt: Statement,
        build: Callable[[dict[str, Any]], M],
        *,
        key: str = "key",
        unscoped: bool = False,
    ) -> DataLoader[str, M | None]:
        """key -> the one node the statement returns for it, or None.

        ``unscoped``: as stored, for the write path only (a write learns where the objects
        it touches sit, whatever the caller reads; ``access.policy`` then decides).
        """
        cache_key = ("one!" if unscoped else "one", stmt.name)
        if cache_key not in self._loaders:

            async def load(keys: Sequence[str]) -> list[M | None]:
                rows = await self.store.run(stmt, ids=list(keys))
                built = [build(row) for row in rows]
                admitted = built if unscoped else await self.reader.admit_all(built)
                found = {row[key]: value for row, value in zip(rows, admitted, strict=True)}
                return [found.get(k) for k in keys]

            self._loaders[cache_key] = DataLoader(load_fn=load)
        return self._loaders[cache_key]
