"""Matching, allocation plans and gaps, read within the caller's scope.

``resolvers.matching`` works on the store for any caller (the evaluation and the
benchmarks use it as is); the API goes through here, where the same reader that
gates every other read (``resolvers.reader``) applies:

- ``matchResources`` / ``resourceMatches`` of a demand the caller cannot read, and
  ``matchDemands`` / ``demandMatches`` of such a resource, are NotFound, as for a
  missing one; a candidate whose resource (or demand) the caller cannot read is left
  out;
- ``allocationPlan`` and ``gaps`` of a scope outside the read scope are NotFound, as
  for a scope with no communities;
- titles, names and sentences from free text are masked (phones, ID cards) outside the
  caller's personal scope.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from access.masking import mask_personal_in_text
from access.policy import Target
from access.principal import is_place_code
from domain.errors import NotFound
from matching import models as m
from resolvers import demands, matching, resources
from resolvers.context import Context

T = TypeVar("T", bound=BaseModel)


def _masked(model: T, fields: tuple[str, ...]) -> T:
    update: dict[str, Any] = {}
    for name in fields:
        value = getattr(model, name)
        if isinstance(value, str) and (masked := mask_personal_in_text(value)) != value:
            update[name] = masked
    return model.model_copy(update=update) if update else model


def _masked_candidate(c: m.Candidate) -> m.Candidate:
    reasons = [_masked(r, ("sentence",)) for r in c.reasons]
    return _masked(c, ("resourceName", "demandTitle")).model_copy(update={"reasons": reasons})


async def _candidates(
    ctx: Context, found: list[m.Candidate], *, personal: bool
) -> list[m.Candidate]:
    """The candidates whose resource and demand the caller reads, masked unless ``personal``."""
    kept = []
    for c in found:
        resource = await resources.get(ctx, c.resourceId)
        demand = await demands.get(ctx, c.demandId)
        if resource is None or demand is None:
            continue
        mine = personal and ctx.read.reads_personally(resource)
        mine = mine and ctx.read.reads_personally(demand)
        kept.append(c if mine else _masked_candidate(c))
    return kept


async def _matches(
    ctx: Context, side: Any, find: Any, side_id: str, first: int, missing: str
) -> m.Matches:
    """``find``'s candidates for the demand or resource ``side_id`` (NotFound when the
    caller does not read it), each kept or masked as the caller reads its side."""
    found = await side.get(ctx, side_id)
    if found is None:
        raise NotFound(missing, id=side_id)
    matches = await find(ctx.store, side_id, first)
    personal = ctx.read.reads_personally(found)
    kept = await _candidates(ctx, matches.candidates, personal=personal)
    return matches.model_copy(update={"candidates": kept})  # type: ignore[no-any-return]


async def resource_matches(ctx: Context, demand_id: str, first: int = 10) -> m.Matches:
    missing = f"没有编号为 {demand_id} 的需求 (no such demand)"
    return await _matches(ctx, demands, matching.resource_matches, demand_id, first, missing)


async def demand_matches(ctx: Context, resource_id: str, first: int = 10) -> m.Matches:
    missing = f"没有编号为 {resource_id} 的资源 (no such resource)"
    return await _matches(ctx, resources, matching.demand_matches, resource_id, first, missing)


async def _in_scope(ctx: Context, scope_id: str) -> bool:
    """Raise NotFound (as for a scope with no communities) unless the caller reads the
    scope; whether it reads it personally. A code of another form is left to
    ``resolvers.matching`` to refuse (InvalidInput)."""
    if not is_place_code(scope_id):
        return False
    if not await ctx.read.reads_place(scope_id):
        raise NotFound(f"范围 {scope_id} 内没有社区 (no communities in this scope)", id=scope_id)
    return ctx.read.personal.covers(Target.at(scope_id))


async def allocation_plan(
    ctx: Context, scope_id: str, options: m.PlanOptions | None = None
) -> m.Plan:
    personal = await _in_scope(ctx, scope_id)
    plan = await matching.allocation_plan(ctx.store, scope_id, options)
    if personal:
        return plan
    items = [i.model_copy(update={"candidate": _masked_candidate(i.candidate)}) for i in plan.items]
    unmet = [
        _masked(u, ("title", "sentence")).model_copy(
            update={"best": _masked_candidate(u.best) if u.best else None}
        )
        for u in plan.unmet
    ]
    return plan.model_copy(update={"items": items, "unmet": unmet})


async def gap_report(
    ctx: Context, scope_id: str, *, period_from: str | None = None, period_to: str | None = None
) -> m.GapReport:
    personal = await _in_scope(ctx, scope_id)
    report = await matching.gap_report(
        ctx.store, scope_id, period_from=period_from, period_to=period_to
    )
    if personal:
        return report
    idle = [_masked(i, ("name",)) for i in report.idle]
    return report.model_copy(update={"idle": idle})


__all__ = [
    "allocation_plan",
    "demand_matches",
    "gap_report",
    "resource_matches",
]
