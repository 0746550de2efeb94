"""The closed loop (docs/closed-loop.md) in GraphQL: assignments, the timeline, chases,
whistles, call-backs, and the workflow's mutations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain import loop
from domain.clock import ms_to_datetime, now_ms
from resolvers import demands as resolve_demands
from resolvers import loop as resolve
from resolvers import units as resolve_units
from resolvers.context import Context
from schema import lazy, relation
from schema.common import (
    CallbackRating,
    ConflictError,
    DemandEventKind,
    ForbiddenError,
    IllegalTransitionError,
    InvalidInputError,
    NotFoundError,
    UnauthenticatedError,
    WhistleLevel,
    outcome,
)
from schema.convert import converts
from schema.demands import Demand

if TYPE_CHECKING:
    from schema.units import Unit

Info = strawberry.Info[Context, None]


def _time(ms: int | None) -> datetime | None:
    return None if ms is None else ms_to_datetime(ms)


UnitRef = Annotated["Unit", strawberry.lazy("schema.units")]


@strawberry.type(description="派单: one dispatch of a demand to a unit, with its limits")
class Assignment:
    id: strawberry.ID
    demand_id: strawberry.ID
    unit_id: strawberry.ID
    dispatched_at: datetime
    accept_due: datetime = strawberry.field(description="接单 limit, fixed at dispatch")
    finish_due: datetime = strawberry.field(description="办结 limit, fixed at dispatch")
    accepted_at: datetime | None
    started_at: datetime | None
    done_at: datetime | None
    returned_at: datetime | None
    return_reason: str | None = strawberry.field(description="退回: the unit's reason")
    reopened: bool = strawberry.field(description="a 重办")
    model: strawberry.Private[loop.Assignment]

    @strawberry.field(description="逾期: open and past a limit, now")
    def overdue(self) -> bool:
        return self.model.overdue(now_ms())

    @strawberry.field(description="neither done nor returned")
    def open(self) -> bool:
        return self.model.open

    unit = relation.one(lazy.Unit, resolve_units.get, on="unit_id")
    demand = relation.one(lazy.Demand, resolve_demands.get, on="demand_id")


@converts(loop.Assignment)
def assignment_object(m: loop.Assignment) -> Assignment:
    return Assignment(
        id=strawberry.ID(m.id), demand_id=strawberry.ID(m.demandId),
        unit_id=strawberry.ID(m.unitId), dispatched_at=ms_to_datetime(m.dispatchedAt),
        accept_due=ms_to_datetime(m.acceptDue), finish_due=ms_to_datetime(m.finishDue),
        accepted_at=_time(m.acceptedAt), started_at=_time(m.startedAt),
        done_at=_time(m.doneAt), returned_at=_time(m.returnedAt),
        return_reason=m.returnReason, reopened=m.reopened, model=m,
    )  # fmt: skip


@strawberry.type(description="One transition on a demand's timeline (who by role, when, a note)")
class DemandEvent:
    id: strawberry.ID
    kind: DemandEventKind
    at: datetime
    actor_role: str | None = strawberry.field(description="the role that moved it (never a name)")
    actor_scope: str | None = strawberry.field(description="its scope code or unit id")
    note: str | None
    unit_id: strawberry.ID | None

    @strawberry.field
    def kind_label(self) -> str:
        return self.kind.label

    unit = relation.one(
        lazy.Unit, resolve_units.get, on="unit_id", description="the unit concerned, when one is"
    )


@converts(loop.DemandEvent)
def event_object(m: loop.DemandEvent) -> DemandEvent:
    return DemandEvent(
        id=strawberry.ID(m.id), kind=m.kind, at=ms_to_datetime(m.at), actor_role=m.actorRole,
        actor_scope=m.actorScope, note=m.note,
        unit_id=strawberry.ID(m.unitId) if m.unitId else None,
    )  # fmt: skip


@strawberry.type(description="督办: an admin chased the unit a demand is dispatched to")
class Chase:
    id: strawberry.ID
    at: datetime
    by_role: str | None
    by_scope: str | None
    note: str | None
    unit_id: strawberry.ID

    unit = relation.one(lazy.Unit, resolve_units.get, on="unit_id", description="to whom")


@converts(loop.Chase)
def chase_object(m: loop.Chase) -> Chase:
    return Chase(
        id=strawberry.ID(m.id), at=ms_to_datetime(m.at), by_role=m.byRole, by_scope=m.byScope,
        note=m.note, unit_id=strawberry.ID(m.unitId),
    )  # fmt: skip


@strawberry.type(description="报到: a summoned unit, its limit and its response")
class Summons:
    unit_id: strawberry.ID
    due: datetime
    responded_at: datetime | None
    response: str | None

    @strawberry.field(description="报到 after its limit, or not yet and past it")
    def late(self) -> bool:
        done = self.responded_at.timestamp() * 1000 if self.responded_at else now_ms()
        return done > self.due.timestamp() * 1000

    unit = relation.one(lazy.Unit, resolve_units.get, on="unit_id")


@strawberry.type(description="吹哨: a demand escalated to the street or the county")
class Whistle:
    id: strawberry.ID
    level: WhistleLevel
    at: datetime
    from_code: str | None
    to_code: str | None
    note: str | None
    summons: list[Summons]


def summons_object(s: loop.Summons) -> Summons:
    return Summons(
        unit_id=strawberry.ID(s.unitId), due=ms_to_datetime(s.due),
        responded_at=_time(s.respondedAt), response=s.response,
    )  # fmt: skip


@converts(loop.Whistle)
def whistle_object(m: loop.Whistle) -> Whistle:
    return Whistle(
        id=strawberry.ID(m.id), level=m.level, at=ms_to_datetime(m.at), from_code=m.fromCode,
        to_code=m.toCode, note=m.note, summons=[summons_object(s) for s in m.summons],
    )  # fmt: skip


@strawberry.type(description="回访: the resident's rating after 办结")
class Callback:
    id: strawberry.ID
    at: datetime
    rating: CallbackRating
    comment: str | None

    @strawberry.field
    def rating_label(self) -> str:
        return self.rating.label


@converts(loop.Callback)
def callback_object(m: loop.Callback) -> Callback:
    return Callback(
        id=strawberry.ID(m.id), at=ms_to_datetime(m.at), rating=m.rating, comment=m.comment
    )


DemandRef = Annotated["Demand", strawberry.lazy("schema.demands")]

LoopResult = Annotated[
    DemandRef
    | NotFoundError
    | InvalidInputError
    | ConflictError
    | IllegalTransitionError
    | ForbiddenError
    | UnauthenticatedError,
    strawberry.union("LoopResult"),
]


def _demand(model: object) -> Demand:
    from schema.demands import demand_object  # noqa: PLC0415

    return demand_object(model)  # type: ignore[arg-type]


@strawberry.type
class LoopMutation:
    @strawberry.mutation(description="派单: dispatch a demand to a unit (admins of its place)")
    async def dispatch_demand(
        self, info: Info, demand_id: strawberry.ID, unit_id: strawberry.ID, note: str | None = None
    ) -> LoopResult:
        return await outcome(resolve.dispatch(info.context, demand_id, unit_id, note), _demand)  # type: ignore[return-value]

    @strawberry.mutation(description="接单: the assigned unit accepts")
    async def accept_demand(
        self, info: Info, demand_id: strawberry.ID, note: str | None = None
    ) -> LoopResult:
        return await outcome(resolve.accept(info.context, demand_id, note), _demand)  # type: ignore[return-value]

    @strawberry.mutation(description="实施: the assigned unit starts the work")
    async def start_demand(
        self, info: Info, demand_id: strawberry.ID, note: str | None = None
    ) -> LoopResult:
        return await outcome(resolve.start(info.context, demand_id, note), _demand)  # type: ignore[return-value]

    @strawberry.mutation(description="办结: the assigned unit reports it done (status RESOLVED)")
    async def finish_demand(
        self, info: Info, demand_id: strawberry.ID, note: str | None = None
    ) -> LoopResult:
        return await outcome(resolve.finish(info.context, demand_id, note), _demand)  # type: ignore[return-value]

    @strawberry.mutation(description="退回: the assigned unit gives it back, with a reason")
    async def return_demand(self, info: Info, demand_id: strawberry.ID, reason: str) -> LoopResult:
        return await outcome(resolve.return_(info.context, demand_id, reason), _demand)  # type: ignore[return-value]

    @strawberry.mutation(description="重办: dispatch a done demand again to the same unit")
    async def reopen_demand(
        self, info: Info, demand_id: strawberry.ID, note: str | None = None
    ) -> LoopResult:
        return await outcome(resolve.reopen(info.context, demand_id, note), _demand)  # type: ignore[return-value]

    @strawberry.mutation(description="督办: a street or county admin chases the assigned unit")
    async def chase_demand(
        self, info: Info, demand_id: strawberry.ID, note: str | None = None
    ) -> LoopResult:
        return await outcome(resolve.chase(info.context, demand_id, note), _demand)  # type: ignore[return-value]

    @strawberry.mutation(
        description="吹哨: a community admin whistles to its street (STREET), a street admin to "
        "the county (COUNTY), summoning units that must 报到"
    )
    async def whistle_demand(
        self,
        info: Info,
        demand_id: strawberry.ID,
        level: WhistleLevel,
        unit_ids: list[strawberry.ID],
        note: str | None = None,
    ) -> LoopResult:
        work = resolve.whistle(info.context, demand_id, level, unit_ids, note)
        return await outcome(work, _demand)  # type: ignore[return-value]

    @strawberry.mutation(description="报到: a summoned unit responds to a whistle")
    async def respond_whistle(
        self,
        info: Info,
        whistle_id: strawberry.ID,
        response: str,
        unit_id: strawberry.ID | None = None,
    ) -> LoopResult:
        work = resolve.respond(info.context, whistle_id, unit_id, response)
        return await outcome(work, _demand)  # type: ignore[return-value]

    @strawberry.mutation(
        description="回访: record the resident's rating after 办结 (不满意 reopens it)"
    )
    async def record_callback(
        self,
        info: Info,
        demand_id: strawberry.ID,
        rating: CallbackRating,
        comment: str | None = None,
    ) -> LoopResult:
        work = resolve.callback(info.context, demand_id, rating, comment)
        return await outcome(work, _demand)  # type: ignore[return-value]
