"""A demand row's category, 五事 class and urgency when the roster leaves them out.

A 需求类别 that is empty or not in the vocabulary is inferred from the title and
description (``matching.classify``); so are an empty 事项类型 and 紧急程度. The
inferred values are stored with ``categoryInferred`` (and the classifier's
confidence), ``matterClassInferred``, ``urgencyInferred``; the cell as written is
kept in ``categoryGiven``; each inference is a warning in the load report, for
someone to confirm (``confirmDemandCategory``).

The load does not wait for embeddings: it stores the classifier's lexical decision
(``Classifier.provisional_many``). Where that is what the classifier ships (the
cascade's clear answers, when ``Weights.cascade`` is on) it is stored as such (``categoryInferredBy: 'STACKED'``);
else it is stored as ``'LEXICAL'`` and refined after the load (``loaders.refine``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from domain.vocab import Category, MatterClass, Urgency
from graph.queries import refine
from graph.store import Store
from loaders.cells import choose
from loaders.plan import Problem, RowPlan
from matching import classify

#: ``categoryInferredBy``: the lexical decision, to be refined (``loaders.refine``)
LEXICAL = "LEXICAL"
#: ``categoryInferredBy``: what ``matching.classify`` ships (final)
STACKED = "STACKED"


async def classify_missing(
    store: Store,
    demands: Sequence[tuple[str, str | None, str | None]],
    into: dict[tuple[str, str], classify.Provisional],
    label: str = "Demand",
) -> None:
    """Infer, in one batch and off the event loop, the lexical decision on the category
    of every (title, description, category) whose category is missing or unknown
    (nothing is embedded: see ``loaders.refine``); the rows then find it in ``into``,
    keyed by (title, description).
    """
    todo = list(
        dict.fromkeys(
            (title, description or "")
            for title, description, category in demands
            if not (category and choose(Category, category))
            and (title, description or "") not in into
        )
    )
    if not todo:
        return
    classifier = classify.default_classifier()
    guesses = await asyncio.to_thread(classifier.provisional_many, todo)
    unsure = {pair for pair, guess in zip(todo, guesses, strict=True) if not guess.final}
    known = await _known(store, unsure, label) if unsure else {}
    into.update((pair, known.get(pair, guess)) for pair, guess in zip(todo, guesses, strict=True))


async def _known(
    store: Store, pairs: set[tuple[str, str]], label: str
) -> dict[tuple[str, str], classify.Provisional]:
    """The stacked decisions already stored for some texts: a roster loaded again after
    its refinement keeps them (the decision depends on the text alone)."""
    rows = await store.run(refine.KNOWN[label], titles=sorted({title for title, _ in pairs}))
    out: dict[tuple[str, str], classify.Provisional] = {}
    for row in rows:
        pair = (str(row["title"]), str(row["description"]))
        if pair not in pairs or row["confidence"] is None:
            continue
        category, confidence = Category[str(row["category"])], float(row["confidence"])
        text = f"{pair[0]}。{pair[1]}" if pair[1] else pair[0]
        out[pair] = classify.Provisional(
            classify.Inference(
                category, confidence, (classify.Guess(category, confidence),),
                classify.matter_class(text), classify.urgency(text), "stored",
            ),
            final=True,
        )  # fmt: skip
    return out


def _cell(given: str | None) -> str:
    return f"“{given}”不在分类表中" if given else "为空"


def inferred_reason(
    what: str, basis: str, given: str | None, guess: classify.Inference, later: str = ""
) -> str:
    """The warning for a category inferred from a row's text (需求类别, 资源类别)."""
    others = "、".join(g.category.label for g in guess.ranked[1:])
    return (
        f"{what}{_cell(given)}，已根据{basis}推断为“{guess.category.label}”"
        f"（置信度 {guess.confidence:.2f}{'，其次：' + others if others else ''}），{later}请核对"
    )


def demand_properties(
    plan: RowPlan,
    title: str,
    description: str | None,
    category: str | None,
    matter_class: MatterClass | None,
    urgency: Urgency | None,
    batch: Mapping[tuple[str, str], classify.Provisional] | None = None,
) -> dict[str, Any]:
    """The category, class and urgency properties of a demand row (inferred where missing;
    ``batch`` holds inferences made beforehand by ``classify_missing``)."""
    given = choose(Category, category) if category else None
    props: dict[str, Any] = {
        "category": given.value if given else None,
        "categoryGiven": None,
        "categoryInferred": False,
        "categoryConfidence": None,
        "categoryInferredBy": None,
        "matterClass": matter_class.value if matter_class else None,
        "matterClassInferred": matter_class is None,
        "urgency": urgency.value if urgency else None,
        "urgencyInferred": urgency is None,
    }
    text = f"{title}。{description}" if description else title
    if given is None:
        decided = (batch or {}).get((title, description or "")) or (
            classify.default_classifier().provisional_many([(title, description or "")])[0]
        )
        guess = decided.inference
        props |= {
            "category": guess.category.value,
            "categoryGiven": category,
            "categoryInferred": True,
            "categoryConfidence": guess.confidence,
            "categoryInferredBy": STACKED if decided.final else LEXICAL,
        }
        later = "" if decided.final else "导入后将结合语义细化，"
        if guess.ranked:
            reason = inferred_reason("需求类别", "标题和描述", category, guess, later)
        else:  # no word the lexical stage knows: the refinement decides
            reason = (
                f"需求类别{_cell(category)}，标题和描述中没有可直接判断的分类词，暂记为“其他”，"
                "导入后将结合语义推断，请核对"
            )
        plan.warnings.append(Problem("category", reason, "INFERRED_CATEGORY", category))
    if matter_class is None:
        inferred = classify.matter_class(text)
        props["matterClass"] = inferred.value
        plan.warnings.append(
            Problem(
                "matterClass",
                f"事项类型为空，已推断为“{inferred.label}”，请核对",
                "INFERRED_MATTER_CLASS",
            )
        )
    if urgency is None:
        props["urgency"] = classify.urgency(text).value
    return props
