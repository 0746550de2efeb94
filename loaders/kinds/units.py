"""联系单位: units, the communities they liaise with (牵头 = lead) and their party organization."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated

from divisions import kind_word
from domain.ids import derived_id
from domain.vocab import PartyOrgKind, RoleKind, UnitKind, labels
from loaders.cells import CellError, phone
from loaders.context import LoadContext, UnitRef
from loaders.fields import Name, Names, Phone, Picked, RequiredName, RowModel, open_choice
from loaders.headers import Column
from loaders.kinds.base import Kind
from loaders.kinds.common import COUNTY, PHONE, STREET, picked
from loaders.plan import Problem, Rejected, RowPlan, RowRef, reject

COLUMNS = (
    Column("name", "单位名称", ("单位", "单位全称", "联系单位", "联系单位名称", "名称"),
           signature=True, example="合江县住房和城乡建设局"),
    Column("kind", "单位类型", ("类型", "单位性质", "单位类别", "单位属性", "类别"),
           choices=tuple(labels(UnitKind)), example="县级部门",
           note="其他写法照录并提醒，按最接近的类型或“其他”保存"),
    Column("county", "所属县", (COUNTY.header, *COUNTY.synonyms), example="合江县"),
    Column(STREET.key, "联系社区所在街道", (STREET.header, *STREET.synonyms), example="符阳街道",
           note="可不填；填了，联系社区按街道和社区名查找，没有所属县列时也能确定县"),
    Column("communities", "联系社区", ("联系的社区", "包联社区", "结对社区", "共建社区",
                                    "联系社区名称", "社区"), signature=True,
           example="百花亭社区、桂圆林社区", note="多个社区用顿号分隔"),
    Column("lead", "牵头社区", ("牵头联系社区", "牵头", "是否牵头", "是否牵头单位", "是否为牵头单位",
                             "牵头联系"), example="百花亭社区",
           note="牵头联系的社区；或填“是”：本行的联系社区都由本单位牵头"),
    Column("orgName", "党组织名称", ("党组织", "单位党组织", "党组织全称"),
           example="中共合江县住房和城乡建设局党组"),
    Column("orgHead", "党组织负责人", ("党组织书记", "负责人", "书记"), example="张三"),
    Column(PHONE.key, PHONE.header, PHONE.synonyms, example="0830-5211297"),
)  # fmt: skip


class UnitRow(RowModel):
    name: RequiredName
    kind: Annotated[Picked[UnitKind] | None, open_choice(UnitKind, UnitKind.OTHER)] = None
    county: Name = None
    street: Name = None
    communities: Names = ()
    lead: Names = ()
    orgName: Name = None
    orgHead: Name = None
    phone: Phone = None


def _county(row: UnitRow, ctx: LoadContext) -> str:
    """The unit's county: its column, the load's county, else the one county its liaison
    communities (with their street) are in."""
    if row.county:
        return ctx.places.county(row.county).code
    implied = ctx.places.implied()
    if implied is not None:
        return implied
    if row.street and row.communities:
        try:
            found = {
                ctx.places.community(None, row.street, name).code[:6]
                for name in (*_marked(row.communities)[0], *_led(row))
            }
        except Rejected:
            found = set()
        if len(found) == 1:
            return found.pop().ljust(12, "0")
    if ctx.units_county is not None:
        return ctx.units_county
    raise reject("county", "请填写所属县（区、市、旗），或导入时指定县（--county）", "REQUIRED")


async def prepare(rows: Sequence[UnitRow], ctx: LoadContext) -> None:
    """The county of the rows that name none, from the communities they name together
    (``Places.holding``): a units roster without a county column, loaded with nothing
    else to say where it is."""
    blind = [row for row in rows if not row.county]
    ctx.units_county = ctx.places.adopt(
        [(*_marked(row.communities)[0], *_led(row)) for row in blind]
    )


def _mobile(text: str | None) -> str | None:
    first = (text or "").split("、")[0]
    try:
        return first if len(first) == 11 and phone(first) == first else None
    except CellError:
        return None


#: a 牵头 cell that answers yes or no (是否牵头) instead of naming communities
_YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "1", "牵头", "是牵头单位", "true"})
_NO = frozenset({"否", "×", "✗", "n", "no", "0", "不是", "非牵头", "false", "-", "—", "无"})


#: a liaison community marked as the one the unit leads: 百花亭社区（牵头）, 百花亭社区★
_LEAD_MARK = re.compile(r"\s*(?:[（(【\[]\s*牵头(?:单位|社区)?\s*[)）】\]]|[★☆])\s*")
_OTHER_MARK = re.compile(r"[*＊※√✓✔]")


def _marked(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names with their marks taken off, and those marked as led."""
    clean, led = [], []
    for name in names:
        bare = _OTHER_MARK.sub("", _LEAD_MARK.sub("", name)).strip()
        clean.append(bare)
        if _LEAD_MARK.search(name):
            led.append(bare)
    return tuple(clean), tuple(led)


def _led(row: UnitRow) -> tuple[str, ...]:
    """The communities the unit leads: those named, or every one of the row's when the
    cell says yes (是否牵头: 是), none when it says no; and those marked in 联系社区."""
    communities, marked = _marked(row.communities)
    words = {w.strip().lower() for w in row.lead}
    if words and words <= _YES:
        return communities
    if words and words <= _NO:
        return marked
    return tuple(dict.fromkeys((*_marked(row.lead)[0], *marked)))


def plan_row(row: UnitRow, ref: RowRef, ctx: LoadContext) -> RowPlan:
    county = _county(row, ctx)
    unit = derived_id("Unit", county, row.name)
    plan = RowPlan(ref, "Unit", unit)
    liaisons: dict[str, dict[str, bool]] = {}
    problems: list[Problem] = []
    for column, names in (("communities", _marked(row.communities)[0]), ("lead", _led(row))):
        for name in names:
            try:
                code = ctx.places.community(
                    county, row.street, name, columns={"community": column}
                ).code
            except Rejected as e:
                problems += e.problems
                continue
            liaisons[code] = {"lead": column == "lead" or liaisons.get(code, {}).get("lead", False)}
    if problems:
        raise Rejected(problems)
    kind, given = picked(plan, row.kind, "kind", "单位类型", UnitKind.OTHER)
    place = ctx.places.index.by_code(county)
    label = UnitKind.of(kind).label_in(kind_word(place.name) if place else "县")
    plan.node("Unit", unit, {
        "name": row.name, "kind": kind, "kindGiven": given, "kindLabel": label, "countyId": county,
        "partyOrgName": row.orgName, "phone": row.phone,
    })  # fmt: skip
    plan.places |= {county, *liaisons}
    plan.link("Unit", "IN_COUNTY", unit, [county])
    plan.link("Unit", "LIAISES_WITH", unit, liaisons)
    if row.orgName or row.orgHead:
        org = derived_id("PartyOrganization", unit)
        plan.node("PartyOrganization", org, {
            "name": row.orgName or f"{row.name}党组织", "kind": PartyOrgKind.UNIT_ORGANIZATION.value,
        })  # fmt: skip
        plan.link("PartyOrganization", "BELONGS_TO", org, [unit])
        if row.orgHead:
            person = ctx.people.add(plan, row.orgHead, _mobile(row.phone), unit)
            role = derived_id("Role", RoleKind.UNIT_SECRETARY.value, org)
            plan.node("Role", role, {
                "kind": RoleKind.UNIT_SECRETARY.value, "personId": person, "placeId": org,
                "unitId": unit,
            })  # fmt: skip
            plan.link("Role", "HOLDS", role, [person], side="end")
            plan.link("Role", "AT", role, [org])
            plan.link("Role", "FOR_UNIT", role, [unit])
    communities = tuple(sorted(liaisons))
    plan.accepted.append(lambda: ctx.add_unit(UnitRef(unit, row.name, county), communities))
    return plan


#: the unit's own cells two rows of it may both fill: (property, column key, header)
_OWN_CELLS = (("kind", "kind", "单位类型"), ("partyOrgName", "orgName", "党组织名称"),
              ("phone", "phone", "联系电话"))  # fmt: skip


def combine(first: RowPlan, again: RowPlan, ctx: LoadContext) -> list[Problem]:
    """A later row of a unit an earlier row of the load read (one row per liaison
    community, the unit's cells merged or repeated): its liaison communities (and lead
    marks) join the first row's, its party organization too when the first row had
    none; a cell the first row left empty is filled from it; a cell that says otherwise
    is kept as the first row says, with a warning. The warnings for the later row."""
    where = (
        f"第 {first.ref.row} 行"
        if first.ref.file == again.ref.file
        else (f"{first.ref.file} 第 {first.ref.row} 行")
    )
    mine, theirs = first.nodes[0][2], again.nodes[0][2]
    notes: list[Problem] = []
    defaulted = _defaulted(again)
    for prop, column, header in _OWN_CELLS:
        if theirs.get(prop) is None or theirs.get(prop) == mine.get(prop) or column in defaulted:
            continue
        if mine.get(prop) is None or (prop == "kind" and "kind" in _defaulted(first)):
            mine[prop] = theirs[prop]
            if prop == "kind":
                mine["kindGiven"], mine["kindLabel"] = theirs.get("kindGiven"), theirs["kindLabel"]
            continue
        written = str(theirs[prop])
        if prop == "kind":
            written = theirs.get("kindGiven") or UnitKind.of(written).label
        notes.append(Problem(column, f"{header}与{where}不同，按{where}保存", "ROWS_DIFFER",
                             written))  # fmt: skip
    _fold(first, again)
    liaisons = next(s for s in first.links if s.rel == "LIAISES_WITH")
    unit = UnitRef(first.id, str(mine["name"]), str(mine["countyId"]))
    communities = tuple(sorted(liaisons.targets))
    first.accepted = [lambda: ctx.add_unit(unit, communities)]
    ctx.add_unit(unit, communities)  # the first row may be accepted already
    said = {(w.column, w.code, w.value) for w in first.warnings}
    notes += [
        w for w in again.warnings
        if (w.column, w.code, w.value) not in said and w.column not in defaulted
    ]  # fmt: skip
    places = (ctx.places.index.by_code(code) for s in again.links if s.rel == "LIAISES_WITH"
              for code in s.targets)  # fmt: skip
    communities_of_row = "、".join(place.name for place in places if place is not None)
    return [
        Problem("communities", f"与{where}是同一{KIND_TITLE}：联系社区已合并", "ROWS_COMBINED",
                communities_of_row or None),
        *notes,
    ]  # fmt: skip


def _fold(first: RowPlan, again: RowPlan) -> None:
    """The later row's nodes the first lacks, its people, places and links into the
    first row's plan; a liaison both rows name is led when either says so."""
    known = {node_id for _, node_id, _ in first.nodes}
    first.nodes += [n for n in again.nodes[1:] if n[1] not in known]
    first.people += again.people
    first.places |= again.places
    sets = {(s.owner_label, s.rel, s.side, s.owner): s for s in first.links}
    for links in again.links:
        same = sets.get((links.owner_label, links.rel, links.side, links.owner))
        if same is None:
            first.links.append(links)
            continue
        for target, props in links.targets.items():
            if links.rel == "LIAISES_WITH" and target in same.targets:
                lead = same.targets[target].get("lead", False) or props.get("lead", False)
                same.targets[target] = {**same.targets[target], "lead": lead}
            else:
                same.targets.setdefault(target, props)


def _defaulted(plan: RowPlan) -> set[str | None]:
    return {w.column for w in plan.warnings if w.code == "MISSING_VALUE"}


KIND_TITLE = "联系单位"
KIND = Kind("units", KIND_TITLE, COLUMNS, UnitRow, plan_row, prepare=prepare, combine=combine)
