"""The AND / OR / NOT compiler (``resolvers.where``): normal form, negation, bounds."""

from __future__ import annotations

from typing import Any

import pytest

from domain.errors import InvalidInput
from resolvers.demands import ATOMS, DemandFilter
from resolvers.where import MAX_CLAUSES, compile_filter


def dnf(data: dict[str, Any]) -> list[list[tuple[str, Any, bool]]] | None:
    compiled = compile_filter(DemandFilter.model_validate(data), ATOMS)
    if compiled is None:
        return None
    return [[(a["key"], a["values"], a["neg"]) for a in clause] for clause in compiled]


def test_own_fields_stay_out_and_empty_parts_mean_nothing() -> None:
    assert dnf({"statuses": ["OPEN"]}) is None
    assert dnf({"or_": [], "and_": []}) is None
    assert dnf({"not_": {"not_": {}}}) is None  # NOT (NOT everything): everything
    assert dnf({"not_": {}}) == []  # an empty filter holds everywhere: NOT it, nowhere


def test_or_of_ands_and_de_morgan() -> None:
    either = {"or_": [{"statuses": ["OPEN"], "urgencies": ["URGENT"]}, {"classes": ["MAJOR"]}]}
    assert dnf(either) == [
        [("status", ["OPEN"], False), ("urgency", ["URGENT"], False)],
        [("matterClass", ["MAJOR"], False)],
    ]
    assert dnf({"not_": either}) == [
        [("status", ["OPEN"], True), ("matterClass", ["MAJOR"], True)],
        [("urgency", ["URGENT"], True), ("matterClass", ["MAJOR"], True)],
    ]


def test_text_atoms_are_guarded_when_they_hold_digits() -> None:
    compiled = compile_filter(
        DemandFilter.model_validate({"or_": [{"text": "路灯"}, {"text": "139"}]}), ATOMS
    )
    assert compiled is not None
    assert [c[0]["guarded"] for c in compiled] == [False, True]
    assert compiled[0][0]["keys"] == ["title", "description"]


def test_scope_inside_and_too_large_compositions_are_refused() -> None:
    with pytest.raises(InvalidInput, match="top level"):
        dnf({"and_": [{"scope": "510522001000"}]})
    pair = {"or_": [{"statuses": ["OPEN"]}, {"urgencies": ["URGENT"]}]}
    with pytest.raises(InvalidInput, match=f"at most {MAX_CLAUSES} OR-clauses"):
        dnf({"and_": [pair] * 6})
    assert dnf({"and_": [pair] * 5}) is not None  # 32 clauses: at the bound
