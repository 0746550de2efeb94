"""``node(id)``: any object by its id, routed by the id's form (``domain.ids.label_of_id``)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from domain.errors import InvalidInput
from domain.ids import label_of_id
from resolvers import demands, people, places, projects, records, resources, units
from resolvers.context import Context
from schema.common import Node
from schema.convert import to_object

Info = strawberry.Info[Context, None]
Fetch = Callable[[Context, str], Awaitable[Any]]


def _place(label: str) -> Fetch:
    async def fetch(ctx: Context, node_id: str) -> Any:
        return await places.get(ctx, label, node_id)

    return fetch


#: label -> the batched look-up of its objects (their GraphQL objects: ``schema.convert``)
_FETCH: dict[str, Fetch] = {
    **{label: _place(label) for label in places.PLACE_MODELS},
    "Unit": units.get,
    "Resource": resources.get,
    "Demand": demands.get,
    "Project": projects.get,
    "Person": people.get,
    "Role": people.get_role,
    "PartyOrganization": people.get_organization,
    "Agreement": records.get_agreement,
    "Meeting": records.get_meeting,
    "Evaluation": records.get_evaluation,
}


async def fetch_node(ctx: Context, node_id: str) -> Node | None:
    """The object with this id, or None (also for ids of no known form)."""
    label = label_of_id(node_id)
    fetch = _FETCH.get(label) if label else None
    found = await fetch(ctx, node_id) if fetch is not None else None
    return to_object(found) if found is not None else None


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its id (a place's id is its 12-digit code)")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await fetch_node(info.context, id)

    @strawberry.field(description="Several objects by id, in order (null where none)")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > info.context.max_page_size:
            raise InvalidInput(
                f"一次最多 {info.context.max_page_size} 个编号 (too many ids)", field="ids"
            )
        return list(await asyncio.gather(*(fetch_node(info.context, i) for i in ids)))
