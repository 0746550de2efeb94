"""Chinese full-text search over demands, resources, units, communities and projects.

One full-text query per kind asked for (each backend's own index, see
``graph.backends``), then the hits' nodes through the request's DataLoaders: one
round trip per kind, however many hits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from pydantic import Field

from domain import models
from domain.errors import InvalidInput
from resolvers import demands, places, projects, resources, units
from resolvers.context import Context
from resolvers.inputs import Input, Name, validate
from resolvers.paging import DEFAULT_PAGE
from resolvers.reader import targets_of

#: how many more hits than asked the index is asked for (then cut to the readable ones)
OVERFETCH, MAX_FETCH = 4, 500
Getter = Callable[[Context, str], Awaitable[models.Node | None]]


async def _community(ctx: Context, community_id: str) -> models.Node | None:
    return await places.get(ctx, "Community", community_id)


#: the labels with a full-text index, in the order hits of equal score are listed
GETTERS: dict[str, Getter] = {
    "Demand": demands.get,
    "Resource": resources.get,
    "Project": projects.get,
    "Unit": units.get,
    "Community": _community,
}


@dataclass(frozen=True)
class Hit:
    score: float
    label: str
    node: models.Node


class SearchInput(Input):
    text: Name = Field(max_length=200)


async def search(
    ctx: Context, text: str, labels: Sequence[str] | None, first: int | None
) -> list[Hit]:
    """The best ``first`` hits across the kinds asked for (all by default), best first.

    Scores come from each kind's own index: comparable within a kind, approximate across.
    """
    words = validate(SearchInput, {"text": text}).text
    if first is not None and first < 0:
        raise InvalidInput("first 不能为负数 (first must be >= 0)", field="first")
    limit = min(DEFAULT_PAGE if first is None else first, ctx.max_page_size)
    wanted = [label for label in GETTERS if labels is None or label in labels]
    if limit == 0 or not wanted:
        return []
    # hits outside the caller's read scope are left out below: ask the index for more
    # than ``limit`` so that they do not take the places of hits the caller reads
    fetch = min(limit * OVERFETCH, MAX_FETCH)
    found = await asyncio.gather(*(ctx.store.search(label, words, fetch) for label in wanted))
    order = {label: index for index, label in enumerate(GETTERS)}
    ranked = sorted(
        (
            (float(row["score"]), label, str(row["id"]))
            for label, rows in zip(wanted, found, strict=True)
            for row in rows
        ),
        key=lambda hit: (-hit[0], order[hit[1]], hit[2]),
    )[:fetch]
    # the getters read through the request's loaders: a hit outside the caller's read
    # scope comes back None and is left out, as if the index had not found it
    loaded = await asyncio.gather(*(GETTERS[label](ctx, node_id) for _, label, node_id in ranked))
    digits = any(ch.isdigit() for ch in words)
    return [
        Hit(score, label, node)
        for (score, label, _), node in zip(ranked, loaded, strict=True)
        if node is not None and (not digits or _text_is_readable(ctx, node))
    ][:limit]


def _text_is_readable(ctx: Context, node: models.Node) -> bool:
    """Whether a hit found by digits may be shown: its numbers are masked outside the
    caller's personal scope, so there a hit would tell a hidden number's digits."""
    return targets_of(node) is None or ctx.read.reads_personally(node)
