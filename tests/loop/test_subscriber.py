"""A unit's subscription (graphql-transport-ws) receives a dispatch to that unit within a
second, and nothing of another county (nor of another unit)."""

from __future__ import annotations

import asyncio
import time

from tests.conftest import bearer
from tests.loop import documents as doc
from tests.loop.conftest import World
from tests.loop.test_workflow import ok
from tests.notices.client import subscribe


async def test_a_unit_receives_its_dispatch_within_a_second(world: World) -> None:
    home, beside = world.home, world.beside
    far = world.banner.places["home"]
    token = world.token("UNIT_OPERATOR", home.unit)
    district_admin = world.token("COUNTY_ADMIN")
    banner_admin = bearer("COUNTY_ADMIN", world.banner.code)
    async with subscribe(world.api, token) as sub:
        # another county's dispatch, and another unit's, first: neither reaches it
        ok(await world.call(doc.DISPATCH, banner_admin, demandId=far.demand, unitId=far.unit),
           "dispatchDemand", "DISPATCHED")  # fmt: skip
        ok(await world.call(doc.DISPATCH, district_admin, demandId=beside.demand,
                            unitId=beside.unit), "dispatchDemand", "DISPATCHED")  # fmt: skip
        started = time.monotonic()
        ok(await world.call(doc.DISPATCH, district_admin, demandId=home.demand,
                            unitId=home.unit), "dispatchDemand", "DISPATCHED")  # fmt: skip
        [received] = await sub.wait_for(1, within=5)
        latency = sub.arrived[0] - started
        assert latency < 1.0, latency
        assert (received["kind"], received["unitId"], received["demandId"]) == (
            "DISPATCHED", home.unit, home.demand,
        )  # fmt: skip
        await asyncio.sleep(0.5)
        assert len(sub.received) == 1, sub.received
