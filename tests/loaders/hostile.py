"""Hostile roster files, built byte by byte: zip bombs, lying dimensions, DTDs, .xls and
.xlsx that are the other one. Shared by tests/loaders and tests/api."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from openpyxl import Workbook

ROSTERS = Path(__file__).resolve().parent.parent / "fixtures" / "rosters"
PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1+1",
    "-2+3",
    "\t=1",
    "\r=1",
]
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        f'ContentType="{_CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_CT}.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship '
        f'Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship '
        f'Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
SHEET = "xl/worksheets/sheet1.xml"


@dataclass
class Entry:
    name: str
    #: raw deflate bytes
    data: bytes
    crc: int
    size: int
    #: what the headers say the entry inflates to (a lie when it differs from ``size``)
    declared: int | None = None


def deflated(name: str, raw: bytes) -> Entry:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Entry(name, c.compress(raw) + c.flush(), zlib.crc32(raw), len(raw))


def zip_bytes(entries: list[Entry]) -> bytes:
    """A zip of deflated entries, with the sizes each entry declares."""
    out, central = io.BytesIO(), io.BytesIO()
    for e in entries:
        name = e.name.encode()
        size = e.size if e.declared is None else e.declared
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, e.crc,
                              len(e.data), size, len(name), 0) + name + e.data)  # fmt: skip
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21,
                                  e.crc, len(e.data), size, len(name), 0, 0, 0, 0, 0,
                                  offset) + name)  # fmt: skip
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                          len(directory), start, 0))  # fmt: skip
    return out.getvalue()


def sheet_xml(rows: str, *, dimension: str | None = None, prolog: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{_MAIN}">{dim}'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def xlsx(rows: str, *, dimension: str | None = None, prolog: str = "") -> bytes:
    """A one-sheet workbook whose ``<sheetData>`` is ``rows`` (XML text)."""
    sheet = sheet_xml(rows, dimension=dimension, prolog=prolog)
    parts = [deflated(name, text.encode()) for name, text in PARTS.items()]
    return zip_bytes([*parts, deflated(SHEET, sheet)])


def text_cell(ref: str | None, text: str) -> str:
    where = f' r="{ref}"' if ref else ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c{where} t="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>'


def xfd_1048576() -> bytes:
    """The 4.7 KB workbook of the finding: a real roster header, and one cell at
    XFD1048576 (the last cell Excel has), written by openpyxl."""
    book = Workbook()
    sheet = book.active
    sheet.title = "资源清单"
    sheet.append(["单位名称", "资源名称", "资源类别", "数量"])
    sheet.append(["塔城市民政局", "日间照料中心", "场地", 2])
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@cache
def inflates_to(total: int, *, declared: int | None = None) -> bytes:
    """A workbook of about total/1000 bytes whose sheet inflates to ``total`` bytes
    (empty rows, deflated at the format's best ratio); ``declared`` lies about it."""
    unit = 1 << 20
    chunk = b"<row/>" * (unit // 6) + b"<row/>"[: unit % 6]
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head, tail = sheet_xml("").split(b"<sheetData>")
    head += b"<sheetData>"
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    # after a full flush the compressor starts afresh: the same chunk, the same bytes
    piece = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    count = max(1, (total - len(head) - len(tail)) // unit)
    data = first + piece * count + c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + count * unit + len(tail)
    parts = [deflated(name, text.encode()) for name, text in PARTS.items()]
    return zip_bytes([*parts, Entry(SHEET, data, crc, size, declared)])


def billion_laughs() -> bytes:
    prolog = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    return xlsx(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', prolog=prolog
    )
