"""The 双报到 hours per home unit as an .xlsx the community hands to each unit.

Layout (docs/exports-member-hours.md):

- ``汇总``: a title row, a note row, then the header 序号 | 工作单位 | 报到党员数 |
  服务次数 | 服务时长(小时), one row per home unit (most hours first) and 合计;
- ``明细``: the header 工作单位 | 姓名 | 联系电话 | 居住社区 | 服务次数 | 服务时长(小时),
  then one section per home unit (in the order of 汇总): a row per member, then
  小计.

Only confirmed hours count. Names and phones are written as the caller may see them
(``shown``: masked outside the caller's personal scope; the CLI is the admin).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from domain.members import HoursTotals, Member
from loaders.safe_cells import safe_row

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUMMARY_HEADER = ("序号", "工作单位", "报到党员数", "服务次数", "服务时长(小时)")
DETAIL_HEADER = ("工作单位", "姓名", "联系电话", "居住社区", "服务次数", "服务时长(小时)")
#: the title and note rows above the header of 汇总
SUMMARY_HEADER_ROW = 4

Shown = Callable[[Member], tuple[str, str]]


def filename(totals: HoursTotals) -> str:
    period = totals.period.label.replace("..", "_").replace("全部", "all")
    return f"双报到服务时长_{totals.scope}_{period}.xlsx"


def _bold(row: Any) -> None:
    from openpyxl.styles import Font  # noqa: PLC0415

    for cell in row:
        cell.font = Font(bold=True)


def workbook_bytes(totals: HoursTotals, shown: Shown) -> bytes:
    """The workbook of ``totals``; ``shown`` gives each member's name and phone."""
    from openpyxl import Workbook  # noqa: PLC0415

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "汇总"
    summary.append([f"双报到党员服务时长（{totals.scope}，{totals.period.label}）"])
    summary.append(["只计社区已确认的服务时长"])
    summary.append([])
    summary.append(list(SUMMARY_HEADER))
    _bold(summary[SUMMARY_HEADER_ROW])
    for number, unit in enumerate(totals.units, start=1):
        summary.append(safe_row([number, unit.unitName, unit.members, unit.logs, unit.hours]))
    summary.append([
        "合计", "", sum(u.members for u in totals.units), sum(u.logs for u in totals.units),
        round(sum(u.hours for u in totals.units), 4),
    ])  # fmt: skip
    _bold(summary[summary.max_row])
    summary.column_dimensions["B"].width = 36

    detail = book.create_sheet("明细")
    detail.append(list(DETAIL_HEADER))
    _bold(detail[1])
    for unit in totals.units:
        for row in totals.members_of(unit.unitId):
            name, phone = shown(row.member)
            detail.append(safe_row(
                [unit.unitName, name, phone, row.member.community, row.logs, row.hours]
            ))  # fmt: skip
        detail.append(safe_row([unit.unitName, "小计", "", "", unit.logs, unit.hours]))
        _bold(detail[detail.max_row])
    detail.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(path: Path, totals: HoursTotals, shown: Shown) -> Path:
    path.write_bytes(workbook_bytes(totals, shown))
    return path
