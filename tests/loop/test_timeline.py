"""Every timeline starts with 点单 (REPORT): the demand's own entry, at the time it was
reported, for a demand reported over GraphQL and for one loaded from a roster."""

from __future__ import annotations

from typing import Any

from tests.loop import documents as doc
from tests.loop.conftest import Clock, World
from tests.loop.test_workflow import ok

REPORT = """
mutation($input: ReportDemandInput!) { reportDemand(input: $input) {
  __typename ... on Demand { id createdAt } ... on Error { code message } } }
"""


def kinds(data: dict[str, Any]) -> list[str]:
    return [e["kind"] for e in data["demand"]["timeline"]]


async def test_a_reported_demand_starts_with_its_report(world: World, clock: Clock) -> None:
    admin = world.token("COMMUNITY_ADMIN")
    reported = await world.call(
        REPORT,
        admin,
        input={"community": world.home.code, "title": "楼道灯坏了", "urgency": "URGENT"},
    )
    demand = reported["reportDemand"]
    assert demand["__typename"] == "Demand", demand
    at = clock.now()
    data = await world.call(doc.DEMAND, admin, id=demand["id"])
    (entry,) = data["demand"]["timeline"]
    assert entry["kind"] == "REPORT" and entry["actorScope"] == world.home.code
    assert entry["at"] == demand["createdAt"]
    # dispatched at the same instant: 点单 still comes first
    county, operator = world.token("COUNTY_ADMIN"), world.token("UNIT_OPERATOR", world.home.unit)
    ok(await world.call(doc.DISPATCH, county, demandId=demand["id"], unitId=world.home.unit),
       "dispatchDemand", "DISPATCHED")  # fmt: skip
    clock.advance(1)
    ok(await world.call(doc.ACCEPT, operator, demandId=demand["id"]), "acceptDemand", "ACCEPTED")
    data = await world.call(doc.DEMAND, admin, id=demand["id"])
    assert kinds(data) == ["REPORT", "DISPATCH", "ACCEPT"]
    assert clock.now() > at


async def test_a_roster_demand_starts_with_its_report(world: World) -> None:
    admin = world.token("COUNTY_ADMIN")
    data = await world.call(doc.DEMAND, admin, id=world.home.demand)
    assert kinds(data) == ["REPORT"]
    assert data["demand"]["timeline"][0]["actorRole"] is None
