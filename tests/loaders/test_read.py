"""Reading files: encodings, delimiters, merged cells, sheets, Excel row numbers."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from domain.errors import InvalidInput
from loaders.read import decode, read_bytes, read_path
from tests.loaders.conftest import ROSTERS

TEXT = "单位名称,资源名称\r\n合江县民政局,困难群众临时救助\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_csv_encodings(data: bytes, encoding: str) -> None:
    [sheet] = read_bytes("r.csv", data)
    assert sheet.encoding == encoding
    assert sheet.rows == [["单位名称", "资源名称"], ["合江县民政局", "困难群众临时救助"]]
    assert decode(data)[1] == encoding


def test_csv_tabs_and_blank_cells() -> None:
    [sheet] = read_bytes("r.txt", b"a\tb\tc\n1\t\t3\n\n")
    assert sheet.rows == [["a", "b", "c"], ["1", None, "3"], [None, None, None]]
    assert sheet.own == [True, True, False]


def test_undecodable_text_is_refused() -> None:
    with pytest.raises(InvalidInput, match="无法识别文件编码"):
        read_bytes("r.csv", b"a,b\r\n\x80,abc\xff")


def test_unknown_suffix_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"不支持的文件类型 r\.pdf"):
        read_bytes("r.pdf", b"%PDF-1.4")


def _xlsx(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_rows_start_at_a1_and_merged_ranges_are_filled() -> None:
    book = Workbook()
    sheet = book.active
    sheet["C3"] = "街道"
    sheet["C4"] = "符阳街道"
    sheet["D4"] = 1.0
    sheet["D5"] = date(2024, 3, 5)
    sheet.merge_cells("C4:C6")
    hidden = book.create_sheet("选项")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "x"
    [raw] = read_bytes("w.xlsx", _xlsx(book))
    assert raw.sheet == "Sheet"
    assert raw.rows[2][2] == "街道"
    assert [raw.rows[i][2] for i in (3, 4, 5)] == ["符阳街道"] * 3
    assert raw.rows[3][3] == 1.0
    assert raw.rows[4][3] == date(2024, 3, 5)
    assert raw.own == [False, False, True, True, True, False]


def test_xls_written_by_xlwt() -> None:
    [raw] = read_path(ROSTERS / "members.xls")
    assert raw.sheet == "双报到党员"
    assert raw.rows[0][:3] == ["姓名", "工作单位", "居住社区"]
    assert raw.rows[1][4] == 28.5


def test_a_broken_workbook_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"无法读取 Excel 文件 w\.xlsx"):
        read_bytes("w.xlsx", b"PK\x03\x04 not really a zip")
