"""资源清单: what a unit offers, how much of it, and where."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from divisions import Division, Level, kind_word
from domain.ids import derived_id
from domain.vocab import Category, ResourceStatus, ServiceScope
from graph.queries import loading
from graph.store import Store
from loaders import scopes
from loaders.cells import choose
from loaders.context import LoadContext, ResourceRef, UnitRef
from loaders.fields import Name, Names, Phone, Quantity, RequiredName, RowModel, Text
from loaders.headers import Column
from loaders.kinds.base import Kind
from loaders.kinds.common import CATEGORIES, COUNTY, PHONE
from loaders.kinds.infer import LEXICAL, STACKED, classify_missing, inferred_reason
from loaders.plan import Checks, Problem, Rejected, RowPlan, RowRef, reject
from matching import classify

COLUMNS = (
    Column("unit", "单位名称", ("单位", "提供单位", "资源单位", "所属单位", "单位全称"),
           signature=True, example="合江县住房和城乡建设局"),
    Column("name", "资源名称", ("资源", "资源项目", "资源事项"), signature=True,
           instead="description", example="老旧小区改造政策咨询"),
    Column("category", "资源类别", ("类别", "资源类型", "资源分类", "类型"), choices=CATEGORIES,
           example="专业技术"),
    Column("description", "资源描述", ("描述", "具体内容", "资源说明", "说明", "内容", "资源内容"),
           example="每月到社区开展一次政策咨询"),
    Column("quantity", "数量", ("资源数量", "可提供数量", "供给数量"), example="12"),
    Column("measure", "计量单位", ("单位(计量)", "计量", "数量单位"), example="次"),
    Column("scope", "服务范围", ("范围", "覆盖范围", "服务区域", "服务社区", "服务对象范围",
                                 "辐射范围"), example="全县",
           note="全县（全区、全市、全旗、全域），本街道、本社区，或街道、社区名称（多个用顿号分隔）"),
    Column("availableTime", "可提供时间", ("提供时间", "服务时间", "时间", "时间安排", "服务时段", "开放时间"), example="每月第一周"),
    Column("contactName", "联系人", ("资源联系人", "负责人"), example="张三"),
    Column("contactPhone", PHONE.header, PHONE.synonyms, example=PHONE.example),
    Column("county", "所属县", (COUNTY.header, *COUNTY.synonyms), example="合江县"),
)  # fmt: skip

_SCOPE_RANK = {ServiceScope.COMMUNITY: 0, ServiceScope.STREET: 1, ServiceScope.COUNTY: 2}


class ResourceRow(RowModel):
    unit: RequiredName
    name: RequiredName
    category: Text = None
    description: Text = None
    quantity: Quantity = None
    measure: Text = None
    scope: Names = ()
    availableTime: Text = None
    contactName: Name = None
    contactPhone: Phone = None
    county: Name = None


def _scope(
    row: ResourceRow, unit: UnitRef, ctx: LoadContext, plan: RowPlan
) -> tuple[ServiceScope, list[str]]:
    county = unit.county
    if not row.scope:
        return ServiceScope.COUNTY, [county]
    division = ctx.places.index.by_code(county)
    assert division is not None
    found: dict[str, ServiceScope] = {}
    problems: list[Problem] = []
    for name in row.scope:
        meaning = scopes.meaning(division, name)
        if meaning is None:
            try:
                place = ctx.places.within_county(county, name, "scope")
            except Rejected as e:
                problems += e.problems
                continue
            level = ServiceScope.STREET if place.level is Level.STREET else ServiceScope.COMMUNITY
            found[place.code] = level
            continue
        what, other = meaning
        if what != "county" and unit.communities:
            level = ServiceScope.STREET if what == "street" else ServiceScope.COMMUNITY
            cut = 9 if what == "street" else 12
            found |= {code[:cut].ljust(12, "0"): level for code in unit.communities}
            continue
        found[county] = ServiceScope.COUNTY
        if what != "county" or other is not None:
            plan.warnings.append(_read_as_county(division, name, other, unit))
    if problems:
        raise Rejected(problems)
    widest = max(found.values(), key=_SCOPE_RANK.__getitem__)
    return widest, list(found)


def _read_as_county(county: Division, word: str, other: str | None, unit: UnitRef) -> Problem:
    whole = f"全{kind_word(county.name)}"
    if other is not None:
        why = f"{county.name}不是{other}：“{word}”已按{whole}保存"
    else:
        why = f"{unit.name}没有联系社区，无法确定“{word}”指哪里：已按{whole}保存；请在联系单位名册中填写联系社区"
    return Problem("scope", why, "SCOPE_READ_AS_COUNTY", word)


def _category(plan: RowPlan, row: ResourceRow, ctx: LoadContext) -> dict[str, Any]:
    """A category of the vocabulary as given; else inferred from the name and description
    (the demand classifier: the two lists share one vocabulary), the cell kept and a
    warning for someone to confirm."""
    given = choose(Category, row.category) if row.category else None
    if given is not None:
        return {"category": given.value, "categoryGiven": None, "categoryInferred": False}
    decided = (
        ctx.resource_categories.get((row.name, row.description or ""))
        or (classify.default_classifier().provisional_many([(row.name, row.description or "")])[0])
    )
    guess = decided.inference
    later = "" if decided.final else "导入后将结合语义细化，"
    reason = inferred_reason("资源类别", "名称和描述", row.category, guess, later)
    plan.warnings.append(Problem("category", reason, "INFERRED_CATEGORY", row.category))
    return {
        "category": guess.category.value,
        "categoryGiven": row.category,
        "categoryInferred": True,
        "categoryConfidence": guess.confidence,
        "categoryInferredBy": STACKED if decided.final else LEXICAL,
    }


def _capacity(row: ResourceRow) -> tuple[int, str | None]:
    if row.quantity is None:
        return 1, row.measure
    value, unit = row.quantity
    if not value.is_integer() or value < 0:
        raise reject("quantity", f"数量应为不小于 0 的整数，收到 {value:g}", "NOT_AN_INTEGER")
    return int(value), row.measure or unit


def plan_row(row: ResourceRow, ref: RowRef, ctx: LoadContext) -> RowPlan:
    checks = Checks()
    county = checks(ctx.places.county, row.county) if row.county else None
    unit = checks(ctx.unit, row.unit, "unit", county=county.code if county else None)
    amount = checks(_capacity, row)
    resource = derived_id("Resource", unit.id, row.name) if unit else ""
    plan = RowPlan(ref, "Resource", resource)
    where = checks(_scope, row, unit, ctx, plan) if unit else None
    checks.done()
    assert unit is not None and amount is not None and where is not None
    (capacity, measure), (scope, places) = amount, where
    props: dict[str, Any] = {
        "name": row.name,
        **_category(plan, row, ctx),
        "description": row.description,
        "capacity": capacity,
        "measure": measure,
        "scope": scope.value,
        "scopeIds": places,
        "availableTime": row.availableTime,
        "contactName": row.contactName,
        "contactPhone": row.contactPhone,
        "unitId": unit.id,
    }
    plan.node("Resource", resource, props)
    plan.link("Resource", "OFFERS", resource, [unit.id], side="end")
    plan.link("Resource", "AVAILABLE_IN", resource, places)
    plan.places |= set(places)
    plan.accepted.append(lambda: ctx.add_resource(ResourceRef(resource, row.name, unit.id)))
    return plan


async def defaults(store: Store, ctx: LoadContext) -> None:
    """A new resource is available and nothing of it is allocated yet."""
    await store.run(loading.RESOURCE_DEFAULTS, status=ResourceStatus.AVAILABLE.value)


async def prepare(rows: Sequence[ResourceRow], ctx: LoadContext) -> None:
    """The lexical decision, in one batch, on the resources whose category is missing or
    not in the vocabulary, as for demands (``loaders.kinds.infer.classify_missing``;
    ``loaders.refine`` embeds them after the load)."""
    await classify_missing(
        ctx.store,
        [(r.name, r.description, r.category) for r in rows],
        ctx.resource_categories,
        "Resource",
    )


KIND = Kind(
    "resources", "资源清单", COLUMNS, ResourceRow, plan_row, prepare=prepare, after_all=defaults
)
