"""A community's "4+N" structure (FourPlusN) and its buildings' 两长两员 (BuildingCoverage)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from resolvers import people as resolve_people
from resolvers import profile as resolve
from resolvers import units as resolve_units
from resolvers.context import Context
from schema import lazy, relation
from schema.common import RoleKind
from schema.convert import from_model
from schema.places import Building

if TYPE_CHECKING:
    from schema.units import LiaisonLink

Info = strawberry.Info[Context, None]


def _post(on: str, description: str) -> Any:
    """A post of the "4+N" by the id its field ``on`` holds."""
    return relation.one(lazy.Role, resolve_people.post, on=on, description=description)


@strawberry.type(
    description='"4+N": 第一书记 + 街道党工委书记 + 社区党委书记 + 小区党支部书记 '
    "+ N liaison units (one of them the lead unit, whose party head is 兼职副书记)"
)
class FourPlusN:
    first_secretary_id: strawberry.Private[str | None]
    street_secretary_id: strawberry.Private[str | None]
    community_secretary_id: strawberry.Private[str | None]
    deputy_secretary_id: strawberry.Private[str | None]
    compound_secretary_ids: strawberry.Private[list[str]]
    lead_unit_id: strawberry.Private[str | None]
    liaison_units: list[Annotated[LiaisonLink, strawberry.lazy("schema.units")]] = strawberry.field(
        description="联系单位, the lead unit first"
    )
    missing: list[str] = strawberry.field(description="what is absent, one sentence each")

    first_secretary = _post("first_secretary_id", "第一书记")
    street_secretary = _post("street_secretary_id", "街道党工委书记 of the community's street")
    community_secretary = _post("community_secretary_id", "社区党委书记")
    deputy_secretary = _post("deputy_secretary_id", "兼职副书记 (the lead unit's party head)")
    compound_secretaries = relation.many(
        lazy.Role, resolve_people.get_roles, on="compound_secretary_ids",
        description="小区党支部书记 of the community's compounds",
    )  # fmt: skip
    lead_unit = relation.one(
        lazy.Unit, resolve_units.get, on="lead_unit_id", description="牵头单位"
    )

    @strawberry.field(description="nothing is missing")
    def complete(self) -> bool:
        return not self.missing


def four_plus_n_object(profile: resolve.Profile) -> FourPlusN:
    from schema.units import link_object  # noqa: PLC0415

    return FourPlusN(
        first_secretary_id=profile.first_secretary,
        street_secretary_id=profile.street_secretary,
        community_secretary_id=profile.community_secretary,
        deputy_secretary_id=profile.deputy_secretary,
        compound_secretary_ids=profile.compound_secretaries,
        lead_unit_id=profile.lead_unit_id,
        liaison_units=[link_object(link) for link in profile.links],
        missing=profile.missing,
    )


@strawberry.type(description="a building that lacks some of 两长两员")
class BuildingGap:
    building: Building
    compound_name: str
    missing: list[RoleKind]

    @strawberry.field(description="the missing posts, in Chinese")
    def missing_labels(self) -> list[str]:
        return [kind.label for kind in self.missing]


@strawberry.type(description="两长两员 (楼栋长, 党小组长, 网格员, 双报到党员) over the buildings")
class BuildingCoverage:
    buildings: int = strawberry.field(description="buildings on record")
    complete: int = strawberry.field(description="buildings with all four")
    gaps: list[BuildingGap]


def coverage_object(coverage: resolve.Coverage) -> BuildingCoverage:
    return BuildingCoverage(
        buildings=coverage.buildings,
        complete=coverage.complete,
        gaps=[
            BuildingGap(
                building=from_model(Building, gap.building),
                compound_name=gap.compound,
                missing=gap.missing,
            )
            for gap in coverage.gaps
        ],
    )
