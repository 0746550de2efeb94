"""Generated 双报到 for the demo: members, 微心愿, claims and service logs, deterministic
from a seed and relative to ``now``, in the shape of docs/closed-loop.md ("Members
(双报到) and service hours"), written by ``loopgen``'s UNWIND statements (MERGE on the
id: a second run changes nothing).

In each community a few in-service party members (双报到党员, named 党员甲, 党员乙 …, no
phone: none is a real person) report, each with a home unit among the community's liaison
units. They claim some of the community's demands and its 微心愿 and log service hours on
them over the span; most logs are confirmed by the community a little later. Each
community also has a confirmed log in the current month (China time), so the month's
totals are never empty, even on its first day.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.clock import CHINA, now_ms
from graph.queries import loopgen as q
from graph.store import Store

H = 3_600_000
DAY = 24 * H
NAMES = "甲乙丙丁戊己庚辛壬癸"
WISHES = (
    ("帮独居老人买米面油", "老人腿脚不便, 想请人每月帮忙采购一次"),
    ("给留守儿童辅导作业", "每周两个晚上, 小学数学和语文"),
    ("陪老人去医院复查", "需要有人陪同去县医院, 帮忙挂号取药"),
    ("修一修楼道的旧轮椅", "轮椅刹车坏了, 想请会修的党员看看"),
    ("给困难家庭孩子买书包", "开学前需要两个书包和一些文具"),
    ("教老人用智能手机", "想学会视频通话和手机缴费"),
)
HOURS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0)
CONFIRMED = 0.8  # the community confirms most logs

Row = dict[str, Any]


@dataclass
class Plan:
    members: list[Row] = field(default_factory=list)
    wishes: list[Row] = field(default_factory=list)
    claims: dict[str, list[Row]] = field(default_factory=lambda: {"Demand": [], "Wish": []})
    logs: dict[str, list[Row]] = field(default_factory=lambda: {"Demand": [], "Wish": []})

    def counts(self) -> dict[str, int]:
        return {
            "members": len(self.members), "wishes": len(self.wishes),
            "claims": sum(map(len, self.claims.values())),
            "logs": sum(map(len, self.logs.values())),
        }  # fmt: skip


def _id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False)
    return f"{prefix}_{digest.hexdigest()[:20]}"


def _month_start(now: int) -> int:
    at = datetime.fromtimestamp(now / 1000, tz=CHINA)
    return int(at.replace(day=1, hour=0, minute=0, second=0, microsecond=0).timestamp() * 1000)


class _Community:
    def __init__(self, plan: Plan, row: Row, *, seed: int, now: int) -> None:
        self.plan, self.seed, self.now = plan, seed, now
        self.code = str(row["community"])
        self.units = sorted(str(u) for u in row["units"])
        self.demands = sorted(str(d) for d in row["demands"])
        self.rng = random.Random(f"{seed}:members:{self.code}")
        self.places = {"community": self.code, "street": self.code[:9] + "000",
                       "county": self.code[:6] + "000000"}  # fmt: skip
        #: (label, target id, member id, home unit, claimed at)
        self.claimed: list[tuple[str, str, str, str, int]] = []

    def build(self, span: int) -> None:
        rng = self.rng
        members = []
        for i in range(rng.randint(2, 4)):
            member_id, unit = _id("mem", self.seed, self.code, i), rng.choice(self.units)
            self.plan.members.append({"id": member_id, "props": {
                "name": f"党员{NAMES[i]}", "homeUnitId": unit, **self.places}})  # fmt: skip
            members.append((member_id, unit))
        for i, (title, description) in enumerate(rng.sample(WISHES, rng.randint(1, 2))):
            self.wish(i, title, description, members, span)
        for member_id, unit in members:
            if self.demands and rng.random() < 0.6:
                at = self.now - int(rng.uniform(DAY, span))
                demand = rng.choice(self.demands)
                self.plan.claims["Demand"].append(
                    {"memberId": member_id, "targetId": demand, "at": at}
                )
                self.claimed.append(("Demand", demand, member_id, unit, at))
        for n, (label, target, member_id, unit, at) in enumerate(self.claimed):
            for k in range(rng.randint(1, 3)):
                served = at + int(rng.uniform(0.5, 20) * DAY)
                if served < self.now:
                    self.log(label, target, member_id, unit, served, f"{n}:{k}")
        if self.claimed:  # one confirmed in the current month
            label, target, member_id, unit, _ = rng.choice(self.claimed)
            start = max(_month_start(self.now), max(c[4] for c in self.claimed if c[1] == target))
            served = start + int((self.now - start) * rng.uniform(0.1, 0.5))
            self.log(label, target, member_id, unit, served, "month", confirm=True)

    def wish(self, i: int, title: str, description: str, members: list[Any], span: int) -> None:
        rng = self.rng
        wish_id = _id("wsh", self.seed, self.code, i)
        props: Row = {"title": title, "description": description, "status": "OPEN",
                      "memberId": None, "claimedAt": None, "doneAt": None, **self.places}  # fmt: skip
        posted = self.now - int(rng.uniform(10 * DAY, span))
        claimed = posted + int(rng.uniform(1, 72) * H)
        if rng.random() < 0.8 and claimed < self.now:
            member_id, unit = rng.choice(members)
            props.update(status="CLAIMED", memberId=member_id, claimedAt=claimed)
            self.plan.claims["Wish"].append({"memberId": member_id, "targetId": wish_id,
                                             "at": claimed})  # fmt: skip
            self.claimed.append(("Wish", wish_id, member_id, unit, claimed))
            done = claimed + int(rng.uniform(2, 10) * DAY)
            if rng.random() < 0.6 and done < self.now:
                props.update(status="DONE", doneAt=done)
        self.plan.wishes.append({"id": wish_id, "props": props})

    def log(
        self, label: str, target: str, member_id: str, unit: str, at: int, key: str,
        *, confirm: bool = False,
    ) -> None:  # fmt: skip
        rng = self.rng
        confirmed: int | None = at + int(rng.uniform(2, 72) * H)
        if confirm:
            confirmed = at + int((self.now - at) * rng.uniform(0.2, 0.8))
        elif rng.random() >= CONFIRMED or (confirmed or 0) >= self.now:
            confirmed = None
        self.plan.logs[label].append({"id": _id("svc", self.seed, self.code, key), "props": {
            "memberId": member_id, "targetId": target, "hours": rng.choice(HOURS), "at": at,
            "note": "上门服务", "confirmedAt": confirmed, "homeUnitId": unit, **self.places,
        }})  # fmt: skip


def plan(places: list[Row], *, seed: int, now: int, span_days: int = 60) -> Plan:
    """双报到 for ``places`` (rows of ``loopgen.MEMBER_PLACES``; those without a liaison
    unit get none)."""
    found = Plan()
    for row in places:
        if row["units"]:
            _Community(found, row, seed=seed, now=now).build(span_days * DAY)
    return found


async def write(store: Store, found: Plan, now: int) -> None:
    """Write a plan (communities, units and demands must exist)."""
    runs: list[tuple[Any, list[Row]]] = [(q.MEMBERS, found.members), (q.WISHES, found.wishes)]
    runs += [(q.CLAIMS[label], rows) for label, rows in found.claims.items()]
    runs += [(q.SERVICE_LOGS[label], rows) for label, rows in found.logs.items()]
    for stmt, rows in runs:
        if rows:
            await store.run(stmt, rows=rows, now=now)


async def generate(
    store: Store, *, prefix: str = "", seed: int = 13, now: int | None = None, span_days: int = 60
) -> dict[str, int]:
    """双报到 for every community under ``prefix``; returns how many of each were written."""
    at = now_ms() if now is None else now
    places = await store.run(q.MEMBER_PLACES, prefix=prefix)
    found = plan(places, seed=seed, now=at, span_days=span_days)
    await write(store, found, at)
    return found.counts()
