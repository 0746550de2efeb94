"""Time limits of the closed loop (docs/closed-loop.md, *Time limits*).

A dispatch (派单) fixes two deadlines on its Assignment: accept within, finish within,
by urgency; a 难事 (MatterClass.DIFFICULT) has the longer finish limit of the two. A
重办 (reopen) has limits of its own; a whistle's summoned unit must 报到 within its
own limit. Every limit is in hours and can be overridden by the environment
(``GONGJIAN_LIMIT_<NAME>_HOURS``, read once); a bad value fails loudly.

    >>> limits = TimeLimits.from_env({"GONGJIAN_LIMIT_URGENT_ACCEPT_HOURS": "1"})
    >>> limits.deadlines(Urgency.URGENT, MatterClass.PRESSING, at=0)
    (3600000, 86400000)
    >>> limits.deadlines(Urgency.NORMAL, MatterClass.DIFFICULT, at=0)[1] // HOUR_MS
    360
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from domain.clock import HOUR_MS
from domain.errors import ConfigError
from domain.vocab import MatterClass, Urgency


@dataclass(frozen=True)
class TimeLimits:
    """Every limit of the loop, in hours (field name -> ``GONGJIAN_LIMIT_<NAME>_HOURS``)."""

    urgent_accept: float = 2
    urgent_finish: float = 24
    normal_accept: float = 24
    normal_finish: float = 7 * 24
    difficult_finish: float = 15 * 24
    reopen_accept: float = 24
    reopen_finish: float = 3 * 24
    whistle_respond: float = 24

    @staticmethod
    def variable(name: str) -> str:
        return f"GONGJIAN_LIMIT_{name.upper()}_HOURS"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TimeLimits:
        env = os.environ if env is None else env
        given: dict[str, float] = {}
        for f in fields(cls):
            raw = env.get(cls.variable(f.name))
            if raw is None or not raw.strip():
                continue
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value <= 0:
                raise ConfigError(
                    f"{cls.variable(f.name)}={raw!r}: 应为正的小时数 (a positive number of hours)"
                )
            given[f.name] = value
        return cls(**given)

    def deadlines(
        self, urgency: Urgency, matter_class: MatterClass, *, at: int, reopened: bool = False
    ) -> tuple[int, int]:
        """``(acceptDue, finishDue)`` in epoch ms for a dispatch at ``at``."""
        if reopened:
            accept, finish = self.reopen_accept, self.reopen_finish
        elif urgency is Urgency.URGENT:
            accept, finish = self.urgent_accept, self.urgent_finish
        else:
            accept, finish = self.normal_accept, self.normal_finish
        if matter_class is MatterClass.DIFFICULT and not reopened:
            finish = max(finish, self.difficult_finish)
        return at + round(accept * HOUR_MS), at + round(finish * HOUR_MS)

    def respond_due(self, at: int) -> int:
        """When a unit summoned by a whistle at ``at`` must 报到."""
        return at + round(self.whistle_respond * HOUR_MS)


_MEANING = {
    "urgent_accept": "紧急 (URGENT): accept within",
    "urgent_finish": "紧急 (URGENT): finish within",
    "normal_accept": "一般 (NORMAL): accept within",
    "normal_finish": "一般 (NORMAL): finish within",
    "difficult_finish": "难事 (class DIFFICULT): finish within, where longer",
    "reopen_accept": "重办 (reopened): accept within",
    "reopen_finish": "重办 (reopened): finish within",
    "whistle_respond": "吹哨: a summoned unit 报到 within",
}


def table_markdown(limits: TimeLimits | None = None) -> str:
    """The limits as a Markdown table (README, *The closed loop*)."""
    limits = limits or TimeLimits()
    lines = ["| limit | variable | default (hours) |", "|---|---|---|"]
    for f in fields(TimeLimits):
        hours = getattr(limits, f.name)
        shown = int(hours) if float(hours).is_integer() else hours
        lines.append(f"| {_MEANING[f.name]} | `{TimeLimits.variable(f.name)}` | {shown} |")
    return "\n".join(lines)


@functools.cache
def current() -> TimeLimits:
    """The limits this process runs with (read from the environment once)."""
    return TimeLimits.from_env()
