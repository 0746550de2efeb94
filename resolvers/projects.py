"""Projects (项目清单): form from demands and resources, move through the workflow."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from access.policy import Target as AccessTarget
from domain import models
from domain.clock import now_ms, today
from domain.errors import CapacityExceeded, Conflict, IllegalTransition, NotFound
from domain.ids import ancestor_codes, derived_id
from domain.vocab import PROJECT_TRANSITIONS, ProjectClass, ProjectStatus
from graph.queries import projects as q
from graph.queries.scope import scope_prefix
from resolvers import units
from resolvers.context import Context
from resolvers.inputs import Input, IsoDate, Name, Text, validate
from resolvers.limits import check_items
from resolvers.mutate import Target, Writer, perform, refuse_missing
from resolvers.paging import Listing
from resolvers.where import Atom, Composable, compile_filter, earliest, latest


class ProjectFilter(Composable):
    scope: str | None = None
    statuses: list[ProjectStatus] | None = None
    classes: list[ProjectClass] | None = None
    text: Text | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    start_date_gte: date | None = None
    start_date_lte: date | None = None
    sort: str = "startDate"
    descending: bool = True
    and_: list[ProjectFilter] | None = None
    or_: list[ProjectFilter] | None = None
    not_: ProjectFilter | None = None


#: the fields of a project filter as atoms of a composed (AND/OR/NOT) filter
ATOMS = {
    "statuses": Atom("status", "in"),
    "classes": Atom("projectClass", "in"),
    "text": Atom("", "text", keys=("name",)),
    "date_from": Atom("startDate", "ge"),
    "date_to": Atom("startDate", "le"),
    "start_date_gte": Atom("startDate", "ge"),
    "start_date_lte": Atom("startDate", "le"),
}


class Use(Input):
    resource_id: str
    quantity: int = Field(1, ge=1, le=1_000_000)


class FormProject(Input):
    name: Name = Field(max_length=200)
    project_class: ProjectClass
    community: str
    demand_ids: list[str] = Field(default_factory=list)
    uses: list[Use] = Field(min_length=1)
    lead_unit_id: str | None = None
    start_date: IsoDate | None = None
    description: Text = Field("", max_length=5000)


def project(row: dict[str, Any]) -> models.Project:
    return models.Project.model_validate(row["node"])


async def get(ctx: Context, project_id: str) -> models.Project | None:
    return await ctx.loaders.one(q.GET, project).load(project_id)


def _filter_params(f: ProjectFilter) -> dict[str, Any]:
    return {
        "scope": scope_prefix(f.scope),
        "statuses": [s.value for s in f.statuses] if f.statuses else None,
        "classes": [c.value for c in f.classes] if f.classes else None,
        "text": f.text or None,
        "dateFrom": latest(f.date_from, f.start_date_gte),
        "dateTo": earliest(f.date_to, f.start_date_lte),
        "anyOf": compile_filter(f, ATOMS),
    }


LISTING = Listing(ProjectFilter, q.LIST, q.COUNT, q.SORT_KEYS, _filter_params, project)
search = LISTING.search
of_community_pages = LISTING.nested(q.COMMUNITY_PAGES)
led_pages = LISTING.nested(q.LED_PAGES)


def _uses(inp: FormProject) -> list[dict[str, Any]]:
    merged: dict[str, int] = {}
    for use in inp.uses:
        merged[use.resource_id] = merged.get(use.resource_id, 0) + use.quantity
    return [{"resourceId": rid, "quantity": qty} for rid, qty in merged.items()]


async def form(ctx: Context, data: dict[str, Any]) -> models.Project:
    """Form a project joining demands and resources; capacity is taken atomically:
    concurrent formations can never allocate beyond a resource's capacity."""
    inp = validate(FormProject, data)
    check_items("uses", len(inp.uses), ctx.limits.project_uses)
    check_items("demandIds", len(inp.demand_ids), ctx.limits.project_demands)
    uses = _uses(inp)
    resource_ids = [u["resourceId"] for u in uses]
    [check] = await ctx.store.run(
        q.CHECK,
        communityId=inp.community,
        leadUnitId=inp.lead_unit_id or "",
        demandIds=inp.demand_ids,
        resourceIds=resource_ids,
    )
    if not check["community"]:
        raise NotFound(f"没有区划代码为 {inp.community} 的社区", field="community")
    if inp.lead_unit_id and not check["lead"]:
        raise NotFound(f"没有编号为 {inp.lead_unit_id} 的单位", field="leadUnitId")
    if check["missingDemands"]:
        raise NotFound(
            f"这些需求不存在或不属于该社区：{'、'.join(check['missingDemands'])}", field="demandIds"
        )
    found = {r["id"]: r for r in check["resources"]}
    missing = [rid for rid in resource_ids if rid not in found]
    if missing:
        raise NotFound(f"这些资源不存在：{'、'.join(missing)}", field="uses")
    project_id = derived_id("Project", ancestor_codes(inp.community)[0], inp.name)
    lead = await units.locate(ctx, inp.lead_unit_id) if inp.lead_unit_id else None
    owners = await _resource_units(ctx, resource_ids)
    target = Target(
        "Project", project_id, ancestor_codes(inp.community), unit_id=inp.lead_unit_id,
        unit_county=lead.countyId if lead else None,
        touches=tuple(AccessTarget.of_unit(unit, county) for unit, county in owners),
    )  # fmt: skip

    async def create(write: Writer) -> models.Project:
        if await get(ctx, project_id) is not None:
            raise Conflict(
                f"已有名为“{inp.name}”的项目 (a project with this name exists)", field="name"
            )
        now = now_ms()
        props = {
            "name": inp.name,
            "projectClass": inp.project_class.value,
            "status": ProjectStatus.REPORTED.value,
            "startDate": inp.start_date or today().isoformat(),
            "description": inp.description,
        }
        form = {"id": project_id, "communityId": inp.community, "uses": uses, "props": props,
                "now": now}  # fmt: skip
        link = {"id": project_id, "leadUnitId": inp.lead_unit_id or "",
                "demandIds": inp.demand_ids, "now": now}  # fmt: skip
        after = {**props, "communityId": inp.community, "leadUnitId": inp.lead_unit_id,
                 "uses": uses, "demandIds": inp.demand_ids}  # fmt: skip
        written = await write((q.FORM, form), (q.LINK_FORMED, link), after=after,
                              lock_ids=resource_ids)  # fmt: skip
        if written is None:
            raise _capacity_error(ctx, uses, await _left(ctx, resource_ids))
        return project((await ctx.store.run(q.GET, ids=[project_id]))[0])

    return await perform(ctx, "FORM_PROJECT", target, create)


async def _resource_units(ctx: Context, resource_ids: list[str]) -> list[tuple[str, str]]:
    """(unit id, unit county) of the units offering the resources (the policy confines them)."""
    rows = await ctx.store.run(q.RESOURCE_OWNERS, ids=resource_ids)
    return sorted({(str(row["unitId"]), str(row["county"])) for row in rows if row["county"]})


async def _left(ctx: Context, resource_ids: list[str]) -> dict[str, dict[str, Any]]:
    [check] = await ctx.store.run(
        q.CHECK, communityId="", leadUnitId="", demandIds=[], resourceIds=resource_ids
    )
    return {r["id"]: r for r in check["resources"]}


def _capacity_error(
    ctx: Context, uses: list[dict[str, Any]], left: dict[str, dict[str, Any]]
) -> Exception:
    for use in uses:
        state = left[use["resourceId"]]
        if state["status"] != "AVAILABLE":
            return Conflict(
                f"资源 {use['resourceId']} 已撤回 (the resource is withdrawn)", field="uses"
            )
        if state["left"] < use["quantity"]:
            return CapacityExceeded(
                f"资源 {use['resourceId']} 只剩 {state['left']}，不够 {use['quantity']}："
                "请减少数量或换一个资源 (not enough capacity left)",
                field="uses",
                available=state["left"],
            )
    return Conflict("资源刚被占用，请重试 (capacity changed meanwhile; retry)", field="uses")


def _dump(model: models.Project) -> dict[str, Any]:
    return model.model_dump(exclude={"createdAt", "updatedAt"})


async def move(ctx: Context, project_id: str, to: ProjectStatus) -> models.Project:
    """点单 -> 派单 -> 接单 -> 实施 -> 完成 -> 评价, or 取消 before it is done."""
    found = await get(ctx, project_id)
    if found is None:
        raise refuse_missing(ctx, f"MOVE_PROJECT:{to.value}")
    lead = await units.locate(ctx, found.leadUnitId) if found.leadUnitId else None
    target = Target(
        "Project", project_id, ancestor_codes(found.communityId), unit_id=found.leadUnitId,
        unit_county=lead.countyId if lead else None,
        details={"from": found.status.value, "to": to.value},
    )  # fmt: skip

    async def run(write: Writer) -> models.Project:
        # after authorization: a caller outside the scope learns nothing of the status
        allowed = PROJECT_TRANSITIONS[found.status]
        if to not in allowed:
            names = "、".join(
                f"{s.label}({s.value})" for s in sorted(allowed, key=list(ProjectStatus).index)
            )
            raise IllegalTransition(
                f"项目处于“{found.status.label}”，不能改为“{to.label}”；可以改为：{names or '无'}",
                field="to",
                allowed=[s.value for s in allowed],
            )
        stmt = q.CANCEL if to is ProjectStatus.CANCELLED else q.MOVE
        params = {"id": project_id, "fromStatus": found.status.value, "to": to.value,
                  "now": now_ms(), "today": today().isoformat()}  # fmt: skip
        if await write((stmt, params), after={"status": to.value}) is None:
            raise Conflict("项目状态刚被别人修改，请刷新后重试 (changed meanwhile)", field="id")
        return project((await ctx.store.run(q.GET, ids=[project_id]))[0])

    return await perform(
        ctx, f"MOVE_PROJECT:{to.value}", target, run, before={"status": found.status.value}
    )
