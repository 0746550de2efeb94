"""The closed loop's figures for a scope and a period (domain.rates), from four
aggregating statements (graph.queries.rates): the scope's totals, each unit's figures
and the monthly ranking, each figure with the demand (or unit) ids behind it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain import rates as d
from domain.clock import CHINA
from graph.queries import rates as q
from graph.store import Store

_ID_KEYS = ("dispatched", "response", "onTime", "resolved", "rated", "satisfied", "overdue", "idle")


@dataclass(frozen=True)
class FigureValue:
    """One figure: numerator / denominator = value (None without a denominator; a
    count has no denominator), and the ids behind the numerator."""

    figure: d.Figure
    numerator: int
    denominator: int | None
    value: float | None
    ids: tuple[str, ...]
    #: the ids behind the denominator (a ratio's drill-down to its base)
    base_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitRank:
    unit_id: str
    unit_name: str
    rank: int | None
    score: float | None
    figures: tuple[FigureValue, ...]


@dataclass(frozen=True)
class Scope:
    """What to count: a code prefix ('' for all) and/or one unit, inside a read scope."""

    prefix: str = ""
    unit: str | None = None
    roots: list[str] | None = None
    units: list[str] = field(default_factory=list)

    def params(self) -> dict[str, Any]:
        return {"prefix": self.prefix, "unit": self.unit, "roots": self.roots, "units": self.units}


def _days(period: d.Period) -> dict[str, str]:
    first = datetime.fromtimestamp(period.start / 1000, tz=CHINA)
    last = datetime.fromtimestamp((period.end - 1) / 1000, tz=CHINA)
    return {"fromDate": f"{first:%Y-%m-%d}", "toDate": f"{last:%Y-%m-%d}"}


def _ratio(fig: d.Figure, ids: list[str], base: list[str]) -> FigureValue:
    return FigureValue(
        fig, len(ids), len(base), d.ratio(len(ids), len(base)), tuple(sorted(ids)),
        tuple(sorted(base)),
    )  # fmt: skip


def _count(fig: d.Figure, ids: list[str]) -> FigureValue:
    found = tuple(sorted(set(ids)))
    return FigureValue(fig, len(found), None, None, found)


def figures_of(lists: dict[str, list[str]], absent: list[str]) -> tuple[FigureValue, ...]:
    """The nine figures from the collected id lists (domain.rates.FIGURES order)."""
    dispatched = lists["dispatched"]
    return (
        _ratio(d.RESPONSE, lists["response"], dispatched),
        _ratio(d.ON_TIME, lists["onTime"], dispatched),
        _ratio(d.RESOLVED, lists["resolved"], dispatched),
        _ratio(d.SATISFIED, lists["satisfied"], lists["rated"]),
        _ratio(d.CALLBACK, lists["rated"], lists["resolved"]),
        FigureValue(d.OVERDUE, len(lists["overdue"]), None, None, tuple(sorted(lists["overdue"]))),
        _ratio(d.WHISTLE, lists["responded"], lists["summoned"]),
        _count(d.ABSENT, absent),
        _count(d.IDLE, lists["idleUnits"]),
    )


@dataclass(frozen=True)
class Assessment:
    period: d.Period
    figures: tuple[FigureValue, ...]
    ranking: tuple[UnitRank, ...]


async def assess(store: Store, scope: Scope, period: d.Period, now: int) -> Assessment:
    """The scope's figures over the period, and its units' ranking (three round trips,
    and one for the units' names)."""
    params = {**scope.params(), "from": period.start, "to": period.end, "now": now}
    dispatches = await store.run(q.DISPATCHES, **params)
    summons = await store.run(
        q.SUMMONS, **{k: v for k, v in params.items() if k in q.SUMMONS.parameters}
    )
    liaisons = await store.run(q.LIAISON_UNITS, **scope.params(), **_days(period), **{
        "from": period.start, "to": period.end,
    })  # fmt: skip
    per_unit: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in dispatches:
        unit = per_unit[str(row["unitId"])]
        for key in _ID_KEYS:
            unit[key] += [str(i) for i in row[key]]
        if row["idle"]:
            unit["idleUnits"].append(str(row["unitId"]))
    for row in summons:
        unit = per_unit[str(row["unitId"])]
        unit["summoned"] += [str(i) for i in row["summoned"]]
        unit["responded"] += [str(i) for i in row["responded"]]
    absent = sorted(
        str(r["unitId"]) for r in liaisons if int(r["accepted"]) == 0 and int(r["projects"]) == 0
    )
    totals: dict[str, list[str]] = defaultdict(list)
    for unit in per_unit.values():
        for key, ids in unit.items():
            totals[key] += ids
    figures = figures_of(totals, absent)
    ranking = await _ranking(store, per_unit, set(absent))
    return Assessment(period, figures, ranking)


async def _ranking(
    store: Store, per_unit: dict[str, dict[str, list[str]]], absent: set[str]
) -> tuple[UnitRank, ...]:
    ids = sorted(per_unit)
    names = {
        str(r["id"]): str(r["name"]) for r in await store.run(q.UNIT_NAMES, ids=ids)
    } if ids else {}  # fmt: skip
    scored: list[tuple[str, float | None, tuple[FigureValue, ...]]] = []
    for unit_id in ids:
        lists = per_unit[unit_id]
        figures = figures_of(lists, [unit_id] if unit_id in absent else [])
        values = {f.figure.key: f.value for f in figures}
        scored.append((unit_id, d.score(values) if lists["dispatched"] else None, figures))
    scored.sort(key=lambda s: (s[1] is None, -(s[1] or 0.0), names.get(s[0], ""), s[0]))
    ranked: list[UnitRank] = []
    for position, (unit_id, points, figures) in enumerate(scored, start=1):
        rank = None
        if points is not None:
            same = ranked[-1] if ranked and ranked[-1].score == points else None
            rank = same.rank if same is not None else position
        ranked.append(UnitRank(unit_id, names.get(unit_id, unit_id), rank, points, figures))
    return tuple(ranked)


def days_late(due: int, now: int) -> int:
    """Whole days past a due time (a demand 3 hours late is 0 days late)."""
    return max(0, (now - due) // 86_400_000)


@dataclass(frozen=True)
class OverdueItem:
    demand_id: str
    title: str
    community: str
    community_code: str
    unit_id: str
    unit: str
    missed: str  # ACCEPT (接单超时) or FINISH (办结超时)
    due: int
    days_late: int


async def overdue(store: Store, scope: Scope, period: d.Period, now: int) -> list[OverdueItem]:
    rows = await store.run(
        q.OVERDUE_LIST, **scope.params(), **{"from": period.start, "to": period.end, "now": now}
    )
    return [
        OverdueItem(
            str(r["demandId"]),
            str(r["title"]),
            str(r["community"]),
            str(r["communityCode"]),
            str(r["unitId"]),
            str(r["unit"]),
            str(r["missed"]),
            int(r["due"]),
            days_late(int(r["due"]), now),
        )
        for r in rows
    ]


__all__ = ["Assessment", "FigureValue", "OverdueItem", "Scope", "UnitRank", "assess", "overdue"]
