"""The one door every write goes through: authorize, run, audit.

A mutation resolver describes its target (what it changes and where that sits
in the hierarchy) and hands the operation to ``perform``. The decision is
``access.policy.authorize``'s alone, and every write that succeeds leaves an
entry in the append-only audit trail. No resolver checks roles by itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from access import audit
from access.policy import Action, Variant, authorize, refusal
from access.policy import Target as AccessTarget
from domain.vocab import EvaluationKind, ProjectStatus, parse
from resolvers.context import Context

T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """What a write touches: its label and id, and where it sits.

    ``codes`` is the place chain (county, street, community codes) the object
    belongs to; ``unit_id`` and ``unit_county`` the unit it belongs to, if any.
    An object that does not exist is described with ``exists=False``: the
    refusal is then the same as for an object outside the caller's scope.
    """

    label: str
    id: str | None
    codes: tuple[str, ...] = ()
    unit_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    unit_county: str | None = None

    def access(self) -> AccessTarget | None:
        place = self.codes[-1] if self.codes else None
        if place is None and self.unit_id is None:
            return None
        if place is None:
            return AccessTarget(unit=self.unit_id, unit_county=self.unit_county)
        return AccessTarget(place=place, unit=self.unit_id, unit_county=self.unit_county)


def _action(name: str, target: Target) -> tuple[Action, Variant]:
    """``MOVE_PROJECT:DISPATCHED`` -> (MOVE_PROJECT, DISPATCHED); evaluations carry their kind."""
    base, _, variant_name = name.partition(":")
    action = Action.of(base)
    variant: Variant = None
    if action is Action.MOVE_PROJECT:
        variant = ProjectStatus.of(variant_name or target.details["to"])
    elif action is Action.RECORD_EVALUATION:
        variant = parse(EvaluationKind, variant_name or str(target.details["kind"]))
    return action, variant


async def perform(
    ctx: Context,
    action: str,
    target: Target,
    operation: Callable[[], Awaitable[T]],
    *,
    before: dict[str, Any] | None = None,
    after: Callable[[T], dict[str, Any] | None] | None = None,
) -> T:
    """Authorize ``action`` on ``target`` for the caller, run it, record it."""
    act, variant = _action(action, target)
    where = target.access()
    authorize(ctx.principal, act, where, variant)
    result = await operation()
    assert where is not None  # authorize refuses a target with nowhere to be
    await audit.record(
        ctx.store,
        ctx.principal,
        act,
        target.id or f"{target.label}:{target.details.get('file', '-')}",
        target.label,
        where,
        before,
        after(result) if after else None,
        variant=variant,
    )
    return result


def refuse_missing(ctx: Context, action: str) -> Exception:
    """The error for a write on an object that does not exist: the same refusal as for
    an object outside the caller's scope, so a caller learns nothing it may not see."""
    base, _, variant_name = action.partition(":")
    act = Action.of(base)
    variant: Variant = None
    if act is Action.MOVE_PROJECT:
        variant = ProjectStatus.of(variant_name) if variant_name else ProjectStatus.DISPATCHED
    elif act is Action.RECORD_EVALUATION:
        variant = parse(EvaluationKind, variant_name) or EvaluationKind.ORGANIZATION
    return refusal(ctx.principal, act, variant)
