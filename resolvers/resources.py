"""Resources (资源清单): read, filter, offer, update, withdraw."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from access.policy import Target as AccessTarget
from domain import models
from domain.clock import now_ms
from domain.errors import Conflict, InvalidInput
from domain.ids import derived_id, division_level, is_division_code
from domain.vocab import Category, ResourceStatus, ServiceScope
from graph.queries import resources as q
from graph.queries.scope import scope_prefix
from resolvers import places, units
from resolvers.context import Context
from resolvers.inputs import Input, Name, Text, validate
from resolvers.limits import check_items
from resolvers.mutate import Target, Writer, perform, refuse_missing
from resolvers.paging import Listing
from resolvers.where import Atom, Composable, compile_filter


class ResourceFilter(Composable):
    scope: str | None = None
    statuses: list[ResourceStatus] | None = None
    categories: list[Category] | None = None
    unit_id: str | None = None
    text: Text | None = None
    min_capacity_left: int | None = Field(None, ge=0)
    sort: str = "name"
    descending: bool = False
    and_: list[ResourceFilter] | None = None
    or_: list[ResourceFilter] | None = None
    not_: ResourceFilter | None = None


#: the fields of a resource filter as atoms of a composed (AND/OR/NOT) filter
ATOMS = {
    "statuses": Atom("status", "in"),
    "categories": Atom("category", "in"),
    "unit_id": Atom("unitId", "in"),
    "text": Atom("", "text", keys=("name", "description")),
    "min_capacity_left": Atom("left", "ge"),
}


class OfferResource(Input):
    unit_id: str
    name: Name = Field(max_length=200)
    category: Category
    description: Text = Field("", max_length=5000)
    capacity: int = Field(ge=1, le=1_000_000)
    measure: Text | None = Field(None, max_length=20)
    scope_codes: list[str] = Field(min_length=1)
    available_time: Text | None = Field(None, max_length=200)
    contact_name: Text | None = Field(None, max_length=50)
    contact_phone: Text | None = Field(None, max_length=30)


class UpdateResource(Input):
    name: Name | None = Field(None, max_length=200)
    category: Category | None = None
    description: Text | None = Field(None, max_length=5000)
    capacity: int | None = Field(None, ge=1, le=1_000_000)
    measure: Text | None = Field(None, max_length=20)
    available_time: Text | None = Field(None, max_length=200)
    contact_name: Text | None = Field(None, max_length=50)
    contact_phone: Text | None = Field(None, max_length=30)


def resource(row: dict[str, Any]) -> models.Resource:
    return models.Resource.model_validate(row["node"])


async def get(ctx: Context, resource_id: str) -> models.Resource | None:
    return await ctx.loaders.one(q.GET, resource).load(resource_id)


def _filter_params(f: ResourceFilter) -> dict[str, Any]:
    return {
        "scope": scope_prefix(f.scope),
        "statuses": [s.value for s in f.statuses] if f.statuses else None,
        "categories": [c.value for c in f.categories] if f.categories else None,
        "unitId": f.unit_id,
        "text": f.text or None,
        "minLeft": f.min_capacity_left,
        "anyOf": compile_filter(f, ATOMS),
    }


LISTING = Listing(ResourceFilter, q.LIST, q.COUNT, q.SORT_KEYS, _filter_params, resource)
search = LISTING.search
of_unit_pages = LISTING.nested(q.UNIT_PAGES)


async def _unit(ctx: Context, unit_id: str, action: str) -> models.Unit:
    found = await units.locate(ctx, unit_id)
    if found is None:
        raise refuse_missing(ctx, action)
    return found


def _scope_of(codes: list[str]) -> ServiceScope:
    """The widest level among the places a resource is available in."""
    levels = {division_level(code) for code in codes}
    if "County" in levels:
        return ServiceScope.COUNTY
    return ServiceScope.STREET if "Street" in levels else ServiceScope.COMMUNITY


async def offer(ctx: Context, data: dict[str, Any]) -> models.Resource:
    """A unit offers a resource (资源清单), available in the given places."""
    inp = validate(OfferResource, data)
    check_items("scopeCodes", len(inp.scope_codes), ctx.limits.scope_codes)
    for code in inp.scope_codes:
        if not is_division_code(code):
            raise InvalidInput(f"服务范围应为 12 位区划代码，收到 {code!r}", field="scopeCodes")
    unit = await _unit(ctx, inp.unit_id, "OFFER_RESOURCE")
    scope_ids = list(dict.fromkeys(inp.scope_codes))
    for code in scope_ids:
        if await places.by_code(ctx, code) is None:
            raise InvalidInput(
                f"服务范围中的区划代码 {code} 不在图中 (unknown place in scope)", field="scopeCodes"
            )
    resource_id = derived_id("Resource", inp.unit_id, inp.name)
    target = Target(
        "Resource", resource_id, unit_id=inp.unit_id, unit_county=unit.countyId,
        touches=tuple(AccessTarget.at(code) for code in scope_ids),
    )  # fmt: skip

    async def create(write: Writer) -> models.Resource:
        if await get(ctx, resource_id) is not None:
            raise Conflict(
                f"该单位已有名为“{inp.name}”的资源：请更新它 (the unit offers this resource already)",
                field="name",
            )
        props = {
            "name": inp.name,
            "category": inp.category.value,
            "description": inp.description,
            "capacity": inp.capacity,
            "measure": inp.measure,
            "scope": _scope_of(inp.scope_codes).value,
            "availableTime": inp.available_time,
            "contactName": inp.contact_name,
            "contactPhone": inp.contact_phone,
            "status": ResourceStatus.AVAILABLE.value,
        }
        written = {k: v for k, v in props.items() if v is not None}
        params = {"id": resource_id, "unitId": inp.unit_id, "props": written,
                  "scopeIds": scope_ids, "now": now_ms()}  # fmt: skip
        if await write((q.CREATE, params), after={**written, "scopeIds": scope_ids}) is None:
            raise refuse_missing(ctx, "OFFER_RESOURCE")
        return await _reload(ctx, resource_id)

    return await perform(ctx, "OFFER_RESOURCE", target, create)


async def _reload(ctx: Context, resource_id: str) -> models.Resource:
    return resource((await ctx.store.run(q.GET, ids=[resource_id]))[0])


def _dump(model: models.Resource) -> dict[str, Any]:
    return model.model_dump(exclude={"createdAt", "updatedAt"})


async def _existing(ctx: Context, resource_id: str, action: str) -> tuple[models.Resource, Target]:
    found = await get(ctx, resource_id)
    if found is None:
        raise refuse_missing(ctx, action)
    unit = await _unit(ctx, found.unitId, action)
    target = Target("Resource", resource_id, unit_id=found.unitId, unit_county=unit.countyId)
    return found, target


async def update(ctx: Context, resource_id: str, data: dict[str, Any]) -> models.Resource:
    inp = validate(UpdateResource, data)
    found, target = await _existing(ctx, resource_id, "UPDATE_RESOURCE")
    changes = {
        k: (v.value if isinstance(v, Category) else v)
        for k, v in {
            "name": inp.name,
            "category": inp.category,
            "description": inp.description,
            "capacity": inp.capacity,
            "measure": inp.measure,
            "availableTime": inp.available_time,
            "contactName": inp.contact_name,
            "contactPhone": inp.contact_phone,
        }.items()
        if v is not None
    }
    if not changes:
        raise InvalidInput("没有要修改的字段 (nothing to update)", field="input")

    async def run(write: Writer) -> models.Resource:
        params = {"id": resource_id, "props": changes, "capacity": inp.capacity, "now": now_ms()}
        if await write((q.UPDATE, params), after=changes) is None:
            current = await _reload(ctx, resource_id)
            raise InvalidInput(
                f"容量不能小于已分配的 {current.allocated} (capacity below what projects use)",
                field="capacity",
            )
        return await _reload(ctx, resource_id)

    return await perform(ctx, "UPDATE_RESOURCE", target, run, before=_dump(found))


async def withdraw(ctx: Context, resource_id: str) -> models.Resource:
    found, target = await _existing(ctx, resource_id, "WITHDRAW_RESOURCE")

    async def run(write: Writer) -> models.Resource:
        if found.status is ResourceStatus.WITHDRAWN:  # said only once authorized
            raise Conflict("资源已撤回 (the resource is withdrawn already)", field="id")
        props = {"status": ResourceStatus.WITHDRAWN.value}
        params = {"id": resource_id, "props": props, "capacity": None, "now": now_ms()}
        if await write((q.UPDATE, params), after=props) is None:
            raise refuse_missing(ctx, "WITHDRAW_RESOURCE")
        return await _reload(ctx, resource_id)

    return await perform(ctx, "WITHDRAW_RESOURCE", target, run, before=_dump(found))
