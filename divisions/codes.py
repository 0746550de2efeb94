"""The 12-digit statistical division code (统计用区划代码) and its levels.

Every code is handled as a 12-digit string: 2 digits province, 2 city, 2 county,
3 street, 3 community.  Shorter official forms are padded with zeros::

    510522        -> "510522000000"   county 合江县
    510522001     -> "510522001000"   street 符阳街道
    510522001006  -> "510522001006"   community 桂圆林社区

From the digits alone a code whose county part is ``00`` is a city.  Three cities
have no county level (东莞 4419, 中山 4420, 儋州 4604): their single code serves as
the county too, and :class:`~divisions.index.DivisionIndex` reports it as one.
"""

from __future__ import annotations

import functools
from enum import StrEnum

__all__ = [
    "Level",
    "committee_class",
    "county_code",
    "county_prefix",
    "is_code",
    "level_of",
    "parent_code",
    "short_code",
    "street_code",
    "street_prefix",
    "to_code12",
]

_NATURAL_LENGTHS = (2, 4, 6, 9, 12)


class Level(StrEnum):
    """Level of a division, from the top."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    STREET = "street"
    COMMUNITY = "community"

    @property
    def zh(self) -> str:
        """Chinese label used in messages."""
        return _ZH[self]

    @property
    def depth(self) -> int:
        """0 for a province ... 4 for a community."""
        return _ORDER.index(self)

    @property
    def digits(self) -> int:
        """Length of the code at its natural length (2, 4, 6, 9, 12)."""
        return _NATURAL_LENGTHS[self.depth]


_ORDER = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.STREET, Level.COMMUNITY)
_ZH = {
    Level.PROVINCE: "省级区划",
    Level.CITY: "地级区划",
    Level.COUNTY: "县（区）",
    Level.STREET: "街道（乡镇）",
    Level.COMMUNITY: "社区",
}


def is_code(text: str) -> bool:
    """True if ``text`` is a code at natural length or padded to 12 digits."""
    try:
        to_code12(text)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=1 << 16)
def to_code12(code: str) -> str:
    """Pad a 2/4/6/9/12-digit code to 12 digits; raise ``ValueError`` if malformed.

    Surrounding whitespace and full-width digits are accepted.
    """
    text = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in code.strip())
    if len(text) not in _NATURAL_LENGTHS or not text.isascii() or not text.isdigit():
        raise ValueError(f"不是统计用区划代码：{code!r}")
    full = text.ljust(12, "0")
    if full[:2] == "00":
        raise ValueError(f"不是统计用区划代码：{code!r}")
    # A zero level may not hold a non-zero one (e.g. 510000050000, 510522000006); the
    # exception is a zero county part above a street: 东莞 441900003000 and the like.
    if (full[2:4] == "00" and full[4:] != "00000000") or (full[6:9] == "000" and full[9:] != "000"):
        raise ValueError(f"不是统计用区划代码：{code!r}")
    return full


def level_of(code: str) -> Level:
    """Level of a code judged from its digits alone."""
    full = to_code12(code)
    if full[9:] != "000":
        return Level.COMMUNITY
    if full[6:9] != "000":
        return Level.STREET
    if full[4:6] != "00":
        return Level.COUNTY
    if full[2:4] != "00":
        return Level.CITY
    return Level.PROVINCE


def short_code(code: str) -> str:
    """The code at its natural length: ``"510522001000"`` -> ``"510522001"``."""
    full = to_code12(code)
    return full[: level_of(full).digits]


def parent_code(code: str) -> str | None:
    """12-digit code of the level above (``None`` for a province)."""
    full = to_code12(code)
    level = level_of(full)
    if level is Level.PROVINCE:
        return None
    return full[: _NATURAL_LENGTHS[level.depth - 1]].ljust(12, "0")


def county_prefix(code: str) -> str:
    """First 6 digits, for a county, street or community code."""
    full = to_code12(code)
    if level_of(full).depth < Level.COUNTY.depth:
        raise ValueError(f"{code} 不在县级以下")
    return full[:6]


def street_prefix(code: str) -> str:
    """First 9 digits, for a street or community code."""
    full = to_code12(code)
    if level_of(full).depth < Level.STREET.depth:
        raise ValueError(f"{code} 不在街道级以下")
    return full[:9]


def county_code(code: str) -> str:
    """12-digit code of the county holding a county, street or community."""
    return county_prefix(code) + "000000"


def street_code(code: str) -> str:
    """12-digit code of the street holding a street or community."""
    return street_prefix(code) + "000"


def committee_class(code: str) -> str | None:
    """Kind of committee a community code stands for, by the statistics coding rule.

    001-199 居民委员会, 200-399 村民委员会, 400-499 类似居民委员会,
    500-599 类似村民委员会; ``None`` above the community level or outside those bands.
    """
    full = to_code12(code)
    if level_of(full) is not Level.COMMUNITY:
        return None
    band = int(full[9:]) // 100
    return {
        0: "居民委员会",
        1: "居民委员会",
        2: "村民委员会",
        3: "村民委员会",
        4: "类似居民委员会",
        5: "类似村民委员会",
    }.get(band)
