"""Pieces several roster kinds share: compounds and buildings, categories, columns."""

from __future__ import annotations

import contextlib
import functools
from datetime import date
from typing import Any

from domain.ids import derived_id
from domain.vocab import Category, Vocab, labels
from loaders.cells import V
from loaders.fields import Dated, Picked
from loaders.headers import Column
from loaders.plan import Problem, RowPlan

#: the county column, as districts, county-level cities and banners head it too
#: (headers are compared without brackets: 所属县（区） is 所属县, 县（市、区） is 县)
COUNTY_SYNONYMS = (
    "县(市、区)", "所属县", "所属县(市、区)", "区县", "县区", "县市区", "县(区)", "所属区县",
    "所属县区", "所属县市区", "区", "所属区", "旗", "所属旗", "旗县", "所属旗县", "旗(县、市、区)",
    "县级市", "县(市)", "县市", "区县名称", "县区名称", "县名", "区名", "所属区县名称", "行政区",
    "所属行政区", "区县(市)", "县(市、区、旗)", "县级区划", "所在县", "所在区", "所在区县",
)  # fmt: skip
COUNTY = Column("county", "县", COUNTY_SYNONYMS)
STREET = Column(
    "street", "街道", ("街道(乡镇)", "乡镇", "乡镇(街道)", "所属街道", "街道名称", "街道办事处",
               "镇", "乡", "镇街", "街镇", "乡镇街道", "街道乡镇", "镇街道", "所在街道", "所在乡镇",
               "所属乡镇", "苏木", "乡镇苏木", "苏木乡镇", "街道/乡镇", "乡镇/街道", "街道办"),
)  # fmt: skip
COMMUNITY = Column(
    "community", "社区", ("社区名称", "所在社区", "所属社区", "社区(村)", "居委会", "社区居委会")
)
COMPOUND = Column(
    "compound", "小区", ("小区名称", "小区(院落)", "院落", "院落名称", "所在小区", "小区院落")
)
BUILDING = Column("building", "楼栋", ("楼栋号", "楼号", "栋", "楼栋名称", "楼栋(单元)", "栋号"))
PHONE = Column(
    "phone",
    "联系电话",
    ("电话", "手机", "联系方式", "手机号", "手机号码", "联系手机", "电话号码", "办公电话"),
    example="13812345678",
)
CATEGORIES = tuple(labels(Category))


def picked(
    plan: RowPlan, value: Picked[Any] | None, column: str, what: str, default: Vocab
) -> tuple[str, str | None]:
    """The stored value of an open vocabulary cell and its text as written (None when
    known); a warning for an empty cell (the default) or an unknown word (kept)."""
    if value is None:  # no such column: the default, silently
        return default.value, None
    member = value.member
    if value.how == "missing":
        plan.warnings.append(
            Problem(column, f"{what}为空，已按默认“{member.label}”保存", "MISSING_VALUE")
        )
    elif value.how != "known":
        accepted = "、".join(labels(type(member)))
        plan.warnings.append(Problem(
            column,
            f"{what}“{value.given}”不在{what}表中，已按“{member.label}”保存并保留原文；"
            f"可填：{accepted}",
            "UNKNOWN_CHOICE",
            value.given,
        ))  # fmt: skip
    return member.value, value.given


def _latest(month: int, day: int, today: date) -> date:
    """The latest date of this month and day not after ``today`` (2月29日: a leap year's)."""
    year = today.year
    while True:
        try:
            found = date(year, month, day)
        except ValueError:
            year -= 1
            continue
        if found <= today:
            return found
        year -= 1


def _nearest(month: int, day: int, today: date) -> date:
    """The date of this month and day nearest ``today``, before or after it (a plan's)."""
    found = [_latest(month, day, today)]
    for year in (today.year, today.year + 1):
        with contextlib.suppress(ValueError):  # 2月29日 of a common year
            found.append(date(year, month, day))
    return min(found, key=lambda d: (abs((d - today).days), d))


def dated(
    plan: RowPlan,
    value: Dated | None,
    column: str,
    what: str,
    today: date,
    *,
    planned: bool = False,
) -> tuple[str | None, str | None]:
    """The stored ISO date of a ``SoftDate`` cell and its text as written (None when it
    was a whole date): a month and day take the latest year that does not put them after
    ``today`` (a date something happened), or with ``planned`` the year that puts them
    nearest ``today`` (a date something is planned for: 12月底 in November is this year's);
    a cell with no date in it is stored empty. Both with a warning."""
    if value is None or value.how == "known":
        return (value.iso if value else None), None
    if value.how == "no_day":
        plan.warnings.append(Problem(
            column, f"{what}“{value.given}”没有写日，已按 {value.iso} 保存，请核对",
            "DATE_WITHOUT_DAY", value.given,
        ))  # fmt: skip
        return value.iso, value.given
    if value.month_day is not None:
        month, day = value.month_day
        found = (_nearest if planned else _latest)(month, day, today)
        plan.warnings.append(Problem(
            column, f"{what}“{value.given}”没有写年份，已按 {found.isoformat()} 保存，请核对",
            "DATE_WITHOUT_YEAR", value.given,
        ))  # fmt: skip
        return found.isoformat(), value.given
    plan.warnings.append(Problem(
        column,
        f"{what}“{value.given}”不是日期，已照录原文、日期留空；"
        "请写成 2024-03-05、2024/3/5 或 2024年3月5日",
        "UNREAD_DATE",
        value.given,
    ))  # fmt: skip
    return None, value.given


def written(
    plan: RowPlan, value: Picked[V] | None, column: str, what: str
) -> tuple[V | None, str | None]:
    """An open vocabulary cell whose empty or unknown value is inferred later: the member
    (None to infer) and the text as written when it was not known; a warning for a word
    not in the vocabulary (kept, and read as the member it contains when it has one)."""
    if value is None or value.how == "missing":
        return None, None
    if value.how == "known":
        return value.member, None
    member = value.member if value.how == "near" else None
    read = f"已按“{member.label}”保存" if member else "已推断"
    accepted = "、".join(labels(type(value.member)))
    plan.warnings.append(Problem(
        column, f"{what}“{value.given}”不在{what}表中，{read}并保留原文；可填：{accepted}",
        "UNKNOWN_CHOICE", value.given,
    ))  # fmt: skip
    return member, value.given


@functools.lru_cache(maxsize=1 << 16)
def place_id(label: str, *key: str) -> str:
    """``derived_id`` for compounds and buildings, which many rows name again and again."""
    return derived_id(label, *key)


def add_compound(plan: RowPlan, community: str, name: str) -> str:
    compound = place_id("Compound", community, name)
    plan.node("Compound", compound, {"name": name, "communityId": community})
    plan.link("Compound", "PART_OF", compound, [community])
    plan.places.add(community)
    return compound


def add_building(
    plan: RowPlan, community: str, compound: str, name: str, households: int | None = None
) -> str:
    compound_id = add_compound(plan, community, compound)
    building = place_id("Building", community, compound, name)
    props: dict[str, Any] = {"name": name, "compoundId": compound_id}
    if households is not None:
        props["households"] = households
    plan.node("Building", building, props)
    plan.link("Building", "PART_OF", building, [compound_id])
    return building
