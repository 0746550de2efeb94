"""The three rates and the monthly ranking of a scope, inside the caller's read scope.

A scope is a place code (a city, county, street or community: 4, 6, 9 or 12 digits) or
a unit id. A place outside the caller's read scope, or a unit it may not read, is
NotFound exactly as a missing one; a unit operator reads its own unit's figures only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from access.principal import AccessRole, is_place_code, is_unit_id
from domain import clock
from domain import rates as d
from domain.errors import InvalidInput, NotFound
from graph import rates as g
from graph.queries.scope import scope_prefix
from loaders.exports.assessment import ExportFile, assessment
from resolvers import places
from resolvers import units as units_r
from resolvers.context import Context


@dataclass(frozen=True)
class Rates:
    scope: str
    assessment: g.Assessment


def _missing(scope: str) -> NotFound:
    return NotFound(
        f"没有这个范围, 或不在你的查看范围内: {scope} (no such place or unit in your scope)",
        field="scope",
    )


def place_code(scope: str) -> str | None:
    """A 12-digit code from 4, 6, 9 or 12 digits; None for anything else."""
    text = scope.strip()
    if not text.isascii() or not text.isdigit() or len(text) not in (4, 6, 9, 12):
        return None
    return text.ljust(12, "0")


async def resolve_scope(ctx: Context, scope: str) -> g.Scope:
    """What ``scope`` counts, filtered by the caller's read scope; NotFound outside it."""
    params = await ctx.read.params()
    roots, units = params["roots"], params["units"]
    principal = ctx.read.principal
    if is_unit_id(scope):
        if principal.role is AccessRole.UNIT_OPERATOR and principal.scope != scope:
            raise _missing(scope)
        if await units_r.get(ctx, scope) is None:
            raise _missing(scope)
        return g.Scope(unit=scope, roots=roots, units=units)
    code = place_code(scope)
    if code is None or not is_place_code(code) or principal.role is AccessRole.UNIT_OPERATOR:
        raise _missing(scope)
    if not await ctx.read.reads_place(code):
        raise _missing(scope)
    prefix = scope_prefix(code)
    if len(prefix) > 4 and await places.by_code(ctx, code) is None:
        raise _missing(scope)
    return g.Scope(prefix=prefix, roots=roots, units=units)


async def rates(
    ctx: Context, scope: str, start: datetime | None, end: datetime | None, month: str | None
) -> Rates:
    period = d.period_of(start, end, month)
    found = await g.assess(ctx.store, await resolve_scope(ctx, scope), period, clock.now_ms())
    return Rates(scope, found)


async def ranking(ctx: Context, scope: str, month: str) -> list[g.UnitRank]:
    period = d.month_period(month)
    found = await g.assess(ctx.store, await resolve_scope(ctx, scope), period, clock.now_ms())
    return list(found.ranking)


async def assessment_export(ctx: Context, scope: str, month: str) -> ExportFile:
    """The month's assessment workbook of a county or street the caller reads."""
    found = await resolve_scope(ctx, scope)
    code = place_code(scope)
    if found.unit is not None or code is None:
        raise InvalidInput("考核表按县(市、区)或街道导出 (a county or street code)", field="scope")
    return await assessment(
        ctx.store, code, month, clock.now_ms(), roots=found.roots, units=found.units
    )
