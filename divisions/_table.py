"""Reading the shipped code table into memory (internal).

The file lists codes in sorted order, which is a pre-order walk of the tree, and the
12-digit forms keep that order: the descendants of a code are the contiguous run of
keys sharing its prefix.  So loading only builds a name dict and a sorted key list
(bulk operations, no per-row Python work beyond padding), and the children of a code
are found when first asked for by bisection, jumping over each child's subtree.
"""

from __future__ import annotations

import gzip
import threading
from bisect import bisect_left, bisect_right
from pathlib import Path

from divisions.codes import Level

HEADER = "code\tname"
_LEN_OF = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.STREET: 9, Level.COMMUNITY: 12}


def digit_parent(key: str) -> str:
    """Parent of a valid 12-digit key by its digits ("" above a province)."""
    if key[9:] != "000":
        return key[:9] + "000"
    if key[6:9] != "000":
        return key[:6] + "000000"
    if key[4:6] != "00":
        return key[:4] + "00000000"
    if key[2:4] != "00":
        return key[:2] + "0000000000"
    return ""


def digit_level(key: str) -> Level:
    if key[9:] != "000":
        return Level.COMMUNITY
    if key[6:9] != "000":
        return Level.STREET
    if key[4:6] != "00":
        return Level.COUNTY
    if key[2:4] != "00":
        return Level.CITY
    return Level.PROVINCE


class Table:
    """Names by 12-digit code, the sorted codes, and children on demand; read-only."""

    __slots__ = ("_children", "_lock", "county_cities", "keys", "names", "source")

    def __init__(self, names: dict[str, str], county_cities: frozenset[str], source: str) -> None:
        self.names = names
        self.keys = list(names)  # insertion order is the file's sorted order
        self.county_cities = county_cities
        self.source = source
        self._children: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def level(self, key: str) -> Level:
        """Level of a known key; a city without counties (东莞) counts as a county."""
        return Level.COUNTY if key in self.county_cities else digit_level(key)

    def children(self, key: str) -> list[str]:
        """Keys directly under ``key`` ("" for the provinces), in code order."""
        cached = self._children.get(key)
        if cached is not None:
            return cached
        keys = self.keys
        if key == "":
            lo, hi, parent = 0, len(keys), ""
        else:
            prefix = key[: _LEN_OF[digit_level(key)]]
            lo = bisect_right(keys, key)
            hi = bisect_left(keys, prefix + ":", lo)  # ":" sorts right after "9"
            parent = key
        found = []
        i = lo
        while i < hi:
            child = keys[i]
            if digit_parent(child) == parent:
                found.append(child)
            # Jump over the child's own subtree.
            i = bisect_left(keys, child[: _LEN_OF[digit_level(child)]] + ":", i + 1, hi)
        with self._lock:
            self._children[key] = found
        return found


def load_table(path: Path) -> Table:
    """Parse ``divisions-2023.tsv.gz`` (see ``data/SOURCE.md`` for the format)."""
    with gzip.open(path, "rb") as fh:
        text = fh.read().decode("utf-8")
    header, _, body = text.partition("\n")
    if header != HEADER:
        raise ValueError(f"{path}: not a divisions table (header {header[:40]!r})")
    flat = body.replace("\t", "\n").split("\n")
    if flat and flat[-1] == "":
        flat.pop()
    if len(flat) % 2:
        raise ValueError(f"{path}: malformed table")
    codes = flat[0::2]
    names = dict(zip([c.ljust(12, "0") for c in codes], flat[1::2], strict=True))
    # County rows equal to their city's 12-digit code (东莞 441900 = 4419).
    county_cities = frozenset(c + "000000" for c in codes if len(c) == 6 and c.endswith("00"))
    return Table(names, county_cities, str(path))
