"""Over random real county-level divisions of every kind (县, 自治县, 区, 县级市, 旗, 自治旗,
林区, 特区): rosters written in the messy styles the loaders accept load into an empty
graph with no row rejected, every place at its official code."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from divisions import DivisionIndex, kind_word
from graph.store import Store
from loaders import load_paths
from tests.loaders import rostergen
from tests.loaders.conftest import by_label, links_from, snapshot


def test_every_kind_is_in_the_table() -> None:
    assert {
        kind: len(counties) > 0 for kind, counties in rostergen.pool().items()
    } == dict.fromkeys(rostergen.KINDS, True)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(rostergen.KINDS),
    with_units=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
async def test_any_county_loads_with_nothing_rejected(
    store: Store, tmp_path: Path, kind: str, with_units: bool, seed: int
) -> None:
    await store.wipe()
    await store.migrate()
    rnd = random.Random(seed)
    scene = rostergen.scenario(rnd, kind, with_units)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    paths = []
    for roster in scene.rosters:
        name, data = roster.write()
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    report = await load_paths(store, paths, county=scene.county_option)
    assert [(e.file, e.row, e.column, e.value, e.reason) for e in report.errors] == []
    graph = await snapshot(store)

    county = scene.places[0].county
    assert graph["nodes"][county]["kindWord"] == kind_word(scene.places[0].county_name)
    demands = {d["title"]: d for d in by_label(graph, "Demand").values()}
    assert {title: d["communityId"] for title, d in demands.items()} == scene.demands
    for title, community in scene.demands.items():
        assert links_from(graph, demands[title]["id"], "FOR") == {community: {}}
    units = {u["name"]: u for u in by_label(graph, "Unit").values()}
    assert set(units) == set(scene.units)
    for name, (liaisons, typed, known) in scene.units.items():
        unit = units[name]
        assert unit["countyId"] == county
        assert set(links_from(graph, unit["id"], "LIAISES_WITH")) == liaisons
        assert unit.get("kindGiven") == (None if known else typed)
    resources = {r["name"]: r for r in by_label(graph, "Resource").values()}
    assert {name: set(r["scopeIds"]) for name, r in resources.items()} == scene.resources
    for name, codes in scene.resources.items():
        assert set(links_from(graph, resources[name]["id"], "AVAILABLE_IN")) == codes
    official = DivisionIndex.default()
    for code in {*scene.demands.values(), *(c for u in scene.units.values() for c in u[0])}:
        division = official.by_code(code)
        assert division is not None
        assert graph["nodes"][code]["name"] == division.short_name
