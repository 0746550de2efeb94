"""Reads of the closed loop: a demand's assignments, timeline, chases, whistles and
call-backs; each through the read scope (DataLoaders:
``resolvers.batch``; where each sits: ``resolvers.reader.TARGETS``)."""

from __future__ import annotations

from typing import Any

from access.masking import mask_personal_in_text
from domain import loop
from domain.clock import now_ms
from graph.queries import loop as q
from resolvers.context import Context


def _assignment(row: dict[str, Any]) -> loop.Assignment:
    return loop.Assignment.model_validate(row["node"])


def _whistle(row: dict[str, Any]) -> loop.Whistle:
    return loop.Whistle.model_validate(row["node"])


async def assignments(ctx: Context, demand_id: str) -> list[loop.Assignment]:
    """Every dispatch of the demand, oldest first (the last is the current one)."""
    return await ctx.loaders.many(q.ASSIGNMENTS_OF, _assignment).load(demand_id)


async def current_assignment(ctx: Context, demand_id: str) -> loop.Assignment | None:
    found = await assignments(ctx, demand_id)
    return found[-1] if found else None


async def overdue(ctx: Context, demand_id: str) -> bool:
    """Whether the demand is overdue now: its current assignment is past a limit."""
    found = await current_assignment(ctx, demand_id)
    return found is not None and found.overdue(now_ms())


async def whistles(ctx: Context, demand_id: str) -> list[loop.Whistle]:
    """The demand's whistles with their summons; the units' responses are free text,
    masked like any other outside the caller's personal scope."""
    found = await ctx.loaders.many(q.WHISTLES_OF, _whistle).load(demand_id)
    out = []
    for whistle in found:
        if not ctx.read.reads_personally(whistle):
            summons = [
                s.model_copy(update={"response": mask_personal_in_text(s.response)})
                if s.response
                else s
                for s in whistle.summons
            ]
            whistle = whistle.model_copy(update={"summons": summons})
        out.append(whistle)
    return out
