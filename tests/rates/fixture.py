"""A small county with hand-made timelines for November 2026 (China time); the
figures each test expects are worked out by hand in the test.

合江县: 桂圆林社区 (A liaises), 桥凼社区 (B), 兴隆社区 (C: does nothing all month).

- d1 → A: accepted in time, done in time, 满意
- d2 → A: accepted late, done late, 不满意, reopened (a3): accepted, not done, overdue
- d3 → A: not accepted: overdue; whistled (A reports in time, C never); chased
- d4 → B (urgent): accepted in time, done in time, 基本满意
- d5 → B: accepted in time, done in time, no call-back
- d6 → B: dispatched in October, accepted, not done (outside November)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.clock import CHINA
from domain.ids import derived_id
from graph.queries import loopgen as q
from graph.store import Store
from loaders import load_upload
from tests.api import seed

H = 3_600_000
DAY = 24 * H
T0 = int(datetime(2026, 11, 1, tzinfo=CHINA).timestamp() * 1000)
NOW = T0 + 20 * DAY
COUNTY, STREET = seed.COUNTY, "510522001000"
GUIYUANLIN, QIAODANG, XINGLONG = "510522001006", "510522001008", "510522002002"

UNITS = f"""{seed.UNITS_HEADER}
合江县住房和城乡建设局,县级部门,合江县,桂圆林社区,,,,
合江县城市管理局,县级部门,合江县,桥凼社区,,,,
合江县水务局,县级部门,合江县,兴隆社区,,,,
"""
_DEMANDS = {
    "d1": ("符阳街道", "桂圆林社区", "路灯不亮"),
    "d2": ("符阳街道", "桂圆林社区", "下水道堵塞"),
    "d3": ("符阳街道", "桂圆林社区", "围墙倒塌"),
    "d4": ("符阳街道", "桥凼社区", "燃气泄漏"),
    "d5": ("符阳街道", "桥凼社区", "垃圾清运"),
    "d6": ("临港街道", "兴隆社区", "道路破损"),
}
_CODES = {"桂圆林社区": GUIYUANLIN, "桥凼社区": QIAODANG, "兴隆社区": XINGLONG}
DEMANDS_HEADER = (
    "街道,社区,小区,楼栋,需求标题,需求描述,需求类别,事项类型,紧急程度,受益户数,收集人,收集日期,来源"
)


@dataclass(frozen=True)
class Fixture:
    demands: dict[str, str]  # d1 -> demand id
    units: dict[str, str]  # A -> unit id


def unit_id(name: str) -> str:
    return derived_id("Unit", COUNTY, name)


def assignment(key: str, demand: str, unit: str, at: int, accept: int, finish: int,
               accepted: int | None = None, done: int | None = None, *,
               reopened: bool = False) -> dict[str, object]:  # fmt: skip
    return {
        "id": f"asg_{key}", "demandId": demand, "unitId": unit,
        "props": {
            "dispatchedAt": at, "acceptDue": at + accept, "finishDue": at + finish,
            "acceptedAt": accepted, "doneAt": done, "reopened": reopened,
        },
    }  # fmt: skip


async def build(store: Store, *, timelines: bool = True) -> Fixture:
    """The county, its units and demands, and (``timelines``) their hand-made timelines."""
    await seed.hierarchy(store, compounds_per_community=1, buildings=1)
    report = await load_upload(store, "units.csv", UNITS.encode())
    assert report.ok, report.errors
    rows = [
        f"{street},{community},,,{title},{title}的情况,基础设施,实事,一般,10,,2026-10-30,"
        for street, community, title in _DEMANDS.values()
    ]
    report = await load_upload(store, "demands.csv", "\n".join([DEMANDS_HEADER, *rows]).encode())
    assert report.ok, report.errors
    d = {k: derived_id("Demand", _CODES[c], t) for k, (_, c, t) in _DEMANDS.items()}
    u = {
        "A": unit_id("合江县住房和城乡建设局"),
        "B": unit_id("合江县城市管理局"),
        "C": unit_id("合江县水务局"),
    }
    a, b = u["A"], u["B"]
    if not timelines:
        return Fixture(d, u)
    await store.run(q.ASSIGNMENTS, now=T0, rows=[
        assignment("1", d["d1"], a, T0 + DAY, DAY, 7 * DAY, T0 + DAY + 2 * H, T0 + 4 * DAY),
        assignment("2", d["d2"], a, T0 + 2 * DAY, DAY, 7 * DAY, T0 + 2 * DAY + 30 * H,
                   T0 + 10 * DAY),
        assignment("3", d["d2"], a, T0 + 11 * DAY + H, DAY, 7 * DAY, T0 + 11 * DAY + 2 * H,
                   reopened=True),
        assignment("4", d["d3"], a, T0 + 5 * DAY, DAY, 7 * DAY),
        assignment("5", d["d4"], b, T0 + 3 * DAY, 2 * H, DAY, T0 + 3 * DAY + H, T0 + 3 * DAY + 5 * H),
        assignment("6", d["d5"], b, T0 + 4 * DAY, DAY, 7 * DAY, T0 + 4 * DAY + 3 * H, T0 + 9 * DAY),
        assignment("7", d["d6"], b, T0 - 5 * DAY, DAY, 7 * DAY, T0 - 5 * DAY + H),
    ])  # fmt: skip
    await store.run(q.CALLBACKS, now=T0, rows=[
        {"id": "cb_1", "demandId": d["d1"], "props": {"at": T0 + 5 * DAY, "rating": "SATISFIED", "comment": "好"}},
        {"id": "cb_2", "demandId": d["d2"], "props": {"at": T0 + 11 * DAY, "rating": "UNSATISFIED", "comment": "还堵"}},
        {"id": "cb_4", "demandId": d["d4"], "props": {"at": T0 + 4 * DAY, "rating": "BASIC", "comment": ""}},
    ])  # fmt: skip
    await store.run(q.WHISTLES, now=T0, rows=[{
        "id": "wh_3", "demandId": d["d3"],
        "props": {"at": T0 + 7 * DAY, "level": "STREET", "fromCode": GUIYUANLIN,
                  "toCode": STREET, "note": "围墙倒塌, 社区解决不了"},
        "summons": [
            {"unitId": a, "due": T0 + 8 * DAY, "respondedAt": T0 + 7 * DAY + 5 * H, "response": "已到场"},
            {"unitId": u["C"], "due": T0 + 8 * DAY, "respondedAt": None, "response": None},
        ],
    }])  # fmt: skip
    await store.run(q.CHASES, now=T0, rows=[{
        "id": "ch_3", "demandId": d["d3"], "unitId": a,
        "props": {"at": T0 + 7 * DAY, "byRole": "COUNTY_ADMIN", "byScope": COUNTY, "note": "请尽快接单"},
    }])  # fmt: skip
    await store.run(q.EVENTS, now=T0, rows=[{
        "id": "ev_1", "demandId": d["d1"],
        "props": {"kind": "DISPATCH", "at": T0 + DAY, "actorRole": "COUNTY_ADMIN", "actorScope": COUNTY,
                  "unitId": a, "note": ""},
    }])  # fmt: skip
    await store.run(q.STAGES, now=T0, rows=[{"demandId": d["d1"], "stage": "EVALUATED"}])
    return Fixture(d, u)
