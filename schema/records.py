"""Agreement (共建协议), Meeting (联席会议), Evaluation (评价): types and the mutations that
record them.

Their relations (and ``Project.meetings``, ``Project.evaluations``) are declarations
(``schema.relation``).
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain import models
from resolvers import places as resolve_places
from resolvers import records as resolve
from resolvers import units as resolve_units
from resolvers.context import Context
from schema import lazy, listing, relation
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
from schema.convert import converts, from_model
from schema.projects import Project
from schema.units import Unit

Info = strawberry.Info[Context, None]


@strawberry.type(description="共建协议: a co-building agreement between a unit and a community")
class Agreement(Node):
    title: str
    signed_on: str | None = strawberry.field(description="签订日期 (ISO date)")
    content: str
    unit_id: strawberry.Private[str]
    community_id: strawberry.Private[str]

    unit = relation.one("Unit", resolve_units.get, on="unit_id")
    community = relation.one(lazy.Community, resolve_places.community, on="community_id")


@converts(models.Agreement)
def agreement_object(model: models.Agreement) -> Agreement:
    return from_model(Agreement, model)


@strawberry.type(
    description="联席会议: a joint meeting where demands and resources become projects"
)
class Meeting(Node):
    title: str
    held_on: str = strawberry.field(description="会议日期 (ISO date)")
    cadence: str | None = strawberry.field(description="月度、季度、半年 …")
    minutes: str = strawberry.field(description="会议纪要")
    place_id: strawberry.Private[str]

    place = relation.one(
        lazy.DivisionPlace, resolve_places.by_code, on="place_id",
        description="the county, street or community where it was held",
    )  # fmt: skip
    projects = relation.many(
        "Project", resolve.agreed_projects, description="projects agreed at the meeting"
    )
    demands = relation.many(
        lazy.Demand, resolve.discussed_demands, description="demands discussed at the meeting"
    )


@converts(models.Meeting)
def meeting_object(model: models.Meeting) -> Meeting:
    return from_model(Meeting, model)


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

    target = relation.one(
        "EvaluationTarget", resolve.target_of, on="target_id",
        description="the project or unit evaluated",
    )  # fmt: skip


@converts(models.Evaluation)
def evaluation_object(model: models.Evaluation) -> Evaluation:
    return from_model(Evaluation, model)


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
    agreement = listing.by_id(Agreement, resolve.get_agreement, convert=agreement_object)

    meeting = listing.by_id(Meeting, resolve.get_meeting, convert=meeting_object)

    evaluation = listing.by_id(Evaluation, resolve.get_evaluation, convert=evaluation_object)


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
