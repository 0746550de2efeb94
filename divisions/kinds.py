"""The kind of a county-level division (县, 区, 县级市, 旗 ...) and the word people use for it.

A district's rosters say 全区, a county-level city's 全市, a banner's 全旗: every
message and scope word that says 县 for 合江县 must say the division's own word::

    county_kind("纳溪区"), kind_word("纳溪区")          -> ('区', '区')
    county_kind("峨边彝族自治县"), kind_word("峨边彝族自治县") -> ('自治县', '县')
    kind_word("峨眉山市"), kind_word("鄂温克族自治旗")    -> ('市', '旗')
"""

from __future__ import annotations

from divisions.names import compact

__all__ = ["COUNTY_KINDS", "KIND_WORDS", "county_kind", "kind_word"]

#: the kinds of county-level division in the 2023 table, longest suffix first
COUNTY_KINDS = ("自治县", "自治旗", "新区", "林区", "特区", "县", "区", "市", "旗")
#: the one-character words a roster uses for them
KIND_WORDS = ("县", "区", "市", "旗")
_WORD = {"自治县": "县", "自治旗": "旗", "新区": "区", "林区": "区", "特区": "区"}


def county_kind(name: str) -> str:
    """The kind suffix of a county-level name; "" for the few odd ones (西沙群岛,
    大柴旦行政委员会) and for a name written without its kind (纳溪)."""
    text = compact(name)
    for kind in COUNTY_KINDS:
        if text.endswith(kind) and len(text) > len(kind):
            return kind
    return ""


def kind_word(name: str) -> str:
    """县, 区, 市 or 旗: what 全_ and 本_ take for this division (区 for the odd ones
    named 管理区 or 新城, 县 otherwise)."""
    kind = county_kind(name)
    if kind:
        return _WORD.get(kind, kind)
    return "区" if any(c in compact(name) for c in "区城") else "县"
