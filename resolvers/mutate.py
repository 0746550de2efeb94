"""The one door every write goes through: authorize, run, audit.

A mutation resolver describes its target (what it changes and where that sits
in the hierarchy) and hands the operation to ``perform``; the policy decides
(``Context.authorize``), the audit records (``Context.audit``). No resolver
checks roles by itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from resolvers.context import Context

T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """What a write touches: its label and id, and where it sits."""

    label: str
    id: str | None
    #: 12-digit codes of the place chain the object belongs to (county, street, community)
    codes: tuple[str, ...] = ()
    #: the unit the object belongs to (a resource's unit), if any
    unit_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


async def perform(
    ctx: Context,
    action: str,
    target: Target,
    operation: Callable[[], Awaitable[T]],
    *,
    before: dict[str, Any] | None = None,
    after: Callable[[T], dict[str, Any] | None] | None = None,
) -> T:
    await ctx.authorize(action, target)
    result = await operation()
    await ctx.audit(action, target, before, after(result) if after else None)
    return result
