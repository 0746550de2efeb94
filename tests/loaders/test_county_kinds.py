"""A district (纳溪区), a county-level city (峨眉山市) and a banner (准格尔旗), each in a layout
unlike the demo's: the exact report and graph (``expected/<name>.json``), the codes and links
asserted here, and only the truly bad rows rejected."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli import main
from domain.ids import derived_id
from graph.store import Store
from loaders import LoadReport, load_paths, load_upload
from loaders.refine import refine
from tests.api.test_loading import upload
from tests.conftest import Api, bearer
from tests.loaders.conftest import (
    ROSTERS,
    by_label,
    errors,
    expect,
    link,
    links_from,
    report_data,
    snapshot,
)

NAXI, AF, YN, DDK = "510503000000", "510503001000", "510503002000", "510503100000"
SBJ, BT, SJ, YYL, BLL, JY, DYS = (
    "510503001001", "510503001006", "510503001002", "510503001003", "510503001004",
    "510503100001", "510503002008",
)  # fmt: skip
EMS, SL, ZG, WSG, BHL = (
    "511181000000", "511181001000", "511181002002", "511181001001", "511181100005",
)  # fmt: skip
ZGE, XL, BET = "150622000000", "150622001000", "150622202000"


def _codes(report: LoadReport) -> list[tuple[Any, ...]]:
    return [(w.row, w.column, w.value, w.code) for w in report.warnings]


async def _load(store: Store, name: str, **options: Any) -> tuple[LoadReport, dict[str, Any]]:
    report = await load_paths(store, [ROSTERS / name], **options)
    await refine(store)  # the categories inferred lexically, as the loader's callers do
    graph = await snapshot(store)
    expect(name, {"report": report_data(report), "graph": graph})
    again = await load_paths(store, [ROSTERS / name], **options)
    assert [(k.created, k.updated) for k in again.kinds] == [(0, 0)] * len(again.kinds)
    return report, graph


def _counts(graph: dict[str, Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for node in graph["nodes"].values():
        found[node["label"]] = found.get(node["label"], 0) + 1
    return found


async def test_a_district(store: Store) -> None:
    """纳溪区: 全区, 辖区内, 本街道, 区住建局, 群团组织, 医院, a town's 居委会, empty categories."""
    report, graph = await _load(store, "naxi")
    assert [(k.kind, k.rows, k.valid, k.rejected) for k in report.kinds] == [
        ("units", 7, 6, 1), ("resources", 7, 6, 1), ("demands", 5, 4, 1),
    ]  # fmt: skip
    assert errors(report) == [
        ("纳溪区联系单位.xlsx", 10, "结对社区", "桂圆林社区", "UNKNOWN_PLACE"),
        ("纳溪区资源清单.csv", 8, "提供单位", "区教育局", "UNKNOWN_UNIT"),
        ("纳溪区需求清单.xlsx", 7, "社区（居委会）", "上坝街", "UNKNOWN_PLACE"),
    ]
    assert report.errors[2].reason == (
        "未找到社区“上坝街”（纳溪区永宁街道）；本区其他街道有：上坝街居民委员会(510503001001)"
    )
    assert _codes(report) == [
        (8, "单位性质", "区属国有平台公司", "UNKNOWN_CHOICE"),
        (9, "单位性质", None, "MISSING_VALUE"),
        (7, "服务区域", "全县", "SCOPE_READ_AS_COUNTY"),
        (4, "需求类别", None, "INFERRED_CATEGORY"),
        (4, "五事分流", None, "INFERRED_MATTER_CLASS"),
        (5, "需求类别", None, "INFERRED_CATEGORY"),
    ]
    assert report.warnings[2].reason == "纳溪区不是县：“全县”已按全区保存"
    assert _counts(graph) == {
        "County": 1, "Street": 3, "Community": 7, "Unit": 6, "PartyOrganization": 1,
        "Person": 1, "Role": 1, "Resource": 6, "Demand": 4, "Compound": 1,
    }  # fmt: skip
    assert graph["nodes"][NAXI] | {"id": NAXI} == {
        "label": "County", "id": NAXI, "code": NAXI, "name": "纳溪区", "kindWord": "区",
        "province": "四川省", "city": "泸州市",
    }  # fmt: skip
    units = {u["name"]: u for u in by_label(graph, "Unit").values()}
    assert {n: (u["kind"], u.get("kindGiven")) for n, u in units.items()} == {
        "纳溪区住房和城乡建设局": ("COUNTY_DEPARTMENT", None),
        "共青团泸州市纳溪区委员会": ("MASS_ORGANIZATION", None),
        "纳溪区总工会": ("MASS_ORGANIZATION", None),
        "纳溪区人民医院": ("PUBLIC_INSTITUTION", None),
        "纳溪区城投公司": ("OTHER", "区属国有平台公司"),
        "纳溪区民政局": ("OTHER", None),
    }
    zjj = units["纳溪区住房和城乡建设局"]["id"]
    assert zjj == derived_id("Unit", NAXI, "纳溪区住房和城乡建设局")
    assert links_from(graph, zjj, "LIAISES_WITH") == {SBJ: {"lead": True}, BT: {"lead": False}}
    assert links_from(graph, units["纳溪区人民医院"]["id"], "LIAISES_WITH") == {JY: {"lead": False}}
    assert graph["nodes"][JY]["streetId"] == DDK  # a 居委会 under a town
    resources = {r["name"]: r for r in by_label(graph, "Resource").values()}
    assert {n: (r["unitId"], r["scope"], sorted(r["scopeIds"])) for n, r in resources.items()} == {
        "老旧小区改造政策咨询": (zjj, "COUNTY", [NAXI]),
        "职工之家活动室": (units["纳溪区总工会"]["id"], "STREET", [AF]),
        "青年志愿服务队": (units["共青团泸州市纳溪区委员会"]["id"], "COUNTY", [NAXI]),
        "上门义诊": (units["纳溪区人民医院"]["id"], "STREET", [YN, DDK]),
        "闲置场地": (units["纳溪区城投公司"]["id"], "COUNTY", [NAXI]),
        "临时救助": (units["纳溪区民政局"]["id"], "COUNTY", [NAXI]),
    }
    demands = {d["title"]: d for d in by_label(graph, "Demand").values()}
    assert {t: (d["communityId"], d["category"], d["categoryInferred"], d["matterClass"],
                d["urgency"], d.get("urgencyGiven")) for t, d in demands.items()} == {
        "小区路灯不亮": (SBJ, "INFRASTRUCTURE", False, "PRACTICAL", "NORMAL", None),
        "老人助餐": (BT, "ELDERLY_CHILDCARE", True, "PRACTICAL", "URGENT", None),
        "河堤护栏缺失": (JY, "INFRASTRUCTURE", True, "DIFFICULT", "NORMAL", None),
        "停车难": (DYS, "TRAFFIC", False, "PRESSING", "URGENT", None),
    }  # fmt: skip
    assert link(demands["停车难"]["id"], "FOR", DYS) in graph["links"]


async def test_a_district_s_demands_alone_in_an_empty_graph(store: Store) -> None:
    """No county column, nothing in the graph: street and community name the place."""
    report = await load_paths(store, [ROSTERS / "naxi" / "纳溪区需求清单.xlsx"])
    assert [(k.kind, k.valid, k.rejected) for k in report.kinds] == [("demands", 4, 1)]
    graph = await snapshot(store)
    assert sorted(d["communityId"] for d in by_label(graph, "Demand").values()) == [
        SBJ,
        BT,
        DYS,
        JY,
    ]
    assert errors(report) == [
        ("纳溪区需求清单.xlsx", 7, "社区（居委会）", "上坝街", "UNKNOWN_PLACE")
    ]
    # the rows above placed the load in 纳溪区: the error says where 上坝街 is there
    assert report.errors[0].reason == (
        "未找到社区“上坝街”（纳溪区永宁街道）；本区其他街道有：上坝街居民委员会(510503001001)"
    )


async def test_a_district_s_demands_beside_another_county(store: Store) -> None:
    """合江县 is in the graph: rows it does not hold are placed by the whole table."""
    await load_paths(store, [ROSTERS / "divisions.csv"])
    report = await load_paths(store, [ROSTERS / "naxi" / "纳溪区需求清单.xlsx"])
    assert [(k.kind, k.valid, k.rejected) for k in report.kinds] == [("demands", 4, 1)]
    graph = await snapshot(store)
    assert sorted(d["communityId"] for d in by_label(graph, "Demand").values()) == [
        SBJ,
        BT,
        DYS,
        JY,
    ]
    # 永宁街道 is not 合江县's: the miss is what the whole table says
    assert errors(report) == [
        ("纳溪区需求清单.xlsx", 7, "社区（居委会）", "上坝街", "UNKNOWN_PLACE")
    ]


async def test_an_uploader_s_county_limits_the_whole_table(store: Store) -> None:
    data = (ROSTERS / "naxi" / "纳溪区需求清单.xlsx").read_bytes()
    report = await load_upload(store, "需求.xlsx", data, within="510522000000")
    assert [e.code for e in report.errors] == ["OUT_OF_SCOPE"] * 4 + ["UNKNOWN_PLACE"]
    assert report.errors[0].reason.startswith(
        "四川省泸州市纳溪区安富街道上坝街居民委员会不在你的范围内"
    )
    mine = await load_upload(store, "需求.xlsx", data, within=NAXI)
    assert [(k.valid, k.rejected) for k in mine.kinds] == [(4, 1)]


async def test_the_county_option_keeps_rows_in_that_county(store: Store) -> None:
    path = ROSTERS / "naxi" / "纳溪区需求清单.xlsx"
    report = await load_paths(store, [path], county="合江县")
    assert [e.code for e in report.errors] == ["UNKNOWN_PLACE"] * 5
    assert report.errors[0].reason == (
        "合江县没有“安富街道上坝街社区”，它在四川省泸州市纳溪区安富街道上坝街居民委员会："
        "请核对名称或 --county"
    )
    assert (await load_paths(store, [path], county="泸州市纳溪区")).kind("demands").valid == 4


async def test_a_county_level_city(store: Store) -> None:
    """峨眉山市: one workbook, a merged county column, 全市, 市区, 钟鼓 in four spellings."""
    report, graph = await _load(store, "emeishan")
    assert [(k.kind, k.rows, k.valid, k.rejected) for k in report.kinds] == [
        ("units", 6, 5, 1), ("resources", 5, 5, 0), ("demands", 5, 4, 1),
    ]  # fmt: skip
    assert errors(report) == [
        ("峨眉山市名册.xlsx", 7, "单位", None, "REQUIRED"),
        ("峨眉山市名册.xlsx", 6, "需求标题", None, "REQUIRED"),
    ]
    assert [(w.sheet, *c) for w, c in zip(report.warnings, _codes(report), strict=True)] == [
        ("填表说明", None, None, None, "NO_HEADER"),
        ("需求", 4, "需求类别", None, "INFERRED_CATEGORY"),
        ("需求", 5, "事项类型", "小事", "UNKNOWN_CHOICE"),
        ("需求", 5, "事项类型", "小事", "INFERRED_MATTER_CLASS"),
    ]
    food = next(d for d in by_label(graph, "Demand").values() if d["title"] == "社区食堂")
    assert (food["matterClass"], food["matterClassGiven"]) == ("PRACTICAL", "小事")
    assert graph["nodes"][EMS]["kindWord"] == "市"
    assert graph["nodes"][EMS]["city"] == "乐山市"
    demands = {d["title"]: d["communityId"] for d in by_label(graph, "Demand").values()}
    assert demands == dict.fromkeys(["老旧电梯维修", "四点半课堂", "背街小巷照明", "社区食堂"], ZG)
    units = {u["name"]: u for u in by_label(graph, "Unit").values()}
    assert {n: u["kind"] for n, u in units.items()} == {
        "峨眉山市民政局": "COUNTY_DEPARTMENT", "峨眉山市红十字会": "MASS_ORGANIZATION",
        "中国农业银行峨眉山市支行": "FINANCIAL_INSTITUTION",
        "峨眉山市第二中学": "PUBLIC_INSTITUTION", "峨眉山市个体劳动者协会": "NON_PUBLIC_COMPANY",
    }  # fmt: skip
    assert all(u["countyId"] == EMS for u in units.values())
    mzj = units["峨眉山市民政局"]["id"]
    assert links_from(graph, mzj, "LIAISES_WITH") == {ZG: {"lead": True}, WSG: {"lead": False}}
    resources = {r["name"]: (r["unitId"], sorted(r["scopeIds"])) for r in
                 by_label(graph, "Resource").values()}  # fmt: skip
    assert resources == {
        "居家养老上门服务": (mzj, [EMS]),
        "应急救护培训": (units["峨眉山市红十字会"]["id"], [EMS]),
        "金融知识讲座": (units["中国农业银行峨眉山市支行"]["id"], [EMS]),
        "操场错时开放": (units["峨眉山市第二中学"]["id"], [SL, ZG]),
        "就业岗位信息": (units["峨眉山市个体劳动者协会"]["id"], [BHL]),
    }


async def test_a_banner(store: Store) -> None:
    """准格尔旗: CSV files with titles, 所属旗, 全旗, 驻旗单位, a 苏木, open 职务 and 项目类别."""
    report, graph = await _load(store, "zhungeer")
    assert [(k.kind, k.rows, k.valid, k.rejected) for k in report.kinds] == [
        ("units", 5, 5, 0), ("resources", 5, 5, 0), ("roles", 4, 4, 0), ("demands", 4, 4, 0),
        ("projects", 3, 2, 1),
    ]  # fmt: skip
    assert errors(report) == [("projects.csv", 4, "牵头单位", "旗教育局", "UNKNOWN_UNIT")]
    assert [(w.file, *c) for w, c in zip(report.warnings, _codes(report), strict=True)] == [
        ("units.csv", 7, "单位类别", "嘎查合作社", "UNKNOWN_CHOICE"),
        ("resources.csv", 5, "服务范围", "全县", "SCOPE_READ_AS_COUNTY"),
        ("roles.csv", 3, "职务", "社区居委会主任", "UNKNOWN_CHOICE"),
        ("roles.csv", 4, "职务", None, "MISSING_VALUE"),
        ("demands.csv", 3, "需求类别", None, "INFERRED_CATEGORY"),
        ("demands.csv", 5, "事项类型", None, "INFERRED_MATTER_CLASS"),
        ("projects.csv", 2, "项目类别", "民生实事", "UNKNOWN_CHOICE"),
        ("projects.csv", 2, "状态", None, "MISSING_VALUE"),
    ]
    assert report.warnings[1].reason == "准格尔旗不是县：“全县”已按全旗保存"
    assert graph["nodes"][ZGE]["kindWord"] == "旗"
    units = {u["name"]: u for u in by_label(graph, "Unit").values()}
    assert {n: (u["kind"], u.get("kindGiven")) for n, u in units.items()} == {
        "准格尔旗民政局": ("COUNTY_DEPARTMENT", None), "准格尔旗供电分局": ("RESIDENT_UNIT", None),
        "准格尔旗红十字会": ("MASS_ORGANIZATION", None),
        "准格尔旗志愿者联合会": ("SOCIAL_ORGANIZATION", None),
        "布尔陶亥苏木经济合作社": ("OTHER", "嘎查合作社"),
    }  # fmt: skip
    roles = sorted((r["kind"], r.get("kindGiven") or "", r["placeId"]) for r in
                   by_label(graph, "Role").values())  # fmt: skip
    assert roles == [
        ("COMMUNITY_SECRETARY", "", "150622001001"),
        ("OTHER", "", "150622002001"),
        ("OTHER", "社区居委会主任", "150622001001"),
        ("STREET_SECRETARY", "", XL),
    ]
    resources = {r["name"]: sorted(r["scopeIds"]) for r in by_label(graph, "Resource").values()}
    assert resources == {
        "困难群众救助": [ZGE], "用电安全检查": [XL], "急救培训": ["150622101003"],
        "助老志愿服务": [ZGE], "助残志愿服务": [BET],
    }  # fmt: skip
    projects = {p["name"]: p for p in by_label(graph, "Project").values()}
    assert {n: (p["projectClass"], p.get("projectClassGiven"), p["status"])
            for n, p in projects.items()} == {
        "中心社区停车改造": ("OTHER", "民生实事", "REPORTED"),
        "曙光助餐点": ("POVERTY_RELIEF", None, "IN_PROGRESS"),
    }  # fmt: skip
    assert links_from(graph, projects["中心社区停车改造"]["id"], "LED_BY") == {
        units["准格尔旗民政局"]["id"]: {}
    }
    demand = derived_id("Demand", "150622101003", "儿童托管")
    assert graph["nodes"][demand]["communityId"] == "150622101003"


def _demands(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([
            ["街道", "社区", "需求标题", "需求类别", "事项类型"],
            ["新华街道", "新华社区", "楼道堆物", "环境整治", "实事"],
        ])  # fmt: skip
    return path


async def test_a_pair_in_several_counties_names_them(store: Store, tmp_path: Path) -> None:
    path = _demands(tmp_path / "demands.csv")
    report = await load_paths(store, [path])
    [error] = report.errors
    assert error.code == "AMBIGUOUS_PLACE"
    assert error.reason.startswith(
        "“新华街道新华社区”在多个县（区、市、旗）都有：辽宁省大连市瓦房店市新华街道新华社区"
    )
    assert "黑龙江省哈尔滨市道里区新华街道新华社区" in error.reason
    chosen = await load_paths(store, [path], county="哈尔滨市道里区")
    assert chosen.exitCode == 0
    [demand] = by_label(await snapshot(store), "Demand").values()
    assert demand["communityId"][:6] == "230102"


@pytest.mark.slow
def test_the_county_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _demands(tmp_path / "demands.csv")
    db = f"embedded:{tmp_path / 'db'}"
    assert main(["load", str(path), "--db", db, "--quiet"]) == 3
    assert "在多个县（区、市、旗）都有" in capsys.readouterr().out
    assert main(["load", str(path), "--db", db, "--county", "230102"]) == 0
    assert main(["load", str(path), "--db", db, "--county", "朝阳区"]) == 2
    assert "不唯一" in capsys.readouterr().err


def test_a_district_admin_uploads_over_graphql(store: Store, api: Api) -> None:
    """loadRoster takes the county from the uploader's scope: 纳溪区's admin, no county
    column; the district's units then say 区级部门 and the district 区."""
    naxi = Api.at(api, bearer(scope=NAXI))
    units = upload(naxi, "单位.xlsx", (ROSTERS / "naxi" / "纳溪区联系单位.xlsx").read_bytes())
    assert units["rows"] == 7 and units["rejectedRows"] == 1
    demands = upload(naxi, "需求.xlsx", (ROSTERS / "naxi" / "纳溪区需求清单.xlsx").read_bytes())
    assert demands["rows"] == 5 and demands["rejectedRows"] == 1
    query = """{ division(code: "510503000000") { ... on County { name kindWord } }
                 units(first: 10) { nodes { name kind kindLabel kindGiven } } }"""
    response = httpx.post(f"{naxi}/graphql", json={"query": query}, headers=naxi.headers)
    data = response.json()["data"]
    assert data["division"] == {"name": "纳溪区", "kindWord": "区"}
    found = {u["name"]: (u["kind"], u["kindLabel"], u["kindGiven"]) for u in data["units"]["nodes"]}
    assert found["纳溪区住房和城乡建设局"] == ("COUNTY_DEPARTMENT", "区级部门", None)
    assert found["纳溪区城投公司"] == ("OTHER", "其他", "区属国有平台公司")
