"""书记名册: who holds which post where: street, community or compound.

A post one person holds at a time (a community's first secretary) is keyed by
the post and place, so naming a new holder replaces the old one; other posts
(a part-time member, a grid branch secretary) are keyed by the person too.
"""

from __future__ import annotations

from typing import Annotated

from domain.clock import today
from domain.ids import derived_id
from domain.vocab import RoleKind, labels
from loaders.context import LoadContext
from loaders.fields import Name, Phone, Picked, RequiredName, RowModel, SoftDate, Text, open_choice
from loaders.headers import Column
from loaders.kinds.base import Kind
from loaders.kinds.common import (
    COMMUNITY,
    COMPOUND,
    COUNTY,
    PHONE,
    STREET,
    add_compound,
    dated,
    picked,
)
from loaders.plan import RowPlan, RowRef, reject

COLUMNS = (
    Column(COUNTY.key, COUNTY.header, COUNTY.synonyms, example="合江县"),
    Column(STREET.key, STREET.header, STREET.synonyms, example="符阳街道"),
    Column(COMMUNITY.key, COMMUNITY.header, COMMUNITY.synonyms, example="桂圆林社区"),
    Column(COMPOUND.key, COMPOUND.header, COMPOUND.synonyms, example=""),
    Column("kind", "职务", ("职位", "担任职务", "书记类型", "岗位", "职务类型", "现任职务", "所任职务",
                          "职务名称", "社区职务"), signature=True,
           choices=tuple(labels(RoleKind)), example="第一书记"),
    Column("name", "姓名", ("书记姓名", "人员姓名", "名字"), signature=True, example="张三"),
    Column("title", "单位及职务", ("工作单位及职务", "单位职务", "原单位及职务", "派出单位及职务",
                                "派出单位"),
           example="县委常委、组织部部长"),
    Column(PHONE.key, PHONE.header, PHONE.synonyms, example=PHONE.example),
    Column("since", "任职日期", ("任职时间", "到任时间", "任职起始日期"), example="2021-09-26"),
)  # fmt: skip

STREET_POSTS = frozenset({RoleKind.STREET_SECRETARY})
COMMUNITY_POSTS = frozenset({
    RoleKind.FIRST_SECRETARY, RoleKind.COMMUNITY_SECRETARY, RoleKind.DEPUTY_SECRETARY,
    RoleKind.GRID_SECRETARY, RoleKind.PART_TIME_MEMBER,
})  # fmt: skip
COMPOUND_POSTS = frozenset({RoleKind.COMPOUND_SECRETARY, RoleKind.PROPERTY_SECRETARY})
#: posts one person holds at a time at a place
SINGLE_HOLDER = frozenset({
    RoleKind.FIRST_SECRETARY, RoleKind.STREET_SECRETARY, RoleKind.COMMUNITY_SECRETARY,
    RoleKind.COMPOUND_SECRETARY, RoleKind.PROPERTY_SECRETARY,
})  # fmt: skip


class RoleRow(RowModel):
    county: Name = None
    street: Name = None
    community: Name = None
    compound: Name = None
    kind: Annotated[Picked[RoleKind] | None, open_choice(RoleKind, RoleKind.OTHER, near=False)] = (
        None
    )
    name: RequiredName
    title: Text = None
    phone: Phone = None
    since: SoftDate = None


def _place(row: RoleRow, kind: RoleKind, ctx: LoadContext) -> tuple[str, str]:
    """The place the post is held at, and the county it lies in. A post not in the list
    (OTHER) is held at the community when one is given, else at the street."""
    post = kind.label
    if kind in STREET_POSTS or (kind is RoleKind.OTHER and row.street and not row.community):
        if not row.street:
            raise reject("street", f"{post}须填写街道", "REQUIRED")
        street = ctx.places.street(row.county, row.street).code
        return street, street[:6] + "000000"
    if not row.community:
        raise reject("community", f"{post}须填写社区", "REQUIRED")
    community = ctx.places.community(row.county, row.street, row.community).code
    if kind in COMPOUND_POSTS and not row.compound:
        raise reject("compound", f"{post}须填写小区", "REQUIRED")
    return community, community[:6] + "000000"


def plan_row(row: RoleRow, ref: RowRef, ctx: LoadContext) -> RowPlan:
    plan = RowPlan(ref, "Role", "")
    value, given = picked(plan, row.kind, "kind", "职务", RoleKind.OTHER)
    kind = RoleKind.of(value)
    place, county = _place(row, kind, ctx)
    plan.places.add(place)
    area = place
    if row.compound and kind not in STREET_POSTS and kind not in COMMUNITY_POSTS:
        place = add_compound(plan, place, row.compound)
    unit = ctx.unit_in_text(row.title, county) if row.title else None
    person = ctx.people.add(plan, row.name, row.phone, area, unit.id if unit else None)
    if kind in SINGLE_HOLDER:
        plan.id = derived_id("Role", kind.value, place)
    else:
        plan.id = derived_id("Role", kind.value, place, row.name, row.phone or "")
    since, since_given = dated(plan, row.since, "since", "任职日期", today())
    plan.nodes.insert(0, ("Role", plan.id, {
        "kind": kind.value, "kindGiven": given, "personId": person, "placeId": place,
        "title": row.title, "unitId": unit.id if unit else None, "since": since,
        "sinceGiven": since_given,
    }))  # fmt: skip
    plan.link("Role", "HOLDS", plan.id, [person], side="end")
    plan.link("Role", "AT", plan.id, [place])
    plan.link("Role", "FOR_UNIT", plan.id, [unit.id] if unit else [])
    return plan


KIND = Kind("roles", "书记名册", COLUMNS, RoleRow, plan_row)
