"""Time as the graph stores it: epoch milliseconds (FalkorDB has no datetime).

``now_ms()`` is the one clock of the loop (time limits, overdue, notices): every
statement that needs the time takes it as ``$now`` from here. Tests move it with
``advance`` / ``reset`` (the ``clock`` fixture), in the process that runs the API
server: there is no way to set it over the API.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")

HOUR_MS = 3_600_000

#: how far this process's clock is moved ahead of the system's (tests only)
_offset_ms = 0


def now_ms() -> int:
    """The current time in epoch milliseconds, as moved by ``advance``."""
    return time.time_ns() // 1_000_000 + _offset_ms


def advance(ms: int) -> int:
    """Move this process's clock ``ms`` ahead (tests); the new offset.

    >>> start = now_ms(); _ = advance(HOUR_MS); moved = now_ms() - start; _ = reset()
    >>> HOUR_MS <= moved < HOUR_MS + 60_000
    True
    """
    global _offset_ms
    _offset_ms += ms
    return _offset_ms


def reset() -> int:
    """Back to the system's clock; the offset that was set."""
    global _offset_ms
    was, _offset_ms = _offset_ms, 0
    return was


def ms_to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def today() -> date:
    """Today's date in China, where every roster is written."""
    return datetime.fromtimestamp(now_ms() / 1000, tz=CHINA).date()
