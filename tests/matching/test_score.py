"""Scores explain themselves; signals behave; the configuration fails loudly."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import bm25s
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ConfigError
from domain.vocab import Category, MatterClass, Urgency
from matching import categories
from matching.config import ENV, MatchingConfig, Weights, config, load
from matching.facts import DemandFacts, ResourceFacts, UnitFacts
from matching.models import ReasonKind
from matching.rank import match_demands, match_resources
from matching.score import Scorer
from matching.text import BM25Params, Corpus, bm25, default_tokenizer

GAS = DemandFacts(
    "d1", "青龙山还房小区168户未通天然气", Category.INFRASTRUCTURE, "c1",
    description="只能用罐装液化气，又贵又不安全", urgency=Urgency.URGENT,
    matter_class=MatterClass.DIFFICULT, community_name="桥凼社区", street_id="s1", county_id="k",
)  # fmt: skip
PIPE = ResourceFacts(
    "r1", "天然气管网延伸和开户通气", Category.INFRASTRUCTURE, "gas", ("k",),
    description="延伸中压燃气管网，集中办理开户点火", unit_name="天然气公司", capacity=4, used=1,
)  # fmt: skip
PARKING = ResourceFacts(
    "r2", "小区停车位规划增设", Category.TRAFFIC, "housing", ("s1",),
    description="重新规划小区绿化和闲置空地，增设停车位", unit_name="住建局", capacity=2,
)  # fmt: skip
UNITS = {
    "housing": UnitFacts(
        "housing", "住建局", "k", liaises=frozenset({"c1"}), leads=frozenset({"c1"}),
        agreements=frozenset({"c1"}), located=frozenset({"c1"}), delivered=9,
        evaluations=(99.0, 98.0),
    ),
}  # fmt: skip

weights_st = st.builds(
    Weights, **{name: st.just(0.0) | st.floats(1e-6, 2) for name in Weights.model_fields}
)


@settings(max_examples=60, deadline=None)
@given(weights_st)
def test_reasons_add_up_to_the_score_under_any_weights(scorer: Scorer, weights: Weights) -> None:
    using = Scorer(MatchingConfig(weights=weights), scorer.vectors, scorer.tokenizer)
    for candidate in match_resources(GAS, [PIPE, PARKING], UNITS, first=5, using=using):
        assert sum(r.contribution for r in candidate.reasons) == candidate.score
        assert all(r.weight > 0 and r.contribution == r.weight * r.value for r in candidate.reasons)
    pairs = using.pairs([GAS], [PIPE, PARKING], UNITS)
    fast = using.total(pairs)[0]
    exact = [using.explain(pairs, 0, j, rank=1).score for j in range(2)]
    assert np.allclose(fast, exact, rtol=1e-5, atol=1e-6)  # the fast totals are float32


def test_ties_raise_a_relevant_resource_but_never_make_an_irrelevant_one_win(
    scorer: Scorer,
) -> None:
    [first, second] = match_resources(GAS, [PIPE, PARKING], UNITS, first=2, using=scorer)
    assert first.resourceId == "r1"
    ties = {ReasonKind.LEAD, ReasonKind.LIAISON, ReasonKind.AGREEMENT, ReasonKind.PROXIMITY}
    assert ties <= {r.kind for r in second.reasons}
    relevance = sum(
        r.contribution
        for r in second.reasons
        if r.kind in {ReasonKind.CATEGORY, ReasonKind.BM25, ReasonKind.EMBEDDING}
    )
    lead = next(r for r in second.reasons if r.kind is ReasonKind.LEAD)
    assert lead.signal == 1.0 and lead.value == pytest.approx(
        relevance / scorer.cfg.weights.relevance_total
    )
    assert "按相关度" in lead.sentence


def test_a_resource_out_of_scope_or_exhausted_is_no_candidate(scorer: Scorer) -> None:
    elsewhere = ResourceFacts("r3", "天然气开户", Category.INFRASTRUCTURE, "gas", ("k2",))
    spent = ResourceFacts(
        "r4", "天然气开户通气", Category.INFRASTRUCTURE, "gas", ("c1",), capacity=2, used=2
    )
    ranked = match_resources(GAS, [elsewhere, spent, PIPE], {}, first=5, using=scorer)
    assert [c.resourceId for c in ranked] == ["r1"]


def test_match_demands_ranks_demands_for_a_resource(scorer: Scorer) -> None:
    parking = DemandFacts(
        "d2", "江南小区停车难", Category.TRAFFIC, "c1", street_id="s1", county_id="k"
    )
    ranked = match_demands(PIPE, [parking, GAS], UNITS, first=5, using=scorer)
    assert [c.demandId for c in ranked] == ["d1", "d2"]
    assert ranked[0].reasons[0].kind in {ReasonKind.EMBEDDING, ReasonKind.CATEGORY}


def test_bm25_is_bm25s() -> None:
    tok = default_tokenizer()
    docs = [
        tok.tokens(t)
        for t in (
            "天然气管网延伸和开户通气",
            "燃气安全入户检查，更换老化胶管",
            "小区停车位规划增设",
            "路灯维修",
        )
    ]
    query = tok.tokens("小区没有通天然气，燃气管网")
    reference = bm25s.BM25(method="lucene")
    reference.index([list(d) for d in docs], show_progress=False)
    expected = reference.get_scores(list(dict.fromkeys(query)))
    assert np.allclose(bm25(query, docs, BM25Params()), expected, rtol=1e-5)
    assert np.allclose(Corpus(docs, BM25Params()).scores([query])[0], expected, rtol=1e-5)


def test_the_tokenizer_knows_governance_words() -> None:
    tokens = default_tokenizer().tokens("楼上飞线充电，老旧小区没有充电桩，希望社区帮忙")
    assert {"飞线充电", "老旧小区", "充电桩"} <= set(tokens)
    assert not {"希望", "社区", "，"} & set(tokens)


def test_the_category_table_covers_every_category() -> None:
    assert set(categories.TABLE) == set(Category)
    matrix = categories.matrix()
    assert matrix.shape == (len(Category), len(Category))
    assert np.all(np.diag(matrix) == 1.0) and matrix.min() >= 0 and matrix.max() <= 1
    assert categories.compatibility(Category.POVERTY_RELIEF, Category.FUNDS) == 0.8
    assert "不对应" in categories.sentence(Category.TRAFFIC, Category.HEALTH, 0.0)


def test_configuration_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "matching.toml"
    toml.write_text("[weights]\nembedding = 0.7\n[plan]\nmin_score = 0.5\n", encoding="utf-8")
    cfg = load(toml)
    assert (cfg.weights.embedding, cfg.weights.category, cfg.plan.min_score) == (0.7, 0.3, 0.5)
    (tmp_path / "m.json").write_text('{"signals": {"embedding_floor": 0.8}}', encoding="utf-8")
    assert load(tmp_path / "m.json").signals.embedding_floor == 0.8
    (tmp_path / "bad.toml").write_text("[weights]\nembeding = 0.7\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="embeding"):
        load(tmp_path / "bad.toml")
    for bad in ("-1", "1e-9", "1000"):
        (tmp_path / "neg.toml").write_text(f"[weights]\nbm25 = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError):
            load(tmp_path / "neg.toml")
    with pytest.raises(ConfigError):
        load(tmp_path / "missing.toml")
    monkeypatch.setenv(ENV, str(toml))
    config.cache_clear()
    try:
        assert config().weights.embedding == 0.7
    finally:
        monkeypatch.delenv(ENV)
        config.cache_clear()
    assert config().weights.embedding == MatchingConfig().weights.embedding


def test_sides_of_places_concatenate_to_the_side_of_all(scorer: Scorer) -> None:
    from matching.side import concat

    a = [PIPE, replace(PARKING, id="r5", unit_id="gas", unit_name="天然气公司")]
    b = [PARKING, replace(PIPE, id="r6", places=("c1",))]
    whole = scorer.side(a + b, UNITS)
    joined = concat([scorer.side(a, UNITS), scorer.side(b, UNITS)])
    for name in ("vectors", "lengths", "category", "left", "share", "track", "evaluation"):
        assert np.array_equal(getattr(whole, name), getattr(joined, name)), name
    assert [whole.unit_ids[u] for u in whole.unit_of] == [
        joined.unit_ids[u] for u in joined.unit_of
    ]
    assert {k: v.tolist() for k, v in whole.where.items()} == {
        k: v.tolist() for k, v in joined.where.items()
    }
    one = [c.model_dump() for c in match_resources(GAS, whole, UNITS, first=4, using=scorer)]
    two = [c.model_dump() for c in match_resources(GAS, joined, UNITS, first=4, using=scorer)]
    assert one == two


def test_the_embedding_cache_lives_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GONGJIAN_DB", f"embedded:{tmp_path}")
    config.cache_clear()
    try:
        assert config().cache_dir == tmp_path / "embeddings"
        monkeypatch.setenv("GONGJIAN_MATCHING_CACHE", str(tmp_path / "elsewhere"))
        config.cache_clear()
        assert config().cache_dir == tmp_path / "elsewhere"
    finally:
        monkeypatch.delenv("GONGJIAN_DB")
        monkeypatch.delenv("GONGJIAN_MATCHING_CACHE")
        config.cache_clear()
    assert config().cache_dir is None
