"""Generated timelines for existing demands (the demo, the benchmark): deterministic
from a seed and relative to ``now``, in the shape of docs/closed-loop.md.

Each demand is reported (点单, ``reportedAt``) at a time drawn over the span and
dispatched (派单) to one of its community's liaison units within hours. What follows
reads like a real county's month (the shares are the constants below): most units
accept within the limit and finish within it, a few finish late and a few never do
(到而不干; overdue once past the limit); most finished demands are called back (回访),
mostly 满意 or 基本满意, and a 不满意 reopens the demand (重办, with the reopen
limits) for another round. A dispatch past a limit is often chased (督办); 难事 and 大事
are often whistled (吹哨), the summoned units mostly reporting (报到) in time, some late.
What would happen after ``now`` has not happened.

A finished demand's list status becomes RESOLVED (as ``finishDemand`` makes it); an
unfinished one keeps its roster status (OPEN, MATCHED); a roster's RESOLVED demand is
always finished; CLOSED ones and demands of communities no unit liaises with get none.
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
REOPEN_LIMITS = (DAY, 3 * DAY)
SUMMONS_DUE = DAY

#: the shares of a typical county's month
ACCEPT_IN_TIME = 0.92  # 接单 within the limit (响应率)
FINISH_IN_TIME = 0.9  # 办结 within the limit, of those that finish (按期办结率)
STUCK = 0.04  # accepted and never finished (到而不干)
UNDISPATCHED = 0.03  # reported and never dispatched
BACKLOG, BACKLOG_DAYS = 0.35, 10  # reported in the last days (the others: over the span)
CALLED_BACK = 0.72  # 回访 after 办结 (回访率)
RATINGS = (("SATISFIED", 0.66), ("BASIC", 0.22), ("UNSATISFIED", 0.12))  # 满意率 ~ 0.9
CHASED = 0.6  # 督办 of a dispatch past a limit
#: 吹哨 by 五事 class (难事 and 大事 are what the whistle is for), and for one overdue now
WHISTLED = {"DIFFICULT": 0.6, "MAJOR": 0.5}
WHISTLED_OTHER = 0.04
WHISTLED_OVERDUE = 0.35
REPORTS_LATE = 0.15  # a summoned unit's 报到 after its due

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
        self.county = self.community[:6] + "000000"
        self.street = self.community[:9] + "000"
        self.units = [str(u) for u in row["units"]]
        self.matter_class = row.get("matterClass")
        self.limits = limits(row.get("urgency"), row.get("matterClass"))
        self.n = 0
        self.whistled = False
        self.called = 0

    def event(self, kind: str, at: int, role: str, scope: str, unit: str | None = None) -> None:
        self.n += 1
        self.plan.events.append({
            "id": _id("evt", self.seed, self.id, self.n), "demandId": self.id,
            "props": {"kind": kind, "at": at, "actorRole": role, "actorScope": scope,
                      "unitId": unit, "note": ""},
        })  # fmt: skip

    def late(self, limit: int, in_time: float) -> int:
        """A delay: within the limit with probability ``in_time``, else past it."""
        if self.rng.random() < in_time:
            return int(limit * self.rng.uniform(0.05, 0.9))
        return int(limit * self.rng.uniform(1.1, 1.8))

    def dispatch(self, unit: str, at: int, *, reopened: bool, finish: bool) -> Row:
        """One assignment from ``at``: accepted, started and done as drawn, as far as
        ``now``; never done unless ``finish`` (and not when it is stuck)."""
        rng = self.rng
        accept_limit, finish_limit = REOPEN_LIMITS if reopened else self.limits
        props: Row = {
            "dispatchedAt": at, "acceptDue": at + accept_limit, "finishDue": at + finish_limit,
            "acceptedAt": None, "startedAt": None, "doneAt": None, "returnedAt": None,
            "returnReason": None, "reopened": reopened, "overdueNotified": False,
        }  # fmt: skip
        self.event(
            "REOPEN" if reopened else "DISPATCH", at, "COMMUNITY_ADMIN", self.community, unit
        )
        accepted = at + self.late(accept_limit, ACCEPT_IN_TIME)
        started = accepted + int(rng.uniform(0.5, 6) * H)
        done = max(at + self.late(finish_limit, FINISH_IN_TIME), started + H)
        stuck = rng.random() < STUCK
        if accepted < self.now:
            props["acceptedAt"] = accepted
            self.event("ACCEPT", accepted, "UNIT_OPERATOR", unit, unit)
            if started < self.now:
                props["startedAt"] = started
                self.event("START", started, "UNIT_OPERATOR", unit, unit)
                if finish and not stuck and done < self.now:
                    props["doneAt"] = done
                    self.event("DONE", done, "UNIT_OPERATOR", unit, unit)
        row = {"id": _id("asg", self.seed, self.id, at), "demandId": self.id, "unitId": unit,
               "props": props}  # fmt: skip
        self.plan.assignments.append(row)
        self.chase(unit, props)
        self.whistle(unit, props)
        return props

    def force_done(self, unit: str, a: Row) -> None:
        """Finish an assignment that did not (a roster's RESOLVED demand is done)."""
        accept_limit, finish_limit = (
            a["acceptDue"] - a["dispatchedAt"],
            a["finishDue"] - a["dispatchedAt"],
        )
        accepted: int = a["acceptedAt"] or a["dispatchedAt"] + accept_limit // 2
        if a["acceptedAt"] is None:
            self.event("ACCEPT", accepted, "UNIT_OPERATOR", unit, unit)
        started: int = a["startedAt"] or accepted + H
        if a["startedAt"] is None:
            self.event("START", started, "UNIT_OPERATOR", unit, unit)
        done = max(started + H, min(self.now - H, started + finish_limit // 2))
        a.update(acceptedAt=accepted, startedAt=started, doneAt=done)
        self.event("DONE", done, "UNIT_OPERATOR", unit, unit)

    def chase(self, unit: str, a: Row) -> None:
        """督办 a dispatch past a limit, before it caught up (or, still behind, before now)."""
        if a["acceptedAt"] is None or a["acceptedAt"] > a["acceptDue"]:
            due, caught_up = a["acceptDue"], a["acceptedAt"]
        elif a["doneAt"] is None or a["doneAt"] > a["finishDue"]:
            due, caught_up = a["finishDue"], a["doneAt"]
        else:
            return
        at = due + int(self.rng.uniform(1, 24) * H)
        if at >= min(self.now, caught_up or self.now) or self.rng.random() >= CHASED:
            return
        role, scope = (
            ("COUNTY_ADMIN", self.county)
            if self.rng.random() < 0.5
            else ("STREET_ADMIN", self.street)
        )
        self.plan.chases.append({
            "id": _id("chs", self.seed, self.id, at), "demandId": self.id, "unitId": unit,
            "props": {"at": at, "byRole": role, "byScope": scope, "note": "请尽快办理"},
        })  # fmt: skip
        self.event("CHASE", at, role, scope, unit)

    def whistle(self, unit: str, a: Row) -> None:
        """吹哨 (once per demand): for a 难事 or 大事, or for one overdue at ``now``; the
        summoned units 报到, most within their limit."""
        rng = self.rng
        overdue = a["doneAt"] is None and (
            (a["acceptedAt"] is None and self.now > a["acceptDue"]) or self.now > a["finishDue"]
        )
        share = WHISTLED.get(str(self.matter_class), WHISTLED_OTHER)
        if self.whistled or rng.random() >= (WHISTLED_OVERDUE if overdue else share):
            return
        at = a["dispatchedAt"] + int(rng.uniform(6, 72) * H)
        if at >= min(self.now, a["doneAt"] or self.now):
            return
        self.whistled = True
        summons = []
        for other in sorted({unit, rng.choice(self.units)}):
            hours = rng.uniform(26, 48) if rng.random() < REPORTS_LATE else rng.uniform(1, 20)
            answered = at + int(hours * H)
            ok = answered < self.now
            summons.append({"unitId": other, "due": at + SUMMONS_DUE,
                            "respondedAt": answered if ok else None,
                            "response": "已报到, 到现场协调" if ok else None})  # fmt: skip
            if ok:
                self.event("RESPOND", answered, "UNIT_OPERATOR", other, other)
        self.plan.whistles.append({
            "id": _id("whs", self.seed, self.id, at), "demandId": self.id, "summons": summons,
            "props": {"at": at, "level": "STREET", "fromCode": self.community,
                      "toCode": self.street, "note": "社区协调不了, 请街道吹哨"},
        })  # fmt: skip
        self.event("WHISTLE", at, "COMMUNITY_ADMIN", self.community)

    def callback(self, done: int, *, reopens: bool) -> str | None:
        """回访 after 办结 (most are called back); the rating, or None; 不满意 only when
        it ``reopens`` the demand."""
        rng = self.rng
        at = done + int(rng.uniform(2, 72) * H)
        if at >= self.now or rng.random() >= CALLED_BACK:
            return None
        draw, rating = rng.random(), RATINGS[-1][0]
        for name, share in RATINGS:
            if draw < share:
                rating = name
                break
            draw -= share
        if rating == "UNSATISFIED" and not reopens:
            rating = "BASIC"
        self.plan.callbacks.append({
            "id": _id("cbk", self.seed, self.id, at), "demandId": self.id,
            "props": {"at": at, "rating": rating, "comment": ""},
        })  # fmt: skip
        self.event("CALLBACK", at, "COMMUNITY_ADMIN", self.community)
        self.called = at
        return rating

    def build(self, status: str, span: int) -> tuple[str, str, int]:
        """The timeline for a demand of roster ``status``: its list status and stage
        after it, and when it was reported."""
        rng, unit = self.rng, self.rng.choice(self.units)
        finish_limit = self.limits[1]
        resolved = status == "RESOLVED"
        # over the span, and a share in the last days (the backlog a county has open)
        recent = rng.random() < BACKLOG
        reported = self.now - H - int(rng.uniform(0, BACKLOG_DAYS * DAY if recent else span))
        if resolved:  # old enough to be done
            reported -= int(2.5 * finish_limit)
        at = reported + int(rng.uniform(1, 24) * H)
        if not resolved and (at >= self.now or rng.random() < UNDISPATCHED):
            return status, "REPORTED", reported
        for round in range(3):  # a dispatch, and up to two 重办 after a 不满意
            a = self.dispatch(unit, at, reopened=round > 0, finish=True)
            if a["doneAt"] is None and resolved:
                self.force_done(unit, a)
            if a["doneAt"] is None:
                if a["startedAt"] is not None:
                    return status, "IN_PROGRESS", reported
                return status, "ACCEPTED" if a["acceptedAt"] else "DISPATCHED", reported
            rating = self.callback(a["doneAt"], reopens=round < 2)
            if rating is None:
                return "RESOLVED", "DONE", reported
            if rating != "UNSATISFIED":
                return "RESOLVED", "EVALUATED", reported
            # 重办: dispatched again to the same unit soon after the call-back
            at = self.called + int(rng.uniform(0.1, 1) * min(H, self.now - self.called))
        raise AssertionError("the last round is not reopened")


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
        status, stage, reported = demand.build(str(row["status"]), span_days * DAY)
        found.stages.append(
            {"demandId": demand.id, "status": status, "stage": stage, "reportedAt": reported}
        )
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
