"""``write_template(kind, path)``: an .xlsx a department fills in.

A note row, the canonical headers, one example row (its first cell starts
with 示例, so a load passes it over and an unfilled template loads nothing), and drop-down
lists for columns with a fixed vocabulary (kept on a hidden sheet). Cells go through
``safe_cell`` like every spreadsheet the project writes; only the drop-downs' own
list formulas are formulas.
"""

from __future__ import annotations

from pathlib import Path

from domain.errors import InvalidInput
from loaders.kinds import KINDS, ROSTER_KINDS
from loaders.safe_cells import safe_cell

_LIST_ROWS = 2000
#: the example row's first cell starts with this; a load passes such a row over
EXAMPLE = "示例："


def write_template(kind: str, path: Path) -> Path:
    """Write the template of a roster kind; returns the path.

    >>> import tempfile, pathlib
    >>> write_template("units", pathlib.Path(tempfile.mkdtemp()) / "units.xlsx").suffix
    '.xlsx'
    """
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.comments import Comment  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    if kind not in KINDS:
        raise InvalidInput(f"未知的名册类型 {kind}：可选 {', '.join(ROSTER_KINDS)}", kind=kind)
    roster = KINDS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = roster.title
    options = book.create_sheet("选项")
    options.sheet_state = "hidden"
    width = len(roster.columns)
    sheet.cell(1, 1, f"{roster.title}（{kind}）填写说明：第 3 行是示例（以“示例：”开头的行不会导入），请照此格式填写；"
                     "带下拉箭头的列请从列表中选择；多个名称用顿号（、）分隔。")  # fmt: skip
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[1].height = 36
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    grey = Font(color="808080", italic=True)
    list_column = 0
    for number, column in enumerate(roster.columns, 1):
        letter = get_column_letter(number)
        head = sheet.cell(2, number, safe_cell(column.header))
        head.font, head.fill = bold, head_fill
        if column.note:
            head.comment = Comment(column.note, "gongjian")
        text = column.example or None
        if number == 1:
            text = f"{EXAMPLE}{text or ''}"
        example = sheet.cell(3, number, safe_cell(text))
        example.font = grey
        sheet.column_dimensions[letter].width = max(12, min(40, 2 * len(column.header) + 4))
        if column.choices:
            list_column += 1
            list_letter = get_column_letter(list_column)
            options.cell(1, list_column, safe_cell(column.header))
            for row, choice in enumerate(column.choices, 2):
                options.cell(row, list_column, safe_cell(choice))
            last = len(column.choices) + 1
            validation = DataValidation(
                type="list",
                formula1=f"=选项!${list_letter}$2:${list_letter}${last}",
                allow_blank=True,
                showErrorMessage=False,
            )
            validation.add(f"{letter}3:{letter}{_LIST_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A3"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
