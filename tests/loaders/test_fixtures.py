"""Each messy fixture loaded on top of what it refers to: the exact report and the exact
graph (``tests/fixtures/rosters/expected``), and a second load that changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from domain.ids import derived_id
from graph.store import Store
from loaders import LoadReport, load_paths
from loaders.refine import refine
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

HJ, FY, LG = "510522000000", "510522001000", "510522002000"
GYL, LC, WLP = "510522001006", "510522001009", "510522002001"
ZJJ = derived_id("Unit", HJ, "合江县住房和城乡建设局")
MZJ = derived_id("Unit", HJ, "合江县民政局")


async def _load(store: Store, *names: str) -> LoadReport:
    return await load_paths(store, [ROSTERS / name for name in names])


async def _fixture(
    store: Store, name: str, before: list[str], files: list[str]
) -> tuple[LoadReport, dict[str, Any]]:
    """Load what the fixture refers to, then the fixture; check it against its expected
    file, and that loading it again changes nothing, not even updatedAt."""
    if before:
        await _load(store, *before)
    report = await _load(store, *files)
    await refine(store)  # the categories inferred lexically, as the loader's callers do
    graph = await snapshot(store)
    expect(name, {"report": report_data(report), "graph": graph})
    stamped = await snapshot(store, times=True)
    again = await _load(store, *files)
    assert [(k.kind, k.created, k.updated, k.rejected) for k in again.kinds] == [
        (k.kind, 0, 0, k.rejected) for k in report.kinds
    ]
    assert await snapshot(store, times=True) == stamped
    return report, graph


async def test_divisions(store: Store) -> None:
    report, graph = await _fixture(store, "divisions", [], ["divisions.csv"])
    assert report.exitCode == 0
    assert report.kind("divisions").created == 3
    assert graph["nodes"][LC] == {
        "label": "Community", "id": LC, "code": LC, "name": "荔城社区", "streetId": FY,
        "declared": False, "households": 9320, "population": 27100,
    }  # fmt: skip
    assert link(LC, "PART_OF", FY) in graph["links"]
    assert graph["nodes"][HJ]["city"] == "泸州市"


async def test_units_xlsx_title_notes_merged_cells_and_synonyms(store: Store) -> None:
    report, graph = await _fixture(store, "units", ["divisions.csv"], ["units.xlsx"])
    assert report.exitCode == 3
    [sheet] = report.sheets
    assert (sheet.headerRow, sheet.rows, sheet.skippedRows) == (3, 4, 1)
    assert errors(report) == [
        ("units.xlsx", 8, "联系电话（手机）", "12345", "INVALID_PHONE"),
        ("units.xlsx", 8, "联系社区", "桂园林社区", "UNKNOWN_PLACE"),
    ]
    assert report.errors[1].reason == (
        "未找到社区“桂园林社区”（合江县）；最接近的有：桂圆林社区(510522001006)、"
        "义园街社区(510522001007)、枣林桥社区(510522001002)"
    )
    assert report.errors[1].columnLetter == "D"
    units = by_label(graph, "Unit")
    assert {u["name"] for u in units.values()} == {
        "合江县住房和城乡建设局", "合江县民政局", "合江县XYZ志愿者协会",
    }  # fmt: skip
    assert units[ZJJ]["phone"] == "0830-5211297"
    assert units[MZJ]["phone"] == "13182724947"  # typed as a number: 13182724947.0
    assert units[MZJ]["kind"] == "COUNTY_DEPARTMENT"  # from a merged 单位类型 cell
    assert links_from(graph, ZJJ, "LIAISES_WITH") == {
        GYL: {"lead": True}, LC: {"lead": False}, WLP: {"lead": False},
    }  # fmt: skip
    people = {p["name"]: p for p in by_label(graph, "Person").values()}
    assert people["穆桂强"] == {
        "label": "Person", "id": derived_id("Person", "穆桂强", ZJJ), "name": "穆桂强",
    }  # fmt: skip
    assert people["万成芬"]["phone"] == "13182724947"


async def test_resources_gb18030_csv(store: Store) -> None:
    report, graph = await _fixture(
        store, "resources", ["divisions.csv", "units.xlsx"], ["resources_gb18030.csv"]
    )
    assert report.sheets[0].encoding == "gb18030"
    assert errors(report) == [
        ("resources_gb18030.csv", 5, "单位", "合江县财政局", "UNKNOWN_UNIT"),
        ("resources_gb18030.csv", 6, "数量", "2.5", "NOT_AN_INTEGER"),
        ("resources_gb18030.csv", 6, "服务范围", "江北街道", "UNKNOWN_PLACE"),
    ]
    assert [(w.row, w.code, w.value) for w in report.warnings] == [
        (3, "INFERRED_CATEGORY", "社区食堂"),
    ]
    resources = {r["name"]: r for r in by_label(graph, "Resource").values()}
    assert set(resources) == {"老旧小区改造政策咨询", "社区老年食堂运营补贴", "困难群众临时救助"}
    advice = resources["老旧小区改造政策咨询"]
    assert (advice["capacity"], advice["contactName"], advice["contactPhone"]) == (
        12, "张三", "13812345678",
    )  # fmt: skip
    canteen = resources["社区老年食堂运营补贴"]
    # 社区食堂 is no category: inferred from 社区老年食堂运营补贴 (a subsidy), the cell kept
    assert (canteen["category"], canteen["categoryGiven"]) == ("FUNDS", "社区食堂")
    assert canteen["categoryInferred"] is True
    assert (canteen["capacity"], canteen["measure"], canteen["scope"]) == (30, "万元", "STREET")
    assert canteen["scopeIds"] == [FY, WLP]
    assert (canteen["status"], canteen["allocated"]) == ("AVAILABLE", 0)
    assert link(MZJ, "OFFERS", canteen["id"]) in graph["links"]
    assert resources["困难群众临时救助"]["scope"] == "COMMUNITY"


async def test_demands_csv_with_bom_and_every_date_form(store: Store) -> None:
    report, graph = await _fixture(store, "demands", ["divisions.csv"], ["demands_bom.csv"])
    assert report.sheets[0].encoding == "utf-8-sig"
    assert errors(report) == []
    # row 6's date (2024-13-01) is no date: the demand is kept, its date empty, the cell
    # as written; 大事情 is kept and read as the class it contains (大事)
    assert [(w.row, w.column, w.value, w.code) for w in report.warnings] == [
        (6, "事项类型", "大事情", "UNKNOWN_CHOICE"), (6, "收集日期", "2024-13-01", "UNREAD_DATE"),
    ]  # fmt: skip
    demands = {d["title"]: d for d in by_label(graph, "Demand").values()}
    assert {t: d.get("collectedOn") for t, d in demands.items()} == {
        "利城半岛电梯故障": "2024-03-05",  # 2024/3/5
        "利城半岛老年食堂": "2024-03-06",  # 2024年3月6日
        "荔城社区上下学交通拥堵": "2024-03-07",  # 2024.3.7
        "五里坡安置小区停车难": "2024-03-05",  # 45356, an Excel serial
        "荔城社区路灯不亮": None,  # 2024-13-01
    }
    assert demands["荔城社区路灯不亮"]["collectedOnGiven"] == "2024-13-01"
    lift = demands["利城半岛电梯故障"]
    building = derived_id("Building", GYL, "利城半岛", "3栋")
    assert (lift["matterClass"], lift["urgency"], lift["status"]) == ("PRESSING", "URGENT", "OPEN")
    assert lift["placeId"] == building
    assert link(lift["id"], "AT", building) in graph["links"]
    assert demands["五里坡安置小区停车难"]["collectorName"] == "赵六"


async def test_roles_and_buildings_in_one_workbook(store: Store) -> None:
    report, graph = await _fixture(
        store, "roles_buildings", ["divisions.csv", "units.xlsx"], ["roles_buildings.xlsx"]
    )
    assert [(s.sheet, s.kind, s.headerRow) for s in report.sheets] == [
        ("说明", None, None), ("书记名册", "roles", 1), ("两长两员", "buildings", 2),
        ("Sheet3", None, None),
    ]  # fmt: skip
    assert [(w.sheet, w.code) for w in report.warnings] == [("说明", "NO_HEADER")]
    assert [(e.sheet, *t) for e, t in zip(report.errors, errors(report), strict=True)] == [
        ("书记名册", "roles_buildings.xlsx", 5, "街道", None, "REQUIRED"),
        ("两长两员", "roles_buildings.xlsx", 5, "联系电话", "1312309130", "INVALID_PHONE"),
    ]
    roles = {(r["kind"], r["placeId"]): r for r in by_label(graph, "Role").values()}
    first = roles[("FIRST_SECRETARY", GYL)]
    assert (first["since"], first["id"]) == (
        "2020-08-10",
        derived_id("Role", "FIRST_SECRETARY", GYL),
    )
    deputy = roles[("DEPUTY_SECRETARY", GYL)]
    assert (deputy["since"], deputy["unitId"]) == ("2020-08-10", ZJJ)  # Excel serial 44053
    assert link(deputy["id"], "FOR_UNIT", ZJJ) in graph["links"]
    compound = derived_id("Compound", GYL, "利城半岛")
    assert roles[("COMPOUND_SECRETARY", compound)]["since"] == "2022-05-16"
    assert roles[("COMMUNITY_SECRETARY", LC)]["since"] == "2021-11-05"
    people = {p["id"]: p for p in by_label(graph, "Person").values()}
    assert people[first["personId"]]["name"] == "谢庆鹏"
    one = derived_id("Building", GYL, "利城半岛", "1栋")
    two = derived_id("Building", GYL, "利城半岛", "2栋")
    assert graph["nodes"][one]["households"] == 48
    held = {
        (r["kind"], people[r["personId"]]["name"])
        for r in by_label(graph, "Role").values()
        if r["placeId"] == one
    }
    assert held == {
        ("BUILDING_HEAD", "龙春亮"), ("GRID_WORKER", "陆远明"),
        ("REGISTERED_MEMBER", "卢川"), ("REGISTERED_MEMBER", "孟军"),
    }  # fmt: skip
    # the head of 1栋 (with a phone) is the group leader of 2栋 (without one)
    assert roles[("GROUP_LEADER", two)]["personId"] == roles[("BUILDING_HEAD", one)]["personId"]


async def test_members_xls(store: Store) -> None:
    report, graph = await _fixture(
        store, "members", ["divisions.csv", "units.xlsx"], ["members.xls"]
    )
    # a member of an office that is no liaison unit is kept, the unit as written
    assert errors(report) == []
    unknown = [(w.row, w.value, w.code) for w in report.warnings if w.column == "工作单位"]
    assert unknown == [(4, "合江县消防救援大队", "UNKNOWN_UNIT")]
    roles = {r["personId"]: r for r in by_label(graph, "Role").values() if r["placeId"] == GYL}
    lu = derived_id("Person", "卢川", "15508063696")
    assert roles[lu]["claimedItems"] == ["高龄老人用电安全检查", "楼栋环境卫生监督"]
    assert roles[lu]["serviceHours"] == 28.5
    assert link(lu, "WORKS_AT", ZJJ) in graph["links"]
    meng = derived_id("Person", "孟军", GYL)
    assert link(meng, "WORKS_AT", MZJ) in graph["links"]


async def test_projects_and_allocation(store: Store) -> None:
    before = ["divisions.csv", "units.xlsx", "resources_gb18030.csv", "demands_bom.csv"]
    report, graph = await _fixture(store, "projects", before, ["projects.xlsx"])
    assert errors(report) == [
        ("projects.xlsx", 4, "牵头单位", "合江县公安局", "UNKNOWN_UNIT"),
        ("projects.xlsx", 4, "需求", "不存在的需求", "UNKNOWN_DEMAND"),
    ]
    resources = {r["name"]: r for r in by_label(graph, "Resource").values()}
    allocated = {name: r["allocated"] for name, r in resources.items()}
    assert allocated == {
        "社区老年食堂运营补贴": 2,
        "老旧小区改造政策咨询": 1,
        "困难群众临时救助": 0,
    }
    project = derived_id("Project", HJ, "利城半岛老年食堂建设")
    assert links_from(graph, project, "USES") == {
        resources["社区老年食堂运营补贴"]["id"]: {"quantity": 2},
        resources["老旧小区改造政策咨询"]["id"]: {"quantity": 1},
    }
    assert graph["nodes"][project]["status"] == "IN_PROGRESS"


async def test_declared_communities(store: Store) -> None:
    report, graph = await _fixture(
        store, "declared", [], ["declared/divisions.csv", "declared/demands.csv"]
    )
    assert [(w.row, w.code, w.value) for w in report.warnings] == [
        (2, "DECLARED_COMMUNITY", "江滨社区"), (3, "DECLARED_COMMUNITY", "新城社区"),
    ]  # fmt: skip
    assert errors(report) == [("demands.csv", 4, "社区", "滨江新村", "UNKNOWN_PLACE")]
    assert "最接近的有" in report.errors[0].reason
    assert graph["nodes"]["510522002004"]["declared"] is True
    assert graph["nodes"]["510522002901"]["name"] == "新城社区"  # a provisional code
    # a later load knows the declared communities from the graph
    later = await load_paths(store, [ROSTERS / "declared" / "demands.csv"])
    assert [k.unchanged for k in later.kinds] == [2]


@pytest.mark.slow
async def test_whole_folder(store: Store) -> None:
    """Every fixture in one load: people named in several rosters are one person."""
    report = await load_paths(store, [ROSTERS])
    await refine(store)
    graph = await snapshot(store)
    expect("folder", {"report": report_data(report), "graph": graph})
    names = [p["name"] for p in by_label(graph, "Person").values()]
    assert sorted(names) == sorted(set(names))
    assert report.exitCode == 3
    assert report.rejectedRows == 6
