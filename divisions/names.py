"""Name normalisation for matching division names written in rosters.

Each level has a *stem* function that removes what people add or drop around a
name, so that all of these meet::

    桂圆林 / 桂圆林社区 / 桂圆林社区居委会 / 桂圆林社区居民委员会   -> 桂圆林
    符阳 / 符阳街道 / 符阳街道办事处 / 符阳街道办                    -> 符阳
    合江 / 合江县 / 合江县人民政府                                   -> 合江

Only suffixes are removed, one kind after another, and never down to nothing:
the community 街道口社区居民委员会 stems to 街道口, and the community literally named
街道居民委员会 to 街道.  :func:`loose` also drops bracketed remarks such as
站前社区（白河） -> 站前.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from divisions.codes import Level

__all__ = [
    "body_for",
    "community_body",
    "community_stem",
    "compact",
    "county_body",
    "county_stem",
    "display_name",
    "loose",
    "region_stem",
    "stem_for",
    "street_body",
    "street_stem",
]

# The 55 minority nationalities plus 各族, for names such as 峨边彝族自治县, 民族乡;
# 维吾尔 alone for 新疆维吾尔自治区.  Longest first.
_NATIONALITIES = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "各",
]
_ETHNIC = tuple(sorted([n + "族" for n in _NATIONALITIES] + ["维吾尔"], key=len, reverse=True))

# Committee suffixes, longest first; the odd ones are spellings found in the 2023 list
# (居民委会, 居委员会, 居委会会, 居民委员, 社区委会 ...).
_COMMITTEE = (
    "居民委员会",
    "村民委员会",
    "家属委员会",
    "居委员会",
    "居民委员",
    "居民委会",
    "居委会会",
    "委员会",
    "居委会",
    "村委会",
    "家委会",
    "居民会",
    "委会",
    "居委",
)
_STREET_BODY = ("街道办事处", "街道办", "办事处", "人民政府", "政府")  # longest first
_STREET_KIND = ("街道", "苏木", "地区", "镇", "乡")
_COUNTY_BODY = ("人民政府", "政府")
_COUNTY_KIND = ("自治县", "自治旗", "新区", "林区", "特区", "县", "区", "市", "旗")
_REGION_KIND = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")


def compact(text: str) -> str:
    """NFKC (full-width to half-width) and every whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _strip_one(text: str, suffixes: tuple[str, ...], keep: int) -> str:
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) - len(suffix) >= keep:
            return text[: -len(suffix)]
    return text


def _strip_ethnic(text: str, keep: int) -> str:
    while True:
        shorter = _strip_one(text, _ETHNIC, keep)
        if shorter == text:
            return text
        text = shorter


def community_body(name: str) -> str:
    """Without the committee word: 桂圆林社区居委会 -> 桂圆林社区; 王庄居委会 -> 王庄."""
    return _strip_one(compact(name), _COMMITTEE, 1)


def community_stem(name: str) -> str:
    """桂圆林社区居民委员会 / 桂圆林社区居委会 / 桂圆林社区 / 桂圆林 -> 桂圆林."""
    return _strip_one(community_body(name), ("社区",), 1)


def street_body(name: str) -> str:
    """Without the office word: 符阳街道办事处 -> 符阳街道; 望龙镇人民政府 -> 望龙镇."""
    text = compact(name)
    for suffix in _STREET_BODY:
        if text.endswith(suffix) and len(text) > len(suffix):
            # 街道办事处 and 街道办 keep their 街道.
            return text[: -len(suffix)] + ("街道" if suffix.startswith("街道") else "")
    return text


def street_stem(name: str) -> str:
    """符阳街道办事处 / 符阳街道 / 符阳 -> 符阳; 望龙镇人民政府 -> 望龙; XX彝族乡 -> XX.

    A town turned street keeps its 镇 in the official name (石湾镇街道); clerks write it
    either way, so 石湾镇街道 and 石湾镇 both stem to 石湾.
    """
    body = street_body(name)
    text = _strip_one(body, _STREET_KIND, 1)
    if body.endswith("街道") and text.endswith(("镇", "乡")):
        text = _strip_one(text, ("镇", "乡"), 1)
    return _strip_ethnic(text, 1)


def county_body(name: str) -> str:
    """Without the government word: 合江县人民政府 -> 合江县."""
    return _strip_one(compact(name), _COUNTY_BODY, 2)


def county_stem(name: str) -> str:
    """合江县 / 合江 -> 合江; 峨边彝族自治县 -> 峨边; 浦东新区 -> 浦东; 城区 stays."""
    text = _strip_one(county_body(name), _COUNTY_KIND, 2)
    return _strip_ethnic(text, 2)


def region_stem(name: str) -> str:
    """Province or city: 四川省 -> 四川; 广西壮族自治区 -> 广西; 泸州市 -> 泸州."""
    text = _strip_one(compact(name), _REGION_KIND, 2)
    return _strip_ethnic(text, 2)


def loose(name: str, stem: Callable[[str], str]) -> str:
    """``stem(name)`` once bracketed remarks are dropped: 站前社区（白河） -> 站前."""
    text = compact(name)
    while True:
        shorter = _BRACKETS.sub("", text)
        if shorter == text:
            break
        text = shorter
    return stem(text) if text else stem(name)


def display_name(name: str) -> str:
    """Short form for messages: 桂圆林社区居民委员会 -> 桂圆林社区; others unchanged."""
    for suffix in ("社区居民委员会", "社区居委会"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix) + 2]
    return name


def body_for(level: Level) -> Callable[[str], str]:
    """Function removing the office or committee word, for a level."""
    return _BODY_BY_LEVEL[level]


def stem_for(level: Level) -> Callable[[str], str]:
    """Stem function for a level."""
    return _BY_LEVEL[level]


_BODY_BY_LEVEL: dict[Level, Callable[[str], str]] = {
    Level.PROVINCE: compact,
    Level.CITY: compact,
    Level.COUNTY: county_body,
    Level.STREET: street_body,
    Level.COMMUNITY: community_body,
}


_BY_LEVEL: dict[Level, Callable[[str], str]] = {
    Level.PROVINCE: region_stem,
    Level.CITY: region_stem,
    Level.COUNTY: county_stem,
    Level.STREET: street_stem,
    Level.COMMUNITY: community_stem,
}
