"""Time as the graph stores it: epoch milliseconds (FalkorDB has no datetime)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def ms_to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def today() -> date:
    """Today's date in China, where every roster is written."""
    return datetime.now(tz=CHINA).date()
