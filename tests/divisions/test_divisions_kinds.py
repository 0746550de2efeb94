"""Every county-level division of the shipped table has a kind and a kind word."""

from __future__ import annotations

from collections import Counter

from divisions import DivisionIndex, Level, county_kind, kind_word


def _counties(idx: DivisionIndex) -> list[tuple[str, str]]:
    table = idx._core.table
    return [(c, table.names[c]) for c in table.keys if table.level(c) is Level.COUNTY]


def test_the_kinds_of_the_table(idx: DivisionIndex) -> None:
    counties = _counties(idx)
    assert len(counties) == 2978
    kinds = Counter(county_kind(name) for _, name in counties)
    assert kinds == {
        "县": 1299, "区": 1085, "市": 401, "自治县": 117, "旗": 49, "新区": 11, "林区": 6,
        "自治旗": 3, "特区": 1, "": 6,
    }  # fmt: skip
    words = Counter(kind_word(name) for _, name in counties)
    # the odd six: 白沟新城 and 乌拉盖管理区 say 区; three 群岛 and 大柴旦 say 县
    assert words == {"县": 1299 + 117 + 4, "区": 1085 + 11 + 6 + 1 + 2, "市": 401, "旗": 52}


def test_kind_words() -> None:
    assert [kind_word(n) for n in ("纳溪区", "峨眉山市", "准格尔旗", "鄂温克族自治旗")] == [
        "区", "市", "旗", "旗",
    ]  # fmt: skip
    assert [kind_word(n) for n in ("峨边彝族自治县", "神农架林区", "六枝特区", "浦东新区")] == [
        "县", "区", "区", "区",
    ]  # fmt: skip
    assert [kind_word(n) for n in ("乌拉盖管理区管委会", "西沙群岛", "大柴旦行政委员会")] == [
        "区", "县", "县",
    ]  # fmt: skip
    assert county_kind("纳溪") == "" and county_kind("县") == ""


def test_a_pair_anywhere(idx: DivisionIndex) -> None:
    assert [d.code for d in idx.anywhere("峨山街道", "钟鼓社区居民委员会")] == ["511181002002"]
    assert [d.code for d in idx.anywhere("大渡口镇", "锦衣")] == ["510503100001"]
    assert len(idx.anywhere(None, "钟鼓")) == 3
    assert idx.anywhere("永宁街道", "上坝街") == []
    found = idx.anywhere("新华街道", "新华社区")
    assert len(found) == 3 and len({d.code[:6] for d in found}) == 3
