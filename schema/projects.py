"""Project (项目清单) types, queries and mutations."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain import models
from graph.queries import records as records_q
from graph.queries import resources as resources_q
from graph.queries import units as units_q
from resolvers import demands as resolve_demands
from resolvers import places as resolve_places
from resolvers import projects as resolve
from resolvers import resources as resolve_resources
from resolvers.context import Context
from schema import lazy, listing, relation
from schema.common import (
    CapacityExceededError,
    ConflictError,
    ForbiddenError,
    IllegalTransitionError,
    InvalidInputError,
    Node,
    NotFoundError,
    ProjectClass,
    ProjectStatus,
    UnauthenticatedError,
    as_date,
    input_values,
    outcome,
)
from schema.convert import converts, from_model, to_object

if TYPE_CHECKING:
    from schema.resources import Resource

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

    community = relation.one(lazy.Community, resolve_places.community, on="community_id")
    demands = relation.connection(
        lazy.Demand, resolve_demands.of_project_pages, lazy.DemandFilter,
        description="the demands this project answers, newest first, a page at a time",
    )  # fmt: skip
    uses = relation.many(
        "ResourceUse", resources_q.OF_PROJECT,
        lambda row: (resolve_resources.resource(row), int(row["quantity"])),
        convert=lambda use: ResourceUse(quantity=use[1], resource=to_object(use[0])),
        description="the resources it uses, with quantities",
    )  # fmt: skip
    lead_unit = relation.one(lazy.Unit, units_q.LEAD_OF_PROJECT, description="牵头单位")
    meetings = relation.many(
        lazy.Meeting, records_q.MEETINGS_OF_PROJECT,
        description="联席会议 that agreed the project, newest first",
    )  # fmt: skip
    evaluations = relation.many(
        lazy.Evaluation, records_q.EVALUATIONS_OF["Project"],
        description="晒绩自评、群众测评、组织考评 of this project",
    )  # fmt: skip
    units = relation.many(lazy.Unit, units_q.JOINED_PROJECT, description="参与单位")


@converts(models.Project)
def project_object(model: models.Project) -> Project:
    return from_model(Project, model)


@strawberry.input
@listing.composable
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


@strawberry.enum
class ProjectSort(Enum):
    START_DATE = "startDate"
    NAME = "name"
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"
    STATUS = "status"
    PROJECT_CLASS = "projectClass"


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
    project = listing.by_id(Project, resolve.get, convert=project_object)

    projects = listing.pages(
        Project, resolve.search, ProjectFilter, ProjectSort.START_DATE, descending=True,
        description="Projects, filtered and sorted, a page at a time",
    )  # fmt: skip


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
