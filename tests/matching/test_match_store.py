"""matchResources / matchDemands over a real embedded FalkorDB."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput, NotFound
from domain.vocab import ServiceScope
from graph import writes
from graph.store import Store, count_round_trips
from matching.models import ReasonKind
from resolvers import matching as resolver
from tests.matching.conftest import Seeds


@pytest.mark.parametrize(
    ("case", "unit"),
    [("gas", "gas"), ("parking", "housing"), ("lunch", "education"), ("rain", "urban")],
)
async def test_the_seeds_cases_rank_the_right_unit_first(
    store: Store, seeds: Seeds, case: str, unit: str
) -> None:
    ranked = await resolver.match_resources(store, seeds.demands[case], first=5)
    assert ranked[0].unitId == seeds.units[unit], [(c.unitName, c.resourceName) for c in ranked]


async def test_every_candidate_explains_its_score(store: Store, seeds: Seeds) -> None:
    for demand in seeds.demands.values():
        for candidate in await resolver.match_resources(store, demand, first=20):
            assert sum(r.contribution for r in candidate.reasons) == candidate.score
            for reason in candidate.reasons:
                assert reason.contribution == reason.weight * reason.value
                assert reason.sentence and reason.label == reason.kind.label
            assert [c.kind for c in candidate.reasons].count(ReasonKind.CATEGORY) == 1


async def test_ranks_are_ordered_and_first_is_respected(store: Store, seeds: Seeds) -> None:
    ranked = await resolver.match_resources(store, seeds.demands["gas"], first=3)
    assert [c.rank for c in ranked] == [1, 2, 3]
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)
    with pytest.raises(InvalidInput):
        await resolver.match_resources(store, seeds.demands["gas"], first=0)
    with pytest.raises(NotFound):
        await resolver.match_resources(store, "dem_nope")


async def test_ties_are_explained(store: Store, seeds: Seeds) -> None:
    ranked = await resolver.match_resources(store, seeds.demands["parking"], first=10)
    housing = next(c for c in ranked if c.resourceId == seeds.resources["parking"])
    kinds = {r.kind for r in housing.reasons}
    assert {ReasonKind.LEAD, ReasonKind.LIAISON} <= kinds
    lead = next(r for r in housing.reasons if r.kind is ReasonKind.LEAD)
    assert "百花亭社区的牵头单位" in lead.sentence
    urban = next(c for c in ranked if c.unitId == seeds.units["urban"])
    assert ReasonKind.PROXIMITY in {r.kind for r in urban.reasons}
    assert urban.scope is ServiceScope.STREET


async def test_scope_and_capacity_decide_who_is_a_candidate(store: Store, seeds: Seeds) -> None:
    # the drains serve 符阳街道 only: not a candidate in 桥凼社区 (临港街道)
    gas = await resolver.match_resources(store, seeds.demands["gas"], first=50)
    assert seeds.resources["drains"] not in {c.resourceId for c in gas}
    # a resource with nothing left is not a candidate; a withdrawn one neither
    await writes.upsert(store, "Resource", [(seeds.resources["gas_pipe"], {"allocated": 4})])
    await writes.upsert(store, "Resource", [(seeds.resources["renewal"], {"status": "WITHDRAWN"})])
    gas = await resolver.match_resources(store, seeds.demands["gas"], first=50)
    ids = {c.resourceId for c in gas}
    assert seeds.resources["gas_pipe"] not in ids and seeds.resources["renewal"] not in ids
    await writes.upsert(store, "Resource", [(seeds.resources["gas_pipe"], {"allocated": 1})])
    gas = await resolver.match_resources(store, seeds.demands["gas"], first=1)
    assert gas[0].resourceId == seeds.resources["gas_pipe"] and gas[0].capacityLeft == 3


async def test_match_demands_finds_the_open_demand_a_resource_serves(
    store: Store, seeds: Seeds
) -> None:
    ranked = await resolver.match_demands(store, seeds.resources["gas_pipe"], first=5)
    assert ranked[0].demandId == seeds.demands["gas"]
    assert all(sum(r.contribution for r in c.reasons) == c.score for c in ranked)
    # scope: the drains (符阳街道) never see 桥凼社区's demand
    drains = await resolver.match_demands(store, seeds.resources["drains"], first=10)
    assert drains[0].demandId == seeds.demands["rain"]
    assert seeds.demands["gas"] not in {c.demandId for c in drains}
    # a matched demand is no longer offered
    await writes.upsert(store, "Demand", [(seeds.demands["gas"], {"status": "MATCHED"})])
    ranked = await resolver.match_demands(store, seeds.resources["gas_pipe"], first=5)
    assert seeds.demands["gas"] not in {c.demandId for c in ranked}


async def test_a_community_resource_serves_only_its_community(store: Store, seeds: Seeds) -> None:
    city = seeds.city
    room = await city.resource(
        seeds.units["urban"],
        "社区停车引导员",
        "TRAFFIC",
        "为小区停车难提供引导和错时停车协调",
        scope="百花亭社区",
    )
    ranked = await resolver.match_demands(store, room, first=10)
    assert {c.demandId for c in ranked} == {seeds.demands["parking"], seeds.demands["rain"]}
    assert ranked[0].demandId == seeds.demands["parking"]
    assert ranked[0].scope is ServiceScope.COMMUNITY
    # and it is a candidate of that community's demand, said to be local
    parking = await resolver.match_resources(store, seeds.demands["parking"], first=20)
    mine = next(c for c in parking if c.resourceId == room)
    assert any(
        r.kind is ReasonKind.SCOPE and "专门服务百花亭社区" in r.sentence for r in mine.reasons
    )


async def test_a_warm_request_costs_a_handful_of_round_trips(store: Store, seeds: Seeds) -> None:
    await resolver.match_resources(store, seeds.demands["lunch"])
    trips = count_round_trips()
    await resolver.match_resources(store, seeds.demands["lunch"])
    assert trips[0] <= 5
