"""Unit (联系单位) types and queries."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain import models
from graph.queries import liaison as liaison_q
from graph.queries import loop as loop_q
from graph.queries import nodes as nodes_q
from graph.queries import people as people_q
from graph.queries import records as records_q
from resolvers import liaison as resolve_liaison
from resolvers import people as resolve_people
from resolvers import personal
from resolvers import places as resolve_places
from resolvers import projects as resolve_projects
from resolvers import resources as resolve_resources
from resolvers import units as resolve
from resolvers.context import Context
from schema import lazy, listing, relation
from schema.common import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    Node,
    NotFoundError,
    UnauthenticatedError,
    UnitKind,
    outcome,
)
from schema.convert import converts, from_model, register, to_object
from schema.places import Community

if TYPE_CHECKING:
    from schema.members import UnitServiceHours

Info = strawberry.Info[Context, None]


def _held(found: list[models.Role], include_ended: bool = False) -> list[models.Role]:
    """Posts by kind; ended ones only if asked."""
    return [
        r for r in resolve_people.by_kind(found) if include_ended or resolve_people.is_active(r)
    ]


@strawberry.type(
    description="单位: a county department, company, resident unit or social organization"
)
class Unit(Node):
    name: str
    kind: UnitKind
    kind_given: str | None = strawberry.field(
        default=None, description="单位类型 as written in the roster, when not in the vocabulary"
    )
    party_org_name: str | None = strawberry.field(description="党组织名称")
    raw_phone: strawberry.Private[str | None]
    county_id: strawberry.Private[str]
    local_label: strawberry.Private[str | None] = None

    @strawberry.field(description="单位类型 as its county says it (区级部门 in a district)")
    def kind_label(self) -> str:
        return self.local_label or self.kind.label

    @strawberry.field(description="联系电话 of its party organization's head (personal data)")
    def phone(self, info: Info) -> str | None:
        return personal.reveal(
            info.context, "phone", self.raw_phone, unit_id=self.id, unit_county=self.county_id
        )

    resources = relation.connection(
        lazy.Resource, resolve_resources.of_unit_pages, lazy.ResourceFilter,
        description="资源清单: what this unit offers, a page at a time",
    )  # fmt: skip
    projects_led = relation.connection(
        lazy.Project, resolve_projects.led_pages, lazy.ProjectFilter,
        description="projects this unit leads, latest start first, a page at a time",
    )  # fmt: skip
    county = relation.one(
        lazy.County, nodes_q.GET["County"], on="county_id", key="id", description="所属县"
    )
    communities = relation.many(
        "LiaisonLink", liaison_q.OF_UNIT, resolve_liaison.link,
        description="the communities it liaises with, those it leads first",
    )  # fmt: skip
    agreements = relation.paged(
        lazy.Agreement, records_q.AGREEMENTS_OF_UNIT,
        description="共建协议 it signed, newest first, a page at a time",
    )  # fmt: skip
    evaluations = relation.paged(
        lazy.Evaluation, records_q.EVALUATIONS_OF["Unit"],
        description="evaluations of the unit (its annual review), newest first, a page at a time",
    )  # fmt: skip
    party_organization = relation.one(
        lazy.PartyOrganization, people_q.ORG_OF_UNIT, resolve_people.organization,
        description="the unit's own party organization",
    )  # fmt: skip
    roles = relation.many(
        lazy.Role, people_q.ROLES_FOR_UNIT, resolve_people.role, args=_held,
        description="posts held by people coming from this unit (兼职副书记, …)",
    )  # fmt: skip
    members = relation.paged(
        lazy.Person, people_q.MEMBERS_OF_UNIT, resolve_people.person,
        description="双报到党员 working at this unit, a page at a time",
    )  # fmt: skip

    @strawberry.field(description="双报到: confirmed service hours of the members from this unit")
    async def member_service_hours(
        self,
        info: Info,
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        to: str | None = None,
        month: str | None = None,
    ) -> Annotated[UnitServiceHours, strawberry.lazy("schema.members")]:
        from schema.members import unit_service_hours  # noqa: PLC0415

        return await unit_service_hours(self, info, from_, to, month)

    assignments = relation.paged(
        lazy.Assignment, loop_q.OPEN_OF_UNIT,
        description="its open assignments (demands dispatched to it), newest first, a page at a time",
    )  # fmt: skip


@converts(models.Unit)
def unit_object(model: models.Unit) -> Unit:
    return from_model(Unit, model, raw_phone=model.phone, local_label=model.kindLabel)


@strawberry.type(description="联系单位: a unit liaising with a community; lead = 牵头单位")
class LiaisonLink:
    lead: bool
    unit_id: strawberry.Private[str]
    community_id: strawberry.Private[str]
    unit = relation.one("Unit", resolve.get, on="unit_id")
    community = relation.one(lazy.Community, resolve_places.community, on="community_id")


def link_object(link: resolve_liaison.Link) -> LiaisonLink:
    return LiaisonLink(lead=link.lead, unit_id=link.unit_id, community_id=link.community_id)


register(resolve_liaison.Link, link_object)


LinkResult = Annotated[
    LiaisonLink
    | NotFoundError
    | InvalidInputError
    | ConflictError
    | ForbiddenError
    | UnauthenticatedError,
    strawberry.union("LinkResult"),
]
UnlinkResult = Annotated[
    Community | NotFoundError | InvalidInputError | ForbiddenError | UnauthenticatedError,
    strawberry.union("UnlinkResult"),
]


@strawberry.input
@listing.composable
class UnitFilter:
    scope: str | None = strawberry.field(
        default=None, description="units of this county, or liaising with places under this code"
    )
    kinds: list[UnitKind] | None = None
    text: str | None = strawberry.field(default=None, description="in the unit's name")


@strawberry.enum
class UnitSort(Enum):
    NAME = "name"
    KIND = "kind"
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"


@strawberry.type
class UnitQuery:
    unit = listing.by_id(Unit, resolve.get, convert=unit_object)

    units = listing.pages(
        Unit, resolve.search, UnitFilter, UnitSort.NAME, descending=False,
        description="Units, filtered and sorted, a page at a time",
    )  # fmt: skip


@strawberry.type
class UnitMutation:
    @strawberry.mutation(
        description="Link a unit to a community (联系单位); lead: true makes it the one lead "
        "unit (the previous lead loses the flag), false clears it, null keeps it"
    )
    async def link_unit(
        self, info: Info, unit_id: strawberry.ID, community: str, lead: bool | None = None
    ) -> LinkResult:
        work = resolve_liaison.link_unit(info.context, unit_id, community, lead)
        return await outcome(work, link_object)  # type: ignore[return-value]

    @strawberry.mutation(description="Remove a unit's liaison with a community")
    async def unlink_unit(self, info: Info, unit_id: strawberry.ID, community: str) -> UnlinkResult:
        async def unlink() -> models.Node | None:
            code = await resolve_liaison.unlink_unit(info.context, unit_id, community)
            return await resolve_places.community(info.context, code)

        return await outcome(unlink(), to_object)  # type: ignore[return-value]
