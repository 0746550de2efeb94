"""The demo counties load through the loaders without a single rejected row or warning."""

from __future__ import annotations

import pytest

from graph.store import Store
from loaders import load_folder, load_paths
from tests.loaders.conftest import DEMO, by_label, snapshot


@pytest.mark.slow
@pytest.mark.parametrize("county", ["hejiang", "zhenlai"])
async def test_demo_county(store: Store, county: str) -> None:
    report = await load_folder(store, DEMO / county)
    assert [(e.file, e.row, e.reason) for e in report.errors] == []
    assert [(w.file, w.row, w.reason) for w in report.warnings] == []
    assert {k.kind for k in report.kinds} == {
        "divisions", "units", "resources", "roles", "buildings", "members", "demands", "projects",
    }  # fmt: skip
    assert all(k.created == k.rows for k in report.kinds)
    stamped = await snapshot(store, times=True)
    names = [p["name"] for p in by_label(stamped, "Person").values()]
    assert len(names) == len(set(names)), "a person named in two rosters became two people"
    again = await load_folder(store, DEMO / county)
    assert all(k.unchanged == k.rows for k in again.kinds)
    assert await snapshot(store, times=True) == stamped


@pytest.mark.slow
async def test_both_counties_in_one_graph(store: Store) -> None:
    for county in ("hejiang", "zhenlai"):
        assert (await load_folder(store, DEMO / county)).exitCode == 0
    graph = await snapshot(store)
    assert sorted(n["name"] for n in by_label(graph, "County").values()) == ["合江县", "镇赉县"]


async def test_both_counties_in_one_load(store: Store) -> None:
    report = await load_paths(store, [DEMO / "hejiang", DEMO / "zhenlai"], dry_run=True)
    assert report.exitCode == 0
    names = [s.file for s in report.sheets]
    assert "hejiang/units.csv" in names and "zhenlai/units.csv" in names
    assert len(names) == len(set(names)) == 16
    hejiang = next(s for s in report.sheets if s.file == "hejiang/units.csv")
    assert hejiang.rows == 34
