"""A changed reference moves the link: the old one goes, the new one comes, nothing
else changes (a demand's compound, a project's community and demands, a deputy
secretary's unit)."""

from __future__ import annotations

import csv
import io

from app.settings import DEMO_DIR
from domain.ids import derived_id
from graph.queries import demands, projects
from graph.store import Store
from loaders import load_folder, load_upload

DEMO = DEMO_DIR / "hejiang"


def rows(kind: str) -> list[dict[str, str]]:
    with (DEMO / f"{kind}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def as_csv(table: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table[0]))
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue().encode("utf-8")


async def reload(store: Store, kind: str, table: list[dict[str, str]]) -> None:
    report = await load_upload(store, f"{kind}.csv", as_csv(table))
    assert report.ok, report.errors
    assert report.kind(kind).updated >= 1 or report.kind(kind).unchanged < len(table)


async def test_changed_references_move_their_links(store: Store) -> None:
    assert (await load_folder(store, DEMO)).ok

    # a demand moves to another compound of its community
    table = rows("demands")
    row = next(r for r in table if r["小区"] and not r["楼栋"])
    row["小区"] = "新建安置小区"
    await reload(store, "demands", table)
    demand = derived_id(
        "Demand",
        "510522001008" if row["社区"] == "桥凼社区" else _code(row["社区"]),
        row["需求标题"],
    )
    [found] = await store.run(demands.GET, ids=[demand])
    compound = derived_id("Compound", _code(row["社区"]), "新建安置小区")
    assert found["node"]["placeId"] == compound

    # a project moves to another community and answers another demand there
    table = rows("projects")
    project = table[0]
    other = next(r for r in rows("demands") if r["社区"] == "荔城社区")
    project["社区"], project["需求"] = "荔城社区", other["需求标题"]
    await reload(store, "projects", table)
    pid = derived_id("Project", "510522000000", project["项目名称"])
    [moved] = await store.run(projects.GET, ids=[pid])
    assert moved["node"]["communityId"] == "510522001009"
    answered = await store.run(demands.OF_PROJECT, ids=[pid])
    assert [r["node"]["title"] for r in answered] == [other["需求标题"]]

    # a deputy secretary now comes from another unit
    table = rows("roles")
    deputy = next(r for r in table if r["职务"] == "兼职副书记")
    deputy["单位及职务"] = "合江县民政局党组书记、局长"
    await reload(store, "roles", table)


def _code(community: str) -> str:
    for row in rows("divisions"):
        if row["社区"] == community:
            return row["区划代码"]
    raise AssertionError(community)
