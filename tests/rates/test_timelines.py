"""Generated timelines: deterministic, idempotent, consistent with the demands' status,
and the demo's figures are meaningful."""

from __future__ import annotations

from typing import Any

from domain.rates import Period
from graph import timelines
from graph.queries import loopgen, nodes
from graph.rates import Scope, assess
from graph.store import Store
from tests.rates import fixture as fx

#: the stages a demand of each list status (after its timeline) may reach
STAGES = {
    "OPEN": {"REPORTED", "DISPATCHED", "ACCEPTED", "IN_PROGRESS"},
    "MATCHED": {"REPORTED", "DISPATCHED", "ACCEPTED", "IN_PROGRESS"},
    "RESOLVED": {"DONE", "EVALUATED"},
}


def demands(n: int) -> list[dict[str, Any]]:
    statuses = ["OPEN", "OPEN", "MATCHED", "RESOLVED", "CLOSED"]
    return [
        {"id": f"dem_{i}", "status": statuses[i % 5], "urgency": "URGENT" if i % 3 == 0 else "NORMAL",
         "matterClass": "DIFFICULT" if i % 7 == 0 else "PRACTICAL", "community": fx.GUIYUANLIN,
         "units": ["unit_a", "unit_b"]}
        for i in range(n)
    ]  # fmt: skip


def test_a_plan_is_deterministic_and_consistent() -> None:
    rows = demands(400)
    one = timelines.plan(rows, seed=7, now=fx.NOW)
    assert one == timelines.plan(rows, seed=7, now=fx.NOW)
    assert one != timelines.plan(rows, seed=8, now=fx.NOW)
    status = {r["id"]: r["status"] for r in rows}
    for s in one.stages:
        assert s["stage"] in STAGES[s["status"]], s
        # a roster's RESOLVED demand stays resolved; an open one may be finished
        assert s["status"] == status[s["demandId"]] or s["status"] == "RESOLVED", s
    assert "CLOSED" not in {status[s["demandId"]] for s in one.stages}
    resolved = {s["demandId"] for s in one.stages if s["status"] == "RESOLVED"}
    for a in one.assignments:
        p = a["props"]
        times = [p["dispatchedAt"], p["acceptedAt"], p["doneAt"]]
        present = [t for t in times if t is not None]
        assert present == sorted(present) and max(present) < fx.NOW
    for demand in resolved:  # its last dispatch is done
        last = max((a for a in one.assignments if a["demandId"] == demand),
                   key=lambda a: a["props"]["dispatchedAt"])  # fmt: skip
        assert last["props"]["doneAt"] is not None
    counts = one.counts()
    assert counts["chases"] > 0 and counts["whistles"] > 0 and counts["callbacks"] > 0
    ratings = {c["props"]["rating"] for c in one.callbacks}
    assert ratings == {"SATISFIED", "BASIC", "UNSATISFIED"}
    # 重办 after a 不满意, with the reopen limits
    reopened = [a for a in one.assignments if a["props"]["reopened"]]
    assert reopened and all(
        a["props"]["finishDue"] - a["props"]["dispatchedAt"] == timelines.REOPEN_LIMITS[1]
        for a in reopened
    )
    # 点单 before the demand's first move, and before now
    first: dict[str, int] = {}
    for e in one.events:
        first[e["demandId"]] = min(first.get(e["demandId"], fx.NOW), e["props"]["at"])
    for s in one.stages:
        assert s["reportedAt"] < first.get(s["demandId"], fx.NOW), s


async def test_generate_writes_once(store: Store) -> None:
    await fx.build(store, timelines=False)
    first = await timelines.generate(store, prefix="510522", seed=3, now=fx.NOW)
    assert first["stages"] == 6
    total = (await store.run(nodes.COUNT_ALL))[0]["nodes"]
    again = await timelines.generate(store, prefix="510522", seed=3, now=fx.NOW)
    # the dispatched ones are left alone, the others drawn again the same
    assert (await store.run(nodes.COUNT_ALL))[0]["nodes"] == total
    assert again["assignments"] == 0 and again["stages"] < first["stages"]


async def test_the_demo_has_meaningful_figures(demo_store: Store) -> None:
    from domain.clock import now_ms

    now = now_ms()
    last_60_days = Period(now - 61 * timelines.DAY, now, "60 天")
    found = await assess(demo_store, Scope(prefix="510522"), last_60_days, now)
    f = {x.figure.key: x for x in found.figures}
    assert f["response"].denominator and 0 < (f["response"].value or 0) < 1
    assert f["overdue"].numerator > 0
    assert f["satisfied"].denominator and f["satisfied"].value is not None
    assert [r for r in found.ranking if r.rank == 1]


def _month(now: int, back: int) -> str:
    from datetime import datetime

    from domain.clock import CHINA

    at = datetime.fromtimestamp(now / 1000, tz=CHINA)
    year, month = at.year, at.month - back
    if month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}"


async def test_the_demo_reads_like_a_county(demo_store: Store) -> None:
    """合江县's month: most answered and finished in time, called back and satisfied, a
    handful overdue, whistles answered, some 不满意 reopened (printed with ``-s``)."""
    from domain.clock import now_ms
    from domain.rates import month_period

    now = now_ms()
    months = {}
    for back in (1, 0):
        month = _month(now, back)
        found = await assess(demo_store, Scope(prefix="510522"), month_period(month), now)
        months[month] = f = {x.figure.key: x for x in found.figures}
        print(month, "合江县", ", ".join(
            f"{x.figure.label} {x.numerator}/{x.denominator}" if x.denominator is not None
            else f"{x.figure.label} {x.numerator}" for x in found.figures
        ))  # fmt: skip
    f = months[_month(now, 1)]  # the previous month: complete
    value = {k: x.value or 0 for k, x in f.items()}
    assert (f["response"].denominator or 0) >= 15
    assert value["response"] >= 0.8 and value["onTime"] >= 0.6 and value["resolved"] >= 0.7
    assert value["satisfied"] >= 0.75 and 0.4 <= value["callback"] <= 0.95
    assert f["overdue"].numerator <= 0.2 * (f["response"].denominator or 0)
    assert f["whistleResponse"].denominator
    plan = timelines.plan(await demo_store.run(loopgen.DEMANDS, prefix="510522"), seed=13, now=now)
    assert not plan.assignments  # the demo's demands all have their timeline
