"""Batched, idempotent node writes that know what they changed.

``upsert(store, label, rows)`` reads the stored properties of the rows' ids,
sends only rows that are new or differ, and reports created / updated /
unchanged: a loader's summary, and why a second load of the same file writes
nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.clock import now_ms
from graph.queries import nodes
from graph.store import Store

BATCH = 1000
_SYSTEM = frozenset({"id", "createdAt", "updatedAt"})


@dataclass
class WriteReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def merge(self, other: WriteReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def _differs(stored: Mapping[str, Any], props: Mapping[str, Any]) -> bool:
    return any(stored.get(key) != value for key, value in props.items())


def _clean(props: Mapping[str, Any]) -> dict[str, Any]:
    """Graph properties: no None (Cypher removes a property set to null), tuples as lists."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if key in _SYSTEM:
            continue
        if isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


async def fetch(store: Store, label: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Stored properties by id, in batches."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), BATCH):
        rows = await store.run(nodes.GET[label], ids=wanted[start : start + BATCH])
        found.update({row["node"]["id"]: row["node"] for row in rows})
    return found


async def upsert(
    store: Store, label: str, rows: Iterable[tuple[str, Mapping[str, Any]]]
) -> WriteReport:
    """Create or update nodes of one label from (id, properties) pairs.

    A property given as None is removed from the node.
    """
    pending = {node_id: _clean(props) for node_id, props in rows}
    stored = await fetch(store, label, pending)
    report = WriteReport()
    changed: list[dict[str, Any]] = []
    for node_id, props in pending.items():
        before = stored.get(node_id)
        if before is None:
            report.created.append(node_id)
        elif _differs(before, props):
            report.updated.append(node_id)
        else:
            report.unchanged.append(node_id)
            continue
        changed.append({"id": node_id, "props": props})
    now = now_ms()
    for start in range(0, len(changed), BATCH):
        await store.run(nodes.UPSERT[label], rows=changed[start : start + BATCH], now=now)
    return report
