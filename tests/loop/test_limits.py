"""The time limits: defaults as documented, overridable by the environment, a bad value
fails loudly; the README prints the table from the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.clock import HOUR_MS
from domain.errors import ConfigError
from domain.timelimits import TimeLimits, table_markdown
from domain.vocab import MatterClass, Urgency

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_defaults_are_the_documented_ones() -> None:
    limits = TimeLimits()
    hours = {
        (u, c): tuple(d // HOUR_MS for d in limits.deadlines(u, c, at=0))
        for u in Urgency
        for c in (MatterClass.PRACTICAL, MatterClass.DIFFICULT)
    }
    assert hours == {
        (Urgency.URGENT, MatterClass.PRACTICAL): (2, 24),
        (Urgency.URGENT, MatterClass.DIFFICULT): (2, 360),
        (Urgency.NORMAL, MatterClass.PRACTICAL): (24, 168),
        (Urgency.NORMAL, MatterClass.DIFFICULT): (24, 360),
    }
    reopened = limits.deadlines(Urgency.URGENT, MatterClass.DIFFICULT, at=0, reopened=True)
    assert tuple(d // HOUR_MS for d in reopened) == (24, 72)
    assert limits.respond_due(1000) == 1000 + 24 * HOUR_MS


def test_the_environment_overrides_each_limit() -> None:
    limits = TimeLimits.from_env(
        {"GONGJIAN_LIMIT_NORMAL_FINISH_HOURS": "48", "GONGJIAN_LIMIT_WHISTLE_RESPOND_HOURS": "0.5"}
    )
    assert limits.deadlines(Urgency.NORMAL, MatterClass.MAJOR, at=0)[1] == 48 * HOUR_MS
    assert limits.respond_due(0) == HOUR_MS // 2


@pytest.mark.parametrize("raw", ["0", "-3", "abc", "nan", "inf"])
def test_a_bad_limit_fails_loudly(raw: str) -> None:
    with pytest.raises(ConfigError, match="GONGJIAN_LIMIT_URGENT_ACCEPT_HOURS"):
        TimeLimits.from_env({"GONGJIAN_LIMIT_URGENT_ACCEPT_HOURS": raw})


def test_the_readme_prints_the_limits() -> None:
    assert table_markdown() in README.read_text(encoding="utf-8")
