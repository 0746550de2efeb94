"""Writing to and reading from the outbox.

``append_step`` is what a write folds into its atomic unit, so the notice exists if
and only if the write does::

    await writer((CREATE_ASSIGNMENT, params), append_step("DISPATCHED", at=now, ...), after=...)

``append`` writes one notice on its own (a sweep that finds overdue work).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

from graph.cypher import Statement
from graph.queries import notices as q
from graph.store import Store
from notices.model import Notice

Step = tuple[Statement, Mapping[str, Any]]


def new_id() -> str:
    """A notice id: unique, and the idempotency key webhooks receive."""
    return f"ntc_{secrets.token_hex(10)}"


def append_step(
    kind: str,
    *,
    at: int,
    demand_id: str | None = None,
    unit_id: str | None = None,
    county: str | None = None,
    street: str | None = None,
    community: str | None = None,
    payload: Mapping[str, Any] | None = None,
    notice_id: str | None = None,
) -> Step:
    """The ``notices.append`` step for ``Store.run_atomic`` (or a Writer's ``rest``).

    ``payload`` must hold no personal data (no names, no phones): it goes to every
    subscriber in scope and to every webhook.
    """
    props = {
        "kind": kind,
        "at": at,
        "demandId": demand_id,
        "unitId": unit_id,
        "county": county,
        "street": street,
        "community": community,
        "payload": json.dumps(dict(payload or {}), ensure_ascii=False, sort_keys=True),
    }
    return q.APPEND, {
        "id": notice_id or new_id(),
        "props": {key: value for key, value in props.items() if value is not None},
        "now": at,
        "sequenceId": q.SEQUENCE_ID,
    }


async def append(store: Store, kind: str, *, at: int, **fields: Any) -> tuple[str, int]:
    """Write one notice by itself; its id and seq."""
    stmt, params = append_step(kind, at=at, **fields)
    [[row]] = await store.run_atomic([(stmt, params)])
    return str(row["id"]), int(row["seq"])


async def last_seq(store: Store) -> int:
    """The highest seq handed out (0 for an empty outbox)."""
    rows = await store.run(q.LAST_SEQ, sequenceId=q.SEQUENCE_ID)
    return int(rows[0]["seq"]) if rows else 0


async def read_after(store: Store, after: int, limit: int) -> list[Notice]:
    """Notices with ``seq > after``, oldest first, at most ``limit``."""
    rows = await store.run(q.AFTER, after=after, limit=limit)
    return [Notice.from_node(row["notice"]) for row in rows]
