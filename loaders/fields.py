"""Pydantic field types for roster rows, each backed by a cell normaliser."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from loaders import cells

Text = Annotated[str | None, BeforeValidator(cells.text)]
Required = Annotated[str, BeforeValidator(cells.required)]
Name = Annotated[str | None, BeforeValidator(cells.name)]
RequiredName = Annotated[str, BeforeValidator(cells.required_name)]
Names = Annotated[tuple[str, ...], BeforeValidator(cells.names)]
Phone = Annotated[str | None, BeforeValidator(cells.phone)]
Count = Annotated[int | None, BeforeValidator(cells.count)]
Amount = Annotated[float | None, BeforeValidator(cells.amount)]
Date = Annotated[str | None, BeforeValidator(cells.iso_date)]
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
