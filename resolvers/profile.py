"""A community's "4+N" structure and its buildings' 两长两员: what is there, what is missing.

"4+N": a first secretary (第一书记), the street's party secretary, the community's party
secretary, the compound branch secretaries, and N liaison units with one lead unit; the
lead unit's party head serves as part-time deputy secretary (兼职副书记). Only roles in
office today count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain import models
from domain.clock import today
from domain.errors import NotFound
from domain.vocab import BUILDING_ROLES, RoleKind
from graph.queries import profile as q
from resolvers.context import Context
from resolvers.liaison import Link


@dataclass(frozen=True)
class Post:
    """A role, as much of it as the profile needs."""

    id: str
    kind: RoleKind
    since: str | None
    until: str | None

    def active(self, day: str) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or self.until > day
        )


@dataclass(frozen=True)
class Profile:
    """Role ids per post of the 4+N structure, the liaison links, and what is missing."""

    first_secretary: str | None
    street_secretary: str | None
    community_secretary: str | None
    deputy_secretary: str | None
    compound_secretaries: list[str]
    links: list[Link]
    missing: list[str]

    @property
    def lead_unit_id(self) -> str | None:
        return next((link.unit_id for link in self.links if link.lead), None)


@dataclass(frozen=True)
class Gap:
    building: models.Building
    compound: str
    missing: list[RoleKind]


@dataclass(frozen=True)
class Coverage:
    buildings: int
    complete: int
    gaps: list[Gap]


_KINDS = {kind.value: kind for kind in RoleKind}


def _posts(items: list[dict[str, Any]] | None) -> list[Post]:
    return [
        Post(item["id"], _KINDS[item["kind"]], item.get("since"), item.get("until"))
        for item in items or ()
        if item and item.get("id") and item.get("kind") in _KINDS
    ]


def _holder(posts: list[Post], kind: RoleKind, day: str) -> str | None:
    """The role of that kind in office; the most recently started when there are several."""
    held = [p for p in posts if p.kind is kind and p.active(day)]
    held.sort(key=lambda p: (p.since or "", p.id), reverse=True)
    return held[0].id if held else None


def natural(text: str) -> tuple[tuple[int, str], ...]:
    """Sort key that puts 2栋 before 10栋."""
    return tuple(
        (int(part), "") if part.isdigit() else (0, part) for part in re.split(r"(\d+)", text)
    )


def four_plus_n(row: dict[str, Any]) -> Profile:
    """The 4+N profile of one community from the ``profile.four_plus_n`` row."""
    day = today().isoformat()
    own = _posts(row["communityRoles"])
    first = _holder(own, RoleKind.FIRST_SECRETARY, day)
    secretary = _holder(own, RoleKind.COMMUNITY_SECRETARY, day)
    deputy = _holder(own, RoleKind.DEPUTY_SECRETARY, day)
    street = _holder(_posts(row["streetRoles"]), RoleKind.STREET_SECRETARY, day)
    missing = [
        f"缺少{kind.label}"
        for kind, held in (
            (RoleKind.FIRST_SECRETARY, first),
            (RoleKind.STREET_SECRETARY, street),
            (RoleKind.COMMUNITY_SECRETARY, secretary),
            (RoleKind.DEPUTY_SECRETARY, deputy),
        )
        if held is None
    ]
    compounds = sorted(
        (c for c in row["compounds"] or () if c and c.get("id")),
        key=lambda c: natural(c.get("name") or ""),
    )
    compound_secretaries: list[str] = []
    for compound in compounds:
        held = _holder(_posts(compound["roles"]), RoleKind.COMPOUND_SECRETARY, day)
        if held is None:
            missing.append(f"小区“{compound['name']}”没有党支部书记")
        else:
            compound_secretaries.append(held)
    if not compounds:
        missing.append("没有登记小区，缺少小区党支部书记")
    links = [
        Link(unit_id=link["unitId"], community_id=row["key"], lead=bool(link["lead"]))
        for link in sorted(
            row["links"] or (), key=lambda x: (not x["lead"], x.get("unitName") or "", x["unitId"])
        )
    ]
    if not links:
        missing.append("没有联系单位")
    if not any(link.lead for link in links):
        missing.append("没有牵头单位")
    return Profile(first, street, secretary, deputy, compound_secretaries, links, missing)


def coverage(row: dict[str, Any]) -> Coverage:
    """两长两员 of every building of one community from the ``profile.building_coverage`` row."""
    day = today().isoformat()
    buildings = [b for b in row["buildings"] or () if b and b.get("building")]
    gaps: list[Gap] = []
    for item in buildings:
        present = {p.kind for p in _posts(item["roles"]) if p.active(day)}
        missing = [kind for kind in BUILDING_ROLES if kind not in present]
        if missing:
            building = models.Building.model_validate(item["building"])
            gaps.append(Gap(building, item.get("compound") or "", missing))
    gaps.sort(key=lambda g: (natural(g.compound), natural(g.building.name), g.building.id))
    return Coverage(buildings=len(buildings), complete=len(buildings) - len(gaps), gaps=gaps)


async def _readable(ctx: Context, community_id: str) -> None:
    """A community's structure names its people and units: NotFound outside the read
    scope (the community itself is shared; what hangs off it is not)."""
    if not await ctx.read.reads_place(community_id):
        raise NotFound(
            f"没有社区 {community_id} 的“4+N”信息：它不在你的读取范围内 "
            "(no 4+N structure of this community in your read scope)",
            field="profile",
        )


async def of_community(ctx: Context, community_id: str) -> Profile | None:
    """The community's 4+N structure, for callers who read the community's people."""
    await _readable(ctx, community_id)
    return await ctx.loaders.one(q.PROFILE, four_plus_n).load(community_id)


async def coverage_of(ctx: Context, community_id: str) -> Coverage | None:
    await _readable(ctx, community_id)
    return await ctx.loaders.one(q.COVERAGE, coverage).load(community_id)
