"""双报到: register members, post and claim 微心愿, log and confirm service hours, and
read the confirmed totals per member and per home unit.

Every write goes through ``resolvers.mutate.perform`` (the policy decides, the audit
entry is written with it); every read through the loaders (the read scope admits).
Names and phones leave through ``resolvers.personal.reveal`` only (``schema.members``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import Field

from domain.clock import now_ms
from domain.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from domain.ids import PREFIXES, ancestor_codes, derived_id, division_level, pad_division_code
from domain.members import (
    FUTURE_SLACK,
    HoursTotals,
    Member,
    ServiceLog,
    Wish,
    moment_ms,
    period_of,
)
from domain.vocab import WishStatus
from graph import member_hours
from graph.cypher import Statement
from graph.queries import members as q
from resolvers import places, units
from resolvers.context import Context
from resolvers.inputs import Input, Name, Text, validate
from resolvers.mutate import Target, Writer, perform, refuse_missing
from resolvers.people import Phone, scope_prefix

#: hours one service entry may carry
MAX_HOURS = 24.0


def member(row: dict[str, Any]) -> Member:
    return Member.model_validate(row["node"])


def wish(row: dict[str, Any]) -> Wish:
    return Wish.model_validate(row["node"])


def service_log(row: dict[str, Any]) -> ServiceLog:
    return ServiceLog.model_validate(row["node"])


def _new_id(label: str) -> str:
    return f"{PREFIXES[label]}_{uuid.uuid4().hex[:20]}"


def _places(community: str) -> dict[str, str]:
    county, street, _ = ancestor_codes(community)
    return {"community": community, "street": street, "county": county}


# -- reads -------------------------------------------------------------------------------


async def get(ctx: Context, member_id: str) -> Member | None:
    return await ctx.loaders.one(q.MEMBER_GET, member, key="id").load(member_id)


async def in_community(ctx: Context, community: str) -> list[Member]:
    return await ctx.loaders.many(q.MEMBERS_IN_COMMUNITY, member).load(community)


async def get_wish(ctx: Context, wish_id: str) -> Wish | None:
    return await ctx.loaders.one(q.WISH_GET, wish, key="id").load(wish_id)


async def wishes_in(ctx: Context, community: str) -> list[Wish]:
    return await ctx.loaders.many(q.WISHES_IN_COMMUNITY, wish).load(community)


async def get_log(ctx: Context, log_id: str) -> ServiceLog | None:
    return await ctx.loaders.one(q.LOG_GET, service_log, key="id").load(log_id)


async def logs_of(ctx: Context, member_id: str) -> list[ServiceLog]:
    return await ctx.loaders.many(q.LOGS_OF_MEMBER, service_log).load(member_id)


async def claimed_ids(ctx: Context, member_id: str) -> list[str]:
    """Ids of the demands and 微心愿 the member claimed, newest first."""
    rows = await ctx.store.run(q.CLAIMED_BY, ids=[member_id])
    return [str(r["id"]) for r in rows]


async def _scope(ctx: Context, scope: str) -> tuple[str, str]:
    """A readable community, street or county code and its prefix."""
    prefix = scope_prefix(scope)
    full = pad_division_code(scope)
    if division_level(full) not in ("County", "Street", "Community") or not prefix:
        raise InvalidInput(f"scope 应为县、街道或社区的区划代码，收到 {scope!r}", field="scope")
    if not await ctx.read.reads_place(full):
        raise Forbidden(
            f"无权查看 {full} 的双报到服务时长 (that scope is outside what you may read)",
            field="scope",
        )
    return full, prefix


async def totals(
    ctx: Context, scope: str, start: str | None, end: str | None, month: str | None
) -> HoursTotals:
    """Confirmed hours under ``scope`` in the period, per home unit and per member."""
    period = period_of(start, end, month)
    full, prefix = await _scope(ctx, scope)
    return await member_hours.totals(ctx.store, full, prefix, period)


async def hours_of_unit(
    ctx: Context, unit_id: str, start: str | None, end: str | None, month: str | None
) -> tuple[float, int]:
    return await member_hours.of_unit(ctx.store, unit_id, period_of(start, end, month))


# -- members -----------------------------------------------------------------------------


class RegisterMember(Input):
    name: Name = Field(max_length=50)
    phone: Phone | None = None
    home_unit_id: str
    community_code: str


async def _community(ctx: Context, code: str, action: str, field: str) -> str:
    try:
        full = pad_division_code(code)
    except ValueError as e:
        raise InvalidInput(str(e), field=field) from e
    if division_level(full) != "Community":
        raise InvalidInput(f"{field} 应为社区的区划代码，收到 {code!r}", field=field)
    if await places.by_code(ctx, full) is None:
        raise refuse_missing(ctx, action)
    return full


async def register(ctx: Context, data: dict[str, Any]) -> Member:
    """双报到: an in-service party member reports to the community where they live."""
    inp = validate(RegisterMember, data)
    community = await _community(ctx, inp.community_code, "REGISTER_MEMBER", "communityCode")
    unit = await units.locate(ctx, inp.home_unit_id)
    if unit is None:
        raise refuse_missing(ctx, "REGISTER_MEMBER")
    member_id = derived_id("Member", community, inp.name, inp.phone or "")
    target = Target(
        "Member", member_id, ancestor_codes(community), unit_id=unit.id, unit_county=unit.countyId
    )

    async def run(write: Writer) -> Member:
        if await ctx.store.run(q.MEMBER_GET, ids=[member_id]):
            raise Conflict("该党员已在该社区报到 (this member is registered here)", field="name")
        props: dict[str, Any] = {"name": inp.name, "homeUnitId": unit.id, **_places(community)}
        if inp.phone:
            props["phone"] = inp.phone
        params = {"id": member_id, "unitId": unit.id, "community": community, "props": props,
                  "now": now_ms()}  # fmt: skip
        # the audit entry keeps where, never who: no name or phone
        after = {"homeUnitId": unit.id, "community": community}
        if await write((q.CREATE_MEMBER, params), after=after, lock_ids=[member_id]) is None:
            raise refuse_missing(ctx, "REGISTER_MEMBER")
        return member((await ctx.store.run(q.MEMBER_GET, ids=[member_id]))[0])

    return await perform(ctx, "REGISTER_MEMBER", target, run)


M = TypeVar("M")


async def _located(
    ctx: Context, stmt: Statement, build: Callable[[dict[str, Any]], M], id: str, action: str
) -> M:
    """The object as stored (the write path), or ``action`` refused as missing."""
    found = await ctx.loaders.one(stmt, build, unscoped=True, key="id").load(id)
    if found is None:
        raise refuse_missing(ctx, action)
    return found


# -- 微心愿 ------------------------------------------------------------------------------


class AddWish(Input):
    community_code: str
    title: Name = Field(max_length=200)
    description: Text = Field("", max_length=5000)


async def add_wish(ctx: Context, data: dict[str, Any]) -> Wish:
    """微心愿: the community posts a small wish for its members to claim."""
    inp = validate(AddWish, data)
    community = await _community(ctx, inp.community_code, "ADD_WISH", "communityCode")
    wish_id = _new_id("Wish")
    target = Target("Wish", wish_id, ancestor_codes(community))

    async def run(write: Writer) -> Wish:
        props = {"title": inp.title, "description": inp.description, **_places(community)}
        params = {"id": wish_id, "community": community, "props": props, "now": now_ms()}
        if await write((q.CREATE_WISH, params), after=props) is None:
            raise refuse_missing(ctx, "ADD_WISH")
        return wish((await ctx.store.run(q.WISH_GET, ids=[wish_id]))[0])

    return await perform(ctx, "ADD_WISH", target, run)


def _wish_moves(found: Wish, to: WishStatus) -> None:
    wanted = WishStatus.OPEN if to is WishStatus.CLAIMED else WishStatus.CLAIMED
    if found.status is not wanted:
        raise IllegalTransition(
            f"微心愿{found.status.label}，不能{'认领' if to is WishStatus.CLAIMED else '完成'} "
            f"(a {found.status.value} wish cannot become {to.value})",
            allowed=[wanted.value],
        )


async def claim_wish(ctx: Context, wish_id: str, member_id: str) -> Wish:
    """A member of the wish's community claims an open 微心愿 (CLAIMED)."""
    found = await _located(ctx, q.WISH_GET, wish, wish_id, "CLAIM_WISH")
    target = Target("Wish", wish_id, ancestor_codes(found.community))

    async def run(write: Writer) -> Wish:
        _wish_moves(found, WishStatus.CLAIMED)
        claimer = await _located(ctx, q.MEMBER_GET, member, member_id, "CLAIM_WISH")
        if claimer.community != found.community:
            raise NotFound("该党员不在此微心愿的社区报到 (no such member there)", field="memberId")
        params = {"wishId": wish_id, "memberId": member_id, "now": now_ms()}
        after = {"status": WishStatus.CLAIMED.value, "memberId": member_id}
        if await write((q.CLAIM_WISH, params), after=after, lock_ids=[wish_id]) is None:
            raise Conflict("微心愿已被认领 (the wish was claimed meanwhile)", field="wishId")
        return wish((await ctx.store.run(q.WISH_GET, ids=[wish_id]))[0])

    before = {"status": found.status.value}
    return await perform(ctx, "CLAIM_WISH", target, run, before=before)


async def finish_wish(ctx: Context, wish_id: str) -> Wish:
    """A claimed 微心愿 is fulfilled (DONE)."""
    found = await _located(ctx, q.WISH_GET, wish, wish_id, "FINISH_WISH")
    target = Target("Wish", wish_id, ancestor_codes(found.community))

    async def run(write: Writer) -> Wish:
        _wish_moves(found, WishStatus.DONE)
        params = {"wishId": wish_id, "now": now_ms()}
        after = {"status": WishStatus.DONE.value}
        if await write((q.FINISH_WISH, params), after=after, lock_ids=[wish_id]) is None:
            raise Conflict("微心愿状态已变化 (the wish changed meanwhile)", field="wishId")
        return wish((await ctx.store.run(q.WISH_GET, ids=[wish_id]))[0])

    before = {"status": found.status.value}
    return await perform(ctx, "FINISH_WISH", target, run, before=before)


# -- a member claims a demand ------------------------------------------------------------


async def _demand_community(ctx: Context, demand_id: str, action: str) -> str:
    rows = await ctx.store.run(q.DEMAND_COMMUNITY, id=demand_id)
    if not rows:
        raise refuse_missing(ctx, action)
    return str(rows[0]["community"])


async def claim_demand(ctx: Context, demand_id: str, member_id: str) -> Member:
    """A member claims a demand of the community they live in: a CLAIMED relationship;
    the demand's workflow stage stays as it is."""
    community = await _demand_community(ctx, demand_id, "CLAIM_DEMAND")
    target = Target("Demand", demand_id, ancestor_codes(community))

    async def run(write: Writer) -> Member:
        claimer = await _located(ctx, q.MEMBER_GET, member, member_id, "CLAIM_DEMAND")
        if claimer.community != community:
            raise NotFound("该党员不在此需求的社区报到 (no such member there)", field="memberId")
        if demand_id in await claimed_ids(ctx, member_id):
            raise Conflict("该党员已认领此需求 (already claimed)", field="demandId")
        params = {"demandId": demand_id, "memberId": member_id, "now": now_ms()}
        after = {"claimedBy": member_id}
        if await write((q.CLAIM_DEMAND, params), after=after, lock_ids=[demand_id]) is None:
            raise refuse_missing(ctx, "CLAIM_DEMAND")
        return claimer

    return await perform(ctx, "CLAIM_DEMAND", target, run)


# -- service hours -----------------------------------------------------------------------


class LogService(Input):
    member_id: str
    target_id: str
    hours: float
    at: Text | None = Field(None, max_length=40, description="ISO date or date-time")
    note: Text = Field("", max_length=2000)


def _check_hours(hours: float) -> float:
    if not 0 < hours <= MAX_HOURS:
        raise InvalidInput(
            f"每条服务时长应大于 0 小时且不超过 {MAX_HOURS:g} 小时，收到 {hours:g} "
            f"(hours per entry: more than 0, at most {MAX_HOURS:g})",
            field="hours",
        )
    return hours


async def log_service(ctx: Context, data: dict[str, Any]) -> ServiceLog:
    """服务时长: hours a member served on a demand or a 微心愿 of their community;
    counted once the community confirms them."""
    inp = validate(LogService, data)
    hours = _check_hours(inp.hours)
    now = now_ms()
    at = moment_ms(inp.at) if inp.at else now
    if at > now + FUTURE_SLACK.total_seconds() * 1000:
        raise InvalidInput("服务时间不能晚于现在 (the service lies in the future)", field="at")
    served = await _located(ctx, q.MEMBER_GET, member, inp.member_id, "LOG_SERVICE")
    label, community = await _served_target(ctx, inp.target_id)
    log_id = _new_id("ServiceLog")
    target = Target("ServiceLog", log_id, ancestor_codes(served.community))

    async def run(write: Writer) -> ServiceLog:
        if community != served.community:
            raise NotFound(
                "服务对象不在该党员报到的社区 (no such demand or wish there)", field="targetId"
            )
        props = {"memberId": served.id, "targetId": inp.target_id, "hours": hours, "at": at,
                 "note": inp.note, "homeUnitId": served.homeUnitId, **_places(served.community)}  # fmt: skip
        params = {"id": log_id, "memberId": served.id, "targetId": inp.target_id,
                  "props": props, "now": now}  # fmt: skip
        after = {k: v for k, v in props.items() if k != "note"}
        if await write((q.LOG_SERVICE[label], params), after=after) is None:
            raise refuse_missing(ctx, "LOG_SERVICE")
        return service_log((await ctx.store.run(q.LOG_GET, ids=[log_id]))[0])

    return await perform(ctx, "LOG_SERVICE", target, run)


async def _served_target(ctx: Context, target_id: str) -> tuple[str, str | None]:
    """The label of what was served (a demand or a wish) and its community."""
    if target_id.startswith(PREFIXES["Wish"] + "_"):
        found = await ctx.loaders.one(q.WISH_GET, wish, unscoped=True, key="id").load(target_id)
        return "Wish", found.community if found else None
    if target_id.startswith(PREFIXES["Demand"] + "_"):
        rows = await ctx.store.run(q.DEMAND_COMMUNITY, id=target_id)
        return "Demand", str(rows[0]["community"]) if rows else None
    raise InvalidInput(
        f"targetId 应为需求或微心愿的编号，收到 {target_id!r} (a demand or wish id)",
        field="targetId",
    )


async def confirm_service(ctx: Context, log_id: str) -> ServiceLog:
    """The community confirms a service log: its hours count from now on."""
    found = await _located(ctx, q.LOG_GET, service_log, log_id, "CONFIRM_SERVICE")
    target = Target("ServiceLog", log_id, ancestor_codes(found.community))

    async def run(write: Writer) -> ServiceLog:
        if found.confirmedAt is not None:
            raise Conflict("该服务时长已确认 (already confirmed)", field="logId")
        params = {"id": log_id, "now": now_ms()}
        if await write((q.CONFIRM_SERVICE, params), after={"confirmed": True},
                       lock_ids=[log_id]) is None:  # fmt: skip
            raise Conflict("该服务时长已确认 (already confirmed)", field="logId")
        return service_log((await ctx.store.run(q.LOG_GET, ids=[log_id]))[0])

    return await perform(ctx, "CONFIRM_SERVICE", target, run, before={"confirmed": False})
