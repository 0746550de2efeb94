"""Features computed once and reused: per text (tokens, term counts, vector row) and
per side of a pairing (the resources of a request or a plan, as aligned arrays).

``Docs`` memoises a text's tokens, term counts and vector row, so a resource seen by
a thousand requests is tokenized and looked up once. ``Side`` holds one resource set
as arrays: what every demand is then compared against with array operations only.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching import categories
from matching.config import Signals
from matching.embed import VectorCache
from matching.facts import ResourceFacts, UnitFacts
from matching.text import Tokenizer

Array = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Doc:
    tokens: tuple[str, ...]
    counts: dict[str, int]
    row: int


class Docs:
    """Tokens, term counts and the vector row of texts, memoised per (role, text)."""

    def __init__(self, vectors: VectorCache, tokenizer: Tokenizer, *, size: int = 400_000) -> None:
        self.vectors = vectors
        self.tokenizer = tokenizer
        self._memo: dict[tuple[bool, str], Doc] = {}
        self._size = size
        self._lock = threading.Lock()

    def get(self, texts: Sequence[str], *, query: bool) -> list[Doc]:
        memo = self._memo
        found = [memo.get((query, text)) for text in texts]
        missing = list(dict.fromkeys(t for t, d in zip(texts, found, strict=True) if d is None))
        if missing:
            rows = self.vectors.rows(missing, query=query)
            with self._lock:
                if len(memo) + len(missing) > self._size:
                    memo.clear()
                for text, row in zip(missing, rows, strict=True):
                    tokens = self.tokenizer.tokens(text)
                    memo[(query, text)] = Doc(tokens, dict(Counter(tokens)), int(row))
            found = [memo[(query, text)] for text in texts]
        return found  # type: ignore[return-value]

    def matrix(self, docs: Sequence[Doc]) -> npt.NDArray[np.float32]:
        return self.vectors.take(
            np.fromiter((d.row for d in docs), dtype=np.int64, count=len(docs))
        )


def index(values: Sequence[str | None]) -> tuple[dict[str, int], Ints]:
    """Distinct non-None values numbered, and each value's number (-1 for None)."""
    numbers: dict[str, int] = {}
    out = np.empty(len(values), dtype=np.int64)
    for k, value in enumerate(values):
        out[k] = -1 if value is None else numbers.setdefault(value, len(numbers))
    return numbers, out


@dataclass
class Side:
    """A resource set as arrays aligned with ``resources``.

    Only the units' track records and counties enter here; their ties to places are
    per question and come with the pairs."""

    resources: list[ResourceFacts]
    docs: list[Doc]
    vectors: npt.NDArray[np.float32]
    lengths: Array
    category: Ints
    left: Ints
    #: (1, n) share of the capacity left, the unit's track record and evaluation
    share: Array
    track: Array
    evaluation: Array
    #: the distinct units, and each resource's number among them
    unit_ids: list[str]
    unit_of: Ints
    counties: dict[str, int]
    county_of: Ints  # -1: unknown
    #: place id -> the resources available there
    where: dict[str, Ints]

    @property
    def unit_index(self) -> dict[str, int]:
        return {unit: k for k, unit in enumerate(self.unit_ids)}


def build(
    resources: Sequence[ResourceFacts],
    units: Mapping[str, UnitFacts],
    docs: Docs,
    signals: Signals,
) -> Side:
    """The arrays of a resource set (``units`` for track records and counties)."""
    n = len(resources)
    found = docs.get([r.text for r in resources], query=False)
    unit_numbers, unit_of = index([r.unit_id for r in resources])
    unit_list = [units.get(u) for u in unit_numbers]
    track_u = np.asarray([track(u, signals) for u in unit_list] + [0.0])
    eval_u = np.asarray([evaluation(u, signals) for u in unit_list] + [0.0])
    counties, county_u = index([u.county_id if u else None for u in unit_list])
    left = np.fromiter((r.left for r in resources), dtype=np.int64, count=n)
    capacity = np.fromiter((r.capacity for r in resources), dtype=np.float64, count=n)
    share = np.divide(left, capacity, out=np.zeros(n), where=capacity > 0)
    where: dict[str, list[int]] = {}
    for j, resource in enumerate(resources):
        for place in resource.places:
            where.setdefault(place, []).append(j)
    return Side(
        resources=list(resources),
        docs=found,
        vectors=docs.matrix(found),
        lengths=np.fromiter((len(d.tokens) for d in found), dtype=np.float64, count=n),
        category=np.fromiter(
            (categories.INDEX[r.category] for r in resources), dtype=np.int64, count=n
        ),
        left=left,
        share=share.reshape(1, n),
        track=track_u[unit_of].reshape(1, n),
        evaluation=eval_u[unit_of].reshape(1, n),
        unit_ids=list(unit_numbers),
        unit_of=unit_of,
        counties=counties,
        county_of=np.append(county_u, -1)[unit_of],
        where={place: np.asarray(js, dtype=np.int64) for place, js in where.items()},
    )


def concat(sides: Sequence[Side]) -> Side:
    """Several sides as one (their resources must be distinct)."""
    if len(sides) == 1:
        return sides[0]
    unit_ids: dict[str, int] = {}
    counties: dict[str, int] = {}
    unit_of: list[Ints] = []
    county_of: list[Ints] = []
    where: dict[str, Ints] = {}
    offset = 0
    for side in sides:
        units = np.asarray([unit_ids.setdefault(u, len(unit_ids)) for u in side.unit_ids] + [-1])
        unit_of.append(units[side.unit_of])
        names = {k: name for name, k in side.counties.items()}
        mapped = [counties.setdefault(names[k], len(counties)) for k in range(len(names))]
        county_of.append(np.asarray([*mapped, -1], dtype=np.int64)[side.county_of])
        for place, js in side.where.items():
            where[place] = (
                np.concatenate([where[place], js + offset]) if place in where else js + offset
            )
        offset += len(side.resources)
    return Side(
        resources=[r for side in sides for r in side.resources],
        docs=[d for side in sides for d in side.docs],
        vectors=np.concatenate([side.vectors for side in sides]),
        lengths=np.concatenate([side.lengths for side in sides]),
        category=np.concatenate([side.category for side in sides]),
        left=np.concatenate([side.left for side in sides]),
        share=np.concatenate([side.share for side in sides], axis=1),
        track=np.concatenate([side.track for side in sides], axis=1),
        evaluation=np.concatenate([side.evaluation for side in sides], axis=1),
        unit_ids=list(unit_ids),
        unit_of=np.concatenate(unit_of),
        counties=counties,
        county_of=np.concatenate(county_of),
        where=where,
    )


def track(unit: UnitFacts | None, s: Signals) -> float:
    """Delivered projects n as n / (n + half)."""
    n = unit.delivered if unit else 0
    return n / (n + s.track_half)


def evaluation(unit: UnitFacts | None, s: Signals) -> float:
    """The mean evaluation in [0, 1], shrunk towards the prior (few evaluations say little)."""
    scores = [
        min(max(x / s.evaluation_scale, 0.0), 1.0) for x in (unit.evaluations if unit else ())
    ]
    weight = s.evaluation_prior_weight
    if not scores and weight == 0:
        return 0.0
    return (sum(scores) + s.evaluation_prior * weight) / (len(scores) + weight)
