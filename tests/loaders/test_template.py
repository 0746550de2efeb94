"""``write_template``: headers, drop-down lists, one example row; it loads back."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from domain.errors import InvalidInput
from graph.store import Store
from loaders import ROSTER_KINDS, load_paths, write_template
from loaders.kinds import KINDS
from tests.loaders.conftest import ROSTERS


@pytest.mark.parametrize("kind", ROSTER_KINDS)
async def test_template(kind: str, tmp_path: Path, store: Store) -> None:
    path = write_template(kind, tmp_path / f"{kind}.xlsx")
    book = load_workbook(path)
    sheet = book[KINDS[kind].title]
    assert book["选项"].sheet_state == "hidden"
    headers = [c.value for c in sheet[2]]
    assert headers == [c.header for c in KINDS[kind].columns]
    assert str(sheet["A3"].value).startswith("示例：")
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    wanted = [i for i, c in enumerate(KINDS[kind].columns) if c.choices]
    assert len(lists) == len(wanted)
    # an unfilled template loads nothing and is not an error
    report = await load_paths(store, [path])
    assert (report.exitCode, report.rows, report.sheets[0].kind) == (0, 0, kind)
    assert report.sheets[0].skippedRows == 1


async def test_choices_are_the_vocabulary(tmp_path: Path) -> None:
    book = load_workbook(write_template("demands", tmp_path / "d.xlsx"))
    options = book["选项"]
    columns = {options.cell(1, c).value: c for c in range(1, options.max_column + 1)}
    matter = [options.cell(r, columns["事项类型"]).value for r in range(2, 7)]
    assert matter == ["大事", "实事", "要事", "急事", "难事"]
    sheet = book["需求清单"]
    [urgency] = [v for v in sheet.data_validations.dataValidation if "I3" in str(v.sqref)]
    assert urgency.formula1.startswith("=选项!$")


async def test_a_filled_template_loads(tmp_path: Path, store: Store) -> None:
    await load_paths(store, [ROSTERS / "divisions.csv"])
    path = write_template("units", tmp_path / "units.xlsx")
    book = load_workbook(path)
    sheet = book["联系单位"]
    sheet.append(["合江县民政局", "县级部门", "合江县", "荔城社区、桂圆林社区", None, None, None,
                  "0830-5291565"])  # fmt: skip
    book.save(path)
    report = await load_paths(store, [path])
    assert (report.exitCode, report.kind("units").created) == (0, 1)


def test_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="未知的名册类型 people"):
        write_template("people", tmp_path / "x.xlsx")
