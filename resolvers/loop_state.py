"""The state a loop move starts from: the demand, its assignments, its stage, and the
moves each stage allows (a wrong-stage move is an IllegalTransition that names them)."""

from __future__ import annotations

from dataclasses import dataclass

from access.policy import Action
from domain import loop, models
from domain.errors import IllegalTransition
from domain.ids import ancestor_codes
from domain.vocab import DemandStage
from graph.queries import loop as q
from resolvers import demands
from resolvers.context import Context
from resolvers.mutate import refuse_missing

S = DemandStage
#: the moves each stage allows (the error of a wrong-stage move lists them)
ALLOWED: dict[DemandStage, tuple[Action, ...]] = {
    S.REPORTED: (Action.DISPATCH_DEMAND, Action.WHISTLE_DEMAND),
    S.DISPATCHED: (Action.ACCEPT_DEMAND, Action.RETURN_DEMAND, Action.CHASE_DEMAND,
                   Action.WHISTLE_DEMAND),
    S.ACCEPTED: (Action.START_DEMAND, Action.FINISH_DEMAND, Action.RETURN_DEMAND,
                 Action.CHASE_DEMAND, Action.WHISTLE_DEMAND),
    S.IN_PROGRESS: (Action.FINISH_DEMAND, Action.RETURN_DEMAND, Action.CHASE_DEMAND,
                    Action.WHISTLE_DEMAND),
    S.DONE: (Action.RECORD_CALLBACK, Action.REOPEN_DEMAND),
    S.EVALUATED: (Action.REOPEN_DEMAND,),
    S.RETURNED: (Action.DISPATCH_DEMAND, Action.WHISTLE_DEMAND),
}  # fmt: skip
#: where the unit's moves lead
MOVES: dict[Action, tuple[DemandStage, str]] = {
    Action.ACCEPT_DEMAND: (S.ACCEPTED, "acceptedAt"),
    Action.START_DEMAND: (S.IN_PROGRESS, "startedAt"),
    Action.FINISH_DEMAND: (S.DONE, "doneAt"),
    Action.RETURN_DEMAND: (S.RETURNED, "returnedAt"),
}
EVENTS = {
    Action.DISPATCH_DEMAND: "DISPATCH", Action.ACCEPT_DEMAND: "ACCEPT",
    Action.START_DEMAND: "START", Action.FINISH_DEMAND: "DONE", Action.RETURN_DEMAND: "RETURN",
    Action.REOPEN_DEMAND: "REOPEN", Action.CHASE_DEMAND: "CHASE",
    Action.WHISTLE_DEMAND: "WHISTLE", Action.RESPOND_WHISTLE: "RESPOND",
    Action.RECORD_CALLBACK: "CALLBACK",
}  # fmt: skip


@dataclass(frozen=True)
class State:
    """A demand as a move finds it: its stage and its assignments (oldest first)."""

    demand: models.Demand
    assignments: list[loop.Assignment]

    @property
    def codes(self) -> tuple[str, ...]:
        return ancestor_codes(self.demand.communityId)

    @property
    def places(self) -> dict[str, str | None]:
        codes = self.codes
        return {"county": codes[0], "street": codes[1], "community": codes[2]}

    @property
    def current(self) -> loop.Assignment | None:
        return self.assignments[-1] if self.assignments else None


async def state(ctx: Context, demand_id: str, action: str) -> State:
    """The demand (if the caller reads it) and its assignments, as stored."""
    found = await demands.get(ctx, demand_id)
    if found is None:
        raise refuse_missing(ctx, action)
    rows = await ctx.store.run(q.ASSIGNMENTS_OF, ids=[demand_id])
    return State(found, [loop.Assignment.model_validate(row["node"]) for row in rows])


def check_stage(found: State, action: Action) -> None:
    """IllegalTransition unless the demand's stage allows ``action``."""
    stage = found.demand.stage
    allowed = ALLOWED[stage]
    if action in allowed:
        return
    names = "、".join(f"{a.label}({a.value})" for a in allowed) or "无"
    raise IllegalTransition(
        f"需求处于“{stage.label}”({stage.value})，不能{action.label}；此时可以：{names} "
        f"(the demand is {stage.value}: {action.value} is not allowed)",
        field="demandId",
        stage=stage.value,
        allowed=[a.value for a in allowed],
    )
