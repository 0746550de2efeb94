"""A unit's side of the loop: it reads what is dispatched to it (and nothing it is not
sent), returns with a reason, and two dispatches at once make one."""

from __future__ import annotations

import asyncio

from graph.store import Store
from notices.outbox import read_after
from tests.loop import documents as doc
from tests.loop.conftest import World
from tests.loop.test_workflow import ok, refused


async def test_a_unit_reads_what_is_dispatched_to_it_and_returns_it(
    world: World, store: Store
) -> None:
    home, above, beside = world.home, world.above, world.beside
    demand = home.demand
    admin = world.token("COUNTY_ADMIN")
    # the unit of 'above' liaises with 'above' only: home's demand is not its to read
    operator = world.token("UNIT_OPERATOR", above.unit)
    neighbour = world.token("UNIT_OPERATOR", beside.unit)
    assert (await world.call(doc.DEMAND, operator, id=demand))["demand"] is None
    ok(await world.call(doc.DISPATCH, admin, demandId=demand, unitId=above.unit), "dispatchDemand",
       "DISPATCHED")  # fmt: skip
    data = await world.call(doc.DEMAND, operator, id=demand)
    assert data["demand"]["currentAssignment"]["unitId"] == above.unit
    assert [e["kind"] for e in data["demand"]["timeline"]] == ["REPORT", "DISPATCH"]
    listed = await world.call(doc.LIST, operator, filter={"stages": ["DISPATCHED"]})
    assert [n["id"] for n in listed["demands"]["nodes"]] == [demand]
    work = await world.call(doc.UNIT_WORK, operator, id=above.unit)
    open_work = work["unit"]["assignments"]["nodes"]
    assert [(a["demandId"], a["open"]) for a in open_work] == [(demand, True)]
    # another unit of the county neither reads it nor moves it
    assert (await world.call(doc.DEMAND, neighbour, id=demand))["demand"] is None
    refused(await world.call(doc.ACCEPT, neighbour, demandId=demand), "acceptDemand")
    refused(await world.call(doc.RETURN, neighbour, demandId=demand, reason="不归我们"),
            "returnDemand")  # fmt: skip

    # 退回 needs a reason
    refused(await world.call(doc.RETURN, operator, demandId=demand, reason="  "), "returnDemand",
            "INVALID_INPUT")  # fmt: skip
    ok(await world.call(doc.RETURN, operator, demandId=demand, reason="不属于本单位职责"),
       "returnDemand", "RETURNED")  # fmt: skip
    data = await world.call(doc.DEMAND, admin, id=demand)
    returned = data["demand"]["currentAssignment"]
    assert (returned["returnReason"], returned["open"]) == ("不属于本单位职责", False)
    assert data["demand"]["timeline"][-1]["kind"] == "RETURN"
    work = await world.call(doc.UNIT_WORK, operator, id=above.unit)
    assert work["unit"]["assignments"]["nodes"] == []
    # a returned demand is dispatched again (to another unit); accepting is wrong now
    refused(await world.call(doc.ACCEPT, operator, demandId=demand), "acceptDemand")
    ok(await world.call(doc.DISPATCH, admin, demandId=demand, unitId=home.unit),
       "dispatchDemand", "DISPATCHED")  # fmt: skip
    data = await world.call(doc.DEMAND, admin, id=demand)
    assert [a["unitId"] for a in data["demand"]["assignments"]] == [above.unit, home.unit]


async def test_two_dispatches_at_once_make_one_and_one_notice(world: World, store: Store) -> None:
    admin = world.token("COMMUNITY_ADMIN")
    demand = world.home.demand
    results = await asyncio.gather(*(
        world.call(doc.DISPATCH, admin, demandId=demand, unitId=world.home.unit)
        for _ in range(4)
    ))  # fmt: skip
    kinds = sorted(r["dispatchDemand"]["__typename"] for r in results)
    assert kinds.count("Demand") == 1, kinds
    data = await world.call(doc.DEMAND, admin, id=demand)
    assert len(data["demand"]["assignments"]) == 1
    assert [n.kind for n in await read_after(store, 0, 100)] == ["DISPATCHED"]
