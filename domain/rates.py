"""The figures departments are assessed on (三率 and the rest), defined once: a key, the
Chinese label, the formula written out, and how a unit's monthly score weighs them.

The unit of counting is the dispatch (派单, an Assignment; a 重办 is a dispatch of its
own), taken in a period by its dispatch time; see docs/exports.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.clock import CHINA
from domain.errors import InvalidInput


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    formula: str
    #: a ratio (numerator / denominator) or a count (numerator only)
    ratio: bool = True


RESPONSE = Figure(
    "response", "响应率", "响应率 = 在接单时限内接单的派单数 ÷ 期内派单数 (重办各计一次)"
)
ON_TIME = Figure("onTime", "按期办结率", "按期办结率 = 在办结时限内办结的派单数 ÷ 期内派单数")
RESOLVED = Figure("resolved", "解决率", "解决率 = 已办结的派单数 ÷ 期内派单数")
SATISFIED = Figure(
    "satisfied",
    "满意率",
    "满意率 = 回访为满意或基本满意的派单数 ÷ 已回访的派单数 (每次办结后的第一次回访)",
)
CALLBACK = Figure("callback", "回访率", "回访率 = 已回访的派单数 ÷ 已办结的派单数")
OVERDUE = Figure(
    "overdue",
    "逾期数",
    "逾期数 = 期内派单中, 此刻仍未办结、且已过接单时限(未接单)或办结时限的派单数",
    ratio=False,
)
WHISTLE = Figure(
    "whistleResponse",
    "报到率",
    "报到率 = 在报到时限内报到的被吹哨单位次数 ÷ 期内吹哨召集的单位次数",
)
ABSENT = Figure(
    "absent",
    "报而不到",
    "报而不到 = 范围内的联系单位中, 期内没有接单、也没有参与项目的单位数",
    ratio=False,
)
IDLE = Figure(
    "idle",
    "到而不干",
    "到而不干 = 期内派单中, 已接单但此刻未办结(也未退回)的单位数",
    ratio=False,
)

FIGURES: tuple[Figure, ...] = (
    RESPONSE, ON_TIME, RESOLVED, SATISFIED, CALLBACK, OVERDUE, WHISTLE, ABSENT, IDLE,
)  # fmt: skip
BY_KEY = {f.key: f for f in FIGURES}

#: a unit's monthly score: weights of the rates it has (a rate without a denominator is
#: left out and the other weights scaled up to 1)
WEIGHTS: tuple[tuple[Figure, float], ...] = ((RESPONSE, 0.2), (ON_TIME, 0.4), (SATISFIED, 0.4))
RANKING_FORMULA = (
    "得分 = 100 × (0.2 × 响应率 + 0.4 × 按期办结率 + 0.4 × 满意率); 分母为 0 的比率不计入, "
    "其余权重按比例放大; 期内没有派单的单位不排名; 同分同名次"
)


def score(values: dict[str, float | None]) -> float | None:
    """The weighted score (0-100) of a unit's rates; None when it has none.

    >>> score({"response": 1.0, "onTime": 0.5, "satisfied": None})
    66.6667
    """
    have = [(w, values[f.key]) for f, w in WEIGHTS if values.get(f.key) is not None]
    total = sum(w for w, _ in have)
    if not have or total == 0:
        return None
    return round(100 * sum(w * float(v or 0) for w, v in have) / total, 4)


def ratio(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, None when there is no denominator (never an error)."""
    return None if denominator == 0 else numerator / denominator


@dataclass(frozen=True)
class Period:
    """[start, end) in epoch milliseconds, and how it was asked for."""

    start: int
    end: int
    label: str


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def month_period(month: str) -> Period:
    """A calendar month in China time ('2026-11').

    >>> p = month_period("2026-11"); (p.start, p.end - p.start)
    (1793462400000, 2592000000)
    """
    try:
        year, mon = (int(part) for part in month.split("-"))
        first = datetime(year, mon, 1, tzinfo=CHINA)
    except ValueError as e:
        raise InvalidInput(
            f"月份写作 YYYY-MM, 例如 2026-11 (month: YYYY-MM, got {month!r})", field="month"
        ) from e
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(_ms(first), _ms(following), month)


def period_of(start: datetime | None, end: datetime | None, month: str | None) -> Period:
    """The period asked for: a month, or [start, end) (both needed)."""
    if month is not None:
        if start is not None or end is not None:
            raise InvalidInput(
                "给出 month, 或者 from 和 to, 不要同时给 (month or from/to)", field="month"
            )
        return month_period(month)
    if start is None or end is None:
        raise InvalidInput("需要 month, 或者 from 和 to (a month or from and to)", field="from")
    for moment in (start, end):
        if moment.tzinfo is None:
            raise InvalidInput("时间需带时区 (times need a time zone)", field="from")
    if end <= start:
        raise InvalidInput("to 必须晚于 from (to must be after from)", field="to")
    label = f"{start.astimezone(CHINA):%Y-%m-%d %H:%M} – {end.astimezone(CHINA):%Y-%m-%d %H:%M}"
    return Period(_ms(start), _ms(end), label)
