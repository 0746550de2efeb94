"""Matching configuration: the weights of every score term and the constants of
each signal, typed, with defaults in code.

``config()`` reads the file named by ``GONGJIAN_MATCHING_CONFIG`` (TOML or JSON)
once per process; a missing file, an unknown key or a bad value fails loudly.
Only the keys given in the file override the defaults::

    [weights]
    embedding = 0.40
    lead = 0.10

The score of a (demand, resource) pair is

    relevance R = category·c + bm25·b + embedding·e
    score       = R + Σ_j weight_j · signal_j · R / (category + bm25 + embedding)

so ties, scope, capacity, track record and priority raise a relevant candidate and
never make an irrelevant one relevant (see ``matching.score``).
"""

from __future__ import annotations

import json
import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from domain.errors import ConfigError
from domain.vocab import MatterClass

ENV = "GONGJIAN_MATCHING_CONFIG"
ENV_CACHE = "GONGJIAN_MATCHING_CACHE"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Weights(_Strict):
    """The weight of each term; relevance terms first, then the gated ones."""

    category: float = Field(0.30, ge=0, description="category compatibility (table)")
    bm25: float = Field(0.15, ge=0, description="BM25 over jieba tokens, relative to the best")
    embedding: float = Field(0.55, ge=0, description="multilingual-e5 cosine, calibrated")
    lead: float = Field(0.04, ge=0, description="the unit is the community's lead unit")
    liaison: float = Field(0.04, ge=0, description="the unit liaises with the community")
    agreement: float = Field(0.03, ge=0, description="a co-building agreement with the community")
    proximity: float = Field(0.02, ge=0, description="the unit sits in the community/street/county")
    scope: float = Field(0.03, ge=0, description="how specific the resource's service scope is")
    capacity: float = Field(0.03, ge=0, description="share of the capacity left")
    track_record: float = Field(0.03, ge=0, description="projects the unit has delivered")
    evaluation: float = Field(0.03, ge=0, description="the unit's evaluations (shrunk mean)")
    urgency: float = Field(0.06, ge=0, description="紧急 demands first")
    matter_class: float = Field(0.04, ge=0, description="五事: 急事/难事/大事 before 实事")

    @field_validator("*")
    @classmethod
    def _zero_or_sensible(cls, value: float) -> float:
        if 0 < value < 1e-6 or value > 100:
            raise ValueError("a weight is 0 or between 0.000001 and 100")
        return value

    @property
    def relevance_total(self) -> float:
        return self.category + self.bm25 + self.embedding


class Signals(_Strict):
    """Constants that turn graph facts and raw similarities into signals in [0, 1]."""

    bm25_k1: float = Field(1.5, gt=0)
    bm25_b: float = Field(0.75, ge=0, le=1)
    #: cosine at or below ``embedding_floor`` counts 0, at or above ``embedding_ceiling`` 1.
    #: e5 cosines crowd into [0.83, 0.92]: the defaults are the median and the 99th
    #: percentile over every demand × resource pair of the demo rosters (label-free)
    embedding_floor: float = Field(0.855, ge=-1, le=1)
    embedding_ceiling: float = Field(0.905, ge=-1, le=1)
    proximity_community: float = Field(1.0, ge=0, le=1)
    proximity_street: float = Field(0.6, ge=0, le=1)
    proximity_county: float = Field(0.2, ge=0, le=1)
    scope_community: float = Field(1.0, ge=0, le=1)
    scope_street: float = Field(0.6, ge=0, le=1)
    scope_county: float = Field(0.3, ge=0, le=1)
    #: delivered projects n count n / (n + track_half)
    track_half: float = Field(3.0, gt=0)
    evaluation_scale: float = Field(100.0, gt=0, description="the top of the evaluation score")
    evaluation_prior: float = Field(0.7, ge=0, le=1, description="mean assumed before evidence")
    evaluation_prior_weight: float = Field(2.0, ge=0, description="evaluations the prior is worth")
    matter_class: dict[MatterClass, float] = Field(
        default_factory=lambda: {
            MatterClass.PRESSING: 1.0,
            MatterClass.DIFFICULT: 0.8,
            MatterClass.MAJOR: 0.7,
            MatterClass.IMPORTANT: 0.6,
            MatterClass.PRACTICAL: 0.4,
        }
    )


class PlanDefaults(_Strict):
    #: pairs below this score are never proposed
    min_score: float = Field(0.35, ge=0)
    #: the best arcs kept per demand before solving
    candidates_per_demand: int = Field(25, ge=1)
    #: demands scored together (memory: chunk x resources floats per term)
    chunk: int = Field(64, ge=1)


class MatchingConfig(_Strict):
    weights: Weights = Field(default_factory=Weights)
    signals: Signals = Field(default_factory=Signals)
    plan: PlanDefaults = Field(default_factory=PlanDefaults)
    #: the embedding cache folder; None keeps vectors in memory only
    cache_dir: Path | None = None
    #: seconds a unit's track record (delivered projects, evaluations) is reused
    profile_ttl: float = Field(60.0, ge=0)
    #: BLAS threads of the process (set once, process-wide, by the first scorer); 1 keeps
    #: OpenBLAS from spin-waiting on cores the database and the web server need (seen
    #: here: matchResources p99 from 900 ms to 45 ms under load); None leaves the default
    blas_threads: int | None = Field(1, ge=1)

    def with_weights(self, **weights: float) -> MatchingConfig:
        """A copy with some weights replaced (the evaluation's single-signal rankings)."""
        return self.model_copy(update={"weights": self.weights.model_copy(update=weights)})

    def only(self, *names: str) -> MatchingConfig:
        """A copy where every weight not named is 0.

        >>> MatchingConfig().only("bm25").weights.category
        0.0
        """
        zero = {name: 0.0 for name in Weights.model_fields if name not in names}
        return self.with_weights(**zero)


def parse(data: dict[str, Any], *, source: str = "<dict>") -> MatchingConfig:
    try:
        return MatchingConfig.model_validate(data)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()
        )
        raise ConfigError(
            f"匹配配置 {source} 有误：{problems} (fix the matching configuration)", source=source
        ) from e


def load(path: str | Path) -> MatchingConfig:
    """The configuration in a TOML or JSON file (keys not given keep their defaults)."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as e:
        raise ConfigError(
            f"找不到匹配配置文件 {file} ({ENV} names a file that cannot be read)", path=str(file)
        ) from e
    try:
        data = json.loads(raw) if file.suffix == ".json" else tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise ConfigError(f"匹配配置文件 {file} 无法解析：{e}", path=str(file)) from e
    if not isinstance(data, dict):
        raise ConfigError(f"匹配配置文件 {file} 应为一个表 (a table at the top)", path=str(file))
    return parse(data, source=str(file))


@cache
def config() -> MatchingConfig:
    """The process's configuration: the file in GONGJIAN_MATCHING_CONFIG, else the defaults.

    The embedding cache folder: GONGJIAN_MATCHING_CACHE when set, else ``embeddings/``
    in the data folder of an embedded database named by GONGJIAN_DB (``embedded:FOLDER``),
    else the file's ``cache_dir``; without any, vectors are kept in memory only.
    """
    path = os.environ.get(ENV)
    loaded = load(path) if path else MatchingConfig()
    folder = os.environ.get(ENV_CACHE)
    db = os.environ.get("GONGJIAN_DB", "")
    if not folder and loaded.cache_dir is None and db.startswith("embedded:"):
        folder = str(Path(db.removeprefix("embedded:") or "./data") / "embeddings")
    if folder:
        loaded = loaded.model_copy(update={"cache_dir": Path(folder)})
    return loaded
