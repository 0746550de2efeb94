"""Two counties that are not the demo, generated from the shipped division table: a
district (纳溪区, 泸州市) and a banner (准格尔旗, 鄂尔多斯市), loaded through the roster
loaders as departments would send them.

In each county: three communities (``home`` and ``beside`` in the first street,
``above`` in the second: a community admin of ``home`` sees ``above`` only as part of
its county), each with a liaison unit offering a resource, a demand, a project and a
person holding a post. The demand descriptions carry a phone, a landline and an ID-card
number (the free-text masking test reads them).
"""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from divisions.index import DivisionIndex
from graph.store import Store
from loaders import load_paths

DISTRICT = "510503000000"  # 纳溪区, a 区
BANNER = "150622000000"  # 准格尔旗, a 旗
PLACES = ("home", "beside", "above")
#: common given-name characters (the probing test tries them after each surname)
GIVEN = "明华英秀伟芳军敏静丽强磊洋艳勇杰娟涛超霞平刚桂兰玉瑶"
#: names that tell each person apart, and whose first characters are common surnames
NAMES = {
    DISTRICT: ("付明瑶", "王秀英", "李伟强"),
    BANNER: ("张丽娟", "刘玉兰", "陈杰超"),
}


@dataclass
class Place:
    code: str
    name: str
    street: str
    street_name: str
    unit: str = ""
    unit_name: str = ""
    resource: str = ""
    demand: str = ""
    project: str = ""
    person: str = ""
    person_name: str = ""
    phone: str = ""


@dataclass
class County:
    code: str
    name: str
    places: dict[str, Place] = field(default_factory=dict)

    @property
    def city(self) -> str:
        return self.code[:4] + "00000000"


def _csv(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def plan(code: str, index: DivisionIndex | None = None) -> County:
    """The county's three communities, picked from the 2023 division table."""
    index = index or DivisionIndex.default()
    division = index.by_code(code)
    assert division is not None
    county = County(code, division.name)
    streets = [s for s in index.children(code) if len(index.children(s.code)) >= 2][:2]
    first, second = (index.children(s.code) for s in streets)
    picks = {"home": (streets[0], first[0]), "beside": (streets[0], first[1])}
    picks["above"] = (streets[1], second[0])
    for n, (key, (street, community)) in enumerate(picks.items()):
        place = Place(community.code, community.name, street.code, street.name)
        place.unit_name = f"{division.name}第{n + 1}联系局"
        place.person_name = NAMES[code][n]
        place.phone = f"1394770{code[1:3]}{n}{n}"
        county.places[key] = place
    return county


def write(folder: Path, county: County) -> None:
    """Write the county's rosters to ``folder`` (ids are the loaders': read them back)."""
    folder.mkdir(parents=True, exist_ok=True)
    units = [["单位名称", "单位类型", "所属县", "联系社区", "牵头社区"]]
    resources = [["单位名称", "资源名称", "资源类别", "数量", "计量单位", "服务范围"]]
    demands = [["街道", "社区", "需求标题", "需求描述", "需求类别", "事项类型", "紧急程度"]]
    projects = [["项目名称", "项目类别", "社区", "街道", "需求", "资源", "牵头单位", "状态"]]
    roles = [["街道", "社区", "职务", "姓名", "联系电话"]]
    for p in county.places.values():
        resource = f"{p.name}活动室"
        title = f"{p.name}老年助餐"
        text = f"联系 {p.person_name} {p.phone}，座机 0477-4{p.phone[-6:]}，身份证 {p.code[:6]}19800101123X"
        units.append([p.unit_name, "县级部门", county.name, p.name, p.name])
        resources.append([p.unit_name, resource, "阵地场所", "5", "次", "本社区"])
        demands.append([p.street_name, p.name, title, text, "养老服务", "实事", "一般"])
        project = f"{p.name}助餐项目"
        projects.append(
            [project, "扶贫帮困", p.name, p.street_name, title, resource, p.unit_name, ""]
        )
        roles.append([p.street_name, p.name, "社区党委书记", p.person_name, p.phone])
    for name, rows in (("units", units), ("resources", resources), ("roles", roles),
                       ("demands", demands), ("projects", projects)):  # fmt: skip
        _csv(folder / f"{name}.csv", rows)


async def load(store: Store, folder: Path, county: County) -> None:
    """Write the county's rosters to ``folder`` and load them."""
    await asyncio.to_thread(write, folder, county)
    report = await load_paths(store, [folder], county=county.code)
    assert not report.errors, report.errors


__all__ = ["BANNER", "DISTRICT", "GIVEN", "NAMES", "PLACES", "County", "Place", "load", "plan"]
