"""Person, Role (a post held at a place), PartyOrganization; the people list; role changes."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from domain import models
from graph.queries import people as q
from resolvers import people as resolve
from resolvers import units as resolve_units
from resolvers.context import Context
from schema import lazy, listing, relation
from schema.common import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    Node,
    NotFoundError,
    PartyOrgKind,
    RoleKind,
    UnauthenticatedError,
    input_values,
    outcome,
)
from schema.convert import converts, from_model
from schema.places import Building, Community, Compound, County, Grid, Street

Info = strawberry.Info[Context, None]


def _ended(found: list[models.Role], include_ended: bool = False) -> list[models.Role]:
    return [r for r in found if include_ended or resolve.is_active(r)]


def _held(found: list[models.Role], include_ended: bool = False) -> list[models.Role]:
    return _ended(resolve.by_kind(found), include_ended)


@strawberry.type(description="一个人: holds posts (Role). Name and phone are personal data")
class Person(Node):
    raw_name: strawberry.Private[str]
    raw_phone: strawberry.Private[str | None]
    codes: strawberry.Private[tuple[str, ...]]
    work_unit_id: strawberry.Private[str | None]

    @strawberry.field(description="姓名 (personal data)")
    def name(self, info: Info) -> str:
        return resolve.reveal(info.context, "name", self.raw_name, self.codes) or ""

    @strawberry.field(description="联系电话 (personal data)")
    def phone(self, info: Info) -> str | None:
        return resolve.reveal(info.context, "phone", self.raw_phone, self.codes)

    roles = relation.many(
        "Role", q.ROLES_OF_PERSON, resolve.role, args=_ended,
        description="the posts this person holds, or held (includeEnded)",
    )  # fmt: skip
    work_unit = relation.one(
        lazy.Unit, resolve_units.get, on="work_unit_id",
        description="工作单位 of a double-registered member (双报到党员)",
    )  # fmt: skip


@converts(resolve.PersonRecord)
def person_object(model: resolve.PersonRecord) -> Person:
    return from_model(Person, model, raw_name=model.name, raw_phone=model.phone)


@strawberry.type(
    description="党组织: a party committee, branch or group; a unit's own organization"
)
class PartyOrganization(Node):
    name: str
    kind: PartyOrgKind
    unit_id: strawberry.Private[str | None] = None

    @strawberry.field
    def kind_label(self) -> str:
        return self.kind.label

    unit = relation.one(
        lazy.Unit, resolve_units.get, on="unit_id",
        description="the unit this is the party organization of",
    )  # fmt: skip
    roles = relation.many(
        "Role", q.ROLES_AT["PartyOrganization"], resolve.role, args=_held,
        description="posts held at this organization (单位党组织负责人)",
    )  # fmt: skip


@converts(resolve.OrganizationRecord)
def organization_object(model: resolve.OrganizationRecord) -> PartyOrganization:
    return from_model(PartyOrganization, model)


RolePlace = Annotated[
    County | Street | Community | Compound | Building | Grid | PartyOrganization,
    strawberry.union("RolePlace", description="where a post is held"),
]


@strawberry.type(description="职务: a post a person holds at a place (4+N, 两长两员, …)")
class Role(Node):
    kind: RoleKind
    title: str | None = strawberry.field(description="单位及职务: the person's post elsewhere")
    since: str | None = strawberry.field(description="任职日期 (ISO date)")
    until: str | None = strawberry.field(description="免职日期 (ISO date); null while in office")
    claimed_items: list[str] = strawberry.field(description="认领服务项目 (双报到党员)")
    service_hours: float | None = strawberry.field(description="服务时长 (hours)")
    active: bool = strawberry.field(description="in office today: started, and not ended")
    person_id: strawberry.Private[str]
    place_id: strawberry.Private[str]
    unit_id: strawberry.Private[str | None]

    @strawberry.field
    def kind_label(self) -> str:
        return self.kind.label

    person = relation.one("Person", q.PERSON_GET, resolve.person, on="person_id")
    place = relation.one(
        "RolePlace", resolve.place_of_role, on="place_id", description="where the post is held"
    )
    unit = relation.one(
        lazy.Unit, resolve_units.get, on="unit_id",
        description="the unit the holder comes from (e.g. the lead unit)",
    )  # fmt: skip


@converts(models.Role)
def role_object(model: models.Role) -> Role:
    return from_model(Role, model, active=resolve.is_active(model))


def role_list(roles: list[models.Role], include_ended: bool) -> list[Role]:
    return [role_object(r) for r in roles if include_ended or resolve.is_active(r)]


@strawberry.input(description="Filters for people; all optional, combined with AND")
@listing.composable
class PeopleFilter:
    scope: str | None = strawberry.field(
        default=None, description="holds a post in this county, street or community (code)"
    )
    role_kinds: list[RoleKind] | None = strawberry.field(
        default=None, description="holds one of these posts now"
    )
    text: str | None = strawberry.field(default=None, description="in the name")


@strawberry.enum
class PersonSort(Enum):
    NAME = "name"
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"


@strawberry.input
class AssignRoleInput:
    person_name: str
    kind: RoleKind
    place: str = strawberry.field(
        description="a street or community code, or the id of a compound, building or grid"
    )
    phone: str | None = None
    title: str | None = strawberry.field(default=None, description="单位及职务")
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="the unit the person comes from"
    )
    since: str | None = strawberry.field(default=None, description="任职日期; today if not given")


RoleResult = Annotated[
    Role
    | NotFoundError
    | InvalidInputError
    | ConflictError
    | ForbiddenError
    | UnauthenticatedError,
    strawberry.union("RoleResult"),
]


@strawberry.type
class PeopleQuery:
    person = listing.by_id(Person, resolve.get, convert=person_object)

    role = listing.by_id(Role, resolve.get_role, convert=role_object)

    people = listing.pages(
        Person, resolve.search, PeopleFilter, PersonSort.NAME, descending=False,
        description="People, filtered and sorted, a page at a time",
    )  # fmt: skip


@strawberry.type
class PeopleMutation:
    @strawberry.mutation(description="Give a person a post at a place; creates the person if new")
    async def assign_role(self, info: Info, input: AssignRoleInput) -> RoleResult:
        return await outcome(resolve.assign(info.context, input_values(input)), role_object)  # type: ignore[return-value]

    @strawberry.mutation(description="End a post (免职) on a day, today if not given")
    async def end_role(self, info: Info, id: strawberry.ID, until: str | None = None) -> RoleResult:
        return await outcome(resolve.end(info.context, id, until), role_object)  # type: ignore[return-value]
