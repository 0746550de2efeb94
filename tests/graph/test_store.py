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
