"""Matching over GraphQL: candidates with their reasons, allocation plans for a joint
meeting, accepting a plan into projects, and the gaps of a scope."""

from __future__ import annotations

from typing import Annotated

import strawberry

from matching import models as m
from resolvers import demands as resolve_demands
from resolvers import plans, scoped
from resolvers import resources as resolve_resources
from resolvers import units as resolve_units
from resolvers.context import Context
from resolvers.limits import check_items
from schema import lazy, relation
from schema.common import (
    Category,
    ForbiddenError,
    InvalidInputError,
    MatterClass,
    NotFoundError,
    ProjectClass,
    ServiceScope,
    UnauthenticatedError,
    Urgency,
    outcome,
)
from schema.matches import EmptyReason, empty_object

Info = strawberry.Info[Context, None]


@strawberry.type(description="one term of a score: contribution = weight × value")
class MatchReason:
    kind: str = strawberry.field(description="CATEGORY, BM25, EMBEDDING, LEAD, LIAISON, ...")
    label: str = strawberry.field(description="the kind in Chinese")
    weight: float
    signal: float = strawberry.field(description="the raw signal in [0, 1]")
    value: float = strawberry.field(description="the signal after relevance scaling")
    contribution: float
    sentence: str = strawberry.field(description="what a planner reads")


@strawberry.type(description="a resource for a demand, ranked; its reasons add up to its score")
class MatchCandidate:
    rank: int
    score: float
    demand_id: strawberry.ID
    resource_id: strawberry.ID
    unit_id: strawberry.ID
    resource_name: str
    unit_name: str
    demand_title: str
    category: Category
    capacity_left: int
    scope: ServiceScope = strawberry.field(description="how the resource reaches the community")
    reasons: list[MatchReason]

    resource = relation.one(lazy.Resource, resolve_resources.get, on="resource_id")
    unit = relation.one(lazy.Unit, resolve_units.get, on="unit_id")
    demand = relation.one(lazy.Demand, resolve_demands.get, on="demand_id")


def candidate_object(c: m.Candidate) -> MatchCandidate:
    return MatchCandidate(
        rank=c.rank, score=c.score, demand_id=strawberry.ID(c.demandId),
        resource_id=strawberry.ID(c.resourceId), unit_id=strawberry.ID(c.unitId),
        resource_name=c.resourceName, unit_name=c.unitName, demand_title=c.demandTitle,
        category=c.category, capacity_left=c.capacityLeft, scope=c.scope,
        reasons=[
            MatchReason(
                kind=r.kind.value, label=r.label, weight=r.weight, signal=r.signal,
                value=r.value, contribution=r.contribution, sentence=r.sentence,
            )
            for r in c.reasons
        ],
    )  # fmt: skip


@strawberry.input(description="options of an allocation plan")
class PlanOptionsInput:
    spread: float = strawberry.field(
        default=0.0, description="load spreading: each further project of one unit costs this"
    )
    max_per_unit: int | None = None
    min_score: float | None = None
    candidates_per_demand: int | None = None
    categories: list[Category] | None = None
    urgent_only: bool = False


@strawberry.type
class PlanItem:
    demand_id: strawberry.ID
    resource_id: strawberry.ID
    unit_id: strawberry.ID
    quantity: int
    candidate: MatchCandidate


@strawberry.type(description="an open demand the plan leaves unmet, and why")
class UnmetDemand:
    demand_id: strawberry.ID
    title: str
    community_id: strawberry.ID
    category: Category
    urgency: Urgency
    matter_class: MatterClass
    reason: str = strawberry.field(
        description="NO_RESOURCE_IN_SCOPE, CAPACITY_EXHAUSTED, BELOW_THRESHOLD, OUTCOMPETED, UNIT_LIMIT"
    )
    sentence: str
    best: MatchCandidate | None
    taken_by: list[strawberry.ID] = strawberry.field(
        description="demands that took its candidates' capacity"
    )


@strawberry.type
class PlanStats:
    demands: int
    resources: int
    arcs: int
    assigned: int
    total_score: float
    spread_penalty: float
    solve_seconds: float
    score_seconds: float


@strawberry.type(description="a proposed project list for a joint meeting (联席会议)")
class AllocationPlan:
    scope_id: strawberry.ID
    items: list[PlanItem]
    unmet: list[UnmetDemand]
    stats: PlanStats
    empty: EmptyReason | None = strawberry.field(description="why nothing was assigned, if so")


def plan_object(p: m.Plan) -> AllocationPlan:
    return AllocationPlan(
        scope_id=strawberry.ID(p.scopeId),
        items=[
            PlanItem(
                demand_id=strawberry.ID(i.demandId), resource_id=strawberry.ID(i.resourceId),
                unit_id=strawberry.ID(i.unitId), quantity=i.quantity,
                candidate=candidate_object(i.candidate),
            )
            for i in p.items
        ],
        unmet=[
            UnmetDemand(
                demand_id=strawberry.ID(u.demandId), title=u.title,
                community_id=strawberry.ID(u.communityId), category=u.category,
                urgency=u.urgency, matter_class=u.matterClass, reason=u.reason.value,
                sentence=u.sentence, best=candidate_object(u.best) if u.best else None,
                taken_by=[strawberry.ID(t) for t in u.takenBy],
            )
            for u in p.unmet
        ],
        stats=PlanStats(
            demands=p.stats.demands, resources=p.stats.resources, arcs=p.stats.arcs,
            assigned=p.stats.assigned, total_score=p.stats.totalScore,
            spread_penalty=p.stats.spreadPenalty, solve_seconds=p.stats.solveSeconds,
            score_seconds=p.stats.scoreSeconds,
        ),
        empty=empty_object(p.empty),
    )  # fmt: skip


@strawberry.input
class AcceptItemInput:
    demand_id: strawberry.ID
    resource_id: strawberry.ID
    quantity: int = 1
    name: str | None = strawberry.field(default=None, description="default: the demand's title")
    project_class: ProjectClass | None = None


@strawberry.type
class AcceptedItem:
    project_id: strawberry.ID
    demand_id: strawberry.ID
    resource_id: strawberry.ID
    unit_id: strawberry.ID
    quantity: int


@strawberry.type
class RejectedItem:
    demand_id: strawberry.ID
    resource_id: strawberry.ID
    code: str
    message: str


@strawberry.type(description="the projects a plan became (派单), and the items refused")
class AcceptPlanResult:
    accepted: list[AcceptedItem]
    rejected: list[RejectedItem]


def accept_object(r: m.AcceptResult) -> AcceptPlanResult:
    return AcceptPlanResult(
        accepted=[
            AcceptedItem(
                project_id=strawberry.ID(a.projectId), demand_id=strawberry.ID(a.demandId),
                resource_id=strawberry.ID(a.resourceId), unit_id=strawberry.ID(a.unitId),
                quantity=a.quantity,
            )
            for a in r.accepted
        ],
        rejected=[
            RejectedItem(
                demand_id=strawberry.ID(x.demandId), resource_id=strawberry.ID(x.resourceId),
                code=x.code, message=x.message,
            )
            for x in r.rejected
        ],
    )  # fmt: skip


@strawberry.type
class UnmetGroup:
    community_id: strawberry.ID
    community_name: str
    category: Category
    count: int
    urgent: int
    demand_ids: list[strawberry.ID]


@strawberry.type
class IdleResource:
    resource_id: strawberry.ID
    name: str
    unit_id: strawberry.ID
    unit_name: str
    category: Category
    capacity: int


@strawberry.type(description="报而不到 (ABSENT) or 到而不干 (IDLE)")
class AbsentUnit:
    unit_id: strawberry.ID
    unit_name: str
    community_id: strawberry.ID
    community_name: str
    lead: bool
    status: str
    projects: int
    sentence: str


@strawberry.type(description="a community whose 4+N structure is incomplete")
class StructureGap:
    community_id: strawberry.ID
    community_name: str
    missing: list[str]
    sentences: list[str]
    liaison_units: int
    lead_units: int
    compounds: int
    compounds_with_secretary: int


@strawberry.type(description="what a scope lacks: unmet demands, idle resources, absent units")
class GapReport:
    scope_id: strawberry.ID
    period_from: str | None
    period_to: str | None
    unmet: list[UnmetGroup]
    idle: list[IdleResource]
    absent: list[AbsentUnit]
    structure: list[StructureGap]
    empty: EmptyReason | None = strawberry.field(description="why the report holds nothing")


def gap_object(g: m.GapReport) -> GapReport:
    return GapReport(
        scope_id=strawberry.ID(g.scopeId), period_from=g.periodFrom, period_to=g.periodTo,
        unmet=[
            UnmetGroup(
                community_id=strawberry.ID(u.communityId), community_name=u.communityName,
                category=u.category, count=u.count, urgent=u.urgent,
                demand_ids=[strawberry.ID(d) for d in u.demandIds],
            )
            for u in g.unmet
        ],
        idle=[
            IdleResource(
                resource_id=strawberry.ID(i.resourceId), name=i.name,
                unit_id=strawberry.ID(i.unitId), unit_name=i.unitName, category=i.category,
                capacity=i.capacity,
            )
            for i in g.idle
        ],
        absent=[
            AbsentUnit(
                unit_id=strawberry.ID(a.unitId), unit_name=a.unitName,
                community_id=strawberry.ID(a.communityId), community_name=a.communityName,
                lead=a.lead, status=a.status.value, projects=a.projects, sentence=a.sentence,
            )
            for a in g.absent
        ],
        structure=[
            StructureGap(
                community_id=strawberry.ID(s.communityId), community_name=s.communityName,
                missing=[part.value for part in s.missing], sentences=s.sentences,
                liaison_units=s.liaisonUnits, lead_units=s.leadUnits, compounds=s.compounds,
                compounds_with_secretary=s.compoundsWithSecretary,
            )
            for s in g.structure
        ],
        empty=empty_object(g.empty),
    )  # fmt: skip


AcceptResult = Annotated[
    AcceptPlanResult | InvalidInputError | ForbiddenError | UnauthenticatedError,
    strawberry.union("AcceptPlanOutcome"),
]
PlanResult = Annotated[
    AllocationPlan | NotFoundError | InvalidInputError, strawberry.union("AllocationPlanResult")
]


@strawberry.type
class MatchingQuery:
    @strawberry.field(description="Which units' resources can meet this demand, ranked, explained")
    async def match_resources(
        self, info: Info, demand_id: strawberry.ID, first: int = 10
    ) -> list[MatchCandidate]:
        found = await scoped.resource_matches(info.context, demand_id, first)
        return [candidate_object(c) for c in found.candidates]

    @strawberry.field(description="接单: the open demands a resource could serve, ranked")
    async def match_demands(
        self, info: Info, resource_id: strawberry.ID, first: int = 10
    ) -> list[MatchCandidate]:
        found = await scoped.demand_matches(info.context, resource_id, first)
        return [candidate_object(c) for c in found.candidates]

    @strawberry.field(
        description="A proposed project list for a street's or county's joint meeting: "
        "resources assigned to open demands to maximize the total score, within capacity "
        "and service scope; the demands left unmet and why"
    )
    async def allocation_plan(
        self, info: Info, scope: str, options: PlanOptionsInput | None = None
    ) -> PlanResult:
        opts = m.PlanOptions(
            spread=options.spread, maxPerUnit=options.max_per_unit, minScore=options.min_score,
            candidatesPerDemand=options.candidates_per_demand, categories=options.categories,
            urgentOnly=options.urgent_only,
        ) if options else None  # fmt: skip
        return await outcome(  # type: ignore[return-value]
            scoped.allocation_plan(info.context, scope, opts), plan_object
        )

    @strawberry.field(
        description="Gaps of a scope: unmet demands by community and category, idle "
        "resources, units registered but delivering nothing, incomplete 4+N structures"
    )
    async def gaps(
        self, info: Info, scope: str, period_from: str | None = None, period_to: str | None = None
    ) -> GapReport:
        found = await scoped.gap_report(
            info.context, scope, period_from=period_from, period_to=period_to
        )
        return gap_object(found)


@strawberry.type
class MatchingMutation:
    @strawberry.mutation(description="Accept a plan (or part of it) into projects (派单)")
    async def accept_plan(self, info: Info, items: list[AcceptItemInput]) -> AcceptResult:
        async def work() -> m.AcceptResult:
            check_items("items", len(items), info.context.limits.plan_items)  # before anything
            wanted = [
                m.AcceptItem(
                    demandId=i.demand_id, resourceId=i.resource_id, quantity=i.quantity,
                    name=i.name, projectClass=i.project_class,
                )
                for i in items
            ]  # fmt: skip
            return await plans.accept(info.context, wanted)

        return await outcome(work(), accept_object)  # type: ignore[return-value]
