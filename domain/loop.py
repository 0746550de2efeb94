"""Typed records of the closed loop (docs/closed-loop.md), as the store hands them out.

Each carries where it may be read: ``community`` (the demand's community code) and
``readUnits`` (the units dispatched to or summoned for the demand, which read it).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from domain.models import Node
from domain.vocab import CallbackRating, DemandEventKind, WhistleLevel


class LoopNode(Node):
    demandId: str
    community: str | None = None
    readUnits: list[str] = Field(default_factory=list)


class Assignment(LoopNode):
    unitId: str
    dispatchedAt: int
    acceptDue: int
    finishDue: int
    acceptedAt: int | None = None
    startedAt: int | None = None
    doneAt: int | None = None
    returnedAt: int | None = None
    returnReason: str | None = None
    reopened: bool = False
    overdueNotified: bool = False

    @property
    def open(self) -> bool:
        return self.doneAt is None and self.returnedAt is None

    def overdue(self, now: int) -> bool:
        """Past a limit at ``now`` (the docs' rule; the Cypher twin is ``loop.OVERDUE``)."""
        if not self.open:
            return False
        return (self.acceptedAt is None and now > self.acceptDue) or now > self.finishDue


class DemandEvent(LoopNode):
    kind: DemandEventKind
    at: int
    actorRole: str | None = None
    actorScope: str | None = None
    unitId: str | None = None
    note: str | None = None


class Chase(LoopNode):
    at: int
    unitId: str
    byRole: str | None = None
    byScope: str | None = None
    note: str | None = None


class Summons(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    unitId: str
    due: int
    respondedAt: int | None = None
    response: str | None = None


class Whistle(LoopNode):
    at: int
    level: WhistleLevel
    fromCode: str | None = None
    toCode: str | None = None
    note: str | None = None
    summons: list[Summons] = Field(default_factory=list)


class Callback(LoopNode):
    at: int
    rating: CallbackRating
    comment: str | None = None
