"""Liaison units (联系单位) of communities, and the one lead unit (牵头单位) of each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from access.policy import Target as ReadTarget
from domain import models
from domain.errors import InvalidInput, NotFound
from domain.ids import ancestor_codes, division_level, is_division_code
from graph.queries import liaison as q
from resolvers import units
from resolvers.context import Context
from resolvers.mutate import Target, Writer, perform, refuse_missing


@dataclass(frozen=True)
class Link:
    """A unit liaising with a community; ``lead`` marks the community's lead unit."""

    unit_id: str
    community_id: str
    lead: bool

    def read_targets(self) -> tuple[ReadTarget, ...]:
        """Read where the community is read, or by the unit's operator."""
        return (ReadTarget.at(self.community_id), ReadTarget(unit=self.unit_id))


def link(row: dict[str, Any]) -> Link:
    node = row["node"]
    return Link(unit_id=node["unitId"], community_id=node["communityId"], lead=bool(node["lead"]))


async def of_community(ctx: Context, community_id: str) -> list[Link]:
    """Lead unit first, then by unit name."""

    def build(row: dict[str, Any]) -> Link:
        units.prime(ctx, row["unit"])  # for LiaisonLink.unit
        return link(row)

    return await ctx.loaders.many(q.OF_COMMUNITY, build).load(community_id)


async def lead_unit(ctx: Context, community_id: str) -> models.Unit | None:
    """The community's one lead unit (牵头单位), None without one."""
    lead = next((k for k in await of_community(ctx, community_id) if k.lead), None)
    return await units.get(ctx, lead.unit_id) if lead else None


async def of_unit(ctx: Context, unit_id: str) -> list[Link]:
    """Communities the unit leads first, then by code."""
    return await ctx.loaders.many(q.OF_UNIT, link).load(unit_id)


def _community(code: str) -> str:
    if not is_division_code(code) or division_level(code) != "Community":
        raise InvalidInput(
            f"community 应为社区的 12 位区划代码，收到 {code!r} (a community's 12-digit code)",
            field="community",
        )
    return code


async def _located(ctx: Context, unit_id: str, community: str) -> tuple[dict[str, Any], Target]:
    """The link's state and its target; a unit or community that does not exist is
    refused like one outside the caller's scope."""
    [state] = await ctx.store.run(q.STATE, unitId=unit_id, communityId=community)
    unit = await units.locate(ctx, unit_id) if state["unit"] else None
    if unit is None or not state["community"]:
        raise refuse_missing(ctx, "LINK_UNIT")
    target = Target(
        "Community", community, ancestor_codes(community), unit_id=unit_id,
        unit_county=unit.countyId, details={"unitId": unit_id},
    )  # fmt: skip
    return state, target


async def link_unit(ctx: Context, unit_id: str, community: str, lead: bool | None) -> Link:
    """Link a unit to a community (or change its lead flag). ``lead=True`` makes it the
    community's only lead unit, taking the flag from the previous lead in the same
    statement; ``None`` keeps the flag the link has (none for a new link)."""
    community = _community(community)
    state, target = await _located(ctx, unit_id, community)
    lead_after = bool(state["lead"]) if lead is None else lead
    demoted = [
        other.unit_id
        for other in await of_community(ctx, community)
        if lead_after and other.lead and other.unit_id != unit_id
    ]

    async def run(write: Writer) -> Link:
        params = {"unitId": unit_id, "communityId": community, "lead": lead}
        after = {"linked": True, "lead": lead_after, "demoted": demoted}
        written = await write((q.LINK, params), after=after, lock_ids=[community])
        if written is None:
            raise refuse_missing(ctx, "LINK_UNIT")
        return Link(unit_id, community, bool(written[0][0]["lead"]))

    before = {"linked": state["linked"], "lead": state["lead"]}
    return await perform(ctx, "LINK_UNIT", target, run, before=before)


async def unlink_unit(ctx: Context, unit_id: str, community: str) -> str:
    """Remove a unit's liaison with a community; returns the community's id."""
    community = _community(community)
    state, target = await _located(ctx, unit_id, community)

    async def run(write: Writer) -> str:
        params = {"unitId": unit_id, "communityId": community}
        if await write((q.UNLINK, params), after={"linked": False}, lock_ids=[community]) is None:
            raise NotFound(
                f"单位 {unit_id} 不是社区 {community} 的联系单位 (the unit is not linked)",
                field="unitId",
            )
        return community

    before = {"linked": state["linked"], "lead": state["lead"]}
    return await perform(ctx, "LINK_UNIT", target, run, before=before)
