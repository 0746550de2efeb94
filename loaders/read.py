"""Files to raw sheets: .xlsx and .xls through calamine, .csv with its encoding detected.

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

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
SUFFIXES = EXCEL_SUFFIXES | TEXT_SUFFIXES
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


def read_excel(name: str, data: bytes) -> list[RawSheet]:
    """Every visible sheet of a workbook."""
    from python_calamine import (  # noqa: PLC0415
        CalamineError,
        CalamineWorkbook,
        SheetVisibleEnum,
    )

    try:
        book = CalamineWorkbook.from_object(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as e:
        raise InvalidInput(f"无法读取 Excel 文件 {name}：{e}", file=name) from e
    sheets: list[RawSheet] = []
    with book:
        for meta in book.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
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


def read_csv(name: str, data: bytes) -> list[RawSheet]:
    try:
        text, encoding = decode(data)
    except InvalidInput as e:
        raise InvalidInput(f"{name}：{e.message}", file=name) from e
    rows = [
        list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    ]
    grid = _grid([[cell if cell != "" else None for cell in row] for row in rows], [])
    grid.file, grid.encoding = name, encoding
    return [grid]


def read_bytes(name: str, data: bytes) -> list[RawSheet]:
    """The sheets of one file given by name and content (an upload)."""
    suffix = Path(name).suffix.lower()
    if data.startswith((_ZIP, _OLE)) or suffix in EXCEL_SUFFIXES:
        return read_excel(name, data)
    if suffix in TEXT_SUFFIXES or not suffix:
        return read_csv(name, data)
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
