"""Generated timelines for existing demands (the demo, the benchmark): deterministic
from a seed and relative to ``now``, in the shape of docs/closed-loop.md.

Each demand keeps its list status; its stage follows from it. OPEN demands are waiting
(派单, some never accepted), being worked on, or reopened after a 不满意 call-back;
MATCHED ones are in progress; RESOLVED ones are done (some late) and mostly called back
(满意 / 基本满意); CLOSED ones and demands of communities no unit liaises with get none.
Overdue ones are chased (督办) and some whistled (吹哨) with their units' 报到.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from domain.clock import now_ms
from graph.queries import loopgen as q
from graph.store import Store

H = 3_600_000
DAY = 24 * H
BATCH = 2_000
#: the default time limits (docs/closed-loop.md): accept, finish; 难事 finish in 15 days
LIMITS = {"URGENT": (2 * H, DAY), "NORMAL": (DAY, 7 * DAY)}
DIFFICULT_FINISH = 15 * DAY
SUMMONS_DUE = DAY

Row = dict[str, Any]


@dataclass
class Plan:
    assignments: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    chases: list[Row] = field(default_factory=list)
    whistles: list[Row] = field(default_factory=list)
    callbacks: list[Row] = field(default_factory=list)
    stages: list[Row] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in vars(self).items()}


def _id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False)
    return f"{prefix}_{digest.hexdigest()[:20]}"


def limits(urgency: str | None, matter_class: str | None) -> tuple[int, int]:
    accept, finish = LIMITS.get(urgency or "NORMAL", LIMITS["NORMAL"])
    if matter_class == "DIFFICULT":
        finish = max(finish, DIFFICULT_FINISH)
    return accept, finish


class _Demand:
    """One demand's timeline under construction."""

    def __init__(self, plan: Plan, row: Row, rng: random.Random, now: int, seed: int) -> None:
        self.plan, self.rng, self.now, self.seed = plan, rng, now, seed
        self.id = str(row["id"])
        self.community = str(row["community"])
        self.units = [str(u) for u in row["units"]]
        self.limits = limits(row.get("urgency"), row.get("matterClass"))
        self.n = 0
        #: the time of the first event (the timeline's first move after 点单)
        self.first: int | None = None

    def event(self, kind: str, at: int, role: str, scope: str, unit: str | None = None) -> None:
        self.n += 1
        self.first = at if self.first is None else min(self.first, at)
        self.plan.events.append({
            "id": _id("evt", self.seed, self.id, self.n), "demandId": self.id,
            "props": {"kind": kind, "at": at, "actorRole": role, "actorScope": scope,
                      "unitId": unit, "note": ""},
        })  # fmt: skip

    def late(self, limit: int, in_time: float) -> int:
        """A delay: within the limit with probability ``in_time``, else past it."""
        if self.rng.random() < in_time:
            return int(limit * self.rng.uniform(0.05, 0.9))
        return int(limit * self.rng.uniform(1.1, 2.5))

    def dispatch(self, unit: str, at: int, *, accept: bool, finish: bool, reopened: bool) -> Row:
        """One assignment from ``at``; what would happen after ``now`` has not happened."""
        accept_limit, finish_limit = self.limits
        props: Row = {
            "dispatchedAt": at, "acceptDue": at + accept_limit, "finishDue": at + finish_limit,
            "acceptedAt": None, "startedAt": None, "doneAt": None, "returnedAt": None,
            "returnReason": None, "reopened": reopened, "overdueNotified": False,
        }  # fmt: skip
        self.event(
            "REOPEN" if reopened else "DISPATCH", at, "COMMUNITY_ADMIN", self.community, unit
        )
        accepted = at + self.late(accept_limit, 0.85)
        if accept and accepted < self.now:
            props["acceptedAt"] = accepted
            self.event("ACCEPT", accepted, "UNIT_OPERATOR", unit, unit)
            started = accepted + int(self.rng.uniform(0.5, 6) * H)
            if started < self.now:
                props["startedAt"] = started
                self.event("START", started, "UNIT_OPERATOR", unit, unit)
            done = at + self.late(finish_limit, 0.75)
            if finish and done < self.now and done > started:
                props["doneAt"] = done
                self.event("DONE", done, "UNIT_OPERATOR", unit, unit)
        row = {"id": _id("asg", self.seed, self.id, at), "demandId": self.id, "unitId": unit,
               "props": props}  # fmt: skip
        self.plan.assignments.append(row)
        return props

    def callback(self, at: int, rating: str) -> None:
        self.plan.callbacks.append({
            "id": _id("cbk", self.seed, self.id, at), "demandId": self.id,
            "props": {"at": at, "rating": rating, "comment": ""},
        })  # fmt: skip
        self.event("CALLBACK", at, "COMMUNITY_ADMIN", self.community)

    def escalate(self, unit: str, a: Row) -> None:
        """Chase and whistle an assignment overdue at ``now``."""
        if a["doneAt"] is not None:
            return
        due = a["acceptDue"] if a["acceptedAt"] is None else a["finishDue"]
        if self.now <= due:
            return
        county = self.community[:6] + "000000"
        at = due + int(self.rng.uniform(1, 24) * H)
        if at < self.now and self.rng.random() < 0.5:
            self.plan.chases.append({
                "id": _id("chs", self.seed, self.id, at), "demandId": self.id, "unitId": unit,
                "props": {"at": at, "byRole": "COUNTY_ADMIN", "byScope": county, "note": "请尽快办理"},
            })  # fmt: skip
            self.event("CHASE", at, "COUNTY_ADMIN", county, unit)
        at += int(self.rng.uniform(2, 48) * H)
        if at >= self.now or self.rng.random() >= 0.35:
            return
        summoned = sorted({unit, self.rng.choice(self.units)})
        summons = []
        for other in summoned:
            answered = at + int(self.rng.uniform(1, 36) * H)
            ok = answered < self.now and self.rng.random() < 0.75
            summons.append({"unitId": other, "due": at + SUMMONS_DUE,
                            "respondedAt": answered if ok else None,
                            "response": "已报到" if ok else None})  # fmt: skip
            if ok:
                self.event("RESPOND", answered, "UNIT_OPERATOR", other, other)
        self.plan.whistles.append({
            "id": _id("whs", self.seed, self.id, at), "demandId": self.id, "summons": summons,
            "props": {"at": at, "level": "STREET", "fromCode": self.community,
                      "toCode": self.community[:9] + "000", "note": "社区协调不了, 请街道吹哨"},
        })  # fmt: skip
        self.event("WHISTLE", at, "COMMUNITY_ADMIN", self.community)

    def build(self, status: str, span: int) -> str:
        """The timeline for a demand of ``status``; returns its stage."""
        rng, unit = self.rng, self.rng.choice(self.units)
        accept_limit, finish_limit = self.limits
        if status == "RESOLVED":
            at = self.now - int(2.5 * finish_limit) - int(rng.uniform(0, span))
            a = self.dispatch(unit, at, accept=True, finish=True, reopened=False)
            if a["doneAt"] is None:  # a chain that ends after now: keep RESOLVED honest
                a["acceptedAt"] = a["acceptedAt"] or at + accept_limit // 2
                a["startedAt"] = a["startedAt"] or a["acceptedAt"] + H
                finished = min(self.now - H, a["startedAt"] + finish_limit // 2)
                a["doneAt"] = finished
                self.event("DONE", finished, "UNIT_OPERATOR", unit, unit)
            if rng.random() < 0.8:
                called = a["doneAt"] + int(rng.uniform(2, 48) * H)
                if called < self.now:
                    self.callback(called, "SATISFIED" if rng.random() < 0.7 else "BASIC")
                    return "EVALUATED"
            return "DONE"
        kind = rng.random() if status == "OPEN" else 0.5
        if kind < 0.1:
            return "REPORTED"
        if kind < 0.8:
            at = self.now - int(rng.uniform(H, span))
            a = self.dispatch(unit, at, accept=kind >= 0.3, finish=False, reopened=False)
            self.escalate(unit, a)
            if a["acceptedAt"] is None:
                return "DISPATCHED"
            return "IN_PROGRESS" if a["startedAt"] is not None else "ACCEPTED"
        # done, called back 不满意, reopened (重办) and open again
        at = self.now - int(2.5 * finish_limit) - int(rng.uniform(0, span))
        first = self.dispatch(unit, at, accept=True, finish=True, reopened=False)
        done = first["doneAt"] or at + finish_limit // 2
        if first["doneAt"] is None:
            first["acceptedAt"] = first["acceptedAt"] or at + accept_limit // 2
            first["doneAt"] = done
            self.event("DONE", done, "UNIT_OPERATOR", unit, unit)
        called = done + int(rng.uniform(2, 24) * H)
        self.callback(called, "UNSATISFIED")
        again = self.dispatch(unit, called + H, accept=True, finish=False, reopened=True)
        self.escalate(unit, again)
        return "DISPATCHED" if again["acceptedAt"] is None else "IN_PROGRESS"


def plan(demands: list[Row], *, seed: int, now: int, span_days: int = 60) -> Plan:
    """The timelines of ``demands`` (rows of ``loopgen.DEMANDS``)."""
    found = Plan()
    for row in demands:
        if not row["units"] or row["status"] == "CLOSED":
            continue
        # the liaison units in one order on every backend (a pattern comprehension's is not)
        row = {**row, "units": sorted(row["units"])}
        rng = random.Random(f"{seed}:{row['id']}")
        demand = _Demand(found, row, rng, now, seed)
        stage = demand.build(str(row["status"]), span_days * DAY)
        # 点单: some hours before the first move (a demand never dispatched: within the span)
        first = demand.first if demand.first is not None else now - int(rng.uniform(0, span_days * DAY))
        reported = first - int(rng.uniform(1, 48) * H)
        found.stages.append({"demandId": demand.id, "stage": stage, "reportedAt": reported})
    return found


async def write(store: Store, found: Plan, now: int) -> None:
    """Write a plan in batches (demands and units must exist)."""
    for stmt, rows in (
        (q.ASSIGNMENTS, found.assignments), (q.EVENTS, found.events), (q.CHASES, found.chases),
        (q.WHISTLES, found.whistles), (q.CALLBACKS, found.callbacks), (q.STAGES, found.stages),
    ):  # fmt: skip
        for start in range(0, len(rows), BATCH):
            await store.run(stmt, rows=rows[start : start + BATCH], now=now)


async def generate(
    store: Store, *, prefix: str = "", seed: int = 13, now: int | None = None, span_days: int = 60
) -> dict[str, int]:
    """Timelines for every demand under ``prefix``; returns how many of each were written."""
    at = now_ms() if now is None else now
    demands = await store.run(q.DEMANDS, prefix=prefix)
    found = plan(demands, seed=seed, now=at, span_days=span_days)
    await write(store, found, at)
    return found.counts()
