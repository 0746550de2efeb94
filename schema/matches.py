"""Matching results that say why they are empty: ``resourceMatches`` and
``demandMatches`` (the candidates of ``matchResources`` and ``matchDemands``, with a
reason when there are none), and the reason type the plan and the gap report share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from matching import models as m
from resolvers import scoped
from resolvers.context import Context

if TYPE_CHECKING:
    from schema.matching import MatchCandidate

Info = strawberry.Info[Context, None]


@strawberry.type(description="why a matching result holds nothing")
class EmptyReason:
    code: str = strawberry.field(
        description="NO_RESOURCE_IN_SCOPE, NO_RELEVANT_RESOURCE, RESOURCE_NOT_AVAILABLE, "
        "NO_OPEN_DEMAND, NO_RELEVANT_DEMAND, NOTHING_ASSIGNED, NO_COMMUNITY_IN_SCOPE, NO_GAP"
    )
    sentence: str


def empty_object(reason: m.EmptyReason | None) -> EmptyReason | None:
    return EmptyReason(code=reason.code.value, sentence=reason.sentence) if reason else None


@strawberry.type(description="ranked candidates, and when there are none, why")
class MatchList:
    candidates: list[Annotated[MatchCandidate, strawberry.lazy("schema.matching")]]
    reason: EmptyReason | None


def match_list(found: m.Matches) -> MatchList:
    from schema.matching import candidate_object  # noqa: PLC0415 - schema.matching imports us

    return MatchList(
        candidates=[candidate_object(c) for c in found.candidates],
        reason=empty_object(found.reason),
    )


@strawberry.type
class MatchListQuery:
    @strawberry.field(
        description="matchResources with the reason an empty list is empty (no resource "
        "reaches the community, none fits the demand)"
    )
    async def resource_matches(
        self, info: Info, demand_id: strawberry.ID, first: int = 10
    ) -> MatchList:
        return match_list(await scoped.resource_matches(info.context, demand_id, first))

    @strawberry.field(
        description="matchDemands with the reason an empty list is empty (the resource is "
        "withdrawn, no open demand in its scope, none it fits)"
    )
    async def demand_matches(
        self, info: Info, resource_id: strawberry.ID, first: int = 10
    ) -> MatchList:
        return match_list(await scoped.demand_matches(info.context, resource_id, first))
