"""A joint meeting's allocation plan: resources to open demands, maximising total score.

Every pair is scored as in ``matching.score`` (out of scope and exhausted resources
are not pairs at all); each demand keeps its best ``candidatesPerDemand`` pairs at or
above ``minScore``. Then one linear programme (scipy's HiGHS)::

    maximise   Σ score(d, r)·x(d, r) − spread · Σ_u Σ_k k·y(u, k)
    subject to Σ_r x(d, r) ≤ 1                        each demand gets one resource
               Σ_d x(d, r) ≤ capacity left of r       never beyond capacity
               Σ_{r of u} x(d, r) ≤ Σ_k y(u, k)       unit u's load, in unit steps (spread > 0)
               Σ_{r of u} x(d, r) ≤ maxPerUnit        (when given)
               0 ≤ x, y ≤ 1

The constraint rows are two laminar families (demands; resources nested in units),
so the matrix is totally unimodular and the optimal vertex is 0/1: an exact
assignment, not a rounding. The k-th project of a unit costs ``spread × (k − 1)``:
a convex penalty that spreads the load when scores are close. Each unassigned demand
gets the reason it was left.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import linprog

from domain.vocab import Urgency
from matching.facts import DemandFacts, ResourceFacts, UnitFacts
from matching.models import (
    Candidate,
    EmptyCode,
    EmptyReason,
    Plan,
    PlanItem,
    PlanOptions,
    PlanStats,
    Unmet,
    UnmetReason,
)
from matching.score import Scorer, levels, rows_relative
from matching.side import Side
from matching.text import Corpus

Array = npt.NDArray[np.float64]


@dataclass
class _Arcs:
    demand: list[int]
    resource: list[int]
    score: list[float]


@dataclass
class _Status:
    """What the first pass learnt of each demand, to explain it if it stays unmet."""

    in_scope: npt.NDArray[np.bool_]
    available: npt.NDArray[np.bool_]
    best: npt.NDArray[np.int64]  # best finite resource or -1
    best_score: Array
    bm25_top: Array


def allocate(
    scope_id: str,
    demands: Sequence[DemandFacts],
    resources: Sequence[ResourceFacts],
    units: Mapping[str, UnitFacts],
    options: PlanOptions,
    *,
    using: Scorer,
) -> Plan:
    """The plan for these open demands and resources (all already in the meeting's scope)."""
    cfg = using.cfg.plan
    min_score = cfg.min_score if options.minScore is None else options.minScore
    per_demand = options.candidatesPerDemand or cfg.candidates_per_demand
    wanted = [
        d
        for d in demands
        if (options.categories is None or d.category in options.categories)
        and (not options.urgentOnly or d.urgency == Urgency.URGENT)
    ]
    started = time.perf_counter()
    side = using.side(resources, units)
    corpus = Corpus([doc.tokens for doc in side.docs], using.bm25_params)
    arcs, status = _score(using, wanted, side, units, corpus, min_score, per_demand)
    scored = time.perf_counter()
    chosen, penalty = _solve(arcs, wanted, resources, options)
    solved = time.perf_counter()

    explained = _explain(using, wanted, resources, units, corpus, status, arcs, chosen)
    items = [
        PlanItem(
            demandId=wanted[i].id,
            resourceId=resources[j].id,
            unitId=resources[j].unit_id,
            candidate=explained[(i, j)],
        )
        for i, j in chosen
    ]
    items.sort(key=lambda item: (-item.candidate.score, item.demandId))
    unmet = _unmet(wanted, resources, arcs, chosen, status, explained, options, min_score)
    stats = PlanStats(
        demands=len(wanted),
        resources=len(resources),
        arcs=len(arcs.score),
        assigned=len(items),
        totalScore=sum(item.candidate.score for item in items),
        spreadPenalty=penalty,
        solveSeconds=solved - scored,
        scoreSeconds=scored - started,
    )
    return Plan(
        scopeId=scope_id,
        options=options,
        items=items,
        unmet=unmet,
        stats=stats,
        empty=None if items else _empty(demands, wanted, resources),
    )


def _empty(
    demands: Sequence[DemandFacts],
    wanted: Sequence[DemandFacts],
    resources: Sequence[ResourceFacts],
) -> EmptyReason:
    """Why a plan assigns nothing."""
    if not demands:
        return EmptyReason(code=EmptyCode.NO_OPEN_DEMAND, sentence="范围内没有待解决的需求")
    if not wanted:
        return EmptyReason(
            code=EmptyCode.NO_OPEN_DEMAND, sentence="范围内没有符合筛选条件的待解决需求"
        )
    if not resources:
        return EmptyReason(
            code=EmptyCode.NO_RESOURCE_IN_SCOPE, sentence="范围内没有可用的资源，需求均未满足"
        )
    return EmptyReason(
        code=EmptyCode.NOTHING_ASSIGNED,
        sentence="没有达到分数阈值且尚有余量的资源与需求组合：见各需求的未满足原因",
    )


def _score(
    using: Scorer,
    demands: Sequence[DemandFacts],
    side: Side,
    units: Mapping[str, UnitFacts],
    corpus: Corpus,
    min_score: float,
    per_demand: int,
) -> tuple[_Arcs, _Status]:
    n = len(demands)
    arcs = _Arcs([], [], [])
    status = _Status(
        in_scope=np.zeros(n, dtype=bool),
        available=np.zeros(n, dtype=bool),
        best=np.full(n, -1, dtype=np.int64),
        best_score=np.full(n, -np.inf),
        bm25_top=np.zeros(n),
    )
    left = side.left > 0
    chunk = using.cfg.plan.chunk
    for start in range(0, n, chunk):
        part = demands[start : start + chunk]
        level = levels(part, side)
        raw = corpus.scores(
            [doc.tokens for doc in using.docs.get([d.text for d in part], query=True)]
        )
        text, top = rows_relative(np.where(level > 0, raw, 0.0))
        total = using.total(using.pairs(part, side, units, text=text))
        rows = slice(start, start + len(part))
        status.bm25_top[rows] = top
        status.in_scope[rows] = (level > 0).any(axis=1)
        status.available[rows] = ((level > 0) & left[None, :]).any(axis=1)
        k = min(per_demand, total.shape[1])
        if k == 0:
            continue
        best = np.argpartition(-total, k - 1, axis=1)[:, :k]
        for i in range(len(part)):
            row = total[i, best[i]]
            order = np.argsort(-row, kind="stable")
            first = best[i, order[0]]
            if np.isfinite(total[i, first]):
                status.best[start + i] = first
                status.best_score[start + i] = total[i, first]
            for j in best[i, order]:
                if np.isfinite(total[i, j]) and total[i, j] >= min_score:
                    arcs.demand.append(start + i)
                    arcs.resource.append(int(j))
                    arcs.score.append(float(total[i, j]))
    return arcs, status


def _solve(
    arcs: _Arcs,
    demands: Sequence[DemandFacts],
    resources: Sequence[ResourceFacts],
    options: PlanOptions,
) -> tuple[list[tuple[int, int]], float]:
    """The optimal (demand, resource) pairs and the spreading penalty paid."""
    n_arcs = len(arcs.score)
    if n_arcs == 0:
        return [], 0.0
    d_idx = np.asarray(arcs.demand)
    r_idx = np.asarray(arcs.resource)
    unit_of = {}
    for j in set(arcs.resource):
        unit_of[j] = resources[j].unit_id
    unit_names = sorted(set(unit_of.values()))
    unit_number = {u: k for k, u in enumerate(unit_names)}
    u_idx = np.asarray([unit_number[unit_of[j]] for j in arcs.resource])

    columns = np.arange(n_arcs)
    blocks = [
        sparse.csr_matrix((np.ones(n_arcs), (d_idx, columns)), shape=(len(demands), n_arcs)),
        sparse.csr_matrix((np.ones(n_arcs), (r_idx, columns)), shape=(len(resources), n_arcs)),
    ]
    bounds_rhs = [np.ones(len(demands)), np.asarray([r.left for r in resources], dtype=float)]
    cost = [-np.asarray(arcs.score)]
    n_units = len(unit_names)
    if options.maxPerUnit is not None:
        blocks.append(
            sparse.csr_matrix((np.ones(n_arcs), (u_idx, columns)), shape=(n_units, n_arcs))
        )
        bounds_rhs.append(np.full(n_units, float(options.maxPerUnit)))
    segments_of: list[int] = []
    if options.spread > 0:
        # unit u's load in unit steps: its k-th step costs spread × k (k from 0)
        load_cap = np.bincount(u_idx, minlength=n_units)
        segment_unit = np.repeat(np.arange(n_units), load_cap)
        segment_step = np.concatenate([np.arange(c) for c in load_cap])
        segments_of = list(segment_unit)
        n_seg = len(segment_unit)
        load = sparse.hstack(
            [
                sparse.csr_matrix((np.ones(n_arcs), (u_idx, columns)), shape=(n_units, n_arcs)),
                sparse.csr_matrix(
                    (-np.ones(n_seg), (segment_unit, np.arange(n_seg))), shape=(n_units, n_seg)
                ),
            ]
        )
        blocks = [sparse.hstack([b, sparse.csr_matrix((b.shape[0], n_seg))]) for b in blocks]
        blocks.append(load.tocsr())
        bounds_rhs.append(np.zeros(n_units))
        cost.append(options.spread * segment_step.astype(float))
    a_ub = sparse.vstack(blocks).tocsc()
    result = linprog(
        np.concatenate(cost),
        A_ub=a_ub,
        b_ub=np.concatenate(bounds_rhs),
        bounds=(0, 1),
        method="highs",
    )
    if result.status != 0:  # pragma: no cover - the problem is always feasible (x = 0)
        raise RuntimeError(f"allocation LP failed: {result.message}")
    x = np.asarray(result.x)
    taken = [int(a) for a in np.flatnonzero(x[:n_arcs] > 0.5)]
    penalty = float(np.dot(np.concatenate(cost)[n_arcs:], x[n_arcs:])) if segments_of else 0.0
    return _feasible(taken, arcs, resources, options), penalty


def _feasible(
    taken: list[int], arcs: _Arcs, resources: Sequence[ResourceFacts], options: PlanOptions
) -> list[tuple[int, int]]:
    """The chosen arcs, best first, dropping any that would break a constraint.

    The LP's vertex is integral, so nothing is dropped in practice; this makes the
    guarantee independent of the solver's tolerances.
    """
    served: set[int] = set()
    used: dict[int, int] = defaultdict(int)
    per_unit: dict[str, int] = defaultdict(int)
    out: list[tuple[int, int]] = []
    for a in sorted(taken, key=lambda a: -arcs.score[a]):
        i, j = arcs.demand[a], arcs.resource[a]
        unit = resources[j].unit_id
        if i in served or used[j] + 1 > resources[j].left:
            continue
        if options.maxPerUnit is not None and per_unit[unit] >= options.maxPerUnit:
            continue
        served.add(i)
        used[j] += 1
        per_unit[unit] += 1
        out.append((i, j))
    return out


def _explain(
    using: Scorer,
    demands: Sequence[DemandFacts],
    resources: Sequence[ResourceFacts],
    units: Mapping[str, UnitFacts],
    corpus: Corpus,
    status: _Status,
    arcs: _Arcs,
    chosen: list[tuple[int, int]],
) -> dict[tuple[int, int], Candidate]:
    """Candidates for the chosen pairs and for each unmet demand's best pair, scored
    exactly as in the first pass (BM25 relative to the same best candidate)."""
    served = {i for i, _ in chosen}
    wanted: dict[int, set[int]] = defaultdict(set)
    for i, j in chosen:
        wanted[i].add(j)
    for i in range(len(demands)):
        if i not in served and status.best[i] >= 0:
            wanted[i].add(int(status.best[i]))
    rank_of: dict[tuple[int, int], int] = {}
    position: dict[int, int] = defaultdict(int)
    for i, j in zip(arcs.demand, arcs.resource, strict=True):
        position[i] += 1
        rank_of[(i, j)] = position[i]
    out: dict[tuple[int, int], Candidate] = {}
    order = sorted(wanted)
    for start in range(0, len(order), using.cfg.plan.chunk):
        rows = order[start : start + using.cfg.plan.chunk]
        cols = sorted({j for i in rows for j in wanted[i]})
        part = [demands[i] for i in rows]
        subset = using.side([resources[j] for j in cols], units)
        level = levels(part, subset)
        d_docs = using.docs.get([d.text for d in part], query=True)
        raw = corpus.scores([doc.tokens for doc in d_docs])[:, cols]
        top = status.bm25_top[rows][:, None]
        text = np.divide(raw, top, out=np.zeros_like(raw), where=top > 0) * (level > 0)
        pairs = using.pairs(part, subset, units, text=text)
        for a, i in enumerate(rows):
            for b, j in enumerate(cols):
                if j in wanted[i]:
                    out[(i, j)] = using.explain(pairs, a, b, rank=rank_of.get((i, j), 1))
    return out


def _unmet(
    demands: Sequence[DemandFacts],
    resources: Sequence[ResourceFacts],
    arcs: _Arcs,
    chosen: list[tuple[int, int]],
    status: _Status,
    explained: dict[tuple[int, int], Candidate],
    options: PlanOptions,
    min_score: float,
) -> list[Unmet]:
    served = {i for i, _ in chosen}
    taken_by: dict[int, list[int]] = defaultdict(list)
    for i, j in chosen:
        taken_by[j].append(i)
    used: dict[int, int] = defaultdict(int)
    for _, j in chosen:
        used[j] += 1
    arcs_of: dict[int, list[int]] = defaultdict(list)
    for i, j in zip(arcs.demand, arcs.resource, strict=True):
        arcs_of[i].append(j)
    out: list[Unmet] = []
    for i, d in enumerate(demands):
        if i in served:
            continue
        best_j = int(status.best[i])
        best = explained.get((i, best_j)) if best_j >= 0 else None
        takers: list[str] = []
        place = d.community_name or "该社区"
        if not status.in_scope[i]:
            reason, sentence = UnmetReason.NO_RESOURCE_IN_SCOPE, f"没有服务范围覆盖{place}的资源"
        elif not status.available[i]:
            reason, sentence = UnmetReason.CAPACITY_EXHAUSTED, "服务范围内的资源均已满额"
        elif not arcs_of[i]:
            reason = UnmetReason.BELOW_THRESHOLD
            sentence = (
                f"最匹配的资源「{best.resourceName}」（{best.unitName}）得分 {best.score:.2f}，"
                f"低于门槛 {min_score:.2f}"
                if best
                else f"没有得分达到门槛 {min_score:.2f} 的资源"
            )
        elif any(used[j] < resources[j].left for j in arcs_of[i]):
            reason = UnmetReason.UNIT_LIMIT
            sentence = "为分摊负载，其候选资源所属单位已承担足够项目"
        else:
            reason = UnmetReason.OUTCOMPETED
            names = "、".join(dict.fromkeys(resources[j].name for j in arcs_of[i][:3]))
            sentence = f"候选资源（{names}）的容量已安排给得分更高的需求"
            takers = list(dict.fromkeys(demands[t].id for j in arcs_of[i] for t in taken_by[j]))
        out.append(
            Unmet(
                demandId=d.id,
                title=d.title,
                communityId=d.community_id,
                category=d.category,
                urgency=d.urgency,
                matterClass=d.matter_class,
                reason=reason,
                sentence=sentence,
                best=best,
                takenBy=takers[:10],
            )
        )
    out.sort(key=lambda u: (u.urgency != Urgency.URGENT, u.communityId, u.demandId))
    return out
