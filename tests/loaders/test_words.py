"""Words of any county's rosters: scope words, unit names, open vocabularies, --county."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from divisions import KIND_WORDS, Division, DivisionIndex, Level, kind_word
from domain.errors import InvalidInput
from domain.vocab import MatterClass, ProjectStatus, RoleKind, UnitKind, Urgency, nearest
from loaders import county_code, scopes, unitnames
from loaders.fields import Picked, open_choice

IDX = DivisionIndex.default()
_TABLE = IDX._core.table
COUNTIES = [c for c in _TABLE.keys if _TABLE.level(c) is Level.COUNTY]


def _county(code: str) -> Division:
    found = IDX.by_code(code)
    assert found is not None
    return found


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(COUNTIES), st.sampled_from(KIND_WORDS))
def test_scope_words_of_any_county(code: str, other: str) -> None:
    county = _county(code)
    own = kind_word(county.name)
    for word in (
        f"全{own}",
        f"本{own}",
        f"{own}域",
        f"全{own}范围内",
        "全域",
        "辖区内",
        county.name,
    ):
        assert scopes.meaning(county, word) == ("county", None), word
    if other != own:
        assert scopes.meaning(county, f"全{other}") == ("county", other)
    assert scopes.meaning(county, "本街道") == ("street", None)
    assert scopes.meaning(county, "全镇") == ("street", None)
    assert scopes.meaning(county, "本社区") == ("community", None)
    for street in IDX.children(code)[:3]:
        if street.name not in (county.name,):
            assert scopes.meaning(county, street.name) is None


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(COUNTIES), st.sampled_from(sorted(unitnames.SHORT_FORMS.items())))
def test_a_unit_s_short_names_meet_its_full_name(code: str, short_full: tuple[str, str]) -> None:
    short, full = short_full
    county = _county(code).name
    word = kind_word(county)
    official = unitnames.keys(f"{county}{full}", county)
    for written in (f"{word}{short}", f"{county}{short}", f"中共{county}{full}", full):
        assert unitnames.keys(written, county) & official, written


def test_two_units_do_not_meet() -> None:
    county = "纳溪区"
    assert not unitnames.keys("区民政局", county) & unitnames.keys("纳溪区住房和城乡建设局", county)
    assert not unitnames.keys("市场监督管理局", county) & unitnames.keys("区民政局", county)


def test_open_vocabularies() -> None:
    parse = open_choice(UnitKind, UnitKind.OTHER).func
    assert parse("群团组织") == Picked(UnitKind.MASS_ORGANIZATION, "known")
    assert parse("妇联") == Picked(UnitKind.MASS_ORGANIZATION, "known")
    assert parse("区直部门") == Picked(UnitKind.COUNTY_DEPARTMENT, "known")
    assert parse("旗级部门") == Picked(UnitKind.COUNTY_DEPARTMENT, "known")
    assert parse("区属事业单位") == Picked(UnitKind.PUBLIC_INSTITUTION, "near", "区属事业单位")
    assert parse("垂管单位") == Picked(UnitKind.RESIDENT_UNIT, "known")
    assert parse("旗委工作机关") == Picked(UnitKind.PARTY_COMMITTEE, "known")
    assert parse("文化名人工作室") == Picked(UnitKind.OTHER, "unknown", "文化名人工作室")
    assert parse(None) == Picked(UnitKind.OTHER, "missing")
    assert parse("  ") == Picked(UnitKind.OTHER, "missing")
    roles = open_choice(RoleKind, RoleKind.OTHER, near=False).func
    # a post that merely contains another's name is not that post
    assert roles("第一书记助理") == Picked(RoleKind.OTHER, "unknown", "第一书记助理")
    assert nearest(Urgency, "非常紧急") is Urgency.URGENT
    assert nearest(ProjectStatus, "已经完成") is ProjectStatus.DONE
    assert nearest(MatterClass, "小事") is None


def test_unit_kind_labels_follow_the_county() -> None:
    assert UnitKind.COUNTY_DEPARTMENT.label_in("区") == "区级部门"
    assert UnitKind.PARTY_COMMITTEE.label_in("市") == "市委及工作机关"
    assert UnitKind.MASS_ORGANIZATION.label_in("旗") == "群团组织"


def test_the_county_option() -> None:
    assert county_code("纳溪区") == "510503000000"
    assert county_code("510503") == "510503000000"
    assert county_code("泸州市纳溪区") == "510503000000"
    assert county_code("四川省泸州市纳溪区") == "510503000000"
    assert county_code("哈尔滨市道里区") == "230102000000"
    with pytest.raises(InvalidInput, match="不唯一"):
        county_code("朝阳区")
    with pytest.raises(InvalidInput, match="不是县级区划代码"):
        county_code("510503001")
