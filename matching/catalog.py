"""Process caches of what changes slowly, so a request fetches only what is new.

``Versioned`` keeps the static fields of nodes (a resource's name, description,
category ...) by id and ``updatedAt``: every write bumps ``updatedAt``, so an entry
whose version still matches is current. ``Expiring`` keeps values for a fixed time
(a unit's track record: projects finishing and evaluations do not touch the unit).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

V = TypeVar("V")


class Versioned(Generic[V]):
    """id -> (version, value), least recently used dropped beyond ``size``."""

    def __init__(self, size: int = 500_000) -> None:
        self._items: OrderedDict[str, tuple[int, V]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def missing(self, wanted: Iterable[tuple[str, int]]) -> list[str]:
        """The ids whose cached version is absent or different."""
        with self._lock:
            out = []
            for node_id, version in wanted:
                found = self._items.get(node_id)
                if found is None or found[0] != version:
                    out.append(node_id)
            return out

    def put(self, node_id: str, version: int, value: V) -> None:
        with self._lock:
            self._items[node_id] = (version, value)
            self._items.move_to_end(node_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def get(self, node_id: str) -> V | None:
        with self._lock:
            found = self._items.get(node_id)
            return None if found is None else found[1]


class Expiring(Generic[V]):
    """id -> value, fetched again after ``ttl`` seconds."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._items: dict[str, tuple[float, V]] = {}
        #: bumped on every put: what was derived from the values may be out of date
        self.generation = 0
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()

    def missing(self, ids: Iterable[str]) -> list[str]:
        now = self._clock()
        with self._lock:
            return [i for i in ids if i not in self._items or now - self._items[i][0] > self._ttl]

    def put(self, node_id: str, value: V) -> None:
        with self._lock:
            self._items[node_id] = (self._clock(), value)
            self.generation += 1

    def get(self, node_id: str) -> V | None:
        with self._lock:
            found = self._items.get(node_id)
            return None if found is None else found[1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
