"""An upload limited to the uploader's county (a city admin's: its city) refuses every
row that would write a node elsewhere: as the row names it, and as the node is stored."""

from __future__ import annotations

from app.settings import DEMO_DIR
from domain.ids import derived_id
from graph.queries import nodes
from graph.store import Store
from loaders import load_folder, load_upload
from loaders.confine import inside

DEMO = DEMO_DIR
HEJIANG, ZHENLAI = "510522000000", "220821000000"
LUZHOU, BAICHENG = "510500000000", "220800000000"
Z_UNIT = derived_id("Unit", ZHENLAI, "中共镇赉县委组织部")
Z_RESOURCE = derived_id("Resource", Z_UNIT, "城市党建联盟联席会")
HEADER = "单位名称,资源名称,资源类别,数量,计量单位,服务范围,联系人,联系电话\n"


async def _resource(store: Store, resource_id: str) -> dict[str, object]:
    [row] = await store.run(nodes.GET["Resource"], ids=[resource_id])
    return dict(row["node"])


async def test_an_update_of_another_countys_node_is_refused_and_changes_nothing(
    store: Store,
) -> None:
    for county in ("hejiang", "zhenlai"):
        assert (await load_folder(store, DEMO / county)).ok
    stored = await _resource(store, Z_RESOURCE)
    # no county column: the unit's name alone finds 镇赉县's unit, and its resource
    row = "中共镇赉县委组织部,城市党建联盟联席会,党建引领,999,次,,王*,13800000000\n"
    report = await load_upload(store, "资源.csv", (HEADER + row).encode(), within=HEJIANG)
    assert [e.code for e in report.errors] == ["OUT_OF_SCOPE"]
    assert report.kinds[0].updated == 0 and report.kinds[0].rejected == 1
    assert await _resource(store, Z_RESOURCE) == stored
    assert stored["capacity"] == 12
    # the same row is the 镇赉县 admin's to change
    report = await load_upload(store, "资源.csv", (HEADER + row).encode(), within=ZHENLAI)
    assert report.ok and report.kinds[0].updated == 1
    assert (await _resource(store, Z_RESOURCE))["capacity"] == 999


async def test_a_new_row_for_another_countys_unit_is_refused_too(store: Store) -> None:
    for county in ("hejiang", "zhenlai"):
        assert (await load_folder(store, DEMO / county)).ok
    count = (await store.run(nodes.COUNT["Resource"]))[0]["count"]
    row = "中共镇赉县委组织部,跨县新资源,场地,3,间,,,\n"
    report = await load_upload(store, "资源.csv", (HEADER + row).encode(), within=HEJIANG)
    assert [e.code for e in report.errors] == ["OUT_OF_SCOPE"]
    assert (await store.run(nodes.COUNT["Resource"]))[0]["count"] == count


DIVISIONS = (
    "县(市、区),街道(乡镇),社区,区划代码\n"
    "合江县,符阳街道,桂圆林社区,510522001006\n"
    "泸县,玉蟾街道,西苑社区,510521001001\n"
    "洮北区,海明街道,民生社区,220802001001\n"
)


async def test_a_city_upload_mixes_its_counties_and_refuses_others(store: Store) -> None:
    """泸州市: 合江县 and 泸县 load from one file; 洮北区 (白城市) is refused."""
    report = await load_upload(store, "全市区划.csv", DIVISIONS.encode(), within=LUZHOU)
    assert [(e.row, e.code) for e in report.errors] == [(4, "OUT_OF_SCOPE")]
    counties = await store.run(nodes.GET["County"], ids=[HEJIANG, "510521000000", "220802000000"])
    assert sorted(row["id"] for row in counties) == ["510521000000", HEJIANG]


async def test_another_city_and_a_district(store: Store) -> None:
    """白城市: 洮北区 (a district) and 镇赉县 are its own; 合江县 and 泸县 are not."""
    rows = DIVISIONS + "镇赉县,鹤城街道,庆生社区,220821001001\n"
    report = await load_upload(store, "白城.csv", rows.encode(), within=BAICHENG)
    assert sorted(e.row for e in report.errors) == [2, 3]
    assert {e.code for e in report.errors} == {"OUT_OF_SCOPE"}
    found = await store.run(nodes.GET["Community"], ids=["220802001001", "220821001001"])
    assert len(found) == 2
    # a county admin of 洮北区 may not write 镇赉县, though both are 白城市's
    again = await load_upload(store, "白城.csv", rows.encode(), within="220802000000")
    assert sorted(e.row for e in again.errors) == [2, 3, 5]


def test_inside_a_county_or_a_city() -> None:
    assert inside("510521001001", LUZHOU) and inside("510522000000", LUZHOU)
    assert not inside("220802001001", LUZHOU)
    assert inside("220821001001", ZHENLAI) and not inside("220802001001", ZHENLAI)


async def test_a_row_linking_another_countys_unit_or_resource_is_refused(store: Store) -> None:
    for county in ("hejiang", "zhenlai"):
        assert (await load_folder(store, DEMO / county)).ok
    count = (await store.run(nodes.COUNT["Project"]))[0]["count"]
    header = "项目名称,项目类别,社区,需求,资源,牵头单位,参与单位,状态,开始日期,完成日期\n"
    rows = (
        "跨县参与,党建引领,桂圆林社区,,,中共合江县委组织部,镇赉县住房和城乡建设局,,2024-01-01,\n"
        "跨县资源,党建引领,桂圆林社区,,城市党建联盟联席会,中共合江县委组织部,,,2024-01-01,\n"
    )
    report = await load_upload(store, "项目.csv", (header + rows).encode(), within=HEJIANG)
    assert [(e.row, e.code) for e in report.errors] == [(2, "OUT_OF_SCOPE"), (3, "OUT_OF_SCOPE")]
    assert (await store.run(nodes.COUNT["Project"]))[0]["count"] == count
