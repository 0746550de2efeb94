"""The supervised part of the demand classifier: labelled examples and a softmax
regression over their e5 vectors.

The examples (``category_examples.csv``, shipped with the package) are the demands
of the evaluation's development sets with their categories: the demo rosters'
demands as filed (official wording) and the residents' wordings of
``matching_eval`` (``matching_eval/classify_eval.py --write-examples`` writes the
file; a test checks it is up to date). The held-out sets are not among them.

The model is fitted on first use, deterministically (zero start, full-batch
gradient descent, a fixed number of steps) from the examples' vectors, which the
engine's vector cache keeps: nothing is downloaded, and the same examples give the
same weights. Each category's facets (``matching.category_text``) are examples too,
so a category with few labelled demands still has some.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.vocab import Category, parse

EXAMPLES = Path(__file__).resolve().parent / "category_examples.csv"


def load_examples(path: Path = EXAMPLES) -> list[tuple[str, Category]]:
    """(text, category) pairs; a missing file gives none (the classifier then works
    from the facets alone)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        out = []
        for row in csv.DictReader(f):
            found = parse(Category, row["category"])
            if found is not None and row["text"].strip():
                out.append((row["text"], found))
        return out


def write_examples(examples: Sequence[tuple[str, Category]], path: Path = EXAMPLES) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["text", "category"])
        writer.writerows((text, category.label) for text, category in examples)


@dataclass(frozen=True)
class Softmax:
    """Multinomial logistic regression: ``log_probs`` of each class for some vectors."""

    mean: Any  # (dim,) the training vectors' mean, subtracted before the product
    weights: Any  # (dim, classes)
    bias: Any  # (classes,)

    def log_probs(self, vectors: Any) -> Any:
        import numpy as np  # noqa: PLC0415 - the matching extra

        z = (np.asarray(vectors, dtype=np.float64) - self.mean) @ self.weights + self.bias
        z -= z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def fit_softmax(
    vectors: Any,
    labels: Sequence[int],
    classes: int,
    *,
    l2: float = 1e-3,
    steps: int = 400,
    rate: float = 20.0,
) -> Softmax:
    """Fit by full-batch gradient descent with momentum from zero weights
    (deterministic). e5 vectors are unit length and close together, so they are
    centred first and the step is large."""
    import numpy as np  # noqa: PLC0415

    x = np.asarray(vectors, dtype=np.float64)
    mean = x.mean(axis=0)
    x = x - mean
    n, dim = x.shape
    y = np.zeros((n, classes))
    y[np.arange(n), np.asarray(labels)] = 1.0
    w = np.zeros((dim, classes))
    b = np.zeros(classes)
    vw, vb = np.zeros_like(w), np.zeros_like(b)
    for _ in range(steps):
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) / n
        gw = x.T @ g + l2 * w
        gb = g.sum(axis=0)
        vw = 0.9 * vw - rate * gw
        vb = 0.9 * vb - rate * gb
        w += vw
        b += vb
    return Softmax(mean, w, b)
