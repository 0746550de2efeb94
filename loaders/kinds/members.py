"""双报到党员: in-service party members registered where they live, and what they claimed."""

from __future__ import annotations

from domain.ids import derived_id
from domain.vocab import RoleKind
from loaders.context import LoadContext, UnitRef
from loaders.fields import Amount, Name, Names, Phone, RequiredName, RowModel
from loaders.headers import Column
from loaders.kinds.base import Kind
from loaders.kinds.common import COUNTY, PHONE, STREET
from loaders.plan import Problem, Rejected, RowPlan, RowRef

COLUMNS = (
    Column("name", "姓名", ("党员姓名", "名字"), signature=True, example="张三"),
    Column("unit", "工作单位", ("单位", "所在单位", "工作单位名称", "单位名称"),
           example="合江县住房和城乡建设局"),
    Column("community", "居住社区", ("报到社区", "社区", "所在社区", "居住地社区", "社区名称"),
           signature=True, example="百花亭社区"),
    Column("items", "认领服务项目", ("认领项目", "服务项目", "认领事项", "认领岗位"),
           example="政策宣传、垃圾分类督导", note="多项用顿号分隔"),
    Column("hours", "服务时长", ("服务时长(小时)", "累计服务时长", "时长", "服务小时数"),
           example="24"),
    Column(PHONE.key, PHONE.header, PHONE.synonyms, example=PHONE.example),
    Column(STREET.key, STREET.header, STREET.synonyms, example="符阳街道"),
    Column(COUNTY.key, COUNTY.header, COUNTY.synonyms, example="合江县"),
)  # fmt: skip

_KIND = RoleKind.REGISTERED_MEMBER.value


class MemberRow(RowModel):
    name: RequiredName
    unit: Name = None
    community: RequiredName
    items: Names = ()
    hours: Amount = None
    phone: Phone = None
    street: Name = None
    county: Name = None


def _unit(row: MemberRow, community: str, ctx: LoadContext, plan: RowPlan) -> UnitRef | None:
    """The member's work unit when it is a unit of the graph or the load; a unit that is
    none (a 在职党员 of an office that liaises with no community) is kept as written, with
    a warning: the member still reported to the community."""
    if not row.unit:
        return None
    try:
        return ctx.unit(row.unit, "unit", prefer=community[:6] + "000000")
    except Rejected as e:
        if any(p.code != "UNKNOWN_UNIT" for p in e.problems):
            raise
    plan.warnings.append(Problem(
        "unit", f"工作单位“{row.unit}”不在联系单位名册中：已照录，未关联单位；"
        "如是联系单位，请先在联系单位名册中登记", "UNKNOWN_UNIT", row.unit,
    ))  # fmt: skip
    return None


def plan_row(row: MemberRow, ref: RowRef, ctx: LoadContext) -> RowPlan:
    community = ctx.places.community(row.county, row.street, row.community).code
    plan = RowPlan(ref, "Role", "")
    unit = _unit(row, community, ctx, plan)
    person = ctx.people.add(plan, row.name, row.phone, community, unit.id if unit else None)
    plan.id = derived_id("Role", _KIND, community, row.name, row.phone or "")
    plan.nodes.insert(0, ("Role", plan.id, {
        "kind": _KIND, "personId": person, "placeId": community,
        "claimedItems": list(row.items), "serviceHours": row.hours,
        "unitGiven": row.unit if row.unit and unit is None else None,
    }))  # fmt: skip
    plan.places.add(community)
    plan.link("Role", "HOLDS", plan.id, [person], side="end")
    plan.link("Role", "AT", plan.id, [community])
    plan.link("Person", "WORKS_AT", person, [unit.id] if unit else [])
    return plan


KIND = Kind("members", "双报到党员", COLUMNS, MemberRow, plan_row)
