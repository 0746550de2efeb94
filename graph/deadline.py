"""A request's deadline, seen by every statement the request sends.

``with_deadline(seconds)`` starts one for the current asyncio context; the tasks
started from it (DataLoader batches included) inherit it. Each statement then
runs with at most the time left (the database stops it itself: FalkorDB's
``GRAPH.QUERY … TIMEOUT``, Neo4j's transaction timeout), a statement sent past
the deadline is refused, and ``cancel()`` cancels the tasks still waiting on one.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from dataclasses import dataclass, field

from domain.errors import RequestTimeout


@dataclass
class Deadline:
    """When the current request must end (``time.monotonic()``) and its waiting tasks."""

    at: float
    seconds: float
    tasks: set[asyncio.Task[object]] = field(default_factory=set)

    def remaining_ms(self) -> int:
        return int((self.at - time.monotonic()) * 1000)

    def timeout_ms(self, statement_ms: int | None) -> int:
        """The timeout for one statement: the statement limit or the time left, the less;
        past the deadline, a refusal."""
        left = self.remaining_ms()
        if left <= 0:
            raise timeout_refusal(self.seconds)
        return left if statement_ms is None else min(statement_ms, left)

    def enter(self) -> None:
        """Count the current task among those ``cancel()`` reaches."""
        task = asyncio.current_task()
        if task is not None and task not in self.tasks:
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    def cancel(self) -> int:
        """Cancel the request's tasks still running a statement; how many."""
        current = asyncio.current_task()
        pending = [t for t in self.tasks if t is not current and not t.done()]
        for task in pending:
            task.cancel()
        return len(pending)


_current: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("deadline", default=None)


def start_deadline(seconds: float) -> Deadline:
    """A deadline ``seconds`` from now for the current context (and the tasks it starts)."""
    deadline = Deadline(at=time.monotonic() + seconds, seconds=seconds)
    _current.set(deadline)
    return deadline


def current_deadline() -> Deadline | None:
    return _current.get()


def timeout_refusal(seconds: float) -> RequestTimeout:
    return RequestTimeout(
        f"请求超时：超过 {seconds:g} 秒 (the request ran past its {seconds:g} s deadline; "
        "narrow the query or page it; setting GONGJIAN_REQUEST_TIMEOUT_MS)",
        limit="time",
        maximum=seconds,
    )
