"""Hypothesis strategies for hostile roster files: (file name, bytes)."""

from __future__ import annotations

from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from tests.loaders.hostile import (
    PAYLOADS,
    ROSTERS,
    billion_laughs,
    inflates_to,
    text_cell,
    xfd_1048576,
    xlsx,
)

SUFFIXES = [".xlsx", ".xls", ".csv", ".xlsm", ".txt", ""]
REAL = [p.read_bytes() for p in sorted(ROSTERS.iterdir()) if p.is_file() and p.suffix != ".py"]
CANNED = [xfd_1048576(), billion_laughs(), inflates_to(1 << 30), inflates_to(1 << 30, declared=5_000),
          inflates_to(16 << 20)]  # fmt: skip

text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.sampled_from(["召北社区", "工业街道", "达拉特旗", "北大社区居委会", "", " "]),
    st.text(max_size=30),
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Lo"]), max_size=20
    ),
    st.builds(lambda n: "长" * n, st.integers(30_000, 40_000)),
)
row_number = st.one_of(st.integers(1, 60), st.sampled_from([1_048_576, 200_001, 65_536]))
column = st.one_of(st.integers(1, 30), st.sampled_from([16_384, 1_025, 256]))


@st.composite
def xlsx_file(draw: st.DrawFn) -> bytes:
    cells = draw(st.lists(st.tuples(row_number, column, text), max_size=12))
    with_refs = draw(st.booleans())
    rows = []
    for r, c, value in sorted(cells):
        ref = f"{get_column_letter(c)}{r}" if with_refs else None
        rows.append(f'<row r="{r}">' if with_refs else "<row>")
        rows.append(text_cell(ref, value) if not value.startswith("=") else
                    f'<c{f" r={chr(34)}{ref}{chr(34)}" if ref else ""}><f>{value[1:].replace("&", "&amp;").replace("<", "&lt;")}</f></c>')  # fmt: skip
        rows.append("</row>")
    dimension = draw(
        st.one_of(st.none(), st.sampled_from(["A1", "A1:B2", "A1:XFD1048576", "ZZZZ9", "junk"]))
    )
    depth = draw(st.sampled_from([0, 0, 0, 200, 5_000]))
    nested = f'<row r="99"><c r="A99" t="inlineStr"><is>{"<r>" * depth}{"</r>" * depth}</is></c></row>' if depth else ""  # fmt: skip
    try:
        return xlsx("".join(rows) + nested, dimension=dimension)
    except UnicodeEncodeError:  # a lone surrogate: not even the builder can write it
        return xlsx("")


@st.composite
def csv_file(draw: st.DrawFn) -> bytes:
    rows = draw(st.lists(st.lists(text, max_size=6), max_size=8))
    sep = draw(st.sampled_from([",", "\t", ";"]))
    body = "\n".join(sep.join(f'"{v}"' if draw(st.booleans()) else v for v in row) for row in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    data = body.encode(encoding, errors="replace")
    junk = draw(st.sampled_from([b"", b"\x00", b"\xff\xfe\x80", "社区".encode("gb18030"), b"\r\n" * 3,
                                 b"\x00" * 40, b'"unclosed']))  # fmt: skip
    at = draw(st.integers(0, len(data)))
    return data[:at] + junk + data[at:]


@st.composite
def damaged(draw: st.DrawFn, source: st.SearchStrategy[bytes]) -> bytes:
    data = draw(source)
    how = draw(st.sampled_from(["none", "truncate", "flip", "zero"]))
    if how == "none" or not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    if how == "truncate":
        return data[:at]
    if how == "flip":
        return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    return data[:at] + b"\x00" * min(64, len(data) - at) + data[at + 64 :]


hostile_bytes = st.one_of(
    damaged(xlsx_file()),
    damaged(csv_file()),
    damaged(st.sampled_from(REAL)),
    st.sampled_from(CANNED),
    st.binary(max_size=300),
)
#: a file as an upload: a name whose suffix may lie about the content
hostile_file = st.tuples(st.builds(lambda s: f"名册{s}", st.sampled_from(SUFFIXES)), hostile_bytes)
