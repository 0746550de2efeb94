"""A unit on several rows, one per liaison community, as clerks lay out a 联系单位一览表:
the unit's cells merged down (都江堰市, a 县级市) or written again, or left empty below
the first row. The rows are one unit: their communities join, lead marks included; a
cell that says otherwise than the first row is kept as the first row says, with a
warning; only a true duplicate of another kind of roster is a rejection."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from graph.store import Store
from loaders import load_paths
from tests.loaders.conftest import by_label, errors, links_from, snapshot

DJY = "510181000000"
QJ, JJ, AS = "510181001001", "510181001002", "510181001005"
LH, XFQ = "510181002001", "510181002003"


def _merged_workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "联系单位"
    ws.append(["都江堰市城市社区联系单位一览表"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "单位名称", "单位类型", "所属街道", "联系社区", "是否牵头"])
    for row in [
        (1, "市住建局", "市级部门", "奎光塔街道", "勤俭人家社区", "是"),
        (None, None, None, "奎光塔街道", "金江社区", "否"),
        (2, "都江堰市总工会", "工会", "幸福街道", "莲花社区", "否"),
        (None, None, None, "幸福街道", "翔凤桥社区", "是"),
        (3, "市税务局", "垂直管理部门", "奎光塔街道", "安顺社区", "否"),
    ]:
        ws.append(list(row))
    for cells in ("A3:A4", "B3:B4", "C3:C4", "A5:A6", "B5:B6", "C5:C6"):
        ws.merge_cells(cells)
    wb.save(path)
    return path


async def test_merged_unit_cells_make_one_unit_with_every_community(
    store: Store, tmp_path: Path
) -> None:
    report = await load_paths(store, [_merged_workbook(tmp_path / "联系单位.xlsx")])
    assert errors(report) == []
    (kind,) = report.kinds
    assert (kind.rows, kind.valid, kind.created, kind.rejected) == (5, 5, 3, 0)
    combined = [(w.row, w.code) for w in report.warnings]
    assert combined == [(4, "ROWS_COMBINED"), (6, "ROWS_COMBINED")]
    graph = await snapshot(store)
    units = {u["name"]: u for u in by_label(graph, "Unit").values()}
    assert {u["countyId"] for u in units.values()} == {DJY}
    assert links_from(graph, units["市住建局"]["id"], "LIAISES_WITH") == {
        QJ: {"lead": True}, JJ: {"lead": False},
    }  # fmt: skip
    assert links_from(graph, units["都江堰市总工会"]["id"], "LIAISES_WITH") == {
        LH: {"lead": False}, XFQ: {"lead": True},
    }  # fmt: skip
    assert links_from(graph, units["市税务局"]["id"], "LIAISES_WITH") == {AS: {"lead": False}}


async def test_repeated_and_empty_cells_below_the_first_row(store: Store, tmp_path: Path) -> None:
    roster = tmp_path / "units.csv"
    roster.write_text(
        "单位名称,单位类型,所属县,联系社区,牵头社区\n"
        "市住建局,市级部门,都江堰市,勤俭人家社区,勤俭人家社区\n"
        "市住建局,,都江堰市,金江社区,\n"  # the type left empty: the first row's
        "市住建局,国有企业,都江堰市,安顺社区,\n"  # another type: the first row's, warned
        "市住建局,市级部门,都江堰市,勤俭人家社区,\n",  # a community again: still one link
        encoding="utf-8",
    )
    report = await load_paths(store, [roster])
    assert errors(report) == []
    assert [(w.row, w.code, w.value) for w in report.warnings] == [
        (3, "ROWS_COMBINED", "金江社区居民委员会"),
        (4, "ROWS_COMBINED", "安顺社区居民委员会"),
        (4, "ROWS_DIFFER", "国有企业"),
        (5, "ROWS_COMBINED", "勤俭人家社区居民委员会"),
    ]
    graph = await snapshot(store)
    (unit,) = by_label(graph, "Unit").values()
    assert unit["kind"] == "COUNTY_DEPARTMENT"
    assert links_from(graph, unit["id"], "LIAISES_WITH") == {
        QJ: {"lead": True}, JJ: {"lead": False}, AS: {"lead": False},
    }  # fmt: skip
    # loading the same roster again changes nothing
    again = await load_paths(store, [roster])
    assert [(k.created, k.updated, k.unchanged) for k in again.kinds] == [(0, 0, 1)]
