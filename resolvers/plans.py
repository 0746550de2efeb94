"""Accepting an allocation plan into projects: each item through the one door
(``perform``), so each is authorized for its community and audited."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import Forbidden, Unauthenticated
from domain.ids import ancestor_codes
from matching.models import AcceptedItem, AcceptItem, AcceptResult, RejectedItem
from resolvers import demands
from resolvers.context import Context
from resolvers.matching import accept_plan, project_id
from resolvers.mutate import Target, perform


async def accept(ctx: Context, items: Sequence[AcceptItem]) -> AcceptResult:
    """Turn the chosen plan items into projects (派单); an item the caller may not
    accept, or that no longer fits, is rejected with its code and reason."""
    accepted: list[AcceptedItem] = []
    rejected: list[RejectedItem] = []
    for item in items:
        found = await demands.get(ctx, item.demandId)
        codes = ancestor_codes(found.communityId) if found else ()
        target = Target("Project", project_id(item.demandId, item.resourceId), codes)

        async def write(item: AcceptItem = item) -> AcceptResult:
            return await accept_plan(ctx.store, [item])

        try:
            result = await perform(
                ctx, "ACCEPT_PLAN", target, write,
                after=lambda r: {"accepted": [a.model_dump() for a in r.accepted]},
            )  # fmt: skip
        except (Forbidden, Unauthenticated) as e:
            rejected.append(RejectedItem(
                demandId=item.demandId, resourceId=item.resourceId, code=e.code, message=e.message,
            ))  # fmt: skip
            continue
        accepted += result.accepted
        rejected += result.rejected
    return AcceptResult(accepted=accepted, rejected=rejected)
