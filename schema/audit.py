"""The audit trail over GraphQL: admins read the writes made within their scope."""

from __future__ import annotations

import json
from typing import Annotated

import strawberry

from access import audit
from resolvers.context import Context
from schema.common import ForbiddenError, InvalidInputError, UnauthenticatedError, outcome

Info = strawberry.Info[Context, None]


@strawberry.type(description="who wrote what, when, with the values before and after")
class AuditEntry:
    id: strawberry.ID
    at: float = strawberry.field(description="epoch milliseconds")
    actor: str
    actor_role: str | None
    actor_scope: str | None
    action: str
    variant: str | None
    target_id: str
    target_label: str
    scope_codes: list[str]
    before: str | None = strawberry.field(description="JSON of the values before")
    after: str | None = strawberry.field(description="JSON of the values after")


@strawberry.type
class AuditPage:
    entries: list[AuditEntry]
    end_cursor: str | None
    has_next_page: bool


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def page_object(page: audit.AuditPage) -> AuditPage:
    return AuditPage(
        entries=[
            AuditEntry(
                id=strawberry.ID(e.id),
                at=e.at,
                actor=e.actor,
                actor_role=e.actorRole,
                actor_scope=e.actorScope,
                action=e.action,
                variant=e.variant,
                target_id=e.targetId,
                target_label=e.targetLabel,
                scope_codes=list(e.scopeCodes),
                before=_json(e.before),
                after=_json(e.after),
            )
            for e in page.entries
        ],
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
    )


AuditResult = Annotated[
    AuditPage | ForbiddenError | UnauthenticatedError | InvalidInputError,
    strawberry.union("AuditResult"),
]


@strawberry.type
class AuditQuery:
    @strawberry.field(description="Writes within your scope, newest first (admins only)")
    async def audit_trail(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        target_id: strawberry.ID | None = None,
        action: str | None = None,
    ) -> AuditResult:
        ctx = info.context

        async def work() -> audit.AuditPage:
            wanted = audit.wanted_action(ctx.principal, action)
            return await audit.entries_for(
                ctx.store, ctx.principal, first=min(first, ctx.max_page_size), after=after,
                target_id=target_id, action=wanted,
            )  # fmt: skip

        return await outcome(work(), page_object)  # type: ignore[return-value]
