"""Project (项目清单) types, queries and mutations."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain import models
from resolvers import demands as resolve_demands
from resolvers import places as resolve_places
from resolvers import projects as resolve
from resolvers import resources as resolve_resources
from resolvers import units as resolve_units
from resolvers.context import Context
from schema.common import (
    CapacityExceededError,
    ConflictError,
    Connection,
    ForbiddenError,
    IllegalTransitionError,
    InvalidInputError,
    Node,
    NotFoundError,
    ProjectClass,
    ProjectStatus,
    SortDirection,
    UnauthenticatedError,
    as_date,
    connection,
    input_values,
    list_arguments,
    outcome,
)
from schema.convert import from_model, register
from schema.selection import selects

if TYPE_CHECKING:
    from schema.demands import Demand
    from schema.places import Community
    from schema.records import Evaluation, Meeting
    from schema.resources import Resource
    from schema.units import Unit

Info = strawberry.Info[Context, None]


@strawberry.type(description="a resource a project uses, and how much of it")
class ResourceUse:
    quantity: int
    resource: Annotated[Resource, strawberry.lazy("schema.resources")]


@strawberry.type(description="项目: agreed at a joint meeting, joining demands and resources")
class Project(Node):
    name: str
    project_class: ProjectClass
    status: ProjectStatus
    start_date: str | None
    end_date: str | None
    community_id: strawberry.Private[str]

    @strawberry.field(description="startDate as a Date")
    def started_on(self) -> date | None:
        return as_date(self.start_date)

    @strawberry.field(description="endDate as a Date")
    def ended_on(self) -> date | None:
        return as_date(self.end_date)

    @strawberry.field
    def project_class_label(self) -> str:
        return self.project_class.label

    @strawberry.field
    def status_label(self) -> str:
        return self.status.label

    @strawberry.field
    async def community(
        self, info: Info
    ) -> Annotated[Community, strawberry.lazy("schema.places")] | None:
        from schema.places import Community  # noqa: PLC0415

        found = await resolve_places.get(info.context, "Community", self.community_id)
        return from_model(Community, found) if found else None

    @strawberry.field(description="the demands this project answers")
    async def demands(
        self, info: Info
    ) -> list[Annotated[Demand, strawberry.lazy("schema.demands")]]:
        from schema.demands import demand_object  # noqa: PLC0415

        return [demand_object(d) for d in await resolve_demands.of_project(info.context, self.id)]

    @strawberry.field(description="the resources it uses, with quantities")
    async def uses(self, info: Info) -> list[ResourceUse]:
        from schema.resources import resource_object  # noqa: PLC0415

        found = await resolve_resources.of_project(info.context, self.id)
        return [ResourceUse(quantity=qty, resource=resource_object(r)) for r, qty in found]

    @strawberry.field(description="牵头单位")
    async def lead_unit(
        self, info: Info
    ) -> Annotated[Unit, strawberry.lazy("schema.units")] | None:
        from schema.units import unit_object  # noqa: PLC0415

        found = await resolve_units.lead_of_project(info.context, self.id)
        return unit_object(found) if found else None

    @strawberry.field(description="联席会议 that agreed the project, newest first")
    async def meetings(
        self, info: Info
    ) -> list[Annotated[Meeting, strawberry.lazy("schema.records")]]:
        from schema.records import project_meetings  # noqa: PLC0415

        return await project_meetings(self, info)

    @strawberry.field(description="晒绩自评、群众测评、组织考评 of this project")
    async def evaluations(
        self, info: Info
    ) -> list[Annotated[Evaluation, strawberry.lazy("schema.records")]]:
        from schema.records import project_evaluations  # noqa: PLC0415

        return await project_evaluations(self, info)

    @strawberry.field(description="参与单位")
    async def units(self, info: Info) -> list[Annotated[Unit, strawberry.lazy("schema.units")]]:
        from schema.units import unit_object  # noqa: PLC0415

        return [unit_object(u) for u in await resolve_units.joined_project(info.context, self.id)]


def project_object(model: models.Project) -> Project:
    return from_model(Project, model)


register(models.Project, project_object)


@strawberry.input
class ProjectFilter:
    scope: str | None = None
    statuses: list[ProjectStatus] | None = None
    classes: list[ProjectClass] | None = None
    text: str | None = None
    date_from: str | None = strawberry.field(default=None, description="started on or after")
    date_to: str | None = None
    start_date_gte: date | None = strawberry.field(
        default=None, name="startDate_GTE", description="started on or after this day"
    )
    start_date_lte: date | None = strawberry.field(
        default=None, name="startDate_LTE", description="started on or before this day"
    )
    and_: list[ProjectFilter] | None = strawberry.field(
        default=None, name="AND", description="every one of these filters holds"
    )
    or_: list[ProjectFilter] | None = strawberry.field(
        default=None, name="OR", description="at least one of these filters holds"
    )
    not_: ProjectFilter | None = strawberry.field(
        default=None, name="NOT", description="this filter does not hold"
    )


@strawberry.enum
class ProjectSort(Enum):
    START_DATE = "startDate"
    NAME = "name"
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"
    STATUS = "status"
    PROJECT_CLASS = "projectClass"


@strawberry.input(description="one sort key of a list (sortBy: several, the first first)")
class ProjectSortInput:
    field: ProjectSort
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class ResourceUseInput:
    resource_id: strawberry.ID
    quantity: int = 1


@strawberry.input
class FormProjectInput:
    name: str
    project_class: ProjectClass
    community: str = strawberry.field(description="12-digit code of the community")
    uses: list[ResourceUseInput]
    demand_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    lead_unit_id: strawberry.ID | None = None
    start_date: str | None = None
    description: str = ""


ProjectResult = Annotated[
    Project
    | NotFoundError
    | InvalidInputError
    | ConflictError
    | CapacityExceededError
    | IllegalTransitionError
    | ForbiddenError
    | UnauthenticatedError,
    strawberry.union("ProjectResult"),
]


@strawberry.type
class ProjectQuery:
    @strawberry.field
    async def project(self, info: Info, id: strawberry.ID) -> Project | None:
        found = await resolve.get(info.context, id)
        return project_object(found) if found else None

    @strawberry.field(description="Projects, filtered and sorted, a page at a time")
    async def projects(
        self,
        info: Info,
        filter: ProjectFilter | None = None,
        sort: ProjectSort = ProjectSort.START_DATE,
        descending: bool = True,
        first: int | None = None,
        after: str | None = None,
        sort_by: Annotated[
            list[ProjectSortInput] | None,
            strawberry.argument(description="several sort keys; replace sort and descending"),
        ] = None,
        last: Annotated[
            int | None, strawberry.argument(description="the last rows (before `before`)")
        ] = None,
        before: str | None = None,
    ) -> Connection[Project]:
        data = list_arguments(filter, sort, descending, sort_by)
        found = await resolve.search(
            info.context, data, first, after, selects(info, "totalCount"), last=last, before=before
        )
        return connection(found, project_object)


@strawberry.type
class ProjectMutation:
    @strawberry.mutation(
        description="Form a project from demands and resources; capacity is taken atomically"
    )
    async def form_project(self, info: Info, input: FormProjectInput) -> ProjectResult:
        data = input_values(input)
        data["uses"] = [input_values(u) for u in input.uses]
        return await outcome(resolve.form(info.context, data), project_object)  # type: ignore[return-value]

    @strawberry.mutation(description="点单 -> 派单 -> 接单 -> 实施 -> 完成 -> 评价, or cancel")
    async def move_project(self, info: Info, id: strawberry.ID, to: ProjectStatus) -> ProjectResult:
        return await outcome(resolve.move(info.context, id, to), project_object)  # type: ignore[return-value]
