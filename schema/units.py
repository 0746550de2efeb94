"""Unit (联系单位) types and queries."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain import models
from resolvers import liaison as resolve_liaison
from resolvers import people as resolve_people
from resolvers import personal
from resolvers import places as resolve_places
from resolvers import projects as resolve_projects
from resolvers import records as resolve_records
from resolvers import resources as resolve_resources
from resolvers import units as resolve
from resolvers.context import Context
from schema.common import (
    ConflictError,
    Connection,
    ForbiddenError,
    InvalidInputError,
    Node,
    NotFoundError,
    SortDirection,
    UnauthenticatedError,
    UnitKind,
    connection,
    list_arguments,
    outcome,
)
from schema.convert import from_model
from schema.selection import selects

if TYPE_CHECKING:
    from schema.loop import Assignment
    from schema.members import UnitServiceHours
    from schema.people import PartyOrganization, Person, Role
    from schema.places import Community, County
    from schema.projects import Project
    from schema.records import Agreement, Evaluation
    from schema.resources import Resource

Info = strawberry.Info[Context, None]


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

    @strawberry.field(description="资源清单: what this unit offers")
    async def resources(
        self, info: Info
    ) -> list[Annotated[Resource, strawberry.lazy("schema.resources")]]:
        from schema.resources import resource_object  # noqa: PLC0415

        return [resource_object(r) for r in await resolve_resources.of_unit(info.context, self.id)]

    @strawberry.field(description="projects this unit leads")
    async def projects_led(
        self, info: Info
    ) -> list[Annotated[Project, strawberry.lazy("schema.projects")]]:
        from schema.projects import project_object  # noqa: PLC0415

        return [project_object(p) for p in await resolve_projects.led_by(info.context, self.id)]

    @strawberry.field(description="所属县")
    async def county(
        self, info: Info
    ) -> Annotated[County, strawberry.lazy("schema.places")] | None:
        from schema.places import County  # noqa: PLC0415

        found = await resolve_places.get(info.context, "County", self.county_id)
        return from_model(County, found) if found else None

    @strawberry.field(description="the communities it liaises with, those it leads first")
    async def communities(self, info: Info) -> list[LiaisonLink]:
        return [link_object(k) for k in await resolve_liaison.of_unit(info.context, self.id)]

    @strawberry.field(description="共建协议 it signed, newest first")
    async def agreements(
        self, info: Info
    ) -> list[Annotated[Agreement, strawberry.lazy("schema.records")]]:
        from schema.records import agreement_object  # noqa: PLC0415

        found = await resolve_records.agreements_of_unit(info.context, self.id)
        return [agreement_object(a) for a in found]

    @strawberry.field(description="evaluations of the unit (its annual review), newest first")
    async def evaluations(
        self, info: Info
    ) -> list[Annotated[Evaluation, strawberry.lazy("schema.records")]]:
        from schema.records import evaluation_object  # noqa: PLC0415

        found = await resolve_records.evaluations_of(info.context, "Unit", self.id)
        return [evaluation_object(e) for e in found]

    @strawberry.field(description="the unit's own party organization")
    async def party_organization(
        self, info: Info
    ) -> Annotated[PartyOrganization, strawberry.lazy("schema.people")] | None:
        from schema.people import organization_object  # noqa: PLC0415

        found = await resolve_people.organization_of(info.context, self.id)
        return organization_object(found) if found else None

    @strawberry.field(description="posts held by people coming from this unit (兼职副书记, …)")
    async def roles(
        self, info: Info, include_ended: bool = False
    ) -> list[Annotated[Role, strawberry.lazy("schema.people")]]:
        from schema.people import role_list  # noqa: PLC0415

        return role_list(await resolve_people.roles_for_unit(info.context, self.id), include_ended)

    @strawberry.field(description="双报到党员 working at this unit")
    async def members(
        self, info: Info
    ) -> list[Annotated[Person, strawberry.lazy("schema.people")]]:
        from schema.people import person_object  # noqa: PLC0415

        return [person_object(p) for p in await resolve_people.members_of(info.context, self.id)]

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

    @strawberry.field(description="its open assignments (demands dispatched to it), newest first")
    async def assignments(
        self, info: Info
    ) -> list[Annotated[Assignment, strawberry.lazy("schema.loop")]]:
        from resolvers import loop_reads  # noqa: PLC0415
        from schema.loop import assignment_object  # noqa: PLC0415

        found = await loop_reads.open_of_unit(info.context, self.id)
        return [assignment_object(a) for a in found]


def unit_object(model: models.Unit) -> Unit:
    return from_model(Unit, model, raw_phone=model.phone, local_label=model.kindLabel)


@strawberry.type(description="联系单位: a unit liaising with a community; lead = 牵头单位")
class LiaisonLink:
    lead: bool
    unit_id: strawberry.Private[str]
    community_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        found = await resolve.get(info.context, self.unit_id)
        return unit_object(found) if found else None

    @strawberry.field
    async def community(
        self, info: Info
    ) -> Annotated[Community, strawberry.lazy("schema.places")] | None:
        from schema.places import Community  # noqa: PLC0415

        found = await resolve_places.get(info.context, "Community", self.community_id)
        return from_model(Community, found) if found else None


def link_object(link: resolve_liaison.Link) -> LiaisonLink:
    return LiaisonLink(lead=link.lead, unit_id=link.unit_id, community_id=link.community_id)


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
    Annotated[Community, strawberry.lazy("schema.places")]
    | NotFoundError
    | InvalidInputError
    | ForbiddenError
    | UnauthenticatedError,
    strawberry.union("UnlinkResult"),
]


@strawberry.input
class UnitFilter:
    scope: str | None = strawberry.field(
        default=None, description="units of this county, or liaising with places under this code"
    )
    kinds: list[UnitKind] | None = None
    text: str | None = strawberry.field(default=None, description="in the unit's name")
    and_: list[UnitFilter] | None = strawberry.field(
        default=None, name="AND", description="every one of these filters holds"
    )
    or_: list[UnitFilter] | None = strawberry.field(
        default=None, name="OR", description="at least one of these filters holds"
    )
    not_: UnitFilter | None = strawberry.field(
        default=None, name="NOT", description="this filter does not hold"
    )


@strawberry.enum
class UnitSort(Enum):
    NAME = "name"
    KIND = "kind"
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"


@strawberry.input(description="one sort key of a list (sortBy: several, the first first)")
class UnitSortInput:
    field: UnitSort
    direction: SortDirection = SortDirection.ASC


@strawberry.type
class UnitQuery:
    @strawberry.field
    async def unit(self, info: Info, id: strawberry.ID) -> Unit | None:
        found = await resolve.get(info.context, id)
        return unit_object(found) if found else None

    @strawberry.field(description="Units, filtered and sorted, a page at a time")
    async def units(
        self,
        info: Info,
        filter: UnitFilter | None = None,
        sort: UnitSort = UnitSort.NAME,
        descending: bool = False,
        first: int | None = None,
        after: str | None = None,
        sort_by: Annotated[
            list[UnitSortInput] | None,
            strawberry.argument(description="several sort keys; replace sort and descending"),
        ] = None,
        last: Annotated[
            int | None, strawberry.argument(description="the last rows (before `before`)")
        ] = None,
        before: str | None = None,
    ) -> Connection[Unit]:
        data = list_arguments(filter, sort, descending, sort_by)
        found = await resolve.search(
            info.context, data, first, after, selects(info, "totalCount"), last=last, before=before
        )
        return connection(found, unit_object)


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
        from schema.places import Community  # noqa: PLC0415

        async def unlink() -> models.Node | None:
            code = await resolve_liaison.unlink_unit(info.context, unit_id, community)
            return await resolve_places.get(info.context, "Community", code)

        return await outcome(unlink(), lambda c: from_model(Community, c))  # type: ignore[return-value, arg-type]
