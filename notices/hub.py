"""One poll of the outbox per API process, fanned out to that process's subscribers.

Each process reads the notices after its last seq every ``poll_ms`` (one statement
for all its subscribers, and only while it has any) and puts each into every local
subscriber's queue. Every process does the same for its own subscribers, so with
several API processes each notice reaches each subscriber once. A subscriber that
passes ``after`` first reads what it missed from the graph, then continues live:
nothing is lost between a disconnect and a reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from domain.errors import GongjianError, LimitExceeded
from graph.store import Store
from notices.model import Notice
from notices.outbox import last_seq, read_after

log = logging.getLogger(__name__)

#: notices one poll reads at most (a busier outbox is read again at once)
BATCH = 500
#: notices a slow subscriber may have waiting before its stream ends (it resumes with after)
BACKLOG = 10_000


@dataclass(eq=False)
class _Subscriber:
    queue: asyncio.Queue[Notice | None] = field(default_factory=asyncio.Queue)
    overflowed: bool = False


class NoticeHub:
    """The process's reader of the outbox (``create_app`` makes one per store)."""

    def __init__(self, store: Store, *, poll_ms: int = 200, batch: int = BATCH) -> None:
        self.store = store
        self.poll_seconds = poll_ms / 1000
        self.batch = batch
        self._subscribers: set[_Subscriber] = set()
        self._cursor: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        #: polls made (tests and /metrics: one per interval, whatever the subscribers)
        self.polls = 0

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    async def stream(
        self, *, after: int | None = None, accept: Callable[[Notice], bool] = lambda n: True
    ) -> AsyncIterator[Notice]:
        """The notices ``accept`` takes: after ``after`` (replayed from the graph), or
        from now on; ends with LIMIT_EXCEEDED if the subscriber falls too far behind."""
        subscriber = _Subscriber()
        async with self._lock:
            if self._cursor is None:
                self._cursor = await last_seq(self.store)
            start = self._cursor
            self._subscribers.add(subscriber)
            if self._task is None or self._task.done():
                # the process's poller: none of the first subscriber's request (its
                # deadline, its round-trip counter) goes with it
                self._task = asyncio.create_task(
                    self._poll(), name="notices.hub", context=contextvars.Context()
                )
        try:
            last = start if after is None else after
            while last < start:  # replay what came before this process's cursor
                page = await read_after(self.store, last, self.batch)
                if not page:
                    break
                for notice in page:
                    if notice.seq > start:
                        break
                    last = notice.seq
                    if accept(notice):
                        yield notice
                else:
                    continue
                break
            last = max(last, start)
            while True:
                item = await subscriber.queue.get()
                if item is None:
                    raise LimitExceeded(
                        f"订阅积压超过 {BACKLOG} 条通知：请以 after: {last} 重新订阅 "
                        f"(the subscriber fell behind; resubscribe with after: {last})",
                        limit="backlog",
                    )
                if item.seq <= last:
                    continue
                last = item.seq
                if accept(item):
                    yield item
        finally:
            self._subscribers.discard(subscriber)

    async def _poll(self) -> None:
        while True:
            async with self._lock:  # stream() registers under the same lock
                if not self._subscribers:
                    # a later subscriber without after starts from its own now
                    self._cursor, self._task = None, None
                    return
            try:
                got = await self.poll_once()
            except GongjianError as e:
                log.warning("notices: reading the outbox failed (%s); retrying", e.code)
                got = 0
            if got < self.batch:
                await asyncio.sleep(self.poll_seconds)

    async def poll_once(self) -> int:
        """Read the new notices once and hand them to the subscribers; how many."""
        assert self._cursor is not None
        self.polls += 1
        page = await read_after(self.store, self._cursor, self.batch)
        for notice in page:
            for subscriber in list(self._subscribers):
                if subscriber.overflowed:
                    continue
                if subscriber.queue.qsize() >= BACKLOG:
                    subscriber.overflowed = True
                    subscriber.queue.put_nowait(None)
                else:
                    subscriber.queue.put_nowait(notice)
        if page:
            self._cursor = page[-1].seq
        return len(page)

    async def close(self) -> None:
        """Stop polling (the app's shutdown)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


_hubs: weakref.WeakKeyDictionary[Store, NoticeHub] = weakref.WeakKeyDictionary()


def hub_for(store: Store, *, poll_ms: int | None = None) -> NoticeHub:
    """The process's hub for ``store`` (made on first use; ``create_app`` makes it with
    the configured poll interval)."""
    hub = _hubs.get(store)
    if hub is None:
        hub = _hubs[store] = NoticeHub(store, poll_ms=poll_ms if poll_ms is not None else 200)
    elif poll_ms is not None:
        hub.poll_seconds = poll_ms / 1000
    return hub
