"""Service-scope words (服务范围) as departments of any county-level division write them.

A district writes 全区, a county-level city 全市, a banner 全旗; any of them may write
全域, 辖区内, 本区, 城区, 全区范围内 or the division's own name (纳溪区, 峨眉山市). Those
mean the whole county-level division. 本街道, 全街道, 本镇 mean the street (or town)
of the unit's liaison communities; 本社区 its liaison communities. A word of another
kind (全县 written by a district) is still read as the whole division, with a warning.
"""

from __future__ import annotations

import functools
from typing import Literal

from divisions import KIND_WORDS, Division, county_kind, kind_word
from divisions.names import compact, county_body, county_stem

Meaning = Literal["county", "street", "community"]

_COUNTY_FORMS = ("全{}", "本{}", "{}域", "全{}域", "全{}范围", "全{}范围内", "{}范围内", "全{}内",
                 "{}内", "本{}范围", "本{}范围内", "本{}内", "{}级")  # fmt: skip
_ANY_KIND = ("全域", "辖区", "辖区内", "全辖区", "本辖区", "本辖区内", "辖区范围内", "全部", "全境")
_TOWN = {"县": ("县城",), "区": ("城区",), "市": ("市区", "城区"), "旗": ("旗所在地",)}
_STREET = tuple(
    f"{prefix}{street}{suffix}"
    for street in ("街道", "镇", "乡", "苏木", "街道办")
    for prefix in ("本", "全", "所在")
    for suffix in ("", "内", "范围", "范围内", "辖区")
)
_COMMUNITY = (
    "本社区",
    "全社区",
    "所在社区",
    "联系社区",
    "包联社区",
    "结对社区",
    "共建社区",
    "挂点社区",
    "挂钩社区",
    "包保社区",
    "联系点社区",
    "帮扶社区",
    "所联系社区",
)


def _words(word: str) -> frozenset[str]:
    return frozenset(form.format(word) for form in _COUNTY_FORMS) | frozenset(_TOWN[word])


_OWN = {word: _words(word) for word in KIND_WORDS}


@functools.lru_cache(maxsize=64)
def _full_kind(kind: str) -> frozenset[str]:
    """The county forms of a kind longer than its kind word (林区, 特区, 新区: 全林区)."""
    return frozenset(form.format(kind) for form in _COUNTY_FORMS) if len(kind) > 1 else frozenset()


@functools.lru_cache(maxsize=4096)
def _names(name: str) -> frozenset[str]:
    body, stem = county_body(name), county_stem(name)
    forms = {body, f"{body}全域", f"{body}范围内", f"全{body}", f"{stem}全{kind_word(name)}"}
    return frozenset(forms)


#: the county seat in any kind's words (县城, 城区, 市区 ...)
_SEAT = frozenset(word for words in _TOWN.values() for word in words)


def _town_of(county: Division, word: str) -> bool:
    """The county seat named after the county: 本县城区, 县城区, 石柱县城, 石柱城区 (a 县城
    is the county's, and its service scope the whole county, as 县城 alone is)."""
    own = kind_word(county.name)
    heads = (f"本{own}", own, county_body(county.name), county_stem(county.name))
    return any(
        word.startswith(head)
        and (word[len(head) :] in _SEAT or f"{own}{word[len(head) :]}" in _SEAT)
        for head in heads
        if head and len(word) > len(head)
    )


def meaning(county: Division, text: str) -> tuple[Meaning, str | None] | None:
    """What a scope word means in this county, and the kind word it used when it is not
    the county's own (全县 in a district: ``("county", "县")``); None: not a scope word,
    so a street or community name.

    >>> from divisions import DivisionIndex
    >>> naxi = DivisionIndex.default().county("纳溪区").unwrap()
    >>> meaning(naxi, "全区"), meaning(naxi, "全县"), meaning(naxi, "本街道"), meaning(naxi, "安富")
    (('county', None), ('county', '县'), ('street', None), None)
    """
    word = compact(text)
    own = kind_word(county.name)
    if word in _OWN[own] or word in _ANY_KIND or word in _names(county.name):
        return "county", None
    if word in _full_kind(county_kind(county.name)):  # 全林区, 本特区, 新区范围内
        return "county", None
    for other in KIND_WORDS:
        if other != own and word in _OWN[other]:
            return "county", other
    if _town_of(county, word):
        return "county", None
    if word in _STREET:
        return "street", None
    if word in _COMMUNITY:
        return "community", None
    return None
