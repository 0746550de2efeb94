"""双报到 records as the store hands them out: members, 微心愿 and service logs.

Field names are the graph's property names (docs/closed-loop.md, "Members (双报到)
and service hours"); times are epoch milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pydantic import Field

from domain.clock import CHINA
from domain.errors import InvalidInput
from domain.models import Node
from domain.vocab import WishStatus


class Member(Node):
    """双报到党员: an in-service party member reporting where they live."""

    name: str = Field(description="personal data")
    phone: str | None = Field(None, description="personal data")
    homeUnitId: str
    community: str
    street: str | None = None
    county: str | None = None


class Wish(Node):
    """微心愿: a small wish a community posts for a member to claim."""

    title: str
    description: str = ""
    status: WishStatus = WishStatus.OPEN
    memberId: str | None = None
    claimedAt: int | None = None
    doneAt: int | None = None
    community: str
    street: str | None = None
    county: str | None = None


class ServiceLog(Node):
    """服务时长: hours a member served on a demand or a wish; counted once confirmed."""

    memberId: str
    targetId: str
    hours: float
    at: int
    note: str = ""
    confirmedAt: int | None = None
    homeUnitId: str
    community: str
    street: str | None = None
    county: str | None = None


@dataclass(frozen=True)
class MemberHours:
    """A member with the confirmed hours and logs in a period (a row of the totals)."""

    member: Member
    hours: float
    logs: int


@dataclass(frozen=True)
class UnitHours:
    """A home unit's totals in a period: members living in the scope, hours, logs."""

    unitId: str
    unitName: str
    members: int
    hours: float
    logs: int


@dataclass(frozen=True)
class Period:
    """A half-open span of epoch milliseconds and how to name it (``2026-11``)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class HoursTotals:
    """Confirmed hours under a scope in a period: per home unit and per member."""

    scope: str
    period: Period
    units: tuple[UnitHours, ...]
    members: tuple[MemberHours, ...]

    def members_of(self, unit_id: str) -> tuple[MemberHours, ...]:
        return tuple(row for row in self.members if row.member.homeUnitId == unit_id)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
#: no period given: everything (epoch 0 to the year 9999)
_ALWAYS = (0, 253_402_300_800_000)


def _day_ms(value: str, field: str) -> int:
    try:
        day = date.fromisoformat(value)
    except ValueError as e:
        raise InvalidInput(f"{field} 应为 YYYY-MM-DD 日期，收到 {value!r}", field=field) from e
    return int(datetime(day.year, day.month, day.day, tzinfo=CHINA).timestamp() * 1000)


def period_of(start: str | None, end: str | None, month: str | None) -> Period:
    """The period of ``month`` (YYYY-MM) or of ``start``..``end`` (ISO dates, both days
    included), in China time; neither: all time.

    >>> period_of(None, None, "2026-11").label
    '2026-11'
    >>> p = period_of("2026-11-01", "2026-11-30", None)
    >>> (p.end - p.start) // 86_400_000, p.label
    (30, '2026-11-01..2026-11-30')
    """
    if month is not None:
        if start is not None or end is not None:
            raise InvalidInput(
                "month 与 from/to 只能给一种 (give month, or from and to)", field="month"
            )
        found = _MONTH.match(month)
        if found is None or not 1 <= int(found[2]) <= 12:
            raise InvalidInput(f"month 应为 YYYY-MM，收到 {month!r}", field="month")
        year, number = int(found[1]), int(found[2])
        following = f"{year + number // 12:04d}-{number % 12 + 1:02d}-01"
        return Period(_day_ms(f"{month}-01", "month"), _day_ms(following, "month"), month)
    low = _day_ms(start, "from") if start is not None else _ALWAYS[0]
    high = _day_ms(end, "to") + 86_400_000 if end is not None else _ALWAYS[1]
    if high <= low:
        raise InvalidInput("to 不能早于 from (the period ends before it starts)", field="to")
    label = f"{start or ''}..{end or ''}" if start or end else "全部"
    return Period(low, high, label)


def moment_ms(value: str, field: str = "at") -> int:
    """An ISO date (midnight, China time) or date-time (China time when it names no zone)
    as epoch milliseconds."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as e:
        raise InvalidInput(
            f"{field} 应为 ISO 日期或时间 (2026-11-03 或 2026-11-03T09:30)，收到 {value!r}",
            field=field,
        ) from e
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return int(moment.timestamp() * 1000)


#: how far ahead of the clock a service may be dated (clock skew between devices)
FUTURE_SLACK = timedelta(minutes=10)
