"""逾期 in the statistics: computed from the one clock (moved here), inside the caller's read
scope, split by the limit missed, and drilled down to the demands behind the count."""

from __future__ import annotations

from typing import Any

from tests.loop import documents as doc
from tests.loop.conftest import Clock, World
from tests.loop.test_workflow import ok

STATS = """
query($scope: String) { statistics(scope: $scope) {
  overdueDemands overdueToAccept overdueToFinish overdueDemandIds } }
"""


async def overdue(world: World, token: str, scope: str | None) -> tuple[int, int, int, list[str]]:
    s: dict[str, Any] = (await world.call(STATS, token, scope=scope))["statistics"]
    assert s["overdueDemands"] == len(s["overdueDemandIds"])
    return s["overdueDemands"], s["overdueToAccept"], s["overdueToFinish"], s["overdueDemandIds"]


async def test_overdue_demands_follow_the_clock_and_the_read_scope(
    world: World, clock: Clock
) -> None:
    home, beside = world.home, world.beside
    county, foreign = world.token("COUNTY_ADMIN"), world.token("COUNTY_ADMIN", world.banner.code)
    operator = world.token("UNIT_OPERATOR", home.unit)
    district = world.district.code
    assert await overdue(world, county, district) == (0, 0, 0, [])
    for p in (home, beside):
        ok(await world.call(doc.DISPATCH, county, demandId=p.demand, unitId=p.unit),
           "dispatchDemand", "DISPATCHED")  # fmt: skip
    ok(await world.call(doc.ACCEPT, operator, demandId=home.demand), "acceptDemand", "ACCEPTED")
    assert await overdue(world, county, district) == (0, 0, 0, [])

    clock.advance(25)  # past 24 h to accept: beside's is not accepted
    assert await overdue(world, county, district) == (1, 1, 0, [beside.demand])
    assert (await overdue(world, county, beside.code))[0] == 1
    assert (await overdue(world, county, home.code))[0] == 0
    # another county's admin reads the district's counts, not its overdue demands
    assert await overdue(world, foreign, district) == (0, 0, 0, [])
    # home's unit reads the demands of home (it liaises with it) and those sent to it only
    assert await overdue(world, operator, district) == (0, 0, 0, [])

    clock.advance(7 * 24)  # past 7 days to finish: home's, accepted, is not done
    assert await overdue(world, county, district) == (
        2, 1, 1, sorted([home.demand, beside.demand])
    )  # fmt: skip
    assert await overdue(world, county, None) == (2, 1, 1, sorted([home.demand, beside.demand]))
    assert await overdue(world, operator, district) == (1, 0, 1, [home.demand])
    ok(await world.call(doc.FINISH, operator, demandId=home.demand), "finishDemand", "DONE")
    assert await overdue(world, county, district) == (1, 1, 0, [beside.demand])
