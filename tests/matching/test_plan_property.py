"""Over random graphs in the real database: a plan never exceeds capacity nor scope,
and the database accepts every item of it."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.queries import nodes
from graph.store import Store
from resolvers import matching as resolver
from tests.matching.builder import City

COMMUNITIES = ["百花亭社区", "桂圆林社区", "桥凼社区"]
SCOPES = [None, "符阳街道", "临港街道", *COMMUNITIES]
TITLES = [
    ("小区停车难", "TRAFFIC"),
    ("168户未通天然气", "INFRASTRUCTURE"),
    ("老人吃饭难", "ELDERLY_CHILDCARE"),
]
OFFERS = [
    ("停车位规划增设", "TRAFFIC"),
    ("天然气开户通气", "INFRASTRUCTURE"),
    ("老年食堂运营补贴", "ELDERLY_CHILDCARE"),
]

graphs = st.tuples(
    st.lists(
        st.tuples(
            st.integers(0, 2),
            st.sampled_from(OFFERS),
            st.sampled_from(SCOPES),
            st.integers(1, 3),
            st.integers(0, 2),
        ),
        max_size=6,
    ),
    st.lists(
        st.tuples(st.sampled_from(COMMUNITIES), st.sampled_from(TITLES), st.booleans()), max_size=6
    ),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(graphs)
async def test_random_graphs_get_plans_the_database_accepts(
    store: Store, graph: tuple[list, list]
) -> None:
    offers, needs = graph
    await store.wipe()
    await store.migrate()
    resolver.forget(store)
    city = City(store)
    await city.places({"符阳街道": COMMUNITIES[:2], "临港街道": COMMUNITIES[2:]})
    units = [await city.unit(f"单位{k}") for k in range(3)]
    resources = {}
    for n, (unit, (name, category), scope, capacity, allocated) in enumerate(offers):
        rid = await city.resource(
            units[unit],
            f"{name}{n}",
            category,
            name,
            capacity=capacity,
            allocated=min(allocated, capacity),
            scope=scope,
        )
        resources[rid] = (scope, capacity, min(allocated, capacity))
    demands = {}
    for n, (community, (title, category), urgent) in enumerate(needs):
        did = await city.demand(
            community, f"{title}{n}", category, title, urgency="URGENT" if urgent else "NORMAL"
        )
        demands[did] = community

    plan = await resolver.allocation_plan(store, city.county)
    taken = Counter(item.resourceId for item in plan.items)
    for item in plan.items:
        scope, capacity, allocated = resources[item.resourceId]
        community = demands[item.demandId]
        street = "符阳街道" if community in COMMUNITIES[:2] else "临港街道"
        assert scope in (None, street, community), "outside the resource's scope"
        assert allocated + taken[item.resourceId] <= capacity, "beyond capacity"
    assert {i.demandId for i in plan.items} | {u.demandId for u in plan.unmet} == set(demands)

    result = await resolver.accept_plan(store, plan.items)
    assert result.rejected == [] and len(result.accepted) == len(plan.items)
    for row in await store.run(nodes.GET["Resource"], ids=list(resources)):
        assert row["node"]["allocated"] <= row["node"]["capacity"]
