"""Demands (需求清单): read, filter, report, update, close."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from domain import models
from domain.clock import now_ms, today
from domain.errors import Conflict, InvalidInput, NotFound
from domain.ids import ancestor_codes, derived_id
from domain.vocab import Category, DemandStatus, MatterClass, Urgency
from graph.queries import demands as q
from graph.queries.scope import scope_prefix
from graph.store import Store
from resolvers import places
from resolvers.context import Context
from resolvers.inputs import Input, IsoDate, Name, Text, validate
from resolvers.mutate import Target, perform, refuse_missing
from resolvers.paging import Page, fetch_page


class DemandFilter(Input):
    scope: str | None = None
    statuses: list[DemandStatus] | None = None
    categories: list[Category] | None = None
    classes: list[MatterClass] | None = None
    urgencies: list[Urgency] | None = None
    text: Text | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    sort: str = "collectedOn"
    descending: bool = True


class ReportDemand(Input):
    community: str = Field(description="12-digit code of the community")
    place_id: str | None = None
    title: Name = Field(max_length=200)
    description: Text = Field("", max_length=5000)
    category: Category
    matter_class: MatterClass
    urgency: Urgency = Urgency.NORMAL
    households: int | None = Field(None, ge=0, le=1_000_000)
    collector_name: Text | None = Field(None, max_length=50)
    collected_on: IsoDate | None = None
    source: Text | None = Field(None, max_length=50)


class UpdateDemand(Input):
    title: Name | None = Field(None, max_length=200)
    description: Text | None = Field(None, max_length=5000)
    category: Category | None = None
    matter_class: MatterClass | None = None
    urgency: Urgency | None = None
    households: int | None = Field(None, ge=0, le=1_000_000)


def demand(row: dict[str, Any]) -> models.Demand:
    return models.Demand.model_validate(row["node"])


async def get(ctx: Context, demand_id: str) -> models.Demand | None:
    return await ctx.loaders.one(q.GET, demand).load(demand_id)


async def of_community(ctx: Context, community_id: str) -> list[models.Demand]:
    return await ctx.loaders.many(q.OF_COMMUNITY, demand).load(community_id)


async def of_project(ctx: Context, project_id: str) -> list[models.Demand]:
    return await ctx.loaders.many(q.OF_PROJECT, demand).load(project_id)


def _filter_params(f: DemandFilter) -> dict[str, Any]:
    return {
        "scope": scope_prefix(f.scope),
        "statuses": [s.value for s in f.statuses] if f.statuses else None,
        "categories": [c.value for c in f.categories] if f.categories else None,
        "classes": [c.value for c in f.classes] if f.classes else None,
        "urgencies": [u.value for u in f.urgencies] if f.urgencies else None,
        "text": f.text or None,
        "dateFrom": f.date_from,
        "dateTo": f.date_to,
    }


async def search(
    ctx: Context, data: dict[str, Any], first: int | None, after: str | None, with_total: bool
) -> Page[models.Demand]:
    f = validate(DemandFilter, data)
    params = _filter_params(f)

    def build(row: dict[str, Any]) -> models.Demand:
        places.prime(ctx, "Community", row["community"])  # for Demand.community
        return demand(row)

    return await fetch_page(
        ctx, lists=q.LIST, count=q.COUNT, sort_keys=q.SORT_KEYS, sort=f.sort,
        descending=f.descending, params=params, first=first, after=after,
        with_total=with_total, build=build,
    )  # fmt: skip


async def _community_codes(ctx: Context, community_code: str) -> tuple[str, ...]:
    community = await places.by_code(ctx, community_code)
    if not isinstance(community, models.Community):
        raise NotFound(
            f"没有区划代码为 {community_code} 的社区 (no such community)", field="community"
        )
    return ancestor_codes(community_code)


async def report(ctx: Context, data: dict[str, Any]) -> models.Demand:
    """Record a resident's need in a community (点单)."""
    inp = validate(ReportDemand, data)
    codes = await _community_codes(ctx, inp.community)
    demand_id = derived_id("Demand", inp.community, inp.title)
    target = Target("Demand", demand_id, codes)

    async def create() -> models.Demand:
        if await get(ctx, demand_id) is not None:
            raise Conflict(
                f"本社区已有标题为“{inp.title}”的需求：请更新它，或换一个标题 "
                "(a demand with this title exists in this community)",
                field="title",
            )
        props = {
            "title": inp.title,
            "description": inp.description,
            "category": inp.category.value,
            "matterClass": inp.matter_class.value,
            "urgency": inp.urgency.value,
            "status": DemandStatus.OPEN.value,
            "households": inp.households,
            "collectorName": inp.collector_name,
            "collectedOn": inp.collected_on or today().isoformat(),
            "source": inp.source,
        }
        await ctx.store.run(
            q.CREATE,
            id=demand_id,
            communityId=inp.community,
            placeId=inp.place_id or "",
            props={k: v for k, v in props.items() if v is not None},
            now=now_ms(),
        )
        return await _reload(ctx.store, demand_id)

    return await perform(ctx, "REPORT_DEMAND", target, create, after=_dump)


async def _reload(store: Store, demand_id: str) -> models.Demand:
    rows = await store.run(q.GET, ids=[demand_id])
    return demand(rows[0])


def _dump(model: models.Demand) -> dict[str, Any]:
    return model.model_dump(exclude={"createdAt", "updatedAt"})


async def _existing(ctx: Context, demand_id: str, action: str) -> tuple[models.Demand, Target]:
    found = await get(ctx, demand_id)
    if found is None:
        raise refuse_missing(ctx, action)
    return found, Target("Demand", demand_id, ancestor_codes(found.communityId))


async def update(ctx: Context, demand_id: str, data: dict[str, Any]) -> models.Demand:
    inp = validate(UpdateDemand, data)
    found, target = await _existing(ctx, demand_id, "UPDATE_DEMAND")
    props = {
        "title": inp.title,
        "description": inp.description,
        "category": inp.category.value if inp.category else None,
        "matterClass": inp.matter_class.value if inp.matter_class else None,
        "urgency": inp.urgency.value if inp.urgency else None,
        "households": inp.households,
    }
    changes = {k: v for k, v in props.items() if v is not None}
    if not changes:
        raise InvalidInput("没有要修改的字段 (nothing to update)", field="input")

    async def write() -> models.Demand:
        await ctx.store.run(q.UPDATE, id=demand_id, props=changes, now=now_ms())
        return await _reload(ctx.store, demand_id)

    return await perform(ctx, "UPDATE_DEMAND", target, write, before=_dump(found), after=_dump)


async def close(
    ctx: Context, demand_id: str, status: DemandStatus, note: str | None
) -> models.Demand:
    if status not in (DemandStatus.RESOLVED, DemandStatus.CLOSED):
        raise InvalidInput("关闭需求时状态只能是 RESOLVED 或 CLOSED", field="status")
    found, target = await _existing(ctx, demand_id, "CLOSE_DEMAND")
    if found.status in (DemandStatus.RESOLVED, DemandStatus.CLOSED):
        raise Conflict(
            f"需求已是 {found.status.label} 状态 (the demand is closed already)", field="id"
        )
    props: dict[str, Any] = {"status": status.value}
    if note:
        props["closingNote"] = validate(_Note, {"note": note}).note

    async def write() -> models.Demand:
        await ctx.store.run(q.UPDATE, id=demand_id, props=props, now=now_ms())
        return await _reload(ctx.store, demand_id)

    return await perform(ctx, "CLOSE_DEMAND", target, write, before=_dump(found), after=_dump)


class _Note(Input):
    note: Text = Field(max_length=2000)
