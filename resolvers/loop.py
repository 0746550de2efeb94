"""The closed loop's workflow (docs/closed-loop.md): 派单 接单 实施 办结 退回 重办, 督办,
吹哨 and 报到, 回访; and the overdue sweep.

Every move goes through ``resolvers.mutate.perform`` (who may: ``access.policy``), as
one atomic unit: the write checks the stage the caller saw, creates its DemandEvent,
carries its audit entry, and appends the notice the move causes (a guarded ``rest``
step: written if and only if the move was). A move the stage does not allow is an
IllegalTransition that names the stage and the moves it allows.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field

from access.policy import Action
from access.policy import Target as AccessTarget
from domain import loop, models
from domain.clock import now_ms
from domain.errors import Conflict, InvalidInput
from domain.timelimits import current
from domain.vocab import CallbackRating, DemandStatus, NoticeKind, WhistleLevel
from graph.cypher import Statement
from graph.queries import loop as q
from graph.store import Store
from notices.outbox import append_step
from resolvers import demands, units
from resolvers.context import Context
from resolvers.inputs import Input, Name, Text, validate
from resolvers.limits import check_items
from resolvers.loop_state import EVENTS, MOVES, S, State, check_stage, state
from resolvers.mutate import Target, Writer, perform, refuse_missing

MAX_SUMMONED = 20


_order = itertools.count()


def new_id(prefix: str) -> str:
    """An id for a loop node (an event, not a natural key: never derived). Ids made by
    one process sort in the order it made them (a callback's event before the reopen's,
    both at the same millisecond)."""
    return f"{prefix}_{now_ms():013d}{next(_order) % 1_000_000:06d}{secrets.token_hex(4)}"


class _Note(Input):
    note: Text | None = Field(None, max_length=2000)


class _Reason(Input):
    reason: Name = Field(max_length=2000)


class _Whistle(Input):
    level: WhistleLevel
    unit_ids: list[str] = Field(min_length=1)
    note: Text | None = Field(None, max_length=2000)


class _Callback(Input):
    rating: CallbackRating
    comment: Text | None = Field(None, max_length=2000)


def _event(ctx: Context, found: State, action: Action, now: int, **extra: Any) -> dict[str, Any]:
    props = {
        "kind": EVENTS[action],
        "demandId": found.demand.id,
        "at": now,
        "actorRole": ctx.principal.role.value if ctx.principal.role else None,
        "actorScope": ctx.principal.scope,
        **found.places,
        **extra,
    }
    return {k: v for k, v in props.items() if v is not None}


def _notice(kind: NoticeKind, found: State, now: int, unit_id: str, **payload: Any) -> Any:
    """The notice step; its payload holds ids, codes and times only (no personal data)."""
    return append_step(
        kind.value, at=now, demand_id=found.demand.id, unit_id=unit_id, **found.places,
        payload={"demandId": found.demand.id, "stage": found.demand.stage.value, **payload},
    )  # fmt: skip


def _base(found: State, action: Action, now: int, ctx: Context, **extra: Any) -> dict[str, Any]:
    return {
        "id": found.demand.id,
        "fromStage": found.demand.stage.value,
        "now": now,
        "eventId": new_id("evt"),
        "event": _event(ctx, found, action, now, **extra),
    }


async def _unit_target(ctx: Context, unit_id: str, action: str) -> AccessTarget:
    unit = await units.locate(ctx, unit_id)
    if unit is None:
        raise refuse_missing(ctx, action)
    return AccessTarget.of_unit(unit.id, unit.countyId)


async def _done(
    ctx: Context, write: Writer, found: State, first: tuple[Statement, Mapping[str, Any]],
    *rest: tuple[Statement, Mapping[str, Any]], after: dict[str, Any],
) -> models.Demand:  # fmt: skip
    lock = (q.LOCK, {"id": found.demand.id})
    if await write(first, *rest, after=after, prior=[lock]) is None:
        raise Conflict(
            "需求刚被别人办理过，请刷新后重试 (the demand changed meanwhile)", field="id"
        )
    reloaded = await demands.get_stored(ctx.store, found.demand.id)
    return reloaded


def _assign_params(
    ctx: Context, found: State, unit_id: str, now: int, *, reopened: bool, note: str | None,
    action: Action,
) -> dict[str, Any]:  # fmt: skip
    accept_due, finish_due = current().deadlines(
        found.demand.urgency, found.demand.matterClass, at=now, reopened=reopened
    )
    assignment = {
        "demandId": found.demand.id, "unitId": unit_id, "dispatchedAt": now,
        "acceptDue": accept_due, "finishDue": finish_due, "reopened": reopened,
        "overdueNotified": False, **found.places,
    }  # fmt: skip
    return {
        **_base(found, action, now, ctx, unitId=unit_id, note=note),
        "unitId": unit_id,
        "status": DemandStatus.OPEN.value if reopened else None,
        "assignmentId": new_id("asg"),
        "assignment": assignment,
    }


async def dispatch(ctx: Context, demand_id: str, unit_id: str, note: str | None) -> models.Demand:
    """派单: an admin of the demand's place dispatches it to a unit of the county."""
    text = validate(_Note, {"note": note}).note
    found = await state(ctx, demand_id, "DISPATCH_DEMAND")
    unit = await _unit_target(ctx, unit_id, "DISPATCH_DEMAND")
    target = Target("Demand", demand_id, found.codes, touches=(unit,))

    async def run(write: Writer) -> models.Demand:
        check_stage(found, Action.DISPATCH_DEMAND)
        now = now_ms()
        params = _assign_params(ctx, found, unit_id, now, reopened=False, note=text,
                                action=Action.DISPATCH_DEMAND)  # fmt: skip
        due = params["assignment"]
        notice = _notice(NoticeKind.DISPATCHED, found, now, unit_id,
                         acceptDue=due["acceptDue"], finishDue=due["finishDue"])  # fmt: skip
        return await _done(ctx, write, found, (q.ASSIGN, params), notice,
                           after={"stage": "DISPATCHED", "unitId": unit_id})  # fmt: skip

    return await perform(ctx, "DISPATCH_DEMAND", target, run, before={"stage": found.demand.stage})


async def _unit_move(
    ctx: Context, action: Action, demand_id: str, note: str | None, reason: str | None = None
) -> models.Demand:
    """接单, 实施, 办结, 退回: the operator of the unit the demand is dispatched to."""
    found = await state(ctx, demand_id, action.value)
    assignment = found.current
    if assignment is None or not assignment.open:
        # nothing is dispatched: no unit may move it (the stage error once authorized)
        target = Target("Demand", demand_id, found.codes)
    else:
        unit = await _unit_target(ctx, assignment.unitId, action.value)
        target = Target("Demand", demand_id, found.codes, unit_id=unit.unit,
                        unit_county=unit.unit_county)  # fmt: skip
    to, stamp = MOVES[action]

    async def run(write: Writer) -> models.Demand:
        check_stage(found, action)
        assert assignment is not None  # an allowed stage has an open assignment
        now = now_ms()
        changes: dict[str, Any] = {stamp: now}
        if reason is not None:
            changes["returnReason"] = reason
        params = {
            **_base(found, action, now, ctx, unitId=assignment.unitId, note=reason or note),
            "assignmentId": assignment.id, "toStage": to.value, "assignment": changes,
            "status": DemandStatus.RESOLVED.value if to is S.DONE else None,
        }  # fmt: skip
        return await _done(ctx, write, found, (q.MOVE, params), after={"stage": to.value})

    return await perform(ctx, action.value, target, run, before={"stage": found.demand.stage})


async def accept(ctx: Context, demand_id: str, note: str | None) -> models.Demand:
    return await _unit_move(ctx, Action.ACCEPT_DEMAND, demand_id, _note(note))


async def start(ctx: Context, demand_id: str, note: str | None) -> models.Demand:
    return await _unit_move(ctx, Action.START_DEMAND, demand_id, _note(note))


async def finish(ctx: Context, demand_id: str, note: str | None) -> models.Demand:
    return await _unit_move(ctx, Action.FINISH_DEMAND, demand_id, _note(note))


async def return_(ctx: Context, demand_id: str, reason: str) -> models.Demand:
    """退回: the unit gives the demand back to its community, with a reason (required)."""
    text = validate(_Reason, {"reason": reason}).reason
    return await _unit_move(ctx, Action.RETURN_DEMAND, demand_id, None, reason=text)


def _note(note: str | None) -> str | None:
    return validate(_Note, {"note": note}).note


def _reopen_step(
    ctx: Context, found: State, now: int, note: str | None, action: Action
) -> tuple[tuple[Statement, dict[str, Any]], Any]:
    """The new assignment (重办, to the same unit, with the reopen limits) and its notice."""
    last = found.current
    if last is None:
        raise InvalidInput("需求从未派单，不能重办 (never dispatched)", field="demandId")
    params = _assign_params(ctx, found, last.unitId, now, reopened=True, note=note,
                            action=Action.REOPEN_DEMAND)  # fmt: skip
    due = params["assignment"]
    notice = _notice(NoticeKind.REOPENED, found, now, last.unitId, cause=action.value,
                     acceptDue=due["acceptDue"], finishDue=due["finishDue"])  # fmt: skip
    return (q.ASSIGN, params), notice


async def reopen(ctx: Context, demand_id: str, note: str | None) -> models.Demand:
    """重办: an admin dispatches a done demand again to the same unit, with new limits."""
    text = _note(note)
    found = await state(ctx, demand_id, "REOPEN_DEMAND")
    target = Target("Demand", demand_id, found.codes)

    async def run(write: Writer) -> models.Demand:
        check_stage(found, Action.REOPEN_DEMAND)
        assign, notice = _reopen_step(ctx, found, now_ms(), text, Action.REOPEN_DEMAND)
        return await _done(ctx, write, found, assign, notice,
                           after={"stage": "DISPATCHED", "reopened": True})  # fmt: skip

    return await perform(ctx, "REOPEN_DEMAND", target, run, before={"stage": found.demand.stage})


async def chase(ctx: Context, demand_id: str, note: str | None) -> models.Demand:
    """督办: a street or county admin chases the unit the demand is dispatched to."""
    text = _note(note)
    found = await state(ctx, demand_id, "CHASE_DEMAND")
    target = Target("Demand", demand_id, found.codes)

    async def run(write: Writer) -> models.Demand:
        check_stage(found, Action.CHASE_DEMAND)
        assignment = found.current
        assert assignment is not None and assignment.open
        now = now_ms()
        by = {"byRole": ctx.principal.role.value if ctx.principal.role else None,
              "byScope": ctx.principal.scope}  # fmt: skip
        chase_props = {"at": now, "demandId": demand_id, "unitId": assignment.unitId,
                       "note": text, **by, **found.places}  # fmt: skip
        params = {
            **_base(found, Action.CHASE_DEMAND, now, ctx, unitId=assignment.unitId, note=text),
            "assignmentId": assignment.id, "chaseId": new_id("chs"),
            "chase": {k: v for k, v in chase_props.items() if v is not None},
        }  # fmt: skip
        overdue = assignment.overdue(now)
        notice = _notice(NoticeKind.CHASED, found, now, assignment.unitId, overdue=overdue)
        return await _done(ctx, write, found, (q.CHASE, params), notice,
                           after={"chased": assignment.unitId})  # fmt: skip

    return await perform(ctx, "CHASE_DEMAND", target, run)


async def whistle(
    ctx: Context, demand_id: str, level: WhistleLevel, unit_ids: Sequence[str], note: str | None
) -> models.Demand:
    """吹哨: a community whistles to its street (STREET), a street to the county (COUNTY),
    summoning units that must 报到 within their limit."""
    inp = validate(_Whistle, {"level": level, "unit_ids": list(unit_ids), "note": note})
    check_items("unitIds", len(inp.unit_ids), MAX_SUMMONED)
    summoned = list(dict.fromkeys(inp.unit_ids))
    action = f"WHISTLE_DEMAND:{inp.level.value}"
    found = await state(ctx, demand_id, action)
    touched = tuple([await _unit_target(ctx, u, action) for u in summoned])
    county, street, community = found.codes
    # the whistle is blown at the level that whistles: the community, or its street
    place = (county, street) if inp.level is WhistleLevel.COUNTY else found.codes
    target = Target("Demand", demand_id, place, touches=touched)

    async def run(write: Writer) -> models.Demand:
        check_stage(found, Action.WHISTLE_DEMAND)
        now = now_ms()
        due = current().respond_due(now)
        up = (community, street) if inp.level is WhistleLevel.STREET else (street, county)
        props = {"at": now, "demandId": demand_id, "level": inp.level.value,
                 "fromCode": up[0], "toCode": up[1], "note": inp.note, **found.places}  # fmt: skip
        params = {
            **_base(found, Action.WHISTLE_DEMAND, now, ctx, note=inp.note),
            "whistleId": new_id("wsl"),
            "whistle": {k: v for k, v in props.items() if v is not None},
            "summons": [{"unitId": u, "due": due} for u in summoned],
        }  # fmt: skip
        notices = [
            _notice(
                NoticeKind.WHISTLED,
                found,
                now,
                u,
                level=inp.level.value,
                due=due,
                whistleId=params["whistleId"],
            )
            for u in summoned
        ]
        return await _done(ctx, write, found, (q.WHISTLE, params), *notices,
                           after={"level": inp.level.value, "summoned": summoned})  # fmt: skip

    return await perform(ctx, action, target, run)


async def respond(
    ctx: Context, whistle_id: str, unit_id: str | None, response: str
) -> models.Demand:
    """报到: a summoned unit's operator responds to a whistle (once)."""
    text = validate(_Reason, {"reason": response}).reason
    rows = await ctx.store.run(q.WHISTLE_GET, id=whistle_id)
    unit_id = unit_id or ctx.principal.scope
    if unit_id is None or not rows or unit_id not in rows[0]["units"]:
        raise refuse_missing(ctx, "RESPOND_WHISTLE")
    found = await state(ctx, str(rows[0]["demandId"]), "RESPOND_WHISTLE")
    unit = await _unit_target(ctx, unit_id, "RESPOND_WHISTLE")
    target = Target("Demand", found.demand.id, found.codes, unit_id=unit.unit,
                    unit_county=unit.unit_county)  # fmt: skip

    async def run(write: Writer) -> models.Demand:
        now = now_ms()
        params = {
            **_base(found, Action.RESPOND_WHISTLE, now, ctx, unitId=unit_id, note=text),
            "whistleId": whistle_id, "unitId": unit_id, "response": text,
        }  # fmt: skip
        lock = (q.LOCK, {"id": found.demand.id})
        if await write((q.RESPOND, params), after={"whistleId": whistle_id}, prior=[lock]) is None:
            raise Conflict("该单位已报到 (the unit has responded already)", field="whistleId")
        return await demands.get_stored(ctx.store, found.demand.id)

    return await perform(ctx, "RESPOND_WHISTLE", target, run)


async def callback(
    ctx: Context, demand_id: str, rating: CallbackRating, comment: str | None
) -> models.Demand:
    """回访: the community records the resident's rating after 办结; 不满意 reopens the
    demand (重办) in the same unit."""
    inp = validate(_Callback, {"rating": rating, "comment": comment})
    found = await state(ctx, demand_id, "RECORD_CALLBACK")
    target = Target("Demand", demand_id, found.codes)

    async def run(write: Writer) -> models.Demand:
        check_stage(found, Action.RECORD_CALLBACK)
        now = now_ms()
        unhappy = inp.rating is CallbackRating.UNSATISFIED
        props = {"at": now, "demandId": demand_id, "rating": inp.rating.value,
                 "comment": inp.comment, **found.places}  # fmt: skip
        params = {
            **_base(found, Action.RECORD_CALLBACK, now, ctx, note=inp.rating.value),
            "toStage": None if unhappy else S.EVALUATED.value,
            "callbackId": new_id("cbk"),
            "callback": {k: v for k, v in props.items() if v is not None},
        }
        rest = _reopen_step(ctx, found, now, inp.comment, Action.RECORD_CALLBACK) if unhappy else ()
        return await _done(ctx, write, found, (q.CALLBACK, params), *rest,
                           after={"rating": inp.rating.value, "reopened": unhappy})  # fmt: skip

    return await perform(ctx, "RECORD_CALLBACK", target, run)


async def sweep_overdue(store: Store, now: int | None = None, *, limit: int = 500) -> int:
    """Mark each open assignment past a limit at ``now`` and append its OVERDUE notice,
    once: the mark and the notice are one conditional statement, so two processes
    sweeping at once write each notice once. Returns how many it wrote."""
    at = now_ms() if now is None else now
    rows = await store.run(q.OVERDUE_FOUND, now=at, limit=limit)
    written = 0
    for row in rows:
        found = loop.Assignment.model_validate(row["node"])
        stmt, params = append_step(
            NoticeKind.OVERDUE.value, at=at, demand_id=found.demandId, unit_id=found.unitId,
            county=row["node"].get("county"), street=row["node"].get("street"),
            community=row["node"].get("community"),
            payload={"demandId": found.demandId, "assignmentId": found.id,
                     "acceptDue": found.acceptDue, "finishDue": found.finishDue,
                     "accepted": found.acceptedAt is not None},
        )  # fmt: skip
        del stmt
        result = await store.run_atomic([(q.OVERDUE_NOTICE, {**params, "assignmentId": found.id})])
        written += len(result[0])
    return written
