"""DivisionIndex against the shipped 2023 table (no network)."""

import gzip
import hashlib
import re
import time
from pathlib import Path

import pytest

from divisions import DATA_FILE, DeclaredCommunity, DivisionIndex, Level

HEJIANG = "510522000000"
FUYANG = "510522001000"
LINGANG = "510522002000"
COMMUNITIES = {
    "510522001001": "百花亭社区居民委员会",
    "510522001002": "枣林桥社区居民委员会",
    "510522001003": "马街社区居民委员会",
    "510522001004": "建设路社区居民委员会",
    "510522001005": "菜坝社区居民委员会",
    "510522001006": "桂圆林社区居民委员会",
    "510522001007": "义园街社区居民委员会",
    "510522001008": "桥凼社区居民委员会",
    "510522001009": "荔城社区居民委员会",
    "510522001010": "少岷社区居民委员会",
    "510522002001": "五里坡社区居民委员会",
    "510522002002": "兴隆社区居民委员会",
    "510522002003": "联榕坝社区居民委员会",
}


# -- the shipped file ----------------------------------------------------------------


def test_source_md_matches_file() -> None:
    source = (DATA_FILE.parent / "SOURCE.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()
    assert f"sha256 `{digest}`" in source
    counts = {
        m[1]: int(m[2].replace(",", "")) for m in re.finditer(r"\| (\w+) \| ([\d,]+) \|", source)
    }
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        lengths = [len(line.split("\t", 1)[0]) for line in fh.read().splitlines()[1:]]
    by_len = {2: "province", 4: "city", 6: "county", 9: "street", 12: "community"}
    for size, level in by_len.items():
        assert lengths.count(size) == counts[level], level
    assert counts["total"] == len(lengths)


def test_file_is_sorted_and_small() -> None:
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        codes = [line.split("\t", 1)[0] for line in fh.read().splitlines()[1:]]
    assert codes == sorted(codes)
    assert DATA_FILE.stat().st_size < 3_000_000


def test_load_is_fast() -> None:
    start = time.perf_counter()
    DivisionIndex.load(DATA_FILE)
    assert time.perf_counter() - start < 5  # about 0.15 s here; generous for CI


def test_default_is_shared(idx: DivisionIndex) -> None:
    assert DivisionIndex.default() is idx


# -- 合江县 ---------------------------------------------------------------------------


def test_hejiang(idx: DivisionIndex) -> None:
    hj = idx.county("合江县")
    assert hj.ok and hj.matched_by == "exact"
    county = hj.unwrap()
    assert (county.code, county.name, county.level) == (HEJIANG, "合江县", Level.COUNTY)
    assert county.ancestors == ("510000000000", "510500000000")
    assert idx.full_name(HEJIANG) == "四川省泸州市合江县"
    streets = {d.code: d.name for d in idx.children(HEJIANG)}
    assert streets[FUYANG] == "符阳街道" and streets[LINGANG] == "临港街道"


def test_hejiang_communities(idx: DivisionIndex) -> None:
    found = {d.code: d.name for s in (FUYANG, LINGANG) for d in idx.children(s)}
    assert found == COMMUNITIES
    for code, name in COMMUNITIES.items():
        division = idx.by_code(code)
        assert division is not None and division.name == name
        assert division.level is Level.COMMUNITY
        assert division.ancestors == ("510000000000", "510500000000", HEJIANG, code[:9] + "000")
        assert division.county_code == HEJIANG and division.street_code == code[:9] + "000"
        short = name.removesuffix("居民委员会")
        for parent in (code[:9] + "000", HEJIANG):
            r = idx.community(parent, short)
            assert r.ok and r.code == code, r.reason


@pytest.mark.parametrize(
    "name", ["合江", "合江县", " 合江县 ", "合江县人民政府", "510522", "５１０５２２"]
)
def test_county_variants(idx: DivisionIndex, name: str) -> None:
    assert idx.county(name).code == HEJIANG


@pytest.mark.parametrize("name", ["符阳", "符阳街道", "符阳街道办事处", "符阳街道办", "510522001"])
def test_street_variants(idx: DivisionIndex, name: str) -> None:
    r = idx.street(HEJIANG, name)
    assert r.code == FUYANG and r.division is not None and r.division.name == "符阳街道"


def test_street_accepts_short_county_code(idx: DivisionIndex) -> None:
    assert idx.street("510522", "临港").code == LINGANG
    assert idx.street(HEJIANG, "望龙").unwrap().name == "望龙镇"


@pytest.mark.parametrize(
    "name",
    [
        "桂圆林",
        "桂圆林社区",
        "桂圆林社区居民委员会",
        "桂圆林社区居委会",
        "桂圆林 社区",
        "桂圆林\u3000社区",
        "510522001006",
    ],
)
def test_guiyuanlin_variants(idx: DivisionIndex, name: str) -> None:
    r = idx.community(FUYANG, name)
    assert r.ok and r.code == "510522001006"
    assert r.division is not None and r.division.short_name == "桂圆林社区"


def test_full_width_input(idx: DivisionIndex) -> None:
    r = idx.community("110108001", "复兴路２０号社区")
    assert r.code == "110108001003" and r.division is not None
    assert r.division.name == "复兴路20号社区居委会"
    assert idx.county("朝阳区", "　北京　").code == "110105000000"


def test_near_miss_with_candidates(idx: DivisionIndex) -> None:
    r = idx.community(FUYANG, "桂园林")
    assert r.status == "miss" and r.division is None
    assert r.candidates[0].code == "510522001006"
    assert 1 <= len(r.candidates) <= 5
    assert r.reason.startswith(
        "未找到社区“桂园林”（合江县符阳街道）；最接近的有：桂圆林社区(510522001006)"
    )
    with pytest.raises(LookupError):
        r.unwrap()


def test_miss_in_street_points_to_other_street(idx: DivisionIndex) -> None:
    r = idx.community(FUYANG, "五里坡社区")
    assert r.status == "miss"
    assert r.candidates[0].code == "510522002001"
    assert "本县其他街道有：五里坡社区(510522002001)" in r.reason


def test_ambiguous_county(idx: DivisionIndex) -> None:
    r = idx.county("朝阳区")
    assert r.status == "ambiguous" and r.division is None
    assert {c.code for c in r.candidates} == {"110105000000", "220104000000"}
    assert (
        "北京市朝阳区(110105000000)" in r.reason and "吉林省长春市朝阳区(220104000000)" in r.reason
    )
    for hint, code in [
        ("北京", "110105000000"),
        ("北京市", "110105000000"),
        ("长春市", "220104000000"),
        ("吉林", "220104000000"),
        ("吉林省长春市", "220104000000"),
        ("2201", "220104000000"),
    ]:
        assert idx.county("朝阳区", hint).code == code, hint
    # The stem 朝阳 also fits 朝阳县 in 辽宁.
    assert len(idx.county("朝阳").candidates) == 3
    assert idx.county("朝阳区", "四川").status == "miss"
    assert idx.county("朝阳区", "火星").status == "miss"


def test_county_miss_has_candidates(idx: DivisionIndex) -> None:
    r = idx.county("合江市", "四川")
    assert r.ok  # stem 合江
    r = idx.county("和江县", "泸州")
    assert r.status == "miss" and r.candidates[0].code == HEJIANG


def test_ambiguous_community_in_county(idx: DivisionIndex) -> None:
    # 甘南县 has seven communities literally named 街道居民委员会, one per town.
    r = idx.community("230224", "街道")
    assert r.status == "ambiguous" and len(r.candidates) == 7
    assert idx.community("230224101", "街道").code == "230224101001"
    assert idx.community("230224101", "街道居委会").code == "230224101001"


def test_over_strip_jiedaokou(idx: DivisionIndex) -> None:
    for name in ("街道口", "街道口社区", "街道口社区居委会"):
        assert idx.community("420111001", name).code == "420111001003"


def test_city_without_counties(idx: DivisionIndex) -> None:
    dg = idx.county("东莞").unwrap()
    assert (dg.code, dg.level, dg.ancestors) == ("441900000000", Level.COUNTY, ("440000000000",))
    assert dg.short_code == "441900"
    assert idx.street(dg.code, "东城街道").code == "441900003000"


def test_wrong_parent_level(idx: DivisionIndex) -> None:
    with pytest.raises(ValueError):
        idx.street(FUYANG, "符阳")
    with pytest.raises(ValueError):
        idx.community("510500000000", "桂圆林")
    with pytest.raises(ValueError):
        idx.community("999999", "桂圆林")


def test_by_code_and_children(idx: DivisionIndex) -> None:
    assert idx.by_code("510522999") is None
    assert idx.children("510522999") == []
    assert len(idx.children("51")) == 21
    assert [d.level for d in idx.children("510522001")] == [Level.COMMUNITY] * 10


# -- declared communities ----------------------------------------------------------------


def test_declared_community(idx: DivisionIndex) -> None:
    extra = idx.with_declared(
        [
            DeclaredCommunity("合江新城社区", "510522001"),
            DeclaredCommunity("临港新区社区", LINGANG, code="510522002004"),
            DeclaredCommunity("桂圆林社区", FUYANG),  # already known: skipped
        ]
    )
    r = extra.community(FUYANG, "合江新城")
    assert r.ok and r.division is not None
    assert r.division.declared and r.division.provisional
    assert r.code == "510522001901"
    assert r.division.ancestors[-1] == FUYANG
    assert extra.community(HEJIANG, "临港新区").code == "510522002004"
    assert extra.community(LINGANG, "临港新区社区").unwrap().provisional is False
    assert [d.code for d in extra.children(FUYANG)][-1] == "510522001901"
    assert extra.full_name("510522001901") == "四川省泸州市合江县符阳街道合江新城社区"
    assert extra.community(FUYANG, "桂圆林").code == "510522001006"
    # The shared index is untouched.
    assert idx.community(FUYANG, "合江新城").status == "miss"
    assert idx.by_code("510522001901") is None
    assert len(idx.children(FUYANG)) == 10
    # Same roster, same provisional codes; layering keeps earlier ones.
    again = idx.with_declared([DeclaredCommunity("合江新城社区", FUYANG)])
    assert again.community(FUYANG, "合江新城").code == "510522001901"
    layered = extra.with_declared([DeclaredCommunity("另一个新社区", FUYANG)])
    assert layered.community(FUYANG, "另一个新").code == "510522001902"
    assert layered.community(FUYANG, "合江新城").code == "510522001901"


def test_declared_conflicts(idx: DivisionIndex) -> None:
    with pytest.raises(ValueError):  # code of another community
        idx.with_declared([DeclaredCommunity("新社区", FUYANG, code="510522001006")])
    with pytest.raises(ValueError):  # code outside the street
        idx.with_declared([DeclaredCommunity("新社区", FUYANG, code="510522002009")])
    with pytest.raises(ValueError):  # not a street
        idx.with_declared([DeclaredCommunity("新社区", HEJIANG)])
    with pytest.raises(ValueError):  # known name under a different code
        idx.with_declared([DeclaredCommunity("桂圆林社区", FUYANG, code="510522001099")])
    same = idx.with_declared([DeclaredCommunity("桂圆林社区", FUYANG, code="510522001006")])
    assert same.community(FUYANG, "桂圆林").unwrap().declared is False


def test_data_file_path_is_in_package() -> None:
    assert DATA_FILE.is_file()
    assert DATA_FILE.parent.parent == Path(__file__).resolve().parents[2] / "divisions"
