"""What every roster kind provides: its columns, its row model and its graph mapping."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graph.store import Store
from loaders.context import LoadContext
from loaders.fields import RowModel
from loaders.headers import Column, KindColumns
from loaders.plan import Problem, RowPlan, RowRef

Planner = Callable[[Any, RowRef, LoadContext], RowPlan]
Preparer = Callable[[Sequence[Any], LoadContext], Awaitable[None]]
#: after a batch is written: returns the row ids whose rows it changed
BatchHook = Callable[[Store, Sequence[RowPlan], LoadContext], Awaitable[set[str]]]
FinalHook = Callable[[Store, LoadContext], Awaitable[None]]
#: a later row of the same entry (same id) folded into the first row's plan: the warnings
#: for the later row; raises ``Rejected`` when the two cannot be one entry
Combiner = Callable[[RowPlan, RowPlan, LoadContext], list[Problem]]


async def _nothing(rows: Sequence[Any], ctx: LoadContext) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    columns: tuple[Column, ...]
    model: type[RowModel]
    plan: Planner
    prepare: Preparer = _nothing
    after_batch: BatchHook | None = None
    after_all: FinalHook | None = None
    #: rows of one entry may be several (a unit on one row per liaison community); None:
    #: a second row of the same entry is a duplicate
    combine: Combiner | None = None
    #: whether a row with bad cells is still planned to find problems with its references
    partial: bool = True

    @property
    def spec(self) -> KindColumns:
        return KindColumns(self.name, self.columns)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def required(self) -> frozenset[str]:
        return frozenset(k for k, f in self.model.model_fields.items() if f.is_required())
