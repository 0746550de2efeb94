"""Gap analytics for a scope: unmet demands, idle resources, liaison units that do not
deliver (报而不到、到而不干) and communities whose "4+N" structure is incomplete.

Pure functions over plain records; ``resolvers.matching.gap_report`` fetches them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from domain.clock import CHINA
from domain.vocab import Category, ProjectStatus, RoleKind
from matching.models import (
    AbsentUnit,
    LiaisonStatus,
    StructureGap,
    StructurePart,
    UnmetGroup,
)

#: a liaison unit has delivered when one of its projects reached 接单 or beyond
ACCEPTED = frozenset(
    {ProjectStatus.ACCEPTED, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE, ProjectStatus.EVALUATED}
)

#: the four roles of "4+N"
FOUR: dict[RoleKind, StructurePart] = {
    RoleKind.FIRST_SECRETARY: StructurePart.FIRST_SECRETARY,
    RoleKind.STREET_SECRETARY: StructurePart.STREET_SECRETARY,
    RoleKind.COMMUNITY_SECRETARY: StructurePart.COMMUNITY_SECRETARY,
    RoleKind.COMPOUND_SECRETARY: StructurePart.COMPOUND_SECRETARY,
}


@dataclass(frozen=True, slots=True)
class OpenDemand:
    id: str
    community_id: str
    category: Category
    urgent: bool = False


def unmet_groups(
    demands: Iterable[OpenDemand], names: Mapping[str, str], *, sample: int = 20
) -> list[UnmetGroup]:
    """Open demands counted by community and category, largest groups first."""
    groups: dict[tuple[str, Category], list[OpenDemand]] = defaultdict(list)
    for demand in demands:
        groups[(demand.community_id, demand.category)].append(demand)
    out = [
        UnmetGroup(
            communityId=community,
            communityName=names.get(community, ""),
            category=category,
            count=len(members),
            urgent=sum(d.urgent for d in members),
            demandIds=sorted(d.id for d in members)[:sample],
        )
        for (community, category), members in groups.items()
    ]
    out.sort(key=lambda g: (-g.count, -g.urgent, g.communityId, g.category.value))
    return out


@dataclass(frozen=True, slots=True)
class ProjectStamp:
    id: str
    status: ProjectStatus
    start_date: str | None = None
    created_at: int | None = None

    @property
    def day(self) -> str | None:
        """The project's date (its start, else when it was recorded), ISO."""
        if self.start_date:
            return self.start_date[:10]
        if self.created_at is not None:
            return datetime.fromtimestamp(self.created_at / 1000, tz=CHINA).date().isoformat()
        return None


@dataclass(frozen=True, slots=True)
class Liaison:
    unit_id: str
    unit_name: str
    community_id: str
    lead: bool
    projects: tuple[ProjectStamp, ...] = ()


def _in_period(project: ProjectStamp, start: str | None, end: str | None) -> bool:
    day = project.day
    if day is None:
        return True  # undated: given the benefit of the doubt
    return (start is None or day >= start) and (end is None or day <= end)


def absent_units(
    liaisons: Iterable[Liaison],
    names: Mapping[str, str],
    *,
    period_from: str | None = None,
    period_to: str | None = None,
) -> list[AbsentUnit]:
    """Liaison units with no accepted project in their community in the period.

    ABSENT (报而不到): no project there at all; IDLE (到而不干): projects, none accepted.
    """
    out: list[AbsentUnit] = []
    for liaison in liaisons:
        projects = [p for p in liaison.projects if _in_period(p, period_from, period_to)]
        if any(p.status in ACCEPTED for p in projects):
            continue
        place = names.get(liaison.community_id, liaison.community_id)
        role = "牵头单位" if liaison.lead else "联系单位"
        if projects:
            status = LiaisonStatus.IDLE
            sentence = f"{liaison.unit_name}是{place}的{role}，期内有 {len(projects)} 个项目但无一接单（到而不干）"
        else:
            status = LiaisonStatus.ABSENT
            sentence = f"{liaison.unit_name}是{place}的{role}，期内没有任何项目（报而不到）"
        out.append(
            AbsentUnit(
                unitId=liaison.unit_id,
                unitName=liaison.unit_name,
                communityId=liaison.community_id,
                communityName=names.get(liaison.community_id, ""),
                lead=liaison.lead,
                status=status,
                projects=len(projects),
                sentence=sentence,
            )
        )
    out.sort(key=lambda a: (not a.lead, a.status.value, a.communityId, a.unitId))
    return out


@dataclass(frozen=True, slots=True)
class HeldRole:
    kind: RoleKind
    place_id: str
    until: str | None = None


@dataclass
class Structure:
    """What a community's "4+N" has: held roles (at it, its street, its compounds),
    its compounds and its liaison units."""

    community_id: str
    name: str
    roles: list[HeldRole] = field(default_factory=list)
    compounds: int = 0
    liaisons: int = 0
    leads: int = 0


def structure_gaps(structures: Iterable[Structure], *, today: str) -> list[StructureGap]:
    """Communities missing part of "4+N", and what; roles that ended before today do not count."""
    out: list[StructureGap] = []
    for s in structures:
        current = [r for r in s.roles if r.until is None or r.until >= today]
        kinds = {r.kind for r in current}
        with_secretary = len({r.place_id for r in current if r.kind == RoleKind.COMPOUND_SECRETARY})
        missing: list[StructurePart] = []
        sentences: list[str] = []
        for kind in (
            RoleKind.FIRST_SECRETARY,
            RoleKind.STREET_SECRETARY,
            RoleKind.COMMUNITY_SECRETARY,
        ):
            if kind not in kinds:
                missing.append(FOUR[kind])
                sentences.append(f"缺{kind.label}")
        if s.compounds == 0 or with_secretary < s.compounds:
            missing.append(StructurePart.COMPOUND_SECRETARY)
            sentences.append(
                "未登记小区，小区党支部书记无从落实"
                if s.compounds == 0
                else f"{s.compounds} 个小区中有 {s.compounds - with_secretary} 个缺小区党支部书记"
            )
        if s.liaisons == 0:
            missing.append(StructurePart.LIAISON_UNITS)
            sentences.append("没有联系单位（“N”为零）")
        if s.leads != 1:
            missing.append(StructurePart.LEAD_UNIT)
            sentences.append(
                "未明确牵头单位" if s.leads == 0 else f"牵头单位不唯一（{s.leads} 个）"
            )
        if missing:
            out.append(
                StructureGap(
                    communityId=s.community_id,
                    communityName=s.name,
                    missing=missing,
                    sentences=sentences,
                    liaisonUnits=s.liaisons,
                    leadUnits=s.leads,
                    compounds=s.compounds,
                    compoundsWithSecretary=with_secretary,
                )
            )
    out.sort(key=lambda g: (-len(g.missing), g.communityId))
    return out
