"""Signals -> terms -> a score that explains itself.

For demands × resources, ``Scorer.pairs`` computes every signal in [0, 1] as arrays:

- relevance: category compatibility (``matching.categories``), BM25 relative to the
  best candidate, and the e5 cosine mapped linearly from [floor, ceiling] to [0, 1];
- ties of the resource's unit to the demand's community: lead unit, liaison unit,
  co-building agreement, sited in the community / street / county;
- the resource: how specific its service scope is, the share of capacity left;
- the unit's track record: delivered projects n / (n + half), evaluations as a mean
  shrunk towards a prior;
- the demand's priority: urgency and 五事 class.

``relevance = Σ w·signal`` over the first three; every other term enters as
``w · signal · relevance / Σw_relevance``. ``Scorer.total`` gives the scores of all
pairs at once (to rank and to plan); ``Scorer.explain`` (``matching.explain``) turns
one pair into a ``Candidate`` whose reasons' contributions add up to its score exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from domain.vocab import Urgency
from matching import categories
from matching.config import MatchingConfig, Signals
from matching.embed import VectorCache
from matching.explain import explain
from matching.facts import DemandFacts, ResourceFacts, UnitFacts
from matching.models import Candidate, ReasonKind
from matching.side import Doc, Docs, Ints, Side, build, index
from matching.text import BM25Params, Corpus, Tokenizer, bm25_counts, relative

Array = npt.NDArray[np.float64]
K = ReasonKind


@dataclass
class Pairs:
    """The signals of demands × resources, kept factored: the full (demands × resources)
    matrices are only the text ones and the scope level; category, ties, capacity,
    track record and priority are small tables and vectors indexed per pair."""

    demands: Sequence[DemandFacts]
    side: Side
    units: Mapping[str, UnitFacts]
    signals: Signals
    level: npt.NDArray[np.int8]
    cosine: npt.NDArray[np.float32]
    bm25: npt.NDArray[np.float32]
    demand_tokens: list[tuple[str, ...]]
    category: Ints  # each demand's category index
    community: Ints  # each demand's community / street column in the tie tables
    street: Ints
    county: Ints  # each demand's county index in side.counties, -2 if none
    #: (units + 1) × (places + 1) tables of ties: lead, liaison, agreement, located
    ties: dict[ReasonKind, Array]
    located: Array
    urgency: Array
    matter: Array

    @property
    def resources(self) -> Sequence[ResourceFacts]:
        return self.side.resources

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.demands), len(self.side.resources)

    def embedding(self, cosine: npt.NDArray[np.float32] | float) -> Any:
        s = self.signals
        span = max(s.embedding_ceiling - s.embedding_floor, 1e-9)
        return np.clip((cosine - s.embedding_floor) / span, 0.0, 1.0)

    def at(self, kind: ReasonKind, i: int, j: int) -> float:
        """One pair's signal, in [0, 1]."""
        s, side = self.signals, self.side
        u = side.unit_of[j]
        match kind:
            case K.CATEGORY:
                return float(categories.matrix()[self.category[i], side.category[j]])
            case K.BM25:
                return float(self.bm25[i, j])
            case K.EMBEDDING:
                return float(self.embedding(float(self.cosine[i, j])))
            case K.LEAD | K.LIAISON | K.AGREEMENT:
                return float(self.ties[kind][u, self.community[i]])
            case K.PROXIMITY:
                return max(
                    s.proximity_community * float(self.located[u, self.community[i]]),
                    s.proximity_street * float(self.located[u, self.street[i]]),
                    s.proximity_county * float(self.county[i] == side.county_of[j]),
                )
            case K.SCOPE:
                return _scope_values(s)[int(self.level[i, j])]
            case K.CAPACITY:
                return float(side.share[0, j])
            case K.TRACK_RECORD:
                return float(side.track[0, j])
            case K.EVALUATION:
                return float(side.evaluation[0, j])
            case K.URGENCY:
                return float(self.urgency[i])
            case K.MATTER_CLASS:
                return float(self.matter[i])
        raise ValueError(kind)  # pragma: no cover


def _scope_values(s: Signals) -> list[float]:
    return [0.0, s.scope_county, s.scope_street, s.scope_community]


def levels(demands: Sequence[DemandFacts], side: Side) -> npt.NDArray[np.int8]:
    """3, 2, 1 where the resource serves the demand's community, street, county; else 0."""
    level = np.zeros((len(demands), len(side.resources)), dtype=np.int8)
    for i, d in enumerate(demands):
        for near, code in ((d.county_id, 1), (d.street_id, 2), (d.community_id, 3)):
            found = side.where.get(near) if near is not None else None
            if found is not None:
                level[i, found] = code  # later (closer) places win
    return level


def _table(
    side: Side,
    tied: Sequence[tuple[int, UnitFacts]],
    places: dict[str, int],
    members: Callable[[UnitFacts], frozenset[str]],
) -> Array:
    """(units + 1) × (places + 1): 1.0 where the unit holds the place (last row/column: none)."""
    table = np.zeros((len(side.unit_ids) + 1, len(places) + 1))
    for u, facts in tied:
        for place in members(facts):
            column = places.get(place)
            if column is not None:
                table[u, column] = 1.0
    return table


def rows_relative(raw: Array) -> tuple[Array, Array]:
    """Each row relative to its best value, and those best values."""
    top = raw.max(axis=1, keepdims=True) if raw.size else np.zeros((raw.shape[0], 1))
    return np.divide(raw, top, out=np.zeros_like(raw), where=top > 0), top[:, 0]


_shared: dict[tuple[int, int], Docs] = {}


def _docs(vectors: VectorCache, tokenizer: Tokenizer) -> Docs:
    """One memo per (vector cache, tokenizer): scorers of other weights share it."""
    key = (id(vectors), id(tokenizer))
    found = _shared.get(key)
    if found is None or found.vectors is not vectors or found.tokenizer is not tokenizer:
        found = _shared[key] = Docs(vectors, tokenizer)
    return found


class Scorer:
    """Scores pairs under one configuration, with one tokenizer and vector cache."""

    def __init__(self, cfg: MatchingConfig, vectors: VectorCache, tokenizer: Tokenizer) -> None:
        self.cfg = cfg
        self.vectors = vectors
        self.tokenizer = tokenizer
        self.docs = _docs(vectors, tokenizer)
        self.bm25_params = BM25Params(cfg.signals.bm25_k1, cfg.signals.bm25_b)

    def side(self, resources: Sequence[ResourceFacts], units: Mapping[str, UnitFacts]) -> Side:
        """The resources as arrays, to score many demand batches against."""
        return build(resources, units, self.docs, self.cfg.signals)

    def pairs(
        self,
        demands: Sequence[DemandFacts],
        resources: Sequence[ResourceFacts] | Side,
        units: Mapping[str, UnitFacts],
        *,
        resource_is_query: bool = False,
        text: Array | None = None,
    ) -> Pairs:
        """Every signal of demands × resources.

        BM25 takes each demand as the query against the resources in its scope;
        ``resource_is_query`` (one resource, many demands: 接单) takes the resource as
        the query against the demands. Callers that score many demand batches against
        one resource set pass its ``side`` and the relative BM25 ``text`` they computed.
        """
        side = resources if isinstance(resources, Side) else self.side(resources, units)
        level = levels(demands, side)
        d_docs = self.docs.get([d.text for d in demands], query=True)
        if text is None:
            text = self.bm25(d_docs, side, level, resource_is_query=resource_is_query)
        cosine = self.docs.matrix(d_docs) @ side.vectors.T
        places, _ = index([p for d in demands for p in (d.community_id, d.street_id)])
        none = len(places)
        s = self.cfg.signals
        at = side.unit_index
        tied = [
            (at[uid], f)
            for uid, f in units.items()
            if (f.leads or f.liaises or f.agreements or f.located) and uid in at
        ]
        return Pairs(
            demands=demands,
            side=side,
            units=units,
            signals=s,
            level=level,
            cosine=cosine,
            bm25=np.asarray(text, dtype=np.float32),
            demand_tokens=[d.tokens for d in d_docs],
            category=np.asarray([categories.INDEX[d.category] for d in demands], dtype=np.int64),
            community=np.asarray([places[d.community_id] for d in demands], dtype=np.int64),
            street=np.asarray(
                [places.get(d.street_id or "", none) for d in demands], dtype=np.int64
            ),
            county=np.asarray([side.counties.get(d.county_id or "", -2) for d in demands]),
            ties={
                K.LEAD: _table(side, tied, places, lambda u: u.leads),
                K.LIAISON: _table(side, tied, places, lambda u: u.liaises | u.leads),
                K.AGREEMENT: _table(side, tied, places, lambda u: u.agreements),
            },
            located=_table(side, tied, places, lambda u: u.located),
            urgency=np.asarray([float(d.urgency == Urgency.URGENT) for d in demands]),
            matter=np.asarray([s.matter_class.get(d.matter_class, 0.0) for d in demands]),
        )

    def bm25(
        self,
        d_docs: Sequence[Doc],
        side: Side,
        level: npt.NDArray[np.int8],
        *,
        resource_is_query: bool = False,
    ) -> Array:
        """BM25 relative to the best in-scope candidate of each query."""
        n_d, n_r = len(d_docs), len(side.docs)
        p = self.bm25_params
        if resource_is_query and n_r == 1:
            inside = np.flatnonzero(level[:, 0])
            docs = [d_docs[int(i)] for i in inside]
            lengths = np.asarray([len(d.tokens) for d in docs], dtype=np.float64)
            out = np.zeros((n_d, 1))
            out[inside, 0] = relative(
                bm25_counts(side.docs[0].tokens, [d.counts for d in docs], lengths, p)
            )
            return out
        if n_d == 1:
            inside = np.flatnonzero(level[0])
            counts = [side.docs[int(j)].counts for j in inside]
            out = np.zeros((1, n_r))
            out[0, inside] = relative(
                bm25_counts(d_docs[0].tokens, counts, side.lengths[inside], p)
            )
            return out
        raw = Corpus([d.tokens for d in side.docs], p).scores([d.tokens for d in d_docs])
        return rows_relative(np.where(level > 0, raw, 0.0))[0]

    def total(self, pairs: Pairs) -> npt.NDArray[np.float32]:
        """Scores of all pairs in float32 (to rank and to plan; a candidate's exact score
        is the sum of its reasons); -inf where the resource cannot serve it (scope,
        capacity). Terms are summed by shape, so each full matrix is made once."""
        w, s, side = self.cfg.weights, pairs.signals, pairs.side
        f32 = np.float32
        shape = pairs.shape
        category = (w.category * categories.matrix()).astype(f32)
        relevance = category[pairs.category][:, side.category]
        relevance += f32(w.bm25) * pairs.bm25
        relevance += f32(w.embedding) * pairs.embedding(pairs.cosine)
        # gated terms: per resource, per demand, then the tie tables, gathered once
        per_resource = w.capacity * side.share + w.track_record * side.track
        per_resource += w.evaluation * side.evaluation
        per_demand = w.urgency * pairs.urgency + w.matter_class * pairs.matter
        gated = per_resource.astype(f32) + per_demand.astype(f32)[:, None]
        ties = w.lead * pairs.ties[K.LEAD] + w.liaison * pairs.ties[K.LIAISON]
        ties += w.agreement * pairs.ties[K.AGREEMENT]
        if ties.any():
            gated += ties[:, pairs.community].T.astype(f32)[:, side.unit_of]
        proximity = s.proximity_county * (pairs.county[:, None] == side.county_of[None, :])
        proximity = proximity.astype(f32)
        if pairs.located.any():
            near = np.maximum(
                s.proximity_community * pairs.located[:, pairs.community],
                s.proximity_street * pairs.located[:, pairs.street],
            )
            proximity = np.maximum(proximity, near.T.astype(f32)[:, side.unit_of])
        gated += f32(w.proximity) * proximity
        gated += (w.scope * np.asarray(_scope_values(s), dtype=f32))[pairs.level]
        if w.relevance_total > 0:
            score = relevance + relevance * gated / f32(w.relevance_total)
        else:
            score = np.zeros(shape, dtype=f32)
        score[(pairs.level == 0) | (side.left[None, :] == 0)] = -np.inf
        return np.asarray(score, dtype=np.float32)

    def explain(self, pairs: Pairs, i: int, j: int, *, rank: int) -> Candidate:
        """One pair as a candidate whose reasons add up to its score."""
        return explain(self, pairs, i, j, rank=rank)
