"""Typed records of every concept in the graph, as the store hands them out.

Field names are the graph's property names (camelCase, as Cypher and GraphQL
use them); no driver record leaves ``graph/`` in any other form.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from domain.vocab import (
    Category,
    DemandStage,
    DemandStatus,
    EvaluationKind,
    MatterClass,
    PartyOrgKind,
    ProjectClass,
    ProjectStatus,
    ResourceStatus,
    RoleKind,
    ServiceScope,
    UnitKind,
    Urgency,
)


class Node(BaseModel):
    """A node: its own properties.

    Ids of related nodes (``streetId``, ``unitId`` ...) are filled when the query
        that produced the record fetched them; navigation goes through the graph."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    id: str
    createdAt: int = Field(description="epoch milliseconds")
    updatedAt: int = Field(description="epoch milliseconds")


class Place(Node):
    name: str


class County(Place):
    code: str
    province: str | None = None
    city: str | None = None
    kindWord: str | None = None


class Street(Place):
    code: str
    countyId: str | None = None


class Community(Place):
    code: str
    streetId: str | None = None
    households: int | None = None
    population: int | None = None
    declared: bool = Field(False, description="declared by a roster, not in the official list")


class Compound(Place):
    communityId: str | None = None
    old: bool = False


class Building(Place):
    compoundId: str | None = None
    households: int | None = None


class Grid(Place):
    communityId: str | None = None
    level: int = 4


class PartyOrganization(Node):
    name: str
    kind: PartyOrgKind


class Unit(Node):
    name: str
    kind: UnitKind
    kindGiven: str | None = None
    kindLabel: str | None = None
    countyId: str
    partyOrgName: str | None = None
    phone: str | None = None


class Person(Node):
    name: str
    phone: str | None = None


class Role(Node):
    kind: RoleKind
    personId: str
    placeId: str
    title: str | None = Field(None, description="单位及职务: the person's post elsewhere")
    unitId: str | None = None
    since: str | None = Field(None, description="ISO date")
    #: the 任职日期 cell as written when it was not a whole date
    sinceGiven: str | None = None
    #: a 双报到 member's work unit as written, when it is no unit of the graph
    unitGiven: str | None = None
    until: str | None = None
    claimedItems: list[str] = Field(default_factory=list)
    placeCodes: list[str] = Field(
        default_factory=list,
        description="division codes of the role's place and those above it, and of its "
        "party organization's unit's county: where the role sits, for the read scope",
    )
    serviceHours: float | None = None


class Resource(Node):
    name: str
    category: Category
    categoryGiven: str | None = Field(None, description="the category as written, when unknown")
    categoryInferred: bool = False
    categoryConfidence: float | None = None
    #: how the inferred category was decided: LEXICAL (at load, to be refined) or STACKED
    categoryInferredBy: str | None = None
    description: str = ""
    capacity: int = 1
    allocated: int = 0
    measure: str | None = None
    scope: ServiceScope = ServiceScope.COUNTY
    scopeIds: list[str] = Field(default_factory=list)
    availableTime: str | None = None
    contactName: str | None = None
    contactPhone: str | None = None
    status: ResourceStatus = ResourceStatus.AVAILABLE
    unitId: str
    unitCountyId: str | None = None

    @property
    def capacityLeft(self) -> int:
        return max(self.capacity - self.allocated, 0)


class Demand(Node):
    title: str
    description: str = ""
    category: Category
    categoryGiven: str | None = None
    #: the category was inferred from the text (``matching.classify``), not given
    categoryInferred: bool = False
    categoryConfidence: float | None = None
    #: which stage decided an inferred category: LEXICAL (the load's lexical decision,
    #: refined after the load: ``loaders.refine``) or STACKED (``matching.classify``'s)
    categoryInferredBy: str | None = None
    matterClass: MatterClass
    matterClassInferred: bool = False
    urgency: Urgency = Urgency.NORMAL
    urgencyInferred: bool = False
    status: DemandStatus = DemandStatus.OPEN
    households: int | None = None
    collectorName: str | None = None
    collectedOn: str | None = None
    #: the 收集日期 cell as written when it was not a whole date (10月15日, 近期)
    collectedOnGiven: str | None = None
    source: str | None = None
    communityId: str
    placeId: str
    #: 办理 stage (docs/closed-loop.md); REPORTED for a demand never dispatched
    stage: DemandStage = DemandStage.REPORTED
    #: the units dispatched to or summoned for it (they read it)
    unitIds: list[str] = Field(default_factory=list)


class Project(Node):
    name: str
    projectClass: ProjectClass
    status: ProjectStatus
    communityId: str
    leadUnitId: str | None = None
    partnerUnitIds: list[str] = Field(
        default_factory=list, description="units that joined the project (JOINED_BY)"
    )
    startDate: str | None = None
    endDate: str | None = None
    #: the date cells as written when they were not whole dates (12月底)
    startDateGiven: str | None = None
    endDateGiven: str | None = None


class Agreement(Node):
    title: str
    unitId: str
    communityId: str
    signedOn: str | None = None
    content: str = ""


class Meeting(Node):
    title: str
    placeId: str
    heldOn: str
    cadence: str | None = Field(None, description="monthly, quarterly, half-yearly")
    minutes: str = ""


class Evaluation(Node):
    kind: EvaluationKind
    targetId: str
    score: float
    period: str | None = None
    comment: str = ""
    targetCodes: list[str] = Field(
        default_factory=list, description="the evaluated project's community, unit's county"
    )
    targetUnitIds: list[str] = Field(
        default_factory=list, description="the evaluated unit, or the project's units"
    )


class Alliance(Node):
    name: str
    countyId: str
