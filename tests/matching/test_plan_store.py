"""allocationPlan and accepting it, over a real embedded FalkorDB."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from domain.errors import InvalidInput, NotFound
from graph import writes
from graph.queries import nodes
from graph.store import Store
from matching.models import AcceptItem, PlanOptions, UnmetReason
from resolvers import matching as resolver
from tests.matching.conftest import Seeds


async def _resource(store: Store, rid: str) -> dict[str, object]:
    [row] = await store.run(nodes.GET["Resource"], ids=[rid])
    return row["node"]


async def test_a_county_plan_serves_the_seeds_cases_within_capacity(
    store: Store, seeds: Seeds
) -> None:
    plan = await resolver.allocation_plan(store, seeds.city.county)
    chosen = {item.demandId: item.unitId for item in plan.items}
    assert chosen[seeds.demands["gas"]] == seeds.units["gas"]
    assert chosen[seeds.demands["parking"]] == seeds.units["housing"]
    assert chosen[seeds.demands["lunch"]] == seeds.units["education"]
    assert chosen[seeds.demands["rain"]] == seeds.units["urban"]
    for item in plan.items:
        assert sum(r.contribution for r in item.candidate.reasons) == item.candidate.score
    assert plan.stats.assigned == 4 and plan.unmet == []


async def test_a_street_plan_only_sees_its_own_demands(store: Store, seeds: Seeds) -> None:
    street = seeds.city.street_of("百花亭社区")
    plan = await resolver.allocation_plan(store, street, PlanOptions(urgentOnly=True))
    assert [i.demandId for i in plan.items] == [seeds.demands["rain"]]
    with pytest.raises(InvalidInput):
        await resolver.allocation_plan(store, "unit_xyz")
    with pytest.raises(NotFound):
        await resolver.allocation_plan(store, "510522009000")


async def test_scarce_capacity_goes_to_the_better_claims(store: Store, seeds: Seeds) -> None:
    city = seeds.city
    extra = [
        await city.demand(
            "百花亭社区", f"江南{n}号院停车难", "TRAFFIC", "老旧小区没有停车位，车辆乱停"
        )
        for n in range(3)
    ]
    plan = await resolver.allocation_plan(store, city.county, PlanOptions(minScore=0.8))
    parking = seeds.resources["parking"]  # capacity 2, four parking demands
    given = [i.demandId for i in plan.items if i.resourceId == parking]
    assert len(given) == 2
    unmet = {u.demandId: u for u in plan.unmet}
    left_out = [d for d in extra if d not in given and d in unmet]
    assert left_out and all(unmet[d].reason is UnmetReason.OUTCOMPETED for d in left_out)
    assert all(
        set(unmet[d].takenBy) <= set(given) | {i.demandId for i in plan.items} for d in left_out
    )


async def test_accepting_a_plan_creates_projects_and_takes_capacity(
    store: Store, seeds: Seeds
) -> None:
    plan = await resolver.allocation_plan(store, seeds.city.county)
    result = await resolver.accept_plan(store, plan.items)
    assert len(result.accepted) == len(plan.items) and result.rejected == []
    gas = next(a for a in result.accepted if a.demandId == seeds.demands["gas"])
    [row] = await store.run(nodes.GET["Project"], ids=[gas.projectId])
    assert row["node"]["status"] == "DISPATCHED"
    assert (await _resource(store, gas.resourceId))["allocated"] == 1
    [demand] = await store.run(nodes.GET["Demand"], ids=[gas.demandId])
    assert demand["node"]["status"] == "MATCHED"
    # accepting again changes nothing
    again = await resolver.accept_plan(store, plan.items[:1])
    assert again.accepted == [] and again.rejected[0].code == "CONFLICT"
    # the next plan has nothing left to do
    assert (await resolver.allocation_plan(store, seeds.city.county)).items == []


async def test_concurrent_acceptances_never_exceed_capacity(store: Store, seeds: Seeds) -> None:
    city = seeds.city
    demands = [await city.demand("百花亭社区", f"{n}栋停车难", "TRAFFIC") for n in range(5)]
    parking = seeds.resources["parking"]  # capacity 2
    results = await asyncio.gather(
        *(
            resolver.accept_plan(store, [AcceptItem(demandId=d, resourceId=parking)])
            for d in demands
        )
    )
    accepted = [a for r in results for a in r.accepted]
    codes = Counter(x.code for r in results for x in r.rejected)
    assert len(accepted) == 2 and codes == {"CAPACITY_EXCEEDED": 3}
    assert (await _resource(store, parking))["allocated"] == 2


async def test_an_item_outside_the_resource_scope_is_refused(store: Store, seeds: Seeds) -> None:
    # the drains serve 符阳街道; the gas demand is in 临港街道
    result = await resolver.accept_plan(
        store,
        [
            AcceptItem(demandId=seeds.demands["gas"], resourceId=seeds.resources["drains"]),
            AcceptItem(demandId="dem_missing", resourceId=seeds.resources["drains"]),
            AcceptItem(
                demandId=seeds.demands["gas"], resourceId=seeds.resources["gas_pipe"], quantity=9
            ),
        ],
    )
    assert [r.code for r in result.rejected] == ["INVALID_INPUT", "NOT_FOUND", "CAPACITY_EXCEEDED"]
    await writes.upsert(store, "Resource", [(seeds.resources["gas_pipe"], {"status": "WITHDRAWN"})])
    result = await resolver.accept_plan(
        store, [AcceptItem(demandId=seeds.demands["gas"], resourceId=seeds.resources["gas_pipe"])]
    )
    assert result.rejected[0].code == "CONFLICT" and "撤回" in result.rejected[0].message
    assert (await _resource(store, seeds.resources["drains"]))["allocated"] == 0


async def test_prepare_embeds_each_text_once(store: Store, seeds: Seeds) -> None:
    await resolver.prepare(store, seeds.city.county)
    assert await resolver.prepare(store, seeds.city.county) == 0
