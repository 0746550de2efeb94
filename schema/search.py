"""Chinese full-text search across demands, resources, projects, units and communities."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from resolvers import search as resolve
from resolvers.context import Context
from schema.convert import to_object
from schema.demands import Demand
from schema.places import Community
from schema.projects import Project
from schema.resources import Resource
from schema.units import Unit

Info = strawberry.Info[Context, None]


@strawberry.enum(description="what to search")
class SearchKind(Enum):
    DEMAND = "Demand"
    RESOURCE = "Resource"
    PROJECT = "Project"
    UNIT = "Unit"
    COMMUNITY = "Community"


SearchResult = Annotated[
    Demand | Resource | Project | Unit | Community, strawberry.union("SearchResult")
]


@strawberry.type(description="a search hit: its node and score (higher is better)")
class SearchHit:
    score: float
    kind: SearchKind
    node: SearchResult


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description="Chinese full-text search (需求 title and description, 资源 name and "
        "description, 项目, 单位 and 社区 names), best first; first is capped at the page size"
    )
    async def search(
        self,
        info: Info,
        text: str,
        kinds: list[SearchKind] | None = None,
        first: int | None = None,
    ) -> list[SearchHit]:
        labels = [k.value for k in kinds] if kinds else None
        hits = await resolve.search(info.context, text, labels, first)
        return [
            SearchHit(score=h.score, kind=SearchKind(h.label), node=to_object(h.node)) for h in hits
        ]
