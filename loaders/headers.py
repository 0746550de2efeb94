"""Finding the header row of a sheet and which roster kind it is.

Headers are compared after normalisation: NFKC, no white space, bracketed notes
dropped (``联系电话（手机）`` -> ``联系电话``, ``县(市、区)`` -> ``县``), marks such
as ``*`` and a trailing colon removed. A header unknown that way is tried with its
brackets' words kept (``镇（街道）`` -> ``镇街道``) and then as each bracket's words
alone (``街道``): clerks put the name they mean in either place.

A header still unknown is read by the longest known header it ends with, once every
exact one has its column (``资源提供单位`` ends with ``提供单位``; ``资源项目名称`` is
``资源项目``),
after the words departments use for the same thing are made one (诉求 is 需求, 挂点 and
挂钩 are 联系); a tie between two columns reads it as neither. The report says how each
such header was read (``readAs``), so the sender can check. Each column of a kind lists its
synonyms; the kind of a sheet is the one whose required columns are all there
and that recognises the most columns; a row is a header only when most of its
cells are known headers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

_BRACKETS = re.compile(r"[(（\[【〔<《][^)）\]】〕>》]*[)）\]】〕>》]")
_MARKS = re.compile(r"[*＊※★☆:：#＃]")
SCAN_ROWS = 30


@dataclass(frozen=True)
class Column:
    """One column of a roster kind."""

    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    #: the header must be present for a sheet to be this kind
    signature: bool = False
    #: a signature column that is missing is taken from this one (a demands roster whose
    #: only text is 需求内容 uses it as the title)
    instead: str = ""
    #: values offered in the template's drop-down list
    choices: tuple[str, ...] = ()
    example: str = ""
    note: str = ""

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(norm(h) for h in (self.header, *self.synonyms))


def norm(header: Any) -> str:
    """A header as it is compared.

    >>> norm("联系电话（手机）"), norm(" 县(市、区) "), norm("*单位 名称：")
    ('联系电话', '县', '单位名称')
    """
    text = unicodedata.normalize("NFKC", "" if header is None else str(header))
    text = "".join(text.split())
    stripped = _BRACKETS.sub("", text)
    text = stripped or text
    return _MARKS.sub("", text).lower()


def variants(header: Any) -> list[str]:
    """The forms a header is looked up by, best first: ``norm``, then its brackets' words
    kept, then each bracket's words alone.

    >>> variants("镇（街道）")
    ['镇', '镇街道', '街道']
    """
    first = norm(header)
    text = "".join(unicodedata.normalize("NFKC", "" if header is None else str(header)).split())
    kept = _MARKS.sub("", re.sub(r"[(（\[【〔<《)）\]】〕>》]", "", text)).lower()
    inner = [_MARKS.sub("", m.group(0)[1:-1]).lower() for m in _BRACKETS.finditer(text)]
    return list(dict.fromkeys(v for v in (first, kept, *inner) if v))


@dataclass
class HeaderMatch:
    """Where a sheet's header is and what each of its columns means."""

    kind: str
    #: 0-based index of the last header row; data starts on the next row
    row: int
    #: column key -> 0-based column index
    columns: dict[str, int]
    #: column key -> the header as written in the file
    written: dict[str, str]
    ignored: list[str] = field(default_factory=list)
    #: header as written -> the header of the column it was read as, when not a known one
    read_as: dict[str, str] = field(default_factory=dict)
    #: how many columns were known by a header as written (the rest by ``read_as``)
    exact: int = 0


@dataclass(frozen=True)
class KindColumns:
    name: str
    columns: tuple[Column, ...]

    def lookup(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for column in self.columns:
            for header in column.keys:
                found.setdefault(header, column.key)
        return found

    def header(self, key: str) -> str:
        return next(c.header for c in self.columns if c.key == key)


#: words departments write for the same thing, made one before a header is read by a
#: known header it contains
_SAME_WORDS = (
    ("诉求", "需求"),
    ("挂点", "联系"),
    ("挂钩", "联系"),
    ("包保", "包联"),
    ("联系点", "联系"),
    ("种类", "类别"),
    ("分类", "类别"),
    ("详情", "描述"),
    ("详细情况", "描述"),
)
#: columns every kind of sheet may have and none reads: not counted as unknown words
_FILLER = frozenset({"序号", "编号", "序", "no", "no.", "备注", "备考"})
#: a cell longer than this is data, never a header read by a header it contains
_NEAR_LONGEST = 10


#: words a header may end with that add nothing to what it names (资源项目名称 is 资源项目)
_NAMING = ("名称", "全称", "简称", "情况")


def _forms(header: str) -> list[str]:
    """``variants`` and then the same with one word for the same thing and no naming word
    at the end (诉求内容 -> 需求内容, 资源项目名称 -> 资源项目)."""
    plain = variants(header)
    more = []
    for form in plain:
        for old, new in _SAME_WORDS:
            form = form.replace(old, new)
        for word in _NAMING:
            if form.endswith(word) and len(form) > len(word) + 1:
                form = form[: -len(word)]
        more.append(form)
    return list(dict.fromkeys(plain + more))


def _near(header: str, lookup: dict[str, str], taken: set[str]) -> str | None:
    """The key of the longest known header (two characters or more) that ``header`` ends
    with, among keys not yet taken; None when none or when two keys tie.

    A Chinese header names its thing last: 资源提供单位 is a 提供单位, while 诉求人 (需求人)
    is a person, not a 需求, and is left unread."""
    best: tuple[int, set[str]] = (1, set())
    for form in _forms(header):
        if len(form) > _NEAR_LONGEST:
            continue
        for known, key in lookup.items():
            if key in taken or len(known) < best[0] or not form.endswith(known):
                continue
            if len(known) > best[0]:
                best = (len(known), {key})
            else:
                best[1].add(key)
    return next(iter(best[1])) if len(best[1]) == 1 else None


def _cells(row: Sequence[Any]) -> list[str]:
    return ["" if value is None else str(value).strip() for value in row]


def _match(kind: KindColumns, row: Sequence[str], lookup: dict[str, str]) -> HeaderMatch | None:
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    unknown: list[tuple[int, str]] = []
    read_as: dict[str, str] = {}
    for index, header in enumerate(row):
        if not header:
            continue
        plain = variants(header)
        form = next((f for f in _forms(header) if f in lookup), None)
        if form is None or lookup[form] in columns:
            unknown.append((index, header))
            continue
        key = lookup[form]
        columns[key], written[key] = index, header
        if form not in plain:
            read_as[header] = kind.header(key)
    ignored: list[str] = []
    exact = len(columns)
    if exact < 2:
        return None  # a header names at least two columns as they are known
    for index, header in unknown:
        near = _near(header, lookup, set(columns))
        if near is None:
            ignored.append(header)
            continue
        columns[near], written[near] = index, header
        read_as[header] = kind.header(near)
    for column in kind.columns:
        if column.signature and column.key not in columns and column.instead in columns:
            columns[column.key] = columns.pop(column.instead)
            written[column.key] = written.pop(column.instead)
            read_as[written[column.key]] = column.header
    if not all(c.key in columns for c in kind.columns if c.signature):
        return None
    unknown_words = [h for h in ignored if norm(h) not in _FILLER]
    if 2 * len(columns) < len(columns) + len(unknown_words):
        return None  # mostly unknown words: a data row that happens to hold a few header words
    return HeaderMatch(kind.name, -1, columns, written, ignored, read_as, exact)


def _merged(upper: Sequence[str], lower: Sequence[str]) -> list[str]:
    """Two header rows read as one: the lower cell where it has text, else the upper."""
    width = max(len(upper), len(lower))
    return [
        (lower[i] if i < len(lower) and lower[i] else "") or (upper[i] if i < len(upper) else "")
        for i in range(width)
    ]


def detect(
    rows: Sequence[Sequence[Any]], kinds: Sequence[KindColumns], *, scan: int = SCAN_ROWS
) -> HeaderMatch | None:
    """The best header among the first ``scan`` rows (a title or notes may sit above it).

    A header over two rows (a merged group cell above its sub-headers) is read as one.
    Ties between kinds go to the one with the larger share of its columns present.
    """
    lookups = [(kind, kind.lookup()) for kind in kinds]
    best: tuple[int, int, float, int] | None = None
    found: HeaderMatch | None = None
    limit = min(scan, len(rows))
    for index in range(limit):
        row = _cells(rows[index])
        if sum(1 for cell in row if cell) < 2:
            continue
        candidates = [(index, row)]
        if index + 1 < len(rows):
            candidates.append((index + 1, _merged(row, _cells(rows[index + 1]))))
        for last, cells in candidates:
            for kind, lookup in lookups:
                match = _match(kind, cells, lookup)
                if match is None:
                    continue
                score = (
                    match.exact,
                    len(match.columns),
                    len(match.columns) / len(kind.columns),
                    -last,
                )
                if best is None or score > best:
                    best, found = score, match
                    match.row = last
    return found
