"""Roster files are untrusted: measured before parsing, parsed in a child process with
limits. The findings of issue #11 are named regressions here."""

from __future__ import annotations

import dataclasses
import io
import time
import zipfile

import pytest
from openpyxl.utils import get_column_letter

from domain.errors import FileTooLarge, FileUnsafe, InvalidInput, ParseAborted
from loaders.limits import MIB, FileLimits, check_container
from loaders.read import read_bytes
from loaders.sandbox import read_isolated
from tests.loaders.hostile import (
    ROSTERS,
    billion_laughs,
    inflates_to,
    text_cell,
    xfd_1048576,
    xlsx,
)

LIMITS = FileLimits()
#: the limits with the pre-parse checks out of the way: only the child's own limits stand
UNCHECKED = FileLimits(
    max_uncompressed_bytes=1 << 40, max_entry_bytes=1 << 40, max_compression_ratio=1 << 30,
    max_rows=1 << 40, max_columns=1 << 40, max_cells=1 << 60,
    parse_memory_mb=256, parse_cpu_seconds=5, parse_timeout_seconds=10,
)  # fmt: skip


def test_finding_the_4_7_kb_sheet_with_a_cell_at_xfd1048576() -> None:
    data = xfd_1048576()
    assert 4_000 < len(data) < 6_000
    with pytest.raises(FileTooLarge) as refused:
        read_isolated("塔城市资源.xlsx", data, LIMITS)
    assert refused.value.code == "FILE_TOO_LARGE"
    message = refused.value.message
    assert "1,048,576 行" in message and "200,000" in message and "拆分" in message
    assert "over the limit" in message


def test_the_xfd1048576_sheet_without_the_checks_ends_only_the_child() -> None:
    """What the reader does with it (a 512 GiB allocation) stays in the child process."""
    started = time.monotonic()
    with pytest.raises(InvalidInput) as refused:
        read_isolated("x.xlsx", xfd_1048576(), UNCHECKED)
    assert time.monotonic() - started < 10
    assert refused.value.code in {"PARSE_ABORTED", "INVALID_INPUT"}
    # and the process that asked is fine: it reads the next file
    assert read_isolated("ok.xlsx", xlsx(f'<row r="1">{text_cell("A1", "名称")}</row>'), LIMITS)


def test_finding_the_1_gb_inflating_sheet() -> None:
    data = inflates_to(1 << 30)
    assert len(data) < 2 * MIB
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 1_000_000_000
    started = time.monotonic()
    with pytest.raises(FileTooLarge, match="解压后有 1,07"):
        read_isolated("inflate.xlsx", data, LIMITS)
    assert time.monotonic() - started < 2  # from the zip directory, nothing inflated


def test_a_1_gb_sheet_that_lies_about_its_size_is_refused_while_streaming() -> None:
    data = inflates_to(1 << 30, declared=4_000)
    with pytest.raises(InvalidInput, match="已损坏或不完整"):
        read_isolated("lie.xlsx", data, LIMITS)
    # declared big enough to pass the directory, the stream is stopped at the entry limit
    small = FileLimits(max_entry_bytes=8 * MIB, max_uncompressed_bytes=16 * MIB)
    honest = inflates_to(64 * MIB, declared=7 * MIB)
    with pytest.raises(InvalidInput):
        read_isolated("lie.xlsx", honest, small)


def test_compression_ratio_and_entry_count() -> None:
    with pytest.raises(FileUnsafe, match="压缩比"):
        read_isolated("bomb.xlsx", inflates_to(64 * MIB), LIMITS)
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(30):
            archive.writestr(f"x{i}.xml", "<a/>")
    with pytest.raises(FileTooLarge, match="30 个部件"):
        check_container("many.xlsx", many.getvalue(), FileLimits(max_entries=20))


def test_file_bytes_limit_for_every_format() -> None:
    limits = FileLimits(max_file_bytes=2_000)
    for name, data in [("a.csv", b"a,b\n" * 1_000), ("a.xlsx", xfd_1048576()),
                       ("a.xls", (ROSTERS / "members.xls").read_bytes())]:  # fmt: skip
        with pytest.raises(FileTooLarge, match="2,000 字节"):
            read_isolated(name, data, limits)


def test_a_declared_dimension_that_lies_either_way() -> None:
    # declared small, a cell far out: the cells are measured
    far = xlsx('<row r="1"><c r="A1"><v>1</v></c></row><row r="300000"><c r="B300000"><v>2</v></c></row>',
               dimension="A1:B2")  # fmt: skip
    with pytest.raises(FileTooLarge, match="300,000 行"):
        read_isolated("far.xlsx", far, LIMITS)
    # declared huge (the reader would allocate it): refused
    with pytest.raises(FileTooLarge, match="声明的范围"):
        read_isolated("dim.xlsx", xlsx('<row r="1"><c r="A1"><v>1</v></c></row>',
                                       dimension="A1:ZZ900000"), LIMITS)  # fmt: skip
    # a sheet inside the limits reads as it is
    [sheet] = read_isolated("ok.xlsx", xlsx('<row r="2"><c r="C2"><v>-3</v></c></row>',
                                            dimension="A1:C2"), LIMITS)  # fmt: skip
    assert sheet.rows == [["", "", ""], ["", "", -3.0]]


def test_columns_and_cells_of_cells_without_a_reference_are_counted() -> None:
    wide = xlsx("<row>" + "<c><v>1</v></c>" * 40 + "</row>")
    with pytest.raises(FileTooLarge, match="40 列"):
        read_isolated("wide.xlsx", wide, FileLimits(max_columns=30))
    rows = xlsx("<row><c><v>1</v></c></row>" * 50)
    with pytest.raises(FileTooLarge, match="50 行"):
        read_isolated("rows.xlsx", rows, FileLimits(max_rows=20))
    [sheet] = read_isolated("rows.xlsx", rows, LIMITS)
    assert len(sheet.rows) == 50


def test_cells_limit_is_rows_times_columns() -> None:
    corner = xlsx(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="500"><c r="T500"><v>1</v></c></row>'
    )
    with pytest.raises(FileTooLarge, match="10,000 个单元格"):
        read_isolated("corner.xlsx", corner, FileLimits(max_cells=5_000))


def test_entities_and_doctype_are_refused() -> None:
    with pytest.raises(FileUnsafe) as refused:
        read_isolated("lol.xlsx", billion_laughs(), LIMITS)
    assert refused.value.code == "FILE_UNSAFE" and "DTD" in refused.value.message


def test_a_huge_single_cell() -> None:
    with pytest.raises(FileTooLarge, match="32,767 个字符"):
        read_isolated("cell.xlsx", xlsx(f'<row r="1">{text_cell("A1", "长" * 40_000)}</row>'),
                      LIMITS)  # fmt: skip
    with pytest.raises(FileTooLarge, match="32,767 个字符"):
        read_isolated("cell.csv", b'a\n"' + b"x" * 40_000 + b'"\n', LIMITS)


def test_csv_rows_columns_and_line_length() -> None:
    with pytest.raises(FileTooLarge, match="行长 "):
        read_isolated("line.csv", b"a," * 30_000, FileLimits(max_line_bytes=50_000))
    with pytest.raises(FileTooLarge, match="超过上限 100 行"):
        read_isolated("rows.csv", b"a,b\n" * 500, FileLimits(max_rows=100))
    with pytest.raises(FileTooLarge, match="列"):
        read_isolated("cols.csv", b",".join([b"x"] * 2_000), LIMITS)
    with pytest.raises(InvalidInput, match="NUL"):
        read_isolated("nul.csv", "社区,数量\n召北社区,\x001\n".encode(), LIMITS)


@pytest.mark.slow
def test_the_child_memory_limit() -> None:
    """A file inside every size limit that still needs more memory than allowed."""
    letters = [get_column_letter(c) for c in range(1, 1_001)]
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters) + "</row>"
        for r in range(1, 701)
    )
    data = xlsx(rows)
    with pytest.raises(ParseAborted) as refused:
        read_isolated("grid.xlsx", data, FileLimits(parse_memory_mb=80))
    assert "80 MB" in refused.value.message and refused.value.code == "PARSE_ABORTED"
    [sheet] = read_isolated("grid.xlsx", data, LIMITS)
    assert (len(sheet.rows), len(sheet.rows[0]), sheet.rows[-1][-1]) == (700, 1_000, 700)


def test_the_child_time_limit() -> None:
    rows = xlsx('<row r="1"><c r="A1"><v>1</v></c></row>')
    with pytest.raises(ParseAborted, match="秒"):
        read_isolated("slow.xlsx", rows * 1, FileLimits(parse_timeout_seconds=0))


def test_an_xls_that_is_an_xlsx_and_the_other_way_round() -> None:
    [sheet] = read_isolated(
        "名册.xls", xlsx(f'<row r="1">{text_cell("A1", "单位名称")}</row>'), LIMITS
    )
    assert sheet.rows == [["单位名称"]]
    [members] = read_isolated("名册.xlsx", (ROSTERS / "members.xls").read_bytes(), LIMITS)
    assert members.rows[0][0] == "姓名"


def test_truncated_and_damaged_files() -> None:
    data = xfd_1048576()
    for cut in (10, len(data) // 2, len(data) - 30):
        with pytest.raises(InvalidInput, match="无法读取"):
            read_isolated("cut.xlsx", data[:cut], LIMITS)
    xls = (ROSTERS / "members.xls").read_bytes()
    with pytest.raises(InvalidInput, match="无法读取"):
        read_isolated("cut.xls", xls[:700], LIMITS)


def test_formula_cells_read_as_their_values() -> None:
    data = xlsx('<row r="1"><c r="A1" t="str"><f>HYPERLINK("http://x","y")</f><v>y</v></c></row>')
    [sheet] = read_isolated("f.xlsx", data, LIMITS)
    assert sheet.rows == [["y"]]


def test_the_in_process_reader_applies_the_same_limits() -> None:
    with pytest.raises(FileTooLarge):
        read_bytes("x.xlsx", xfd_1048576())
    with pytest.raises(FileUnsafe):
        read_bytes("lol.xlsx", billion_laughs())


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.settings import Settings
    from domain.errors import ConfigError

    assert Settings.from_env().file_limits == FileLimits()
    monkeypatch.setenv("GONGJIAN_FILE_MAX_ROWS", "5000")
    monkeypatch.setenv("GONGJIAN_PARSE_MEMORY_MB", "512")
    limits = Settings.from_env().file_limits
    assert (limits.max_rows, limits.parse_memory_mb, limits.max_columns) == (5_000, 512, 1_024)
    monkeypatch.setenv("GONGJIAN_FILE_MAX_CELLS", "lots")
    with pytest.raises(ConfigError, match="GONGJIAN_FILE_MAX_CELLS"):
        Settings.from_env()


def test_a_child_is_kept_for_the_next_file_and_replaced_after_a_failure() -> None:
    from loaders import sandbox

    ok = xlsx(f'<row r="1">{text_cell("A1", "北大社区")}</row>')
    limits = FileLimits(parse_memory_mb=700)  # a pool of its own
    read_isolated("a.xlsx", ok, limits)
    [child] = sandbox._idle[700]
    read_isolated("b.csv", "社区\n召北社区\n".encode(), limits)
    assert sandbox._idle[700] == [child]
    with pytest.raises(ParseAborted):
        read_isolated("slow.xlsx", ok, dataclasses.replace(limits, parse_timeout_seconds=0))
    assert child.process.poll() is not None and sandbox._idle[700] == []
    [sheet] = read_isolated("c.xlsx", ok, limits)
    assert sheet.rows == [["北大社区"]]
    assert sandbox._idle[700][0] is not child


def test_the_scan_cannot_be_dodged() -> None:
    """Prefixed elements, a dimension after the cells, cells placed by their row only."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    prefixed = xlsx(f'<row r="1"><x:c xmlns:x="{main}" r="XFD1"><x:v>1</x:v></x:c></row>')
    with pytest.raises(FileTooLarge, match="16,384 列"):
        read_isolated("x.xlsx", prefixed, LIMITS)
    late = xlsx(
        '<row r="1"><c r="A1"><v>1</v></c></row></sheetData><dimension ref="A1:XFD9"/><sheetData>'
    )
    with pytest.raises(FileTooLarge, match="声明的范围有 16,384 列"):
        read_isolated("late.xlsx", late, LIMITS)
    implied = xlsx('<row r="300000"><c><v>1</v></c></row>')
    with pytest.raises(FileTooLarge, match="300,000 行"):
        read_isolated("implied.xlsx", implied, LIMITS)
    spaced = xlsx('<row r="1"><c\nr="XFD1"><v>1</v></c></row>')
    with pytest.raises(FileTooLarge, match="16,384 列"):
        read_isolated("spaced.xlsx", spaced, LIMITS)
