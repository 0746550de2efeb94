"""Pydantic field types for roster rows, each backed by a cell normaliser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainValidator

from domain.vocab import nearest
from loaders import cells
from loaders.cells import V

Text = Annotated[str | None, BeforeValidator(cells.text)]
Required = Annotated[str, BeforeValidator(cells.required)]
Name = Annotated[str | None, BeforeValidator(cells.name)]
RequiredName = Annotated[str, BeforeValidator(cells.required_name)]
Names = Annotated[tuple[str, ...], BeforeValidator(cells.names)]
Phone = Annotated[str | None, BeforeValidator(cells.phone)]
Count = Annotated[int | None, BeforeValidator(cells.count)]
Amount = Annotated[float | None, BeforeValidator(cells.amount)]
Quantity = Annotated[tuple[float, str | None] | None, BeforeValidator(cells.number)]


class RowModel(BaseModel):
    """A roster row after its cells are checked: one field per column key."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    def get(self, name: str) -> Any:
        return getattr(self, name, None)


def choice(kind: type[cells.V], what: str) -> BeforeValidator:
    """An optional vocabulary cell: any label or alias of ``kind``."""
    return BeforeValidator(cells.vocab(kind, what))


def required_choice(kind: type[cells.V], what: str) -> BeforeValidator:
    """A vocabulary cell that must be filled."""
    parse = cells.vocab(kind, what)

    def parse_required(value: Any) -> cells.V:
        found = parse(value)
        if found is None:
            raise cells.CellError("不能为空", "REQUIRED")
        return found

    return BeforeValidator(parse_required)


@dataclass(frozen=True)
class Picked(Generic[V]):
    """An open vocabulary cell: the member stored, and how it was found.

    ``how``: "known" (a label or alias), "near" (an unknown word containing one),
    "unknown" (stored as the default or OTHER) or "missing" (an empty cell: the default).
    ``given`` is the text as written unless it was known.
    """

    member: V
    how: Literal["known", "near", "unknown", "missing"]
    given: str | None = None


@dataclass(frozen=True)
class Dated:
    """A date cell that never rejects its row: ``how`` is "known" (``iso`` holds it),
    "no_day" (a year and month: ``iso`` holds its first day), "no_year" (a month and
    day, ``month_day``: the year is the load's to choose, ``loaders.kinds.common.dated``)
    or "unknown" (no date in it); ``given`` is the text as written unless it was a whole
    date."""

    iso: str | None
    how: Literal["known", "no_day", "no_year", "unknown"]
    given: str | None = None
    month_day: tuple[int, int] | None = None


def _dated(value: Any) -> Dated | None:
    try:
        iso = cells.iso_date(value)
    except cells.CellError:
        given = cells.text(value) or cells.display(value)
        first = cells.year_month(given)
        if first is not None:
            return Dated(first, "no_day", given)
        parts = cells.month_day(given)
        return Dated(None, "no_year" if parts else "unknown", given, parts)
    return Dated(iso, "known") if iso else None


#: a date whose row is kept when it cannot be read (a demand's 收集日期)
SoftDate = Annotated[Dated | None, PlainValidator(_dated)]


#: what a cell of several words is cut at (社区党委书记、居委会主任; 第一书记（县住建委派驻）)
_PARTS = re.compile(r"[、，,/／;；|]|兼任?|[(（\[【][^)）\]】]*[)）\]】]")


def _first_part(kind: type[V], text: str) -> V | None:
    """The first of a cell's words, cut at separators and bracketed notes, that is a
    label or alias of ``kind`` as it is."""
    for part in _PARTS.split(text):
        member = cells.choose(kind, part.strip()) if part.strip() else None
        if member is not None:
            return member
    return None


def open_choice(kind: type[V], default: V, *, near: bool = True) -> PlainValidator:
    """A vocabulary cell that never rejects a word: any label or alias of ``kind``; an
    unknown word as the first of its words that is one (a cell naming two posts, or one
    with a note in brackets), else as the member it contains (``domain.vocab.nearest``,
    unless ``near`` is off: a 社区书记助理 is no 社区书记) or else ``default``, kept as
    written; an empty cell as ``default``."""

    def parse(value: Any) -> Picked[V]:
        found = cells.text(value)
        if found is None:
            return Picked(default, "missing")
        member = cells.choose(kind, found)
        if member is not None:
            return Picked(member, "known")
        close = _first_part(kind, found) or (nearest(kind, found) if near else None)
        if close is not None:
            return Picked(close, "near", found)
        return Picked(default, "unknown", found)

    return PlainValidator(parse)
