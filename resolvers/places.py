"""Places: counties, streets, communities, compounds, buildings, grids."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from domain import models
from domain.errors import InvalidInput
from domain.ids import division_level, label_of_id, pad_division_code
from graph.queries import nodes, places
from resolvers.context import Context

PLACE_MODELS: dict[str, type[models.Node]] = {
    "County": models.County,
    "Street": models.Street,
    "Community": models.Community,
    "Compound": models.Compound,
    "Building": models.Building,
    "Grid": models.Grid,
}


def place_model(label: str, node: dict[str, Any]) -> models.Node:
    return PLACE_MODELS[label].model_validate(node)


async def counties(ctx: Context) -> list[models.County]:
    rows = await ctx.store.run(places.COUNTIES)
    return [models.County.model_validate(row["node"]) for row in rows]


def _loader(ctx: Context, label: str) -> DataLoader[str, models.Node | None]:
    return ctx.loaders.one(nodes.GET[label], lambda row: place_model(label, row["node"]), key="id")


async def get(ctx: Context, label: str, node_id: str) -> models.Node | None:
    """One place by id, batched with every other lookup of the same label."""
    return await _loader(ctx, label).load(node_id)


async def community(ctx: Context, community_id: str) -> models.Node | None:
    """A community by its id (its code)."""
    return await get(ctx, "Community", community_id)


def prime(ctx: Context, label: str, node: dict[str, Any]) -> None:
    """Keep a place that a statement returned anyway (``n {.*}``, as ``nodes.GET`` does):
    asking for it later in the request costs no round trip."""
    loader = _loader(ctx, label)
    if loader.cache_map.get(node["id"]) is None:  # a list's rows repeat their community
        loader.prime(node["id"], place_model(label, node))


async def by_code(ctx: Context, code: str) -> models.Node | None:
    """A county, street or community by its division code (6, 9 or 12 digits)."""
    try:
        full = pad_division_code(code)
    except ValueError as e:
        raise InvalidInput(str(e), field="code") from e
    return await get(ctx, division_level(full), full)


async def site(ctx: Context, place_id: str) -> models.Node | None:
    """The compound or building where something arose (None for another kind of id)."""
    label = label_of_id(place_id)
    return await get(ctx, label, place_id) if label in ("Compound", "Building") else None


async def by_codes(ctx: Context, codes: Sequence[str]) -> list[models.Node]:
    """The divisions of these codes that exist (and the caller reads), in order."""
    found = await asyncio.gather(*(by_code(ctx, code) for code in codes))
    return [p for p in found if p is not None]
