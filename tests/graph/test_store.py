"""The store on the real embedded FalkorDB."""

from __future__ import annotations

from graph import writes
from graph.queries import nodes, places
from graph.store import Store, count_round_trips


async def test_upsert_reports_created_updated_unchanged(store: Store) -> None:
    rows = [("510522000000", {"name": "合江县", "code": "510522000000"})]
    first = await writes.upsert(store, "County", rows)
    again = await writes.upsert(store, "County", rows)
    changed = await writes.upsert(
        store,
        "County",
        [("510522000000", {"name": "合江县", "code": "510522000000", "city": "泸州市"})],
    )
    assert (first.created, again.unchanged, changed.updated) == (
        ["510522000000"],
        ["510522000000"],
        ["510522000000"],
    )
    [row] = await store.run(nodes.GET["County"], ids=["510522000000"])
    assert row["node"]["city"] == "泸州市"
    assert row["node"]["createdAt"] <= row["node"]["updatedAt"]
    assert (await store.run(nodes.COUNT["County"]))[0]["count"] == 1


async def test_children_in_one_round_trip(store: Store) -> None:
    await writes.upsert(
        store, "County", [("510522000000", {"name": "合江县", "code": "510522000000"})]
    )
    await writes.upsert(
        store,
        "Street",
        [
            ("510522001000", {"name": "符阳街道", "code": "510522001000"}),
            ("510522002000", {"name": "临港街道", "code": "510522002000"}),
        ],
    )
    link = places.LINK_PARENT[("Street", "County")]
    await store.run(
        link,
        rows=[{"child": s, "parent": "510522000000"} for s in ("510522001000", "510522002000")],
    )
    await store.run(link, rows=[{"child": "510522001000", "parent": "510522000000"}])
    trips = count_round_trips()
    rows = await store.run(places.CHILDREN[("County", "Street")], ids=["510522000000"])
    assert [r["node"]["name"] for r in rows] == ["符阳街道", "临港街道"]
    assert trips[0] == 1


async def test_chinese_fulltext(store: Store) -> None:
    await writes.upsert(
        store,
        "Demand",
        [
            ("dem_1", {"title": "桂圆林社区老年食堂", "description": "老人吃饭难"}),
            ("dem_2", {"title": "停车位不足", "description": ""}),
        ],
    )
    hits = await store.search("Demand", "食堂")
    assert [h["id"] for h in hits] == ["dem_1"]
    assert await store.search("Demand", "@@ -- ||") == []


async def test_every_label_round_trips_through_the_generic_statements(store: Store) -> None:
    from graph.model import LABELS

    for label in [label for label in LABELS if label not in nodes.APPEND_ONLY]:
        node_id = f"x_{label.lower()}"
        report = await writes.upsert(store, label, [(node_id, {"name": label, "n": 1})])
        assert report.created == [node_id]
        stored = await writes.fetch(store, label, [node_id])
        assert stored[node_id]["name"] == label
        assert (await store.run(nodes.COUNT[label]))[0]["count"] == 1
    assert (await store.run(nodes.COUNT_ALL))[0]["nodes"] == len(LABELS) - len(nodes.APPEND_ONLY)
    assert (await store.run(nodes.COUNT_RELATIONSHIPS))[0]["relationships"] == 0


async def test_a_property_set_to_none_is_removed(store: Store) -> None:
    await writes.upsert(store, "Unit", [("unit_a", {"name": "甲", "phone": "0830-5212345"})])
    report = await writes.upsert(store, "Unit", [("unit_a", {"name": "甲", "phone": None})])
    assert report.updated == ["unit_a"]
    assert "phone" not in (await writes.fetch(store, "Unit", ["unit_a"]))["unit_a"]


async def test_text_the_database_cannot_hold_is_refused_clearly(store: Store) -> None:
    from domain.errors import InvalidInput

    for bad in ("a\x00b", "a\ud800b"):
        try:
            await writes.upsert(store, "Unit", [("unit_x", {"name": bad})])
        except InvalidInput as e:
            assert "NUL" in e.message or "Unicode" in e.message
        else:
            raise AssertionError(f"{bad!r} was accepted")
    assert (await store.run(nodes.COUNT["Unit"]))[0]["count"] == 0
