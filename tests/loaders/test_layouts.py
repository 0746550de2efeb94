"""扎鲁特旗 (a banner of 通辽市) as its clerks might write it, in a layout no other fixture
uses: one row per unit and community with a 是否牵头 yes/no column, 镇（街道） for the
street, 急缓 and 提出时间 in the demands, resources with an empty or unlisted 资源类型,
no county column in the demands and no divisions roster: every row loads and every
place resolves to its official code."""

from __future__ import annotations

from typing import Any

import pytest

from graph.store import Store
from loaders import LoadReport, address, load_paths
from loaders.refine import refine
from tests.loaders.conftest import ROSTERS, by_label, errors, expect, report_data, snapshot

ZLT = "150526000000"
LB, HHS = "150526100000", "150526101000"
FILES = ("联系单位.csv", "资源清单.csv", "需求清单.csv")


async def _load(store: Store) -> tuple[LoadReport, dict[str, Any]]:
    report = await load_paths(store, [ROSTERS / "zhalute" / f for f in FILES])
    await refine(store)  # the categories inferred lexically, as the loader's callers do
    graph = await snapshot(store)
    expect("zhalute", {"report": report_data(report), "graph": graph})
    return report, graph


async def test_every_row_of_another_layout_loads(store: Store) -> None:
    report, graph = await _load(store)
    assert errors(report) == []
    assert [(k.kind, k.rows, k.valid, k.rejected) for k in report.kinds] == [
        ("units", 8, 8, 0), ("resources", 8, 8, 0), ("demands", 6, 6, 0),
    ]  # fmt: skip
    # 镇（街道）, 急缓 and 提出时间 are read, not ignored; 序号 and 联系人 are
    assert {s.file: s.ignoredColumns for s in report.sheets} == {
        "联系单位.csv": ["序号", "联系人"], "资源清单.csv": [], "需求清单.csv": [],
    }  # fmt: skip
    assert graph["nodes"][ZLT]["kindWord"] == "旗"


async def test_a_yes_no_lead_column(store: Store) -> None:
    _, graph = await _load(store)
    units = {u["id"]: u["name"] for u in by_label(graph, "Unit").values()}
    led = sorted(
        (units[start], end, '"lead": true' in line)
        for line in graph["links"]
        if " -LIAISES_WITH-> " in line
        for start, end in [line.split(" ")[0:3:2]]
    )
    assert led == [
        ("国网扎鲁特旗供电公司", "150526100003", True), ("扎鲁特旗人民医院", "150526100003", False),
        ("旗住建局", "150526100001", False), ("旗妇联", "150526100002", True),
        ("旗委组织部", "150526100001", True), ("草原志愿者协会", "150526101003", False),
        ("蒙东物业服务有限公司", "150526101001", False), ("鲁北镇第一小学", "150526101002", True),
    ]  # fmt: skip


async def test_demands_read_street_date_and_urgency_columns(store: Store) -> None:
    _, graph = await _load(store)
    demands = {d["title"]: d for d in by_label(graph, "Demand").values()}
    seen = {t: (d["communityId"], d.get("collectedOn"), d["urgency"], d["urgencyInferred"])
            for t, d in demands.items()}  # fmt: skip
    assert seen == {
        "楼道灯坏了": ("150526100001", "2026-11-05", "URGENT", False),
        "孩子放学没人管": ("150526100002", "2026-11-08", "NORMAL", True),
        "老人看病难": ("150526100003", "2026-11-10", "NORMAL", False),
        "垃圾清运不及时": ("150526101001", None, "NORMAL", True),
        "路灯不亮": ("150526101002", "2026-11-20", "URGENT", False),
        "想学用智能手机": ("150526101003", None, "NORMAL", True),
    }
    # no demand lost its category: the empty and the unlisted ones are inferred
    assert all(d["category"] != "OTHER" for d in demands.values())
    assert demands["垃圾清运不及时"]["categoryGiven"] == "环境卫生"


async def test_resources_without_a_listed_category_are_inferred(store: Store) -> None:
    report, graph = await _load(store)
    resources = {r["name"]: r for r in by_label(graph, "Resource").values()}
    inferred = {n: r.get("categoryGiven") for n, r in resources.items() if r["categoryInferred"]}
    assert inferred == {"老旧小区改造政策咨询": "政策", "儿童之家": "服务", "小区保洁": None}
    assert resources["小区保洁"]["category"] in {"ENVIRONMENT", "PROPERTY_MANAGEMENT"}
    warned = sorted((w.row, w.code) for w in report.warnings if w.kind == "resources")
    assert warned == [(3, "INFERRED_CATEGORY"), (4, "INFERRED_CATEGORY"), (7, "INFERRED_CATEGORY")]
    # 全旗, 本旗, 全域, 辖区内 and 全镇 are scopes of the banner's kind, not unknown places
    assert resources["党员教育阵地"]["scopeIds"] == [ZLT]


LUOHU = "440303000000"
DTL, GMY = "440303001001", "440303001002"


async def test_a_district_of_another_province_in_its_own_words(store: Store) -> None:
    """罗湖区 (深圳市), one workbook into an empty graph: headers no synonym lists
    (挂点社区, 资源提供单位, 资源项目名称, 诉求内容) are read by the known header they hold, and
    the report says so; the units' county comes from their 街道 and 挂点社区; a demand naming
    its community alone is found in the county the rows above placed the load in."""
    report = await load_paths(store, [ROSTERS / "luohu" / "罗湖区名册.xlsx"])
    await refine(store)
    graph = await snapshot(store)
    expect("luohu", {"report": report_data(report), "graph": graph})
    assert errors(report) == []
    assert [(k.kind, k.rows, k.valid) for k in report.kinds] == [
        ("units", 5, 5), ("resources", 5, 5), ("demands", 3, 3),
    ]  # fmt: skip
    assert {s.sheet: s.readAs for s in report.sheets} == {
        "联系单位": {"挂点社区": "联系社区"},
        "资源清单": {"资源提供单位": "单位名称", "资源项目名称": "资源名称"},
        "居民需求": {"诉求内容": "需求标题", "诉求类型": "需求类别"},
    }
    # the residents' names and phones are no column of a demand: ignored, never stored
    assert report.sheets[2].ignoredColumns == ["反映人", "联系方式"]
    assert "13800138000" not in str(graph)
    units = {u["name"]: u for u in by_label(graph, "Unit").values()}
    assert {u["countyId"] for u in units.values()} == {LUOHU}
    resources = {r["name"]: r for r in by_label(graph, "Resource").values()}
    assert resources["职工书屋"].get("description") in ("", None)
    assert resources["金融知识进社区"]["scopeIds"] == [DTL]
    demands = {d["title"]: d for d in by_label(graph, "Demand").values()}
    assert {
        t: (d["communityId"], d["urgency"], d.get("collectedOn")) for t, d in demands.items()
    } == {
        "小区门口电动车乱停放，堵住消防通道": (DTL, "URGENT", "2026-11-02"),
        "想在社区办个老年大学书法班": (GMY, "NORMAL", "2026-11-15"),
        "楼顶漏水，找物业几次都没修": (DTL, "NORMAL", None),
    }


async def test_hotline_tickets_placed_by_their_address(store: Store) -> None:
    """12345 tickets: no community column, the place inside 诉求地址, the resident named in
    诉求人. The street and community are read out of the address; neither the address nor
    the resident's name is stored; a ticket whose address names no community is rejected
    with the communities nearest to what it says."""
    report = await load_paths(store, [ROSTERS / "luohu" / "12345工单.csv"])
    graph = await snapshot(store)
    assert report.sheets[0].readAs == {
        "诉求内容": "需求标题", "诉求类型": "需求类别", "诉求地址": "社区",
    }  # fmt: skip
    assert report.sheets[0].ignoredColumns == ["工单编号", "诉求人"]
    demands = {d["title"]: d for d in by_label(graph, "Demand").values()}
    assert {t: (d["communityId"], d["urgency"], d["collectedOn"]) for t, d in demands.items()} == {
        "楼下餐馆油烟太大": (DTL, "NORMAL", "2026-11-01"),
        "小区电梯经常停运": (GMY, "URGENT", "2026-11-01"),
    }
    text = str(graph)
    assert "松园北街" not in text and "张先生" not in text and "红桂路" not in text
    assert errors(report) == [
        ("12345工单.csv", 4, "诉求地址", "桂园街道松园北街5号", "UNKNOWN_PLACE"),
    ]


@pytest.mark.parametrize(
    ("text", "street", "community"),
    [
        ("广东省深圳市罗湖区桂园街道大塘龙社区松园北街3号", "桂园街道", "大塘龙社区"),
        ("内蒙古自治区通辽市扎鲁特旗鲁北镇誉洲社区居委会", "鲁北镇", "誉洲社区居委会"),
        ("峨眉山市绥山镇万福社区A区2栋", "绥山镇", "万福社区"),
        ("桂圆林社区利城半岛", None, "桂圆林社区"),
    ],
)
def test_an_address_gives_its_street_and_community(
    text: str, street: str | None, community: str
) -> None:
    assert address.parts(text) == (street, community)


@pytest.mark.parametrize("text", ["大塘龙社区", "桂园街道松园北街5号", "全区"])
def test_a_name_or_an_address_without_a_community_gives_none(text: str) -> None:
    assert address.parts(text) is None


async def test_lead_marked_inside_the_liaison_cell(store: Store) -> None:
    """牵头 written beside a community (（牵头）, (牵头单位), ★) instead of in a column of its
    own; 旗委工作机关 and 垂直管理部门 are types of units, not unknown words."""
    report = await load_paths(store, [ROSTERS / "zhalute" / "联系单位-标记.csv"])
    graph = await snapshot(store)
    assert errors(report) == [] and report.warnings == []
    units = {u["id"]: (u["name"], u["kind"]) for u in by_label(graph, "Unit").values()}
    links = sorted(
        (*units[start], end, '"lead": true' in line)
        for line in graph["links"]
        if " -LIAISES_WITH-> " in line
        for start, end in [line.split(" ")[0:3:2]]
    )
    assert links == [
        ("旗委宣传部", "PARTY_COMMITTEE", "150526100001", True),
        ("旗委宣传部", "PARTY_COMMITTEE", "150526100002", False),
        ("旗民政局", "COUNTY_DEPARTMENT", "150526100003", True),
        ("旗民政局", "COUNTY_DEPARTMENT", "150526100005", False),
        ("旗税务局", "RESIDENT_UNIT", "150526100006", True),
    ]
