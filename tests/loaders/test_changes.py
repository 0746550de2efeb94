"""A changed row updates its node and replaces the links it owns; nothing else moves."""

from __future__ import annotations

import csv
from pathlib import Path

from domain.ids import derived_id
from graph import writes
from graph.store import Store
from loaders import LoadReport, load_paths
from tests.loaders.conftest import ROSTERS, by_label, links_from, snapshot

HJ, GYL, LC = "510522000000", "510522001006", "510522001009"
ZJJ = derived_id("Unit", HJ, "合江县住房和城乡建设局")
MZJ = derived_id("Unit", HJ, "合江县民政局")

UNITS = [
    "单位名称",
    "单位类型",
    "所属县",
    "联系社区",
    "牵头社区",
    "党组织名称",
    "党组织负责人",
    "联系电话",
]
MZJ_ROW = ["合江县民政局", "县级部门", "合江县", "荔城社区、桂圆林社区", "", "中共合江县民政局党组",
           "万成芬", "13182724947"]  # fmt: skip


def _csv(folder: Path, name: str, rows: list[list[str]]) -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def _counts(report: LoadReport) -> list[tuple[str, int, int, int, int]]:
    return [(k.kind, k.created, k.updated, k.unchanged, k.rejected) for k in report.kinds]


async def test_a_changed_unit_replaces_its_liaisons(store: Store, tmp_path: Path) -> None:
    await load_paths(store, [ROSTERS / "divisions.csv", ROSTERS / "units.xlsx"])
    before = await snapshot(store, times=True)
    changed = _csv(tmp_path, "units.csv", [
        UNITS,
        ["合江县住房和城乡建设局", "县级部门", "合江县", "荔城社区", "荔城社区",
         "中共合江县住房和城乡建设局党组", "穆桂强", "0830-5211298"],
        MZJ_ROW,
    ])  # fmt: skip
    report = await load_paths(store, [changed])
    assert _counts(report) == [("units", 0, 1, 1, 0)]
    after = await snapshot(store, times=True)
    assert links_from(after, ZJJ, "LIAISES_WITH") == {LC: {"lead": True}}
    assert after["nodes"][ZJJ]["phone"] == "0830-5211298"
    assert after["nodes"][ZJJ]["updatedAt"] > before["nodes"][ZJJ]["updatedAt"]
    assert after["nodes"][MZJ] == before["nodes"][MZJ]
    assert after["nodes"][ZJJ]["createdAt"] == before["nodes"][ZJJ]["createdAt"]


async def test_a_new_holder_replaces_the_old_one(store: Store, tmp_path: Path) -> None:
    await load_paths(store, [ROSTERS / "divisions.csv", ROSTERS / "roles_buildings.xlsx"])
    role = derived_id("Role", "FIRST_SECRETARY", GYL)
    roster = _csv(tmp_path, "roles.csv", [
        ["县", "街道", "社区", "职务", "姓名", "联系电话", "任职日期"],
        ["合江县", "符阳街道", "桂圆林社区", "第一书记", "王明", "13900001111", "2024-01-02"],
    ])  # fmt: skip
    report = await load_paths(store, [roster])
    assert _counts(report) == [("roles", 0, 1, 0, 0)]
    graph = await snapshot(store)
    wang = derived_id("Person", "王明", "13900001111")
    holders = [p for p in by_label(graph, "Person") if role in links_from(graph, p, "HOLDS")]
    assert holders == [wang]
    assert (graph["nodes"][role]["personId"], graph["nodes"][role]["since"]) == (wang, "2024-01-02")
    xie = derived_id("Person", "谢庆鹏", "18951091903")
    assert xie in graph["nodes"]  # the person stays, without the post


async def test_a_building_row_is_the_whole_truth_about_its_roles(
    store: Store, tmp_path: Path
) -> None:
    await load_paths(store, [ROSTERS / "divisions.csv", ROSTERS / "roles_buildings.xlsx"])
    building = derived_id("Building", GYL, "利城半岛", "1栋")
    roster = _csv(tmp_path, "buildings.csv", [
        ["街道", "社区", "小区", "楼栋", "户数", "楼栋长", "党小组长", "网格员", "双报到党员", "联系电话"],
        ["符阳街道", "桂圆林社区", "利城半岛", "1栋", "48", "龙春亮", "", "陆远明", "卢川", "15086870432"],
    ])  # fmt: skip
    report = await load_paths(store, [roster])
    assert _counts(report) == [("buildings", 0, 1, 0, 0)]
    graph = await snapshot(store)
    people = by_label(graph, "Person")
    members = {
        people[r["personId"]]["name"]
        for r in by_label(graph, "Role").values()
        if r["placeId"] == building and r["kind"] == "REGISTERED_MEMBER"
    }
    assert members == {"卢川"}
    assert not [
        t for t in graph["links"] if derived_id("Role", "REGISTERED_MEMBER", building, "孟军") in t
    ]
    again = await load_paths(store, [roster])
    assert _counts(again) == [("buildings", 0, 0, 1, 0)]


async def test_demands_move_and_keep_their_status(store: Store, tmp_path: Path) -> None:
    await load_paths(store, [ROSTERS / "divisions.csv", ROSTERS / "demands_bom.csv"])
    demand = derived_id("Demand", GYL, "利城半岛电梯故障")
    await writes.upsert(store, "Demand", [(demand, {"status": "RESOLVED"})])
    again = await load_paths(store, [ROSTERS / "demands_bom.csv"])
    assert _counts(again) == [("demands", 0, 0, 5, 0)]
    moved = _csv(tmp_path, "demands.csv", [
        ["街道", "社区", "小区", "楼栋", "需求标题", "需求描述", "需求类别", "事项类型", "紧急程度",
         "受益户数", "收集人", "收集日期", "来源"],
        ["符阳街道", "桂圆林社区", "利城半岛", "", "利城半岛电梯故障", "电梯经常停运", "设施设备",
         "急事", "加急", "96", "王五", "2024-03-05", "网格员走访"],
    ])  # fmt: skip
    report = await load_paths(store, [moved])
    assert _counts(report) == [("demands", 0, 1, 0, 0)]
    graph = await snapshot(store)
    compound = derived_id("Compound", GYL, "利城半岛")
    assert links_from(graph, demand, "AT") == {compound: {}}
    assert (graph["nodes"][demand]["placeId"], graph["nodes"][demand]["status"]) == (
        compound, "RESOLVED",
    )  # fmt: skip


async def test_cancelling_a_project_frees_its_resources(store: Store, tmp_path: Path) -> None:
    files = ["divisions.csv", "units.xlsx", "resources_gb18030.csv", "demands_bom.csv",
             "projects.xlsx"]  # fmt: skip
    await load_paths(store, [ROSTERS / name for name in files])
    cancelled = _csv(tmp_path, "projects.csv", [
        ["项目名称", "项目类别", "社区", "需求", "资源", "牵头单位", "状态"],
        ["利城半岛老年食堂建设", "扶贫帮困", "桂圆林社区", "利城半岛老年食堂", "社区老年食堂运营补贴",
         "合江县住房和城乡建设局", "已取消"],
    ])  # fmt: skip
    report = await load_paths(store, [cancelled])
    assert _counts(report) == [("projects", 0, 1, 0, 0)]
    graph = await snapshot(store)
    project = derived_id("Project", HJ, "利城半岛老年食堂建设")
    assert links_from(graph, project, "LED_BY") == {ZJJ: {}}
    assert list(links_from(graph, project, "USES").values()) == [{"quantity": 1}]
    allocated = {r["name"]: r["allocated"] for r in by_label(graph, "Resource").values()}
    assert allocated == {
        "社区老年食堂运营补贴": 0,
        "老旧小区改造政策咨询": 0,
        "困难群众临时救助": 0,
    }
