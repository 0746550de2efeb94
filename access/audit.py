"""The audit trail: who changed what, when, and the values before and after.

Every write appends one AuditEntry node; no statement exists that updates or
deletes one. Values are kept as JSON text, unmasked: the trail is for admins
(READ_AUDIT), and it is the only place they live besides the objects
themselves. Nothing here writes values to the Python logger.

Entry ids sort by time (``aud_<13-digit epoch ms>_<random>``), so the id is
also the pagination cursor; pages come newest first.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from access.policy import Action, Target, Variant, authorize
from access.principal import Principal, clean_text, prefix_of
from domain.clock import now_ms
from domain.errors import InvalidInput
from graph.queries import access as q
from graph.store import Store

MAX_VALUE_CHARS = 100_000


def _json(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    text = json.dumps(dict(values), ensure_ascii=False, sort_keys=True, default=str)
    if not clean_text(text):  # raw control or surrogate characters: escape them all
        text = json.dumps(dict(values), ensure_ascii=True, sort_keys=True, default=str)
    if len(text) > MAX_VALUE_CHARS:
        raise InvalidInput(
            f"审计值过大：超过 {MAX_VALUE_CHARS} 个字符 (audit values are limited in size)"
        )
    return text


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: int
    actor: str
    actorRole: str | None
    actorScope: str | None
    tokenId: str | None
    action: str
    variant: str | None
    targetId: str
    targetLabel: str
    scopeCodes: tuple[str, ...]
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AuditEntry:
        return cls(
            id=str(row["id"]),
            at=int(row["at"]),
            actor=str(row.get("actor", "")),
            actorRole=row.get("actorRole"),
            actorScope=row.get("actorScope"),
            tokenId=row.get("tokenId"),
            action=str(row.get("action", "")),
            variant=row.get("variant"),
            targetId=str(row.get("targetId", "")),
            targetLabel=str(row.get("targetLabel", "")),
            scopeCodes=tuple(row.get("scopeCodes") or ()),
            before=json.loads(row["before"]) if row.get("before") else None,
            after=json.loads(row["after"]) if row.get("after") else None,
        )


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    end_cursor: str | None
    has_next_page: bool


def entry(
    principal: Principal,
    action: Action,
    target_id: str,
    target_label: str,
    target: Target,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    variant: Variant = None,
    now: int | None = None,
) -> tuple[str, dict[str, Any], int]:
    """The id, properties and time of an entry, without writing it.

    For a write statement that appends its own entry in the same transaction::

        ... WITH n CREATE (a:AuditEntry {id: $auditId})
            SET a += $audit, a.createdAt = $now, a.updatedAt = $now
    """
    for name, value in (("target_id", target_id), ("target_label", target_label)):
        if not value or len(value) > 200 or not clean_text(value):
            raise InvalidInput(f"审计对象的 {name} 无效 (invalid {name})", field=name)
    at = now_ms() if now is None else now
    props: dict[str, Any] = {
        "at": at,
        "actor": principal.subject,
        "actorRole": principal.role.value if principal.role else None,
        "actorScope": principal.scope,
        "tokenId": principal.token_id,
        "action": action.value,
        "variant": variant.value if variant is not None else None,
        "targetId": target_id,
        "targetLabel": target_label,
        "scopeCodes": list(target.scope_codes),
        "before": _json(before),
        "after": _json(after),
    }
    props = {key: value for key, value in props.items() if value is not None}
    return f"aud_{at:013d}_{secrets.token_hex(5)}", props, at


async def record(
    store: Store,
    principal: Principal,
    action: Action,
    target_id: str,
    target_label: str,
    target: Target,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    variant: Variant = None,
    now: int | None = None,
) -> str:
    """Append one entry for a write; returns its id.

    Call it right after the write succeeds, with the properties the write
    changed (``before`` None for a creation, ``after`` None for a removal).
    """
    entry_id, props, at = entry(
        principal,
        action,
        target_id,
        target_label,
        target,
        before,
        after,
        variant=variant,
        now=now,
    )
    [row] = await store.run(q.APPEND_AUDIT, id=entry_id, props=props, now=at)
    return str(row["id"])


async def entries(
    store: Store,
    scope_code: str,
    *,
    first: int = 50,
    after: str | None = None,
    target_id: str | None = None,
    action: Action | None = None,
    actor: str | None = None,
) -> AuditPage:
    """Entries about objects inside ``scope_code`` (a 12-digit place code), newest first.

    This does not authorize: use ``entries_for`` from a resolver.
    """
    if first < 1:
        raise InvalidInput("first 应为正整数 (first must be positive)", field="first")
    rows = await store.run(
        q.AUDIT_ENTRIES,
        prefix=prefix_of(scope_code),
        after=after,
        targetId=target_id,
        action=action.value if action is not None else None,
        actor=actor,
        limit=first + 1,
    )
    found = [AuditEntry.from_row(row["entry"]) for row in rows]
    page = found[:first]
    return AuditPage(page, page[-1].id if page else None, len(found) > first)


def wanted_action(principal: Principal, name: str | None) -> Action | None:
    """The ``action`` filter of an audit query; a name that is no action is an
    InvalidInput (for a caller who may read the trail at all: others are refused first)."""
    if not name:
        return None
    try:
        return Action.of(name)
    except ValueError:
        scope = principal.place_scope
        authorize(principal, Action.READ_AUDIT, Target.at(scope) if scope else None)
        names = "、".join(a.value for a in Action)
        raise InvalidInput(
            f"未知的操作 {name[:40]!r}：可选 {names} (unknown action)", field="action"
        ) from None


async def entries_for(
    store: Store,
    principal: Principal,
    *,
    first: int = 50,
    after: str | None = None,
    target_id: str | None = None,
    action: Action | None = None,
    actor: str | None = None,
) -> AuditPage:
    """The entries ``principal`` may read: admins over their own scope, nobody else."""
    scope = principal.place_scope
    authorize(principal, Action.READ_AUDIT, Target.at(scope) if scope else None)
    assert scope is not None
    return await entries(
        store, scope, first=first, after=after, target_id=target_id, action=action, actor=actor
    )
