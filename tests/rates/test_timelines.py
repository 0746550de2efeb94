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

#: the stages a demand of each list status may reach
STAGES = {
    "OPEN": {"REPORTED", "DISPATCHED", "ACCEPTED", "IN_PROGRESS"},
    "MATCHED": {"DISPATCHED", "ACCEPTED", "IN_PROGRESS"},
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
        assert s["stage"] in STAGES[status[s["demandId"]]], s
    assert "CLOSED" not in {status[s["demandId"]] for s in one.stages}
    for a in one.assignments:
        p = a["props"]
        times = [p["dispatchedAt"], p["acceptedAt"], p["doneAt"]]
        present = [t for t in times if t is not None]
        assert present == sorted(present) and max(present) < fx.NOW
        if status[a["demandId"]] == "RESOLVED":
            assert p["doneAt"] is not None
    counts = one.counts()
    assert counts["chases"] > 0 and counts["whistles"] > 0 and counts["callbacks"] > 0
    ratings = {c["props"]["rating"] for c in one.callbacks}
    assert ratings == {"SATISFIED", "BASIC", "UNSATISFIED"}
    reopened = [a for a in one.assignments if a["props"]["reopened"]]
    assert reopened and all(status[a["demandId"]] == "OPEN" for a in reopened)
    # 点单 before the demand's first move, and before now
    first: dict[str, int] = {}
    for e in one.events:
        first[e["demandId"]] = min(first.get(e["demandId"], fx.NOW), e["props"]["at"])
    for s in one.stages:
        assert s["reportedAt"] < first.get(s["demandId"], fx.NOW), s


async def test_generate_writes_once(store: Store) -> None:
    await fx.build(store)
    first = await timelines.generate(store, prefix="510522", seed=3, now=fx.NOW)
    assert first["stages"] == 6
    total = (await store.run(nodes.COUNT_ALL))[0]["nodes"]
    again = await timelines.generate(store, prefix="510522", seed=3, now=fx.NOW)
    assert again == first and (await store.run(nodes.COUNT_ALL))[0]["nodes"] == total
    rows = await store.run(loopgen.DEMANDS, prefix=fx.GUIYUANLIN)
    assert len(rows) == 3 and all(r["units"] for r in rows)


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
