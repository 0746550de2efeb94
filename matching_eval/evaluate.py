"""Evaluate matchResources on the labeled set: hit@1, hit@3 and MRR of four rankings.

    .venv/bin/python matching_eval/evaluate.py [--folds 5] [--repeats 10] [--json out.json]

The folder's units.csv, resources.csv and labeled_demands.csv are loaded through the
roster loaders into a fresh embedded graph; every labeled demand is ranked against
the resources that reach its community, exactly as matchResources does. A hit at k:
the top k resources include one offered by a unit in 应服务单位. Tied scores are
counted in expectation over a random order of the tie (no lucky tie-breaking).

Rankings: category only, BM25 only, embeddings only, and the fused score with the
configured (a priori) weights. Then, to check the weights are not fitted to these
labels, a cross-validated grid search: in each of k folds the relevance weights
(category, BM25, embedding on a 0.05 simplex grid) and a multiplier of the other
terms are chosen on the training folds by MRR and scored on the held-out fold.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import math
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

import loaders
from graph.backends.embedded import EmbeddedServer
from graph.backends.falkordb import FalkorBackend
from graph.queries import places
from graph.store import Store
from matching.config import MatchingConfig, Weights, config
from matching.rank import scorer
from matching.score import Pairs, Scorer
from resolvers.matching import scope_facts

HERE = Path(__file__).resolve().parent
FILES = ("units.csv", "resources.csv", "labeled_demands.csv")
RELEVANCE = ("category", "bm25", "embedding")
Array = npt.NDArray[np.float64]


@dataclass
class Case:
    """One labeled demand: its signals against its candidates, and which are relevant."""

    code: str
    flagged: bool
    pairs: Pairs
    relevant: npt.NDArray[np.bool_]


def expected_metrics(scores: Array, relevant: npt.NDArray[np.bool_]) -> tuple[float, float, float]:
    """hit@1, hit@3 and reciprocal rank, in expectation over random orders of ties.

    >>> expected_metrics(np.array([1.0, 1.0, 0.5]), np.array([False, True, False]))
    (0.5, 1.0, 0.75)
    """
    keep = np.isfinite(scores)
    scores, relevant = np.round(scores[keep], 12), relevant[keep]
    before = 0
    hits = {1: 0.0, 3: 0.0}
    for level in sorted(set(scores.tolist()), reverse=True):
        group = scores == level
        n, r = int(group.sum()), int(relevant[group].sum())
        if r:
            for k in hits:
                slots = k - before
                if slots > 0:
                    hits[k] = 1 - math.comb(n - r, min(slots, n)) / math.comb(n, min(slots, n))
            rr = sum(
                math.comb(n - x, r - 1) / math.comb(n, r) / (before + x)
                for x in range(1, n - r + 2)
            )
            return hits[1], hits[3], rr
        before += n
    return 0.0, 0.0, 0.0


def totals(using: Scorer, case: Case) -> Array:
    return np.asarray(using.total(case.pairs)[0], dtype=np.float64)


def evaluate(cases: Sequence[Case], using: Scorer) -> tuple[float, float, float]:
    if not cases:
        return (math.nan,) * 3
    rows = [expected_metrics(totals(using, c), c.relevant) for c in cases]
    return tuple(float(np.mean([row[m] for row in rows])) for m in range(3))  # type: ignore[return-value]


def weighted(
    base: MatchingConfig, relevance: tuple[float, float, float], others: float
) -> MatchingConfig:
    """Relevance weights as given; every other weight scaled by ``others``."""
    defaults = base.weights.model_dump()
    update = {k: v * others for k, v in defaults.items() if k not in RELEVANCE}
    update |= dict(zip(RELEVANCE, relevance, strict=True))
    return base.model_copy(update={"weights": Weights(**update)})


def grid(step: float = 0.05) -> list[tuple[float, float, float]]:
    n = round(1 / step)
    return [(a / n, b / n, (n - a - b) / n) for a in range(n + 1) for b in range(n + 1 - a)]


Key = tuple[tuple[float, float, float], float]


def cross_validate(
    cases: Sequence[Case], using: Scorer, *, folds: int, repeats: int, seed: int
) -> tuple[tuple[float, float, float], Counter[Key]]:
    """Held-out metrics of weights chosen on the training folds, and how often each won.

    The candidates: relevance weights on a 0.05 grid of the simplex, times a multiplier
    (0, 0.5, 1, 2) of every other configured weight; chosen by training MRR, then hit@3.
    """
    candidates: list[Key] = [(rel, others) for rel in grid() for others in (0.0, 0.5, 1.0, 2.0)]
    per_case: dict[Key, npt.NDArray[np.float64]] = {}
    for rel, others in candidates:
        s = Scorer(weighted(using.cfg, rel, others), using.vectors, using.tokenizer)
        per_case[(rel, others)] = np.asarray(
            [expected_metrics(totals(s, c), c.relevant) for c in cases]
        )
    held: list[npt.NDArray[np.float64]] = []
    chosen: Counter[Key] = Counter()
    rng = random.Random(seed)
    for _ in range(repeats):
        order = list(range(len(cases)))
        rng.shuffle(order)
        for f in range(folds):
            test = order[f::folds]
            train = [i for i in order if i not in set(test)]
            scores = {key: _train_score(per_case[key], train) for key in candidates}
            best = max(candidates, key=scores.__getitem__)
            held.append(per_case[best][test])
            chosen[best] += 1
    rows = np.concatenate(held)
    return (float(rows[:, 0].mean()), float(rows[:, 1].mean()), float(rows[:, 2].mean())), chosen


def _train_score(rows: npt.NDArray[np.float64], train: list[int]) -> tuple[float, float]:
    return float(rows[train, 2].mean()), float(rows[train, 1].mean())


async def load_cases(folder: Path, store: Store) -> list[Case]:
    report = await loaders.load_paths(store, [folder / name for name in FILES])
    if report.exitCode != 0:
        for error in report.errors[:20]:
            print(error, file=sys.stderr)
        raise SystemExit(f"the labeled set did not load cleanly ({len(report.errors)} errors)")
    [county] = [row["node"]["id"] for row in await store.run(places.COUNTIES)]
    facts = await scope_facts(store, county)
    unit_of_name = {u.name: u.id for u in facts.units.values()}
    demand_of = {(d.community_name, d.title): d for d in facts.demands}
    using = scorer()
    cases = []
    with (folder / "labeled_demands.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            demand = demand_of[(row["社区"], row["需求标题"])]
            expected = {unit_of_name[name] for name in row["应服务单位"].split("、")}
            pairs = using.pairs([demand], facts.resources, facts.units)
            relevant = np.asarray([r.unit_id in expected for r in facts.resources])
            flagged = row["说明"].startswith(("【类别误填】", "【类别误导】"))
            cases.append(Case(row["编号"], flagged, pairs, relevant))
    return cases


def table(results: dict[str, tuple[float, float, float]], n: int) -> str:
    lines = [f"{'ranking':<34} {'hit@1':>7} {'hit@3':>7} {'MRR':>7}   (n={n})"]
    lines += [
        f"{name:<34} {h1:7.3f} {h3:7.3f} {mrr:7.3f}" for name, (h1, h3, mrr) in results.items()
    ]
    return "\n".join(lines)


async def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--folder", type=Path, default=HERE)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="gongjian-eval-") as tmp:
        async with Store(FalkorBackend(graph="eval", server=EmbeddedServer(Path(tmp)))) as store:
            await store.migrate()
            cases = await load_cases(args.folder, store)

    base = config()
    using = scorer(base)
    rankings = {
        "category only": base.only("category"),
        "BM25 only": base.only("bm25"),
        "embeddings only": base.only("embedding"),
        "fused (configured weights)": base,
        "fused, relevance terms only": base.only(*RELEVANCE),
    }
    out: dict[str, object] = {}
    for subset, chosen_cases in (("all", cases), ("flagged", [c for c in cases if c.flagged])):
        results = {
            name: evaluate(chosen_cases, Scorer(cfg, using.vectors, using.tokenizer))
            for name, cfg in rankings.items()
        }
        title = (
            "all labeled demands"
            if subset == "all"
            else "the 11 demands with misleading categories"
        )
        print(f"\n{title}\n{table(results, len(chosen_cases))}")
        out[subset] = {
            name: dict(zip(("hit@1", "hit@3", "mrr"), v, strict=True))
            for name, v in results.items()
        }

    held, chosen = cross_validate(
        cases, using, folds=args.folds, repeats=args.repeats, seed=args.seed
    )
    print(
        f"\n{args.repeats}×{args.folds}-fold cross-validated grid search (weights chosen on the "
        "training folds by MRR, scored on the held-out fold)"
    )
    print(table({"fused (CV-tuned weights)": held}, len(cases)))
    common = chosen.most_common(5)
    print(
        "weights chosen most often ((category, bm25, embedding), others ×): "
        + "; ".join(f"{k} in {v} folds" for k, v in common)
    )
    out["cv"] = {
        "hit@1": held[0],
        "hit@3": held[1],
        "mrr": held[2],
        "chosen": [[list(k[0]), k[1], v] for k, v in common],
    }
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    fused = out["all"]["fused (configured weights)"]["hit@3"]  # type: ignore[index]
    singles = [out["all"][n]["hit@3"] for n in ("category only", "BM25 only", "embeddings only")]  # type: ignore[index]
    beats = all(fused > s for s in singles)
    print(f"\nfused hit@3 beats every single signal: {'yes' if beats else 'NO'}")
    return 0 if beats else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
