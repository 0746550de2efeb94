"""County, Street, Community, Compound, Building, Grid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from domain import models
from graph.queries import people as people_q
from graph.queries import places as q
from graph.queries import records as records_q
from resolvers import demands as resolve_demands
from resolvers import liaison as resolve_liaison
from resolvers import people as resolve_people
from resolvers import places as resolve
from resolvers import profile as resolve_profile
from resolvers import projects as resolve_projects
from resolvers.context import Context
from schema import lazy, relation
from schema.common import Node, RoleKind
from schema.convert import from_model, register, to_object

if TYPE_CHECKING:
    from schema.profile import BuildingCoverage, FourPlusN

Info = strawberry.Info[Context, None]


def _held(
    found: list[models.Role], kinds: list[RoleKind] | None = None, include_ended: bool = False
) -> list[models.Role]:
    """Posts of a place by kind; those of the kinds asked for; ended ones if asked."""
    return [
        r
        for r in resolve_people.by_kind(found)
        if (not kinds or r.kind in kinds) and (include_ended or resolve_people.is_active(r))
    ]


def _children(graphql_type: str, parent: str, child: str, description: str) -> Any:
    stmt, model = q.CHILDREN[(parent, child)], resolve.PLACE_MODELS[child]
    return relation.many(graphql_type, stmt, model, key="parent", description=description)


def _parent(graphql_type: str, child: str, parent: str) -> Any:
    stmt, model = q.PARENT[(child, parent)], resolve.PLACE_MODELS[parent]
    return relation.one(graphql_type, stmt, model, key="child")


def _roles(label: str, description: str) -> Any:
    stmt = people_q.ROLES_AT[label]
    return relation.many(lazy.Role, stmt, resolve_people.role, args=_held, description=description)


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
    streets = _children("Street", "County", "Street", "街道/乡镇 of this county")


@strawberry.type(description="街道(办事处)/乡镇: a street (sub-district) or town")
class Street(Place):
    code: str = strawberry.field(description="12-digit statistical division code")
    county = _parent("County", "Street", "County")
    communities = _children("Community", "Street", "Community", "社区 of this street")
    roles = _roles("Street", "posts held at the street (街道党工委书记)")
    demands = relation.connection(
        lazy.Demand, resolve_demands.of_street_pages, lazy.DemandFilter,
        description="需求清单 of the street's communities, newest first, a page at a time",
    )  # fmt: skip


@strawberry.type(description="社区: an urban community, the basic unit")
class Community(Place):
    code: str = strawberry.field(description="12-digit statistical division code")
    households: int | None
    population: int | None
    declared: bool = strawberry.field(
        description="declared by a divisions roster, newer than the official list"
    )
    street = _parent("Street", "Community", "Street")
    compounds = _children("Compound", "Community", "Compound", "小区/院落 in this community")
    grids = _children("Grid", "Community", "Grid", "网格 of this community")
    roles = _roles("Community", "posts held at the community itself (第一书记, 社区党委书记, …)")
    liaison_units = relation.many(
        lazy.LiaisonLink, resolve_liaison.of_community,
        description="联系单位: the units liaising with it, the lead unit first",
    )  # fmt: skip
    lead_unit = relation.one(
        lazy.Unit, resolve_liaison.lead_unit,
        description="牵头单位: the one lead unit among the liaison units",
    )  # fmt: skip
    demands = relation.connection(
        lazy.Demand, resolve_demands.of_community_pages, lazy.DemandFilter,
        description="需求清单 of this community, newest first, a page at a time",
    )  # fmt: skip
    projects = relation.connection(
        lazy.Project, resolve_projects.of_community_pages, lazy.ProjectFilter,
        description="项目清单 of this community, latest start first, a page at a time",
    )  # fmt: skip
    agreements = relation.paged(
        lazy.Agreement, records_q.AGREEMENTS_OF_COMMUNITY,
        description="共建协议 signed with units, newest first, a page at a time",
    )  # fmt: skip
    meetings = relation.paged(
        lazy.Meeting, records_q.MEETINGS_IN_COMMUNITY,
        description="联席会议 held in this community, newest first, a page at a time",
    )  # fmt: skip

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
    community = _parent("Community", "Compound", "Community")
    buildings = _children("Building", "Compound", "Building", "楼栋 in this compound")
    roles = _roles("Compound", "posts held at the compound (小区党支部书记, 红色物业)")


@strawberry.type(description="楼栋/单元: a building")
class Building(Place):
    households: int | None
    compound = _parent("Compound", "Building", "Compound")
    roles = _roles("Building", "两长两员: 楼栋长, 党小组长, 网格员, 双报到党员")


@strawberry.type(description="网格: a grid cell of grid management")
class Grid(Place):
    level: int
    community = _parent("Community", "Grid", "Community")
    roles = _roles("Grid", "posts held at the grid (网格员, 网格党支部书记)")


DivisionPlace = Annotated[County | Street | Community, strawberry.union("DivisionPlace")]
AnyPlace = County | Street | Community | Compound | Building | Grid

for _model, _cls in (
    (models.County, County),
    (models.Street, Street),
    (models.Community, Community),
    (models.Compound, Compound),
    (models.Building, Building),
    (models.Grid, Grid),
):
    register(_model, _cls)


def place_object(model: models.Node) -> County | Street | Community:
    return to_object(model)  # type: ignore[no-any-return]


def any_place_object(model: models.Node) -> AnyPlace:
    """The GraphQL object of any place model."""
    return to_object(model)  # type: ignore[no-any-return]


@strawberry.type
class PlaceQuery:
    @strawberry.field(description="Every county in the graph, by code")
    async def counties(self, info: Info) -> list[County]:
        return [from_model(County, m) for m in await resolve.counties(info.context)]

    @strawberry.field(description="A county, street or community by its 6-, 9- or 12-digit code")
    async def division(self, info: Info, code: str) -> DivisionPlace | None:
        found = await resolve.by_code(info.context, code)
        return place_object(found) if found else None
