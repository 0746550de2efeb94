"""The figures of the hand-made fixture (tests/rates/fixture.py), computed by hand."""

from __future__ import annotations

from domain.rates import month_period
from graph.rates import Assessment, FigureValue, Scope, assess, overdue
from graph.store import Store
from tests.rates import fixture as fx


def by_key(found: Assessment) -> dict[str, FigureValue]:
    return {f.figure.key: f for f in found.figures}


def plain(f: FigureValue) -> tuple[int, int | None, float | None]:
    return f.numerator, f.denominator, f.value


async def test_the_county_in_november(store: Store) -> None:
    fix = await fx.build(store)
    d, u = fix.demands, fix.units
    found = await assess(store, Scope(prefix="510522"), month_period("2026-11"), fx.NOW)
    f = by_key(found)
    # six dispatches in November: a1 a2 a3 (重办 of d2) a4 → A, a5 a6 → B; a7 is October's
    assert sorted(f["response"].base_ids) == sorted(
        [d["d1"], d["d2"], d["d2"], d["d3"], d["d4"], d["d5"]]
    )
    # accepted in time: a1, a3, a5, a6 (a2 late, a4 never)
    assert plain(f["response"]) == (4, 6, 4 / 6)
    assert f["response"].ids == tuple(sorted([d["d1"], d["d2"], d["d4"], d["d5"]]))
    # done in time: a1, a5, a6 (a2 late, a3 a4 open)
    assert plain(f["onTime"]) == (3, 6, 0.5)
    assert f["onTime"].ids == tuple(sorted([d["d1"], d["d4"], d["d5"]]))
    # done: a1 a2 a5 a6
    assert plain(f["resolved"]) == (4, 6, 4 / 6)
    # rated: a1 满意, a2 不满意 (before its 重办), a5 基本满意; a6 never called back
    assert plain(f["satisfied"]) == (2, 3, 2 / 3)
    assert f["satisfied"].ids == tuple(sorted([d["d1"], d["d4"]]))
    assert f["satisfied"].base_ids == tuple(sorted([d["d1"], d["d2"], d["d4"]]))
    assert plain(f["callback"]) == (3, 4, 0.75)
    # overdue at day 20: a3 (finish due day 18) and a4 (accept due day 6)
    assert plain(f["overdue"]) == (2, None, None)
    assert f["overdue"].ids == tuple(sorted([d["d2"], d["d3"]]))
    # the whistle on d3 summoned A (reported in time) and C (never)
    assert plain(f["whistleResponse"]) == (1, 2, 0.5)
    assert f["whistleResponse"].ids == (d["d3"],)
    # C liaises with 兴隆社区 and accepted nothing; A and B accepted in November
    assert plain(f["absent"]) == (1, None, None) and f["absent"].ids == (u["C"],)
    # A accepted a3 and has not done it
    assert f["idle"].ids == (u["A"],)
    # ranking: B 100 × (0.2·1 + 0.4·1 + 0.4·1) = 100; A 100 × (0.2·½ + 0.4·¼ + 0.4·½) = 40
    ranks = [(r.unit_id, r.rank, r.score) for r in found.ranking]
    assert ranks == [(u["B"], 1, 100.0), (u["A"], 2, 40.0), (u["C"], None, None)]


async def test_a_street_a_community_a_unit(store: Store) -> None:
    fix = await fx.build(store)
    d, u = fix.demands, fix.units
    nov = month_period("2026-11")
    street = by_key(await assess(store, Scope(prefix="510522001"), nov, fx.NOW))
    assert plain(street["response"]) == (4, 6, 4 / 6)
    assert street["absent"].ids == ()  # C liaises outside 符阳街道
    community = by_key(await assess(store, Scope(prefix=fx.GUIYUANLIN), nov, fx.NOW))
    assert plain(community["response"]) == (2, 4, 0.5)
    assert plain(community["onTime"]) == (1, 4, 0.25)
    unit = by_key(await assess(store, Scope(unit=u["B"]), nov, fx.NOW))
    assert plain(unit["onTime"]) == (2, 2, 1.0)
    assert plain(unit["whistleResponse"]) == (0, 0, None)
    items = await overdue(store, Scope(prefix="510522"), nov, fx.NOW)
    assert [(i.demand_id, i.missed, i.days_late) for i in items] == [
        (d["d3"], "ACCEPT", 14),  # accept due day 6, now day 20
        (d["d2"], "FINISH", 1),  # finish due day 18 + 1 h
    ]
    assert items[0].title == "围墙倒塌" and items[0].community == "桂圆林社区"


async def test_an_empty_month_has_null_values(store: Store) -> None:
    await fx.build(store)
    found = await assess(store, Scope(prefix="510522"), month_period("2026-09"), fx.NOW)
    for f in found.figures:
        if f.figure.ratio:
            assert plain(f) == (0, 0, None), f.figure.key
    assert found.ranking == ()


async def test_the_read_scope_limits_the_figures(store: Store) -> None:
    await fx.build(store)
    other = Scope(prefix="510522", roots=["220821"])
    found = by_key(await assess(store, other, month_period("2026-11"), fx.NOW))
    assert plain(found["response"]) == (0, 0, None) and found["absent"].ids == ()
