"""A demand's 收集日期 never loses its row: a month and day without a year take the
latest year not after the load's today; a cell with no date in it is kept as written and
stored empty. And a roster that names no county is placed by the communities it names
together (``Places.holding``), only when they single out one county."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from divisions import DivisionIndex
from graph.store import Store
from loaders import load_paths
from loaders.fields import Dated, _dated
from loaders.kinds.common import dated
from loaders.places import Places
from loaders.plan import RowPlan, RowRef
from tests.loaders.conftest import ROSTERS, by_label, errors, snapshot


def _plan() -> RowPlan:
    return RowPlan(RowRef("需求.csv", None, 2), "Demand", "dem_x")


def test_a_cell_reads_as_a_date_a_month_and_day_or_nothing() -> None:
    assert _dated("2026-10-15") == Dated("2026-10-15", "known")
    assert _dated("10月15日") == Dated(None, "no_year", "10月15日", (10, 15))
    assert _dated("3/5") == Dated(None, "no_year", "3/5", (3, 5))
    assert _dated("近期") == Dated(None, "unknown", "近期")
    assert _dated("2021年9月") == Dated("2021-09-01", "no_day", "2021年9月")
    assert _dated("2023.03") == Dated("2023-03-01", "no_day", "2023.03")
    assert _dated("2026-02-30") == Dated(None, "unknown", "2026-02-30")
    assert _dated(None) is None and _dated("") is None


def test_a_month_and_day_take_the_latest_year_not_after_today() -> None:
    today = date(2026, 3, 1)
    plan = _plan()
    assert dated(plan, _dated("2月28日"), "collectedOn", "收集日期", today) == (
        "2026-02-28",
        "2月28日",
    )
    assert dated(plan, _dated("10月15日"), "collectedOn", "收集日期", today) == (
        "2025-10-15",
        "10月15日",
    )
    assert dated(plan, _dated("2月29日"), "collectedOn", "收集日期", today) == (
        "2024-02-29",
        "2月29日",
    )
    assert [w.code for w in plan.warnings] == ["DATE_WITHOUT_YEAR"] * 3
    assert "2025-10-15" in plan.warnings[1].reason and "请核对" in plan.warnings[1].reason


def test_a_planned_month_and_day_take_the_year_nearest_today() -> None:
    plan = _plan()
    november = date(2026, 11, 20)
    assert dated(plan, _dated("12月底"), "endDate", "完成日期", november, planned=True)[0] == (
        "2026-12-31"
    )
    assert dated(plan, _dated("3月中旬"), "endDate", "完成日期", november, planned=True)[0] == (
        "2027-03-20"
    )
    assert dated(plan, _dated("10月"), "endDate", "完成日期", november, planned=True)[0] is None
    assert dated(plan, _dated("10月份"), "endDate", "完成日期", november, planned=True)[0] == (
        "2026-10-31"
    )
    assert [w.code for w in plan.warnings] == [
        "DATE_WITHOUT_YEAR", "DATE_WITHOUT_YEAR", "UNREAD_DATE", "DATE_WITHOUT_YEAR",
    ]  # fmt: skip


def test_a_cell_without_a_date_is_kept_and_stored_empty() -> None:
    plan = _plan()
    assert dated(plan, _dated("近期"), "collectedOn", "收集日期", date(2026, 12, 4)) == (
        None,
        "近期",
    )
    (warning,) = plan.warnings
    assert (warning.code, warning.value, warning.column) == ("UNREAD_DATE", "近期", "collectedOn")
    assert "2024-03-05" in warning.reason  # says how to write it
    assert dated(plan, _dated("2026-11-03"), "collectedOn", "收集日期", date(2026, 12, 4)) == (
        "2026-11-03", None,
    )  # fmt: skip
    assert len(plan.warnings) == 1


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)),  # a leap year
)
def test_any_month_and_day_land_within_four_years_before_today(today: date, day: date) -> None:
    found, given_text = dated(
        _plan(), _dated(f"{day.month}月{day.day}日"), "collectedOn", "收集日期", today
    )
    assert found is not None and given_text == f"{day.month}月{day.day}日"
    stored = date.fromisoformat(found)
    assert (stored.month, stored.day) == (day.month, day.day)
    assert today - timedelta(days=366 * 4 + 1) < stored <= today


def test_communities_named_together_single_out_one_county() -> None:
    places = Places(DivisionIndex.default())
    assert places.holding([["正街社区"], ["横街社区", "新开路社区"], ["双桥社区居委会"]]) == (
        "500240000000"
    )
    # one common name alone is in many counties: nothing is chosen
    assert places.holding([["正街社区"]]) is None
    # communities of two counties (石柱's 双庆, 合江's 桂圆林): none is chosen
    assert places.holding([["双庆社区"], ["桂圆林社区"]]) is None
    # a name found nowhere is left to the row's own check
    assert places.holding([["双庆社区"], ["没有这个社区"]]) == "500240000000"
    # an uploader limited to another county: not this one
    assert Places(DivisionIndex.default(), within="510522000000").holding([["双庆社区"]]) is None


def test_the_county_seat_named_after_the_county_means_the_county() -> None:
    from loaders.scopes import meaning

    index = DivisionIndex.default()
    shizhu = index.county("石柱土家族自治县").unwrap()
    naxi = index.county("纳溪区").unwrap()
    for word in ("本县城区", "县城区", "石柱县城", "石柱城区", "县城"):
        assert meaning(shizhu, word) == ("county", None), word
    for word in ("本区城区", "纳溪城区", "城区"):
        assert meaning(naxi, word) == ("county", None), word
    # a 林区 and a 特区 write their own kind in full: 全林区, 本特区 (and 全区, as a 区 does)
    for name, kind in (("神农架林区", "林区"), ("六枝特区", "特区")):
        county = index.county(name).unwrap()
        for word in (f"全{kind}", f"本{kind}", f"{kind}范围内", "全区"):
            assert meaning(county, word) == ("county", None), word
    # a community whose name starts like a seat is still a place
    assert meaning(shizhu, "城东社区") is None and meaning(naxi, "城区社区") is None


async def test_demands_naming_their_community_alone_in_a_graph_of_other_counties(
    store: Store, tmp_path: Path
) -> None:
    """No county, no street: the communities together say 石柱, even with 合江县's rosters
    already in the graph; a community of neither is still rejected with the reason."""
    await load_paths(store, [ROSTERS / "divisions.csv"])  # 合江县's places
    roster = tmp_path / "需求.csv"
    roster.write_text(
        "社区名称,需求事项,具体内容\n"
        "正街社区,楼道灯坏了,晚上黑\n"
        "横街社区居委会,娃娃放学没人接,双职工家庭\n"
        "下街,电线老化,老房子电线经常跳闸\n"
        "双庆社区,想要个活动室,老年人没地方\n",
        encoding="utf-8",
    )
    report = await load_paths(store, [roster])
    assert errors(report) == []
    graph = await snapshot(store)
    placed = {d["title"]: d["communityId"] for d in by_label(graph, "Demand").values()}
    assert placed == {
        "楼道灯坏了": "500240001001", "娃娃放学没人接": "500240001002",
        "电线老化": "500240002001", "想要个活动室": "500240001006",
    }  # fmt: skip
