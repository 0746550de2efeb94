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

Info = strawberry.Info[Context, None]
Fetch = Callable[[Context, str], Awaitable[Any]]
Convert = Callable[[Any], Node]


def _routes() -> dict[str, tuple[Fetch, Convert]]:
    from schema.demands import demand_object  # noqa: PLC0415
    from schema.people import organization_object, person_object, role_object  # noqa: PLC0415
    from schema.places import any_place_object  # noqa: PLC0415
    from schema.projects import project_object  # noqa: PLC0415
    from schema.records import (  # noqa: PLC0415
        agreement_object,
        evaluation_object,
        meeting_object,
    )
    from schema.resources import resource_object  # noqa: PLC0415
    from schema.units import unit_object  # noqa: PLC0415

    def place(label: str) -> tuple[Fetch, Convert]:
        async def fetch(ctx: Context, node_id: str) -> Any:
            return await places.get(ctx, label, node_id)

        return fetch, any_place_object

    return {
        **{label: place(label) for label in places.PLACE_MODELS},
        "Unit": (units.get, unit_object),
        "Resource": (resources.get, resource_object),
        "Demand": (demands.get, demand_object),
        "Project": (projects.get, project_object),
        "Person": (people.get, person_object),
        "Role": (people.get_role, role_object),
        "PartyOrganization": (people.get_organization, organization_object),
        "Agreement": (records.get_agreement, agreement_object),
        "Meeting": (records.get_meeting, meeting_object),
        "Evaluation": (records.get_evaluation, evaluation_object),
    }


async def fetch_node(ctx: Context, node_id: str) -> Node | None:
    """The object with this id, or None (also for ids of no known form)."""
    label = label_of_id(node_id)
    route = _routes().get(label) if label else None
    if route is None:
        return None
    fetch, convert = route
    found = await fetch(ctx, node_id)
    return convert(found) if found is not None else None


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
