"""Files to raw sheets: .xlsx and .xls through calamine, .csv with its encoding detected.

Each file is measured against ``FileLimits`` first (``loaders.limits``, ``loaders.xlsx_scan``)
and every sheet's extent again before its cells become Python values. The API and the
command line call this in a child process with memory and time limits (``loaders.sandbox``).

A raw sheet is a grid of cell values starting at cell A1, so that row ``i`` of
the grid is row ``i + 1`` as the sender sees it in Excel. Merged ranges are
filled with their top-left value; ``own`` says which rows hold a value of their
own (a row whose only content comes from a merged range is blank).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.errors import InvalidInput
from loaders.limits import SPLIT, FileLimits, check_container, too_large
from loaders.xlsx_scan import scan_xlsx

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
SUFFIXES = EXCEL_SUFFIXES | TEXT_SUFFIXES
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: the quote ``loaders.safe_cells`` puts before a formula-like text; a load takes it off
_QUOTED = ("'=", "'+", "'-", "'@", "'\t", "'\r")
_DEFAULT = FileLimits()


@dataclass
class RawSheet:
    file: str
    #: None for a CSV file
    sheet: str | None
    rows: list[list[Any]]
    own: list[bool]
    #: the text encoding of a CSV file
    encoding: str | None = None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _unquote(name: str, rows: list[list[Any]], limits: FileLimits) -> None:
    """Refuse a cell longer than Excel allows; take off the quote a report put before a
    formula-like text (so a fixed report loads the value as it was)."""
    longest = limits.max_cell_chars
    for row in rows:
        for i, value in enumerate(row):
            if type(value) is str and value:
                if len(value) > longest:
                    raise too_large(name, "有一个单元格长 ", len(value), longest, " 个字符",
                                    hint="请把过长的内容拆分或删减")  # fmt: skip
                if value[0] == "'" and value.startswith(_QUOTED):
                    row[i] = value[1:]


def _grid(rows: list[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> RawSheet:
    own = [any(not _blank(v) for v in row) for row in rows]
    height = max([len(rows), *(end[0] + 1 for _, end in merged)])
    width = max([0, *(len(r) for r in rows), *(end[1] + 1 for _, end in merged)])
    grid = [list(row) + [None] * (width - len(row)) for row in rows]
    grid += [[None] * width for _ in range(height - len(grid))]
    own += [False] * (height - len(own))
    for (top, left), (bottom, right) in merged:
        value = grid[top][left]
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    grid[r][c] = value
    return RawSheet("", None, grid, own)


def _check_extent(name: str, sheet: str, end: tuple[int, int] | None, limits: FileLimits) -> None:
    if end is None:
        return
    rows, columns = end[0] + 1, end[1] + 1
    where = f"的工作表 {sheet} 有 "
    if rows > limits.max_rows:
        raise too_large(name, where, rows, limits.max_rows, " 行", hint=SPLIT)
    if columns > limits.max_columns:
        raise too_large(
            name, where, columns, limits.max_columns, " 列", hint="请删除多余的列后再导入"
        )
    if rows * columns > limits.max_cells:
        raise too_large(name, where, rows * columns, limits.max_cells, " 个单元格", hint=SPLIT)


def read_excel(name: str, data: bytes, limits: FileLimits = _DEFAULT) -> list[RawSheet]:
    """Every visible sheet of a workbook."""
    from python_calamine import (  # noqa: PLC0415
        CalamineError,
        CalamineWorkbook,
        SheetVisibleEnum,
    )

    try:
        book = CalamineWorkbook.from_object(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as e:
        raise InvalidInput(
            f"无法读取 Excel 文件 {name}：{e} ({name}: not a readable workbook)", file=name
        ) from e
    sheets: list[RawSheet] = []
    with book:
        for meta in book.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            _check_extent(name, meta.name, sheet.end, limits)
            rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
            _unquote(name, rows, limits)
            grid = _grid(rows, list(sheet.merged_cell_ranges or []))
            grid.file, grid.sheet = name, meta.name
            sheets.append(grid)
    return sheets


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as e:
        raise InvalidInput(
            "无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV (unknown text encoding)"
        ) from e


def _delimiter(text: str) -> str:
    head = [line for line in text.splitlines()[:10] if line.strip()]
    counts = {sep: sum(line.count(sep) for line in head) for sep in (",", "\t", ";")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _csv_rows(name: str, text: str, limits: FileLimits) -> list[list[Any]]:
    """The rows of a CSV text, refused as soon as one is over a limit."""
    rows: list[list[Any]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    width = 0
    previous = csv.field_size_limit(limits.max_cell_chars)
    try:
        for row in reader:
            if len(rows) >= limits.max_rows:
                raise too_large(name, "超过 ", len(rows) + 1, limits.max_rows, " 行", hint=SPLIT)
            if len(row) > width:
                width = len(row)
                if width > limits.max_columns:
                    raise too_large(name, f"第 {reader.line_num} 行有 ", width, limits.max_columns,
                                    " 列", hint="请检查分隔符，或删除多余的列")  # fmt: skip
            rows.append([cell if cell != "" else None for cell in row])
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            raise too_large(name, f"第 {reader.line_num} 行有一个单元格超过 ", limits.max_cell_chars + 1,
                            limits.max_cell_chars, " 个字符", hint="请把过长的内容拆分或删减") from e  # fmt: skip
        raise InvalidInput(
            f"无法读取 CSV 文件 {name} 第 {reader.line_num} 行：{e}；请检查引号是否成对 "
            f"({name}: unreadable CSV line {reader.line_num})",
            file=name,
        ) from e
    finally:
        csv.field_size_limit(previous)
    if len(rows) * width > limits.max_cells:
        raise too_large(name, "共 ", len(rows) * width, limits.max_cells, " 个单元格", hint=SPLIT)
    return rows


def _longest_line(data: bytes) -> int:
    longest = start = 0
    while (end := data.find(b"\n", start)) != -1:
        longest = max(longest, end - start)
        start = end + 1
    return max(longest, len(data) - start)


def read_csv(name: str, data: bytes, limits: FileLimits = _DEFAULT) -> list[RawSheet]:
    if (longest := _longest_line(data)) > limits.max_line_bytes:
        raise too_large(name, "有一行长 ", longest, limits.max_line_bytes, " 字节",
                        hint="请检查换行符，或把过长的内容拆分")  # fmt: skip
    try:
        text, encoding = decode(data)
    except InvalidInput as e:
        raise InvalidInput(f"{name}：{e.message}", file=name) from e
    if "\x00" in text:
        raise InvalidInput(
            f"文件 {name} 含有空字符 (NUL)，不是文本格式的 CSV：请另存为 UTF-8 编码的 CSV "
            f"({name} holds NUL bytes: save it as a UTF-8 CSV)",
            file=name,
        )
    rows = _csv_rows(name, text, limits)
    _unquote(name, rows, limits)
    grid = _grid(rows, [])
    grid.file, grid.encoding = name, encoding
    return [grid]


def read_bytes(name: str, data: bytes, limits: FileLimits = _DEFAULT) -> list[RawSheet]:
    """The sheets of one file given by name and content (an upload), in this process:
    ``loaders.sandbox.read_isolated`` runs it in a child process with limits."""
    suffix = Path(name).suffix.lower()
    check_container(name, data, limits)
    if data.startswith(_ZIP):
        scan_xlsx(name, data, limits)
    if data.startswith((_ZIP, _OLE)) or suffix in EXCEL_SUFFIXES:
        return read_excel(name, data, limits)
    if suffix in TEXT_SUFFIXES or not suffix:
        return read_csv(name, data, limits)
    raise InvalidInput(f"不支持的文件类型 {name}：请上传 .xlsx、.xls 或 .csv 文件", file=name)


def read_path(path: Path) -> list[RawSheet]:
    return read_bytes(path.name, path.read_bytes())


def roster_files(paths: list[Path]) -> list[Path]:
    """Files to load: the paths given, with folders expanded to their roster files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not p.name.startswith((".", "~$"))
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InvalidInput(f"找不到文件或目录：{path}", path=str(path))
    return found
