"""County, Street, Community, Compound, Building, Grid."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain import models
from resolvers import places as resolve
from resolvers.context import Context
from schema.common import Node
from schema.convert import from_model

Info = strawberry.Info[Context, None]


@strawberry.interface(description="A place in the administrative or grid hierarchy")
class Place(Node):
    name: str


@strawberry.type(description="县/市辖区: a county or city district")
class County(Place):
    code: str = strawberry.field(description="12-digit statistical division code")
    province: str | None
    city: str | None

    @strawberry.field(description="街道/乡镇 of this county")
    async def streets(self, info: Info) -> list[Street]:
        found = await resolve.children(info.context, "County", "Street", self.id)
        return [from_model(Street, m) for m in found]


@strawberry.type(description="街道(办事处)/乡镇: a street (sub-district) or town")
class Street(Place):
    code: str = strawberry.field(description="12-digit statistical division code")

    @strawberry.field
    async def county(self, info: Info) -> County | None:
        found = await resolve.parent(info.context, "Street", "County", self.id)
        return from_model(County, found) if found else None

    @strawberry.field(description="社区 of this street")
    async def communities(self, info: Info) -> list[Community]:
        found = await resolve.children(info.context, "Street", "Community", self.id)
        return [from_model(Community, m) for m in found]


@strawberry.type(description="社区: an urban community, the basic unit")
class Community(Place):
    code: str = strawberry.field(description="12-digit statistical division code")
    households: int | None
    population: int | None
    declared: bool = strawberry.field(
        description="declared by a divisions roster, newer than the official list"
    )

    @strawberry.field
    async def street(self, info: Info) -> Street | None:
        found = await resolve.parent(info.context, "Community", "Street", self.id)
        return from_model(Street, found) if found else None

    @strawberry.field(description="小区/院落 in this community")
    async def compounds(self, info: Info) -> list[Compound]:
        found = await resolve.children(info.context, "Community", "Compound", self.id)
        return [from_model(Compound, m) for m in found]

    @strawberry.field(description="网格 of this community")
    async def grids(self, info: Info) -> list[Grid]:
        found = await resolve.children(info.context, "Community", "Grid", self.id)
        return [from_model(Grid, m) for m in found]


@strawberry.type(description="小区/院落: a residential compound")
class Compound(Place):
    old: bool = strawberry.field(description="老旧小区")

    @strawberry.field
    async def community(self, info: Info) -> Community | None:
        found = await resolve.parent(info.context, "Compound", "Community", self.id)
        return from_model(Community, found) if found else None

    @strawberry.field(description="楼栋 in this compound")
    async def buildings(self, info: Info) -> list[Building]:
        found = await resolve.children(info.context, "Compound", "Building", self.id)
        return [from_model(Building, m) for m in found]


@strawberry.type(description="楼栋/单元: a building")
class Building(Place):
    households: int | None

    @strawberry.field
    async def compound(self, info: Info) -> Compound | None:
        found = await resolve.parent(info.context, "Building", "Compound", self.id)
        return from_model(Compound, found) if found else None


@strawberry.type(description="网格: a grid cell of grid management")
class Grid(Place):
    level: int

    @strawberry.field
    async def community(self, info: Info) -> Community | None:
        found = await resolve.parent(info.context, "Grid", "Community", self.id)
        return from_model(Community, found) if found else None


DivisionPlace = Annotated[County | Street | Community, strawberry.union("DivisionPlace")]

_TYPES: dict[type[models.Node], type] = {
    models.County: County,
    models.Street: Street,
    models.Community: Community,
}


def place_object(model: models.Node) -> County | Street | Community:
    cls = _TYPES[type(model)]
    return from_model(cls, model)


@strawberry.type
class PlaceQuery:
    @strawberry.field(description="Every county in the graph, by code")
    async def counties(self, info: Info) -> list[County]:
        return [from_model(County, m) for m in await resolve.counties(info.context)]

    @strawberry.field(description="A county, street or community by its 6-, 9- or 12-digit code")
    async def division(self, info: Info, code: str) -> DivisionPlace | None:
        found = await resolve.by_code(info.context, code)
        return place_object(found) if found else None
