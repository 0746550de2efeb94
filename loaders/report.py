"""The load report: what each kind did and every rejected row, explained in Chinese.

Plain pydantic models (GraphQL types map onto them one to one); ``to_json`` for
machines, ``write_xlsx`` for the sender, ``table`` for a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr


class RowError(BaseModel):
    """One problem with one cell (or row, sheet or file), where the sender can find it."""

    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str | None = None
    #: the row number Excel shows (1-based); None for a problem with the whole file or sheet
    row: int | None = None
    #: the column header as written in the file
    column: str | None = None
    #: the column's letter in Excel (A, B, ... AA)
    columnLetter: str | None = None
    value: str | None = None
    reason: str
    code: str
    kind: str | None = None


class KindSummary(BaseModel):
    """Rows of one kind: how many were read, and what became of them."""

    kind: str
    title: str
    rows: int = 0
    valid: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


class SheetSummary(BaseModel):
    file: str
    sheet: str | None = None
    kind: str | None = None
    #: the header's row number as Excel shows it
    headerRow: int | None = None
    rows: int = 0
    #: totals, notes and repeated headers passed over (blank rows are not counted)
    skippedRows: int = 0
    encoding: str | None = None
    ignoredColumns: list[str] = []
    #: headers no kind knows as written, read as the column they name (挂点社区 -> 联系社区)
    readAs: dict[str, str] = {}

    def readings(self) -> str:
        """``readAs`` as the sender reads it: 诉求内容→需求标题、诉求地址→社区."""
        return "、".join(f"{written}→{known}" for written, known in self.readAs.items())


@dataclass
class RejectedRow:
    """A rejected row as it was, for the report workbook the sender fixes and sends back."""

    kind: str
    file: str
    sheet: str | None
    header: list[str]
    row: int
    cells: list[Any]
    problems: list[RowError] = field(default_factory=list)


class LoadReport(BaseModel):
    """The outcome of one load.

    >>> LoadReport().exitCode
    0
    """

    files: list[str] = []
    sheets: list[SheetSummary] = []
    kinds: list[KindSummary] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    strict: bool = False
    dryRun: bool = False
    #: whether anything was written (False for a dry run, or a strict load with errors)
    written: bool = False
    seconds: float = 0.0
    _rejected: list[RejectedRow] = PrivateAttr(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(k.rows for k in self.kinds)

    @property
    def rejectedRows(self) -> int:
        return sum(k.rejected for k in self.kinds)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def exitCode(self) -> int:
        """0 when every row loaded, 3 when some were rejected (or a file could not be read)."""
        return 0 if self.ok else 3

    @property
    def rowsPerSecond(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def rejected(self) -> list[RejectedRow]:
        return self._rejected

    def kind(self, name: str) -> KindSummary:
        for summary in self.kinds:
            if summary.kind == name:
                return summary
        raise KeyError(name)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    def write_json(self, path: Path) -> None:
        path.write_text(self.to_json() + "\n", encoding="utf-8")

    def write_xlsx(self, path: Path) -> None:
        from loaders.report_xlsx import write_report  # noqa: PLC0415 - openpyxl on demand

        write_report(self, path)

    def summary(self) -> str:
        """One line for a log: counts per kind, no row contents.

        >>> LoadReport(kinds=[KindSummary(kind="units", title="联系单位", rows=2, created=2)]).summary()
        'units 2 行（新增 2，更新 0，未变 0，拒绝 0）'
        """
        parts = [
            f"{k.kind} {k.rows} 行（新增 {k.created}，更新 {k.updated}，未变 {k.unchanged}，"
            f"拒绝 {k.rejected}）"
            for k in self.kinds
        ]
        if any(e.row is None for e in self.errors):
            parts.append(f"文件或工作表问题 {sum(e.row is None for e in self.errors)} 个")
        return "；".join(parts)

    def table(self) -> str:
        """A summary per kind, for a terminal."""
        head = ("名册", "行数", "新增", "更新", "未变", "拒绝")
        lines = [head] + [
            (
                f"{k.title} {k.kind}",
                *map(str, (k.rows, k.created, k.updated, k.unchanged, k.rejected)),
            )
            for k in self.kinds
            if k.rows
        ]
        widths = [max(_width(line[i]) for line in lines) for i in range(len(head))]
        out = []
        for number, line in enumerate(lines):
            cells = [_pad(cell, widths[i], left=i == 0) for i, cell in enumerate(line)]
            out.append("  ".join(cells).rstrip())
            if number == 0:
                out.append("  ".join("-" * w for w in widths))
        return "\n".join(out)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int, *, left: bool) -> str:
    space = " " * (width - _width(text))
    return text + space if left else space + text
