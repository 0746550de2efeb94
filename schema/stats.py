"""Statistics of a county, street or community, or of everything."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import places as resolve_places
from resolvers import stats as resolve
from resolvers.context import Context

if TYPE_CHECKING:
    from schema.places import DivisionPlace

Info = strawberry.Info[Context, None]


@strawberry.type(description="how many have one value: key (English), label (Chinese), count")
class Count:
    key: str
    label: str
    count: int


def _counts(found: list[resolve.Count]) -> list[Count]:
    return [Count(key=c.key, label=c.label, count=c.count) for c in found]


@strawberry.type(description="how many in one month, and how many of them have each status")
class MonthCount:
    month: str = strawberry.field(description="'YYYY-MM'")
    count: int
    by_status: list[Count] = strawberry.field(
        description="every status of the vocabulary (zeros included), in its order"
    )


@strawberry.type(description="how many demands of one category a community has")
class CommunityCategoryCount:
    community_id: strawberry.ID
    community_code: str = strawberry.field(description="12-digit code of the community")
    community_name: str
    category: str = strawberry.field(description="the category's key (Category)")
    category_label: str
    count: int


def _months(found: list[resolve.MonthCount]) -> list[MonthCount]:
    return [MonthCount(month=m.month, count=m.count, by_status=_counts(m.by_status)) for m in found]


@strawberry.type(
    description="Counts for a scope; each figure costs a statement only when asked for. "
    "Breakdowns list every value of the vocabulary (zeros included), in its order."
)
class Statistics:
    source: strawberry.Private[resolve.Statistics]

    @strawberry.field(description="the county, street or community (null: everything)")
    async def scope(
        self, info: Info
    ) -> Annotated[DivisionPlace, strawberry.lazy("schema.places")] | None:
        from schema.places import place_object  # noqa: PLC0415

        if self.source.code is None:
            return None
        found = await resolve_places.by_code(info.context, self.source.code)
        return place_object(found) if found else None

    @strawberry.field(
        description="every node in the scope: its places and what belongs to them "
        "(without a scope: every node in the graph)"
    )
    async def nodes(self) -> int:
        return await self.source.nodes()

    @strawberry.field
    async def communities(self) -> int:
        return await self.source.communities()

    @strawberry.field(description="units of the county, or liaising with communities in scope")
    async def units(self) -> int:
        return await self.source.units()

    @strawberry.field(description="resources available in (or over) the scope")
    async def resources(self) -> int:
        return await self.source.resources()

    @strawberry.field
    async def resources_by_category(self) -> list[Count]:
        return _counts(await self.source.resources_by_category())

    @strawberry.field
    async def demands(self) -> int:
        return await self.source.demands()

    @strawberry.field
    async def demands_by_status(self) -> list[Count]:
        return _counts(await self.source.demands_by("status"))

    @strawberry.field(description="五事分流: 大事 实事 要事 急事 难事")
    async def demands_by_class(self) -> list[Count]:
        return _counts(await self.source.demands_by("matterClass"))

    @strawberry.field
    async def demands_by_category(self) -> list[Count]:
        return _counts(await self.source.demands_by("category"))

    @strawberry.field(
        description="demands per month of 收集日期 (without one: of being recorded), "
        "first to last month, months without any as zeros"
    )
    async def demands_by_month(self) -> list[MonthCount]:
        return _months(await self.source.demands_by_month())

    @strawberry.field(
        description="demands per community and category (heat map cells; only those "
        "with some), by community code"
    )
    async def demands_by_community_and_category(self) -> list[CommunityCategoryCount]:
        return [
            CommunityCategoryCount(
                community_id=strawberry.ID(c.community_id),
                community_code=c.community_code,
                community_name=c.community_name,
                category=c.category,
                category_label=c.category_label,
                count=c.count,
            )
            for c in await self.source.demands_by_community_and_category()
        ]

    @strawberry.field
    async def projects(self) -> int:
        return await self.source.projects()

    @strawberry.field
    async def projects_by_class(self) -> list[Count]:
        return _counts(await self.source.projects_by("projectClass"))

    @strawberry.field
    async def projects_by_status(self) -> list[Count]:
        return _counts(await self.source.projects_by("status"))

    @strawberry.field(
        description="projects per month of their start (without one: of being formed), "
        "first to last month, months without any as zeros"
    )
    async def projects_by_month(self) -> list[MonthCount]:
        return _months(await self.source.projects_by_month())

    @strawberry.field(
        description="逾期: demands of the scope past a time limit now (their open dispatch "
        "was not accepted or not done in time), among those the caller reads"
    )
    async def overdue_demands(self) -> int:
        return len((await self.source.overdue())["ALL"])

    @strawberry.field(description="逾期 demands not accepted (接单) within the limit")
    async def overdue_to_accept(self) -> int:
        return len((await self.source.overdue())["ACCEPT"])

    @strawberry.field(description="逾期 demands accepted but not done (办结) within the limit")
    async def overdue_to_finish(self) -> int:
        return len((await self.source.overdue())["FINISH"])

    @strawberry.field(description="the ids of the overdue demands (drill-down of overdueDemands)")
    async def overdue_demand_ids(self) -> list[strawberry.ID]:
        return [strawberry.ID(i) for i in (await self.source.overdue())["ALL"]]

    @strawberry.field(description="共建协议 with communities in scope")
    async def agreements(self) -> int:
        return await self.source.agreements()

    @strawberry.field(description="联席会议 held in the scope")
    async def meetings(self) -> int:
        return await self.source.meetings()


@strawberry.type
class StatsQuery:
    @strawberry.field(description="Counts for a county, street or community code, or everything")
    async def statistics(self, info: Info, scope: str | None = None) -> Statistics:
        return Statistics(source=await resolve.statistics(info.context, scope))
