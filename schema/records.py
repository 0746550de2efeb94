"""Agreement (共建协议), Meeting (联席会议), Evaluation (评价): types and the mutations that
record them.

``project_meetings`` and ``project_evaluations`` serve ``Project.meetings`` and
``Project.evaluations``; ``schema.projects`` reaches them lazily (this module imports it)::

    @strawberry.field(description="联席会议 that agreed the project, newest first")
    async def meetings(
        self, info: Info
    ) -> list[Annotated[Meeting, strawberry.lazy("schema.records")]]:
        from schema.records import project_meetings  # noqa: PLC0415

        return await project_meetings(self, info)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from domain import models
from domain.ids import label_of_id
from resolvers import places as resolve_places
from resolvers import projects as resolve_projects
from resolvers import records as resolve
from resolvers import units as resolve_units
from resolvers.context import Context
from schema.common import (
    ConflictError,
    EvaluationKind,
    ForbiddenError,
    InvalidInputError,
    Node,
    NotFoundError,
    UnauthenticatedError,
    input_values,
    outcome,
)
from schema.convert import from_model, register
from schema.projects import Project, project_object
from schema.units import Unit, unit_object

if TYPE_CHECKING:
    from schema.demands import Demand
    from schema.places import Community, DivisionPlace

Info = strawberry.Info[Context, None]


@strawberry.type(description="共建协议: a co-building agreement between a unit and a community")
class Agreement(Node):
    title: str
    signed_on: str | None = strawberry.field(description="签订日期 (ISO date)")
    content: str
    unit_id: strawberry.Private[str]
    community_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        found = await resolve_units.get(info.context, self.unit_id)
        return unit_object(found) if found else None

    @strawberry.field
    async def community(
        self, info: Info
    ) -> Annotated[Community, strawberry.lazy("schema.places")] | None:
        from schema.places import Community  # noqa: PLC0415

        found = await resolve_places.get(info.context, "Community", self.community_id)
        return from_model(Community, found) if found else None


def agreement_object(model: models.Agreement) -> Agreement:
    return from_model(Agreement, model)


register(models.Agreement, agreement_object)


@strawberry.type(
    description="联席会议: a joint meeting where demands and resources become projects"
)
class Meeting(Node):
    title: str
    held_on: str = strawberry.field(description="会议日期 (ISO date)")
    cadence: str | None = strawberry.field(description="月度、季度、半年 …")
    minutes: str = strawberry.field(description="会议纪要")
    place_id: strawberry.Private[str]

    @strawberry.field(description="the county, street or community where it was held")
    async def place(
        self, info: Info
    ) -> Annotated[DivisionPlace, strawberry.lazy("schema.places")] | None:
        from schema.places import place_object  # noqa: PLC0415

        found = await resolve_places.by_code(info.context, self.place_id)
        return place_object(found) if found else None

    @strawberry.field(description="projects agreed at the meeting")
    async def projects(self, info: Info) -> list[Project]:
        return [project_object(p) for p in await resolve.agreed_projects(info.context, self.id)]

    @strawberry.field(description="demands discussed at the meeting")
    async def demands(
        self, info: Info
    ) -> list[Annotated[Demand, strawberry.lazy("schema.demands")]]:
        from schema.demands import demand_object  # noqa: PLC0415

        return [demand_object(d) for d in await resolve.discussed_demands(info.context, self.id)]


def meeting_object(model: models.Meeting) -> Meeting:
    return from_model(Meeting, model)


register(models.Meeting, meeting_object)


EvaluationTarget = Annotated[
    Project | Unit,
    strawberry.union("EvaluationTarget", description="what an evaluation evaluates"),
]


@strawberry.type(description="评价: 晒绩自评 (self), 群众测评 (residents), 组织考评 (organization)")
class Evaluation(Node):
    kind: EvaluationKind
    score: float = strawberry.field(description="0 to 100")
    period: str | None = strawberry.field(description="评价期: 2024, 2024-H1 …")
    comment: str
    target_id: strawberry.Private[str]

    @strawberry.field
    def kind_label(self) -> str:
        return self.kind.label

    @strawberry.field(description="the project or unit evaluated")
    async def target(self, info: Info) -> EvaluationTarget | None:
        if label_of_id(self.target_id) == "Project":
            project = await resolve_projects.get(info.context, self.target_id)
            return project_object(project) if project else None
        unit = await resolve_units.get(info.context, self.target_id)
        return unit_object(unit) if unit else None


def evaluation_object(model: models.Evaluation) -> Evaluation:
    return from_model(Evaluation, model)


register(models.Evaluation, evaluation_object)


# -- fields of types defined elsewhere --------------------------------------------------


async def project_meetings(root: Project, info: Info) -> list[Meeting]:
    """联席会议 that agreed the project, newest first."""
    return [meeting_object(m) for m in await resolve.meetings_of_project(info.context, root.id)]


async def project_evaluations(root: Project, info: Info) -> list[Evaluation]:
    """Evaluations of the project, newest first."""
    found = await resolve.evaluations_of(info.context, "Project", root.id)
    return [evaluation_object(e) for e in found]


# -- recording --------------------------------------------------------------------------


@strawberry.input
class RecordAgreementInput:
    unit_id: strawberry.ID
    community: str = strawberry.field(description="12-digit code of the community")
    title: str
    signed_on: str | None = None
    content: str = ""


@strawberry.input
class RecordMeetingInput:
    place: str = strawberry.field(description="the county, street or community code")
    title: str
    held_on: str
    cadence: str | None = None
    minutes: str = ""
    project_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="projects agreed (in the place)"
    )
    demand_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="demands discussed (in the place)"
    )


@strawberry.input
class RecordEvaluationInput:
    kind: EvaluationKind
    target_id: strawberry.ID = strawberry.field(description="a finished project, or a unit")
    score: float = strawberry.field(description="0 to 100")
    period: str | None = None
    comment: str = ""


AgreementResult = Annotated[
    Agreement
    | NotFoundError
    | InvalidInputError
    | ConflictError
    | ForbiddenError
    | UnauthenticatedError,
    strawberry.union("AgreementResult"),
]
MeetingResult = Annotated[
    Meeting
    | NotFoundError
    | InvalidInputError
    | ConflictError
    | ForbiddenError
    | UnauthenticatedError,
    strawberry.union("MeetingResult"),
]
EvaluationResult = Annotated[
    Evaluation
    | NotFoundError
    | InvalidInputError
    | ConflictError
    | ForbiddenError
    | UnauthenticatedError,
    strawberry.union("EvaluationResult"),
]


@strawberry.type
class RecordQuery:
    @strawberry.field
    async def agreement(self, info: Info, id: strawberry.ID) -> Agreement | None:
        found = await resolve.get_agreement(info.context, id)
        return agreement_object(found) if found else None

    @strawberry.field
    async def meeting(self, info: Info, id: strawberry.ID) -> Meeting | None:
        found = await resolve.get_meeting(info.context, id)
        return meeting_object(found) if found else None

    @strawberry.field
    async def evaluation(self, info: Info, id: strawberry.ID) -> Evaluation | None:
        found = await resolve.get_evaluation(info.context, id)
        return evaluation_object(found) if found else None


@strawberry.type
class RecordMutation:
    @strawberry.mutation(description="共建协议: record an agreement a unit signed with a community")
    async def record_agreement(self, info: Info, input: RecordAgreementInput) -> AgreementResult:
        work = resolve.record_agreement(info.context, input_values(input))
        return await outcome(work, agreement_object)  # type: ignore[return-value]

    @strawberry.mutation(description="联席会议: record a joint meeting, its projects and demands")
    async def record_meeting(self, info: Info, input: RecordMeetingInput) -> MeetingResult:
        work = resolve.record_meeting(info.context, input_values(input))
        return await outcome(work, meeting_object)  # type: ignore[return-value]

    @strawberry.mutation(description="Record an evaluation of a finished project or of a unit")
    async def record_evaluation(self, info: Info, input: RecordEvaluationInput) -> EvaluationResult:
        work = resolve.record_evaluation(info.context, input_values(input))
        return await outcome(work, evaluation_object)  # type: ignore[return-value]
