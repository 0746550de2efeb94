"""A small sheet writer for the exports: title rows, a header row (bold, frozen),
rows, column widths. Every cell goes through ``safe_cell``: no text becomes a formula."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from loaders.safe_cells import safe_cell

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    """One sheet: ``titles`` above the header, one row each; ``widths`` in characters."""

    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]] = field(default_factory=list)
    titles: Sequence[str] = ()
    widths: Sequence[int] = ()
    #: number formats by column index (0-based), e.g. {3: "0.00%"}
    formats: dict[int, str] = field(default_factory=dict)

    @property
    def header_row(self) -> int:
        """The 1-based row of the header (the rows follow it)."""
        return len(self.titles) + 1


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an .xlsx file."""
    from openpyxl import Workbook  # noqa: PLC0415 - only the exports need it
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        for title in sheet.titles:
            ws.append([safe_cell(title)])
        if sheet.titles:
            ws.cell(row=1, column=1).font = Font(bold=True, size=14)
        ws.append([safe_cell(h) for h in sheet.header])
        for cell in ws[sheet.header_row]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([safe_cell(v) for v in row])
        for column, number_format in sheet.formats.items():
            for (cell,) in ws.iter_rows(
                min_row=sheet.header_row + 1, min_col=column + 1, max_col=column + 1
            ):
                cell.number_format = number_format
        for index, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = ws.cell(row=sheet.header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
