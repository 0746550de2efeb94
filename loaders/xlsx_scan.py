"""An .xlsx measured by streaming its XML, before any spreadsheet reader sees it.

The reader allocates the extent of every sheet (the last row times the last column
of any cell) at once, so a single cell ``<c r="XFD1048576"/>`` costs 512 GiB. The
extent is therefore measured here, entry by entry and chunk by chunk, from the cells
themselves (``<dimension ref=…>`` is read too, but it may lie), together with each
entry's inflated size. XML with a DTD (entity expansion, "billion laughs") is refused:
no spreadsheet program writes one.

Fast path: regular expressions over the bytes of ``<sheetData>`` find every ``r="…"`` of
``<c>``; only a sheet with cells that carry no ``r`` (their place is implied by the row
and the cells before) or with prefixed elements (``<x:c>``) is walked element by element
(expat), counting.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from xml.parsers import expat

from domain.errors import FileUnsafe, InvalidInput
from loaders.limits import RESAVE, SPLIT, FileLimits, check_entry, too_large

_CHUNK = 1 << 20
_NAME = rb"<(?:[A-Za-z_][\w.-]*:)?"
# literal starts: the regular expression engine skips to each "<c" at memchr speed
_CELL = re.compile(rb"<c[\s/>]")
_CELL_R = re.compile(rb"<c\s[^>]*?\br=\"\$?([A-Z]+)\$?([0-9]+)\"")
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData[\s/>]")
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_DIMENSION = re.compile(_NAME + rb"dimension\s[^>]*?\bref=\"([^\"]*)\"")
_REF = re.compile(r"\$?([A-Z]+)\$?([0-9]+)$")
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_UTF16 = (b"\xff\xfe", b"\xfe\xff")
_WIDE = re.compile(rb"encoding=[\"'](?i:utf-?16|utf-?32|ucs)")
_MAX_DEPTH = 64


def column_number(letters: str) -> int:
    """``A`` is 1, ``XFD`` is 16384.

    >>> column_number("XFD")
    16384
    """
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


@dataclass
class Extent:
    rows: int = 0
    columns: int = 0


def _declared(ref: bytes) -> Extent:
    last = ref.decode("ascii", "replace").split(":")[-1]
    match = _REF.match(last)
    if match is None:
        return Extent()
    return Extent(int(match.group(2)), column_number(match.group(1)))


def _check(name: str, sheet: str, extent: Extent, limits: FileLimits, *, declared: bool) -> None:
    where = f"的部件 {sheet} " + ("声明的范围" if declared else "")
    if extent.rows > limits.max_rows:
        raise too_large(name, f"{where}有 ", extent.rows, limits.max_rows, " 行", hint=SPLIT)
    if extent.columns > limits.max_columns:
        raise too_large(name, f"{where}有 ", extent.columns, limits.max_columns, " 列",
                        hint="请删除多余的列后再导入")  # fmt: skip
    cells = extent.rows * extent.columns
    if cells > limits.max_cells:
        raise too_large(name, f"{where}（{extent.rows:,} 行 × {extent.columns:,} 列）共 ", cells,
                        limits.max_cells, " 个单元格", hint=SPLIT)  # fmt: skip


def _unsafe(name: str, entry: str, what: str) -> FileUnsafe:
    return FileUnsafe(
        f"文件 {name} 的部件 {entry} 含有{what}，电子表格软件不会写出这样的内容：{RESAVE} "
        f"({name}: {entry} holds {'a DTD' if 'DTD' in what else 'nesting too deep'})",
        file=name,
    )


class _Walk:
    """The exact extent of one sheet, element by element (cells without ``r``)."""

    def __init__(self, name: str, entry: str) -> None:
        self.name, self.entry = name, entry
        self.extent = Extent()
        self.row = 0
        self.column = 0
        self.depth = 0
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.doctype

    def doctype(self, *_: object) -> None:
        raise _unsafe(self.name, self.entry, "文档类型定义 (DTD)")

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _unsafe(self.name, self.entry, f"超过 {_MAX_DEPTH} 层的嵌套")
        local = tag.rpartition(":")[2]
        if local == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() else self.row + 1
            self.column = 0
            self.extent.rows = max(self.extent.rows, self.row)
        elif local == "c":
            match = _REF.match(attrs.get("r", ""))
            if match:
                self.column = column_number(match.group(1))
                self.extent.rows = max(self.extent.rows, int(match.group(2)))
            else:
                self.column += 1
            self.extent.columns = max(self.extent.columns, self.column)

    def end(self, _tag: str) -> None:
        self.depth -= 1

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError as e:
            raise InvalidInput(
                f"文件 {self.name} 的部件 {self.entry} 不是有效的 XML（{e}）：{RESAVE}",
                file=self.name,
            ) from e


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: FileLimits,
            budget: list[int]) -> Iterator[bytes]:  # fmt: skip
    """The entry's inflated bytes in chunks, counted against the entry and total limits."""
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                budget[0] += len(chunk)
                check_entry(name, info.filename, size, info.compress_size, limits)
                if budget[0] > limits.max_uncompressed_bytes:
                    raise too_large(name, "解压后超过 ", budget[0], limits.max_uncompressed_bytes,
                                    " 字节", hint=SPLIT)  # fmt: skip
                yield chunk
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as e:
        raise InvalidInput(
            f"无法读取 Excel 文件 {name}：部件 {info.filename} 已损坏或不完整，{RESAVE} "
            f"({name}: damaged or incomplete)",
            file=name,
        ) from e


def _scan_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: FileLimits,
                budget: list[int]) -> None:  # fmt: skip
    cells = cells_r = 0
    found = Extent()
    carry = b""
    head = True
    inside = False
    for chunk in _stream(archive, info, name, limits, budget):
        data = carry + chunk
        cut = data.rfind(b">") + 1
        data, carry = data[:cut], data[cut:]
        if any(marker in data for marker in _DTD):
            raise _unsafe(name, info.filename, "文档类型定义 (DTD)")
        if head and (data.startswith(_UTF16) or _WIDE.search(data[:200])):
            return _walk(archive, info, name, limits)  # tags are not ASCII bytes
        head = False
        if (not inside or b"dimension" in data) and (dim := _DIMENSION.search(data)):
            # (a schema-valid sheet has one, before <sheetData>; a hostile one anywhere)
            _check(name, info.filename, _declared(dim.group(1)), limits, declared=True)
        if not inside:
            if (start := _SHEET_DATA.search(data)) is None:
                continue
            if start.group(1):  # prefixed elements (x:c): counted one by one
                return _walk(archive, info, name, limits)
            inside = True
        if b":c" in data and _PREFIXED_CELL.search(data):
            return _walk(archive, info, name, limits)
        cells += len(_CELL.findall(data))
        refs = _CELL_R.findall(data)
        cells_r += len(refs)
        if refs:
            found.rows = max(found.rows, max(map(int, map(_SECOND, refs))))
            wide = max(set(map(_FIRST, refs)), key=lambda c: (len(c), c))
            found.columns = max(found.columns, column_number(wide.decode()))
        _check(name, info.filename, found, limits, declared=False)
    if any(marker in carry for marker in _DTD):
        raise _unsafe(name, info.filename, "文档类型定义 (DTD)")
    if cells_r < cells:  # cells whose place is implied
        _walk(archive, info, name, limits)
    return None


def _walk(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: FileLimits) -> None:
    walk = _Walk(name, info.filename)
    for chunk in _stream(archive, info, name, limits, [0]):
        walk.feed(chunk)
        _check(name, info.filename, walk.extent, limits, declared=False)
    walk.feed(b"", final=True)


def scan_xlsx(name: str, data: bytes, limits: FileLimits) -> None:
    """Refuse an .xlsx (or .xlsm) whose sheets, inflated, are over a limit or unsafe."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        raise InvalidInput(
            f"无法读取 Excel 文件 {name}：文件已损坏或不完整，{RESAVE} "
            f"({name}: damaged or incomplete)",
            file=name,
        ) from e
    budget = [0]
    with archive:
        for info in archive.infolist():
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                _scan_entry(archive, info, name, limits, budget)
