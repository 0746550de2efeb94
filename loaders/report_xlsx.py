"""The report as a workbook the sender can fix and send back.

``汇总`` has the counts per kind and ``问题清单`` every problem. Each source sheet
with rejected rows gets a ``待修改`` sheet: its header and the rejected rows as
they were, bad cells in red with the reason as a comment, and three columns at
the end (原文件, 原行号, 错误原因) that a load passes over. Fixed, it loads as is.
Every cell goes through ``safe_cell``: a rejected ``=HYPERLINK(…)`` comes back as text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from loaders.report import LoadReport, RejectedRow
from loaders.safe_cells import safe_cell, safe_row, safe_text

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def _column_index(letter: str) -> int:
    index = 0
    for ch in letter:
        index = index * 26 + ord(ch) - 64
    return index


def _title(wanted: str, taken: set[str]) -> str:
    base = _BAD_TITLE.sub("", safe_text(wanted)).strip("'")[:28] or "sheet"
    title, number = base, 1
    while title in taken:
        number += 1
        title = f"{base[:26]}-{number}"
    taken.add(title)
    return title


def _value(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else safe_cell(value)


def _column_notes(summary: Any, report: LoadReport, bold: Any) -> None:
    """How each sheet's columns were read, for the sender to check: headers read as a
    known column they resemble, and columns nothing reads."""
    notes = [
        (s, s.readings(), "、".join(s.ignoredColumns))
        for s in report.sheets if s.readAs or s.ignoredColumns
    ]  # fmt: skip
    if not notes:
        return
    summary.append([])
    summary.append(safe_row(["文件", "工作表", "按近似列名读取", "未读取的列（内容未导入）"]))
    for cell in summary[summary.max_row]:
        cell.font = bold
    for sheet, read_as, ignored in notes:
        summary.append(safe_row([sheet.file, sheet.sheet, read_as, ignored]))


def write_report(report: LoadReport, path: Path) -> None:
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.comments import Comment  # noqa: PLC0415
    from openpyxl.styles import Font, PatternFill  # noqa: PLC0415

    bold = Font(bold=True)
    red = PatternFill("solid", fgColor="FFC7CE")
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    taken = {"汇总", "问题清单"}
    summary.append(safe_row(["名册", "类型", "行数", "新增", "更新", "未变", "拒绝"]))
    for k in report.kinds:
        summary.append(safe_row([k.title, k.kind, k.rows, k.created, k.updated, k.unchanged,
                                 k.rejected]))  # fmt: skip
    summary.append([])
    state = (
        "仅校验，未写入"
        if report.dryRun
        else ("已写入" if report.written else "未写入（严格模式下有错误）")
    )
    summary.append(safe_row(["结果", state]))
    for cell in summary[1]:
        cell.font = bold
    _column_notes(summary, report, bold)

    problems = book.create_sheet("问题清单")
    problems.append(safe_row(["类型", "文件", "工作表", "行号", "列", "列号", "填写内容", "问题",
                              "代码"]))  # fmt: skip
    for severity, items in (("错误", report.errors), ("提醒", report.warnings)):
        for e in items:
            problems.append(safe_row([severity, e.file, e.sheet, e.row, e.column, e.columnLetter,
                                      e.value, e.reason, e.code]))  # fmt: skip
    for cell in problems[1]:
        cell.font = bold
    problems.column_dimensions["H"].width = 80

    groups: dict[tuple[str, str | None], list[RejectedRow]] = defaultdict(list)
    for rejected in report.rejected:
        groups[(rejected.file, rejected.sheet)].append(rejected)
    for (file, sheet_name), rows in groups.items():
        title = f"待修改-{Path(file).stem}" + (f"-{sheet_name}" if sheet_name else "")
        sheet = book.create_sheet(_title(title, taken))
        header = rows[0].header
        width = len(header)
        sheet.append(safe_row([*header, "原文件", "原行号", "错误原因"]))
        for cell in sheet[1]:
            cell.font = bold
        for number, rejected in enumerate(rows, 2):
            cells = [_value(v) for v in rejected.cells[:width]]
            cells += [None] * (width - len(cells))
            reasons = "；".join(
                (f"{p.column}：" if p.column else "") + p.reason for p in rejected.problems
            )
            sheet.append([*cells, *safe_row([rejected.file, rejected.row, reasons])])
            for problem in rejected.problems:
                if problem.columnLetter is None:
                    continue
                cell = sheet.cell(number, _column_index(problem.columnLetter))
                cell.fill = red
                cell.comment = Comment(safe_text(problem.reason), "gongjian")
        sheet.column_dimensions[_letter(width + 3)].width = 80
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _letter(number: int) -> str:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    return str(get_column_letter(number))
