"""Rosters of random real county-level divisions, written as departments write them.

The places come from the shipped 2023 table; the spellings, layouts and words from
what the loaders promise to accept. Each roster knows the codes its rows must
resolve to, so a test can compare the graph with them.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from openpyxl import Workbook

from divisions import DivisionIndex, Level, county_kind, kind_word
from divisions.names import community_stem, street_stem

#: the kinds a draw is spread over (新区 and the odd ones count as 区)
KINDS = ("县", "自治县", "区", "市", "旗", "自治旗", "林区", "特区")
#: (department as the unit roster names it, the short form other rosters use)
DEPARTMENTS = (
    ("民政局", "民政局"), ("住房和城乡建设局", "住建局"), ("卫生健康局", "卫健局"),
    ("总工会", "总工会"), ("妇女联合会", "妇联"),
)  # fmt: skip
#: 单位类型 as written, and whether it is a label or alias (else: kept as written)
UNIT_TYPES = (
    ("{k}级部门", True), ("群团组织", True), ("工会", True), ("共青团", True), ("妇联", True),
    ("事业单位", True), ("学校", True), ("国有企业", True), ("两新组织", True), ("金融机构", True),
    ("驻区单位", True), ("社会组织", True), ("物业企业", True), ("机关", True), ("", True),
    ("{k}属平台公司", False), ("垂管单位", True), ("文化名人工作室", False), ("其他类", False),
)  # fmt: skip
COUNTY_HEADERS = ("所属县（区）", "县（市、区）", "区县", "所属区县", "所属县", "县")
STREET_HEADERS = (
    "街道",
    "街道（乡镇）",
    "乡镇（街道）",
    "所属街道",
    "街道办事处",
    "镇（街道）",
    "镇",
    "所在乡镇",
    "镇街",
    "苏木（镇）",
)
COMMUNITY_HEADERS = ("社区", "社区名称", "所属社区", "社区（村）", "居委会")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Place:
    county: str
    county_name: str
    street: str
    street_name: str
    community: str
    community_name: str


@cache
def pool() -> dict[str, list[list[Place]]]:
    """Per kind, the counties with communities: each a list of its usable communities
    (a stem unique in the county, so a liaison written without its street is one place)."""
    table = DivisionIndex.default()._core.table
    names = table.names
    counties: dict[str, list[Place]] = {}
    streets: dict[str, Counter[str]] = {}
    for code in table.keys:
        level = table.level(code)
        if level is Level.COUNTY:
            counties[code[:6]] = []
            streets[code[:6]] = Counter()
        elif level is Level.STREET and code[:6] in streets:
            streets[code[:6]][street_stem(names[code])] += 1
        elif level is Level.COMMUNITY and code[:6] in counties:
            county, street = code[:6] + "000000", code[:9] + "000"
            if county not in names:  # 东莞 and the like: the city's code is the county's
                county = code[:4] + "00000000"
            counties[code[:6]].append(
                Place(county, names[county], street, names[street], code, names[code])
            )
    found: dict[str, list[list[Place]]] = {kind: [] for kind in KINDS}
    for prefix, rows in counties.items():
        if not rows:
            continue
        kind = county_kind(rows[0].county_name)
        kind = kind if kind in KINDS else "区" if kind == "新区" else ""
        stems = Counter(community_stem(p.community_name) for p in rows)
        usable = [
            p
            for p in rows
            if stems[community_stem(p.community_name)] == 1
            and streets[prefix][street_stem(p.street_name)] == 1
        ]
        if kind and usable:
            found[kind].append(usable)
    return found


@cache
def national_pairs() -> Counter[tuple[str, str]]:
    """How many communities in the whole table share a (street stem, community stem)."""
    idx = DivisionIndex.default()
    table = idx._core.table
    found: Counter[tuple[str, str]] = Counter()
    for code, name in table.names.items():
        if code[9:] != "000":
            street = table.names.get(code[:9] + "000", "")
            found[street_stem(street), community_stem(name)] += 1
    return found


def community_spellings(name: str) -> list[str]:
    """钟鼓, 钟鼓社区, 钟鼓社区居委会, 钟鼓社区居民委员会 and the official name."""
    stem = community_stem(name)
    return list(dict.fromkeys([stem, f"{stem}社区", f"{stem}社区居委会", f"{stem}社区居民委员会",
                               name]))  # fmt: skip


def street_spellings(name: str) -> list[str]:
    found = [name]
    if name.endswith("街道"):
        found += [f"{name}办事处", name[:-2]]
    return found


@dataclass
class Roster:
    """A roster's rows, the header first, and how to write them."""

    name: str
    rows: list[list[Any]]
    title_rows: int = 0
    xlsx: bool = True
    totals: bool = False
    #: in a workbook, the county column written once and merged down its rows
    merge_county: bool = False

    def write(self) -> tuple[str, bytes]:
        title = [[f"{self.name}名册（{k + 1}）"] for k in range(self.title_rows)]
        tail = [["合计", f"{len(self.rows) - 1} 条"]] if self.totals else []
        rows = [*title, *self.rows, *tail]
        if not self.xlsx:
            out = io.StringIO()
            csv.writer(out).writerows(rows)
            return f"{self.name}.csv", out.getvalue().encode("utf-8-sig")
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        width = len(self.rows[0])
        for row in rows:
            sheet.append(row)
        for k in range(self.title_rows):
            sheet.merge_cells(start_row=k + 1, start_column=1, end_row=k + 1, end_column=width)
        county = [i for i, h in enumerate(self.rows[0]) if h in COUNTY_HEADERS]
        if self.merge_county and county and len(self.rows) > 2:
            first, last = self.title_rows + 2, self.title_rows + len(self.rows)
            for row in range(first + 1, last + 1):
                sheet.cell(row, county[0] + 1).value = None
            sheet.merge_cells(
                start_row=first, start_column=county[0] + 1, end_row=last, end_column=county[0] + 1
            )
        out_bytes = io.BytesIO()
        book.save(out_bytes)
        return f"{self.name}.xlsx", out_bytes.getvalue()


@dataclass
class Scenario:
    """Rosters of one county and what the graph must hold after they are loaded."""

    places: list[Place]
    rosters: list[Roster] = field(default_factory=list)
    #: unit name -> (expected liaison codes, 单位类型 as written, known)
    units: dict[str, tuple[set[str], str, bool]] = field(default_factory=dict)
    #: resource name -> expected AVAILABLE_IN codes
    resources: dict[str, set[str]] = field(default_factory=dict)
    #: demand title -> expected community code
    demands: dict[str, str] = field(default_factory=dict)
    #: the --county option the load needs (None: the rows say enough)
    county_option: str | None = None


def scenario(rnd: random.Random, kind: str, with_units: bool) -> Scenario:
    """A random county of this kind, its units, their resources and its demands."""
    places_of = rnd.choice(pool()[kind])
    places = rnd.sample(places_of, min(len(places_of), rnd.randint(1, 4)))
    county = places[0].county_name
    word = kind_word(county)
    found = Scenario(places)
    county_column = rnd.random() < 0.5
    if with_units:
        _units(rnd, found, county, word, county_column)
    _demands(rnd, found, county, with_units)
    named = DivisionIndex.default().county(county).ok
    if not named or (with_units and not county_column):
        found.county_option = places[0].county  # the rows alone cannot say which county
    return found


def _units(rnd: random.Random, found: Scenario, county: str, word: str, county_col: bool) -> None:
    places = found.places
    header = [rnd.choice(["单位名称", "单位全称", "联系单位"]), rnd.choice(["单位类型", "单位性质"]),
              rnd.choice(["联系社区", "包联社区", "结对社区"]),
              *([rnd.choice(COUNTY_HEADERS)] * county_col)]  # fmt: skip
    rows: list[list[Any]] = [header]
    resources: list[list[Any]] = [[
        rnd.choice(["单位", "单位名称", "提供单位"]), rnd.choice(["资源名称", "资源项目"]),
        rnd.choice(["资源类别", "类别"]), rnd.choice(["数量", "可提供数量"]),
        rnd.choice(["服务范围", "服务区域", "覆盖范围"]),
    ]]  # fmt: skip
    # a 联系单位一览表: one row per unit and liaison community, the unit's type repeated or
    # left empty below its first row
    per_community = rnd.random() < 0.4
    for n, (dept, short) in enumerate(rnd.sample(DEPARTMENTS, rnd.randint(1, len(DEPARTMENTS)))):
        name = f"{county}{dept}"
        typed, known = rnd.choice(UNIT_TYPES)
        typed = typed.format(k=word)
        liaisons = rnd.sample(places, rnd.randint(1, len(places)))
        if per_community:
            for k, p in enumerate(liaisons):
                cell = typed if k == 0 or rnd.random() < 0.5 else ""
                spelled = rnd.choice(community_spellings(p.community_name))
                rows.append([name, cell, spelled, *([county] * county_col)])
        else:
            written = "、".join(rnd.choice(community_spellings(p.community_name)) for p in liaisons)
            rows.append([name, typed, written, *([county] * county_col)])
        found.units[name] = ({p.community for p in liaisons}, typed, known)
        scopes = [
            (f"全{word}", {places[0].county}), (rnd.choice([f"本{word}", "全域", "辖区内"]),
                                                {places[0].county}),
            (county, {places[0].county}),
            ("本街道", {p.street for p in liaisons}), ("本社区", {p.community for p in liaisons}),
            (places[0].street_name, {places[0].street}),
        ]  # fmt: skip
        full = county_kind(county)
        if len(full) > 1 and not full.startswith("自治"):  # 林区, 特区, 新区: 全林区
            scopes.append((rnd.choice([f"全{full}", f"本{full}"]), {places[0].county}))
        scope, codes = rnd.choice(scopes)
        unit = rnd.choice([name, f"{word}{short}"])
        resource = f"资源{n}"
        # an empty or unlisted 资源类别 is inferred, never a rejection
        resources.append([unit, resource, rnd.choice(["", "养老", "救助", "场地", "服务", "其他"]),
                          str(rnd.randint(1, 30)).translate(FULL_WIDTH), scope])  # fmt: skip
        found.resources[resource] = codes
    found.rosters.append(_styled(rnd, "联系单位", rows))
    found.rosters.append(_styled(rnd, "资源清单", resources))


def _demands(rnd: random.Random, found: Scenario, county: str, with_units: bool) -> None:
    county_col = rnd.random() < 0.3
    header = [rnd.choice(STREET_HEADERS), rnd.choice(COMMUNITY_HEADERS), "需求标题", "需求类别",
              "事项类型", rnd.choice(["紧急程度", "缓急", "急缓", "轻重缓急"]), "受益户数",
              *([rnd.choice(COUNTY_HEADERS)] * county_col)]  # fmt: skip
    rows: list[list[Any]] = [header]
    for n, place in enumerate(found.places):
        title = f"需求{n}"
        rows.append([
            rnd.choice(street_spellings(place.street_name)),
            rnd.choice(community_spellings(place.community_name)),
            title, rnd.choice(["", "", "养老托幼", "停车"]), rnd.choice(["", "实事", "难事", "小事"]),
            rnd.choice(["", "紧急", "一般", "非常紧急"]), str(rnd.randint(1, 500)).translate(FULL_WIDTH),
            *([county] * county_col),
        ])  # fmt: skip
        found.demands[title] = place.community
    unique = all(
        national_pairs()[street_stem(p.street_name), community_stem(p.community_name)] == 1
        for p in found.places
    )
    if not (county_col or with_units or unique):
        found.county_option = found.places[0].county
    found.rosters.append(_styled(rnd, "需求清单", rows))


def _styled(rnd: random.Random, name: str, rows: list[list[Any]]) -> Roster:
    return Roster(
        name, rows, rnd.randint(0, 2), rnd.random() < 0.6, rnd.random() < 0.5, rnd.random() < 0.5
    )
