"""Accepting an allocation plan into projects: each item through the one door
(``perform``), so each is authorized for its community (and the resource's unit's
county) and audited in the statement that creates its project."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from access.policy import Target as AccessTarget
from domain.errors import Forbidden, Unauthenticated
from domain.ids import ancestor_codes
from graph.cypher import Statement
from graph.queries import projects as project_q
from matching.models import AcceptedItem, AcceptItem, AcceptResult, RejectedItem
from resolvers import demands
from resolvers.context import Context
from resolvers.limits import check_items
from resolvers.matching import accept_plan, project_id
from resolvers.mutate import Target, Writer, perform


async def accept(ctx: Context, items: Sequence[AcceptItem]) -> AcceptResult:
    """Turn the chosen plan items into projects (派单); an item the caller may not
    accept, or that no longer fits, is rejected with its code and reason (and leaves no
    audit entry). More items than GONGJIAN_MAX_PLAN_ITEMS are refused before any write."""
    check_items("items", len(items), ctx.limits.plan_items)
    accepted: list[AcceptedItem] = []
    rejected: list[RejectedItem] = []
    owners = {
        row["resourceId"]: (str(row["unitId"]), str(row["county"]))
        for row in await ctx.store.run(
            project_q.RESOURCE_OWNERS, ids=sorted({i.resourceId for i in items})
        )
        if row["county"]
    }
    for item in items:
        found = await demands.get(ctx, item.demandId)
        codes = ancestor_codes(found.communityId) if found else ()
        owner = owners.get(item.resourceId)
        touches = (AccessTarget.of_unit(*owner),) if owner else ()
        pid = project_id(item.demandId, item.resourceId)
        target = Target("Project", pid, codes, touches=touches)

        async def run(write: Writer, item: AcceptItem = item, pid: str = pid) -> AcceptResult:
            after = {"projectId": pid, "demandId": item.demandId, "resourceId": item.resourceId,
                     "quantity": item.quantity}  # fmt: skip

            async def send(
                locks: Sequence[str], stmt: Statement, params: dict[str, Any]
            ) -> list[dict[str, Any]]:
                written = await write((stmt, params), after=after, lock_ids=locks)
                return written[0] if written else []

            return await accept_plan(ctx.store, [item], write=send)

        try:
            result = await perform(ctx, "ACCEPT_PLAN", target, run)
        except (Forbidden, Unauthenticated) as e:
            rejected.append(RejectedItem(
                demandId=item.demandId, resourceId=item.resourceId, code=e.code, message=e.message,
            ))  # fmt: skip
            continue
        accepted += result.accepted
        rejected += result.rejected
    return AcceptResult(accepted=accepted, rejected=rejected)
