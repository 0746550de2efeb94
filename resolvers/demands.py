"""Demands (需求清单): read, filter, report (classified when no category is given),
update, confirm an inferred category, close."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from pydantic import Field

from access.policy import Target as AccessTarget
from domain import models
from domain.clock import now_ms, today
from domain.errors import Conflict, InvalidInput, NotFound
from domain.ids import ancestor_codes, derived_id, label_of_id
from domain.vocab import Category, DemandStage, DemandStatus, MatterClass, Urgency
from graph.queries import demands as q
from graph.queries import people as people_q
from graph.queries.scope import scope_prefix
from graph.store import Store
from matching import classify
from resolvers import places
from resolvers.context import Context
from resolvers.inputs import Input, IsoDate, Name, Text, validate
from resolvers.mutate import Target, Writer, perform, refuse_missing
from resolvers.paging import Listing
from resolvers.where import Atom, Composable, compile_filter, earliest, latest


class DemandFilter(Composable):
    scope: str | None = None
    statuses: list[DemandStatus] | None = None
    stages: list[DemandStage] | None = None
    overdue: bool | None = None
    categories: list[Category] | None = None
    category_inferred: bool | None = None
    classes: list[MatterClass] | None = None
    urgencies: list[Urgency] | None = None
    text: Text | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    collected_on_gte: date | None = None
    collected_on_lte: date | None = None
    sort: str = "collectedOn"
    descending: bool = True
    and_: list[DemandFilter] | None = None
    or_: list[DemandFilter] | None = None
    not_: DemandFilter | None = None


#: the fields of a demand filter as atoms of a composed (AND/OR/NOT) filter
ATOMS = {
    "statuses": Atom("status", "in"),
    "stages": Atom("stage", "in", default="REPORTED"),
    "categories": Atom("category", "in"),
    "category_inferred": Atom("categoryInferred", "eq", default=False),
    "classes": Atom("matterClass", "in"),
    "urgencies": Atom("urgency", "in"),
    "text": Atom("", "text", keys=("title", "description")),
    "date_from": Atom("collectedOn", "ge"),
    "date_to": Atom("collectedOn", "le"),
    "collected_on_gte": Atom("collectedOn", "ge"),
    "collected_on_lte": Atom("collectedOn", "le"),
}


class ReportDemand(Input):
    community: str = Field(description="12-digit code of the community")
    place_id: str | None = None
    title: Name = Field(max_length=200)
    description: Text = Field("", max_length=5000)
    category: Category | None = Field(None, description="inferred from the text when missing")
    matter_class: MatterClass | None = Field(None, description="inferred when missing")
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


def _filter_params(f: DemandFilter) -> dict[str, Any]:
    return {
        "scope": scope_prefix(f.scope),
        "statuses": [s.value for s in f.statuses] if f.statuses else None,
        "stages": [s.value for s in f.stages] if f.stages else None,
        "overdue": f.overdue,
        "now": now_ms(),
        "categories": [c.value for c in f.categories] if f.categories else None,
        "inferred": f.category_inferred,
        "classes": [c.value for c in f.classes] if f.classes else None,
        "urgencies": [u.value for u in f.urgencies] if f.urgencies else None,
        "text": f.text or None,
        "dateFrom": latest(f.date_from, f.collected_on_gte),
        "dateTo": earliest(f.date_to, f.collected_on_lte),
        "anyOf": compile_filter(f, ATOMS),
    }


def _prime(ctx: Context, row: dict[str, Any]) -> None:
    places.prime(ctx, "Community", row["community"])  # for Demand.community


LISTING = Listing(
    DemandFilter, q.LIST, q.COUNT, q.SORT_KEYS, _filter_params, demand, _prime,
    lean=(q.LEAN_LIST, q.LEAN_COUNT),
)  # fmt: skip
search = LISTING.search
of_community_pages = LISTING.nested(q.COMMUNITY_PAGES)
of_street_pages = LISTING.nested(q.STREET_PAGES)
of_project_pages = LISTING.nested(q.PROJECT_PAGES)


async def _community_codes(ctx: Context, community_code: str) -> tuple[str, ...]:
    community = await places.by_code(ctx, community_code)
    if not isinstance(community, models.Community):
        raise NotFound(
            f"没有区划代码为 {community_code} 的社区 (no such community)", field="community"
        )
    return ancestor_codes(community_code)


async def _place_community(ctx: Context, place_id: str | None) -> str | None:
    """The community a demand's compound or building lies in (None: no place given)."""
    if not place_id:
        return None
    label = label_of_id(place_id)
    if label not in ("Compound", "Building"):
        raise InvalidInput(
            "placeId 应为小区或楼栋的编号 (a compound or building id)", field="placeId"
        )
    rows = await ctx.store.run(people_q.AREA[label], id=place_id)
    if not rows or rows[0]["community"] is None:
        raise refuse_missing(ctx, "REPORT_DEMAND")
    return str(rows[0]["community"])


async def report(ctx: Context, data: dict[str, Any]) -> models.Demand:
    """Record a resident's need in a community (点单), at one of its compounds or
    buildings when ``placeId`` is given."""
    inp = validate(ReportDemand, data)
    codes = await _community_codes(ctx, inp.community)
    place_community = await _place_community(ctx, inp.place_id)
    demand_id = derived_id("Demand", inp.community, inp.title)
    touches = (AccessTarget.at(place_community),) if place_community else ()
    target = Target("Demand", demand_id, codes, touches=touches)

    async def create(write: Writer) -> models.Demand:
        if place_community is not None and place_community != inp.community:
            raise InvalidInput(
                f"小区或楼栋 {inp.place_id} 不在社区 {inp.community} 内 (the place is in another "
                "community)",
                field="placeId",
            )
        if await get(ctx, demand_id) is not None:
            raise Conflict(
                f"本社区已有标题为“{inp.title}”的需求：请更新它，或换一个标题 "
                "(a demand with this title exists in this community)",
                field="title",
            )
        props = {
            "title": inp.title,
            "description": inp.description,
            **await _classified(inp),
            "urgency": inp.urgency.value,
            "status": DemandStatus.OPEN.value,
            "households": inp.households,
            "collectorName": inp.collector_name,
            "collectedOn": inp.collected_on or today().isoformat(),
            "source": inp.source,
        }
        written = {k: v for k, v in props.items() if v is not None}
        params = {"id": demand_id, "communityId": inp.community, "placeId": inp.place_id or "",
                  "props": written, "now": now_ms()}  # fmt: skip
        if await write((q.CREATE, params), after={**written, "placeId": inp.place_id}) is None:
            raise NotFound(f"没有区划代码为 {inp.community} 的社区", field="community")
        return await _reload(ctx.store, demand_id)

    return await perform(ctx, "REPORT_DEMAND", target, create)


async def _classified(inp: ReportDemand) -> dict[str, Any]:
    """The category and 五事 class as given, or inferred from the title and description."""
    text = f"{inp.title}。{inp.description}" if inp.description else inp.title
    props: dict[str, Any] = {"categoryInferred": False, "matterClassInferred": False}
    if inp.category is None:
        classifier = classify.default_classifier()
        guess = await asyncio.to_thread(classifier.classify, inp.title, inp.description)
        props |= {
            "category": guess.category.value,
            "categoryInferred": True,
            "categoryConfidence": guess.confidence,
            "categoryInferredBy": "STACKED",
        }
    else:
        props["category"] = inp.category.value
    if inp.matter_class is None:
        props |= {"matterClass": classify.matter_class(text).value, "matterClassInferred": True}
    else:
        props["matterClass"] = inp.matter_class.value
    return props


async def confirm_category(ctx: Context, demand_id: str, category: Category) -> models.Demand:
    """An admin confirms (or corrects) a demand's category: it is no longer inferred."""
    found, target = await _existing(ctx, demand_id, "CONFIRM_DEMAND_CATEGORY")
    props = {"category": category.value, **_CHOSEN}

    async def confirm(write: Writer) -> models.Demand:
        return await _updated(ctx, write, demand_id, props, "CONFIRM_DEMAND_CATEGORY")

    return await perform(ctx, "CONFIRM_DEMAND_CATEGORY", target, confirm, before=_dump(found))


#: a category a person chose: no longer the classifier's guess
_CHOSEN = {"categoryInferred": False, "categoryConfidence": None, "categoryInferredBy": None}


async def _updated(
    ctx: Context, write: Writer, demand_id: str, props: dict[str, Any], action: str
) -> models.Demand:
    """Sets ``props`` on the demand (the audit entry's after) and reads it back."""
    params = {"id": demand_id, "props": props, "now": now_ms()}
    if await write((q.UPDATE, params), after=props) is None:
        raise refuse_missing(ctx, action)
    return await _reload(ctx.store, demand_id)


async def _reload(store: Store, demand_id: str) -> models.Demand:
    rows = await store.run(q.GET, ids=[demand_id])
    return demand(rows[0])


#: the demand as stored, after a write (the write path: not through the read scope)
get_stored = _reload


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
    changes: dict[str, Any] = {k: v for k, v in props.items() if v is not None}
    if not changes:
        raise InvalidInput("没有要修改的字段 (nothing to update)", field="input")
    if inp.category is not None:
        changes |= _CHOSEN
    if inp.matter_class is not None:
        changes["matterClassInferred"] = False

    async def run(write: Writer) -> models.Demand:
        return await _updated(ctx, write, demand_id, changes, "UPDATE_DEMAND")

    return await perform(ctx, "UPDATE_DEMAND", target, run, before=_dump(found))


async def close(
    ctx: Context, demand_id: str, status: DemandStatus, note: str | None
) -> models.Demand:
    if status not in (DemandStatus.RESOLVED, DemandStatus.CLOSED):
        raise InvalidInput("关闭需求时状态只能是 RESOLVED 或 CLOSED", field="status")
    found, target = await _existing(ctx, demand_id, "CLOSE_DEMAND")
    props: dict[str, Any] = {"status": status.value}
    if note:
        props["closingNote"] = validate(_Note, {"note": note}).note

    async def run(write: Writer) -> models.Demand:
        if found.status in (DemandStatus.RESOLVED, DemandStatus.CLOSED):  # once authorized
            raise Conflict(
                f"需求已是 {found.status.label} 状态 (the demand is closed already)", field="id"
            )
        return await _updated(ctx, write, demand_id, props, "CLOSE_DEMAND")

    return await perform(ctx, "CLOSE_DEMAND", target, run, before=_dump(found))


class _Note(Input):
    note: Text = Field(max_length=2000)
