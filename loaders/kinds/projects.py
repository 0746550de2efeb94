"""项目清单: agreed projects joining a community's demands to units' resources.

Demands are named by title within the project's community, resources by name
(``单位：资源`` when two units offer the same name, ``资源×2`` for a quantity
other than 1). After projects are written, each resource they touch has
``allocated`` recomputed: the sum of USES quantities of projects not cancelled.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from typing import Annotated, Any

from domain.clock import today
from domain.ids import derived_id
from domain.vocab import ProjectClass, ProjectStatus, labels
from graph.queries import loading
from graph.store import Store
from loaders.cells import key
from loaders.context import LoadContext, ResourceRef
from loaders.fields import (
    Name,
    Names,
    Picked,
    Required,
    RequiredName,
    RowModel,
    SoftDate,
    open_choice,
)
from loaders.headers import Column
from loaders.kinds.base import Kind
from loaders.kinds.common import COUNTY, STREET, dated, picked
from loaders.plan import Checks, Problem, Rejected, RowPlan, RowRef, reject

COLUMNS = (
    Column("name", "项目名称", ("项目", "项目名", "书记项目名称"), signature=True,
           example="利城半岛老年食堂"),
    Column("projectClass", "项目类别", ("类别", "项目类型", "项目分类"),
           choices=tuple(labels(ProjectClass)), example="扶贫帮困"),
    Column("community", "社区", ("社区名称", "所在社区", "实施社区"), example="桂圆林社区"),
    Column("demands", "需求", ("对应需求", "需求标题", "需求名称", "解决需求"),
           example="利城半岛老年食堂", note="需求标题，多个用顿号分隔"),
    Column("resources", "资源", ("使用资源", "资源名称", "对接资源", "整合资源"),
           example="社区食堂运营补助×2", note="资源名称，多个用顿号分隔；×2 表示数量"),
    Column("lead", "牵头单位", ("责任单位", "牵头部门"), example="合江县民政局"),
    Column("partners", "参与单位", ("配合单位", "协同单位", "参与部门"),
           example="合江县卫生健康局"),
    Column("status", "状态", ("项目状态", "进展", "进度", "推进情况", "进展情况", "实施情况",
                            "完成情况", "项目进度", "项目进展"),
           choices=tuple(labels(ProjectStatus)),
           example="实施中"),
    Column("startDate", "开始日期", ("开始时间", "启动日期", "立项日期"), example="2024-03-05"),
    Column("endDate", "完成日期", ("完成时间", "结束日期", "办结日期"), example="2024-06-30"),
    Column(STREET.key, STREET.header, STREET.synonyms, example="符阳街道"),
    Column(COUNTY.key, COUNTY.header, COUNTY.synonyms, example="合江县"),
)  # fmt: skip

_QUANTITY = re.compile(r"^(.+?)\s*[×xX*＊]\s*(\d+)$")
_OWNER = re.compile(r"^(.+?)\s*[:：]\s*(.+)$")


class ProjectRow(RowModel):
    name: Required
    projectClass: Annotated[
        Picked[ProjectClass] | None, open_choice(ProjectClass, ProjectClass.OTHER)
    ] = None
    community: RequiredName
    demands: Names = ()
    resources: Names = ()
    lead: Name = None
    partners: Names = ()
    status: Annotated[
        Picked[ProjectStatus] | None, open_choice(ProjectStatus, ProjectStatus.REPORTED)
    ] = None
    startDate: SoftDate = None
    endDate: SoftDate = None
    street: Name = None
    county: Name = None


def _item(text: str, known: Container[str]) -> tuple[str | None, str, int]:
    """``单位：资源×2`` -> (unit, resource, quantity); a colon is a unit's only when the text
    before it is a known unit name (``known``: their keys), else part of the resource's name."""
    quantity = 1
    match = _QUANTITY.match(text)
    if match:
        text, quantity = match.group(1), int(match.group(2))
    owner = _OWNER.match(text)
    if owner and key(owner.group(1)) in known:
        return owner.group(1), owner.group(2), quantity
    return None, text, quantity


def _community(row: ProjectRow, ctx: LoadContext) -> str:
    return ctx.places.community(row.county, row.street, row.community).code


async def prepare(rows: Sequence[ProjectRow], ctx: LoadContext) -> None:
    """Fetch the demands and resources the rows name from the graph, in a few round trips."""
    demands: set[str] = set()
    names: set[str] = set()
    for row in rows:
        names |= {_item(text, ctx.units)[1] for text in row.resources}
        try:
            community = _community(row, ctx)
        except Rejected:
            continue
        demands |= {derived_id("Demand", community, title) for title in row.demands}
    await ctx.fetch_demands(demands)
    await ctx.fetch_resources(names)


def _resource(text: str, units: set[str], county: str, ctx: LoadContext) -> tuple[str, int]:
    owner, name, quantity = _item(text, ctx.units)
    found: list[ResourceRef] = ctx.resources.get(key(name), [])
    if owner is not None:
        unit = ctx.unit(owner, "resources", prefer=county)
        found = [r for r in found if r.unit == unit.id]
    if len(found) > 1:
        found = [r for r in found if r.unit in units] or found
    if len(found) == 1:
        return found[0].id, quantity
    if found:
        raise reject("resources", f"资源“{name}”有 {len(found)} 个单位都提供：请写成“单位名称：{name}”",
                     "AMBIGUOUS_RESOURCE", text)  # fmt: skip
    raise reject("resources", f"资源“{name}”不在资源清单中（图中和本次导入都没有）",
                 "UNKNOWN_RESOURCE", text)  # fmt: skip


def plan_row(row: ProjectRow, ref: RowRef, ctx: LoadContext) -> RowPlan:
    community = _community(row, ctx)
    county = community[:6] + "000000"
    project = derived_id("Project", county, row.name)
    plan = RowPlan(ref, "Project", project)
    check = Checks()
    problems = check.problems
    lead = check(ctx.unit, row.lead, "lead", prefer=county) if row.lead else None
    partners = [
        u for u in (check(ctx.unit, n, "partners", prefer=county) for n in row.partners) if u
    ]
    demands: list[str] = []
    for title in row.demands:
        demand = derived_id("Demand", community, title)
        if demand in ctx.demands:
            demands.append(demand)
        else:
            problems.append(Problem("demands", f"需求“{title}”不在{row.community}的需求清单中"
                                    "（图中和本次导入都没有）", "UNKNOWN_DEMAND", title))  # fmt: skip
    units = {u.id for u in (lead, *partners) if u is not None}
    uses: dict[str, dict[str, Any]] = {}
    for text in row.resources:
        found = check(_resource, text, units, county, ctx)
        if found is not None:
            uses[found[0]] = {"quantity": uses.get(found[0], {}).get("quantity", 0) + found[1]}
    start, start_given = dated(plan, row.startDate, "startDate", "开始日期", today(), planned=True)
    end, end_given = dated(plan, row.endDate, "endDate", "完成日期", today(), planned=True)
    if start and end and end < start:
        problems.append(Problem("endDate", f"完成日期 {end} 早于开始日期 {start}",
                                "INVALID_DATE", end_given or end))  # fmt: skip
    check.done()
    kind, kind_given = picked(
        plan, row.projectClass, "projectClass", "项目类别", ProjectClass.OTHER
    )
    status, status_given = picked(plan, row.status, "status", "状态", ProjectStatus.REPORTED)
    plan.node("Project", project, {
        "name": row.name, "projectClass": kind, "projectClassGiven": kind_given,
        "status": status, "statusGiven": status_given, "communityId": community,
        "leadUnitId": lead.id if lead else None, "startDate": start, "endDate": end,
        "startDateGiven": start_given, "endDateGiven": end_given,
    })  # fmt: skip
    plan.places.add(community)
    plan.link("Project", "IN", project, [community])
    plan.link("Project", "MEETS", project, demands)
    plan.link("Project", "USES", project, uses)
    plan.link("Project", "LED_BY", project, [lead.id] if lead else [])
    plan.link("Project", "JOINED_BY", project, [u.id for u in partners])
    return plan


async def allocate(store: Store, ctx: LoadContext) -> None:
    """Resource.allocated = sum of USES quantities of projects not cancelled."""
    ids = sorted(ctx.touched.get("USES", set()))
    for start in range(0, len(ids), 1000):
        await store.run(loading.ALLOCATE, ids=ids[start : start + 1000],
                        cancelled=ProjectStatus.CANCELLED.value)  # fmt: skip


KIND = Kind(
    "projects", "项目清单", COLUMNS, ProjectRow, plan_row, prepare=prepare, after_all=allocate
)
