"""Resource (资源清单) types, queries and mutations."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from domain import models
from graph.queries import projects as projects_q
from graph.queries import units as units_q
from resolvers import personal
from resolvers import places as resolve_places
from resolvers import resources as resolve
from resolvers.context import Context
from schema import lazy, listing, relation
from schema.common import (
    Category,
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    Node,
    NotFoundError,
    ResourceStatus,
    ServiceScope,
    UnauthenticatedError,
    input_values,
    outcome,
)
from schema.convert import converts, from_model

Info = strawberry.Info[Context, None]


@strawberry.type(description="资源: what a unit can offer (venue, funds, staff, expertise, ...)")
class Resource(Node):
    name: str
    category: Category
    category_given: str | None
    category_inferred: bool = strawberry.field(
        default=False,
        description="the category was inferred from the name and description (the roster left "
        "it empty or wrote a word not in the vocabulary, kept in categoryGiven)",
    )
    category_confidence: float | None = strawberry.field(
        default=None, description="the classifier's confidence in an inferred category, in [0, 1]"
    )
    description: str
    capacity: int = strawberry.field(description="数量: how much can be given, in `measure`")
    allocated: int = strawberry.field(description="taken by projects not cancelled")
    measure: str | None = strawberry.field(description="计量单位")
    scope: ServiceScope = strawberry.field(description="服务范围: the widest level it serves")
    available_time: str | None = strawberry.field(description="可提供时间")
    raw_contact_name: strawberry.Private[str | None]
    raw_contact_phone: strawberry.Private[str | None]
    unit_county_id: strawberry.Private[str | None]
    status: ResourceStatus
    unit_id: strawberry.Private[str]
    scope_ids: strawberry.Private[list[str]]

    @strawberry.field
    def category_label(self) -> str:
        return self.category.label

    @strawberry.field(description="联系人 (personal data: masked outside the caller's scope)")
    def contact_name(self, info: Info) -> str | None:
        return personal.reveal(
            info.context, "name", self.raw_contact_name,
            unit_id=self.unit_id, unit_county=self.unit_county_id,
        )  # fmt: skip

    @strawberry.field(description="联系电话 (personal data: masked outside the caller's scope)")
    def contact_phone(self, info: Info) -> str | None:
        return personal.reveal(
            info.context, "phone", self.raw_contact_phone,
            unit_id=self.unit_id, unit_county=self.unit_county_id,
        )  # fmt: skip

    @strawberry.field(description="capacity minus allocated")
    def capacity_left(self) -> int:
        return max(self.capacity - self.allocated, 0)

    unit = relation.one(lazy.Unit, units_q.OF_RESOURCE)
    available_in = relation.many(
        lazy.DivisionPlace, resolve_places.by_codes, on="scope_ids",
        description="the places it is available in (服务范围)",
    )  # fmt: skip
    projects = relation.paged(
        lazy.Project, projects_q.OF_RESOURCE,
        description="projects using this resource, by name, a page at a time",
    )  # fmt: skip


@converts(models.Resource)
def resource_object(model: models.Resource) -> Resource:
    return from_model(
        Resource,
        model,
        raw_contact_name=model.contactName,
        raw_contact_phone=model.contactPhone,
        unit_county_id=model.unitCountyId,
    )


@strawberry.input
@listing.composable
class ResourceFilter:
    scope: str | None = strawberry.field(
        default=None, description="available in or under this county, street or community code"
    )
    statuses: list[ResourceStatus] | None = None
    categories: list[Category] | None = None
    unit_id: strawberry.ID | None = None
    text: str | None = None
    min_capacity_left: int | None = None


@strawberry.enum
class ResourceSort(Enum):
    NAME = "name"
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"
    CAPACITY = "capacity"
    CATEGORY = "category"
    STATUS = "status"


@strawberry.input
class OfferResourceInput:
    unit_id: strawberry.ID
    name: str
    category: Category
    capacity: int
    scope_codes: list[str] = strawberry.field(
        description="12-digit codes of the county, streets or communities it serves"
    )
    description: str = ""
    measure: str | None = None
    available_time: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


@strawberry.input
class UpdateResourceInput:
    name: str | None = None
    category: Category | None = None
    description: str | None = None
    capacity: int | None = None
    measure: str | None = None
    available_time: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


ResourceResult = Annotated[
    Resource
    | NotFoundError
    | InvalidInputError
    | ConflictError
    | ForbiddenError
    | UnauthenticatedError,
    strawberry.union("ResourceResult"),
]


@strawberry.type
class ResourceQuery:
    resource = listing.by_id(Resource, resolve.get, convert=resource_object)

    resources = listing.pages(
        Resource, resolve.search, ResourceFilter, ResourceSort.NAME, descending=False,
        description="Resources, filtered and sorted, a page at a time",
    )  # fmt: skip


@strawberry.type
class ResourceMutation:
    @strawberry.mutation(description="A unit offers a resource (资源清单)")
    async def offer_resource(self, info: Info, input: OfferResourceInput) -> ResourceResult:
        return await outcome(resolve.offer(info.context, input_values(input)), resource_object)  # type: ignore[return-value]

    @strawberry.mutation
    async def update_resource(
        self, info: Info, id: strawberry.ID, input: UpdateResourceInput
    ) -> ResourceResult:
        work = resolve.update(info.context, id, input_values(input))
        return await outcome(work, resource_object)  # type: ignore[return-value]

    @strawberry.mutation(description="Withdraw a resource: it is offered no more")
    async def withdraw_resource(self, info: Info, id: strawberry.ID) -> ResourceResult:
        return await outcome(resolve.withdraw(info.context, id), resource_object)  # type: ignore[return-value]
