"""Assemble the schema from the parts."""

from __future__ import annotations

import strawberry

from schema.places import PlaceQuery


@strawberry.type
class Query(PlaceQuery):
    pass


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query)
