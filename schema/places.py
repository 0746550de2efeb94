"""County, Street, Community, Compound, Building, Grid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from domain import models
from resolvers import demands as resolve_demands
from resolvers import liaison as resolve_liaison
from resolvers import people as resolve_people
from resolvers import places as resolve
from resolvers import profile as resolve_profile
from resolvers import projects as resolve_projects
from resolvers import records as resolve_records
from resolvers import units as resolve_units
from resolvers.context import Context
from schema.common import DemandStatus, Node, ProjectStatus, RoleKind
from schema.convert import from_model

if TYPE_CHECKING:
    from schema.demands import Demand
    from schema.people import Role
    from schema.profile import BuildingCoverage, FourPlusN
    from schema.projects import Project
    from schema.records import Agreement, Meeting
    from schema.units import LiaisonLink, Unit

Info = strawberry.Info[Context, None]


async def _roles(
    info: Info, label: str, place_id: str, kinds: list[RoleKind] | None, include_ended: bool
) -> list[Annotated[Role, strawberry.lazy("schema.people")]]:
    from schema.people import role_list  # noqa: PLC0415

    found = await resolve_people.roles_at(info.context, label, place_id)
    return role_list([r for r in found if not kinds or r.kind in kinds], include_ended)


@strawberry.interface(description="A place in the administrative or grid hierarchy")
class Place(Node):
    name: str


@strawberry.type(
    description="a county-level division: 县, 自治县, 区 (市辖区), 县级市, 旗, 自治旗, 林区, 特区"
)
class County(Place):
    code: str = strawberry.field(description="12-digit statistical division code")
    province: str | None
    city: str | None
    kind_word: str | None = strawberry.field(
        default=None, description="县, 区, 市 or 旗: what its rosters say after 全 and 本 (全区)"
    )

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

    @strawberry.field(description="posts held at the street (街道党工委书记)")
    async def roles(
        self, info: Info, kinds: list[RoleKind] | None = None, include_ended: bool = False
    ) -> list[Annotated[Role, strawberry.lazy("schema.people")]]:
        return await _roles(info, "Street", self.id, kinds, include_ended)


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

    @strawberry.field(description="posts held at the community itself (第一书记, 社区党委书记, …)")
    async def roles(
        self, info: Info, kinds: list[RoleKind] | None = None, include_ended: bool = False
    ) -> list[Annotated[Role, strawberry.lazy("schema.people")]]:
        return await _roles(info, "Community", self.id, kinds, include_ended)

    @strawberry.field(description="联系单位: the units liaising with it, the lead unit first")
    async def liaison_units(
        self, info: Info
    ) -> list[Annotated[LiaisonLink, strawberry.lazy("schema.units")]]:
        from schema.units import link_object  # noqa: PLC0415

        return [link_object(k) for k in await resolve_liaison.of_community(info.context, self.id)]

    @strawberry.field(description="牵头单位: the one lead unit among the liaison units")
    async def lead_unit(
        self, info: Info
    ) -> Annotated[Unit, strawberry.lazy("schema.units")] | None:
        from schema.units import unit_object  # noqa: PLC0415

        links = await resolve_liaison.of_community(info.context, self.id)
        lead = next((k for k in links if k.lead), None)
        found = await resolve_units.get(info.context, lead.unit_id) if lead else None
        return unit_object(found) if found else None

    @strawberry.field(description="需求清单 of this community, newest first")
    async def demands(
        self, info: Info, statuses: list[DemandStatus] | None = None
    ) -> list[Annotated[Demand, strawberry.lazy("schema.demands")]]:
        from schema.demands import demand_object  # noqa: PLC0415

        found = await resolve_demands.of_community(info.context, self.id)
        return [demand_object(d) for d in found if not statuses or d.status in statuses]

    @strawberry.field(description="项目清单 of this community, by name")
    async def projects(
        self, info: Info, statuses: list[ProjectStatus] | None = None
    ) -> list[Annotated[Project, strawberry.lazy("schema.projects")]]:
        from schema.projects import project_object  # noqa: PLC0415

        found = await resolve_projects.of_community(info.context, self.id)
        return [project_object(p) for p in found if not statuses or p.status in statuses]

    @strawberry.field(description="共建协议 signed with units, newest first")
    async def agreements(
        self, info: Info
    ) -> list[Annotated[Agreement, strawberry.lazy("schema.records")]]:
        from schema.records import agreement_object  # noqa: PLC0415

        found = await resolve_records.agreements_of_community(info.context, self.id)
        return [agreement_object(a) for a in found]

    @strawberry.field(description="联席会议 held in this community, newest first")
    async def meetings(
        self, info: Info
    ) -> list[Annotated[Meeting, strawberry.lazy("schema.records")]]:
        from schema.records import meeting_object  # noqa: PLC0415

        found = await resolve_records.meetings_in(info.context, self.id)
        return [meeting_object(m) for m in found]

    @strawberry.field(
        description="“4+N”: its posts, liaison units and lead unit, and what is missing"
    )
    async def profile(self, info: Info) -> Annotated[FourPlusN, strawberry.lazy("schema.profile")]:
        from schema.profile import four_plus_n_object  # noqa: PLC0415

        found = await resolve_profile.of_community(info.context, self.id)
        assert found is not None, self.id
        return four_plus_n_object(found)

    @strawberry.field(description="两长两员 of every building of its compounds")
    async def building_coverage(
        self, info: Info
    ) -> Annotated[BuildingCoverage, strawberry.lazy("schema.profile")]:
        from schema.profile import coverage_object  # noqa: PLC0415

        found = await resolve_profile.coverage_of(info.context, self.id)
        assert found is not None, self.id
        return coverage_object(found)


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

    @strawberry.field(description="posts held at the compound (小区党支部书记, 红色物业)")
    async def roles(
        self, info: Info, kinds: list[RoleKind] | None = None, include_ended: bool = False
    ) -> list[Annotated[Role, strawberry.lazy("schema.people")]]:
        return await _roles(info, "Compound", self.id, kinds, include_ended)


@strawberry.type(description="楼栋/单元: a building")
class Building(Place):
    households: int | None

    @strawberry.field
    async def compound(self, info: Info) -> Compound | None:
        found = await resolve.parent(info.context, "Building", "Compound", self.id)
        return from_model(Compound, found) if found else None

    @strawberry.field(description="两长两员: 楼栋长, 党小组长, 网格员, 双报到党员")
    async def roles(
        self, info: Info, kinds: list[RoleKind] | None = None, include_ended: bool = False
    ) -> list[Annotated[Role, strawberry.lazy("schema.people")]]:
        return await _roles(info, "Building", self.id, kinds, include_ended)


@strawberry.type(description="网格: a grid cell of grid management")
class Grid(Place):
    level: int

    @strawberry.field
    async def community(self, info: Info) -> Community | None:
        found = await resolve.parent(info.context, "Grid", "Community", self.id)
        return from_model(Community, found) if found else None

    @strawberry.field(description="posts held at the grid (网格员, 网格党支部书记)")
    async def roles(
        self, info: Info, kinds: list[RoleKind] | None = None, include_ended: bool = False
    ) -> list[Annotated[Role, strawberry.lazy("schema.people")]]:
        return await _roles(info, "Grid", self.id, kinds, include_ended)


DivisionPlace = Annotated[County | Street | Community, strawberry.union("DivisionPlace")]

_TYPES: dict[type[models.Node], type] = {
    models.County: County,
    models.Street: Street,
    models.Community: Community,
}


def place_object(model: models.Node) -> County | Street | Community:
    cls = _TYPES[type(model)]
    return from_model(cls, model)


AnyPlace = County | Street | Community | Compound | Building | Grid

_ALL_TYPES: dict[type[models.Node], type] = {
    **_TYPES,
    models.Compound: Compound,
    models.Building: Building,
    models.Grid: Grid,
}


def any_place_object(model: models.Node) -> AnyPlace:
    """The GraphQL object of any place model."""
    return from_model(_ALL_TYPES[type(model)], model)


@strawberry.type
class PlaceQuery:
    @strawberry.field(description="Every county in the graph, by code")
    async def counties(self, info: Info) -> list[County]:
        return [from_model(County, m) for m in await resolve.counties(info.context)]

    @strawberry.field(description="A county, street or community by its 6-, 9- or 12-digit code")
    async def division(self, info: Info, code: str) -> DivisionPlace | None:
        found = await resolve.by_code(info.context, code)
        return place_object(found) if found else None
