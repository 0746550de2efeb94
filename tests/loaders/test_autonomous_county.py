"""石柱土家族自治县 (an autonomous county of 重庆市, a municipality: no prefecture city)
as its clerks might write it, into an empty graph, in words no other fixture uses: a
units roster with no county and no street column (结对社区 alone say where it is), 单位性质
words such as 央企驻县单位 and 社会团体, 资源种类 and 时间安排, a scope 本县城区, demands headed
群众诉求 / 诉求详情 / 分类 / 急难程度 with a date written without its year (10月15日), projects
led by 住建委 (the 石柱县住房和城乡建设委员会) with 推进情况 and a 计划完成时间 of 12月底, and
the communities' cadres headed 现任职务 (two posts in one cell, a note in brackets) with
任职时间 written as a month (2021年9月, 2023.03): a roster of posts, not of 双报到 members; and the 在职党员 who reported to the communities, one
of an office that is no liaison unit (kept, not rejected)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from domain import clock
from domain.clock import CHINA
from graph.store import Store
from loaders import LoadReport, load_paths
from loaders.refine import refine
from tests.loaders.conftest import ROSTERS, by_label, errors, expect, report_data, snapshot

SZ = "500240000000"
FILES = (
    "结对单位.csv", "资源.csv", "群众诉求.csv", "共建项目.csv", "社区干部.csv", "在职党员进社区报到.csv",
)  # fmt: skip


@pytest.fixture
def on_a_december_day() -> Iterator[None]:
    """The load's today is 2026-12-04 (a month and day take the latest year not after it)."""
    target = datetime(2026, 12, 4, 10, tzinfo=CHINA).timestamp() * 1000
    clock.advance(round(target - clock.now_ms()))
    yield
    clock.reset()


async def _load(store: Store) -> tuple[LoadReport, dict[str, Any]]:
    report = await load_paths(store, [ROSTERS / "shizhu" / f for f in FILES])
    await refine(store)
    graph = await snapshot(store)
    expect("shizhu", {"report": report_data(report), "graph": graph})
    return report, graph


@pytest.mark.usefixtures("on_a_december_day")
async def test_every_row_loads_and_the_report_says_how_each_header_was_read(
    store: Store,
) -> None:
    report, graph = await _load(store)
    assert errors(report) == []
    assert [(k.kind, k.rows, k.valid, k.rejected) for k in report.kinds] == [
        ("units", 6, 6, 0), ("resources", 6, 6, 0), ("roles", 6, 6, 0), ("members", 4, 4, 0),
        ("demands", 6, 6, 0), ("projects", 2, 2, 0),
    ]  # fmt: skip
    assert {s.file: (s.readAs, s.ignoredColumns) for s in report.sheets} == {
        "结对单位.csv": ({}, ["序号", "联系人"]),
        "资源.csv": ({"资源种类": "资源类别"}, []),
        "群众诉求.csv": (
            {"群众诉求": "需求标题", "诉求详情": "需求描述", "分类": "需求类别"}, [],
        ),
        "共建项目.csv": ({"解决的群众诉求": "需求", "计划完成时间": "完成日期"}, ["序号"]),
        "社区干部.csv": ({}, ["序号", "备注"]),
        "在职党员进社区报到.csv": ({}, ["序号", "报到时间"]),
    }  # fmt: skip
    assert graph["nodes"][SZ]["kindWord"] == "县"


@pytest.mark.usefixtures("on_a_december_day")
async def test_units_placed_by_the_communities_they_name_together(store: Store) -> None:
    """正街社区 alone is in 25 counties, 双桥社区 in 50; every community the roster names
    is in one county only: 石柱. Each unit's liaison is that county's community."""
    _, graph = await _load(store)
    units = {u["name"]: u for u in by_label(graph, "Unit").values()}
    assert {u["countyId"] for u in units.values()} == {SZ}
    assert {n: (u["kind"], u.get("kindGiven")) for n, u in units.items()} == {
        "石柱县住房和城乡建设委员会": ("COUNTY_DEPARTMENT", None),
        "县妇联": ("MASS_ORGANIZATION", None),
        "石柱土家族自治县人民医院": ("PUBLIC_INSTITUTION", None),
        "国网石柱供电公司": ("RESIDENT_UNIT", "央企驻县单位"),
        "县志愿者协会": ("SOCIAL_ORGANIZATION", None),
        "西沱镇中心小学": ("PUBLIC_INSTITUTION", None),
    }  # fmt: skip


@pytest.mark.usefixtures("on_a_december_day")
async def test_scopes_categories_and_dates_in_the_clerks_words(store: Store) -> None:
    report, graph = await _load(store)
    resources = {r["name"]: r for r in by_label(graph, "Resource").values()}
    assert {n: (r["scope"], r["scopeIds"]) for n, r in resources.items()} == {
        "老旧小区改造技术指导": ("COUNTY", [SZ]),
        "儿童之家课后托管": ("STREET", ["500240001000"]),
        "送医下乡": ("COUNTY", [SZ]),  # 本县城区: the county seat, so the county
        "用电安全检查": ("STREET", ["500240002000", "500240003000"]),
        "助老陪伴": ("COUNTY", [SZ]),  # 县城
        "操场周末开放": ("STREET", ["500240101000"]),  # a town (镇) as a street
    }  # fmt: skip
    assert resources["用电安全检查"]["categoryGiven"] == "电力服务"
    demands = {d["title"]: d for d in by_label(graph, "Demand").values()}
    assert {t: (d.get("collectedOn"), d.get("collectedOnGiven"), d["urgency"])
            for t, d in demands.items()} == {
        "楼道灯坏了半个月": ("2026-10-08", None, "URGENT"),
        "娃娃放学没人接": ("2026-10-12", None, "NORMAL"),
        "电线老化": ("2026-10-15", "10月15日", "NORMAL"),
        "想要个活动室": (None, None, "NORMAL"),
        "河边没有护栏": ("2026-11-01", None, "URGENT"),  # inferred: 很危险
        "看病排队太久": ("2026-11-03", None, "NORMAL"),
    }  # fmt: skip
    assert demands["电线老化"]["categoryGiven"] == "安全隐患"
    assert demands["看病排队太久"]["category"] == "HEALTH"
    assert not demands["看病排队太久"]["categoryInferred"]
    assert demands["河边没有护栏"]["category"] == "INFRASTRUCTURE"
    dated = [(w.row, w.code, w.value) for w in report.warnings if w.column == "收集日期"]
    assert dated == [(4, "DATE_WITHOUT_YEAR", "10月15日")]


@pytest.mark.usefixtures("on_a_december_day")
async def test_projects_in_the_clerks_words(store: Store) -> None:
    report, graph = await _load(store)
    units = {u["name"]: u["id"] for u in by_label(graph, "Unit").values()}
    projects = {p["name"]: p for p in by_label(graph, "Project").values()}
    seen = {n: (p["leadUnitId"], p["status"], p.get("endDate"), p.get("endDateGiven"))
            for n, p in projects.items()}  # fmt: skip
    assert seen == {
        # 住建委 is the county's 住房和城乡建设委员会; 12月底 in December: this year's
        "正街社区楼道照明改造": (
            units["石柱县住房和城乡建设委员会"], "IN_PROGRESS", "2026-12-31", "12月底",
        ),
        "横街儿童之家": (units["县妇联"], "DONE", "2026-11-30", None),
    }  # fmt: skip
    warned = [(w.row, w.code, w.value) for w in report.warnings if w.kind == "projects"]
    assert (2, "DATE_WITHOUT_YEAR", "12月底") in warned


@pytest.mark.usefixtures("on_a_december_day")
async def test_cadres_in_the_clerks_words(store: Store) -> None:
    report, graph = await _load(store)
    assert {s.file: s.kind for s in report.sheets}["社区干部.csv"] == "roles"
    assert by_label(graph, "Member") == {}
    people = {p["id"]: p["name"] for p in by_label(graph, "Person").values()}
    posts = {people[r["personId"]]: (r["kind"], r.get("kindGiven"), r["placeId"], r.get("since"))
             for r in by_label(graph, "Role").values()
             if r["kind"] != "REGISTERED_MEMBER"}  # fmt: skip
    assert posts == {
        "谭某某": ("COMMUNITY_SECRETARY", "社区党委书记、居委会主任", "500240001001", "2021-09-01"),
        "向某": ("FIRST_SECRETARY", "第一书记（县住建委派驻）", "500240001001", "2023-03-01"),
        "冉某": ("COMMUNITY_SECRETARY", None, "500240001002", "2021-10-01"),
        "秦某": ("GRID_WORKER", None, "500240002001", None),
        "王某": ("STREET_SECRETARY", None, "500240001000", None),
        "李某": ("OTHER", "社区居委会副主任", "500240001001", None),
    }  # fmt: skip
    dated = [(w.row, w.code) for w in report.warnings if w.column == "任职时间"]
    assert dated == [(2, "DATE_WITHOUT_DAY"), (3, "DATE_WITHOUT_DAY")]


@pytest.mark.usefixtures("on_a_december_day")
async def test_members_of_an_office_that_is_no_liaison_unit(store: Store) -> None:
    report, graph = await _load(store)
    people = {p["id"]: p["name"] for p in by_label(graph, "Person").values()}
    members = {people[r["personId"]]: (r["placeId"], r.get("serviceHours"), r["claimedItems"],
                                       r.get("unitGiven"))
               for r in by_label(graph, "Role").values() if r["kind"] == "REGISTERED_MEMBER"}  # fmt: skip
    assert members == {
        "陈某": ("500240001001", 12.0, ["政策宣传员", "楼栋长"], None),
        "周某": ("500240001002", 8.5, ["儿童之家志愿者"], None),
        "吴某": ("500240002001", None, [], None),
        "郑某": ("500240001006", 3.0, ["文明劝导"], "县财政局"),
    }  # fmt: skip
    warned = [(w.row, w.code, w.value) for w in report.warnings if w.kind == "members"]
    assert warned == [(5, "UNKNOWN_UNIT", "县财政局")]
