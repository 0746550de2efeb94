"""Name normalisation."""

import pytest

from divisions.names import (
    community_stem,
    compact,
    county_stem,
    display_name,
    loose,
    region_stem,
    street_stem,
)


@pytest.mark.parametrize(
    "name",
    [
        "桂圆林",
        "桂圆林社区",
        "桂圆林社区居民委员会",
        "桂圆林社区居委会",
        " 桂圆林 社区 ",
        "桂圆林\u3000社区居委会",
        "桂圆林社区居委",
    ],
)
def test_community_variants(name: str) -> None:
    assert community_stem(name) == "桂圆林"


@pytest.mark.parametrize("name", ["符阳", "符阳街道", "符阳街道办事处", "符阳街道办", "符阳办事处"])
def test_street_variants(name: str) -> None:
    assert street_stem(name) == "符阳"


def test_county_and_region() -> None:
    assert county_stem("合江县") == county_stem("合江") == county_stem("合江县人民政府") == "合江"
    assert county_stem("峨边彝族自治县") == "峨边"
    assert county_stem("浦东新区") == "浦东"
    assert county_stem("城区") == "城区"  # never below two characters
    assert county_stem("易县") == "易县"
    assert region_stem("四川省") == "四川"
    assert region_stem("广西壮族自治区") == "广西"
    assert region_stem("新疆维吾尔自治区") == "新疆"
    assert region_stem("凉山彝族自治州") == "凉山"


def test_no_over_stripping() -> None:
    assert community_stem("街道口社区居民委员会") == "街道口"
    assert community_stem("街道居民委员会") == "街道"  # a community literally named 街道
    assert community_stem("社区居委会") == "社区"  # never down to nothing
    assert community_stem("新村社区") == "新村"
    assert street_stem("街道办事处") == "街道"


def test_compact_is_nfkc() -> None:
    assert compact("复兴路２０号 社区") == "复兴路20号社区"
    assert compact("中国（南京）软件谷") == "中国(南京)软件谷"


def test_loose_and_display() -> None:
    assert loose("站前社区（白河）", community_stem) == "站前"
    assert display_name("桂圆林社区居民委员会") == "桂圆林社区"
    assert display_name("桂圆林社区居委会") == "桂圆林社区"
    assert display_name("王庄居委会") == "王庄居委会"
