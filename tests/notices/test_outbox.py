"""The outbox: notices numbered in order, written alone or inside an atomic unit."""

from __future__ import annotations

import asyncio

from graph.store import Store
from notices.model import Notice
from notices.outbox import append_step, last_seq, read_after
from tests.notices.places import COUNTY_A, UNIT_A1, UNIT_B, notify


async def test_notices_get_the_next_seq_in_order(store: Store) -> None:
    assert await last_seq(store) == 0
    ids = [await notify(store, UNIT_A1, n) for n in range(3)]
    assert await last_seq(store) == 3
    found = await read_after(store, 0, 10)
    assert [n.id for n in found] == ids
    assert [n.seq for n in found] == [1, 2, 3]
    first = found[0]
    assert (first.kind, first.unit_id, first.county, first.demand_id) == (
        "DISPATCHED", UNIT_A1, COUNTY_A, "dem_a1_0",
    )  # fmt: skip
    assert first.payload == {"n": 0, "title": "需求 0"}
    assert [n.seq for n in await read_after(store, 1, 1)] == [2]
    assert await read_after(store, 3, 10) == []


async def test_concurrent_appends_take_distinct_seqs(store: Store) -> None:
    await asyncio.gather(*(notify(store, UNIT_B, n) for n in range(20)))
    found = await read_after(store, 0, 100)
    assert sorted(n.seq for n in found) == list(range(1, 21))


async def test_append_is_a_step_of_an_atomic_unit(store: Store) -> None:
    """Two notices folded into one unit: both or neither, numbered in step order."""
    steps = [
        append_step("CHASED", at=5, demand_id="dem_x", unit_id=UNIT_A1, county=COUNTY_A),
        append_step("WHISTLED", at=5, demand_id="dem_x", county=COUNTY_A, payload={"level": 1}),
    ]
    results = await store.run_atomic(steps)
    assert [rows[0]["seq"] for rows in results] == [1, 2]
    found = await read_after(store, 0, 10)
    assert [(n.kind, n.unit_id) for n in found] == [("CHASED", UNIT_A1), ("WHISTLED", None)]
    assert isinstance(found[1], Notice) and found[1].payload == {"level": 1}
