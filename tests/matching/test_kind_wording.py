"""Explanations say the division's own word: 本区 / 全区 for a district, 全市 for a
county-level city, 全旗 for a banner (not 本县 everywhere)."""

from __future__ import annotations

import pytest

from divisions import DivisionIndex, kind_word
from domain.vocab import Category
from matching.facts import DemandFacts, ResourceFacts, UnitFacts
from matching.models import ReasonKind
from matching.rank import match_resources
from matching.score import Scorer
from resolvers.matching import _county_word

#: (county code, name, the word): a 区, a 县级市 and a 旗, none of them the demo county
KINDS = [("510503", "纳溪区", "区"), ("511181", "峨眉山市", "市"), ("150622", "准格尔旗", "旗")]


@pytest.mark.parametrize(("code", "name", "word"), KINDS)
def test_the_county_word_comes_from_the_shipped_table(code: str, name: str, word: str) -> None:
    county = DivisionIndex.default().by_code(code)
    assert county is not None and county.name == name
    assert kind_word(name) == word
    assert _county_word(county.code) == word
    assert _county_word(None) == "县"


@pytest.mark.parametrize(("code", "name", "word"), KINDS)
def test_reasons_say_the_divisions_word(scorer: Scorer, code: str, name: str, word: str) -> None:
    demand = DemandFacts(
        "d1", "小区停车难", Category.TRAFFIC, "c1", community_name="某某社区",
        street_id="s1", county_id="k", county_word=kind_word(name),
    )  # fmt: skip
    resource = ResourceFacts(
        "r1", "停车位规划增设", Category.TRAFFIC, "u1", ("k",), unit_name="住建局", capacity=3
    )
    units = {"u1": UnitFacts("u1", "住建局", "k", located=frozenset({"elsewhere"}))}
    [candidate] = match_resources(demand, [resource], units, first=1, using=scorer)
    said = {r.kind: r.sentence for r in candidate.reasons}
    assert said[ReasonKind.SCOPE].startswith(f"资源服务范围为全{word}（")
    assert said[ReasonKind.PROXIMITY].startswith(f"住建局同属本{word}（")
    assert "县" not in " ".join(said.values())
