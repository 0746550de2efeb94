"""The shape of the graph: labels, relationship types, indexes.

This is the allow-list from which any label or relationship type enters query
text, the list ``db migrate`` turns into indexes, and the schema the Neo4j
linter checks statements against.
"""

from __future__ import annotations

from dataclasses import dataclass

#: every node label; each carries a unique ``id`` and createdAt/updatedAt
LABELS: tuple[str, ...] = (
    "County",
    "Street",
    "Community",
    "Compound",
    "Building",
    "Grid",
    "PartyOrganization",
    "Unit",
    "Person",
    "Role",
    "Resource",
    "Demand",
    "Project",
    "Agreement",
    "Meeting",
    "Evaluation",
    "Alliance",
    "AuditEntry",
    "ApiToken",
    "Notice",
    "NoticeSequence",
    "WebhookCursor",
    "Delivery",
    # the closed loop (docs/closed-loop.md)
    "Assignment",
    "DemandEvent",
    "Chase",
    "Whistle",
    "Callback",
    "Member",
    "Wish",
    "ServiceLog",
)

PLACE_LABELS: tuple[str, ...] = ("County", "Street", "Community", "Compound", "Building", "Grid")


@dataclass(frozen=True)
class Rel:
    type: str
    start: tuple[str, ...]
    end: tuple[str, ...]
    doc: str


RELATIONSHIPS: tuple[Rel, ...] = (
    Rel(
        "PART_OF",
        ("Street", "Community", "Compound", "Building", "Grid"),
        ("County", "Street", "Community", "Compound"),
        "a place inside its parent place",
    ),
    Rel("IN_GRID", ("Building",), ("Grid",), "a building in a grid cell"),
    Rel("GOVERNS", ("PartyOrganization",), PLACE_LABELS, "a party organization of a place"),
    Rel(
        "BELONGS_TO",
        ("PartyOrganization",),
        ("PartyOrganization", "Unit"),
        "a branch under its committee, or a unit's own party organization",
    ),
    Rel("IN_COUNTY", ("Unit", "Alliance"), ("County",), "the county a unit belongs to (所属县)"),
    Rel("LIAISES_WITH", ("Unit",), ("Community",), "联系单位; property lead = 牵头单位"),
    Rel("LOCATED_IN", ("Unit",), ("Community", "Street"), "驻区单位: a unit sited in a place"),
    Rel("MEMBER_OF", ("Unit",), ("Alliance",), "党建联盟 membership; property seat"),
    Rel("HOLDS", ("Person",), ("Role",), "a person holds a role"),
    Rel(
        "AT",
        ("Role", "Demand"),
        (*PLACE_LABELS, "PartyOrganization"),
        "where a role is held / where a demand arose",
    ),
    Rel("FOR_UNIT", ("Role",), ("Unit",), "the unit a role-holder comes from"),
    Rel("WORKS_AT", ("Person",), ("Unit",), "a double-registered member's work unit"),
    Rel("OFFERS", ("Unit",), ("Resource",), "资源清单: a unit offers a resource"),
    Rel(
        "AVAILABLE_IN",
        ("Resource",),
        ("County", "Street", "Community"),
        "a resource's service scope",
    ),
    Rel(
        "FOR",
        ("Demand", "Whistle", "ServiceLog"),
        ("Community", "Demand", "Wish"),
        "the community a demand belongs to / the demand a whistle is blown for / what a service log served",
    ),
    Rel("COLLECTED_BY", ("Demand",), ("Person",), "the grid worker who collected a demand"),
    Rel("MEETS", ("Project",), ("Demand",), "a project answers a demand"),
    Rel("USES", ("Project",), ("Resource",), "a project takes capacity; property quantity"),
    Rel("LED_BY", ("Project",), ("Unit",), "the project's lead unit"),
    Rel("JOINED_BY", ("Project",), ("Unit",), "a participating unit"),
    Rel(
        "IN",
        ("Project", "Meeting", "Wish"),
        ("Community", "Street", "County"),
        "where a project runs, a meeting was held, a 微心愿 was posted",
    ),
    Rel("SIGNED", ("Unit",), ("Agreement",), "共建协议: the unit side"),
    Rel("WITH", ("Agreement",), ("Community",), "共建协议: the community side"),
    Rel("AGREED", ("Meeting",), ("Project",), "a joint meeting agreed a project"),
    Rel("DISCUSSED", ("Meeting",), ("Demand",), "a joint meeting discussed a demand"),
    Rel("EVALUATES", ("Evaluation",), ("Project", "Unit"), "an evaluation of a project or unit"),
    Rel("ASSIGNED", ("Demand",), ("Assignment",), "派单: one per dispatch or reopen"),
    Rel("TO", ("Assignment", "Chase"), ("Unit",), "the unit a dispatch or a chase goes to"),
    Rel("ON", ("DemandEvent",), ("Demand",), "a demand's timeline"),
    Rel("CHASES", ("Chase",), ("Demand",), "督办"),
    Rel("SUMMONS", ("Whistle",), ("Unit",), "吹哨: a summoned unit; due, respondedAt, response"),
    Rel("OF", ("Callback",), ("Demand",), "回访"),
    Rel("HOME_UNIT", ("Member",), ("Unit",), "双报到: the unit a member works at, reported to"),
    Rel("LIVES_IN", ("Member",), ("Community",), "双报到: the community a member reports to"),
    Rel("CLAIMED", ("Member",), ("Demand", "Wish"), "a member claimed a demand or 微心愿; at"),
    Rel("BY", ("ServiceLog",), ("Member",), "服务时长: the member who served"),
)

REL_TYPES: frozenset[str] = frozenset(rel.type for rel in RELATIONSHIPS)


@dataclass(frozen=True)
class FulltextIndex:
    """A Chinese full-text index over some text properties of one label."""

    label: str
    properties: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"fulltext_{self.label.lower()}"


#: exact-match indexes (besides the unique id every label has)
INDEXES: tuple[tuple[str, str], ...] = (
    ("County", "code"),
    ("Street", "code"),
    ("Community", "code"),
    ("County", "name"),
    ("Street", "name"),
    ("Community", "name"),
    ("Unit", "name"),
    ("Person", "name"),
    ("Demand", "status"),
    ("Resource", "status"),
    ("Project", "status"),
    ("Role", "kind"),
    ("Notice", "seq"),
    ("Delivery", "state"),
    ("Delivery", "noticeId"),
    ("Assignment", "demandId"),
    ("Assignment", "dispatchedAt"),
    ("Whistle", "at"),
)

FULLTEXT: tuple[FulltextIndex, ...] = (
    FulltextIndex("Demand", ("title", "description")),
    FulltextIndex("Resource", ("name", "description")),
    FulltextIndex("Unit", ("name",)),
    FulltextIndex("Community", ("name",)),
    FulltextIndex("Project", ("name",)),
)
FULLTEXT_LABELS: frozenset[str] = frozenset(index.label for index in FULLTEXT)
