"""Allocation plans: never beyond capacity, never outside scope, optimal, explained."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.vocab import Category, Urgency
from matching.allocate import allocate
from matching.facts import DemandFacts, ResourceFacts, UnitFacts
from matching.models import Plan, PlanOptions, UnmetReason
from matching.score import Scorer

COUNTY, OTHER_COUNTY = "k1", "k2"
STREET_OF = {"c1": "s1", "c2": "s1", "c3": "s2", "c4": "s2"}
PLACES = [*STREET_OF, "s1", "s2", COUNTY, OTHER_COUNTY, "c9"]
DEMAND_TEXTS = ["小区停车难", "168户未通天然气", "学生中午没地方吃饭", "雨水倒灌进屋", "老人吃饭难"]
RESOURCE_TEXTS = [
    "停车位规划增设",
    "天然气开户通气",
    "学生食堂午餐",
    "排水管网疏通",
    "老年食堂补贴",
]
CATEGORIES = [
    Category.TRAFFIC,
    Category.INFRASTRUCTURE,
    Category.EDUCATION,
    Category.ELDERLY_CHILDCARE,
]

demands_st = st.lists(
    st.builds(
        lambda title, category, community, urgent: DemandFacts(
            id="", title=title, category=category, community_id=community,
            urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
            street_id=STREET_OF[community], county_id=COUNTY,
        ),
        st.sampled_from(DEMAND_TEXTS), st.sampled_from(CATEGORIES),
        st.sampled_from(list(STREET_OF)), st.booleans(),
    ),
    max_size=7,
)  # fmt: skip
resources_st = st.lists(
    st.builds(
        lambda name, category, unit, places, capacity, used: ResourceFacts(
            id="", name=name, category=category, unit_id=unit, places=tuple(sorted(places)),
            capacity=capacity, used=min(used, capacity),
        ),
        st.sampled_from(RESOURCE_TEXTS), st.sampled_from(CATEGORIES),
        st.sampled_from(["u1", "u2", "u3"]), st.sets(st.sampled_from(PLACES), max_size=2),
        st.integers(0, 3), st.integers(0, 2),
    ),
    max_size=6,
)  # fmt: skip
options_st = st.builds(
    PlanOptions,
    spread=st.sampled_from([0.0, 0.05, 0.5]),
    maxPerUnit=st.sampled_from([None, 1, 2]),
    minScore=st.sampled_from([0.0, 0.35, 0.8]),
)
UNITS = {
    "u1": UnitFacts("u1", "单位一", COUNTY, liaises=frozenset({"c1"}), leads=frozenset({"c1"})),
    "u2": UnitFacts("u2", "单位二", COUNTY, delivered=3, evaluations=(90.0,)),
    "u3": UnitFacts("u3", "单位三", OTHER_COUNTY),
}


def numbered(
    demands: list[DemandFacts], resources: list[ResourceFacts]
) -> tuple[list[DemandFacts], list[ResourceFacts]]:
    ds = [replace(d, id=f"d{i}") for i, d in enumerate(demands)]
    rs = [replace(r, id=f"r{j}") for j, r in enumerate(resources)]
    return ds, rs


def in_scope(d: DemandFacts, r: ResourceFacts) -> bool:
    return bool({d.community_id, d.street_id, d.county_id} & set(r.places))


def check_plan(
    plan: Plan,
    ds: list[DemandFacts],
    rs: list[ResourceFacts],
    options: PlanOptions,
    min_score: float,
) -> None:
    by_id = {r.id: r for r in rs}
    demand = {d.id: d for d in ds}
    taken = Counter(item.resourceId for item in plan.items)
    for rid, count in taken.items():
        assert count <= by_id[rid].left, "beyond capacity"
    assert len({i.demandId for i in plan.items}) == len(plan.items), "a demand served twice"
    for item in plan.items:
        assert in_scope(demand[item.demandId], by_id[item.resourceId]), "outside scope"
        assert item.unitId == by_id[item.resourceId].unit_id
        c = item.candidate
        assert sum(r.contribution for r in c.reasons) == c.score
        assert c.score >= min_score - 1e-9
    if options.maxPerUnit is not None:
        assert max(Counter(i.unitId for i in plan.items).values(), default=0) <= options.maxPerUnit
    served = {i.demandId for i in plan.items}
    unmet = {u.demandId for u in plan.unmet}
    assert served.isdisjoint(unmet) and served | unmet == set(demand)
    for u in plan.unmet:
        reachable = [r for r in rs if in_scope(demand[u.demandId], r)]
        assert (u.reason is UnmetReason.NO_RESOURCE_IN_SCOPE) == (not reachable)
        if u.reason is UnmetReason.CAPACITY_EXHAUSTED:
            assert all(r.left == 0 for r in reachable)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(demands_st, resources_st, options_st)
def test_plans_respect_capacity_scope_and_unit_limits(
    scorer: Scorer, demands: list[DemandFacts], resources: list[ResourceFacts], options: PlanOptions
) -> None:
    ds, rs = numbered(demands, resources)
    plan = allocate("k1", ds, rs, UNITS, options, using=scorer)
    check_plan(plan, ds, rs, options, options.minScore or 0.0)
    assert plan.stats.assigned == len(plan.items)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(demands_st.map(lambda d: d[:5]), resources_st.map(lambda r: r[:3]))
def test_plans_are_optimal(
    scorer: Scorer, demands: list[DemandFacts], resources: list[ResourceFacts]
) -> None:
    """Without spreading, the plan's total equals the best of every feasible assignment."""
    ds, rs = numbered(demands, resources)
    options = PlanOptions(minScore=0.0)
    plan = allocate("k1", ds, rs, UNITS, options, using=scorer)
    total = scorer.total(scorer.pairs(ds, rs, UNITS)) if ds and rs else None
    best = 0.0
    for choice in itertools.product(range(-1, len(rs)), repeat=len(ds)):
        used = Counter(j for j in choice if j >= 0)
        if any(used[j] > rs[j].left for j in used):
            continue
        assert total is not None or all(j < 0 for j in choice)
        if total is not None and all(
            j < 0 or total[i, j] > float("-inf") for i, j in enumerate(choice)
        ):
            best = max(best, sum(float(total[i, j]) for i, j in enumerate(choice) if j >= 0))
    assert abs(plan.stats.totalScore - best) < 1e-5  # float32 totals, exact explanations


def test_spreading_moves_load_to_other_units(scorer: Scorer) -> None:
    ds = [
        DemandFacts(f"d{i}", "小区停车难", Category.TRAFFIC, "c1", street_id="s1", county_id=COUNTY)
        for i in range(4)
    ]
    rs = [
        ResourceFacts("best", "停车位规划增设", Category.TRAFFIC, "u1", (COUNTY,), capacity=4),
        ResourceFacts(
            "second", "停车位规划增设服务", Category.TRAFFIC, "u2", (COUNTY,), capacity=4
        ),
    ]
    packed = allocate("k1", ds, rs, UNITS, PlanOptions(), using=scorer)
    spread = allocate("k1", ds, rs, UNITS, PlanOptions(spread=0.2), using=scorer)
    assert Counter(i.unitId for i in packed.items) == {"u1": 4}
    assert Counter(i.unitId for i in spread.items) == {"u1": 2, "u2": 2}
    assert spread.stats.spreadPenalty > 0
    limited = allocate("k1", ds, rs, UNITS, PlanOptions(maxPerUnit=1), using=scorer)
    assert len(limited.items) == 2
    assert {u.reason for u in limited.unmet} == {UnmetReason.UNIT_LIMIT}


def test_unmet_demands_say_why(scorer: Scorer) -> None:
    ds = [
        DemandFacts("far", "小区停车难", Category.TRAFFIC, "c3", street_id="s2", county_id=COUNTY),
        DemandFacts(
            "a",
            "小区停车难",
            Category.TRAFFIC,
            "c1",
            street_id="s1",
            county_id=COUNTY,
            urgency=Urgency.URGENT,
        ),
        DemandFacts("b", "小区停车难", Category.TRAFFIC, "c1", street_id="s1", county_id=COUNTY),
        DemandFacts(
            "odd", "学生中午没地方吃饭", Category.EDUCATION, "c2", street_id="s1", county_id=COUNTY
        ),
    ]
    rs = [ResourceFacts("park", "停车位规划增设", Category.TRAFFIC, "u1", ("s1",), capacity=1)]
    plan = allocate("k1", ds, rs, UNITS, PlanOptions(), using=scorer)
    assert [i.demandId for i in plan.items] == ["a"]  # the urgent one gets the one place
    reasons = {u.demandId: u for u in plan.unmet}
    assert reasons["far"].reason is UnmetReason.NO_RESOURCE_IN_SCOPE
    assert reasons["b"].reason is UnmetReason.OUTCOMPETED and reasons["b"].takenBy == ["a"]
    assert reasons["odd"].reason is UnmetReason.BELOW_THRESHOLD
    assert reasons["odd"].best is not None and "低于门槛" in reasons["odd"].sentence
    empty = allocate(
        "k1",
        ds,
        [ResourceFacts("x", "停车", Category.TRAFFIC, "u1", ("s1",), capacity=1, used=1)],
        UNITS,
        PlanOptions(),
        using=scorer,
    )
    assert {u.reason for u in empty.unmet} == {
        UnmetReason.NO_RESOURCE_IN_SCOPE,
        UnmetReason.CAPACITY_EXHAUSTED,
    }
