"""The notices subscription (graphql-transport-ws): the outbox, as the caller may see it.

    subscription { notices(kinds: ["DISPATCHED"], after: 41) { id kind seq demandId unitId } }

The caller authenticates in ``connection_init`` (``{"Authorization": "Bearer …"}``);
``after`` resumes a stream from the last ``seq`` received, so a reconnecting
subscriber loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator

import strawberry

from domain.errors import InvalidInput, Unauthenticated
from notices.hub import hub_for
from notices.model import Notice as NoticeModel
from notices.scope import visible
from resolvers.context import Context

Info = strawberry.Info[Context, None]
MAX_KINDS = 20


@strawberry.type(description="通知: an event someone must act on (派单, 逾期, 督办, 吹哨, 重办)")
class Notice:
    id: strawberry.ID = strawberry.field(description="unique; the webhooks' Idempotency-Key")
    kind: str = strawberry.field(description="DISPATCHED, OVERDUE, CHASED, WHISTLED, REOPENED")
    at: float = strawberry.field(description="when the causing write happened, epoch ms")
    seq: int = strawberry.field(description="the outbox's order; pass it as after: to resume")
    demand_id: str | None
    unit_id: str | None = strawberry.field(description="the unit that must act")
    county: str | None
    street: str | None
    community: str | None
    payload: str = strawberry.field(description="JSON object: what the notice is about")

    @classmethod
    def of(cls, notice: NoticeModel) -> Notice:
        return cls(
            id=strawberry.ID(notice.id), kind=notice.kind, at=float(notice.at), seq=notice.seq,
            demand_id=notice.demand_id, unit_id=notice.unit_id, county=notice.county,
            street=notice.street, community=notice.community,
            payload=json.dumps(notice.payload, ensure_ascii=False, sort_keys=True),
        )  # fmt: skip


@strawberry.type
class NoticeSubscription:
    @strawberry.subscription(
        description="the notices the caller's scope may see (a unit operator: its unit's), "
        "from now on, or after the seq given"
    )
    async def notices(
        self, info: Info, kinds: list[str] | None = None, after: int | None = None
    ) -> AsyncGenerator[Notice, None]:
        ctx = info.context
        principal = ctx.principal
        if principal.anonymous:
            raise Unauthenticated("需要登录 (authenticate in connection_init)")
        if kinds is not None and len(kinds) > MAX_KINDS:
            raise InvalidInput(
                f"kinds 最多 {MAX_KINDS} 项 (at most {MAX_KINDS} kinds)", field="kinds"
            )
        if after is not None and after < 0:
            raise InvalidInput("after 不能为负 (after must be 0 or more)", field="after")
        wanted = frozenset(kinds) if kinds else None

        def accept(notice: NoticeModel) -> bool:
            return (wanted is None or notice.kind in wanted) and visible(principal, notice)

        async for notice in hub_for(ctx.store).stream(after=after, accept=accept):
            yield Notice.of(notice)
