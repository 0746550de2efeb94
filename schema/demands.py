"""Demand (需求清单) types, queries and mutations."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated

import strawberry

from domain import models
from graph.queries import loop as loop_q
from graph.queries import projects as projects_q
from resolvers import demands as resolve
from resolvers import loop_reads as resolve_loop
from resolvers import personal
from resolvers import places as resolve_places
from resolvers.context import Context
from schema import lazy, listing, relation
from schema.common import (
    Category,
    ConflictError,
    DemandStage,
    DemandStatus,
    ForbiddenError,
    InvalidInputError,
    MatterClass,
    Node,
    NotFoundError,
    UnauthenticatedError,
    Urgency,
    as_date,
    input_values,
    outcome,
)
from schema.convert import converts, from_model

Info = strawberry.Info[Context, None]


@strawberry.type(description="需求: a need collected from residents")
class Demand(Node):
    title: str
    description: str
    category: Category
    category_given: str | None = strawberry.field(
        description="the category as written in the roster, when it is not in the vocabulary"
    )
    category_inferred: bool = strawberry.field(
        description="the category was inferred from the title and description (the roster or "
        "report gave none, or one not in the vocabulary); confirmDemandCategory settles it"
    )
    category_confidence: float | None = strawberry.field(
        description="the classifier's confidence in an inferred category, in [0, 1]"
    )
    category_inferred_by: str | None = strawberry.field(
        description="which stage decided an inferred category: LEXICAL (the lexical decision "
        "stored at load time, refined shortly after the load) or STACKED (the classifier's "
        "final decision); null when the category was not inferred"
    )
    matter_class: MatterClass = strawberry.field(description="五事: 大事 实事 要事 急事 难事")
    matter_class_inferred: bool = strawberry.field(
        description="the 五事 class was inferred from the text (none was given)"
    )
    urgency: Urgency
    urgency_inferred: bool = strawberry.field(
        description="the urgency was inferred from the text (none was given)"
    )
    status: DemandStatus
    stage: DemandStage = strawberry.field(description="办理 stage (docs/closed-loop.md)")
    households: int | None = strawberry.field(description="受益户数")
    raw_collector_name: strawberry.Private[str | None]
    collected_on: str | None = strawberry.field(description="收集日期 (ISO date)")
    source: str | None
    community_id: strawberry.Private[str]
    place_id: strawberry.Private[str]

    @strawberry.field(description="收集日期 as a Date")
    def collected_date(self) -> date | None:
        return as_date(self.collected_on)

    @strawberry.field
    def category_label(self) -> str:
        return self.category.label

    @strawberry.field(description="收集人 (personal data: masked outside the caller's scope)")
    def collector_name(self, info: Info) -> str | None:
        return personal.reveal(
            info.context, "name", self.raw_collector_name, codes=(self.community_id,)
        )

    @strawberry.field
    def matter_class_label(self) -> str:
        return self.matter_class.label

    community = relation.one(lazy.Community, resolve_places.community, on="community_id")
    place = relation.one(
        lazy.Compound | lazy.Building, resolve_places.site, on="place_id",
        description="小区 or 楼栋 where the need arose, if recorded",
    )  # fmt: skip
    projects = relation.many(
        lazy.Project, projects_q.OF_DEMAND, description="projects that answer this demand"
    )

    @strawberry.field(description="逾期: its current assignment is past a limit, now")
    async def overdue(self, info: Info) -> bool:
        return await resolve_loop.overdue(info.context, self.id)

    timeline = relation.many(
        lazy.DemandEvent, loop_q.EVENTS_OF,
        description="its timeline: every transition, oldest first",
    )  # fmt: skip
    assignments = relation.many(
        lazy.Assignment, resolve_loop.assignments,
        description="every dispatch (派单, 重办), oldest first",
    )  # fmt: skip
    current_assignment = relation.one(
        lazy.Assignment, resolve_loop.current_assignment, description="the latest dispatch"
    )
    chases = relation.many(lazy.Chase, loop_q.CHASES_OF, description="督办 records, oldest first")
    whistles = relation.many(
        lazy.Whistle, resolve_loop.whistles,
        description="吹哨 with the units summoned and their 报到",
    )  # fmt: skip
    callbacks = relation.many(
        lazy.Callback, loop_q.CALLBACKS_OF, description="回访 records, oldest first"
    )


@converts(models.Demand)
def demand_object(model: models.Demand) -> Demand:
    return from_model(Demand, model, raw_collector_name=model.collectorName)


@strawberry.input(
    description="Filters for demands; all optional, combined with AND (AND / OR / NOT compose)"
)
@listing.composable
class DemandFilter:
    scope: str | None = strawberry.field(
        default=None, description="a county, street or community code (12 digits)"
    )
    statuses: list[DemandStatus] | None = None
    stages: list[DemandStage] | None = strawberry.field(
        default=None, description="办理 stages (a demand never dispatched is REPORTED)"
    )
    overdue: bool | None = strawberry.field(
        default=None, description="true: only demands overdue now; false: only those not"
    )
    categories: list[Category] | None = None
    category_inferred: bool | None = strawberry.field(
        default=None, description="true: only demands whose category awaits confirmation"
    )
    classes: list[MatterClass] | None = None
    urgencies: list[Urgency] | None = None
    text: str | None = strawberry.field(default=None, description="in title or description")
    date_from: str | None = strawberry.field(default=None, description="collected on or after")
    date_to: str | None = None
    collected_on_gte: date | None = strawberry.field(
        default=None, name="collectedOn_GTE", description="collected on or after this day"
    )
    collected_on_lte: date | None = strawberry.field(
        default=None, name="collectedOn_LTE", description="collected on or before this day"
    )


@strawberry.enum
class DemandSort(Enum):
    COLLECTED_ON = "collectedOn"
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"
    TITLE = "title"
    URGENCY = "urgency"
    MATTER_CLASS = "matterClass"
    STATUS = "status"


@strawberry.input
class ReportDemandInput:
    community: str = strawberry.field(description="12-digit code of the community")
    title: str
    category: Category | None = strawberry.field(
        default=None, description="inferred from the title and description when left out"
    )
    matter_class: MatterClass | None = strawberry.field(
        default=None, description="五事; inferred from the text when left out"
    )
    urgency: Urgency = Urgency.NORMAL
    description: str = ""
    place_id: strawberry.ID | None = strawberry.field(
        default=None, description="a compound or building of the community"
    )
    households: int | None = None
    collector_name: str | None = None
    collected_on: str | None = None
    source: str | None = None


@strawberry.input
class UpdateDemandInput:
    title: str | None = None
    description: str | None = None
    category: Category | None = None
    matter_class: MatterClass | None = None
    urgency: Urgency | None = None
    households: int | None = None


DemandResult = Annotated[
    Demand
    | NotFoundError
    | InvalidInputError
    | ConflictError
    | ForbiddenError
    | UnauthenticatedError,
    strawberry.union("DemandResult"),
]


@strawberry.type
class DemandQuery:
    demand = listing.by_id(Demand, resolve.get, convert=demand_object, description="A demand by id")

    demands = listing.pages(
        Demand, resolve.search, DemandFilter, DemandSort.COLLECTED_ON, descending=True,
        description="Demands, filtered and sorted, a page at a time",
    )  # fmt: skip


@strawberry.type
class DemandMutation:
    @strawberry.mutation(description="点单: record a resident's need in a community")
    async def report_demand(self, info: Info, input: ReportDemandInput) -> DemandResult:
        return await outcome(resolve.report(info.context, input_values(input)), demand_object)  # type: ignore[return-value]

    @strawberry.mutation(description="Change a demand's description, category, class or urgency")
    async def update_demand(
        self, info: Info, id: strawberry.ID, input: UpdateDemandInput
    ) -> DemandResult:
        work = resolve.update(info.context, id, input_values(input))
        return await outcome(work, demand_object)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Confirm or correct a demand's category (an inferred one above all); "
        "county, street and community admins, within their place"
    )
    async def confirm_demand_category(
        self, info: Info, id: strawberry.ID, category: Category
    ) -> DemandResult:
        work = resolve.confirm_category(info.context, id, category)
        return await outcome(work, demand_object)  # type: ignore[return-value]

    @strawberry.mutation(description="Close a demand as resolved (已解决) or closed (已关闭)")
    async def close_demand(
        self, info: Info, id: strawberry.ID, status: DemandStatus, note: str | None = None
    ) -> DemandResult:
        work = resolve.close(info.context, id, status, note)
        return await outcome(work, demand_object)  # type: ignore[return-value]
