"""References: to the graph, to an earlier file of the same load, or to nothing (rejected)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from domain.ids import derived_id
from graph.queries import nodes
from graph.store import Store
from loaders import load_paths
from tests.loaders.conftest import ROSTERS, errors, snapshot

RESOURCES = ["单位名称", "资源名称", "资源类别", "数量", "所属县"]


def _csv(folder: Path, name: str, rows: list[list[str]]) -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


async def test_a_reference_to_nothing_creates_nothing(store: Store, tmp_path: Path) -> None:
    resources = _csv(
        tmp_path, "resources.csv", [RESOURCES, ["合江县民政局", "临时救助", "救助", "2", ""]]
    )
    report = await load_paths(store, [resources])
    assert [(e.code, e.reason) for e in report.errors] == [(
        "UNKNOWN_UNIT",
        "单位“合江县民政局”既不在图中也不在本次导入的联系单位名册里：请先在联系单位名册中登记",
    )]  # fmt: skip
    assert (await store.run(nodes.COUNT_ALL))[0]["nodes"] == 0


async def test_a_place_needs_a_county(store: Store, tmp_path: Path) -> None:
    demands = _csv(tmp_path, "demands.csv", [
        ["社区", "需求标题", "需求类别", "事项类型"], ["桂圆林社区", "老年食堂", "养老", "实事"],
    ])  # fmt: skip
    report = await load_paths(store, [demands])
    assert [(e.column, e.code, e.reason) for e in report.errors] == [(
        "县", "UNKNOWN_COUNTY", "无法确定所属县（区、市、旗）：请增加“所属县（区）”列，"
        "或先导入区划名册（divisions），或导入时指定县（--county）",
    )]  # fmt: skip
    with_county = _csv(tmp_path, "demands2.csv", [
        ["县", "社区", "需求标题", "需求类别", "事项类型"],
        ["合江县", "桂圆林社区", "老年食堂", "养老", "实事"],
    ])  # fmt: skip
    assert (await load_paths(store, [with_county])).exitCode == 0


async def test_an_earlier_file_of_the_same_load(store: Store, tmp_path: Path) -> None:
    units = _csv(tmp_path, "b_units.csv", [
        ["单位名称", "单位类型", "所属县", "联系社区"], ["合江县民政局", "县级部门", "合江县", "荔城社区"],
    ])  # fmt: skip
    resources = _csv(
        tmp_path, "a_resources.csv", [RESOURCES, ["合江县民政局", "临时救助", "救助", "2", ""]]
    )
    report = await load_paths(store, [resources, units])  # the order of files does not matter
    assert [(k.kind, k.created) for k in report.kinds] == [("units", 1), ("resources", 1)]


async def test_the_same_unit_name_in_two_counties(store: Store, tmp_path: Path) -> None:
    units = _csv(tmp_path, "units.csv", [
        ["单位名称", "单位类型", "所属县", "联系社区"],
        ["县民政局", "县级部门", "合江县", "荔城社区"],
        ["县民政局", "县级部门", "镇赉县", "庆安社区"],
    ])  # fmt: skip
    resources = _csv(tmp_path, "resources.csv", [
        RESOURCES, ["县民政局", "临时救助", "救助", "2", ""], ["县民政局", "临时救助", "救助", "2", "镇赉县"],
    ])  # fmt: skip
    report = await load_paths(store, [units, resources])
    assert errors(report) == [("resources.csv", 2, "单位名称", "县民政局", "AMBIGUOUS_UNIT")]
    assert report.kind("resources").created == 1


async def test_a_row_given_twice(store: Store, tmp_path: Path) -> None:
    demands = _csv(tmp_path, "demands.csv", [
        ["街道", "社区", "需求标题", "需求类别", "事项类型"],
        ["符阳街道", "荔城社区", "路灯不亮", "基础设施", "实事"],
        ["符阳街道", "荔城社区居委会", "路灯 不亮", "基础设施", "急事"],
    ])  # fmt: skip
    report = await load_paths(store, [ROSTERS / "divisions.csv", demands])
    assert [(e.row, e.code, e.reason) for e in report.errors] == [
        (3, "DUPLICATE", "与第 2 行重复（同一需求清单条目只能出现一次）"),
    ]


async def test_a_unit_of_another_county(store: Store, tmp_path: Path) -> None:
    units = _csv(tmp_path, "units.csv", [
        ["单位名称", "单位类型", "所属县", "联系社区"], ["合江县民政局", "县级部门", "合江县", "荔城社区"],
    ])  # fmt: skip
    resources = _csv(
        tmp_path, "resources.csv", [RESOURCES, ["合江县民政局", "救助", "救助", "2", "镇赉县"]]
    )
    report = await load_paths(store, [units, resources])
    assert [(e.code, e.reason) for e in report.errors] == [
        ("UNKNOWN_UNIT", "单位“合江县民政局”不是镇赉县的单位：请核对所属县（区）"),
    ]


async def test_project_resources_by_owner_quantity_and_colon(store: Store, tmp_path: Path) -> None:
    units = _csv(tmp_path, "units.csv", [
        ["单位名称", "单位类型", "所属县", "联系社区"],
        ["合江县民政局", "县级部门", "合江县", "荔城社区"],
        ["合江县人社局", "县级部门", "合江县", "荔城社区"],
    ])  # fmt: skip
    resources = _csv(tmp_path, "resources.csv", [
        RESOURCES, ["合江县民政局", "培训：电工", "培训", "5", ""], ["合江县民政局", "场地", "场地", "3", ""],
        ["合江县人社局", "场地", "场地", "3", ""],
    ])  # fmt: skip
    projects = _csv(tmp_path, "projects.csv", [
        ["项目名称", "项目类别", "社区", "资源", "牵头单位"],
        ["电工培训", "志愿服务", "荔城社区", "培训：电工×2、合江县人社局：场地", "合江县民政局"],
        ["活动", "文体活动", "荔城社区", "场地", ""],
    ])  # fmt: skip
    report = await load_paths(store, [units, resources, projects])
    assert [(e.row, e.code) for e in report.errors] == [(3, "AMBIGUOUS_RESOURCE")]
    assert report.errors[0].reason == "资源“场地”有 2 个单位都提供：请写成“单位名称：场地”"
    mz, rs = (derived_id("Unit", "510522000000", n) for n in ("合江县民政局", "合江县人社局"))
    graph = await snapshot(store)
    allocated = {
        (r["unitId"], r["name"]): r["allocated"]
        for r in graph["nodes"].values()
        if r["label"] == "Resource"
    }
    assert allocated == {(mz, "培训：电工"): 2, (mz, "场地"): 0, (rs, "场地"): 1}


@pytest.mark.parametrize(
    "name", ["桂圆林", "桂圆林社区", "桂圆林社区居民委员会", "桂圆林社区居委会", "桂 圆 林"]
)
async def test_community_names_as_written(store: Store, tmp_path: Path, name: str) -> None:
    demands = _csv(tmp_path, "demands.csv", [
        ["县", "街道", "社区", "需求标题", "需求类别", "事项类型"],
        ["合江县", "符阳街道办事处", name, "老年食堂", "养老", "实事"],
    ])  # fmt: skip
    report = await load_paths(store, [demands])
    assert report.exitCode == 0
    graph = await snapshot(store)
    [demand] = [n for n in graph["nodes"].values() if n["label"] == "Demand"]
    assert demand["communityId"] == "510522001006"


async def test_one_person_in_two_rows_across_batches(store: Store, tmp_path: Path) -> None:
    units = _csv(tmp_path, "units.csv", [
        ["单位名称", "单位类型", "所属县", "联系社区"],
        ["合江县民政局", "县级部门", "合江县", "荔城社区"],
        ["合江县人社局", "县级部门", "合江县", "荔城社区"],
    ])  # fmt: skip
    members = _csv(tmp_path, "members.csv", [
        ["姓名", "工作单位", "居住社区", "联系电话", "县"],
        ["王芳", "合江县民政局", "荔城社区", "13900001234", "合江县"],
        ["赵强", "合江县民政局", "荔城社区", "13900001235", "合江县"],
        ["王芳", "合江县人社局", "桂圆林社区", "13900001234", "合江县"],
    ])  # fmt: skip
    report = await load_paths(store, [units, members], batch_size=1)
    assert report.exitCode == 0
    graph = await snapshot(store)
    wang = derived_id("Person", "王芳", "13900001234")
    works = {
        text.split(" -WORKS_AT-> ")[1]
        for text in graph["links"]
        if text.startswith(f"{wang} -WORKS_AT")
    }
    assert works == {
        derived_id("Unit", "510522000000", n) for n in ("合江县民政局", "合江县人社局")
    }
