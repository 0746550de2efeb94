"""The background task of each API process: deliver webhooks, sweep for overdue work.

Started in the app's lifespan (``GONGJIAN_NOTICE_WORKER=0`` leaves it out). Every
``poll_ms`` it runs one delivery round; every ``sweep_ms`` the overdue sweep, when
there is one. The sweep belongs to the loop (``resolvers.loop.sweep_overdue(store,
now)``, which writes an OVERDUE notice with each assignment it finds late): it is
found lazily, by name, so this package does not depend on it; ``find_sweep`` returns
None while it does not exist. Every process may sweep: the sweep's own writes are
conditional (``overdueNotified``), so two processes sweeping at once write each
notice once.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from typing import Protocol

from domain.clock import now_ms
from domain.errors import GongjianError
from graph.store import Store
from notices.delivery import Deliverer

log = logging.getLogger(__name__)

#: where the loop's sweep lives: module, function
SWEEP_TARGET = ("resolvers.loop", "sweep_overdue")


class Sweep(Protocol):
    """What the worker calls: find what became overdue by ``now`` and notify it."""

    async def __call__(self, store: Store, now: int, /) -> object: ...


def find_sweep(target: tuple[str, str] = SWEEP_TARGET) -> Sweep | None:
    """The loop's sweep, if this build has it."""
    module_name, name = target
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name != module_name:
            raise  # the module exists but is broken: say so
        return None
    found = getattr(module, name, None)
    return found if callable(found) else None


class NoticeWorker:
    """Runs ``deliverer`` and ``sweep`` until stopped."""

    def __init__(
        self,
        store: Store,
        deliverer: Deliverer | None,
        sweep: Sweep | None,
        *,
        poll_ms: int = 200,
        sweep_ms: int = 60_000,
    ) -> None:
        self.store, self.deliverer, self.sweep = store, deliverer, sweep
        self.poll_seconds, self.sweep_ms = poll_ms / 1000, sweep_ms
        self._task: asyncio.Task[None] | None = None
        self.rounds = 0

    @property
    def idle(self) -> bool:
        """Nothing to do: no hooks and no sweep (the task is then not started)."""
        return (self.deliverer is None or not self.deliverer.hooks) and self.sweep is None

    def start(self) -> None:
        if self._task is None and not self.idle:
            self._task = asyncio.create_task(self._run(), name="notices.worker")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        next_sweep = 0
        while True:
            now = now_ms()
            if self.sweep is not None and now >= next_sweep:
                next_sweep = now + self.sweep_ms
                await self._guard("the overdue sweep", self.sweep(self.store, now))
            if self.deliverer is not None:
                await self._guard("webhook delivery", self.deliverer.run_once())
            self.rounds += 1
            await asyncio.sleep(self.poll_seconds)

    async def _guard(self, what: str, work: object) -> None:
        """Run one step; a failure is logged and the next round tries again."""
        assert asyncio.iscoroutine(work)
        try:
            await work
        except GongjianError as e:
            log.warning("notices: %s failed [%s]; retrying next round", what, e.code)
        except Exception:  # a bug must not end the worker for good
            log.exception("notices: %s failed unexpectedly; retrying next round", what)
