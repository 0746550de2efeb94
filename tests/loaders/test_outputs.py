"""The report as JSON, as a workbook the sender fixes and sends back, and as a table."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from graph.store import Store
from loaders import LoadReport, load_paths, load_upload
from tests.loaders.conftest import ROSTERS, report_data


async def test_json_report(store: Store, tmp_path: Path) -> None:
    report = await load_paths(store, [ROSTERS / "divisions.csv", ROSTERS / "units.xlsx"])
    report.write_json(tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["errors"][0] == {
        "file": "units.xlsx", "sheet": "联系单位", "row": 8, "column": "联系电话（手机）",
        "columnLetter": "H", "value": "12345", "code": "INVALID_PHONE", "kind": "units",
        "reason": "“12345”不是有效的电话号码：手机为 11 位（如 13812345678），座机带区号（如 0830-5299105）",
    }  # fmt: skip
    assert LoadReport.model_validate(data).errors == report.errors


async def test_xlsx_report_fixed_and_sent_back(store: Store, tmp_path: Path) -> None:
    report = await load_paths(store, [ROSTERS / "divisions.csv", ROSTERS / "units.xlsx"])
    path = tmp_path / "问题.xlsx"
    report.write_xlsx(path)
    book = load_workbook(path)
    assert book.sheetnames == ["汇总", "问题清单", "待修改-units-联系单位"]
    problems = list(book["问题清单"].iter_rows(values_only=True))
    assert problems[0] == (
        "类型",
        "文件",
        "工作表",
        "行号",
        "列",
        "列号",
        "填写内容",
        "问题",
        "代码",
    )
    assert [row[3:7] for row in problems[1:]] == [
        (8, "联系电话（手机）", "H", "12345"), (8, "联系社区", "D", "桂园林社区"),
    ]  # fmt: skip
    fix = book["待修改-units-联系单位"]
    rows = list(fix.iter_rows(values_only=True))
    assert rows[0] == ("单 位 名 称", "单位　类型", "所属县", "联系社区", "牵头社区", "党组织名称",
                       "党组织负责人", "联系电话（手机）", "原文件", "原行号", "错误原因")  # fmt: skip
    assert rows[1][:4] == ("合江县交通运输局", "县级部门", "合江县", "桂园林社区")
    assert rows[1][8:10] == ("units.xlsx", 8)
    assert fix["H2"].fill.fgColor.rgb == "00FFC7CE"
    assert fix["D2"].comment is not None and "最接近的有" in fix["D2"].comment.text
    # the sender fixes the two cells and sends the workbook back: it loads
    fix["D2"], fix["H2"] = "桂圆林社区", "0830-5210743"
    book.save(path)
    again = await load_paths(store, [path])
    assert (again.exitCode, [(k.kind, k.created) for k in again.kinds]) == (0, [("units", 1)])
    assert again.sheets[2].ignoredColumns == ["原文件", "原行号", "错误原因"]
    assert [(w.sheet, w.code) for w in again.warnings] == [
        ("汇总", "NO_HEADER"), ("问题清单", "NO_HEADER"),
    ]  # fmt: skip


async def test_upload_gives_the_same_report_as_a_file(store: Store, other_store: Store) -> None:
    await load_paths(store, [ROSTERS / "divisions.csv"])
    await load_paths(other_store, [ROSTERS / "divisions.csv"])
    by_path = await load_paths(store, [ROSTERS / "units.xlsx"])
    data = (ROSTERS / "units.xlsx").read_bytes()
    uploaded = await load_upload(other_store, "units.xlsx", data)
    assert report_data(uploaded) == report_data(by_path)
    broken = await load_upload(other_store, "units.pdf", b"%PDF")
    assert [(e.file, e.code) for e in broken.errors] == [("units.pdf", "UNREADABLE_FILE")]
    assert broken.exitCode == 3


async def test_table_and_summary(store: Store) -> None:
    report = await load_paths(store, [ROSTERS / "divisions.csv", ROSTERS / "units.xlsx"])
    assert report.table().splitlines() == [
        "名册            行数  新增  更新  未变  拒绝",
        "--------------  ----  ----  ----  ----  ----",
        "区划 divisions     3     3     0     0     0",
        "联系单位 units     4     3     0     0     1",
    ]
    assert report.summary() == (
        "divisions 3 行（新增 3，更新 0，未变 0，拒绝 0）；units 4 行（新增 3，更新 0，未变 0，拒绝 1）"
    )


async def test_the_sender_sees_how_each_column_was_read(store: Store, tmp_path: Path) -> None:
    """Headers read as a known column they resemble, and columns nothing reads, are in the
    workbook's 汇总 and in the command's output, for the sender to check."""
    import io

    from app.commands.load import _print

    report = await load_paths(store, [ROSTERS / "luohu" / "12345工单.csv"])
    path = tmp_path / "r.xlsx"
    report.write_xlsx(path)
    rows = list(load_workbook(path)["汇总"].iter_rows(values_only=True))
    header = rows.index(
        ("文件", "工作表", "按近似列名读取", "未读取的列（内容未导入）", None, None, None)
    )
    assert rows[header + 1][:4] == (
        "12345工单.csv", None, "诉求内容→需求标题、诉求类型→需求类别、诉求地址→社区", "工单编号、诉求人",
    )  # fmt: skip
    out = io.StringIO()
    _print(report, out)
    assert (
        "列名按近似读取（12345工单.csv）：诉求内容→需求标题、诉求类型→需求类别、诉求地址→社区，请核对"
        in (out.getvalue())
    )
