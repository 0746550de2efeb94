"""两长两员: per building, its head, party group leader, grid worker and registered members.

A row is the whole truth about its building's four roles: someone no longer
named loses the role at that building. The phone is the building head's.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.ids import derived_id
from domain.vocab import BUILDING_ROLES, RoleKind
from graph.queries import loading
from graph.store import Store
from loaders.context import LoadContext
from loaders.fields import Count, Name, Names, Phone, RequiredName, RowModel
from loaders.headers import Column
from loaders.kinds.base import Kind
from loaders.kinds.common import BUILDING, COMMUNITY, COMPOUND, COUNTY, PHONE, STREET, add_building
from loaders.plan import RowPlan, RowRef

COLUMNS = (
    Column(STREET.key, STREET.header, STREET.synonyms, example="符阳街道"),
    Column(COMMUNITY.key, COMMUNITY.header, COMMUNITY.synonyms, signature=True,
           example="百花亭社区"),
    Column(COMPOUND.key, COMPOUND.header, COMPOUND.synonyms, signature=True, example="江南小区"),
    Column(BUILDING.key, BUILDING.header, BUILDING.synonyms, signature=True, example="1栋"),
    Column("households", "户数", ("楼栋户数", "住户数", "总户数"), example="48"),
    Column("heads", "楼栋长", ("单元长", "楼长"), example="张三"),
    Column("leaders", "党小组长", ("楼栋党小组长",), example="李四"),
    Column("workers", "网格员", ("专职网格员", "网格管理员"), example="王五"),
    Column("members", "双报到党员", ("报到党员", "在职党员", "双报到党员姓名"),
           example="赵六、钱七", note="多人用顿号分隔"),
    Column(PHONE.key, PHONE.header, PHONE.synonyms, example=PHONE.example,
           note="楼栋长的电话"),
    Column(COUNTY.key, COUNTY.header, COUNTY.synonyms, example="合江县"),
)  # fmt: skip

_KINDS = [kind.value for kind in BUILDING_ROLES]


class BuildingRow(RowModel):
    county: Name = None
    street: Name = None
    community: RequiredName
    compound: RequiredName
    building: RequiredName
    households: Count = None
    heads: Names = ()
    leaders: Names = ()
    workers: Names = ()
    members: Names = ()
    phone: Phone = None


def plan_row(row: BuildingRow, ref: RowRef, ctx: LoadContext) -> RowPlan:
    community = ctx.places.community(row.county, row.street, row.community).code
    plan = RowPlan(ref, "Building", "")
    plan.id = add_building(plan, community, row.compound, row.building, row.households)
    people = (
        (RoleKind.BUILDING_HEAD, row.heads),
        (RoleKind.GROUP_LEADER, row.leaders),
        (RoleKind.GRID_WORKER, row.workers),
        (RoleKind.REGISTERED_MEMBER, row.members),
    )
    for kind, names in people:
        for index, name in enumerate(names):
            phone = row.phone if kind is RoleKind.BUILDING_HEAD and index == 0 else None
            person = ctx.people.add(plan, name, phone, community)
            role = derived_id("Role", kind.value, plan.id, name)
            plan.node("Role", role, {"kind": kind.value, "personId": person, "placeId": plan.id})
            plan.link("Role", "HOLDS", role, [person], side="end")
            plan.link("Role", "AT", role, [plan.id])
    return plan


async def prune(store: Store, plans: Sequence[RowPlan], ctx: LoadContext) -> set[str]:
    """Remove the roles at these buildings that their rows no longer name."""
    wanted = {node_id for plan in plans for label, node_id, _ in plan.nodes if label == "Role"}
    rows = await store.run(
        loading.ROLES_AT_BUILDINGS, ids=[plan.id for plan in plans], kinds=_KINDS
    )
    stale = {row["role"]: row["building"] for row in rows if row["role"] not in wanted}
    if stale:
        await store.run(loading.DELETE_ROLES, ids=sorted(stale))
    return set(stale.values())


KIND = Kind("buildings", "两长两员", COLUMNS, BuildingRow, plan_row, after_batch=prune)
