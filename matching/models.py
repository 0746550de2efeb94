"""What matching returns: pydantic models the GraphQL layer maps one to one.

Field names are camelCase, as GraphQL shows them. Every ``score`` equals the sum of
its reasons' ``contribution`` in list order, exactly (``Candidate`` checks it).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.vocab import Category, MatterClass, ProjectClass, ServiceScope, Urgency


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReasonKind(StrEnum):
    """The terms of a score; the value is what GraphQL shows, the label what planners read."""

    label: str

    def __new__(cls, value: str, label: str) -> ReasonKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    CATEGORY = "CATEGORY", "类别相容"
    BM25 = "BM25", "关键词"
    EMBEDDING = "EMBEDDING", "语义相似"
    LEAD = "LEAD", "牵头单位"
    LIAISON = "LIAISON", "联系单位"
    AGREEMENT = "AGREEMENT", "共建协议"
    PROXIMITY = "PROXIMITY", "驻地相近"
    SCOPE = "SCOPE", "服务范围"
    CAPACITY = "CAPACITY", "剩余容量"
    TRACK_RECORD = "TRACK_RECORD", "办结项目"
    EVALUATION = "EVALUATION", "评价"
    URGENCY = "URGENCY", "紧急程度"
    MATTER_CLASS = "MATTER_CLASS", "五事分类"


#: the three terms that measure whether a resource fits a demand at all
RELEVANCE_KINDS = frozenset({ReasonKind.CATEGORY, ReasonKind.BM25, ReasonKind.EMBEDDING})


class Reason(_Model):
    """One term of a score: ``contribution = weight × value``.

    For the relevance terms ``value`` is the signal; every other term is scaled by the
    candidate's relevance (``value = signal × relevance``) so it can raise a fitting
    resource but never make an unfitting one fit.
    """

    kind: ReasonKind
    label: str = Field(description="the kind in Chinese")
    weight: float
    signal: float = Field(description="the raw signal in [0, 1]")
    value: float = Field(description="the signal after relevance scaling, in [0, 1]")
    contribution: float
    sentence: str = Field(description="what a planner reads, in Chinese")


class Candidate(_Model):
    """A (demand, resource) pair, ranked, with the reasons of its score."""

    rank: int
    score: float
    demandId: str
    resourceId: str
    unitId: str
    resourceName: str
    unitName: str
    demandTitle: str
    communityId: str
    category: Category = Field(description="the resource's category")
    capacityLeft: int
    scope: ServiceScope = Field(description="how the resource reaches the demand's community")
    reasons: list[Reason]

    @model_validator(mode="after")
    def _score_is_the_sum(self) -> Candidate:
        total = sum(reason.contribution for reason in self.reasons)
        if total != self.score:
            raise ValueError(f"score {self.score} is not the sum of its reasons {total}")
        return self


class PlanOptions(_Model):
    """Options of an allocation plan; None takes the configured default."""

    spread: float = Field(
        0.0,
        ge=0,
        description="load spreading: the k-th project of one unit costs spread×(k-1) in score "
        "units; 0.02-0.1 moves near-ties to other units, larger values leave a demand unmet "
        "(UNIT_LIMIT) rather than give a unit yet another project",
    )
    maxPerUnit: int | None = Field(None, ge=1, description="at most this many projects a unit")
    minScore: float | None = Field(None, ge=0, description="pairs below this are never proposed")
    candidatesPerDemand: int | None = Field(None, ge=1)
    categories: list[Category] | None = Field(None, description="only demands of these")
    urgentOnly: bool = False


class PlanItem(_Model):
    """One proposed project: a resource assigned to a demand."""

    demandId: str
    resourceId: str
    unitId: str
    quantity: int = 1
    candidate: Candidate


class UnmetReason(StrEnum):
    NO_RESOURCE_IN_SCOPE = "NO_RESOURCE_IN_SCOPE"
    CAPACITY_EXHAUSTED = "CAPACITY_EXHAUSTED"
    BELOW_THRESHOLD = "BELOW_THRESHOLD"
    OUTCOMPETED = "OUTCOMPETED"
    UNIT_LIMIT = "UNIT_LIMIT"


class Unmet(_Model):
    demandId: str
    title: str
    communityId: str
    category: Category
    urgency: Urgency
    matterClass: MatterClass
    reason: UnmetReason
    sentence: str
    best: Candidate | None = Field(None, description="the best candidate it had, if any")
    takenBy: list[str] = Field(
        default_factory=list, description="demands that took its candidates' capacity"
    )


class PlanStats(_Model):
    demands: int
    resources: int
    arcs: int
    assigned: int
    totalScore: float
    spreadPenalty: float
    solveSeconds: float
    scoreSeconds: float


class EmptyCode(StrEnum):
    """Why a matching result holds nothing."""

    NO_RESOURCE_IN_SCOPE = "NO_RESOURCE_IN_SCOPE"
    NO_RELEVANT_RESOURCE = "NO_RELEVANT_RESOURCE"
    RESOURCE_NOT_AVAILABLE = "RESOURCE_NOT_AVAILABLE"
    NO_OPEN_DEMAND = "NO_OPEN_DEMAND"
    NO_RELEVANT_DEMAND = "NO_RELEVANT_DEMAND"
    NOTHING_ASSIGNED = "NOTHING_ASSIGNED"
    NO_COMMUNITY_IN_SCOPE = "NO_COMMUNITY_IN_SCOPE"
    NO_GAP = "NO_GAP"


class EmptyReason(_Model):
    """Why a result is empty: a stable code and the sentence a planner reads."""

    code: EmptyCode
    sentence: str


class Matches(_Model):
    """Ranked candidates, and when there are none, why."""

    candidates: list[Candidate]
    reason: EmptyReason | None = None


class Plan(_Model):
    scopeId: str
    options: PlanOptions
    items: list[PlanItem]
    unmet: list[Unmet]
    stats: PlanStats
    empty: EmptyReason | None = Field(None, description="why nothing was assigned, if so")


class AcceptItem(_Model):
    """A plan item to turn into a project (a PlanItem is one too)."""

    demandId: str
    resourceId: str
    quantity: int = Field(1, ge=1, le=1_000_000)
    name: str | None = Field(None, max_length=200, description="default: the demand's title")
    projectClass: ProjectClass | None = Field(None, description="default: from the category")


class AcceptedItem(_Model):
    projectId: str
    demandId: str
    resourceId: str
    unitId: str
    quantity: int


class RejectedItem(_Model):
    demandId: str
    resourceId: str
    code: str
    message: str


class AcceptResult(_Model):
    accepted: list[AcceptedItem]
    rejected: list[RejectedItem]


class UnmetGroup(_Model):
    """Open demands of one community and category."""

    communityId: str
    communityName: str
    category: Category
    count: int
    urgent: int
    demandIds: list[str]


class IdleResource(_Model):
    resourceId: str
    name: str
    unitId: str
    unitName: str
    category: Category
    capacity: int


class LiaisonStatus(StrEnum):
    ABSENT = "ABSENT"  # 报而不到: registered, no project at all in the period
    IDLE = "IDLE"  # 到而不干: projects in the period, none accepted


class AbsentUnit(_Model):
    unitId: str
    unitName: str
    communityId: str
    communityName: str
    lead: bool
    status: LiaisonStatus
    projects: int = Field(description="projects in the period, none accepted")
    sentence: str


class StructurePart(StrEnum):
    FIRST_SECRETARY = "FIRST_SECRETARY"
    STREET_SECRETARY = "STREET_SECRETARY"
    COMMUNITY_SECRETARY = "COMMUNITY_SECRETARY"
    COMPOUND_SECRETARY = "COMPOUND_SECRETARY"
    LIAISON_UNITS = "LIAISON_UNITS"
    LEAD_UNIT = "LEAD_UNIT"


class StructureGap(_Model):
    """A community whose "4+N" structure is incomplete, and what is missing."""

    communityId: str
    communityName: str
    missing: list[StructurePart]
    sentences: list[str]
    liaisonUnits: int
    leadUnits: int
    compounds: int
    compoundsWithSecretary: int


class GapReport(_Model):
    scopeId: str
    periodFrom: str | None
    periodTo: str | None
    unmet: list[UnmetGroup]
    idle: list[IdleResource]
    absent: list[AbsentUnit]
    structure: list[StructureGap]
    empty: EmptyReason | None = Field(None, description="why the report holds nothing, if so")
