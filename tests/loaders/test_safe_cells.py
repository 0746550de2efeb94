"""Every spreadsheet the project writes is formula-safe: the classic payloads come back as
text (opened with openpyxl, no cell is a formula), numbers stay numbers, and a fixed
report loads the values as they were sent."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from graph.store import Store
from loaders import ROSTER_KINDS, load_paths, load_upload, write_template
from loaders.safe_cells import safe_cell, safe_row
from tests.loaders.conftest import by_label, snapshot
from tests.loaders.hostile import PAYLOADS

DIVISIONS = (
    "县(市、区),街道(乡镇),社区,区划代码\n"
    "达拉特旗,工业街道,召北社区,150621001001\n"
    "达拉特旗,工业街道,北大社区,150621001002\n"
).encode()


def formulas(path: Path) -> list[str]:
    book = load_workbook(path)
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_classic_payloads_get_a_quote(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload
    book = Workbook()
    book.active.append(safe_row([payload, -3, 2.5, "召北社区"]))
    out = io.BytesIO()
    book.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.data_type for c in sheet[1]] == ["s", "n", "n", "s"]
    # XML reads a carriage return as a line feed
    assert sheet["A1"].value == "'" + payload.replace("\r", "\n") and sheet["B1"].value == -3


def test_plain_values_are_left_alone() -> None:
    for value in ["召北社区", "a=b", " =1", "1-2", "", None, -3, 0.5, True]:
        assert safe_cell(value) == value
    assert safe_cell("a\x00b\x07") == "a\ufffdb\ufffd"


def test_a_csv_written_through_the_helper_has_no_formula() -> None:
    out = io.StringIO()
    csv.writer(out).writerows([safe_row(["社区", *PAYLOADS, -5])])
    [row] = list(csv.reader(io.StringIO(out.getvalue())))
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row[:-1])
    assert row[-1] == "-5"


async def test_the_report_of_rejected_payloads_has_no_formula(store: Store, tmp_path: Path) -> None:
    await load_upload(store, "区划.csv", DIVISIONS)
    text = io.StringIO()
    rows = csv.writer(text)
    rows.writerow(["单位名称", "单位类型", "所属县", "联系社区", "联系电话（手机）", "备注"])
    for payload in PAYLOADS:
        # every row is rejected (the phone number), the payloads are in the other cells
        rows.writerow([payload, "旗直部门", "达拉特旗", "召北社区", "12345", payload])
    report = await load_upload(store, "联系单位.csv", text.getvalue().encode())
    assert report.rejectedRows == len(PAYLOADS)
    path = tmp_path / "问题.xlsx"
    report.write_xlsx(path)
    assert formulas(path) == []
    book = load_workbook(path)
    values = [cell.value for row in book.worksheets[2].iter_rows(min_row=2) for cell in row]
    for payload in PAYLOADS:
        assert "'" + payload.replace("\r", "\n") in values
    problems = [cell.value for row in book["问题清单"].iter_rows(min_row=2) for cell in row]
    assert "12345" in problems


async def test_numbers_stay_numbers_and_a_fixed_report_loads_the_values_as_sent(
    store: Store, tmp_path: Path
) -> None:
    await load_upload(store, "区划.csv", DIVISIONS)
    source = Workbook()
    sheet = source.active
    sheet.title = "联系单位"
    sheet.append(["单位名称", "单位类型", "所属县", "联系社区", "联系电话（手机）", "序号"])
    sheet.append(["-2+3 工作室", "社会组织", "达拉特旗", "北大社区", "12345", -3])
    sheet.append(["@SUM(1+1) 协会", "社会组织", "达拉特旗", "召北社区", "12345", -4.5])
    source.save(tmp_path / "单位.xlsx")
    report = await load_paths(store, [tmp_path / "单位.xlsx"])
    assert report.rejectedRows == 2
    path = tmp_path / "问题.xlsx"
    report.write_xlsx(path)
    assert formulas(path) == []
    book = load_workbook(path)
    fix = book.worksheets[2]
    assert fix["A2"].value == "'-2+3 工作室" and fix["F2"].value == -3
    assert fix["F2"].data_type == "n" and fix["F3"].value == -4.5
    fix["E2"], fix["E3"] = "13812345678", "0477-5212345"
    book.save(path)
    again = await load_paths(store, [path])
    assert again.exitCode == 0, again.errors
    names = {node["name"] for node in by_label(await snapshot(store), "Unit").values()}
    assert names == {"-2+3 工作室", "@SUM(1+1) 协会"}


@pytest.mark.parametrize("kind", ROSTER_KINDS)
def test_templates_have_no_formula_cells(kind: str, tmp_path: Path) -> None:
    path = write_template(kind, tmp_path / f"{kind}.xlsx")
    assert formulas(path) == []
