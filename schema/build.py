"""Assemble the schema from the parts."""

from __future__ import annotations

import strawberry

from schema.demands import DemandMutation, DemandQuery
from schema.loading import LoadingMutation
from schema.places import PlaceQuery
from schema.projects import ProjectMutation, ProjectQuery
from schema.resources import ResourceMutation, ResourceQuery
from schema.units import UnitQuery


@strawberry.type
class Query(PlaceQuery, UnitQuery, ResourceQuery, DemandQuery, ProjectQuery):
    pass


@strawberry.type
class Mutation(DemandMutation, ResourceMutation, ProjectMutation, LoadingMutation):
    pass


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, mutation=Mutation)
