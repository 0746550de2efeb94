"""Units (联系单位): county departments, companies, resident units, social organizations."""

from __future__ import annotations

from typing import Any

from domain import models
from domain.vocab import UnitKind
from graph.queries import units as q
from graph.queries.scope import scope_prefix
from resolvers.context import Context
from resolvers.inputs import Text
from resolvers.paging import Listing
from resolvers.where import Atom, Composable, compile_filter


class UnitFilter(Composable):
    scope: str | None = None
    kinds: list[UnitKind] | None = None
    text: Text | None = None
    and_: list[UnitFilter] | None = None
    or_: list[UnitFilter] | None = None
    not_: UnitFilter | None = None


#: the fields of a unit filter as atoms of a composed (AND/OR/NOT) filter
ATOMS = {"kinds": Atom("kind", "in"), "text": Atom("", "text", keys=("name",))}


def unit(row: dict[str, Any]) -> models.Unit:
    return models.Unit.model_validate(row["node"])


async def get(ctx: Context, unit_id: str) -> models.Unit | None:
    return await ctx.loaders.one(q.GET, unit).load(unit_id)


async def locate(ctx: Context, unit_id: str) -> models.Unit | None:
    """A unit as stored, whoever asks: where a write's unit sits, for the policy to
    decide (never handed out: reads go through ``get``)."""
    return await ctx.loaders.one(q.GET, unit, unscoped=True).load(unit_id)


def prime(ctx: Context, node: dict[str, Any]) -> None:
    """Keep a unit that a statement returned anyway (``graph.queries.units.UNIT_NODE``):
    ``get`` then costs no round trip for it in this request."""
    admitted = ctx.read.admit_known(unit({"node": node}))
    if admitted is not None:
        ctx.loaders.one(q.GET, unit).prime(node["id"], admitted)


def _filter_params(f: UnitFilter) -> dict[str, Any]:
    return {
        "scope": scope_prefix(f.scope),
        "kinds": [k.value for k in f.kinds] if f.kinds else None,
        "text": f.text or None,
        "anyOf": compile_filter(f, ATOMS),
    }


LISTING = Listing(UnitFilter, q.LIST, q.COUNT, q.SORT_KEYS, _filter_params, unit)
search = LISTING.search
