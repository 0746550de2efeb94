"""The one door every write goes through: authorize, then write and audit as one.

A mutation resolver describes its target (what it changes, where that sits in
the hierarchy, and every other object the write touches: places, resources,
units) and hands the operation to ``perform``. The decision is
``access.policy.authorize``'s alone. The operation writes through the ``Writer``
it is given, once: its statements go as one unit (``Store.run_atomic``) with the
audit entry folded into the first one (``graph.audited``), so the entry exists
if and only if the write does. No resolver checks roles by itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from access import audit
from access.policy import Action, Variant, authorize, refusal
from access.policy import Target as AccessTarget
from domain.vocab import EvaluationKind, ProjectStatus, WhistleLevel, parse
from graph.audited import audited
from graph.backends.base import Row
from graph.cypher import Statement
from graph.guarded import guarded
from graph.queries import audited as _declared  # noqa: F401 - the variants, registered
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
    #: every other object the write touches (places, resources, units): each must lie
    #: in the caller's county (``access.policy.confined``)
    touches: tuple[AccessTarget, ...] = ()

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
    elif action is Action.WHISTLE_DEMAND:
        variant = WhistleLevel.of(variant_name or str(target.details["level"]))
    return action, variant


Step = tuple[Statement, Mapping[str, Any]]


class Writer:
    """What an operation writes with: ``await write(first, *rest, after=...)``.

    ``first`` is the statement whose rows say whether the write happened (a
    check-and-write returns no row when its check fails); it carries the audit
    entry. ``rest`` complete it in the same unit; each is guarded by the audit entry
    (``graph.guarded``), so it writes only when ``first`` did (a notice exists if and
    only if its write does); ``prior`` must run before it (keeping an ended role as history). Returns the rows of every statement, or None when ``first`` matched
    nothing (then nothing was written and no entry exists).
    """

    def __init__(self, ctx: Context, act: Action, variant: Variant, target: Target,
                 where: AccessTarget, before: dict[str, Any] | None) -> None:  # fmt: skip
        self._ctx, self._act, self._variant, self._target = ctx, act, variant, target
        self._where, self._before = where, before
        self.writes = 0

    async def __call__(
        self,
        first: Step,
        *rest: Step,
        after: Mapping[str, Any] | None,
        lock_ids: Sequence[str] = (),
        prior: Sequence[Step] = (),
    ) -> list[list[Row]] | None:
        self.writes += 1
        if self.writes > 1:
            raise AssertionError(f"{self._act.value} wrote twice: one unit per mutation")
        target = self._target
        entry_id, props, at = audit.entry(
            self._ctx.principal, self._act,
            target.id or f"{target.label}:{target.details.get('file', '-')}", target.label,
            self._where, self._before, after, variant=self._variant,
        )  # fmt: skip
        stmt, params = first
        folded = (audited(stmt), {**params, "auditId": entry_id, "audit": props, "auditAt": at})
        completing = [(guarded(s), {**p, "auditId": entry_id}) for s, p in rest]
        steps = [*prior, folded, *completing]
        results = await self._ctx.store.run_atomic(steps, lock_ids=lock_ids)
        results = results[len(prior) :]
        return results if results[0] else None


async def perform(
    ctx: Context,
    action: str,
    target: Target,
    operation: Callable[[Writer], Awaitable[T]],
    *,
    before: dict[str, Any] | None = None,
) -> T:
    """Authorize ``action`` on ``target`` (and everything it touches) for the caller, then
    run ``operation``, which writes once through the Writer it is given."""
    act, variant = _action(action, target)
    where = target.access()
    authorize(ctx.principal, act, where, variant, touches=target.touches)
    assert where is not None  # authorize refuses a target with nowhere to be
    writer = Writer(ctx, act, variant, target, where, before)
    result = await operation(writer)
    if writer.writes != 1:
        raise AssertionError(f"{act.value} returned without writing: nothing to audit")
    return result


async def perform_load(
    ctx: Context,
    target: Target,
    operation: Callable[[], Awaitable[T]],
    *,
    after: Callable[[T], dict[str, Any] | None],
) -> T:
    """A roster load: many batched statements, not one unit (a roster may hold 100,000
    rows). Authorized like every write; its one entry is appended once the load ends.
    Each row it writes is confined to the caller's county by the loader itself."""
    act, variant = _action("LOAD_ROSTER", target)
    where = target.access()
    authorize(ctx.principal, act, where, variant)
    assert where is not None
    result = await operation()
    await audit.record(
        ctx.store, ctx.principal, act,
        target.id or f"{target.label}:{target.details.get('file', '-')}", target.label,
        where, None, after(result), variant=variant,
    )  # fmt: skip
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
    elif act is Action.WHISTLE_DEMAND:
        variant = WhistleLevel.of(variant_name) if variant_name else WhistleLevel.STREET
    return refusal(ctx.principal, act, variant)
