"""Matching never fails on an empty side: a county with no resources, a county with no
demands, a resource with no open demand, a scope with nothing at all. Each gives an
empty result and says why; over random small graphs in the real database."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.store import Store
from matching.models import EmptyReason
from resolvers import matching as resolver
from tests.matching.builder import City

#: three kinds of county: a 县, a 旗 and a 区 (the last one never gets anything)
LAYOUTS = {
    "hejiang": ("510522000000", "合江县", {"符阳街道": ["百花亭社区", "桂圆林社区"], "临港街道": ["桥凼社区"]}),
    "dalate": ("150621000000", "达拉特旗", {"工业街道": ["召北社区", "北大社区"]}),
    "luohu": ("440303000000", "罗湖区", {"桂园街道": ["松园社区"]}),
}  # fmt: skip
FILLED = ["hejiang", "dalate"]
OFFERS = [
    ("停车位规划增设", "TRAFFIC"),
    ("天然气开户通气", "INFRASTRUCTURE"),
    ("志愿者上门", "VOLUNTEERING"),
]
NEEDS = [
    ("小区停车难", "TRAFFIC"),
    ("未通天然气", "INFRASTRUCTURE"),
    ("老人吃饭难", "ELDERLY_CHILDCARE"),
]

graphs = st.tuples(
    # resources: county, community index (None: the whole county), offer, capacity, status
    st.lists(st.tuples(st.sampled_from(FILLED), st.one_of(st.none(), st.integers(0, 2)),
                       st.sampled_from(OFFERS), st.integers(1, 3), st.booleans()), max_size=5),
    # demands: county, community index, need, open
    st.lists(st.tuples(st.sampled_from(FILLED), st.integers(0, 2), st.sampled_from(NEEDS),
                       st.booleans()), max_size=5),
)  # fmt: skip


async def _cities(store: Store) -> dict[str, City]:
    cities = {}
    for key, (code, name, layout) in LAYOUTS.items():
        city = City(store, county=code, name=name)
        await city.places(layout)
        cities[key] = city
    return cities


def _community(city: City, index: int) -> str:
    names = list(city.communities)
    return names[index % len(names)]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(graphs)
async def test_random_graphs_with_empty_counties_never_fail(
    store: Store, graph: tuple[list, list]
) -> None:
    offers, needs = graph
    await store.wipe()
    await store.migrate()
    resolver.forget(store)
    cities = await _cities(store)
    unit = {k: await cities[k].unit(f"{LAYOUTS[k][1]}服务单位") for k in FILLED}
    resources: dict[str, tuple[str, str | None, bool]] = {}
    for n, (county, where, (name, category), capacity, available) in enumerate(offers):
        city = cities[county]
        scope = None if where is None else _community(city, where)
        rid = await city.resource(
            unit[county], f"{name}{n}", category, name, capacity=capacity, scope=scope,
            status="AVAILABLE" if available else "WITHDRAWN",
        )  # fmt: skip
        resources[rid] = (county, scope, available)
    demands: dict[str, tuple[str, str, bool]] = {}
    for n, (county, index, (title, category), is_open) in enumerate(needs):
        city = cities[county]
        community = _community(city, index)
        did = await city.demand(
            community, f"{title}{n}", category, title, status="OPEN" if is_open else "RESOLVED"
        )
        demands[did] = (county, community, is_open)

    for did, (county, community, _) in demands.items():
        found = await resolver.resource_matches(store, did)
        reaching = [
            r for r, (c, scope, ok) in resources.items()
            if ok and c == county and scope in (None, community)
        ]  # fmt: skip
        assert {c.resourceId for c in found.candidates} <= set(reaching)
        if not reaching:
            assert found.candidates == []
            assert found.reason is not None and found.reason.code == "NO_RESOURCE_IN_SCOPE"
        if found.candidates:
            assert found.reason is None
        assert await resolver.match_resources(store, did) == found.candidates

    for rid, (county, scope, available) in resources.items():
        found = await resolver.demand_matches(store, rid)
        serves = [
            d for d, (c, community, is_open) in demands.items()
            if is_open and c == county and scope in (None, community)
        ]  # fmt: skip
        assert {c.demandId for c in found.candidates} <= set(serves)
        if not available:
            assert found.candidates == [] and _code(found.reason) == "RESOURCE_NOT_AVAILABLE"
        elif not serves:
            assert found.candidates == [] and _code(found.reason) == "NO_OPEN_DEMAND"

    for key, city in cities.items():
        for scope in (city.county, *city.streets):
            plan = await resolver.allocation_plan(store, scope)
            inside = [
                d for d, (c, community, is_open) in demands.items()
                if is_open and c == key and (scope == city.county or city.street_of(community) == scope)
            ]  # fmt: skip
            assert plan.stats.demands == len(inside)
            assert {i.demandId for i in plan.items} | {u.demandId for u in plan.unmet} == set(
                inside
            )
            if not inside:
                assert plan.items == [] and _code(plan.empty) == "NO_OPEN_DEMAND"
            elif not plan.items:
                assert plan.empty is not None
            report = await resolver.gap_report(store, scope)
            assert sum(g.count for g in report.unmet) == len(inside)
            if key == "luohu":
                assert report.unmet == [] and report.idle == [] and report.absent == []


def _code(reason: EmptyReason | None) -> str | None:
    return reason.code if reason else None


async def test_a_demand_in_a_county_without_resources(store: Store) -> None:
    """The reported failure: matchResources in a county with no resources at all."""
    cities = await _cities(store)
    gas = await cities["hejiang"].unit("合江县天然气有限公司")
    await cities["hejiang"].resource(gas, "天然气开户通气", "INFRASTRUCTURE")
    did = await cities["dalate"].demand("召北社区", "未通天然气", "INFRASTRUCTURE")
    found = await resolver.resource_matches(store, did)
    assert found.candidates == []
    assert found.reason is not None and found.reason.code == "NO_RESOURCE_IN_SCOPE"
    assert "没有可用的资源" in found.reason.sentence
    plan = await resolver.allocation_plan(store, cities["luohu"].county)
    assert (plan.items, plan.unmet, _code(plan.empty)) == ([], [], "NO_OPEN_DEMAND")
    report = await resolver.gap_report(store, cities["luohu"].county)
    assert report.unmet == [] and report.idle == []
