"""Statistics for a scope (a city, county, street or community, or everything).

Each concept is one statement, run the first time one of its figures is asked for
and shared by the others (``demands`` and ``demandsByStatus`` cost one round trip).
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter, defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from access.principal import place_level
from access.shared import SHARED_STATISTICS
from domain.clock import now_ms
from domain.errors import NotFound
from domain.ids import pad_division_code
from domain.vocab import Category, DemandStatus, MatterClass, ProjectClass, ProjectStatus, Vocab
from graph.cypher import Statement
from graph.queries import nodes
from graph.queries import stats as q
from resolvers import places
from resolvers.context import Context
from resolvers.people import scope_prefix

Row = dict[str, Any]


@dataclass(frozen=True)
class Count:
    """How many have one value (key), with the value's Chinese label."""

    key: str
    label: str
    count: int


def breakdown(rows: list[Row], column: str, vocab: type[Vocab]) -> list[Count]:
    """Every member of the vocabulary in its order (zeros included), then unknown values."""
    totals: Counter[str] = Counter()
    for row in rows:
        totals[str(row[column])] += int(row["count"])
    known = [Count(m.value, m.label, totals.pop(m.value, 0)) for m in vocab]
    return known + [Count(key, key, n) for key, n in sorted(totals.items())]


@dataclass(frozen=True)
class MonthCount:
    """How many in one month ('YYYY-MM'), and how many of them have each status."""

    month: str
    count: int
    by_status: list[Count]


@dataclass(frozen=True)
class CommunityCategoryCount:
    """How many demands of one category one community has (a cell of a heat map)."""

    community_id: str
    community_code: str
    community_name: str
    category: str
    category_label: str
    count: int


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_EPOCH = date(1970, 1, 1)


def _month_of(row: Row) -> str:
    """A row's month: the one Cypher took from its date, else its recorded day's."""
    if row["month"] is not None:
        return str(row["month"])
    if row["day"] is None:
        return "未知"
    return (_EPOCH + timedelta(days=int(row["day"]))).strftime("%Y-%m")


def _months_between(first: str, last: str) -> list[str]:
    """Every month from first to last ('YYYY-MM', both included)."""
    a, b = _MONTH.match(first), _MONTH.match(last)
    assert a and b
    year, month = int(a[1]), int(a[2])
    found: list[str] = []
    while (year, month) <= (int(b[1]), int(b[2])):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def monthly(rows: list[Row], vocab: type[Vocab]) -> list[MonthCount]:
    """Counts per month, in order, the months without any included as zeros (so a
    trend line has no gaps); a month that is not 'YYYY-MM' comes last, as it is."""
    per: defaultdict[str, list[Row]] = defaultdict(list)
    for row in rows:
        per[_month_of(row)].append(row)
    valid = sorted(m for m in per if _MONTH.match(m) and 1 <= int(m[5:]) <= 12)
    odd = sorted(m for m in per if m not in valid)
    months = (_months_between(valid[0], valid[-1]) if valid else []) + odd
    return [
        MonthCount(
            month=m,
            count=sum(int(r["count"]) for r in per.get(m, [])),
            by_status=breakdown(per.get(m, []), "status", vocab),
        )
        for m in months
    ]


class Statistics:
    """The figures of one scope, fetched lazily, each statement at most once."""

    def __init__(self, ctx: Context, scope: str | None) -> None:
        self.ctx = ctx
        self.prefix = scope_prefix(scope)
        self.code = pad_division_code(scope) if scope else None
        self._runs: dict[str, asyncio.Future[list[Row]]] = {}

    def _rows(self, stmt: Statement) -> Awaitable[list[Row]]:
        run = self._runs.get(stmt.name)
        if run is None:
            params = {"scope": self.prefix} if "scope" in stmt.parameters else {}
            run = asyncio.ensure_future(self.ctx.store.run(stmt, **params))
            self._runs[stmt.name] = run
        return run

    async def _count(self, stmt: Statement) -> int:
        return sum(int(row["count"]) for row in await self._rows(stmt))

    async def nodes(self) -> int:
        """Every node in the scope (see ``graph.queries.stats.NODES``); with no scope,
        every node in the graph."""
        if not self.prefix:
            return int((await self._rows(nodes.COUNT_DOMAIN))[0]["nodes"])
        return await self._count(q.NODES)

    async def communities(self) -> int:
        return await self._count(q.COMMUNITIES)

    async def units(self) -> int:
        return await self._count(q.UNITS)

    async def resources(self) -> int:
        return await self._count(q.RESOURCES)

    async def resources_by_category(self) -> list[Count]:
        return breakdown(await self._rows(q.RESOURCES), "category", Category)

    async def demands(self) -> int:
        return await self._count(q.DEMANDS)

    async def demands_by(self, column: str) -> list[Count]:
        vocab = {"status": DemandStatus, "matterClass": MatterClass, "category": Category}
        return breakdown(await self._rows(q.DEMANDS), column, vocab[column])

    async def projects(self) -> int:
        return await self._count(q.PROJECTS)

    async def projects_by(self, column: str) -> list[Count]:
        vocab = {"status": ProjectStatus, "projectClass": ProjectClass}
        return breakdown(await self._rows(q.PROJECTS), column, vocab[column])

    async def demands_by_month(self) -> list[MonthCount]:
        return monthly(await self._rows(q.DEMANDS_BY_MONTH), DemandStatus)

    async def projects_by_month(self) -> list[MonthCount]:
        return monthly(await self._rows(q.PROJECTS_BY_MONTH), ProjectStatus)

    async def demands_by_community_and_category(self) -> list[CommunityCategoryCount]:
        rows = await self._rows(q.DEMANDS_BY_COMMUNITY_AND_CATEGORY)
        labels = {m.value: m.label for m in Category}
        return [
            CommunityCategoryCount(
                community_id=str(r["communityId"]),
                community_code=str(r["communityCode"]),
                community_name=str(r["communityName"]),
                category=str(r["category"]),
                category_label=labels.get(str(r["category"]), str(r["category"])),
                count=int(r["count"]),
            )
            for r in rows
        ]

    async def overdue(self) -> dict[str, list[str]]:
        """逾期 at the clock's now, inside the caller's read scope: the overdue demands'
        ids by the limit they missed ('ACCEPT', 'FINISH') and all of them ('ALL')."""
        run = self._runs.get(q.OVERDUE.name)
        if run is None:
            read = await self.ctx.read.params()
            params = {"roots": read["roots"], "units": read["units"], "now": now_ms()}
            run = asyncio.ensure_future(self.ctx.store.run(q.OVERDUE, scope=self.prefix, **params))
            self._runs[q.OVERDUE.name] = run
        found: dict[str, list[str]] = {"ACCEPT": [], "FINISH": []}
        for row in await run:
            found[str(row["missed"])] = sorted(str(i) for i in row["demandIds"])
        found["ALL"] = sorted(set(found["ACCEPT"]) | set(found["FINISH"]))
        return found

    async def agreements(self) -> int:
        return await self._count(q.AGREEMENTS)

    async def meetings(self) -> int:
        return await self._count(q.MEETINGS)


async def statistics(ctx: Context, scope: str | None) -> Statistics:
    """The statistics of a county, street or community code (6, 9 or 12 digits), or of
    everything; NotFound for a code no place has.

    Counts of a county, a city or everything are shared across counties
    (``access.shared.SHARED_STATISTICS``); a street's or community's only inside the
    caller's read scope: outside it they are NotFound, as for a missing place.
    """
    stats = Statistics(ctx, scope)
    level = place_level(stats.code) if stats.code is not None else None
    if level not in SHARED_STATISTICS and not (
        stats.code is not None and await ctx.read.reads_place(stats.code)
    ):
        raise NotFound(f"没有区划代码为 {scope} 的地方 (no such place)", field="scope")
    if stats.code is not None and len(stats.prefix) == 4:  # a city: some county under it
        if not await stats.nodes():
            raise NotFound(f"没有区划代码为 {scope} 的地方 (no such place)", field="scope")
        return stats
    if stats.code is not None and await places.by_code(ctx, stats.code) is None:
        raise NotFound(f"没有区划代码为 {scope} 的地方 (no such place)", field="scope")
    return stats
