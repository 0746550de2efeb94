"""Ranked candidates in both directions: resources for a demand, demands for a resource.

>>> from domain.vocab import Category
>>> from matching.facts import DemandFacts, ResourceFacts
>>> demand = DemandFacts("d1", "168户未通天然气", Category.INFRASTRUCTURE, "c1", county_id="k")
>>> gas = ResourceFacts("r1", "天然气管网延伸和开户通气", Category.INFRASTRUCTURE, "u1", ("k",))
>>> park = ResourceFacts("r2", "小区停车位规划增设", Category.TRAFFIC, "u2", ("k",))
>>> [c.resourceId for c in match_resources(demand, [park, gas], {}, first=2)]
['r1', 'r2']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.config import MatchingConfig, config
from matching.embed import vector_cache
from matching.facts import DemandFacts, ResourceFacts, UnitFacts
from matching.models import Candidate
from matching.score import Scorer
from matching.side import Side
from matching.text import default_tokenizer

#: candidates explained beyond ``first``, so float noise in the fast totals cannot
#: push a candidate out of the top that its exact score would keep
_MARGIN = 8


_blas: list[int | None] = []


def limit_blas(threads: int | None) -> None:
    """Set the process's BLAS threads once (``MatchingConfig.blas_threads``)."""
    if _blas or threads is None:
        return
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # noqa: PLC0415

    threadpool_limits(threads, user_api="blas")
    _blas.append(threads)


def scorer(cfg: MatchingConfig | None = None) -> Scorer:
    """A scorer on the process's model, vector cache and tokenizer."""
    cfg = cfg or config()
    limit_blas(cfg.blas_threads)
    return Scorer(cfg, vector_cache(cfg.cache_dir), default_tokenizer())


def top(scores: npt.NDArray[np.floating[Any]], k: int) -> list[int]:
    """Indices of the k best finite scores, best first."""
    finite = np.flatnonzero(np.isfinite(scores))
    if finite.size > k:
        finite = finite[np.argpartition(-scores[finite], k - 1)[:k]]
    return [int(i) for i in finite[np.argsort(-scores[finite], kind="stable")]]


def _ranked(candidates: list[Candidate], first: int, key: str) -> list[Candidate]:
    candidates.sort(key=lambda c: (-c.score, getattr(c, key)))
    return [c.model_copy(update={"rank": k}) for k, c in enumerate(candidates[:first], 1)]


def match_resources(
    demand: DemandFacts,
    resources: Sequence[ResourceFacts] | Side,
    units: Mapping[str, UnitFacts],
    *,
    first: int = 10,
    using: Scorer | None = None,
) -> list[Candidate]:
    """The resources that can serve a demand, best first, each with its reasons.

    Resources outside the demand's community, street and county, or with no capacity
    left, are not candidates.
    """
    using = using or scorer()
    count = len(resources.resources) if isinstance(resources, Side) else len(resources)
    if count == 0 or first <= 0:
        return []
    pairs = using.pairs([demand], resources, units)
    best = top(using.total(pairs)[0], first + _MARGIN)
    return _ranked([using.explain(pairs, 0, j, rank=0) for j in best], first, "resourceId")


def match_demands(
    resource: ResourceFacts,
    demands: Sequence[DemandFacts],
    units: Mapping[str, UnitFacts],
    *,
    first: int = 10,
    using: Scorer | None = None,
) -> list[Candidate]:
    """The open demands a resource could serve (接单), best first, each with its reasons."""
    using = using or scorer()
    if not demands or first <= 0:
        return []
    pairs = using.pairs(demands, [resource], units, resource_is_query=True)
    best = top(using.total(pairs)[:, 0], first + _MARGIN)
    return _ranked([using.explain(pairs, i, 0, rank=0) for i in best], first, "demandId")
