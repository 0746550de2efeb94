"""需求清单: residents' needs, by community and, where given, compound and building.

A new demand is OPEN; a demand already in the graph keeps its status (it may
have been matched or resolved since it was first loaded).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from domain.clock import today
from domain.ids import derived_id
from domain.vocab import DemandStatus, MatterClass, Urgency, labels
from graph.queries import loading
from graph.store import Store
from loaders import address
from loaders.context import LoadContext
from loaders.fields import (
    Count,
    Name,
    Picked,
    Required,
    RequiredName,
    RowModel,
    SoftDate,
    Text,
    open_choice,
)
from loaders.headers import Column
from loaders.kinds.base import Kind
from loaders.kinds.common import (
    BUILDING,
    CATEGORIES,
    COMMUNITY,
    COMPOUND,
    COUNTY,
    STREET,
    add_building,
    add_compound,
    dated,
    written,
)
from loaders.kinds.infer import classify_missing, demand_properties
from loaders.plan import Rejected, RowPlan, RowRef, reject

COLUMNS = (
    Column(STREET.key, STREET.header, STREET.synonyms, example="符阳街道"),
    Column(COMMUNITY.key, COMMUNITY.header, COMMUNITY.synonyms, signature=True,
           instead="address", example="桂圆林社区"),
    Column(COMPOUND.key, COMPOUND.header, COMPOUND.synonyms, example="利城半岛"),
    Column(BUILDING.key, BUILDING.header, BUILDING.synonyms, example="3栋"),
    Column("title", "需求标题", ("需求名称", "需求事项", "需求", "标题", "需求内容摘要"),
           signature=True, instead="description", example="利城半岛老年食堂"),
    Column("description", "需求描述", ("描述", "具体内容", "需求内容", "详细描述", "情况说明"),
           example="小区老人多，子女上班，午餐无人照料"),
    Column("category", "需求类别", ("类别", "需求分类", "问题类别", "需求类型"),
           choices=CATEGORIES, example="养老托幼"),
    Column("matterClass", "事项类型", ("五事分流", "事项分类", "事项类别", "分流类型"),
           choices=tuple(labels(MatterClass)), example="实事"),
    Column("urgency", "紧急程度", ("缓急程度", "紧急性", "是否紧急", "缓急", "急缓", "轻重缓急",
                                "紧急度", "急缓程度", "优先级", "急难程度", "紧迫程度", "急迫程度"),
           choices=tuple(labels(Urgency)), example="一般"),
    Column("households", "受益户数", ("涉及户数", "受益群众户数", "户数"), example="120"),
    Column("collector", "收集人", ("采集人", "登记人", "收集网格员"), example="李四"),
    Column("collectedOn", "收集日期", ("收集时间", "登记日期", "登记时间", "日期", "时间",
                                    "提出时间", "提出日期", "反映时间", "反映日期", "上报时间",
                                    "上报日期", "受理时间", "受理日期", "诉求时间"),
           example="2024-03-05"),
    Column("source", "来源", ("需求来源", "收集方式", "收集渠道", "渠道"), example="网格员走访"),
    Column(COUNTY.key, COUNTY.header, COUNTY.synonyms, example="合江县"),
    Column("address", "地址", ("诉求地址", "事发地址", "详细地址", "所在地址", "地点", "事发地点",
                              "问题地址", "发生地址", "位置"),
           example="符阳街道桂圆林社区利城半岛3栋",
           note="没有社区列时从地址中读出街道和社区；地址本身不保存"),
)  # fmt: skip


class DemandRow(RowModel):
    county: Name = None
    street: Name = None
    community: RequiredName
    compound: Name = None
    building: Name = None
    title: Required
    description: Text = None
    category: Text = None
    # open vocabularies: an unknown word is kept (…Given); empty or unknown is inferred
    matterClass: Annotated[
        Picked[MatterClass] | None, open_choice(MatterClass, MatterClass.PRACTICAL)
    ] = None
    urgency: Annotated[Picked[Urgency] | None, open_choice(Urgency, Urgency.NORMAL)] = None
    households: Count = None
    collector: Name = None
    collectedOn: SoftDate = None
    source: Text = None
    #: read for its street and community only, never stored
    address: Text = None


def _community(row: DemandRow, ctx: LoadContext) -> str:
    """The community's code: as named; else the street and community an address holds
    (a ticket's 诉求地址 in the community column, or an address column beside it)."""
    try:
        return ctx.places.community(row.county, row.street, row.community).code
    except Rejected:
        for text in (row.community, row.address):
            found = address.parts(text) if text else None
            if found is not None:
                street = row.street or found.street
                return ctx.places.community(row.county, street, found.community).code
        raise


def plan_row(row: DemandRow, ref: RowRef, ctx: LoadContext) -> RowPlan:
    community = _community(row, ctx)
    demand = derived_id("Demand", community, row.title)
    plan = RowPlan(ref, "Demand", demand)
    place = community
    if row.building and not row.compound:
        raise reject("compound", "填写了楼栋时须填写所在小区", "REQUIRED")
    plan.node("Demand", demand, {})
    if row.compound and row.building:
        place = add_building(plan, community, row.compound, row.building)
    elif row.compound:
        place = add_compound(plan, community, row.compound)
    matter, matter_given = written(plan, row.matterClass, "matterClass", "事项类型")
    urgency, urgency_given = written(plan, row.urgency, "urgency", "紧急程度")
    collected, collected_given = dated(plan, row.collectedOn, "collectedOn", "收集日期", today())
    plan.nodes[0] = ("Demand", demand, {
        "title": row.title,
        "description": row.description,
        **demand_properties(plan, row.title, row.description, row.category, matter, urgency,
                            ctx.inferred),
        "matterClassGiven": matter_given,
        "urgencyGiven": urgency_given,
        "households": row.households,
        "collectorName": row.collector,
        "collectedOn": collected,
        "collectedOnGiven": collected_given,
        "source": row.source,
        "communityId": community,
        "placeId": place,
    })  # fmt: skip
    plan.places.add(community)
    plan.link("Demand", "FOR", demand, [community])
    plan.link("Demand", "AT", demand, [place] if place != community else [])
    plan.accepted.append(lambda: ctx.demands.add(demand))
    return plan


async def prepare(rows: Sequence[DemandRow], ctx: LoadContext) -> None:
    """Classify, in one batch, the demands whose category is missing or unknown; the
    rows that name a community alone (no county, no street) make the one county that
    holds every such community one of the load's (``Places.adopt``)."""
    ctx.places.adopt([(r.community,) for r in rows if r.community and not (r.county or r.street)])
    await classify_missing(
        ctx.store, [(r.title, r.description, r.category) for r in rows], ctx.inferred
    )


async def defaults(store: Store, ctx: LoadContext) -> None:
    """A demand new to the graph is open; an existing one keeps its status."""
    await store.run(loading.DEMAND_DEFAULTS, status=DemandStatus.OPEN.value)


KIND = Kind(
    "demands", "需求清单", COLUMNS, DemandRow, plan_row, prepare=prepare, after_all=defaults
)
