"""区划: counties, streets and communities with their official codes and sizes.

A community missing from the 2023 list is declared by this roster: it is
accepted (with its code when the roster gives one, else a provisional code
from 901 in its street) and flagged, so that a typo is noticed.
"""

from __future__ import annotations

from typing import Any

from divisions import DeclaredCommunity, Division, Level
from divisions.names import community_stem
from domain.ids import pad_division_code
from loaders.context import LoadContext
from loaders.fields import Count, RequiredName, RowModel, Text
from loaders.headers import Column
from loaders.kinds.base import Kind
from loaders.kinds.common import COMMUNITY, COUNTY, STREET
from loaders.plan import Problem, RowPlan, RowRef, reject

COLUMNS = (
    Column(COUNTY.key, "县(市、区)", (COUNTY.header, *COUNTY.synonyms), signature=True,
           example="合江县"),
    Column(STREET.key, "街道(乡镇)", (STREET.header, *STREET.synonyms), signature=True,
           example="符阳街道"),
    Column(COMMUNITY.key, "社区", COMMUNITY.synonyms, signature=True, example="桂圆林社区"),
    Column("code", "区划代码", ("统计用区划代码", "社区代码", "行政区划代码", "代码", "区划编码"),
           example="510522001006", note="12 位统计用区划代码；新设社区可不填"),
    Column("households", "户数", ("总户数", "居民户数", "户籍户数"), example="9860"),
    Column("population", "常住人口", ("人口", "常住人口数", "人口数", "居民人数", "总人口"),
           example="28700"),
)  # fmt: skip


class DivisionRow(RowModel):
    county: RequiredName
    street: RequiredName
    community: RequiredName
    code: Text = None
    households: Count = None
    population: Count = None


def _by_code(row: DivisionRow, street: Division, ctx: LoadContext) -> Division | None:
    """The official community of the row's code; None when the code is not in the list."""
    assert row.code is not None
    try:
        code = pad_division_code(row.code)
    except ValueError as e:
        raise reject("code", str(e), "INVALID_CODE", row.code) from None
    if code[:9] != street.code[:9] or code[9:] == "000":
        raise reject("code", f"区划代码 {code} 不是{street}下的社区代码", "INVALID_CODE", row.code)
    official = ctx.places.index.by_code(code)
    if official is None:
        return None
    if community_stem(official.name) != community_stem(row.community):
        raise reject(
            "code",
            f"区划代码 {code} 是{official.short_name}，与所填社区“{row.community}”不符",
            "CODE_MISMATCH",
            row.code,
        )
    return official


def _declare(
    row: DivisionRow, street: Division, code: str | None, plan: RowPlan, ctx: LoadContext
) -> Division:
    miss = ctx.places.index.community(street.code, row.community)
    try:
        index = ctx.places.index.with_declared(
            [DeclaredCommunity(row.community, street.code, code)]
        )
    except ValueError as e:
        raise reject("community", str(e), "INVALID_DECLARATION", row.community) from None
    ctx.places.declare(index)
    division = index.community(street.code, row.community).unwrap()
    near = "、".join(map(str, miss.candidates[:3]))
    plan.warnings.append(Problem(
        "community",
        f"2023 年统计用区划代码中没有{street.name}“{row.community}”，已按区划名册新增"
        f"（代码 {division.code}{'，临时代码' if division.provisional else ''}）"
        + (f"；如是笔误，最接近的有：{near}" if near else ""),
        "DECLARED_COMMUNITY",
        row.community,
    ))  # fmt: skip
    return division


def plan_row(row: DivisionRow, ref: RowRef, ctx: LoadContext) -> RowPlan:
    county = ctx.places.county(row.county)
    street = ctx.places.street(county.code, row.street)
    plan = RowPlan(ref, "Community", "")
    community: Division | None = None
    code: str | None = None
    if row.code:
        community = _by_code(row, street, ctx)
        code = pad_division_code(row.code)
    if community is None:
        found = ctx.places.index.community(street.code, row.community)
        if found.ok and found.division is not None and (code is None or found.code == code):
            community = found.division
        elif found.status == "ambiguous":
            raise reject("community", found.reason, "AMBIGUOUS_PLACE", row.community)
        else:
            community = _declare(row, street, code, plan, ctx)
    assert community.level is Level.COMMUNITY
    plan.id = community.code
    for label, node_id, props in ctx.places.nodes(community.code):
        extra: dict[str, Any] = {}
        if label == "Community":
            extra = {"households": row.households, "population": row.population}
        plan.node(label, node_id, props | extra)
        if label != "County":
            plan.link(label, "PART_OF", node_id, [str(props.get("countyId") or props["streetId"])])
    return plan


# a row with bad cells must not declare its community: it is not planned
KIND = Kind("divisions", "区划", COLUMNS, DivisionRow, plan_row, partial=False)
