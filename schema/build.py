"""Assemble the schema from the parts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from schema.audit import AuditQuery
from schema.caller import CallerQuery
from schema.common import DATE
from schema.demands import DemandMutation, DemandQuery
from schema.loading import LoadingMutation
from schema.loop import LoopMutation
from schema.matches import MatchListQuery
from schema.matching import MatchingMutation, MatchingQuery
from schema.members import MemberMutation, MemberQuery
from schema.node import NodeQuery
from schema.notices import NoticeSubscription
from schema.people import PeopleMutation, PeopleQuery
from schema.places import PlaceQuery
from schema.projects import ProjectMutation, ProjectQuery
from schema.rates import RatesQuery
from schema.records import RecordMutation, RecordQuery
from schema.resources import ResourceMutation, ResourceQuery
from schema.search import SearchQuery
from schema.stats import StatsQuery
from schema.units import UnitMutation, UnitQuery


@strawberry.type
class Query(
    PlaceQuery,
    UnitQuery,
    ResourceQuery,
    DemandQuery,
    ProjectQuery,
    PeopleQuery,
    RecordQuery,
    StatsQuery,
    RatesQuery,
    SearchQuery,
    NodeQuery,
    AuditQuery,
    MatchingQuery,
    MatchListQuery,
    MemberQuery,
    CallerQuery,
):
    pass


@strawberry.type
class Mutation(
    DemandMutation,
    ResourceMutation,
    ProjectMutation,
    LoadingMutation,
    MatchingMutation,
    UnitMutation,
    PeopleMutation,
    RecordMutation,
    MemberMutation,
    LoopMutation,
):
    pass


@strawberry.type
class Subscription(NoticeSubscription):
    pass


def build_schema(extensions: Sequence[Any] = ()) -> strawberry.Schema:
    """The schema; ``extensions`` add the request limits (depth, aliases, tokens)."""
    # parsed and validated documents are cached: clients send the same few queries
    cached = [lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)]
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[*cached, *extensions],
        config=StrawberryConfig(scalar_map={date: DATE}),
    )
